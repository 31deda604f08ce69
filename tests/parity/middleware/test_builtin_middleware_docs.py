"""Django's "Middleware" reference: each built-in middleware's documented behaviour."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fastjango.test import Client, override_settings

URLCONF = "tests.parity.middleware.urls"
TEMPLATE_DIR = str(Path(__file__).resolve().parent / "templates")
SECURITY = "fastjango.middleware.security.SecurityMiddleware"
COMMON = "fastjango.middleware.common.CommonMiddleware"
GZIP = "fastjango.middleware.gzip.GZipMiddleware"
CONDITIONAL = "fastjango.middleware.http.ConditionalGetMiddleware"
XFRAME = "fastjango.middleware.clickjacking.XFrameOptionsMiddleware"


_ACTIVE: list[Any] = []


@pytest.fixture(autouse=True)
def urlconf() -> Iterator[None]:
    with override_settings(
        ROOT_URLCONF=URLCONF,
        DEBUG=False,
        ALLOWED_HOSTS=["testserver", "example.com", "www.example.com"],
    ):
        yield
        # Undo client()'s overrides, newest first, before the one above.
        while _ACTIVE:
            _ACTIVE.pop().disable()


def client(*middleware: str, **settings: Any) -> Client:
    # A fresh client per settings: it builds the app (and the middleware) on first use.
    override = override_settings(MIDDLEWARE=list(middleware), **settings)
    override.enable()
    _ACTIVE.append(override)
    return Client(raise_request_exception=False)


# -- CommonMiddleware ------------------------------------------------------------------------


def test_disallowed_user_agents_get_403() -> None:
    c = client(COMMON, DISALLOWED_USER_AGENTS=[re.compile(r"^NaughtyBot")])
    assert c.get("/small/", headers={"User-Agent": "NaughtyBot/1.0"}).status_code == 403
    assert c.get("/small/", headers={"User-Agent": "NiceBot"}).status_code == 200


def test_disallowed_user_agents_use_the_403_handler() -> None:
    templates = [{"BACKEND": "fastjango.template.backends.jinja2.Jinja2", "DIRS": [TEMPLATE_DIR]}]
    c = client(COMMON, DISALLOWED_USER_AGENTS=[r"^NaughtyBot"], TEMPLATES=templates)
    response = c.get("/small/", headers={"User-Agent": "NaughtyBot/1.0"})
    assert response.status_code == 403
    assert response.content.strip() == b"403 page: Forbidden user agent"


def test_append_slash() -> None:
    c = client(COMMON)
    response = c.get("/page", {"a": "1"})
    assert (response.status_code, response["Location"]) == (301, "/page/?a=1")
    assert c.get("/nothing").status_code == 404
    with override_settings(DEBUG=True):
        debug = Client()
        with pytest.raises(RuntimeError, match="You called this URL via POST"):
            debug.post("/page", {"a": "1"})
    assert client(COMMON, APPEND_SLASH=False).get("/page").status_code == 404


def test_prepend_www() -> None:
    c = client(COMMON, PREPEND_WWW=True)
    response = c.get("/page", headers={"host": "example.com"})
    # The www and the slash are added in one redirect.
    assert (response.status_code, response["Location"]) == (301, "http://www.example.com/page/")
    assert c.get("/page/", headers={"host": "www.example.com"}).status_code == 200


def test_content_length_is_set() -> None:
    response = client(COMMON).get("/small/")
    assert response["Content-Length"] == "5"
    assert "Content-Length" not in client(COMMON).get("/stream/")


# -- GZipMiddleware --------------------------------------------------------------------------


def test_gzip() -> None:
    c = client(GZIP)
    response = c.get("/page/", headers={"Accept-Encoding": "gzip, deflate"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content).startswith(b"<p>page page")
    assert int(response["Content-Length"]) == len(response.content)
    # Too small, not accepted, or already carrying an ETag that must turn weak.
    assert "Content-Encoding" not in c.get("/small/", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in c.get("/page/")
    tagged = c.get("/etag/", headers={"Accept-Encoding": "gzip"})
    assert tagged["ETag"] == 'W/"v1"'
    streamed = c.get("/stream/", headers={"Accept-Encoding": "gzip"})
    assert streamed["Content-Encoding"] == "gzip"
    body = b"".join(streamed.streaming_content)
    assert gzip.decompress(body) == b"chunk of streamed text " * 50


# -- ConditionalGetMiddleware ----------------------------------------------------------------


def test_conditional_get() -> None:
    c = client(CONDITIONAL)
    response = c.get("/page/")
    etag = response["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    cached = c.get("/page/", headers={"If-None-Match": etag})
    assert (cached.status_code, cached.content) == (304, b"")
    assert c.get("/page/", headers={"If-None-Match": '"other"'}).status_code == 200
    assert c.post("/page/", headers={"If-None-Match": etag}).status_code == 200
    assert "ETag" not in c.get("/stream/")


# -- SecurityMiddleware ----------------------------------------------------------------------


def test_security_headers_by_default() -> None:
    response = client(SECURITY).get("/small/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response


def test_a_header_the_view_set_is_kept() -> None:
    response = client(SECURITY, XFRAME).get("/own/")
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Content-Type-Options"] == "custom"
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_hsts_only_over_https() -> None:
    c = client(
        SECURITY,
        SECURE_HSTS_SECONDS=3600,
        SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
        SECURE_HSTS_PRELOAD=True,
    )
    assert "Strict-Transport-Security" not in c.get("/small/")
    secure = c.get("/small/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=3600; includeSubDomains; preload"


def test_referrer_policy_values() -> None:
    c = client(SECURITY, SECURE_REFERRER_POLICY=["origin", "strict-origin"])
    assert c.get("/small/")["Referrer-Policy"] == "origin,strict-origin"
    c = client(SECURITY, SECURE_REFERRER_POLICY="no-referrer, origin")
    assert c.get("/small/")["Referrer-Policy"] == "no-referrer,origin"
    assert "Referrer-Policy" not in client(SECURITY, SECURE_REFERRER_POLICY=None).get("/small/")


def test_ssl_redirect() -> None:
    c = client(
        SECURITY,
        SECURE_SSL_REDIRECT=True,
        SECURE_REDIRECT_EXEMPT=[r"^exempt/"],
    )
    response = c.get("/page/", {"q": "1"})
    assert (response.status_code, response["Location"]) == (301, "https://testserver/page/?q=1")
    assert c.get("/page/", secure=True).status_code == 200
    assert c.get("/exempt/page/").status_code == 200
    hosted = client(SECURITY, SECURE_SSL_REDIRECT=True, SECURE_SSL_HOST="secure.example.com")
    assert hosted.get("/page/")["Location"] == "https://secure.example.com/page/"


def test_proxy_ssl_header() -> None:
    c = client(SECURITY, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
    response = c.get("/host/", headers={"X-Forwarded-Proto": "https"})
    # No Host header: Django rebuilds it from SERVER_NAME and the port, kept as not 443.
    assert response.content == b"testserver:80 https"
    hosted = c.get("/host/", headers={"X-Forwarded-Proto": "https", "Host": "example.com"})
    assert hosted.content == b"example.com https"


def test_use_x_forwarded_host_and_port() -> None:
    c = client(USE_X_FORWARDED_HOST=True)
    assert c.get("/host/", headers={"X-Forwarded-Host": "example.com"}).content == (
        b"example.com http"
    )


# -- XFrameOptionsMiddleware -----------------------------------------------------------------


def test_x_frame_options() -> None:
    assert client(XFRAME).get("/small/")["X-Frame-Options"] == "DENY"
    assert client(XFRAME, X_FRAME_OPTIONS="SAMEORIGIN").get("/small/")["X-Frame-Options"] == (
        "SAMEORIGIN"
    )


# -- Ordering --------------------------------------------------------------------------------


def test_the_recommended_order_works_together() -> None:
    # Django's recommended order: GZip outside ConditionalGet, so the ETag is the body's.
    c = client(SECURITY, GZIP, CONDITIONAL, COMMON, XFRAME)
    response = c.get("/page", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 301
    page = c.get("/page/", headers={"Accept-Encoding": "gzip"})
    assert page["Content-Encoding"] == "gzip"
    assert page["X-Frame-Options"] == "DENY"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["ETag"].startswith('W/"')
    assert (
        c.get(
            "/page/", headers={"If-None-Match": page["ETag"], "Accept-Encoding": "gzip"}
        ).status_code
        == 304
    )
