"""Middleware of every kind Django allows, plus a pure ASGI one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fastjango.core.exceptions import MiddlewareNotUsed
from fastjango.http import HttpRequest, HttpResponse
from fastjango.utils.decorators import sync_and_async_middleware
from fastjango.utils.deprecation import MiddlewareMixin

calls: list[str] = []


def function_middleware(get_response: Callable[[HttpRequest], HttpResponse]) -> Any:
    def middleware(request: HttpRequest) -> HttpResponse:
        calls.append("function:before")
        response = get_response(request)
        response["X-Function"] = "yes"
        calls.append("function:after")
        return response

    return middleware


class ClassMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        calls.append("class:before")
        response = self.get_response(request)
        response["X-Class"] = "yes"
        return response

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        calls.append(f"process_view:{getattr(view, '__name__', view)}")
        if request.GET.get("short") == "1":
            return HttpResponse("short-circuited by process_view")
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, KeyError):
            return HttpResponse(f"handled {exception!r}", status=418)
        return None


@sync_and_async_middleware
def async_capable_middleware(get_response: Any) -> Any:
    from asyncio import iscoroutinefunction

    if iscoroutinefunction(get_response):

        async def middleware(request: HttpRequest) -> HttpResponse:
            calls.append("async:before")
            response = await get_response(request)
            response["X-Async"] = "yes"
            return response

    else:  # pragma: no cover - the stack is async

        def middleware(request: HttpRequest) -> HttpResponse:
            return get_response(request)  # type: ignore[no-any-return]

    return middleware


class MixinMiddleware(MiddlewareMixin):
    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        calls.append("mixin:request")
        if request.GET.get("block") == "1":
            return HttpResponse("blocked", status=403)
        return None

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response["X-Mixin"] = "yes"
        return response


def unused_middleware(get_response: Any) -> Any:
    raise MiddlewareNotUsed("not today")


def failing_middleware(get_response: Any) -> Any:
    def middleware(request: HttpRequest) -> HttpResponse:
        if request.GET.get("fail") == "1":
            raise RuntimeError("middleware failure")
        return get_response(request)  # type: ignore[no-any-return]

    return middleware


class PureASGIMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"x-asgi", b"yes")]
            await send(message)

        await self.app(scope, receive, send_with_header)


class AmbiguousMiddleware:
    def __init__(self, thing: Any) -> None:
        self.thing = thing
