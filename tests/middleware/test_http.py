from __future__ import annotations

import hashlib

import pytest
from starlette.types import Receive, Scope, Send

from fastjango.middleware.http import ConditionalGetMiddleware

from ._apps import client, make_app, run_asgi, scope_for

pytestmark = pytest.mark.anyio

BODY = b"content"
MD5_ETAG = f'"{hashlib.md5(BODY).hexdigest()}"'
LAST_MODIFIED = "Sat, 12 Feb 2011 17:38:44 GMT"
EARLIER = "Sat, 12 Feb 2011 17:35:44 GMT"
LATER = "Sat, 12 Feb 2011 17:41:44 GMT"


async def test_etag_is_added_to_non_streaming_response() -> None:
    async with client(ConditionalGetMiddleware(make_app(BODY))) as c:
        response = await c.get("/")
    assert response.status_code == 200
    assert response.headers["etag"] == MD5_ETAG


async def test_etag_is_added_even_to_errors_but_no_304() -> None:
    async with client(ConditionalGetMiddleware(make_app(BODY, status=404))) as c:
        response = await c.get("/", headers={"If-None-Match": MD5_ETAG})
    assert response.status_code == 404
    assert response.headers["etag"] == MD5_ETAG


async def test_no_etag_for_empty_body_or_no_store() -> None:
    async with client(ConditionalGetMiddleware(make_app(b""))) as c:
        empty = await c.get("/")
    app = make_app(BODY, headers=[("cache-control", "private, No-Store")])
    async with client(ConditionalGetMiddleware(app)) as c:
        no_store = await c.get("/")
    assert "etag" not in empty.headers
    assert "etag" not in no_store.headers


async def test_other_cache_control_still_gets_etag() -> None:
    app = make_app(BODY, headers=[("cache-control", "max-age=60")])
    async with client(ConditionalGetMiddleware(app)) as c:
        response = await c.get("/")
    assert response.headers["etag"] == MD5_ETAG


async def test_no_etag_for_streaming_response_and_no_buffering() -> None:
    messages = await run_asgi(ConditionalGetMiddleware(make_app([b"a", b"b"])), scope_for())
    assert [m["type"] for m in messages] == [
        "http.response.start",
        "http.response.body",
        "http.response.body",
    ]
    assert not any(name == b"etag" for name, _ in messages[0]["headers"])


async def test_if_none_match_gives_304_with_kept_headers() -> None:
    app = make_app(
        BODY,
        headers=[
            ("content-type", "text/plain"),
            ("cache-control", "max-age=60"),
            ("vary", "Cookie"),
            ("set-cookie", "a=1"),
            ("x-other", "dropped"),
        ],
    )
    async with client(ConditionalGetMiddleware(app)) as c:
        response = await c.get("/", headers={"If-None-Match": MD5_ETAG})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == MD5_ETAG
    assert response.headers["cache-control"] == "max-age=60"
    assert response.headers["vary"] == "Cookie"
    assert response.headers["set-cookie"] == "a=1"
    assert "content-type" not in response.headers
    assert "x-other" not in response.headers


@pytest.mark.parametrize(
    ("if_none_match", "status"),
    [
        ('"other"', 200),
        ('W/"abc"', 304),  # weak comparison
        ('"x", "abc"', 304),
        ("*", 304),
        ("garbage", 200),
    ],
)
async def test_if_none_match_against_view_etag(if_none_match: str, status: int) -> None:
    app = make_app(BODY, headers=[("etag", '"abc"')])
    async with client(ConditionalGetMiddleware(app)) as c:
        response = await c.get("/", headers={"If-None-Match": if_none_match})
    assert response.status_code == status


