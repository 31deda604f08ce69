"""``fastjango.utils.cache``: Cache-Control, Vary, ETags, conditional responses, page keys."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from fastjango.core.cache import caches
from fastjango.http import HttpResponse, StreamingHttpResponse
from fastjango.test.client import RequestFactory
from fastjango.test.utils import override_settings
from fastjango.utils.cache import (
    add_never_cache_headers,
    aget_cache_key,
    alearn_cache_key,
    get_cache_key,
    get_conditional_response,
    get_max_age,
    has_vary_header,
    learn_cache_key,
    max_age_of,
    patch_cache_control,
    patch_response_headers,
    patch_vary_headers,
    patched_cache_control,
    patched_vary,
    set_response_etag,
    vary_contains,
)
from fastjango.utils.http import http_date

pytestmark = pytest.mark.anyio

HOST = "www.example.com"
PATH = "/cache/test/"


@pytest.fixture(autouse=True)
def cache_settings() -> Iterator[None]:
    # Django's own CacheUtils test settings, so the keys below are Django's keys.
    with override_settings(
        CACHE_MIDDLEWARE_KEY_PREFIX="settingsprefix",
        CACHE_MIDDLEWARE_SECONDS=1,
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": uuid.uuid4().hex,
            }
        },
        USE_I18N=False,
        USE_TZ=False,
        ALLOWED_HOSTS=[".example.com"],
    ):
        yield


def factory() -> RequestFactory:
    return RequestFactory(HTTP_HOST=HOST)


@pytest.mark.parametrize(
    ("initial", "kwargs", "expected"),
    [
        (None, {"private": True}, {"private"}),
        ("", {"private": True}, {"private"}),
        ("", {"no_cache": "Set-Cookie"}, {"no-cache=Set-Cookie"}),
        ("", {"no-cache": "Set-Cookie"}, {"no-cache=Set-Cookie"}),
        ("no-cache=Set-Cookie", {"no_cache": True}, {"no-cache"}),
        ("no-cache=Set-Cookie,no-cache=Link", {"no_cache": True}, {"no-cache"}),
        ("no-cache=Set-Cookie", {"no_cache": "Link"}, {"no-cache=Set-Cookie", "no-cache=Link"}),
        (
            "no-cache=Set-Cookie,no-cache=Link",
            {"no_cache": "Custom"},
            {"no-cache=Set-Cookie", "no-cache=Link", "no-cache=Custom"},
        ),
        ("private", {"private": True}, {"private"}),
        ("private", {"public": True}, {"public"}),
        ("public", {"public": True}, {"public"}),
        ("public", {"private": True}, {"private"}),
        (
            "must-revalidate,max-age=60,private",
            {"public": True},
            {"must-revalidate", "max-age=60", "public"},
        ),
        (
            "must-revalidate,max-age=60,public",
            {"private": True},
            {"must-revalidate", "max-age=60", "private"},
        ),
        (
            "must-revalidate,max-age=60",
            {"public": True},
            {"must-revalidate", "max-age=60", "public"},
        ),
        ("max-age=60", {"max_age": 30}, {"max-age=30"}),
        ("max-age=10", {"max_age": 30}, {"max-age=10"}),
        ("max-age=soon", {"max_age": 30}, {"max-age=30"}),
        ("Private, MAX-AGE=5", {"s_maxage": 1}, {"private", "max-age=5", "s-maxage=1"}),
    ],
)
def test_patch_cache_control(
    initial: str | None, kwargs: dict[str, Any], expected: set[str]
) -> None:
    response = HttpResponse()
    if initial is not None:
        response["Cache-Control"] = initial
    patch_cache_control(response, **kwargs)
    assert set(response["Cache-Control"].split(", ")) == expected
    assert set(patched_cache_control(initial, **kwargs).split(", ")) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("", None), ("max-age=60", 60), ("public, max-age=0", 0), ("max-age=x", None)],
)
def test_get_max_age(value: str | None, expected: int | None) -> None:
    response = HttpResponse()
    if value is not None:
        response["Cache-Control"] = value
    assert get_max_age(response) == expected
    assert max_age_of(value) == expected


@pytest.mark.parametrize(
    ("initial", "new", "expected"),
    [
        (None, ("Accept-Encoding",), "Accept-Encoding"),
        ("Accept-Encoding", ("accept-encoding",), "Accept-Encoding"),
        ("Accept-Encoding", ("ACCEPT-ENCODING",), "Accept-Encoding"),
        ("Cookie", ("Accept-Encoding",), "Cookie, Accept-Encoding"),
        ("Cookie, Accept-Encoding", ("Accept-Encoding",), "Cookie, Accept-Encoding"),
        ("Cookie, Accept-Encoding", ("Accept-Encoding", "cookie"), "Cookie, Accept-Encoding"),
        (None, ("Accept-Encoding", "COOKIE"), "Accept-Encoding, COOKIE"),
        ("Cookie,     Accept-Encoding", ("Accept-Encoding", "cookie"), "Cookie, Accept-Encoding"),
        ("Cookie    ,     Accept-Encoding", ("Accept-Encoding",), "Cookie, Accept-Encoding"),
        ("*", ("Accept-Language", "Cookie"), "*"),
        ("Accept-Language, Cookie", ("*",), "*"),
    ],
)
def test_patch_vary_headers(initial: str | None, new: tuple[str, ...], expected: str) -> None:
    response = HttpResponse()
    if initial is not None:
        response["Vary"] = initial
    patch_vary_headers(response, new)
    assert response["Vary"] == expected
    assert patched_vary(initial, new) == expected


def test_has_vary_header() -> None:
    response = HttpResponse()
    assert has_vary_header(response, "Cookie") is False
    response["Vary"] = "Accept-Encoding,  COOKIE"
    assert has_vary_header(response, "cookie") is True
    assert has_vary_header(response, "Accept") is False
    assert vary_contains(None, "Cookie") is False


def test_patch_response_headers() -> None:
    response = HttpResponse()
    before = time.time()
    patch_response_headers(response, 60)
    assert response["Cache-Control"] == "max-age=60"
    assert response["Expires"] in {http_date(before + 60), http_date(before + 61)}
    response = HttpResponse()
    response["Expires"] = "kept"
    patch_response_headers(response)  # CACHE_MIDDLEWARE_SECONDS
    assert response["Cache-Control"] == "max-age=1"
    assert response["Expires"] == "kept"
    response = HttpResponse()
    patch_response_headers(response, -5)
    assert response["Cache-Control"] == "max-age=0"


def test_add_never_cache_headers() -> None:
    response = HttpResponse()
    add_never_cache_headers(response)
    assert set(response["Cache-Control"].split(", ")) == {
        "max-age=0",
        "no-cache",
        "no-store",
        "must-revalidate",
        "private",
    }
    assert response["Expires"] <= http_date(time.time())


def test_set_response_etag() -> None:
    response = set_response_etag(HttpResponse(b"content"))
    assert response["ETag"] == '"9a0364b9e99bb480dd25e1f0284c8555"'
    assert "ETag" not in set_response_etag(HttpResponse(b""))
    assert "ETag" not in set_response_etag(StreamingHttpResponse(iter([b"x"])))  # type: ignore[arg-type]


# Conditional responses.

ETAG = '"abc"'
LAST_MODIFIED = 1_000_000_000


@pytest.mark.parametrize(
    ("method", "headers", "etag", "last_modified", "status"),
    [
        ("GET", {}, ETAG, LAST_MODIFIED, 200),
        ("GET", {"HTTP_IF_NONE_MATCH": ETAG}, ETAG, None, 304),
        ("GET", {"HTTP_IF_NONE_MATCH": 'W/"abc"'}, ETAG, None, 304),
        ("GET", {"HTTP_IF_NONE_MATCH": '"other"'}, ETAG, None, 200),
        ("GET", {"HTTP_IF_NONE_MATCH": "*"}, ETAG, None, 304),
        ("GET", {"HTTP_IF_NONE_MATCH": "*"}, None, None, 200),
        ("POST", {"HTTP_IF_NONE_MATCH": ETAG}, ETAG, None, 412),
        ("GET", {"HTTP_IF_MATCH": ETAG}, ETAG, None, 200),
        ("GET", {"HTTP_IF_MATCH": '"other"'}, ETAG, None, 412),
        ("GET", {"HTTP_IF_MATCH": ETAG}, 'W/"abc"', None, 412),
        ("GET", {"HTTP_IF_MATCH": "*"}, ETAG, None, 200),
        ("GET", {"HTTP_IF_MATCH": ETAG}, None, None, 412),
        ("GET", {"HTTP_IF_MODIFIED_SINCE": http_date(LAST_MODIFIED)}, None, LAST_MODIFIED, 304),
        ("HEAD", {"HTTP_IF_MODIFIED_SINCE": http_date(LAST_MODIFIED)}, None, LAST_MODIFIED, 304),
        ("POST", {"HTTP_IF_MODIFIED_SINCE": http_date(LAST_MODIFIED)}, None, LAST_MODIFIED, 200),
        (
            "GET",
            {"HTTP_IF_MODIFIED_SINCE": http_date(LAST_MODIFIED - 10)},
            None,
            LAST_MODIFIED,
            200,
        ),
        ("GET", {"HTTP_IF_MODIFIED_SINCE": "not a date"}, None, LAST_MODIFIED, 200),
        ("GET", {"HTTP_IF_UNMODIFIED_SINCE": http_date(LAST_MODIFIED)}, None, LAST_MODIFIED, 200),
        (
            "GET",
            {"HTTP_IF_UNMODIFIED_SINCE": http_date(LAST_MODIFIED - 10)},
            None,
            LAST_MODIFIED,
            412,
        ),
        (
            "GET",
            {"HTTP_IF_MATCH": ETAG, "HTTP_IF_UNMODIFIED_SINCE": http_date(LAST_MODIFIED - 10)},
            ETAG,
            LAST_MODIFIED,
            200,
        ),
        (
            "GET",
            {"HTTP_IF_NONE_MATCH": '"other"', "HTTP_IF_MODIFIED_SINCE": http_date(LAST_MODIFIED)},
            ETAG,
            LAST_MODIFIED,
            200,
        ),
    ],
)
def test_get_conditional_response(
    method: str,
    headers: dict[str, str],
    etag: str | None,
    last_modified: int | None,
    status: int,
) -> None:
    extra: dict[str, Any] = dict(headers)
    request = factory().generic(method, "/", **extra)
    response = HttpResponse(b"body")
    result = get_conditional_response(request, etag, last_modified, response)
    assert result is not None
    assert result.status_code == status
    if status == 200:
        assert result is response


def test_not_modified_keeps_the_caching_headers_and_cookies() -> None:
    request = factory().get("/", HTTP_IF_NONE_MATCH=ETAG)
    response = HttpResponse(b"body")
    response["ETag"] = ETAG
    response["Cache-Control"] = "max-age=60"
    response["Vary"] = "Cookie"
    response["X-Other"] = "dropped"
    response.set_cookie("name", "value")
    result = get_conditional_response(request, ETAG, None, response)
    assert result is not None
    assert result.status_code == 304
    assert (result["ETag"], result["Cache-Control"], result["Vary"]) == (
        ETAG,
        "max-age=60",
        "Cookie",
    )
    assert "X-Other" not in result
    assert result.cookies["name"].value == "value"
    bare = get_conditional_response(request, ETAG)
    assert bare is not None and bare.status_code == 304


def test_conditional_response_leaves_errors_alone() -> None:
    request = factory().get("/", HTTP_IF_NONE_MATCH=ETAG)
    error = HttpResponse(status=500)
    assert get_conditional_response(request, ETAG, None, error) is error


# Page cache keys.


def test_get_cache_key_matches_django() -> None:
    request = factory().get(PATH)
    response = HttpResponse()
    assert get_cache_key(request) is None
    learn_cache_key(request, response)
    assert get_cache_key(request) == (
        "views.decorators.cache.cache_page.settingsprefix.GET."
        "18a03f9c9649f7d684af5db3524f5c99.d41d8cd98f00b204e9800998ecf8427e"
    )
    assert get_cache_key(request, "localprefix") is None
    learn_cache_key(request, response, key_prefix="localprefix")
    assert get_cache_key(request, "localprefix") == (
        "views.decorators.cache.cache_page.localprefix.GET."
        "18a03f9c9649f7d684af5db3524f5c99.d41d8cd98f00b204e9800998ecf8427e"
    )


def test_get_cache_key_with_query_and_vary() -> None:
    request = factory().get(PATH, {"test": 1})
    response = HttpResponse()
    response["Vary"] = "Pony"
    learn_cache_key(request, response)
    assert get_cache_key(request) == (
        "views.decorators.cache.cache_page.settingsprefix.GET."
        "beaf87a9a99ee81c673ea2d67ccbec2a.d41d8cd98f00b204e9800998ecf8427e"
    )
    pony = factory().get(PATH, {"test": 1}, HTTP_PONY="yes")
    assert get_cache_key(pony) != get_cache_key(request)
    assert caches["default"].get(
        "views.decorators.cache.cache_header.settingsprefix.beaf87a9a99ee81c673ea2d67ccbec2a"
    ) == ["HTTP_PONY"]


def test_learn_cache_key_skips_accept_language_under_i18n() -> None:
    request = factory().get(PATH)
    response = HttpResponse()
    response["Vary"] = "Accept-Language, Cookie"
    with override_settings(USE_I18N=True, USE_TZ=True, LANGUAGE_CODE="fr"):
        key = learn_cache_key(request, response)
        assert key.endswith(".fr.UTC")
        header_keys = [k for k in caches["default"]._cache if "cache_header" in k]  # type: ignore[attr-defined]
        assert caches["default"].get(header_keys[0].split(":", 2)[2]) == ["HTTP_COOKIE"]
        request.LANGUAGE_CODE = "de"
        assert learn_cache_key(request, response).endswith(".de.UTC")
    assert not learn_cache_key(request, response).endswith(("UTC", ".de"))


async def test_async_twins() -> None:
    request = factory().get(PATH)
    assert await aget_cache_key(request) is None
    key = await alearn_cache_key(request, HttpResponse(), cache_timeout=60)
    assert key == await aget_cache_key(request) == get_cache_key(request)
    assert key.startswith("views.decorators.cache.cache_page.settingsprefix.GET.")
