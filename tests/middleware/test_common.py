from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.middleware.common import CommonMiddleware
from fastjango.test.utils import override_settings

from ._apps import client, make_app, run_asgi, scope_for

pytestmark = pytest.mark.anyio

URLCONF = "tests.middleware.urls_common"
NOT_FOUND = make_app(b"not found", status=404)


def build(app: ASGIApp = NOT_FOUND, **overrides: Any) -> CommonMiddleware:
    overrides.setdefault("ROOT_URLCONF", URLCONF)
    with override_settings(**overrides):
        return CommonMiddleware(app)


async def test_append_slash_redirects_404_when_slash_url_resolves() -> None:
    async with client(build()) as c:
        response = await c.get("/slash?a=1&b=%C3%BC")
    assert response.status_code == 301
    assert response.headers["location"] == "/slash/?a=1&b=%C3%BC"
    assert response.content == b""
    assert response.headers["content-length"] == "0"


async def test_append_slash_head() -> None:
    async with client(build()) as c:
        response = await c.head("/slash")
    assert response.status_code == 301
    assert response.headers["location"] == "/slash/"


@pytest.mark.parametrize("path", ["/slash/", "/noslash", "/unknown", "/no-append"])
async def test_no_redirect_when_it_would_not_help(path: str) -> None:
    async with client(build()) as c:
        response = await c.get(path)
    assert response.status_code == 404
    assert response.content == b"not found"


async def test_no_redirect_for_non_404() -> None:
    async with client(build(make_app(b"fine"))) as c:
        response = await c.get("/slash")
    assert response.status_code == 200
    assert response.content == b"fine"


async def test_append_slash_off() -> None:
    async with client(build(APPEND_SLASH=False)) as c:
        response = await c.get("/slash")
    assert response.status_code == 404


async def test_redirect_keeps_script_prefix() -> None:
    scope = scope_for("/prefix/slash", root_path="/prefix", query_string=b"x=1")
    messages = await run_asgi(build(), scope)
    assert messages[0]["status"] == 301
    assert (b"location", b"/prefix/slash/?x=1") in messages[0]["headers"]


async def test_leading_slashes_cannot_make_a_scheme_relative_url() -> None:
    messages = await run_asgi(build(), scope_for("//evil.com/security"))
    assert messages[0]["status"] == 301
    assert (b"location", b"/%2Fevil.com/security/") in messages[0]["headers"]


async def test_request_urlconf_is_used() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        scope["fastjango.request"] = SimpleNamespace(urlconf="tests.middleware.urls_other")
        await NOT_FOUND(scope, receive, send)

    async with client(build(app)) as c:
        other = await c.get("/other")
        slash = await c.get("/slash")
    assert other.status_code == 301
    assert other.headers["location"] == "/other/"
    assert slash.status_code == 404


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
async def test_body_methods_in_debug_raise(method: str) -> None:
    middleware = build(DEBUG=True)
    sent: list[Any] = []

    async def receive() -> Any:
        return {"type": "http.request", "body": b"data"}

    async def send(message: Any) -> None:
        sent.append(message)

    with pytest.raises(RuntimeError, match=re.escape(f"via {method}")) as info:
        await middleware(scope_for("/slash", method=method), receive, send)
    assert "testserver/slash/ (note the trailing slash)" in str(info.value)
    assert "APPEND_SLASH=False" in str(info.value)
    assert sent == []  # nothing of the 404 went out


async def test_body_methods_redirect_without_debug() -> None:
    async with client(build(DEBUG=False)) as c:
        response = await c.post("/slash", content=b"x")
    assert response.status_code == 301
    assert response.headers["location"] == "/slash/"


async def test_404_body_messages_are_dropped_after_redirect() -> None:
    app = make_app([b"not ", b"found"], status=404)
    messages = await run_asgi(build(app), scope_for("/slash"))
    assert [m["type"] for m in messages] == ["http.response.start", "http.response.body"]
    assert messages[0]["status"] == 301


