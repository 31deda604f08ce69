from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from fastjango.middleware.clickjacking import XFRAME_EXEMPT_HEADER, XFrameOptionsMiddleware
from fastjango.test.utils import override_settings
from fastjango.views.decorators.clickjacking import (
    xframe_options_deny,
    xframe_options_exempt,
    xframe_options_sameorigin,
)

from ._apps import client, make_app

pytestmark = pytest.mark.anyio


def view_app(view: Callable[..., Any]) -> ASGIApp:
    """Serve a view that returns a response object, the way the handler does."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        response = view(scope)
        if inspect.isawaitable(response):
            response = await response
        await response(scope, receive, send)

    return app


async def test_default_is_deny() -> None:
    async with client(XFrameOptionsMiddleware(make_app())) as c:
        response = await c.get("/")
    assert response.headers["x-frame-options"] == "DENY"


async def test_setting_is_upper_cased() -> None:
    with override_settings(X_FRAME_OPTIONS="sameorigin"):
        middleware = XFrameOptionsMiddleware(make_app())
    async with client(middleware) as c:
        response = await c.get("/")
    assert response.headers["x-frame-options"] == "SAMEORIGIN"


async def test_header_from_view_is_kept() -> None:
    middleware = XFrameOptionsMiddleware(make_app(headers=[("X-Frame-Options", "SAMEORIGIN")]))
    async with client(middleware) as c:
        response = await c.get("/")
    assert response.headers.get_list("x-frame-options") == ["SAMEORIGIN"]


async def test_exempt_marker_is_honoured_and_stripped() -> None:
    app = make_app(headers=[(XFRAME_EXEMPT_HEADER, "1"), ("content-type", "text/plain")])
    async with client(XFrameOptionsMiddleware(app)) as c:
        response = await c.get("/")
    assert "x-frame-options" not in response.headers
    assert XFRAME_EXEMPT_HEADER not in response.headers
    assert response.headers["content-type"] == "text/plain"


async def test_exempt_marker_is_stripped_even_with_explicit_header() -> None:
    app = make_app(headers=[(XFRAME_EXEMPT_HEADER, "1"), ("x-frame-options", "SAMEORIGIN")])
    async with client(XFrameOptionsMiddleware(app)) as c:
        response = await c.get("/")
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    assert XFRAME_EXEMPT_HEADER not in response.headers


async def test_subclass_can_choose_value_per_request() -> None:
    class PerPath(XFrameOptionsMiddleware):
        def get_xframe_options_value(self, scope: Scope, headers: Any) -> bytes:
            return b"SAMEORIGIN" if scope["path"].startswith("/embed") else b"DENY"

    async with client(PerPath(make_app())) as c:
        embed = await c.get("/embed/1")
        other = await c.get("/other")
    assert embed.headers["x-frame-options"] == "SAMEORIGIN"
    assert other.headers["x-frame-options"] == "DENY"


async def test_streaming_response_gets_header() -> None:
    async with client(XFrameOptionsMiddleware(make_app([b"a", b"b"]))) as c:
        response = await c.get("/")
    assert response.content == b"ab"
    assert response.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(
    ("decorator", "expected"),
    [(xframe_options_deny, "DENY"), (xframe_options_sameorigin, "SAMEORIGIN")],
)
async def test_value_decorators_through_middleware(decorator: Any, expected: str) -> None:
    with override_settings(X_FRAME_OPTIONS="SAMEORIGIN" if expected == "DENY" else "DENY"):
        middleware = XFrameOptionsMiddleware(view_app(decorator(lambda request: Response("x"))))
    async with client(middleware) as c:
        response = await c.get("/")
    assert response.headers.get_list("x-frame-options") == [expected]


@pytest.mark.parametrize("decorator", [xframe_options_deny, xframe_options_sameorigin])
def test_value_decorators_keep_header_set_by_view(
    decorator: Callable[[Callable[[object], Response]], Callable[[object], Response]],
) -> None:
    def view(request: object) -> Response:
        return Response("x", headers={"X-Frame-Options": "ALLOW-FROM https://a.example"})

    assert decorator(view)(None).headers["x-frame-options"] == "ALLOW-FROM https://a.example"


async def test_exempt_decorator_sync_view() -> None:
    @xframe_options_exempt
    def view(request: object) -> Response:
        """Docstring kept."""
        return Response("x")

    assert view.__name__ == "view"
    assert view.__doc__ == "Docstring kept."
    response = view(None)
    assert response.xframe_options_exempt is True  # type: ignore[attr-defined]
    async with client(XFrameOptionsMiddleware(view_app(view))) as c:
        served = await c.get("/")
    assert "x-frame-options" not in served.headers
    assert XFRAME_EXEMPT_HEADER not in served.headers


async def test_decorators_on_async_views() -> None:
    @xframe_options_exempt
    async def exempt(request: object) -> Response:
        return Response("x")

    @xframe_options_sameorigin
    async def sameorigin(request: object) -> Response:
        return Response("x")

    async with client(XFrameOptionsMiddleware(view_app(exempt))) as c:
        response = await c.get("/")
    assert "x-frame-options" not in response.headers
    assert (await sameorigin(None)).headers["x-frame-options"] == "SAMEORIGIN"
    assert (await exempt(None)).xframe_options_exempt is True  # type: ignore[attr-defined]


async def test_decorators_on_fastjango_http_responses() -> None:
    from fastjango.http import HttpResponse

    @xframe_options_exempt
    def exempt(request: object) -> HttpResponse:
        return HttpResponse("x")

    @xframe_options_sameorigin
    def sameorigin(request: object) -> HttpResponse:
        return HttpResponse("x")

    @xframe_options_deny
    def kept(request: object) -> HttpResponse:
        return HttpResponse("x", headers={"X-Frame-Options": "SAMEORIGIN"})

    assert exempt(None).xframe_options_exempt is True  # type: ignore[attr-defined]
    assert sameorigin(None)["X-Frame-Options"] == "SAMEORIGIN"
    assert kept(None)["X-Frame-Options"] == "SAMEORIGIN"
    async with client(XFrameOptionsMiddleware(view_app(exempt))) as c:
        response = await c.get("/")
    assert "x-frame-options" not in response.headers
    assert XFRAME_EXEMPT_HEADER not in response.headers
    async with client(XFrameOptionsMiddleware(view_app(sameorigin))) as c:
        response = await c.get("/")
    assert response.headers.get_list("x-frame-options") == ["SAMEORIGIN"]
