"""Django's test cases: ``SimpleTestCase``, ``TransactionTestCase`` and ``TestCase``.

``async def`` test methods run on the event loop that the sync test client uses, so
pooled async resources stay on one loop. A ``TestCase`` test runs in a transaction
that every thread and loop of the process shares (see ``fastjango.test._transaction``),
so the test, the test client's views and async code all see the same rows.
"""

from __future__ import annotations

import difflib
import json
import sys
import unittest
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from copy import deepcopy
from difflib import get_close_matches
from functools import wraps
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urljoin, urlparse, urlsplit, urlunparse

from fastjango.conf import settings
from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.db import DEFAULT_DB_ALIAS, connections
from fastjango.test import _databases
from fastjango.test._databases import blocker
from fastjango.test._skips import skipIfDBFeature, skipUnlessAnyDBFeature, skipUnlessDBFeature
from fastjango.test.client import AsyncClient, Client, _shared_portal
from fastjango.test.html import Element, HTMLParseError, parse_html
from fastjango.test.utils import CaptureQueriesContext, modify_settings, override_settings
from fastjango.utils.decorators import iscoroutinefunction
from fastjango.utils.http import urlencode

__all__ = [
    "DatabaseOperationForbidden",
    "SimpleTestCase",
    "TestCase",
    "TestData",
    "TransactionTestCase",
    "skipIfDBFeature",
    "skipUnlessAnyDBFeature",
    "skipUnlessDBFeature",
]

_REPR_LIMIT = 1000


def _safe_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _REPR_LIMIT else text[:_REPR_LIMIT] + " [truncated]..."


def _run_on_test_loop(method: Callable[..., Any]) -> Callable[[], Any]:
    @wraps(method)
    def run() -> Any:
        return _shared_portal().call(method)

    return run


class DatabaseOperationForbidden(AssertionError):
    """A test used a database that its test case doesn't name in ``databases``."""