@pytest.mark.parametrize(
    ("if_match", "etag", "status"),
    [
        ('"abc"', '"abc"', 200),
        ('"nope"', '"abc"', 412),
        ("*", '"abc"', 200),
        ('W/"abc"', 'W/"abc"', 412),  # strong comparison: weak never matches
        ('"abc"', 'W/"abc"', 412),
    ],
)
async def test_if_match(if_match: str, etag: str, status: int) -> None:
    app = make_app(BODY, headers=[("etag", etag)])
    async with client(ConditionalGetMiddleware(app)) as c:
        response = await c.get("/", headers={"If-Match": if_match})
    assert response.status_code == status
    if status == 412:
        assert response.content == b""
        assert response.headers["content-type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize(
    ("header", "value", "status"),
    [
        ("If-Modified-Since", LAST_MODIFIED, 304),
        ("If-Modified-Since", LATER, 304),
        ("If-Modified-Since", EARLIER, 200),
        ("If-Modified-Since", "not a date", 200),
        ("If-Unmodified-Since", LAST_MODIFIED, 200),
        ("If-Unmodified-Since", EARLIER, 412),
        ("If-Unmodified-Since", LATER, 200),
    ],
)
async def test_last_modified_preconditions(header: str, value: str, status: int) -> None:
    app = make_app(BODY, headers=[("last-modified", LAST_MODIFIED), ("cache-control", "no-store")])
    async with client(ConditionalGetMiddleware(app)) as c:
        response = await c.get("/", headers={header: value})
    assert response.status_code == status


async def test_if_unmodified_since_without_last_modified_fails() -> None:
    app = make_app(BODY, headers=[("etag", '"abc"')])
    async with client(ConditionalGetMiddleware(app)) as c:
        response = await c.get("/", headers={"If-Unmodified-Since": LATER})
    assert response.status_code == 412


async def test_if_none_match_wins_over_if_modified_since() -> None:
    app = make_app(BODY, headers=[("etag", '"abc"'), ("last-modified", LAST_MODIFIED)])
    async with client(ConditionalGetMiddleware(app)) as c:
        response = await c.get(
            "/", headers={"If-None-Match": '"other"', "If-Modified-Since": LATER}
        )
    assert response.status_code == 200


async def test_if_match_wins_over_if_unmodified_since() -> None:
    app = make_app(BODY, headers=[("etag", '"abc"'), ("last-modified", LAST_MODIFIED)])
    async with client(ConditionalGetMiddleware(app)) as c:
        response = await c.get("/", headers={"If-Match": '"abc"', "If-Unmodified-Since": EARLIER})
    assert response.status_code == 200


async def test_streaming_response_with_last_modified_gets_304_and_rest_is_dropped() -> None:
    app = make_app([b"a", b"b", b"c"], headers=[("last-modified", LAST_MODIFIED)])
    messages = await run_asgi(
        ConditionalGetMiddleware(app),
        scope_for(headers=[("if-modified-since", LAST_MODIFIED)]),
    )
    assert [m["type"] for m in messages] == ["http.response.start", "http.response.body"]
    assert messages[0]["status"] == 304
    assert messages[1]["body"] == b""


async def test_view_etag_answers_at_start_without_holding() -> None:
    app = make_app([b"a", b"b"], headers=[("etag", '"abc"')])
    messages = await run_asgi(
        ConditionalGetMiddleware(app), scope_for(headers=[("if-none-match", '"abc"')])
    )
    assert [m["status"] for m in messages[:1]] == [304]
    assert len(messages) == 2


@pytest.mark.parametrize("method", ["HEAD", "POST", "PUT"])
async def test_only_get_is_handled(method: str) -> None:
    app = make_app(BODY, headers=[("etag", '"abc"')])
    async with client(ConditionalGetMiddleware(app)) as c:
        response = await c.request(method, "/", headers={"If-None-Match": '"abc"'})
    assert response.status_code == 200


async def test_pathsend_after_held_start() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.pathsend", "path": "/tmp/x"})

    messages = await run_asgi(ConditionalGetMiddleware(app), scope_for())
    assert [m["type"] for m in messages] == ["http.response.start", "http.response.pathsend"]


async def test_etag_conditions_without_a_response_etag() -> None:
    app = make_app(BODY, headers=[("last-modified", LAST_MODIFIED), ("cache-control", "no-store")])
    async with client(ConditionalGetMiddleware(app)) as c:
        if_match = await c.get("/", headers={"If-Match": '"abc"'})
        if_none_match = await c.get("/", headers={"If-None-Match": '"abc"'})
    assert if_match.status_code == 412
    assert if_none_match.status_code == 200


async def test_conditional_request_to_streaming_response_without_validators() -> None:
    app = make_app([b"a", b"b"])
    async with client(ConditionalGetMiddleware(app)) as c:
        response = await c.get("/", headers={"If-None-Match": '"abc"'})
    assert response.status_code == 200
    assert response.content == b"ab"
    assert "etag" not in response.headers
