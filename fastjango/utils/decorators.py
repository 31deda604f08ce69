"""Decorator helpers with Django's names: ``method_decorator``, middleware flags and more."""

from __future__ import annotations

import asyncio.coroutines
import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = [
    "async_only_middleware",
    "classonlymethod",
    "decorator_from_middleware",
    "decorator_from_middleware_with_args",
    "iscoroutinefunction",
    "make_middleware_decorator",
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
            raise AttributeError("This method is available only on the class, not on instances.")
        return super().__get__(instance, cls)


def _multi_decorate(decorators: Any, method: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate ``method`` with function decorators, applied to the bound method per call."""
    # A list applies as stacked @-lines do: the first one is the outermost.
    chain = list(decorators)[::-1] if hasattr(decorators, "__iter__") else [decorators]

    def _wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        # The bound method looks like the function to decorators that read __name__ etc.
        bound: Any = functools.wraps(method)(functools.partial(method.__get__(self, type(self))))
        for decorator in chain:
            bound = decorator(bound)
        return bound(*args, **kwargs)

    # What a decorator sets on the function it decorates (csrf_exempt...) goes on the
    # wrapper too: decorate a stand-in to find out.
    for decorator in chain:

        def stand_in(*args: Any, **kwargs: Any) -> None: ...

        functools.update_wrapper(_wrapper, decorator(stand_in))
    # ...then the method's own name, docstring and attributes win.
    functools.update_wrapper(_wrapper, method)
    if iscoroutinefunction(method):
        markcoroutinefunction(_wrapper)
    return _wrapper


def method_decorator(decorator: Any, name: str = "") -> Callable[[T], T]:
    """Turn a function decorator (or a list of them) into a method decorator.

    On a class, give ``name``: the method of that name is decorated.
    """

    def _dec(obj: Any) -> Any:
        if not isinstance(obj, type):
            return _multi_decorate(decorator, obj)
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
        setattr(obj, name, _multi_decorate(decorator, method))
        return obj

    if not hasattr(decorator, "__iter__"):
        functools.update_wrapper(_dec, decorator)
    # The name helps when debugging.
    named = decorator if hasattr(decorator, "__name__") else type(decorator)
    _dec.__name__ = f"method_decorator({named.__name__})"
    return _dec


def decorator_from_middleware_with_args(middleware_class: type) -> Callable[..., Any]:
    """Return a view decorator factory from a Django-style middleware class.

    ``cache_page = decorator_from_middleware_with_args(CacheMiddleware)`` then
    ``@cache_page(3600)``: the arguments go to the middleware's constructor.
    """
    return make_middleware_decorator(middleware_class)


def decorator_from_middleware(middleware_class: type) -> Callable[[F], F]:
    """Return a view decorator that runs a Django-style middleware around one view."""
    decorator: Callable[[F], F] = make_middleware_decorator(middleware_class)()
    return decorator


def make_middleware_decorator(middleware_class: type) -> Callable[..., Any]:
    """Return ``factory(*args, **kwargs) -> decorator`` running the middleware's hooks.

    The middleware is built with the view as its ``get_response``; its
    ``process_request``, ``process_view``, ``process_exception``,
    ``process_template_response`` and ``process_response`` run around the view
    (``process_response`` after a ``TemplateResponse`` is rendered).
    """
    _refuse_asgi_middleware(middleware_class)

    def _make_decorator(*m_args: Any, **m_kwargs: Any) -> Callable[[F], F]:
        def _decorator(view_func: F) -> F:
            middleware = middleware_class(view_func, *m_args, **m_kwargs)
            hooks = _MiddlewareHooks(middleware, view_func)
            if iscoroutinefunction(view_func):

                async def _async_view(request: Any, *args: Any, **kwargs: Any) -> Any:
                    result = hooks.before(request, args, kwargs)
                    if result is not None:
                        return result
                    try:
                        response = await view_func(request, *args, **kwargs)
                    except Exception as exc:
                        return hooks.on_exception(request, exc)
                    return hooks.after(request, response)

                return functools.wraps(view_func)(_async_view)  # type: ignore[return-value]

            def _sync_view(request: Any, *args: Any, **kwargs: Any) -> Any:
                result = hooks.before(request, args, kwargs)
                if result is not None:
                    return result
                try:
                    response = view_func(request, *args, **kwargs)
                except Exception as exc:
                    return hooks.on_exception(request, exc)
                return hooks.after(request, response)

            return functools.wraps(view_func)(_sync_view)  # type: ignore[return-value]

        return _decorator

    return _make_decorator


def _refuse_asgi_middleware(middleware_class: type) -> None:
    try:
        first = next(iter(inspect.signature(middleware_class).parameters), None)
    except (TypeError, ValueError):
        return
    if first == "app":
        raise TypeError(
            f"{middleware_class.__qualname__} is a pure ASGI middleware (it wraps an 'app'); "
            "a view decorator can only be made from a Django-style middleware, whose first "
            "argument is 'get_response'."
        )


class _MiddlewareHooks:
    """The hooks of one middleware instance, as a view decorator calls them."""

    def __init__(self, middleware: Any, view_func: Callable[..., Any]) -> None:
        self.middleware = middleware
        self.view_func = view_func

    def before(self, request: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        middleware = self.middleware
        if hasattr(middleware, "process_request"):
            result = middleware.process_request(request)
            if result is not None:
                return result
        if hasattr(middleware, "process_view"):
            result = middleware.process_view(request, self.view_func, args, kwargs)
            if result is not None:
                return result
        return None

    def on_exception(self, request: Any, exc: Exception) -> Any:
        if hasattr(self.middleware, "process_exception"):
            result = self.middleware.process_exception(request, exc)
            if result is not None:
                return result
        raise exc

    def after(self, request: Any, response: Any) -> Any:
        middleware = self.middleware
        if callable(getattr(response, "render", None)):
            if hasattr(middleware, "process_template_response"):
                response = middleware.process_template_response(request, response)
            if hasattr(middleware, "process_response"):
                # process_response sees the rendered content, so it waits for render().
                def callback(rendered: Any) -> Any:
                    return middleware.process_response(request, rendered)

                response.add_post_render_callback(callback)
            return response
        if hasattr(middleware, "process_response"):
            return middleware.process_response(request, response)
        return response
