"""``cache_page``, ``never_cache``, ``cache_control``, ``vary_on_headers``, ``vary_on_cookie``."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from fastjango.core.cache import caches
from fastjango.http import HttpResponse, StreamingHttpResponse
from fastjango.test.client import RequestFactory
from fastjango.test.utils import override_settings
from fastjango.views.decorators.cache import (
    cache_control,
    cache_page,
    never_cache,
    page_from_response,
    response_from_page,
)
from fastjango.views.decorators.vary import vary_on_cookie, vary_on_headers

pytestmark = pytest.mark.anyio

rf = RequestFactory()


@pytest.fixture(autouse=True)
def private_caches(request: pytest.FixtureRequest) -> Iterator[None]:
    name = f"views-{uuid.uuid4().hex}"
    with override_settings(
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": name,
            },
            "other": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": f"{name}-o",
            },
        }
    ):
        yield


class Counter:
    """A view factory counting calls; ``make`` builds the response for each call."""

    def __init__(self, make: Callable[[int], Any] | None = None) -> None:
        self.calls = 0
        self.make = make or (lambda n: HttpResponse(f"call {n}"))

    def sync_view(self) -> Callable[..., Any]:
        def view(request: Any, *args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return self.make(self.calls)

        return view

    def async_view(self) -> Callable[..., Any]:
        async def view(request: Any, *args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return self.make(self.calls)

        return view


async def call(view: Callable[..., Any], request: Any, *args: Any, **kwargs: Any) -> Any:
    import inspect

    if inspect.iscoroutinefunction(view):
        return await view(request, *args, **kwargs)
    return view(request, *args, **kwargs)


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def view_of(counter: Counter, kind: str) -> Callable[..., Any]:
    return counter.sync_view() if kind == "sync" else counter.async_view()


async def test_cache_page_serves_repeats_from_the_cache(kind: str) -> None:
    counter = Counter()
    view = cache_page(60)(view_of(counter, kind))
    first = await call(view, rf.get("/page/"), 1, x=2)
    assert first.content == b"call 1"
    assert first["Cache-Control"] == "max-age=60"
    assert "Expires" in first
    again = await call(view, rf.get("/page/"))
    assert again.content == b"call 1"
    assert again.status_code == 200
    assert again["Content-Type"] == "text/html; charset=utf-8"
    assert again["Cache-Control"] == "max-age=60"
    assert counter.calls == 1
    assert (await call(view, rf.get("/page/?other=1"))).content == b"call 2"
    assert (await call(view, rf.head("/page/"))).content == b"call 1"
    assert (await call(view, rf.post("/page/"))).content == b"call 3"
    assert (await call(view, rf.post("/page/"))).content == b"call 4"
    assert counter.calls == 4


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda n: HttpResponse(f"{n}", status=404), "not a 200"),
        (lambda n: _with_cookie(HttpResponse(f"{n}")), "sets a cookie"),
        (lambda n: _with_header(HttpResponse(f"{n}"), "Cache-Control", "private"), "private"),
        (lambda n: StreamingHttpResponse(iter([f"{n}".encode()])), "streaming"),
    ],
)
async def test_cache_page_does_not_store(kind: str, make: Any, reason: str) -> None:
    counter = Counter(make)
    view = cache_page(60)(view_of(counter, kind))
    await call(view, rf.get("/"))
    await call(view, rf.get("/"))
    assert counter.calls == 2, reason


def _with_cookie(response: HttpResponse) -> HttpResponse:
    response.set_cookie("session", "secret")
    return response


def _with_header(response: HttpResponse, name: str, value: str) -> HttpResponse:
    response[name] = value
    return response


async def test_cache_page_timeout_none_follows_max_age(kind: str) -> None:
    counter = Counter(lambda n: _with_header(HttpResponse(f"{n}"), "Cache-Control", "max-age=0"))
    view = cache_page(None)(view_of(counter, kind))
    await call(view, rf.get("/"))
    await call(view, rf.get("/"))
    assert counter.calls == 2
    counter = Counter(lambda n: _with_header(HttpResponse(f"{n}"), "Cache-Control", "max-age=30"))
    view = cache_page(None)(view_of(counter, kind))
    response = await call(view, rf.get("/a"))
    assert response["Cache-Control"] == "max-age=30"
    await call(view, rf.get("/a"))
    assert counter.calls == 1
    counter = Counter()
    with override_settings(CACHE_MIDDLEWARE_SECONDS=42):
        view = cache_page(None)(view_of(counter, kind))
        assert (await call(view, rf.get("/b")))["Cache-Control"] == "max-age=42"


async def test_cache_page_zero_patches_headers_but_stores_nothing(kind: str) -> None:
    counter = Counter()
    view = cache_page(0)(view_of(counter, kind))
    response = await call(view, rf.get("/"))
    assert response["Cache-Control"] == "max-age=0"
    await call(view, rf.get("/"))
    assert counter.calls == 2


async def test_cache_page_varies_on_the_vary_headers(kind: str) -> None:
    counter = Counter(lambda n: _with_header(HttpResponse(f"{n}"), "Vary", "Cookie"))
    view = cache_page(60)(view_of(counter, kind))
    ann = rf.get("/", HTTP_COOKIE="user=ann")
    assert (await call(view, ann)).content == b"1"
    assert (await call(view, rf.get("/", HTTP_COOKIE="user=bob"))).content == b"2"
    assert (await call(view, rf.get("/", HTTP_COOKIE="user=ann"))).content == b"1"


async def test_cache_page_cache_alias_and_key_prefix(kind: str) -> None:
    counter = Counter()
    view = cache_page(60, cache="other", key_prefix="p1")(view_of(counter, kind))
    await call(view, rf.get("/"))
    await call(view, rf.get("/"))
    assert counter.calls == 1
    assert any("cache_page.p1." in key for key in caches["other"]._cache)  # type: ignore[attr-defined]
    assert not caches["default"]._cache  # type: ignore[attr-defined]
    other_prefix = cache_page(60, cache="other", key_prefix="p2")(view_of(counter, kind))
    await call(other_prefix, rf.get("/"))
    assert counter.calls == 2


async def test_cache_page_stores_template_responses_once_rendered(kind: str) -> None:
    from fastjango.template.response import SimpleTemplateResponse

    class Template:
        def render(self, context: Any, request: Any = None) -> str:
            return f"rendered {context['n']}"

    counter = Counter(lambda n: SimpleTemplateResponse(Template(), {"n": n}))
    view = cache_page(60)(view_of(counter, kind))
    response = await call(view, rf.get("/"))
    assert not response.is_rendered
    response.render()
    assert (await call(view, rf.get("/"))).content == b"rendered 1"
    assert counter.calls == 1


def test_cache_page_checks_its_arguments() -> None:
    with pytest.raises(TypeError, match="timeout in seconds"):
        cache_page("60")  # type: ignore[arg-type]

    def plain(request: Any) -> HttpResponse:
        return HttpResponse()

    view = cache_page(60)(plain)
    with pytest.raises(TypeError, match="didn't receive an HttpRequest"):
        view(object())


def test_page_round_trip() -> None:
    response = HttpResponse(b"body", status=201, content_type="text/plain")
    response["X-Thing"] = "yes"
    page = page_from_response(response)
    assert page[0] == 201 and page[2] == b"body"
    rebuilt = response_from_page((*page[:1], [*page[1], (b"content-length", b"4")], page[2]))
    assert rebuilt.status_code == 201
    assert rebuilt["X-Thing"] == "yes"
    assert rebuilt["Content-Type"] == "text/plain"
    assert getattr(rebuilt, "content", None) == b"body"


async def test_never_cache(kind: str) -> None:
    view = never_cache(view_of(Counter(), kind))
    response = await call(view, rf.get("/"))
    directives = set(response["Cache-Control"].split(", "))
    assert directives == {"max-age=0", "no-cache", "no-store", "must-revalidate", "private"}
    assert "Expires" in response
    with pytest.raises(TypeError, match="never_cache didn't receive an HttpRequest"):
        await call(view, object())


async def test_cache_control(kind: str) -> None:
    view = cache_control(private=True, max_age=3600, no_cache=True)(view_of(Counter(), kind))
    response = await call(view, rf.get("/"))
    assert set(response["Cache-Control"].split(", ")) == {"private", "max-age=3600", "no-cache"}
    with pytest.raises(TypeError, match="cache_control didn't receive an HttpRequest"):
        await call(view, "not a request")


async def test_vary_on_headers_and_cookie(kind: str) -> None:
    headers_view = vary_on_headers("Accept-Language", "User-Agent")(view_of(Counter(), kind))
    assert (await call(headers_view, rf.get("/")))["Vary"] == "Accept-Language, User-Agent"
    cookie_view = vary_on_cookie(
        view_of(Counter(lambda n: _with_header(HttpResponse(), "Vary", "Accept")), kind)
    )
    assert (await call(cookie_view, rf.get("/")))["Vary"] == "Accept, Cookie"
    # Like Django's, these work on methods too (no request check).
    assert (await call(headers_view, object()))["Vary"] == "Accept-Language, User-Agent"
    assert headers_view.__name__ == "view"


async def test_cache_page_with_redis_down_still_serves(
    kind: str, server_factory: Any, tmp_path: Any
) -> None:
    from fastjango.core.cache import aclose_caches

    server = server_factory("redis")
    caches_setting = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.location,
        }
    }
    with override_settings(CACHES=caches_setting):
        counter = Counter()
        view = cache_page(60)(view_of(counter, kind))
        assert (await call(view, rf.get("/"))).content == b"call 1"
        assert (await call(view, rf.get("/"))).content == b"call 1"
        server.stop()
        assert (await call(view, rf.get("/"))).content == b"call 2"
        await aclose_caches()
