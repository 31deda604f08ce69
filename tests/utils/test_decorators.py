"""Django's decorator helpers: method_decorator, middleware flags, decorators from middleware."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import Any

import anyio
import pytest

from fastjango.http import HttpRequest, HttpResponse
from fastjango.template.response import SimpleTemplateResponse
from fastjango.utils.decorators import (
    async_only_middleware,
    classonlymethod,
    decorator_from_middleware,
    decorator_from_middleware_with_args,
    iscoroutinefunction,
    markcoroutinefunction,
    method_decorator,
    sync_and_async_middleware,
    sync_only_middleware,
)

calls: list[str] = []


def tag(name: str) -> Callable[[Any], Any]:
    """A function decorator that records its name and reads the function's __name__."""

    def decorator(func: Any) -> Any:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls.append(f"{name}:{func.__name__}")
            return func(*args, **kwargs)

        wrapper.tagged = name  # type: ignore[attr-defined]
        return wrapper

    return decorator


def async_tag(func: Any) -> Any:
    @functools.wraps(func)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls.append("async_tag")
        return await func(*args, **kwargs)

    return wrapper


@pytest.fixture(autouse=True)
def clear_calls() -> None:
    calls.clear()


def test_method_decorator_on_a_method() -> None:
    class Thing:
        @method_decorator(tag("outer"))
        def method(self, x: int) -> int:
            """Double."""
            return x * 2

    assert Thing().method(2) == 4
    assert calls == ["outer:method"]
    assert Thing.method.__name__ == "method"
    assert Thing.method.__doc__ == "Double."
    assert Thing.method.tagged == "outer"  # type: ignore[attr-defined]


def test_a_list_applies_like_stacked_decorators() -> None:
    class Thing:
        @method_decorator([tag("first"), tag("second")])
        def method(self) -> str:
            return "done"

    assert Thing().method() == "done"
    assert calls == ["first:method", "second:method"]


def test_method_decorator_on_a_class_and_errors() -> None:
    @method_decorator(tag("cls"), name="get")
    class View:
        def get(self) -> str:
            return "got"

        attribute = "not callable"

    assert View().get() == "got"
    assert calls == ["cls:get"]
    with pytest.raises(ValueError, match="must be the name of a method"):
        method_decorator(tag("x"), name="missing")(View)
    with pytest.raises(ValueError, match="Got '' instead"):
        method_decorator(tag("x"))(View)
    with pytest.raises(TypeError, match="isn't a callable attribute"):
        method_decorator(tag("x"), name="attribute")(View)
    assert method_decorator(tag("x")).__name__ == "method_decorator(decorator)"

    class CallableDecorator:
        def __call__(self, func: Any) -> Any:
            return func

    assert method_decorator(CallableDecorator()).__name__ == ("method_decorator(CallableDecorator)")


def test_method_decorator_on_an_async_method() -> None:
    class Thing:
        @method_decorator(async_tag)
        async def method(self) -> str:
            return "async"

    assert iscoroutinefunction(Thing.method)
    assert asyncio.iscoroutinefunction(Thing.method)
    assert anyio.run(Thing().method) == "async"
    assert calls == ["async_tag"]


def test_markers_and_capability_flags() -> None:
    def plain() -> None:
        return None

    assert not iscoroutinefunction(plain)
    marked = markcoroutinefunction(plain)
    assert iscoroutinefunction(marked)

    class Instance:
        pass

    instance = markcoroutinefunction(Instance())
    assert iscoroutinefunction(instance)

    def factory(get_response: Any) -> Any:
        return get_response

    assert (sync_only_middleware(factory).sync_capable, factory.async_capable) == (True, False)  # type: ignore[attr-defined]
    assert (async_only_middleware(factory).sync_capable, factory.async_capable) == (False, True)  # type: ignore[attr-defined]
    assert (sync_and_async_middleware(factory).sync_capable, factory.async_capable) == (True, True)  # type: ignore[attr-defined]


def test_classonlymethod() -> None:
    class Thing:
        @classonlymethod  # type: ignore[arg-type]
        def make(cls) -> str:
            return str(cls.__name__)  # type: ignore[attr-defined]

    assert Thing.make() == "Thing"
    with pytest.raises(AttributeError, match="only on the class"):
        Thing().make()


