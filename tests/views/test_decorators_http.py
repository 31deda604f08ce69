from __future__ import annotations

import datetime
import inspect
from typing import Any

import pytest

from fastjango.http import HttpRequest, HttpResponse
from fastjango.utils.http import http_date
from fastjango.views.decorators.http import (
    condition,
    etag,
    last_modified,
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)
from tests.http.asgi import make_scope

LAST_MODIFIED = datetime.datetime(2007, 10, 21, 23, 21, 47, tzinfo=datetime.UTC)
LAST_MODIFIED_STR = "Sun, 21 Oct 2007 23:21:47 GMT"
EXPIRED_STR = "Sat, 20 Oct 2007 23:21:47 GMT"
ETAG = '"b4246ffc4f62314ca13147c9d4f76974"'
WEAK_ETAG = 'W/"b4246ffc4f62314ca13147c9d4f76974"'


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def req(method: str = "GET", **headers: str) -> HttpRequest:
    raw = [(b"host", b"testserver")] + [
        (name.replace("_", "-").lower().encode(), value.encode()) for name, value in headers.items()
    ]
    return HttpRequest(make_scope(method=method, path="/res/", headers=raw))


def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    response = HttpResponse("content")
    response.set_cookie("seen", "1")
    response["Cache-Control"] = "max-age=60"
    return response


async def async_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return view(request)


def test_require_http_methods() -> None:
    decorated = require_http_methods(["GET", "PUT"])(view)
    assert decorated.__name__ == "view"
    assert decorated(req("GET")).status_code == 200
    assert decorated(req("PUT")).status_code == 200
    response = decorated(req("POST"))
    assert response.status_code == 405
    assert response["Allow"] == "GET, PUT"


def test_shortcuts() -> None:
    assert require_GET(view)(req("POST")).status_code == 405
    assert require_POST(view)(req("POST")).status_code == 200
    assert require_safe(view)(req("HEAD")).status_code == 200
    assert require_safe(view)(req("DELETE"))["Allow"] == "GET, HEAD"
    assert "GET method" in (require_GET.__doc__ or "")


@pytest.mark.anyio
async def test_require_http_methods_on_async_views() -> None:
    decorated = require_POST(async_view)
    assert inspect.iscoroutinefunction(decorated)
    assert (await decorated(req("POST"))).status_code == 200
    assert (await decorated(req("GET"))).status_code == 405


def etag_view(*, etag_value: str | None = ETAG, modified: Any = LAST_MODIFIED) -> Any:
    return condition(
        etag_func=lambda request, *args, **kwargs: etag_value,
        last_modified_func=lambda request, *args, **kwargs: modified,
    )(view)


def test_condition_adds_validators() -> None:
    response = etag_view()(req())
    assert response.status_code == 200
    assert response["ETag"] == ETAG
    assert response["Last-Modified"] == LAST_MODIFIED_STR
    # An unquoted ETag is quoted.
    assert etag_view(etag_value="abc")(req())["ETag"] == '"abc"'
    # Unsafe methods get no validators.
    posted = etag_view()(req("POST"))
    assert "ETag" not in posted and "Last-Modified" not in posted


def test_condition_keeps_headers_the_view_set() -> None:
    def own_headers(request: HttpRequest) -> HttpResponse:
        response = HttpResponse()
        response["ETag"] = '"own"'
        response["Last-Modified"] = "own"
        return response

    decorated = condition(lambda r: "computed", lambda r: LAST_MODIFIED)(own_headers)
    response = decorated(req())
    assert (response["ETag"], response["Last-Modified"]) == ('"own"', "own")


def test_if_none_match() -> None:
    decorated = etag_view()
    response = decorated(req(if_none_match=ETAG))
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == ETAG
    assert response["Last-Modified"] == LAST_MODIFIED_STR
    assert decorated(req(if_none_match=WEAK_ETAG)).status_code == 304  # weak comparison
    assert decorated(req(if_none_match="*")).status_code == 304
    assert decorated(req(if_none_match='"other"')).status_code == 200
    assert decorated(req("HEAD", if_none_match=ETAG)).status_code == 304
    assert decorated(req("PUT", if_none_match=ETAG)).status_code == 412
    # Without an ETag nothing matches.
    assert etag_view(etag_value=None)(req(if_none_match=ETAG)).status_code == 200


def test_if_modified_since() -> None:
    decorated = etag_view(etag_value=None)
    assert decorated(req(if_modified_since=LAST_MODIFIED_STR)).status_code == 304
    assert decorated(req(if_modified_since=EXPIRED_STR)).status_code == 200
    assert decorated(req(if_modified_since="garbage")).status_code == 200
    assert decorated(req("POST", if_modified_since=LAST_MODIFIED_STR)).status_code == 200
    # If-None-Match wins over If-Modified-Since.
    both = decorated(req(if_none_match='"x"', if_modified_since=LAST_MODIFIED_STR))
    assert both.status_code == 200
    naive = last_modified(lambda r: LAST_MODIFIED.replace(tzinfo=None))(view)
    assert naive(req(if_modified_since=LAST_MODIFIED_STR)).status_code == 304
    unknown = last_modified(lambda r: None)(view)
    assert unknown(req(if_modified_since=LAST_MODIFIED_STR)).status_code == 200


def test_if_match() -> None:
    decorated = etag_view()
    assert decorated(req("PUT", if_match=ETAG)).status_code == 200
    assert decorated(req("PUT", if_match="*")).status_code == 200
    assert decorated(req("PUT", if_match='"other"')).status_code == 412
    assert etag_view(etag_value=WEAK_ETAG)(req("PUT", if_match=WEAK_ETAG)).status_code == 412
    assert etag_view(etag_value=None)(req("PUT", if_match="*")).status_code == 412


def test_if_unmodified_since() -> None:
    decorated = etag_view(etag_value=None)
    assert decorated(req("PUT", if_unmodified_since=LAST_MODIFIED_STR)).status_code == 200
    response = decorated(req("PUT", if_unmodified_since=EXPIRED_STR))
    assert response.status_code == 412
    # If-Match takes precedence over If-Unmodified-Since.
    with_match = etag_view()(req("PUT", if_match=ETAG, if_unmodified_since=EXPIRED_STR))
    assert with_match.status_code == 200
    no_date = last_modified(lambda r: None)(view)
    assert no_date(req("PUT", if_unmodified_since=LAST_MODIFIED_STR)).status_code == 412


def test_etag_and_last_modified_shortcuts() -> None:
    assert etag(lambda r: "e")(view)(req(if_none_match='"e"')).status_code == 304
    modified = last_modified(lambda r: LAST_MODIFIED)(view)
    assert modified(req())["Last-Modified"] == http_date(LAST_MODIFIED.timestamp())


@pytest.mark.anyio
async def test_condition_on_async_views_with_async_funcs() -> None:
    async def compute_etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        return ETAG

    decorated = condition(etag_func=compute_etag, last_modified_func=lambda r: LAST_MODIFIED)(
        async_view
    )
    assert inspect.iscoroutinefunction(decorated)
    response = await decorated(req())
    assert response.status_code == 200 and response["ETag"] == ETAG
    assert (await decorated(req(if_none_match=ETAG))).status_code == 304
    plain = condition()(async_view)
    assert (await plain(req())).status_code == 200
