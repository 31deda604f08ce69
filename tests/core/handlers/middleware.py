"""Django-style middleware in every shape, for the request handler tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastjango.http import HttpRequest, HttpResponse
from fastjango.template.response import TemplateResponse
from fastjango.utils.decorators import (
    async_only_middleware,
    markcoroutinefunction,
    sync_only_middleware,
)
from fastjango.utils.deprecation import MiddlewareMixin

calls: list[str] = []

GetResponse = Callable[[HttpRequest], Any]


@sync_only_middleware
def sync_only(get_response: GetResponse) -> GetResponse:
    def middleware(request: HttpRequest) -> HttpResponse:
        calls.append("sync_only")
        response: HttpResponse = get_response(request)
        response["X-Sync-Only"] = "yes"
        return response

    return middleware


@async_only_middleware
def async_only(get_response: GetResponse) -> GetResponse:
    async def middleware(request: HttpRequest) -> HttpResponse:
        calls.append("async_only")
        response: HttpResponse = await get_response(request)
        response["X-Async-Only"] = "yes"
        return response

    return middleware


class TemplateHooks:
    """Sync process_template_response and process_view reading request.POST (as CSRF does)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        calls.append(f"view-hook:{dict(request.POST)}")

    def process_template_response(
        self, request: HttpRequest, response: TemplateResponse
    ) -> TemplateResponse:
        response.context_data = {**(response.context_data or {}), "word": "hooked"}
        return response


class AsyncTemplateHooks:
    async_capable = True
    sync_capable = False

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request: HttpRequest) -> Any:
        return await self.get_response(request)

    async def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.GET.get("short") == "template":
            return TemplateResponse(request, "page.html", {"word": "short"})
        return None

    async def process_template_response(
        self, request: HttpRequest, response: TemplateResponse
    ) -> TemplateResponse:
        calls.append("async-template-hook")
        response.context_data = {**(response.context_data or {}), "word": "async-hooked"}
        return response


class NoneTemplateHook(MiddlewareMixin):
    def process_template_response(self, request: HttpRequest, response: Any) -> None:
        return None


class ExceptionToTemplate(MiddlewareMixin):
    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        calls.append(f"process_exception:{type(exception).__name__}")
        if isinstance(exception, LookupError | ValueError):
            return TemplateResponse(request, "page.html", {"word": str(exception)})
        return None


class RaisingViewHook(MiddlewareMixin):
    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        if request.GET.get("hook") == "raise":
            raise KeyError("from process_view")

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse:
        return HttpResponse(f"process_exception saw {exception!r}")


class ReturnsNone:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> None:
        return None


def factory_returns_none(get_response: GetResponse) -> None:
    return None


class NeitherCapable:
    sync_capable = False
    async_capable = False

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response


class AsyncCapableSyncInstance:
    async_capable = True

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        return self.get_response(request)


class UrlconfSwitch(MiddlewareMixin):
    def process_request(self, request: HttpRequest) -> None:
        if request.GET.get("urlconf") == "alt":
            request.urlconf = "tests.core.handlers.urls_alt"  # type: ignore[attr-defined]


class AsyncHooksMixin(MiddlewareMixin):
    async def process_request(self, request: HttpRequest) -> HttpResponse | None:
        calls.append("async process_request")
        return None

    async def process_response(self, request: HttpRequest, response: HttpResponse) -> Any:
        response["X-Async-Hooks"] = "yes"
        return response


class CountingASGI:
    """A pure ASGI middleware: counts requests, passes other scope types through."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            calls.append("asgi")
        await self.app(scope, receive, send)
