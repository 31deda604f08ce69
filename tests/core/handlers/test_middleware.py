"""Django-style middleware in every combination Django allows, around pure ASGI code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.core.handlers.middleware import (
    DjangoMiddlewareAdapter,
    capture_response,
    get_request,
)
from fastjango.test import Client, RequestFactory

from . import middleware as mw

ClientFactory = Callable[..., Client]


def test_sync_only_and_async_only_middleware(make_client: ClientFactory) -> None:
    client = make_client("sync_only", "async_only", "sync_only")
    response = client.get("/echo/")
    assert response.status_code == 200
    assert response["X-Sync-Only"] == "yes"
    assert response["X-Async-Only"] == "yes"
    assert mw.calls == ["sync_only", "async_only", "sync_only"]


def test_middleware_mixin_with_async_hooks(make_client: ClientFactory) -> None:
    response = make_client("AsyncHooksMixin").get("/echo/")
    assert response["X-Async-Hooks"] == "yes"
    assert mw.calls == ["async process_request"]
    # Outside a pure ASGI middleware the mixin is sync, and calls the hooks as they are.
    instance = mw.AsyncHooksMixin(lambda request: None)
    assert not instance.async_mode
    assert repr(instance).startswith("<AsyncHooksMixin get_response=")


def test_middleware_returning_none_is_a_clear_error(make_client: ClientFactory) -> None:
    client = make_client("ReturnsNone", raise_request_exception=True)
    with pytest.raises(ValueError, match="ReturnsNone didn't return an HttpResponse object"):
        client.get("/echo/")


@pytest.mark.parametrize(
    ("name", "error", "message"),
    [
        ("factory_returns_none", ImproperlyConfigured, "returned None"),
        ("NeitherCapable", RuntimeError, "at least one of sync_capable/async_capable"),
        ("AsyncCapableSyncInstance", ImproperlyConfigured, "not a coroutine function"),
    ],
)
def test_badly_built_middleware(
    make_client: ClientFactory, name: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        make_client(name).get("/echo/")


def test_pure_asgi_middleware_between_django_style_ones(make_client: ClientFactory) -> None:
    client = make_client("sync_only", "CountingASGI", "async_only")
    response = client.get("/template/")
    assert response.content == b"<p>sync</p>"
    assert response["X-Sync-Only"] == response["X-Async-Only"] == "yes"
    assert mw.calls == ["sync_only", "asgi", "async_only"]
    # The test client still sees the view's response object and its templates.
    assert response.templates[0].name == "page.html"
    assert response.context_data == {"word": "sync"}


def test_head_through_a_captured_response(make_client: ClientFactory) -> None:
    client = make_client("sync_only", "CountingASGI")
    response = client.head("/echo/")
    assert response.content == b""
    assert int(response["Content-Length"]) > 0


def test_capture_response_keeps_repeated_headers_and_cookies() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 201,
                "headers": [
                    (b"vary", b"Accept"),
                    (b"vary", b"Cookie"),
                    (b"set-cookie", b"a=1; Path=/"),
                    (b"content-length", b"2"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b"ok"})

    request = RequestFactory().get("/")
    response = anyio.run(capture_response, app, request)
    assert response.status_code == 201
    assert response["Vary"] == "Accept, Cookie"
    assert response.cookies["a"].value == "1"
    assert "Content-Length" not in response
    assert response.content == b"ok"  # type: ignore[attr-defined]


def test_capture_response_without_a_receive_channel() -> None:
    from fastjango.http import HttpRequest

    async def app(scope: Any, receive: Any, send: Any) -> None:
        message = await receive()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": message["body"] or b"empty"})

    request = HttpRequest()
    request.method = "GET"
    response = anyio.run(capture_response, app, request)
    assert response.content == b"empty"  # type: ignore[attr-defined]


def test_adapter_passes_other_scope_types_through() -> None:
    seen: list[str] = []

    async def inner(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope["type"])

    adapter = DjangoMiddlewareAdapter(inner, mw.sync_only)

    async def lifespan() -> None:
        await adapter({"type": "lifespan"}, None, None)  # type: ignore[arg-type]

    anyio.run(lifespan)
    assert seen == ["lifespan"]


def test_get_request_is_made_once_per_scope() -> None:
    scope = RequestFactory().get("/x/").scope

    async def receive() -> Any:
        return {"type": "http.request", "body": b""}

    scope.pop("fastjango.request", None)
    first = get_request(scope, receive)
    assert get_request(scope, receive) is first


def test_middleware_not_used_without_a_message(
    make_client: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastjango.core.exceptions import MiddlewareNotUsed

    def unused(get_response: Any) -> Any:
        raise MiddlewareNotUsed

    monkeypatch.setattr(mw, "unused", unused, raising=False)
    client = make_client("unused", "sync_only")
    assert client.get("/echo/")["X-Sync-Only"] == "yes"


def test_middleware_without_a_signature_is_a_clear_error(make_client: ClientFactory) -> None:
    with pytest.raises(ImproperlyConfigured, match="Cannot tell what kind of middleware"):
        make_client("builtins.max").get("/echo/")
