"""Test helpers: ``override_settings``, ``modify_settings``, query capture, test databases."""

from __future__ import annotations

import functools
import inspect
import unittest
from collections.abc import Callable
from typing import Any, TypeVar

from fastjango.apps import apps
from fastjango.conf import UserSettingsHolder, settings
from fastjango.core.signals import setting_changed

__all__ = [
    "CaptureQueriesContext",
    "TestContextDecorator",
    "modify_settings",
    "override_settings",
    "setup_databases",
    "setup_test_environment",
    "teardown_databases",
    "teardown_test_environment",
]

T = TypeVar("T")

# Class attributes kept on decorated test classes.
_CLASS_DECORATORS = "_fastjango_class_decorators"
_ACTIVE = "_fastjango_active_decorators"
_TEARING_DOWN = "_fastjango_tearing_down"
_WRAPPED_TEST = "_fastjango_class_decorated"


class TestContextDecorator:
    """A context manager that also decorates functions, coroutines and test classes.

    On a ``unittest.TestCase`` subclass it is on from ``setUpClass`` to
    ``tearDownClass``; on any other class (a pytest class) it is on around each
    ``test*`` method. ``attr_name`` names a class attribute, and ``kwarg_name`` a
    keyword argument of a decorated function, that receive what ``enable()``
    returns.
    """

    # Not a test class, though pytest would collect it by its name when imported.
    __test__ = False

    # Class decorators are turned on in this order, whatever order they were
    # stacked in: settings are overridden before modify_settings edits them.
    class_enable_order = 0

    def __init__(self, attr_name: str | None = None, kwarg_name: str | None = None) -> None:
        self.attr_name = attr_name
        self.kwarg_name = kwarg_name

    def enable(self) -> Any:
        """Turn the change on and return what ``with ... as`` binds; subclasses must."""
        raise NotImplementedError("subclasses of TestContextDecorator must provide enable()")

    def disable(self) -> None:
        """Undo ``enable()``; subclasses must."""
        raise NotImplementedError("subclasses of TestContextDecorator must provide disable()")

    def __enter__(self) -> Any:
        return self.enable()

    def __exit__(self, *exc_info: object) -> None:
        self.disable()

    def decorate_class(self, cls: type[T]) -> type[T]:
        """Apply to every test of ``cls`` (see the class docstring) and return ``cls``."""
        # Stored on the class itself: a subclass starts from its parent's list.
        setattr(cls, _CLASS_DECORATORS, [*getattr(cls, _CLASS_DECORATORS, ()), self])
        if issubclass(cls, unittest.TestCase):
            _hook_unittest_class(cls)
        else:
            _wrap_test_methods(cls)
        return cls

    def decorate_callable(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap a function or coroutine function so it runs with this change on."""
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_inner(*args: Any, **kwargs: Any) -> Any:
                with self as context:
                    if self.kwarg_name:
                        kwargs[self.kwarg_name] = context
                    return await func(*args, **kwargs)

            return async_inner

        @functools.wraps(func)
        def inner(*args: Any, **kwargs: Any) -> Any:
            with self as context:
                if self.kwarg_name:
                    kwargs[self.kwarg_name] = context
                return func(*args, **kwargs)

        return inner

    def __call__(self, decorated: Any) -> Any:
        if isinstance(decorated, type):
            return self.decorate_class(decorated)
        if callable(decorated):
            return self.decorate_callable(decorated)
        raise TypeError(f"Cannot decorate object of type {type(decorated)}")


def _enable_class_decorators(cls: type) -> list[TestContextDecorator]:
    decorators: list[TestContextDecorator] = getattr(cls, _CLASS_DECORATORS)
    enabled: list[TestContextDecorator] = []
    try:
        for decorator in sorted(decorators, key=lambda d: d.class_enable_order):
            context = decorator.enable()
            enabled.append(decorator)
            if decorator.attr_name is not None:
                setattr(cls, decorator.attr_name, context)
    except BaseException:
        _disable_class_decorators(enabled)
        raise
    return enabled


def _disable_class_decorators(enabled: list[TestContextDecorator]) -> None:
    # Undo all of them, newest first, even if one fails; then raise the first error.
    error: BaseException | None = None
    for decorator in reversed(enabled):
        try:
            decorator.disable()
        except BaseException as exc:
            error = error or exc
    if error is not None:
        raise error


def _hook_unittest_class(cls: type[unittest.TestCase]) -> None:
    own_setup = cls.__dict__.get("setUpClass")
    if own_setup is not None and getattr(own_setup.__func__, _WRAPPED_TEST, False):
        return  # hooked by an earlier decorator; it reads the class's list when run
    orig_setup = cls.setUpClass.__func__  # type: ignore[attr-defined]
    orig_teardown = cls.tearDownClass.__func__  # type: ignore[attr-defined]

    def setUpClass(inner_cls: type) -> None:
        if _ACTIVE in inner_cls.__dict__:
            # Reached again through super() from a decorated subclass: already on.
            orig_setup(inner_cls)
            return
        enabled = _enable_class_decorators(inner_cls)
        setattr(inner_cls, _ACTIVE, enabled)
        try:
            orig_setup(inner_cls)
        except BaseException:
            # unittest skips tearDownClass when setUpClass fails.
            delattr(inner_cls, _ACTIVE)
            _disable_class_decorators(enabled)
            raise

    def tearDownClass(inner_cls: type) -> None:
        enabled = inner_cls.__dict__.get(_ACTIVE)
        if enabled is None or inner_cls.__dict__.get(_TEARING_DOWN):
            orig_teardown(inner_cls)
            return
        setattr(inner_cls, _TEARING_DOWN, True)
        try:
            orig_teardown(inner_cls)
        finally:
            delattr(inner_cls, _TEARING_DOWN)
            delattr(inner_cls, _ACTIVE)
            _disable_class_decorators(enabled)

    setattr(setUpClass, _WRAPPED_TEST, True)
    cls.setUpClass = classmethod(setUpClass)  # type: ignore[assignment]
    cls.tearDownClass = classmethod(tearDownClass)  # type: ignore[assignment]


def _wrap_test_methods(cls: type) -> None:
    for name in dir(cls):
        if not name.startswith("test"):
            continue
        attr = inspect.getattr_static(cls, name)
        func = attr.__func__ if isinstance(attr, staticmethod | classmethod) else attr
        if not inspect.isfunction(func) or getattr(func, _WRAPPED_TEST, False):
            continue  # not a test function, or wrapped already (here or in a parent)
        wrapper: Any = _class_test_wrapper(cls, func)
        if isinstance(attr, staticmethod | classmethod):
            wrapper = type(attr)(wrapper)
        setattr(cls, name, wrapper)


def _class_test_wrapper(cls: type, func: Callable[..., Any]) -> Callable[..., Any]:
    def owner(args: tuple[Any, ...]) -> type:
        # The decorators of the instance's class, which may be a decorated subclass.
        if args and isinstance(args[0], cls):
            return type(args[0])
        return cls

    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def async_inner(*args: Any, **kwargs: Any) -> Any:
            enabled = _enable_class_decorators(owner(args))
            try:
                return await func(*args, **kwargs)
            finally:
                _disable_class_decorators(enabled)

        setattr(async_inner, _WRAPPED_TEST, True)
        return async_inner

    @functools.wraps(func)
    def inner(*args: Any, **kwargs: Any) -> Any:
        enabled = _enable_class_decorators(owner(args))
        try:
            return func(*args, **kwargs)
        finally:
            _disable_class_decorators(enabled)

    setattr(inner, _WRAPPED_TEST, True)
    return inner


class override_settings(TestContextDecorator):
    """Override settings for a block, a function or a test class; send ``setting_changed``.

    Overriding ``INSTALLED_APPS`` also swaps the app registry's apps (which
    must be populated, e.g. by ``fastjango.setup()``) for the duration.
    """

    enable_exception: Exception | None = None

    def __init__(self, **kwargs: Any) -> None:
        self.options = kwargs
        super().__init__()

    def enable(self) -> None:
        if not settings.configured:
            # Overriding settings that were never loaded would wrap nothing at all.
            settings._setup()
        # First, so that invalid INSTALLED_APPS leave the settings untouched.
        if "INSTALLED_APPS" in self.options:
            stored = len(apps.stored_app_configs)
            try:
                apps.set_installed_apps(self.options["INSTALLED_APPS"])
            except Exception:
                if len(apps.stored_app_configs) > stored:
                    apps.unset_installed_apps()
                raise
        override = UserSettingsHolder(settings._wrapped)
        for key, new_value in self.options.items():
            setattr(override, key, new_value)
        self.wrapped = settings._wrapped
        settings._wrapped = override
        for key, new_value in self.options.items():
            try:
                setting_changed.send(
                    sender=settings._wrapped.__class__, setting=key, value=new_value, enter=True
                )
            except Exception as exc:
                # disable() restores everything, tells every receiver, then raises exc.
                self.enable_exception = exc
                self.disable()

    def disable(self) -> None:
        if "INSTALLED_APPS" in self.options:
            apps.unset_installed_apps()
        settings._wrapped = self.wrapped
        del self.wrapped
        responses = []
        for key in self.options:
            new_value = getattr(settings, key, None)
            responses.extend(
                setting_changed.send_robust(
                    sender=settings._wrapped.__class__, setting=key, value=new_value, enter=False
                )
            )
        if self.enable_exception is not None:
            exc, self.enable_exception = self.enable_exception, None
            raise exc
        for _, response in responses:
            if isinstance(response, Exception):
                raise response


class modify_settings(override_settings):
    """Append, prepend or remove items of list settings, e.g. ``MIDDLEWARE``.

    Takes keyword arguments such as
    ``MIDDLEWARE={"append": [...], "prepend": [...], "remove": [...]}``;
    a single string stands for a one-item list.
    """

    class_enable_order = 1

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args and kwargs:
            raise TypeError("modify_settings() takes either a list of operations or keywords.")
        if args:
            self.operations: list[tuple[str, dict[str, Any]]] = list(args[0])
        else:
            self.operations = list(kwargs.items())
        TestContextDecorator.__init__(self)

    def enable(self) -> None:
        self.options = {}
        for name, operations in self.operations:
            try:
                # Several operations on one setting build on each other.
                value = list(self.options[name])
            except KeyError:
                value = list(getattr(settings, name, []))
            for action, items in operations.items():
                if isinstance(items, str):
                    items = [items]
                if action == "append":
                    value += [item for item in items if item not in value]
                elif action == "prepend":
                    value = [item for item in items if item not in value] + value
                elif action == "remove":
                    value = [item for item in value if item not in items]
                else:
                    raise ValueError(f"Unsupported action: {action}")
            self.options[name] = value
        super().enable()


class CaptureQueriesContext:
    """Record the statements run on one database inside a ``with`` (or ``async with``) block.

    ``len(ctx)``, ``ctx[i]`` and iteration give the ``{"sql", "time"}`` dicts
    of ``connection.queries``; logging is forced on for the block, and
    ``request_started`` doesn't clear the log meanwhile.
    """

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.initial_queries = 0
        self.final_queries: int | None = None

    def __iter__(self) -> Any:
        return iter(self.captured_queries)

    def __getitem__(self, index: int) -> dict[str, str]:
        query: dict[str, str] = self.captured_queries[index]
        return query

    def __len__(self) -> int:
        return len(self.captured_queries)

    @property
    def captured_queries(self) -> list[dict[str, str]]:
        """Return the statements recorded so far (all of them once the block has ended)."""
        queries: list[dict[str, str]] = list(self.connection.queries_log)
        return queries[self.initial_queries : self.final_queries]

    def __enter__(self) -> CaptureQueriesContext:
        self.force_debug_cursor = self.connection.force_debug_cursor
        self.connection.force_debug_cursor = True
        self.initial_queries = len(self.connection.queries_log)
        self.final_queries = None
        # Django disconnects reset_queries from request_started; FastJango's one
        # request_started receiver skips a connection being captured instead.
        self.connection._capturing_queries += 1
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
        self.connection.force_debug_cursor = self.force_debug_cursor
        self.connection._capturing_queries -= 1
        if exc_type is None:
            self.final_queries = len(self.connection.queries_log)

    async def __aenter__(self) -> CaptureQueriesContext:
        return self.__enter__()

    async def __aexit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
        self.__exit__(exc_type)


_saved_environment: list[dict[str, Any]] = []


def setup_test_environment(debug: bool | None = None) -> None:
    """Prepare settings for a test run, as Django's test runner does.

    ``testserver`` (the test client's host) joins ``ALLOWED_HOSTS``, and ``DEBUG``
    is set to ``debug`` when given. Undo with ``teardown_test_environment()``.
    """
    if _saved_environment:
        raise RuntimeError(
            "setup_test_environment() was already called and can't be called again without "
            "first calling teardown_test_environment()."
        )
    saved = {"ALLOWED_HOSTS": settings.ALLOWED_HOSTS, "DEBUG": settings.DEBUG}
    _saved_environment.append(saved)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if debug is not None:
        settings.DEBUG = debug
        _debug_changed()


def teardown_test_environment() -> None:
    """Undo ``setup_test_environment()``."""
    for name, value in _saved_environment.pop().items():
        setattr(settings, name, value)
    _debug_changed()


def _debug_changed() -> None:
    # The query log follows DEBUG through setting_changed; these assignments send none.
    from fastjango.db import _debug_changed

    _debug_changed()


def setup_databases(
    verbosity: int,
    interactive: bool,
    *,
    time_keeper: Any = None,
    keepdb: bool = False,
    debug_sql: bool = False,
    parallel: int = 0,
    aliases: Any = None,
    serialized_aliases: Any = None,
    **kwargs: Any,
) -> list[tuple[Any, Any, bool]]:
    """Create the test databases of ``aliases`` (all by default) and return what to undo.

    Each gets its schema from the migrations (``TEST["MIGRATE"] = False``: from the
    models). ``serialized_aliases`` (all when None) have their contents saved
    for ``serialized_rollback``. Pass the result to ``teardown_databases()``.
    Run tests in parallel with pytest-xdist and the pytest plugin instead of
    ``parallel``.
    """
    from fastjango.db import connections
    from fastjango.test._databases import TestDatabases

    del time_keeper, kwargs
    if parallel > 1:
        raise ValueError(
            "setup_databases() makes no clones for parallel workers: run the tests with "
            "pytest-xdist ('pytest -n 4') and the FastJango pytest plugin, which gives each "
            "worker its own test databases."
        )
    chosen = list(connections) if aliases is None else list(aliases)
    databases = TestDatabases(
        verbosity=verbosity,
        interactive=interactive,
        keepdb=keepdb,
        serialize=chosen if serialized_aliases is None else serialized_aliases,
    )
    databases.activate()
    databases.ensure(chosen)
    if debug_sql:
        for alias in chosen:
            connections[alias].force_debug_cursor = True
    return [(entry.wrapper, entry.old_name, entry.destroy) for entry in databases.created.values()]


def teardown_databases(
    old_config: list[tuple[Any, Any, bool]], verbosity: int, parallel: int = 0, keepdb: bool = False
) -> None:
    """Drop the test databases ``setup_databases()`` made (or keep them with ``keepdb``)."""
    from fastjango.test import _databases

    del parallel
    with _databases.blocker.unblock():
        for wrapper, old_name, destroy in reversed(old_config):
            _databases.close_async_engines(wrapper)
            if destroy:
                wrapper.creation.destroy_test_db(old_name, verbosity, keepdb)
            else:
                _databases.point_at(wrapper, old_name)
    _databases.deactivate()