@pytest.mark.parametrize(
    ("pattern", "agent", "blocked"),
    [
        (re.compile(r"^BadBot"), "BadBot/1.0", True),
        (r"NaverBot", "Mozilla NaverBot", True),
        (r"^NaverBot", "Mozilla NaverBot", False),
    ],
)
async def test_disallowed_user_agents(pattern: Any, agent: str, blocked: bool) -> None:
    middleware = build(make_app(b"ok"), DISALLOWED_USER_AGENTS=[pattern])
    async with client(middleware) as c:
        response = await c.get("/", headers={"User-Agent": agent})
    if blocked:
        assert response.status_code == 403
        assert b"<h1>403 Forbidden</h1>" in response.content
        assert response.headers["content-type"] == "text/html; charset=utf-8"
    else:
        assert response.status_code == 200


async def test_disallowed_user_agents_without_user_agent_header() -> None:
    middleware = build(make_app(b"ok"), DISALLOWED_USER_AGENTS=[r".*"])
    messages = await run_asgi(middleware, scope_for())
    assert messages[0]["status"] == 200


def test_bad_disallowed_user_agent_is_improperly_configured() -> None:
    with pytest.raises(ImproperlyConfigured, match="DISALLOWED_USER_AGENTS"):
        build(DISALLOWED_USER_AGENTS=[42])


async def test_prepend_www() -> None:
    middleware = build(make_app(b"ok"), PREPEND_WWW=True, ALLOWED_HOSTS=[".example.com"])
    async with client(middleware, base_url="http://example.com") as c:
        plain = await c.get("/path/?q=1")
        needs_slash = await c.get("/slash")
    async with client(middleware, base_url="https://example.com:8443") as c:
        secure = await c.get("/")
    async with client(middleware, base_url="http://www.example.com") as c:
        already = await c.get("/")
    assert plain.status_code == 301
    assert plain.headers["location"] == "http://www.example.com/path/?q=1"
    assert needs_slash.headers["location"] == "http://www.example.com/slash/"
    assert secure.headers["location"] == "https://www.example.com:8443/"
    assert already.status_code == 200


async def test_prepend_www_leaves_disallowed_host_to_the_handler() -> None:
    middleware = build(make_app(b"bad host", status=400), PREPEND_WWW=True)
    async with client(middleware, base_url="http://evil.example") as c:
        response = await c.get("/")
    assert response.status_code == 400


async def test_content_length_added_to_single_body_response() -> None:
    middleware = build(make_app(b"hello", content_length=False))
    messages = await run_asgi(middleware, scope_for())
    assert (b"content-length", b"5") in messages[0]["headers"]


async def test_content_length_not_added_to_streaming_head_or_empty_statuses() -> None:
    streaming = await run_asgi(build(make_app([b"a", b"b"])), scope_for())
    head = await run_asgi(build(make_app(b"", content_length=False)), scope_for(method="HEAD"))
    no_content = await run_asgi(build(make_app(b"", status=204, content_length=False)), scope_for())
    chunked = await run_asgi(
        build(make_app(b"x", headers=[("transfer-encoding", "chunked")], content_length=False)),
        scope_for(),
    )
    for messages in (streaming, head, no_content, chunked):
        assert not any(name == b"content-length" for name, _ in messages[0]["headers"])
    assert [m.get("body") for m in streaming[1:]] == [b"a", b"b"]


async def test_existing_content_length_is_kept() -> None:
    messages = await run_asgi(build(make_app(b"abc")), scope_for())
    assert [v for k, v in messages[0]["headers"] if k == b"content-length"] == [b"3"]


async def test_held_start_flushed_by_other_message() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.pathsend", "path": "/tmp/x"})

    messages = await run_asgi(build(app), scope_for())
    assert [m["type"] for m in messages] == ["http.response.start", "http.response.pathsend"]


@pytest.mark.parametrize("scope_type", ["lifespan", "websocket"])
async def test_non_http_scopes_pass_straight_through(scope_type: str) -> None:
    seen: list[Scope] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope)

    middleware = build(app, DISALLOWED_USER_AGENTS=[r".*"], PREPEND_WWW=True)

    async def receive() -> Message:
        return {"type": f"{scope_type}.connect"}

    async def send(message: Message) -> None:
        raise AssertionError("nothing is sent")

    scope = {"type": scope_type, "path": "/x", "headers": [(b"user-agent", b"x")]}
    await middleware(scope, receive, send)
    assert seen == [scope]
