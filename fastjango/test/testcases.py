"""``SimpleTestCase``: Django's unittest base class and its assertions."""

from __future__ import annotations

import json
import unittest
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from fastjango.test.client import AsyncClient, Client
from fastjango.test.utils import modify_settings, override_settings

__all__ = ["SimpleTestCase"]


class SimpleTestCase(unittest.TestCase):
    """A test case with a test client and Django's HTTP and template assertions.

    ``databases`` is accepted for compatibility; database test cases come with the ORM.
    """

    client_class: ClassVar[type[Client]] = Client
    async_client_class: ClassVar[type[AsyncClient]] = AsyncClient
    databases: ClassVar[set[str] | str] = set()
    client: Client
    async_client: AsyncClient

    def _pre_setup(self) -> None:
        self.client = self.client_class()
        self.async_client = self.async_client_class()

    def __call__(self, result: Any = None) -> Any:
        self._pre_setup()
        return super().__call__(result)

    def settings(self, **kwargs: Any) -> override_settings:
        """Return a context manager that overrides settings, as ``override_settings``."""
        return override_settings(**kwargs)

    def modify_settings(self, **kwargs: Any) -> modify_settings:
        """Return a context manager that edits list settings, as ``modify_settings``."""
        return modify_settings(**kwargs)

    # -- responses -------------------------------------------------------------

    def assertRedirects(
        self,
        response: Any,
        expected_url: str,
        status_code: int = 302,
        target_status_code: int = 200,
        msg_prefix: str = "",
        fetch_redirect_response: bool = True,
    ) -> None:
        """Assert that ``response`` redirected to ``expected_url`` with ``status_code``."""
        prefix = f"{msg_prefix}: " if msg_prefix else ""
        chain = getattr(response, "redirect_chain", [])
        if chain:
            url, first_status = chain[-1]
            self.assertEqual(
                chain[0][1],
                status_code,
                f"{prefix}Initial response didn't redirect as expected: Response code was "
                f"{chain[0][1]} (expected {status_code})",
            )
            self.assertEqual(
                response.status_code,
                target_status_code,
                f"{prefix}Response didn't redirect as expected: Final Response code was "
                f"{response.status_code} (expected {target_status_code})",
            )
            del first_status
        else:
            self.assertEqual(
                response.status_code,
                status_code,
                f"{prefix}Response didn't redirect as expected: Response code was "
                f"{response.status_code} (expected {status_code})",
            )
            url = response["Location"]
            if fetch_redirect_response:
                from urllib.parse import urlsplit

                parts = urlsplit(url)
                if parts.netloc and parts.netloc != "testserver":
                    raise ValueError(
                        f"The test client is unable to fetch remote URLs (got {url}). If the "
                        "host is served by FastJango, add 'SERVER_NAME' to the request's extra "
                        "arguments. Otherwise, use assertRedirects(..., "
                        "fetch_redirect_response=False)."
                    )
                redirect = response.client.get(
                    parts.path or "/", dict(_parse_qsl(parts.query)), secure=parts.scheme == "https"
                )
                self.assertEqual(
                    redirect.status_code,
                    target_status_code,
                    f"{prefix}Couldn't retrieve redirection page '{parts.path}': response code "
                    f"was {redirect.status_code} (expected {target_status_code})",
                )
        self.assertURLEqual(
            url,
            expected_url,
            f"{prefix}Response redirected to '{url}', expected '{expected_url}'",
        )

    def assertURLEqual(self, url1: str, url2: str, msg_prefix: str = "") -> None:
        """Assert two URLs are equal, ignoring the order of query parameters."""
        from urllib.parse import urlsplit

        def normalize(url: str) -> tuple[Any, ...]:
            parts = urlsplit(str(url))
            return (parts.scheme, parts.netloc, parts.path, sorted(_parse_qsl(parts.query)))

        self.assertEqual(normalize(url1), normalize(url2), msg_prefix or None)

    def _content(self, response: Any, text: str | bytes, html: bool) -> tuple[str, str]:
        if getattr(response, "render", None) is not None and not getattr(
            response, "is_rendered", True
        ):
            response.render()
        if getattr(response, "streaming", False):
            content = b"".join(response.streaming_content)
        else:
            content = response.content
        if isinstance(text, bytes):
            return content.decode("latin-1"), text.decode("latin-1")
        return content.decode(response.charset), str(text)

    def assertContains(
        self,
        response: Any,
        text: str | bytes,
        count: int | None = None,
        status_code: int = 200,
        msg_prefix: str = "",
        html: bool = False,
    ) -> None:
        """Assert the response has ``status_code`` and contains ``text`` (``count`` times)."""
        prefix = f"{msg_prefix}: " if msg_prefix else ""
        self.assertEqual(
            response.status_code,
            status_code,
            f"{prefix}Couldn't retrieve content: Response code was {response.status_code} "
            f"(expected {status_code})",
        )
        content, needle = self._content(response, text, html)
        real_count = content.count(needle)
        if count is not None:
            self.assertEqual(
                real_count,
                count,
                f"{prefix}Found {real_count} instances of {needle!r} (expected {count}) in the "
                "following response\n" + repr(content),
            )
        else:
            self.assertTrue(
                real_count != 0,
                f"{prefix}Couldn't find {needle!r} in the following response\n{content!r}",
            )

    def assertNotContains(
        self,
        response: Any,
        text: str | bytes,
        status_code: int = 200,
        msg_prefix: str = "",
        html: bool = False,
    ) -> None:
        """Assert the response has ``status_code`` and does not contain ``text``."""
        prefix = f"{msg_prefix}: " if msg_prefix else ""
        self.assertEqual(
            response.status_code,
            status_code,
            f"{prefix}Couldn't retrieve content: Response code was {response.status_code} "
            f"(expected {status_code})",
        )
        content, needle = self._content(response, text, html)
        self.assertEqual(
            content.count(needle),
            0,
            f"{prefix}{needle!r} unexpectedly found in the following response\n{content!r}",
        )

    def _template_names(self, response: Any) -> list[str]:
        return [
            getattr(t, "name", None) or getattr(t, "template_name", "") or str(t)
            for t in getattr(response, "templates", [])
        ]

    def assertTemplateUsed(
        self,
        response: Any = None,
        template_name: str | None = None,
        msg_prefix: str = "",
        count: int | None = None,
    ) -> Any:
        """Assert ``template_name`` was rendered for ``response`` (``count`` times)."""
        if template_name is None and isinstance(response, str):
            template_name, response = response, None
        if response is None:
            return self._capture_templates(template_name, count, used=True)
        names = self._template_names(response)
        prefix = f"{msg_prefix}: " if msg_prefix else ""
        self.assertTrue(
            template_name in names,
            f"{prefix}Template '{template_name}' was not a template used to render the "
            f"response. Actual template(s) used: {', '.join(names) or 'None'}",
        )
        if count is not None:
            self.assertEqual(
                names.count(template_name),
                count,
                f"{prefix}Template '{template_name}' was expected to be rendered {count} "
                f"time(s) but was actually rendered {names.count(template_name)} time(s).",
            )
        return None

    def assertTemplateNotUsed(
        self, response: Any = None, template_name: str | None = None, msg_prefix: str = ""
    ) -> Any:
        """Assert ``template_name`` was not rendered for ``response``."""
        if template_name is None and isinstance(response, str):
            template_name, response = response, None
        if response is None:
            return self._capture_templates(template_name, None, used=False)
        prefix = f"{msg_prefix}: " if msg_prefix else ""
        self.assertFalse(
            template_name in self._template_names(response),
            f"{prefix}Template '{template_name}' was used unexpectedly in rendering the response",
        )
        return None

    @contextmanager
    def _capture_templates(
        self, template_name: str | None, count: int | None, used: bool
    ) -> Iterator[None]:
        from fastjango.test.signals import template_rendered

        rendered: list[Any] = []

        def receiver(sender: Any, **kwargs: Any) -> None:
            rendered.append(kwargs.get("template"))

        template_signal: Any = template_rendered
        template_signal.connect(receiver, weak=False, dispatch_uid=f"capture-{id(rendered)}")
        try:
            yield
        finally:
            template_signal.disconnect(dispatch_uid=f"capture-{id(rendered)}")

        class _Rendered:
            templates = rendered

        if used:
            self.assertTemplateUsed(_Rendered(), template_name, count=count)
        else:
            self.assertTemplateNotUsed(_Rendered(), template_name)

    def assertJSONEqual(self, raw: str | bytes, expected_data: Any, msg: str | None = None) -> None:
        """Assert that the JSON text ``raw`` equals ``expected_data`` (given as data or JSON)."""
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            self.fail(f"First argument is not valid JSON: {raw!r}")
        if isinstance(expected_data, str | bytes):
            try:
                expected_data = json.loads(expected_data)
            except ValueError:
                self.fail(f"Second argument is not valid JSON: {expected_data!r}")
        self.assertEqual(data, expected_data, msg=msg)

    def assertJSONNotEqual(
        self, raw: str | bytes, expected_data: Any, msg: str | None = None
    ) -> None:
        """Assert that the JSON text ``raw`` differs from ``expected_data``."""
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            self.fail(f"First argument is not valid JSON: {raw!r}")
        if isinstance(expected_data, str | bytes):
            expected_data = json.loads(expected_data)
        self.assertNotEqual(data, expected_data, msg=msg)

    @contextmanager
    def assertRaisesMessage(
        self, expected_exception: type[BaseException], expected_message: str
    ) -> Iterator[None]:
        """Assert the block raises ``expected_exception`` whose message contains the text."""
        with self.assertRaises(expected_exception) as cm:
            yield
        self.assertIn(expected_message, str(cm.exception))


def _parse_qsl(query: str) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(query, keep_blank_values=True)
