"""MiddlewareMixin: process_request/process_response around sync and async get_response."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from fastjango.http import HttpRequest, HttpResponse
from fastjango.test import RequestFactory
from fastjango.utils.decorators import iscoroutinefunction
from fastjango.utils.deprecation import MiddlewareMixin


class Recording(MiddlewareMixin):
    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        if request.GET.get("stop"):
            return HttpResponse("stopped")
        return None

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response["X-Seen"] = "yes"
        return response


class AsyncHooks(MiddlewareMixin):
    async def process_request(self, request: HttpRequest) -> None:
        request.async_hook = True  # type: ignore[attr-defined]

    async def process_response(self, request: HttpRequest, response: HttpResponse) -> Any:
        response["X-Async"] = "yes"
        return response


class NoHooks(MiddlewareMixin):
    pass


def sync_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("view")


async def async_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("async view")


rf = RequestFactory()


def test_sync_mode() -> None:
    middleware = Recording(sync_view)
    assert not middleware.async_mode
    assert not iscoroutinefunction(middleware)
    response = middleware(rf.get("/"))
    assert (response.content, response["X-Seen"]) == (b"view", "yes")
    stopped = middleware(rf.get("/?stop=1"))
    assert (stopped.content, stopped["X-Seen"]) == (b"stopped", "yes")
    assert NoHooks(sync_view)(rf.get("/")).content == b"view"
    assert repr(middleware) == "<Recording get_response=sync_view>"


def test_async_mode_with_sync_and_async_hooks() -> None:
    middleware = Recording(async_view)
    assert middleware.async_mode
    assert iscoroutinefunction(middleware)
    response = anyio.run(middleware, rf.get("/"))
    assert (response.content, response["X-Seen"]) == (b"async view", "yes")
    assert anyio.run(middleware, rf.get("/?stop=1")).content == b"stopped"
    request = rf.get("/")
    hooked = anyio.run(AsyncHooks(async_view), request)
    assert hooked["X-Async"] == "yes"
    assert request.async_hook
    assert anyio.run(NoHooks(async_view), rf.get("/")).content == b"async view"


def test_get_response_is_required() -> None:
    with pytest.raises(ValueError, match="get_response must be provided"):
        Recording(None)  # type: ignore[arg-type]
    assert repr(Recording(HttpResponse)).startswith("<Recording get_response=HttpResponse")
