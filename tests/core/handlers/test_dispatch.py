"""The URL dispatcher: hosts, root_path, mounts, FastAPI routes and fallbacks, view hooks."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import anyio
import httpx
import pytest
from starlette.websockets import WebSocket

from fastjango.core.asgi import get_asgi_application
from fastjango.test import Client, override_settings

from . import middleware as mw

ClientFactory = Callable[..., Client]


def asgi_get(app: Any, url: str, **kwargs: Any) -> httpx.Response:
    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, **kwargs)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            return await c.get(url)

    return anyio.run(call)


# -- hosts -----------------------------------------------------------------------


def test_disallowed_host_is_400_and_never_cached(caplog: pytest.LogCaptureFixture) -> None:
    app = get_asgi_application()
    dispatcher = app.dispatcher
    client = Client(raise_request_exception=False)
    client._app = None
    with caplog.at_level(logging.CRITICAL):
        assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"Host": "testserver"}).status_code == 200
    assert dispatcher._allowed_hosts == set()  # another app: this one served nothing
    built = client._get_app()
    allowed = built.dispatcher._allowed_hosts  # type: ignore[attr-defined]
    assert allowed == {(b"testserver",)}
    with caplog.at_level(logging.CRITICAL):
        assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert allowed == {(b"testserver",)}


def test_request_without_host_header_is_checked_every_time(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = Client()
    assert client.get("/").status_code == 200
    assert client._get_app().dispatcher._allowed_hosts == set()  # type: ignore[attr-defined]
    with caplog.at_level(logging.CRITICAL):
        assert client.get("/", SERVER_NAME="elsewhere").status_code == 400


def test_x_forwarded_host_is_validated_when_trusted(caplog: pytest.LogCaptureFixture) -> None:
    with override_settings(USE_X_FORWARDED_HOST=True):
        client = Client(raise_request_exception=False)
        ok = client.get("/echo/", headers={"X-Forwarded-Host": "localhost"})
        assert ok.json()["host"] == "localhost"
        with caplog.at_level(logging.CRITICAL):
            bad = client.get("/echo/", headers={"X-Forwarded-Host": "evil.example"})
        assert bad.status_code == 400


def test_host_cache_is_bounded() -> None:
    from fastjango.core.handlers import dispatch

    with override_settings(ALLOWED_HOSTS=["*"]):
        client = Client()
        for n in range(dispatch._MAX_CACHED_HOSTS + 5):
            assert client.get("/", headers={"Host": f"h{n}.example"}).status_code == 200
        cached = client._get_app().dispatcher._allowed_hosts  # type: ignore[attr-defined]
    assert len(cached) == dispatch._MAX_CACHED_HOSTS


# -- root_path and the script prefix ---------------------------------------------------


def test_script_prefix_follows_root_path() -> None:
    response = Client().get("/", SCRIPT_NAME="/mount")
    assert response.content == b"/mount/|/mount/|/mount/|/"
    # It doesn't leak to the next request.
    assert Client().get("/").content == b"/|/|/|/"


def test_root_path_from_the_server_with_path_including_it() -> None:
    app = get_asgi_application()
    response = asgi_get(app, "/mount/echo/", root_path="/mount")
    assert response.status_code == 200
    assert response.json()["path"] == "/mount/echo/"


def test_force_script_name_wins() -> None:
    with override_settings(FORCE_SCRIPT_NAME="/forced"):
        assert Client().get("/").content.startswith(b"/forced/|/forced/|")


@pytest.mark.anyio
async def test_script_prefix_is_restored_in_the_callers_context() -> None:
    from fastjango.test import AsyncClient
    from fastjango.urls import get_script_prefix

    response = await AsyncClient().get("/", SCRIPT_NAME="/async-mount")
    assert response.content.startswith(b"/async-mount/")
    assert get_script_prefix() == "/"


# -- mounts and FastAPI routes -----------------------------------------------------------


def test_mounted_starlette_app_gets_root_path() -> None:
    response = Client().get("/sub/page")
    assert response.content == b"/sub|/sub/page"


def test_mount_under_a_root_path() -> None:
    response = Client().get("/sub/page", SCRIPT_NAME="/outer")
    assert response.content == b"/outer/sub|/outer/sub/page"


def test_mount_and_router_behind_django_style_middleware(make_client: ClientFactory) -> None:
    client = make_client("sync_only")
    sub = client.get("/sub/page")
    assert sub.content == b"/sub|/sub/page"
    assert sub["X-Sync-Only"] == "yes"
    routed = client.get("/router/ping")
    assert routed.json() == {"ping": "pong"}
    assert routed["X-Sync-Only"] == "yes"


def test_fastapi_behaviours_are_kept(make_client: ClientFactory) -> None:
    for client in (Client(raise_request_exception=False), make_client("sync_only")):
        assert client.get("/api/items/3").json() == {"item_id": 3}
        teapot = client.get("/api/items/0")
        assert teapot.status_code == 418
        assert teapot.json() == {"detail": "teapot"}
        invalid = client.get("/api/items/x")
        assert invalid.status_code == 404  # <int:...> doesn't match: Django's resolver says so
        not_allowed = client.post("/api/items/3")
        assert not_allowed.status_code == 405
        assert not_allowed["Allow"] == "GET"
        created = client.post("/api/create", {"name": "pen", "price": 2}, "application/json")
        assert created.status_code == 201
        assert created.json() == {"name": "pen"}  # response_model drops the extra field
        unprocessable = client.post("/api/create", {"name": "pen"}, "application/json")
        assert unprocessable.status_code == 422
        assert client.get("/api/dep").json() == {"value": "tok"}


def test_fastapi_route_error_becomes_a_django_500(make_client: ClientFactory) -> None:
    with pytest.raises(ValueError, match="unlucky"):
        Client().get("/api/items/13")
    with override_settings(DEBUG=False):
        response = Client(raise_request_exception=False).get("/api/items/13")
    assert response.status_code == 500
    assert b"Server Error" in response.content


def test_fastapi_route_reads_the_body_replayed_after_process_view(
    make_client: ClientFactory,
) -> None:
    client = make_client("TemplateHooks")
    response = client.post("/api/create", {"name": "ink", "price": 1}, "application/json")
    assert response.status_code == 201
    assert response.json() == {"name": "ink"}
    assert mw.calls == ["view-hook:{}"]


def test_routes_added_after_get_asgi_application_and_docs() -> None:
    app = get_asgi_application()

    @app.get("/late")
    async def late() -> dict[str, bool]:
        return {"late": True}

    assert asgi_get(app, "/late").json() == {"late": True}
    assert asgi_get(app, "/docs").status_code == 200
    assert asgi_get(app, "/redoc").status_code == 200
    schema = asgi_get(app, "/openapi.json").json()
    assert "/late" in schema["paths"]
    assert "/api/items/{item_id}" in schema["paths"]
    assert "/router/ping" in schema["paths"]

    # A method a fallback route doesn't answer: FastAPI's 405.
    async def post_late() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            return await c.post("/late")

    assert anyio.run(post_late).status_code == 405


def test_fallback_routes_behind_django_style_middleware(make_client: ClientFactory) -> None:
    client = make_client("sync_only")
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response["X-Sync-Only"] == "yes"
    assert "paths" in response.json()


async def websocket_roundtrip(app: Any, path: str, text: str) -> list[dict[str, Any]]:
    """Open a websocket on ``app``, send ``text``, and return what the app sent."""
    inbox: list[dict[str, Any]] = [
        {"type": "websocket.connect"},
        {"type": "websocket.receive", "text": text},
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        if inbox:
            return inbox.pop(0)
        await anyio.sleep_forever()
        raise AssertionError  # pragma: no cover

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "websocket",
        "asgi": {"version": "3.0"},
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "scheme": "ws",
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
        "subprotocols": [],
    }
    await app(scope, receive, send)
    return sent


def test_websocket_route_added_to_the_app_works_through_the_stack() -> None:
    with override_settings(
        MIDDLEWARE=["tests.core.handlers.middleware.sync_only", mw.__name__ + ".CountingASGI"]
    ):
        app = get_asgi_application(run_checks=False)

        @app.websocket("/ws")
        async def ws(websocket: WebSocket) -> None:
            await websocket.accept()
            text = await websocket.receive_text()
            await websocket.send_text(text.upper())
            await websocket.close()

        sent = anyio.run(websocket_roundtrip, app, "/ws", "hello")
        unknown = anyio.run(websocket_roundtrip, app, "/nope", "x")
    assert [m["type"] for m in sent] == ["websocket.accept", "websocket.send", "websocket.close"]
    assert sent[1]["text"] == "HELLO"
    assert unknown == [{"type": "websocket.close", "code": 1000, "reason": ""}]
    assert "asgi" not in mw.calls  # only HTTP requests are counted


# -- Django-style views and hooks ---------------------------------------------------------


def test_template_response_from_sync_and_async_views() -> None:
    client = Client()
    sync = client.get("/template/")
    assert sync.content == b"<p>sync</p>"
    assert [t.name for t in sync.templates] == ["page.html"]
    asynchronous = client.get("/async-template/")
    assert asynchronous.content == b"<main><b>async</b></main>"
    assert [t.name for t in asynchronous.templates] == ["child.html", "base.html"]


def test_process_template_response_sync_and_async(make_client: ClientFactory) -> None:
    client = make_client("TemplateHooks", "AsyncTemplateHooks")
    response = client.get("/template/")
    # Inner hooks run first: the sync hook (outer) has the last word.
    assert response.content == b"<p>hooked</p>"
    assert mw.calls == ["view-hook:{}", "async-template-hook"]
    assert client.get("/async-template/").content == b"<main><b>hooked</b></main>"


def test_process_view_response_is_a_template_response_too(make_client: ClientFactory) -> None:
    client = make_client("AsyncTemplateHooks")
    response = client.get("/template/", {"short": "template"})
    assert response.content == b"<p>async-hooked</p>"


def test_process_template_response_returning_none(make_client: ClientFactory) -> None:
    client = make_client("NoneTemplateHook", raise_request_exception=True)
    with pytest.raises(ValueError, match=r"NoneTemplateHook.process_template_response didn't"):
        client.get("/template/")


def test_process_exception_returning_a_template_response(make_client: ClientFactory) -> None:
    client = make_client("ExceptionToTemplate")
    response = client.get("/raise/500/")
    assert response.status_code == 200
    assert response.content == b"<p>boom in view</p>"
    assert client.get("/async-raise/").content == b"<p>async boom</p>"
    # A template that fails to render goes to process_exception too.
    broken = client.get("/broken-template/")
    assert mw.calls[-1] == "process_exception:UndefinedError"
    assert broken.status_code == 500


def test_exceptions_in_process_view_skip_process_exception(make_client: ClientFactory) -> None:
    client = make_client("RaisingViewHook")
    assert client.get("/raise/500/").content == b"process_exception saw ValueError('boom in view')"
    with override_settings(DEBUG=False):
        response = client.get("/echo/", {"hook": "raise"})
    assert response.status_code == 500


def test_request_urlconf_set_by_middleware(make_client: ClientFactory) -> None:
    client = make_client("UrlconfSwitch")
    assert client.get("/alt/", {"urlconf": "alt"}).content == b"from the other urlconf"
    assert client.get("/alt/").status_code == 404
    from fastjango.urls import get_urlconf

    assert get_urlconf() is None


def test_view_returning_none_names_the_view() -> None:
    client = Client()
    with pytest.raises(ValueError, match=r"The view tests\.core\.handlers\.views\.returns_string"):
        client.get("/none/")
    with pytest.raises(ValueError, match=r"views\.NoneView\.__call__ didn't return"):
        client.get("/none-instance/")
    with pytest.raises(ValueError, match=r"views\.NoneClassView didn't return"):
        client.get("/none-class/")


def test_render_failure_after_template_hooks(make_client: ClientFactory) -> None:
    handled = make_client("TemplateHooks", "ExceptionToTemplate")
    assert handled.get("/broken-template/").status_code == 500  # UndefinedError isn't handled
    assert mw.calls[-1] == "process_exception:UndefinedError"
    with override_settings(DEBUG=False):
        assert make_client("TemplateHooks").get("/broken-template/").status_code == 500


def test_fastapi_add_middleware_runs_inside_middleware(make_client: ClientFactory) -> None:
    client = make_client("sync_only")
    app = client._get_app()
    app.add_middleware(mw.CountingASGI)  # type: ignore[attr-defined]
    client.get("/echo/")
    assert mw.calls == ["sync_only", "asgi"]


def test_head_on_a_django_style_view() -> None:
    response = Client().head("/echo/")
    assert response.status_code == 200
    assert response.content == b""
    assert int(response["Content-Length"]) > 0