class HookMiddleware:
    """A Django-style middleware with every hook; args configure it."""

    def __init__(self, get_response: Any, label: str = "mw") -> None:
        self.get_response = get_response
        self.label = label

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        calls.append(f"{self.label}:request")
        if request.GET.get("stop") == "request":
            return HttpResponse("stopped in process_request")
        return None

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> Any:
        calls.append(f"{self.label}:view:{view.__name__}:{kwargs}")
        if request.GET.get("stop") == "view":
            return HttpResponse("stopped in process_view")
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        calls.append(f"{self.label}:exception")
        if isinstance(exception, KeyError):
            return HttpResponse("handled", status=500)
        return None

    def process_template_response(self, request: HttpRequest, response: Any) -> Any:
        calls.append(f"{self.label}:template")
        response.context_data = {"word": "hooked"}
        return response

    def process_response(self, request: HttpRequest, response: Any) -> Any:
        calls.append(f"{self.label}:response:{response.content.decode()}")
        response["X-Label"] = self.label
        return response


def request(query: str = "") -> HttpRequest:
    from fastjango.test import RequestFactory

    return RequestFactory().get("/" + (f"?{query}" if query else ""))  # type: ignore[no-any-return]


def test_decorator_from_middleware_on_a_sync_view() -> None:
    @decorator_from_middleware(HookMiddleware)
    def view(request: HttpRequest, pk: int = 0) -> HttpResponse:
        if request.GET.get("fail"):
            raise KeyError(request.GET["fail"])
        if request.GET.get("boom"):
            raise ValueError("boom")
        return HttpResponse("view")

    assert view.__name__ == "view"
    response = view(request(), pk=3)
    assert response["X-Label"] == "mw"
    assert calls == ["mw:request", "mw:view:view:{'pk': 3}", "mw:response:view"]
    assert view(request("stop=request")).content == b"stopped in process_request"
    assert view(request("stop=view")).content == b"stopped in process_view"
    assert view(request("fail=x")).content == b"handled"
    with pytest.raises(ValueError, match="boom"):
        view(request("boom=1"))


def test_decorator_from_middleware_with_args_and_template_responses() -> None:
    labelled = decorator_from_middleware_with_args(HookMiddleware)

    @labelled(label="custom")  # type: ignore[untyped-decorator]
    def view(request: HttpRequest) -> SimpleTemplateResponse:
        return SimpleTemplateResponse(_Template(), {"word": "plain"})

    response = view(request())
    assert calls == ["custom:request", "custom:view:view:{}", "custom:template"]
    response.render()
    assert response.content == b"hooked"
    assert calls[-1] == "custom:response:hooked"
    assert response["X-Label"] == "custom"


class _Template:
    def render(self, context: Any = None, request: Any = None) -> str:
        return str(context["word"])


def test_decorator_from_middleware_on_an_async_view() -> None:
    @decorator_from_middleware(HookMiddleware)
    async def view(request: HttpRequest) -> HttpResponse:
        if request.GET.get("fail"):
            raise KeyError("x")
        return HttpResponse("async view")

    assert iscoroutinefunction(view)
    response = anyio.run(view, request())
    assert response["X-Label"] == "mw"
    assert anyio.run(view, request("stop=view")).content == b"stopped in process_view"
    assert anyio.run(view, request("fail=1")).content == b"handled"


def test_middleware_without_hooks_and_asgi_middleware() -> None:
    class Bare:
        def __init__(self, get_response: Any) -> None:
            self.get_response = get_response

    @decorator_from_middleware(Bare)
    def view(request: HttpRequest) -> HttpResponse:
        raise KeyError("unhandled")

    with pytest.raises(KeyError):
        view(request())

    @decorator_from_middleware(Bare)
    def ok(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    assert ok(request()).content == b"ok"

    @decorator_from_middleware(Bare)
    def template(request: HttpRequest) -> SimpleTemplateResponse:
        return SimpleTemplateResponse(_Template(), {"word": "bare"})

    assert template(request()).render().content == b"bare"

    class PureASGI:
        def __init__(self, app: Any) -> None:
            self.app = app

    with pytest.raises(TypeError, match="pure ASGI middleware"):
        decorator_from_middleware(PureASGI)
    # Classes whose signature can't be read are taken as they are.
    assert callable(decorator_from_middleware_with_args(dict))
