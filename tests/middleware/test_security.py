from __future__ import annotations

import pytest

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.middleware.security import SecurityMiddleware
from fastjango.test.utils import override_settings

from ._apps import client, make_app

pytestmark = pytest.mark.anyio


async def test_default_headers_on_plain_http() -> None:
    async with client(SecurityMiddleware(make_app())) as c:
        response = await c.get("/")
    assert response.status_code == 200
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["cross-origin-opener-policy"] == "same-origin"
    assert "strict-transport-security" not in response.headers


async def test_view_headers_are_never_overwritten() -> None:
    app = make_app(
        headers=[
            ("X-Content-Type-Options", "custom"),
            ("referrer-policy", "no-referrer"),
            ("cross-origin-opener-policy", "unsafe-none"),
            ("strict-transport-security", "max-age=1"),
        ]
    )
    with override_settings(SECURE_HSTS_SECONDS=3600):
        middleware = SecurityMiddleware(app)
    async with client(middleware, base_url="https://testserver") as c:
        response = await c.get("/")
    assert response.headers.get_list("x-content-type-options") == ["custom"]
    assert response.headers.get_list("referrer-policy") == ["no-referrer"]
    assert response.headers.get_list("cross-origin-opener-policy") == ["unsafe-none"]
    assert response.headers.get_list("strict-transport-security") == ["max-age=1"]


@pytest.mark.parametrize(
    ("include_subdomains", "preload", "expected"),
    [
        (False, False, "max-age=3600"),
        (True, False, "max-age=3600; includeSubDomains"),
        (False, True, "max-age=3600; preload"),
        (True, True, "max-age=3600; includeSubDomains; preload"),
    ],
)
async def test_hsts_on_secure_requests(
    include_subdomains: bool, preload: bool, expected: str
) -> None:
    with override_settings(
        SECURE_HSTS_SECONDS=3600,
        SECURE_HSTS_INCLUDE_SUBDOMAINS=include_subdomains,
        SECURE_HSTS_PRELOAD=preload,
    ):
        middleware = SecurityMiddleware(make_app())
    async with client(middleware, base_url="https://testserver") as c:
        secure = await c.get("/")
    async with client(middleware) as c:
        plain = await c.get("/")
    assert secure.headers["strict-transport-security"] == expected
    assert "strict-transport-security" not in plain.headers


async def test_hsts_zero_seconds_sends_nothing() -> None:
    async with client(SecurityMiddleware(make_app()), base_url="https://testserver") as c:
        response = await c.get("/")
    assert "strict-transport-security" not in response.headers


async def test_proxy_ssl_header_marks_request_secure() -> None:
    with override_settings(
        SECURE_HSTS_SECONDS=60, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")
    ):
        middleware = SecurityMiddleware(make_app())
    async with client(middleware) as c:
        forwarded = await c.get("/", headers={"X-Forwarded-Proto": "https, http"})
        other = await c.get("/", headers={"X-Forwarded-Proto": "http"})
        missing = await c.get("/")
    assert forwarded.headers["strict-transport-security"] == "max-age=60"
    assert "strict-transport-security" not in other.headers
    assert "strict-transport-security" not in missing.headers


async def test_proxy_ssl_header_overrides_scope_scheme() -> None:
    # Behind a proxy the header is the truth, even if the hop to us was https.
    with override_settings(
        SECURE_HSTS_SECONDS=60, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")
    ):
        middleware = SecurityMiddleware(make_app())
    async with client(middleware, base_url="https://testserver") as c:
        response = await c.get("/", headers={"X-Forwarded-Proto": "http"})
    assert "strict-transport-security" not in response.headers


@pytest.mark.parametrize(
    "value", ["HTTP_X_FORWARDED_PROTO", ("HTTP_X_FORWARDED_PROTO",), ("X_FORWARDED_PROTO", "https")]
)
def test_bad_proxy_ssl_header_is_improperly_configured(value: object) -> None:
    with override_settings(SECURE_PROXY_SSL_HEADER=value):
        with pytest.raises(ImproperlyConfigured, match="SECURE_PROXY_SSL_HEADER"):
            SecurityMiddleware(make_app())


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("strict-origin", "strict-origin"),
        (
            "no-referrer, strict-origin-when-cross-origin",
            "no-referrer,strict-origin-when-cross-origin",
        ),
        (["no-referrer", "same-origin"], "no-referrer,same-origin"),
        (("origin",), "origin"),
    ],
)
async def test_referrer_policy_forms(setting: object, expected: str) -> None:
    with override_settings(SECURE_REFERRER_POLICY=setting):
        middleware = SecurityMiddleware(make_app())
    async with client(middleware) as c:
        response = await c.get("/")
    assert response.headers["referrer-policy"] == expected


