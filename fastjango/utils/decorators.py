"""Decorator helpers with Django's names: middleware capability flags, ``method_decorator``."""

from __future__ import annotations

import asyncio.coroutines
import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = [
    "async_only_middleware",
    "classonlymethod",
    "iscoroutinefunction",
    "markcoroutinefunction",
    "method_decorator",
    "sync_and_async_middleware",
    "sync_only_middleware",
]

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

_MARKER = "_is_coroutine_marker"


def markcoroutinefunction(func: T) -> T:
    """Mark ``func`` (a function or an object with ``__call__``) as returning awaitables.

    Django's ``MiddlewareMixin`` relies on this for async middleware instances.
    """
    marker = getattr(inspect, "_is_coroutine_mark", None)
    try:
        setattr(func, _MARKER, marker if marker is not None else True)
        # Python 3.11's asyncio.iscoroutinefunction reads this attribute.
        func._is_coroutine = asyncio.coroutines._is_coroutine  # type: ignore[attr-defined]
    except AttributeError:  # pragma: no cover - objects with __slots__
        pass
    return func


def iscoroutinefunction(func: Any) -> bool:
    """Return whether calling ``func`` returns an awaitable, honouring markers."""
    if inspect.iscoroutinefunction(func):
        return True
    if getattr(func, _MARKER, None) is not None:
        return True
    return getattr(func, "_is_coroutine", None) is getattr(asyncio.coroutines, "_is_coroutine", 0)


def sync_only_middleware(func: F) -> F:
    """Mark a middleware factory as sync-only."""
    func.sync_capable = True  # type: ignore[attr-defined]
    func.async_capable = False  # type: ignore[attr-defined]
    return func


def async_only_middleware(func: F) -> F:
    """Mark a middleware factory as async-only."""
    func.sync_capable = False  # type: ignore[attr-defined]
    func.async_capable = True  # type: ignore[attr-defined]
    return func


def sync_and_async_middleware(func: F) -> F:
    """Mark a middleware factory as able to build sync and async middleware."""
    func.sync_capable = True  # type: ignore[attr-defined]
    func.async_capable = True  # type: ignore[attr-defined]
    return func


class classonlymethod(classmethod):  # type: ignore[type-arg]
    """A classmethod that refuses to be called on an instance (``View.as_view``)."""

    def __get__(self, instance: Any, cls: type | None = None) -> Any:
        if instance is not None:
            raise AttributeError(
                "This method is available only on the class, not on instances."
            )
        return super().__get__(instance, cls)


def method_decorator(decorator: Any, name: str = "") -> Callable[[T], T]:
    """Turn a function decorator into a method decorator, or a class decorator with ``name``."""

    def _decorate_method(method: Callable[..., Any]) -> Callable[..., Any]:
        decorators = decorator if hasattr(decorator, "__iter__") else [decorator]

        if iscoroutinefunction(method):

            @functools.wraps(method)
            async def async_wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
                bound = functools.partial(method.__get__(self, type(self)))
                for dec in decorators:
                    bound = dec(bound)
                return await bound(*args, **kwargs)

            return async_wrapper

        @functools.wraps(method)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            bound = functools.partial(method.__get__(self, type(self)))
            for dec in decorators:
                bound = dec(bound)
            return bound(*args, **kwargs)

        # Decorators may set attributes (e.g. csrf_exempt); copy them to the wrapper.
        for dec in decorators:
            dummy = dec(lambda *a, **k: None)
            for attr, value in getattr(dummy, "__dict__", {}).items():
                if attr != "__wrapped__":
                    setattr(wrapper, attr, value)
        return wrapper

    def _decorator(obj: Any) -> Any:
        if not isinstance(obj, type):
            return _decorate_method(obj)
        if not (name and hasattr(obj, name)):
            raise ValueError(
                "The keyword argument `name` must be the name of a method of the decorated "
                f"class: {obj}. Got '{name}' instead."
            )
        method = getattr(obj, name)
        if not callable(method):
            raise TypeError(
                f"Cannot decorate '{name}' as it isn't a callable attribute of {obj} ({method})."
            )
        setattr(obj, name, _decorate_method(method))
        return obj

    return _decorator
