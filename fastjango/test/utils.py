"""Test helpers: ``override_settings`` and ``modify_settings``."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from fastjango.conf import UserSettingsHolder, settings
from fastjango.core.signals import setting_changed

__all__ = ["TestContextDecorator", "modify_settings", "override_settings"]

T = TypeVar("T")


class TestContextDecorator:
    """A context manager that also decorates functions, coroutines and test classes."""

    def __init__(self, attr_name: str | None = None, kwarg_name: str | None = None) -> None:
        self.attr_name = attr_name
        self.kwarg_name = kwarg_name

    def enable(self) -> Any:
        raise NotImplementedError

    def disable(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Any:
        return self.enable()

    def __exit__(self, *exc_info: object) -> None:
        self.disable()

    def decorate_class(self, cls: type[T]) -> type[T]:
        # unittest classes get setUp/tearDown hooks; plain (pytest) classes have
        # every test method decorated instead.
        import unittest

        if issubclass(cls, unittest.TestCase):
            decorator = self

            orig_setup_class = cls.setUpClass.__func__  # type: ignore[attr-defined]
            orig_teardown_class = cls.tearDownClass.__func__  # type: ignore[attr-defined]

            def setUpClass(inner_cls: Any) -> None:
                decorator.enable()
                try:
                    orig_setup_class(inner_cls)
                except Exception:
                    decorator.disable()
                    raise

            def tearDownClass(inner_cls: Any) -> None:
                try:
                    orig_teardown_class(inner_cls)
                finally:
                    decorator.disable()

            cls.setUpClass = classmethod(setUpClass)  # type: ignore[assignment]
            cls.tearDownClass = classmethod(tearDownClass)  # type: ignore[assignment]
            return cls
        for name, value in list(vars(cls).items()):
            if name.startswith("test") and callable(value):
                setattr(cls, name, self.decorate_callable(value))
        return cls

    def decorate_callable(self, func: Callable[..., Any]) -> Callable[..., Any]:
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


class override_settings(TestContextDecorator):
    """Override settings for a block, a function or a test class; send ``setting_changed``."""

    enable_exception: Exception | None = None

    def __init__(self, **kwargs: Any) -> None:
        self.options = kwargs
        super().__init__()

    def enable(self) -> None:
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
                self.enable_exception = exc
                self.disable()
                raise

    def disable(self) -> None:
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
    """Append, prepend or remove items of list settings, e.g. ``MIDDLEWARE``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args:
            self.operations: list[tuple[str, dict[str, Any]]] = list(args[0])
        else:
            self.operations = list(kwargs.items())
        TestContextDecorator.__init__(self)

    def enable(self) -> None:
        self.options = {}
        for name, operations in self.operations:
            try:
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