class SimpleTestCase(unittest.TestCase):
    """A test case with a test client and Django's HTTP, HTML and template assertions.

    Its tests may not use any database: a query to an alias not named in
    ``databases`` (empty here) fails with ``DatabaseOperationForbidden``.
    """

    client_class: ClassVar[type[Client]] = Client
    async_client_class: ClassVar[type[AsyncClient]] = AsyncClient
    databases: ClassVar[set[str] | frozenset[str] | str] = set()
    client: Client
    async_client: AsyncClient

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls._add_databases_failures()

    @classmethod
    def _validate_databases(cls) -> frozenset[str]:
        if cls.databases == "__all__":
            return frozenset(connections)
        for alias in cls.databases:
            if alias not in connections:
                message = (
                    f"{cls.__module__}.{cls.__qualname__}.databases refers to {alias!r} which is "
                    "not defined in settings.DATABASES."
                )
                close = get_close_matches(alias, list(connections))
                if close:
                    message += f" Did you mean {close[0]!r}?"
                raise ImproperlyConfigured(message)
        return frozenset(cls.databases)

    @classmethod
    def _add_databases_failures(cls) -> None:
        cls.databases = cls._validate_databases()
        settings_dicts = connections.settings
        forbidden = [
            alias
            for alias in settings_dicts
            if alias not in cls.databases
            and not str(settings_dicts[alias]["ENGINE"]).endswith(".dummy")
        ]
        if not forbidden and not blocker.is_active:
            return
        # Also over the pytest plugin's "not allowed" for tests without a mark.
        restorer = blocker.block(_database_failure(cls), allowed=cls.databases)
        cls.addClassCleanup(restorer.__exit__)

    def __call__(self, result: Any = None) -> Any:
        """Run the test with ``_pre_setup()`` and ``_post_teardown()`` around it."""
        self._setup_and_call(result)

    def debug(self) -> None:
        """Run the test without collecting the result, as ``unittest`` does."""
        self._setup_and_call(None, debug=True)

    def _setup_and_call(self, result: Any, debug: bool = False) -> None:
        method = getattr(self, self._testMethodName)
        skipped = getattr(type(self), "__unittest_skip__", False) or getattr(
            method, "__unittest_skip__", False
        )
        if iscoroutinefunction(method):
            setattr(self, self._testMethodName, _run_on_test_loop(method))
        if not skipped:
            try:
                self._pre_setup()
            except Exception:
                if debug:
                    raise
                result.addError(self, sys.exc_info())
                return
        if debug:
            super().debug()
        else:
            super().__call__(result)
        if not skipped:
            try:
                self._post_teardown()
            except Exception:
                if debug:
                    raise
                result.addError(self, sys.exc_info())

    def _pre_setup(self) -> None:
        """Make a fresh ``client`` and ``async_client`` for the test."""
        self.client = self.client_class()
        self.async_client = self.async_client_class()

    def _post_teardown(self) -> None:
        """Clean up after the test; nothing to do without a database."""

    def settings(self, **kwargs: Any) -> override_settings:
        """Return a context manager that overrides settings, as ``override_settings``."""
        return override_settings(**kwargs)

    def modify_settings(self, **kwargs: Any) -> modify_settings:
        """Return a context manager that edits list settings, as ``modify_settings``."""
        return modify_settings(**kwargs)

    # -- redirects and URLs ----------------------------------------------------

    def assertRedirects(
        self,
        response: Any,
        expected_url: Any,
        status_code: int = 302,
        target_status_code: int = 200,
        msg_prefix: str = "",
        fetch_redirect_response: bool = True,
    ) -> None:
        """Assert that ``response`` redirected to ``expected_url``, and that page loads.

        For a response fetched with ``follow=True`` the whole chain is checked: its
        first status is ``status_code`` and the final response has
        ``target_status_code``.
        """
        if msg_prefix:
            msg_prefix += ": "
        if hasattr(response, "redirect_chain"):
            self.assertTrue(
                response.redirect_chain,
                msg_prefix + "Response didn't redirect as expected: Response code was "
                f"{response.status_code} (expected {status_code})",
            )
            self.assertEqual(
                response.redirect_chain[0][1],
                status_code,
                msg_prefix + "Initial response didn't redirect as expected: Response code was "
                f"{response.redirect_chain[0][1]} (expected {status_code})",
            )
            url, status_code = response.redirect_chain[-1]
            self.assertEqual(
                response.status_code,
                target_status_code,
                msg_prefix + "Response didn't redirect as expected: Final Response code was "
                f"{response.status_code} (expected {target_status_code})",
            )
        else:
            self.assertEqual(
                response.status_code,
                status_code,
                msg_prefix + "Response didn't redirect as expected: Response code was "
                f"{response.status_code} (expected {status_code})",
            )
            url = getattr(response, "url", None) or response["Location"]
            scheme, netloc, path, query, _ = urlsplit(url)
            if not path.startswith("/"):
                # A relative redirect: resolve it against the request's path.
                request_path = _request_path(response)
                url = urljoin(request_path, url)
                path = urljoin(request_path, path)
            if fetch_redirect_response:
                self._fetch_redirect(
                    response, url, scheme, netloc, path, query, target_status_code, msg_prefix
                )
        self.assertURLEqual(
            url,
            expected_url,
            msg_prefix + f"Response redirected to '{url}', expected '{expected_url}'",
        )

    def _fetch_redirect(
        self,
        response: Any,
        url: str,
        scheme: str,
        netloc: str,
        path: str,
        query: str,
        target_status_code: int,
        msg_prefix: str,
    ) -> None:
        from fastjango.http import QueryDict
        from fastjango.http.request import split_domain_port, validate_host

        # An empty netloc, or one of ALLOWED_HOSTS, is served by this project.
        domain, _port = split_domain_port(netloc)
        if domain and not validate_host(domain, settings.ALLOWED_HOSTS):
            raise ValueError(
                f"The test client is unable to fetch remote URLs (got {url}). If the host is "
                f"served by FastJango, add '{domain}' to ALLOWED_HOSTS. Otherwise, use "
                "assertRedirects(..., fetch_redirect_response=False)."
            )
        client = response.client
        if isinstance(client, AsyncClient):
            # This assertion is sync: fetch with a sync client holding the same cookies.
            sync_client = Client()
            sync_client.cookies = client.cookies
            client = sync_client
        redirect_response = client.get(
            path,
            QueryDict(query),
            secure=(scheme == "https"),
            headers=getattr(client, "headers", None) or {},
            **(getattr(client, "extra", None) or {}),
        )
        self.assertEqual(
            redirect_response.status_code,
            target_status_code,
            msg_prefix + f"Couldn't retrieve redirection page '{path}': response code was "
            f"{redirect_response.status_code} (expected {target_status_code})",
        )

    def assertURLEqual(self, url1: Any, url2: Any, msg_prefix: str = "") -> None:
        """Assert two URLs are the same, up to the order of their query parameters."""

        def normalize(url: Any) -> str:
            scheme, netloc, path, params, query, fragment = urlparse(str(url))
            query_parts = sorted(parse_qsl(query))
            return urlunparse((scheme, netloc, path, params, urlencode(query_parts), fragment))

        if msg_prefix:
            msg_prefix += ": "
        self.assertEqual(
            normalize(url1), normalize(url2), msg_prefix + f"Expected '{url1}' to equal '{url2}'."
        )

    # -- content -----------------------------------------------------------------

    def _assert_contains(
        self, response: Any, text: Any, status_code: int, msg_prefix: str, html: bool
    ) -> tuple[str, int, str, str]:
        # A TemplateResponse not rendered yet (e.g. from RequestFactory) is rendered now.
        render = getattr(response, "render", None)
        if callable(render) and not getattr(response, "is_rendered", True):
            render()
        if msg_prefix:
            msg_prefix += ": "
        self.assertEqual(
            response.status_code,
            status_code,
            msg_prefix + f"Couldn't retrieve content: Response code was {response.status_code} "
            f"(expected {status_code})",
        )
        if getattr(response, "streaming", False):
            content: Any = b"".join(response.streaming_content)
        else:
            content = response.content
        if not isinstance(text, bytes) or html:
            text = str(text)
            content = content.decode(response.charset)
            text_repr = f"'{text}'"
        else:
            text_repr = repr(text)
        content_repr = _safe_repr(content)
        if html:
            content = self._parse(content, None, "Response's content is not valid HTML:")
            text = self._parse(text, None, "Second argument is not valid HTML:")
        return text_repr, content.count(text), msg_prefix, content_repr

    def assertContains(
        self,
        response: Any,
        text: Any,
        count: int | None = None,
        status_code: int = 200,
        msg_prefix: str = "",
        html: bool = False,
    ) -> None:
        """Assert the response has ``status_code`` and contains ``text`` (``count`` times).

        With ``html=True`` both are compared as HTML (see ``assertHTMLEqual``).
        """
        text_repr, real_count, msg_prefix, content_repr = self._assert_contains(
            response, text, status_code, msg_prefix, html
        )
        if count is not None:
            self.assertEqual(
                real_count,
                count,
                f"{msg_prefix}Found {real_count} instances of {text_repr} (expected {count}) "
                f"in the following response\n{content_repr}",
            )
        else:
            self.assertTrue(
                real_count != 0,
                f"{msg_prefix}Couldn't find {text_repr} in the following response\n{content_repr}",
            )

    def assertNotContains(
        self,
        response: Any,
        text: Any,
        status_code: int = 200,
        msg_prefix: str = "",
        html: bool = False,
    ) -> None:
        """Assert the response has ``status_code`` and does not contain ``text``."""
        text_repr, real_count, msg_prefix, content_repr = self._assert_contains(
            response, text, status_code, msg_prefix, html
        )
        self.assertEqual(
            real_count,
            0,
            f"{msg_prefix}{text_repr} unexpectedly found in the following response\n{content_repr}",
        )

    # -- HTML and JSON -----------------------------------------------------------

    def _parse(self, text: Any, user_msg: str | None, msg: str) -> Element:
        try:
            return parse_html(text)
        except HTMLParseError as exc:
            self.fail(self._formatMessage(user_msg, f"{msg}\n{exc}"))

    def assertHTMLEqual(self, html1: Any, html2: Any, msg: str | None = None) -> None:
        """Assert two HTML snippets mean the same: whitespace and attribute order don't count."""
        dom1 = self._parse(html1, msg, "First argument is not valid HTML:")
        dom2 = self._parse(html2, msg, "Second argument is not valid HTML:")
        if dom1 != dom2:
            standard = f"{_safe_repr(dom1)} != {_safe_repr(dom2)}"
            diff = "\n" + "\n".join(difflib.ndiff(str(dom1).splitlines(), str(dom2).splitlines()))
            self.fail(self._formatMessage(msg, standard + diff))

    def assertHTMLNotEqual(self, html1: Any, html2: Any, msg: str | None = None) -> None:
        """Assert two HTML snippets do not mean the same."""
        dom1 = self._parse(html1, msg, "First argument is not valid HTML:")
        dom2 = self._parse(html2, msg, "Second argument is not valid HTML:")
        if dom1 == dom2:
            self.fail(self._formatMessage(msg, f"{_safe_repr(dom1)} == {_safe_repr(dom2)}"))

    def assertInHTML(
        self, needle: Any, haystack: Any, count: int | None = None, msg_prefix: str = ""
    ) -> None:
        """Assert the HTML ``needle`` occurs in ``haystack`` (``count`` times), as HTML."""
        parsed_needle = self._parse(needle, None, "First argument is not valid HTML:")
        parsed_haystack = self._parse(haystack, None, "Second argument is not valid HTML:")
        real_count = parsed_haystack.count(parsed_needle)
        if msg_prefix:
            msg_prefix += ": "
        haystack_repr = _safe_repr(haystack)
        if count is not None:
            if count == 0:
                message = f"{needle} unexpectedly found in the following response\n{haystack_repr}"
            else:
                message = (
                    f"Found {real_count} instances of '{needle}' (expected {count}) in the "
                    f"following response\n{haystack_repr}"
                )
            self.assertEqual(real_count, count, msg_prefix + message)
        else:
            self.assertTrue(
                real_count != 0,
                msg_prefix + f"Couldn't find '{needle}' in the following response\n{haystack_repr}",
            )

    def assertNotInHTML(self, needle: Any, haystack: Any, msg_prefix: str = "") -> None:
        """Assert the HTML ``needle`` does not occur in ``haystack``."""
        self.assertInHTML(needle, haystack, count=0, msg_prefix=msg_prefix)

    def assertJSONEqual(self, raw: str | bytes, expected_data: Any, msg: str | None = None) -> None:
        """Assert the JSON text ``raw`` equals ``expected_data`` (given as data or JSON)."""
        data = self._load_json(raw, "First argument is not valid JSON: ")
        if isinstance(expected_data, str | bytes):
            expected_data = self._load_json(expected_data, "Second argument is not valid JSON: ")
        self.assertEqual(data, expected_data, msg=msg)

    def assertJSONNotEqual(
        self, raw: str | bytes, expected_data: Any, msg: str | None = None
    ) -> None:
        """Assert the JSON text ``raw`` differs from ``expected_data`` (given as data or JSON)."""
        data = self._load_json(raw, "First argument is not valid JSON: ")
        if isinstance(expected_data, str | bytes):
            expected_data = self._load_json(expected_data, "Second argument is not valid JSON: ")
        self.assertNotEqual(data, expected_data, msg=msg)

    def _load_json(self, text: str | bytes, message: str) -> Any:
        try:
            return json.loads(text)
        except ValueError:
            self.fail(f"{message}{text!r}")

    # -- templates ---------------------------------------------------------------

    def _template_names(self, response: Any, method_name: str) -> list[str]:
        if not hasattr(response, "templates"):
            raise ValueError(
                f"{method_name}() is only usable on responses fetched using the test Client."
            )
        return [t.name for t in response.templates if getattr(t, "name", None) is not None]

    def assertTemplateUsed(
        self,
        response: Any = None,
        template_name: str | None = None,
        msg_prefix: str = "",
        count: int | None = None,
    ) -> Any:
        """Assert ``template_name`` was rendered for ``response`` (``count`` times).

        Without a response (``with self.assertTemplateUsed("a.html"):``) it checks the
        templates rendered inside the block.
        """
        if response is None and template_name is None:
            raise TypeError("response and/or template_name argument must be provided")
        if template_name is None or response is None:
            return _TemplateUsedContext(self, template_name or response, msg_prefix, count)
        names = self._template_names(response, "assertTemplateUsed")
        _assert_template_used(self, template_name, names, msg_prefix, count)
        return None

    def assertTemplateNotUsed(
        self, response: Any = None, template_name: str | None = None, msg_prefix: str = ""
    ) -> Any:
        """Assert ``template_name`` was not rendered for ``response`` (or inside the block)."""
        if response is None and template_name is None:
            raise TypeError("response and/or template_name argument must be provided")
        if template_name is None or response is None:
            return _TemplateNotUsedContext(self, template_name or response, msg_prefix, None)
        names = self._template_names(response, "assertTemplateNotUsed")
        _assert_template_not_used(self, template_name, names, msg_prefix)
        return None

    # -- exceptions and warnings -------------------------------------------------

    @contextmanager
    def _raises_or_warns(
        self, method: Callable[..., Any], attribute: str, expected: Any, message: str
    ) -> Iterator[Any]:
        with method(expected) as cm:
            yield cm
        self.assertIn(message, str(getattr(cm, attribute)))

    def assertRaisesMessage(
        self,
        expected_exception: type[BaseException],
        expected_message: str,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        """Assert the block (or callable) raises ``expected_exception`` with the message in it.

        Use as a context manager, or pass a callable and its arguments.
        """
        return self._message_assertion(
            self.assertRaises, "exception", expected_exception, expected_message, args, kwargs
        )

    def assertWarnsMessage(
        self, expected_warning: type[Warning], expected_message: str, *args: Any, **kwargs: Any
    ) -> Any:
        """Assert the block (or callable) warns ``expected_warning`` with the message in it."""
        return self._message_assertion(
            self.assertWarns, "warning", expected_warning, expected_message, args, kwargs
        )

    def _message_assertion(
        self,
        method: Callable[..., Any],
        attribute: str,
        expected: Any,
        message: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> Any:
        cm = self._raises_or_warns(method, attribute, expected, message)
        if not args:
            return cm
        callable_obj, *rest = args
        with cm:
            callable_obj(*rest, **kwargs)
        return None


def _request_path(response: Any) -> str:
    request = getattr(response, "request", None) or {}
    if "PATH_INFO" in request:
        return str(request["PATH_INFO"])
    return str(request.get("path", "/"))


def _assert_template_used(
    case: unittest.TestCase, name: Any, names: list[str], msg_prefix: str, count: int | None
) -> None:
    if msg_prefix:
        msg_prefix += ": "
    if not names:
        case.fail(msg_prefix + "No templates used to render the response")
    case.assertTrue(
        name in names,
        msg_prefix + f"Template '{name}' was not a template used to render the response. "
        f"Actual template(s) used: {', '.join(names)}",
    )
    if count is not None:
        case.assertEqual(
            names.count(name),
            count,
            msg_prefix + f"Template '{name}' was expected to be rendered {count} time(s) but was "
            f"actually rendered {names.count(name)} time(s).",
        )


def _assert_template_not_used(
    case: unittest.TestCase, name: Any, names: list[str], msg_prefix: str
) -> None:
    if msg_prefix:
        msg_prefix += ": "
    case.assertFalse(
        name in names,
        msg_prefix + f"Template '{name}' was used unexpectedly in rendering the response",
    )


class _TemplateUsedContext:
    """``with self.assertTemplateUsed(name):`` records the templates rendered in the block."""

    def __init__(
        self, case: unittest.TestCase, template_name: Any, msg_prefix: str, count: int | None
    ) -> None:
        self.case = case
        self.template_name = template_name
        self.msg_prefix = msg_prefix
        self.count = count
        self.rendered_template_names: list[str] = []
        self._uid = f"fastjango.test.template-used-{id(self)}"

    def on_template_render(self, sender: Any, **kwargs: Any) -> None:
        name = getattr(kwargs.get("template"), "name", None)
        if name is not None:
            self.rendered_template_names.append(name)

    def test(self) -> None:
        _assert_template_used(
            self.case, self.template_name, self.rendered_template_names, self.msg_prefix, self.count
        )

    def __enter__(self) -> _TemplateUsedContext:
        from fastjango.test.signals import template_rendered

        template_rendered.connect(self.on_template_render, weak=False, dispatch_uid=self._uid)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
        from fastjango.test.signals import template_rendered

        template_rendered.disconnect(dispatch_uid=self._uid)
        if exc_type is not None:
            return  # the block's own error is what the test reports
        self.test()


class _TemplateNotUsedContext(_TemplateUsedContext):
    def test(self) -> None:
        _assert_template_not_used(
            self.case, self.template_name, self.rendered_template_names, self.msg_prefix
        )


# -- database test cases -------------------------------------------------------------


def _database_failure(cls: type) -> Callable[[str], Exception]:
    name = f"{cls.__module__}.{cls.__qualname__}"

    def failure(alias: str) -> Exception:
        if issubclass(cls, TransactionTestCase):
            message = (
                f"Database queries to {alias!r} are not allowed in this test. Add {alias!r} "
                f"to {name}.databases to ensure proper test isolation and silence this failure."
            )
        else:
            message = (
                f"Database queries to {alias!r} are not allowed in SimpleTestCase subclasses. "
                "Either subclass TestCase or TransactionTestCase to ensure proper test "
                f"isolation or add {alias!r} to {name}.databases to silence this failure."
            )
        return DatabaseOperationForbidden(message)

    return failure


class _AssertNumQueriesContext(CaptureQueriesContext):
    def __init__(self, test_case: unittest.TestCase, num: int, connection: Any) -> None:
        self.test_case = test_case
        self.num = num
        super().__init__(connection)

    def __exit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
        super().__exit__(exc_type, *exc_info)
        if exc_type is not None:
            return
        executed = len(self)
        listing = "\n".join(
            f"{number}. {query['sql']}"
            for number, query in enumerate(self.captured_queries, start=1)
        )
        self.test_case.assertEqual(
            executed,
            self.num,
            f"{executed} queries executed, {self.num} expected\nCaptured queries were:\n{listing}",
        )


class TransactionTestCase(SimpleTestCase):
    """A test case that may use the databases in ``databases``; they are emptied after each test.

    Each test may commit: afterwards every table of the models is emptied (in
    an order foreign keys allow), and ``post_migrate`` is sent again, as Django
    does. ``fixtures`` are loaded before each test, ``reset_sequences`` makes
    primary keys start at 1, ``serialized_rollback`` reloads the rows the test
    database had after migrating (when the run saved them: the pytest plugin
    does for the test cases that ask), and ``available_apps`` narrows the app
    registry and the emptying to those apps.
    """

    databases: ClassVar[set[str] | frozenset[str] | str] = {DEFAULT_DB_ALIAS}
    reset_sequences: ClassVar[bool] = False
    available_apps: ClassVar[list[str] | None] = None
    fixtures: ClassVar[list[str] | None] = None
    serialized_rollback: ClassVar[bool] = False

    @classmethod
    def _databases_names(cls, include_mirrors: bool = True) -> list[str]:
        """Return the aliases the tests use, in ``DATABASES`` order (mirrors optional).

        The dummy backend (no ``DATABASES`` at all) has nothing to set up.
        """
        settings_dicts = connections.settings
        return [
            alias
            for alias in settings_dicts
            if alias in cls.databases
            and (include_mirrors or not settings_dicts[alias]["TEST"].get("MIRROR"))
            and not str(settings_dicts[alias]["ENGINE"]).endswith(".dummy")
        ]

    def _pre_setup(self) -> None:
        super()._pre_setup()
        if self.available_apps is not None:
            _databases.set_available_apps(self.available_apps)
        try:
            self._fixture_setup()
        except Exception:
            if self.available_apps is not None:
                _databases.unset_available_apps()
            raise
        # A long test run would overflow the query log and break assertNumQueries().
        for alias in self._databases_names(include_mirrors=False):
            connections[alias].queries_log.clear()

    def _fixture_setup(self) -> None:
        labels = _databases.app_labels(self.available_apps)
        for alias in self._databases_names(include_mirrors=False):
            _databases.start_transactional_test(
                alias,
                labels,
                reset=self.reset_sequences,
                restore=self.serialized_rollback,
                fixtures=self.fixtures,
            )

    def _post_teardown(self) -> None:
        try:
            self._fixture_teardown()
            super()._post_teardown()
        finally:
            if self.available_apps is not None:
                _databases.unset_available_apps()

    def _fixture_teardown(self) -> None:
        labels = _databases.app_labels(self.available_apps)
        for alias in self._databases_names(include_mirrors=False):
            _databases.end_transactional_test(alias, labels, restore=self.serialized_rollback)

    def assertQuerySetEqual(
        self,
        qs: Any,
        values: Any,
        transform: Callable[[Any], Any] | None = None,
        ordered: bool = True,
        msg: str | None = None,
    ) -> None:
        """Assert the queryset (or any iterable) holds ``values``, after ``transform``.

        With ``ordered=False`` the order doesn't count. Comparing an unordered
        queryset with more than one value in order raises ValueError.
        """
        values = list(values)
        items = qs if transform is None else map(transform, qs)
        if not ordered:
            self.assertDictEqual(Counter(items), Counter(values), msg=msg)
            return
        if len(values) > 1 and hasattr(qs, "ordered") and not qs.ordered:
            raise ValueError(
                "Trying to compare non-ordered queryset against more than one ordered value."
            )
        self.assertEqual(list(items), values, msg=msg)

    def assertNumQueries(
        self,
        num: int,
        func: Callable[..., Any] | None = None,
        *args: Any,
        using: str = DEFAULT_DB_ALIAS,
        **kwargs: Any,
    ) -> Any:
        """Assert that ``num`` statements run on ``using`` in the block (or the call).

        Use ``with`` (or ``async with``), or pass a callable and its arguments.
        On failure the message lists the statements. Transaction statements
        (``SAVEPOINT``, ``RELEASE``, ...) count, as in Django 4.2+.
        """
        context = _AssertNumQueriesContext(self, num, connections[using])
        if func is None:
            return context
        with context:
            func(*args, **kwargs)
        return None


class TestData:
    """A class attribute set in ``setUpTestData()``: each test gets its own deep copy.

    A test may change the object it reads without the next test noticing,
    as in Django 3.2+.
    """

    __test__ = False  # not a test class, whatever pytest thinks of the name
    memo_attr = "_fastjango_testdata_memo"

    def __init__(self, name: str, data: Any) -> None:
        self.name = name
        self.data = data

    def get_memo(self, testcase: unittest.TestCase) -> dict[int, Any]:
        """Return the deep-copy memo of ``testcase`` (shared objects stay shared)."""
        try:
            memo: dict[int, Any] = getattr(testcase, self.memo_attr)
        except AttributeError:
            memo = {}
            setattr(testcase, self.memo_attr, memo)
        return memo

    def __get__(self, instance: Any, owner: type) -> Any:
        if instance is None:
            return self.data
        data = deepcopy(self.data, self.get_memo(instance))
        setattr(instance, self.name, data)
        return data

    def __repr__(self) -> str:
        return f"<TestData: name={self.name!r}, data={self.data!r}>"


class TestCase(TransactionTestCase):
    """A test case whose tests each run in a transaction that is rolled back.

    The class runs in a transaction too: ``setUpTestData()`` (and ``fixtures``)
    fill the database once for all its tests, and each test gets a savepoint.
    Class attributes set in ``setUpTestData()`` are deep-copied for each test.
    Sync and async tests, and the views the test client calls, all see the
    same transaction. Deferred foreign keys are checked at the end of each test.
    """

    cls_atomics: ClassVar[dict[str, Any]]
    atomics: dict[str, Any]

    @classmethod
    def _enter_atomics(cls) -> dict[str, Any]:
        from fastjango.test._transaction import TestTransaction

        atomics: dict[str, Any] = {}
        try:
            for alias in cls._databases_names(include_mirrors=False):
                atomics[alias] = TestTransaction(alias)
        except BaseException:
            cls._rollback_atomics(atomics)
            raise
        return atomics

    @classmethod
    def _rollback_atomics(cls, atomics: dict[str, Any]) -> None:
        for tx in reversed(list(atomics.values())):
            tx.rollback()

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.cls_atomics = cls._enter_atomics()
        pre_attrs = cls.__dict__.copy()
        try:
            if cls.fixtures:
                for alias in cls._databases_names(include_mirrors=False):
                    _databases.load_fixtures(cls.fixtures, alias)
            cls.setUpTestData()
        except Exception:
            cls._rollback_atomics(cls.cls_atomics)
            raise
        for name, value in list(cls.__dict__.items()):
            if value is not pre_attrs.get(name):
                setattr(cls, name, TestData(name, value))

    @classmethod
    def tearDownClass(cls) -> None:
        atomics = cls.__dict__.get("cls_atomics")
        if atomics is not None:
            del cls.cls_atomics
            cls._rollback_atomics(atomics)
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls) -> None:
        """Load the data every test of the class starts with (once per class)."""

    def _fixture_setup(self) -> None:
        if self.reset_sequences:
            raise TypeError("reset_sequences cannot be used on TestCase instances")
        self.atomics = self._enter_atomics()
        if "cls_atomics" not in type(self).__dict__ and self.fixtures:
            # Run without setUpClass (a single test called directly): load them here.
            for alias in self._databases_names(include_mirrors=False):
                _databases.load_fixtures(self.fixtures, alias)

    def _fixture_teardown(self) -> None:
        try:
            for alias in reversed(self._databases_names(include_mirrors=False)):
                tx = self.atomics.get(alias)
                if tx is not None and not tx.needs_rollback:
                    _databases.check_constraints(alias)
        finally:
            self._rollback_atomics(self.atomics)

    @classmethod
    def captureOnCommitCallbacks(
        cls, *, using: str = DEFAULT_DB_ALIAS, execute: bool = False
    ) -> Any:
        """Collect the ``on_commit()`` callbacks registered in the block, and run them if asked.

        ``with self.captureOnCommitCallbacks(execute=True) as callbacks:``; use
        ``async with`` when callbacks are async.
        """
        from fastjango.test._transaction import CaptureOnCommitCallbacks

        return CaptureOnCommitCallbacks(using, execute)
