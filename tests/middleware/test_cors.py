from __future__ import annotations

import re
from typing import Any

import pytest

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.middleware.cors import CorsMiddleware
from fastjango.test.utils import override_settings

from ._apps import client, make_app, run_asgi, scope_for

pytestmark = pytest.mark.anyio

ORIGIN = "https://example.com"
PREFLIGHT = {"Origin": ORIGIN, "Access-Control-Request-Method": "PUT"}


def build(**overrides: Any) -> CorsMiddleware:
    with override_settings(**overrides):
        return CorsMiddleware(make_app(b"view"))


async def test_allowed_origin_gets_headers() -> None:
    async with client(build(CORS_ALLOWED_ORIGINS=[ORIGIN])) as c:
        response = await c.get("/", headers={"Origin": ORIGIN})
    assert response.content == b"view"
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert response.headers["vary"] == "origin"
    assert "access-control-allow-credentials" not in response.headers
    assert "access-control-allow-methods" not in response.headers


async def test_disallowed_origin_gets_only_vary() -> None:
    async with client(build(CORS_ALLOWED_ORIGINS=[ORIGIN])) as c:
        response = await c.get("/", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers
    assert response.headers["vary"] == "origin"


async def test_no_origin_gets_only_vary() -> None:
    async with client(build(CORS_ALLOW_ALL_ORIGINS=True)) as c:
        response = await c.get("/")
    assert "access-control-allow-origin" not in response.headers
    assert response.headers["vary"] == "origin"


@pytest.mark.parametrize("origin", ["http://example.com", "https://example.com:8443"])
async def test_origin_must_match_scheme_and_port(origin: str) -> None:
    async with client(build(CORS_ALLOWED_ORIGINS=[ORIGIN])) as c:
        response = await c.get("/", headers={"Origin": origin})
    assert "access-control-allow-origin" not in response.headers


async def test_allow_all_without_credentials_is_star() -> None:
    async with client(build(CORS_ALLOW_ALL_ORIGINS=True)) as c:
        response = await c.get("/", headers={"Origin": "https://any.example"})
    assert response.headers["access-control-allow-origin"] == "*"


async def test_allow_all_with_credentials_echoes_origin() -> None:
    async with client(build(CORS_ALLOW_ALL_ORIGINS=True, CORS_ALLOW_CREDENTIALS=True)) as c:
        response = await c.get("/", headers={"Origin": "https://any.example"})
    assert response.headers["access-control-allow-origin"] == "https://any.example"
    assert response.headers["access-control-allow-credentials"] == "true"


async def test_credentials_only_for_allowed_origins() -> None:
    middleware = build(CORS_ALLOWED_ORIGINS=[ORIGIN], CORS_ALLOW_CREDENTIALS=True)
    async with client(middleware) as c:
        response = await c.get("/", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-credentials" not in response.headers


async def test_origin_regexes() -> None:
    middleware = build(
        CORS_ALLOWED_ORIGIN_REGEXES=[r"^https://\w+\.example\.net$", re.compile(r"^http://local")]
    )
    async with client(middleware) as c:
        sub = await c.get("/", headers={"Origin": "https://api.example.net"})
        compiled = await c.get("/", headers={"Origin": "http://localhost:3000"})
        other = await c.get("/", headers={"Origin": "https://example.net.evil"})
    assert sub.headers["access-control-allow-origin"] == "https://api.example.net"
    assert compiled.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert "access-control-allow-origin" not in other.headers


@pytest.mark.parametrize("origin", ["null", "file://"])
async def test_special_origins_only_when_listed(origin: str) -> None:
    async with client(build(CORS_ALLOWED_ORIGINS=[origin])) as c:
        listed = await c.get("/", headers={"Origin": origin})
    async with client(build(CORS_ALLOWED_ORIGINS=[ORIGIN])) as c:
        unlisted = await c.get("/", headers={"Origin": origin})
    assert listed.headers["access-control-allow-origin"] == origin
    assert "access-control-allow-origin" not in unlisted.headers


async def test_unparsable_origin_is_ignored() -> None:
    middleware = build(CORS_ALLOWED_ORIGINS=[ORIGIN])
    async with client(middleware) as c:
        response = await c.get("/", headers={"Origin": "http://[::1"})
    assert "access-control-allow-origin" not in response.headers
    assert response.headers["vary"] == "origin"


async def test_expose_headers() -> None:
    middleware = build(CORS_ALLOW_ALL_ORIGINS=True, CORS_EXPOSE_HEADERS=["X-Total", "X-Page"])
    async with client(middleware) as c:
        response = await c.get("/", headers={"Origin": ORIGIN})
    assert response.headers["access-control-expose-headers"] == "X-Total, X-Page"


async def test_preflight_is_answered_directly() -> None:
    middleware = build(CORS_ALLOWED_ORIGINS=[ORIGIN])
    async with client(middleware) as c:
        response = await c.options("/api/", headers=PREFLIGHT)
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-length"] == "0"
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert (
        response.headers["access-control-allow-methods"] == "DELETE, GET, OPTIONS, PATCH, POST, PUT"
    )
    assert response.headers["access-control-allow-headers"] == (
        "accept, authorization, content-type, user-agent, x-csrftoken, x-requested-with"
    )
    assert response.headers["access-control-max-age"] == "86400"
    assert response.headers["vary"] == "origin"


async def test_preflight_from_disallowed_origin_is_200_without_cors() -> None:
    async with client(build(CORS_ALLOWED_ORIGINS=[ORIGIN])) as c:
        response = await c.options("/", headers={**PREFLIGHT, "Origin": "https://evil.example"})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


async def test_preflight_settings() -> None:
    middleware = build(
        CORS_ALLOW_ALL_ORIGINS=True,
        CORS_ALLOW_METHODS=("GET",),
        CORS_ALLOW_HEADERS=["x-custom"],
        CORS_PREFLIGHT_MAX_AGE=0,
    )
    async with client(middleware) as c:
        response = await c.options("/", headers=PREFLIGHT)
    assert response.headers["access-control-allow-methods"] == "GET"
    assert response.headers["access-control-allow-headers"] == "x-custom"
    assert "access-control-max-age" not in response.headers


async def test_plain_options_reaches_view_with_preflight_headers() -> None:
    async with client(build(CORS_ALLOW_ALL_ORIGINS=True)) as c:
        response = await c.options("/", headers={"Origin": ORIGIN})
    assert response.content == b"view"
    assert "access-control-allow-methods" in response.headers


@pytest.mark.parametrize(("enabled", "expected"), [(True, "true"), (False, None)])
async def test_private_network(enabled: bool, expected: str | None) -> None:
    middleware = build(CORS_ALLOW_ALL_ORIGINS=True, CORS_ALLOW_PRIVATE_NETWORK=enabled)
    async with client(middleware) as c:
        response = await c.options(
            "/", headers={**PREFLIGHT, "Access-Control-Request-Private-Network": "true"}
        )
        no_request = await c.options("/", headers=PREFLIGHT)
    assert response.headers.get("access-control-allow-private-network") == expected
    assert "access-control-allow-private-network" not in no_request.headers


async def test_urls_regex_limits_cors() -> None:
    middleware = build(CORS_ALLOW_ALL_ORIGINS=True, CORS_URLS_REGEX=r"^/api/")
    async with client(middleware) as c:
        api = await c.get("/api/books", headers={"Origin": ORIGIN})
        page = await c.get("/books", headers={"Origin": ORIGIN})
        preflight = await c.options("/books", headers=PREFLIGHT)
    assert api.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-origin" not in page.headers
    assert "vary" not in page.headers
    assert preflight.content == b"view"


async def test_urls_regex_sees_path_without_root_path() -> None:
    middleware = build(CORS_ALLOW_ALL_ORIGINS=True, CORS_URLS_REGEX=r"^/api/")
    scope = scope_for("/prefix/api/x", root_path="/prefix", headers=[("origin", ORIGIN)])
    messages = await run_asgi(middleware, scope)
    assert (b"access-control-allow-origin", b"*") in messages[0]["headers"]


async def test_view_cors_headers_are_replaced_and_vary_patched() -> None:
    app = make_app(headers=[("Access-Control-Allow-Origin", "https://old"), ("Vary", "Cookie")])
    with override_settings(CORS_ALLOWED_ORIGINS=[ORIGIN]):
        middleware = CorsMiddleware(app)
    async with client(middleware) as c:
        response = await c.get("/", headers={"Origin": ORIGIN})
    assert response.headers.get_list("access-control-allow-origin") == [ORIGIN]
    assert response.headers["vary"] == "Cookie, origin"


async def test_streaming_body_passes_through() -> None:
    with override_settings(CORS_ALLOW_ALL_ORIGINS=True):
        middleware = CorsMiddleware(make_app([b"a", b"b"]))
    messages = await run_asgi(middleware, scope_for(headers=[("origin", ORIGIN)]))
    assert [m.get("body") for m in messages[1:]] == [b"a", b"b"]


@pytest.mark.parametrize(
    ("overrides", "origin", "allowed"),
    [
        ({"CORS_ORIGIN_WHITELIST": [ORIGIN]}, ORIGIN, True),
        ({"CORS_ORIGIN_ALLOW_ALL": True}, "https://x.example", True),
        ({"CORS_ORIGIN_REGEX_WHITELIST": [r"^https://x\."]}, "https://x.example", True),
        # The new name wins when both are set.
        ({"CORS_ORIGIN_WHITELIST": [ORIGIN], "CORS_ALLOWED_ORIGINS": []}, ORIGIN, False),
        ({"CORS_ORIGIN_ALLOW_ALL": True, "CORS_ALLOW_ALL_ORIGINS": False}, ORIGIN, False),
    ],
)
async def test_old_setting_names(overrides: dict[str, Any], origin: str, allowed: bool) -> None:
    async with client(build(**overrides)) as c:
        response = await c.get("/", headers={"Origin": origin})
    assert ("access-control-allow-origin" in response.headers) is allowed


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"CORS_ALLOWED_ORIGINS": ["example.com"]},
            "'example.com' in CORS_ALLOWED_ORIGINS is missing",
        ),
        ({"CORS_ALLOWED_ORIGINS": ["https://example.com/"]}, "should not have a path"),
        ({"CORS_ALLOWED_ORIGINS": ["https://example.com?a=1"]}, "should not have a query"),
        ({"CORS_ALLOWED_ORIGINS": ["https://example.com#x"]}, "should not have a fragment"),
        ({"CORS_ORIGIN_WHITELIST": ["https://a/b"]}, "in CORS_ORIGIN_WHITELIST should not"),
        (
            {"CORS_ALLOWED_ORIGINS": "https://example.com"},
            "CORS_ALLOWED_ORIGINS should be a sequence",
        ),
        ({"CORS_ALLOWED_ORIGINS": [1]}, "CORS_ALLOWED_ORIGINS should be a sequence of strings; 1"),
        (
            {"CORS_ALLOWED_ORIGIN_REGEXES": r"^x"},
            "CORS_ALLOWED_ORIGIN_REGEXES should be a sequence",
        ),
        ({"CORS_ALLOWED_ORIGIN_REGEXES": [1]}, "CORS_ALLOWED_ORIGIN_REGEXES should hold"),
        ({"CORS_ALLOW_ALL_ORIGINS": "yes"}, "CORS_ALLOW_ALL_ORIGINS should be a bool"),
        ({"CORS_ORIGIN_ALLOW_ALL": 1}, "CORS_ORIGIN_ALLOW_ALL should be a bool"),
        ({"CORS_ALLOW_CREDENTIALS": None}, "CORS_ALLOW_CREDENTIALS should be a bool"),
        ({"CORS_ALLOW_PRIVATE_NETWORK": "true"}, "CORS_ALLOW_PRIVATE_NETWORK should be a bool"),
        ({"CORS_PREFLIGHT_MAX_AGE": -1}, "CORS_PREFLIGHT_MAX_AGE should be an integer"),
        ({"CORS_PREFLIGHT_MAX_AGE": "60"}, "CORS_PREFLIGHT_MAX_AGE should be an integer"),
        ({"CORS_PREFLIGHT_MAX_AGE": True}, "CORS_PREFLIGHT_MAX_AGE should be an integer"),
        ({"CORS_ALLOW_METHODS": "GET"}, "CORS_ALLOW_METHODS should be a sequence"),
        ({"CORS_ALLOW_HEADERS": [None]}, "CORS_ALLOW_HEADERS should be a sequence"),
        ({"CORS_EXPOSE_HEADERS": None}, "CORS_EXPOSE_HEADERS should be a sequence"),
        ({"CORS_URLS_REGEX": 5}, "CORS_URLS_REGEX should hold"),
    ],
)
def test_bad_settings_are_improperly_configured(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        build(**overrides)


async def test_origin_decisions_are_cached_within_a_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    from fastjango.middleware import cors

    monkeypatch.setattr(cors, "_ORIGIN_CACHE_SIZE", 2)
    middleware = build(CORS_ALLOWED_ORIGINS=[ORIGIN])
    origins = [ORIGIN, "https://a.example", "https://b.example", ORIGIN, "https://b.example"]
    async with client(middleware) as c:
        for origin in origins:
            response = await c.get("/", headers={"Origin": origin})
            allowed = response.headers.get("access-control-allow-origin")
            assert allowed == (ORIGIN if origin == ORIGIN else None)
    assert middleware._origin_cache == {ORIGIN: True, "https://a.example": False}