async def test_disabled_headers_are_not_sent() -> None:
    with override_settings(
        SECURE_CONTENT_TYPE_NOSNIFF=False,
        SECURE_REFERRER_POLICY=None,
        SECURE_CROSS_ORIGIN_OPENER_POLICY=None,
    ):
        middleware = SecurityMiddleware(make_app())
    async with client(middleware) as c:
        response = await c.get("/")
    assert "x-content-type-options" not in response.headers
    assert "referrer-policy" not in response.headers
    assert "cross-origin-opener-policy" not in response.headers


async def test_coop_value_is_configurable() -> None:
    with override_settings(SECURE_CROSS_ORIGIN_OPENER_POLICY="same-origin-allow-popups"):
        middleware = SecurityMiddleware(make_app())
    async with client(middleware) as c:
        response = await c.get("/")
    assert response.headers["cross-origin-opener-policy"] == "same-origin-allow-popups"


async def test_ssl_redirect_keeps_path_and_query() -> None:
    with override_settings(SECURE_SSL_REDIRECT=True):
        middleware = SecurityMiddleware(make_app())
    async with client(middleware) as c:
        response = await c.get("/some/päth?a=1&b=ü")
        head = await c.head("/x")
    assert response.status_code == 301
    assert response.headers["location"] == "https://testserver/some/p%C3%A4th?a=1&b=%C3%BC"
    assert response.headers["content-length"] == "0"
    assert response.content == b""
    # The redirect itself carries the security headers, as Django's does.
    assert response.headers["x-content-type-options"] == "nosniff"
    assert head.status_code == 301
    assert head.headers["location"] == "https://testserver/x"


async def test_ssl_redirect_not_for_secure_requests() -> None:
    with override_settings(SECURE_SSL_REDIRECT=True):
        middleware = SecurityMiddleware(make_app(b"secure"))
    async with client(middleware, base_url="https://testserver") as c:
        response = await c.get("/")
    assert response.status_code == 200
    assert response.content == b"secure"


async def test_ssl_redirect_to_ssl_host() -> None:
    with override_settings(SECURE_SSL_REDIRECT=True, SECURE_SSL_HOST="secure.example.com"):
        middleware = SecurityMiddleware(make_app())
    async with client(middleware) as c:
        response = await c.get("/a?b=c")
    assert response.headers["location"] == "https://secure.example.com/a?b=c"


async def test_ssl_redirect_exempt_patterns_match_path_without_leading_slash() -> None:
    with override_settings(SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=[r"^health/", r"^$"]):
        middleware = SecurityMiddleware(make_app())
    async with client(middleware) as c:
        exempt = await c.get("/health/live")
        root = await c.get("/")
        other = await c.get("/other/health/")
    assert exempt.status_code == 200
    assert root.status_code == 200
    assert other.status_code == 301


async def test_ssl_redirect_leaves_disallowed_host_to_the_handler() -> None:
    with override_settings(SECURE_SSL_REDIRECT=True):
        middleware = SecurityMiddleware(make_app(b"handler", status=400))
    async with client(middleware, base_url="http://evil.example.com") as c:
        response = await c.get("/")
    assert response.status_code == 400
    assert response.content == b"handler"


async def test_ssl_redirect_uses_x_forwarded_host_when_allowed() -> None:
    with override_settings(
        SECURE_SSL_REDIRECT=True, USE_X_FORWARDED_HOST=True, ALLOWED_HOSTS=["example.com"]
    ):
        middleware = SecurityMiddleware(make_app())
    async with client(middleware) as c:
        response = await c.get("/p", headers={"X-Forwarded-Host": "example.com"})
    assert response.headers["location"] == "https://example.com/p"


async def test_streaming_body_passes_through() -> None:
    middleware = SecurityMiddleware(make_app([b"a", b"b", b"c"]))
    async with client(middleware) as c:
        response = await c.get("/")
    assert response.content == b"abc"
    assert response.headers["x-content-type-options"] == "nosniff"
