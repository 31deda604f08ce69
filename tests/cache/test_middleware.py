"""The per-site cache middleware, at the ASGI level, and through a whole FastJango app."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from fastjango.core.cache import caches
from fastjango.middleware.cache import (
    CacheMiddleware,
    FetchFromCacheMiddleware,
    UpdateCacheMiddleware,
)
from fastjango.test.utils import override_settings

pytestmark = pytest.mark.anyio


@pytest.fixture(autouse=True)
def private_caches() -> Iterator[None]:
    name = f"mw-{uuid.uuid4().hex}"
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


class App:
    """An ASGI app that counts its calls and answers as told by the test."""

    def __init__(
        self,
        status: int = 200,
        headers: list[tuple[bytes, bytes]] | None = None,
        chunks: int = 1,
    ) -> None:
        self.calls = 0
        self.status = status
        self.headers = headers or []
        self.chunks = chunks

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            self.calls += 100
            return
        self.calls += 1
        body = f"call {self.calls}".encode()
        headers = [(b"content-type", b"text/plain"), *self.headers]
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        for i in range(self.chunks):
            more = i < self.chunks - 1
            await send({"type": "http.response.body", "body": body, "more_body": more})


def stack(app: App) -> Any:
    """``MIDDLEWARE = [Update..., Fetch...]`` as Django recommends: update outermost."""
    return UpdateCacheMiddleware(FetchFromCacheMiddleware(app))


async def get(
    asgi: Any, path: str = "/page", method: str = "GET", **headers: str
) -> httpx.Response:
    transport = httpx.ASGITransport(app=asgi)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        return await client.request(method, path, headers=headers)


@pytest.mark.parametrize("combined", [False, True])
async def test_pages_are_cached_per_url(combined: bool) -> None:
    app = App()
    asgi = CacheMiddleware(app) if combined else stack(app)
    first = await get(asgi)
    assert first.text == "call 1"
    assert first.headers["cache-control"] == "max-age=600"
    assert "expires" in first.headers
    again = await get(asgi)
    assert again.text == "call 1"
    assert again.headers["cache-control"] == "max-age=600"
    assert again.headers["content-type"] == "text/plain"
    assert app.calls == 1
    assert (await get(asgi, "/page?x=1")).text == "call 2"
    head = await get(asgi, method="HEAD")
    assert head.status_code == 200 and head.content == b""
    assert app.calls == 2
    assert (await get(asgi, method="POST")).text == "call 3"
    assert (await get(asgi, method="POST")).text == "call 4"


@pytest.mark.parametrize(
    ("app", "reason"),
    [
        (App(status=404), "not a 200"),
        (App(headers=[(b"set-cookie", b"session=secret")]), "sets a cookie"),
        (App(headers=[(b"cache-control", b"private, max-age=60")]), "private"),
        (App(headers=[(b"cache-control", b"max-age=0")]), "max-age=0"),
        (App(chunks=3), "streamed"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
async def test_responses_that_are_never_cached(app: App, reason: str) -> None:
    asgi = stack(app)
    await get(asgi)
    await get(asgi)
    assert app.calls == 2, reason


async def test_streamed_body_is_passed_through_whole() -> None:
    response = await get(stack(App(chunks=3)))
    assert response.text == "call 1" * 3


async def test_max_age_of_the_response_is_the_timeout() -> None:
    app = App(headers=[(b"cache-control", b"max-age=30, public"), (b"expires", b"soon")])
    response = await get(stack(app))
    assert response.headers["cache-control"] == "max-age=30, public"
    assert response.headers["expires"] == "soon"
    await get(stack(app))
    assert app.calls == 1


async def test_304_gets_caching_headers_but_is_not_stored() -> None:
    app = App(status=304)
    response = await get(stack(app))
    assert response.headers["cache-control"] == "max-age=600"
    await get(stack(app))
    assert app.calls == 2


async def test_vary_is_honoured() -> None:
    app = App(headers=[(b"vary", b"X-Team")])
    asgi = stack(app)
    assert (await get(asgi, **{"X-Team": "red"})).text == "call 1"
    assert (await get(asgi, **{"X-Team": "blue"})).text == "call 2"
    assert (await get(asgi, **{"X-Team": "red"})).text == "call 1"
    assert (await get(asgi)).text == "call 3"


async def test_update_alone_stores_nothing_and_fetch_alone_serves() -> None:
    app = App()
    update_only = UpdateCacheMiddleware(app)
    await get(update_only)
    await get(update_only)
    assert app.calls == 2
    await get(stack(app), "/shared")
    assert (await get(FetchFromCacheMiddleware(app), "/shared")).text == "call 3"
    assert app.calls == 3


async def test_options_and_settings_read_at_construction() -> None:
    app = App()
    with override_settings(
        CACHE_MIDDLEWARE_SECONDS=5,
        CACHE_MIDDLEWARE_KEY_PREFIX="site",
        CACHE_MIDDLEWARE_ALIAS="other",
    ):
        asgi = stack(app)
    response = await get(asgi)
    assert response.headers["cache-control"] == "max-age=5"
    assert any(".site." in key for key in caches["other"]._cache)  # type: ignore[attr-defined]
    custom = CacheMiddleware(app, page_timeout=7, key_prefix="mine", cache_alias="other")
    assert (await get(custom, "/custom")).headers["cache-control"] == "max-age=7"
    assert any(".mine." in key for key in caches["other"]._cache)  # type: ignore[attr-defined]
    timed = CacheMiddleware(App(headers=[(b"cache-control", b"max-age=3")]), cache_timeout=9)
    assert (await get(timed, "/t")).headers["cache-control"] == "max-age=3"


async def test_disallowed_host_bypasses_the_cache() -> None:
    app = App()
    asgi = stack(app)
    await get(asgi, host="evil.example")
    await get(asgi, host="evil.example")
    assert app.calls == 2


async def no_receive() -> dict[str, Any]:
    raise AssertionError("not called")


async def no_send(message: Any) -> None:
    raise AssertionError("not called")


async def test_other_scopes_pass_through() -> None:
    app = App()
    for middleware in (
        UpdateCacheMiddleware(app),
        FetchFromCacheMiddleware(app),
        CacheMiddleware(app),
    ):
        await middleware({"type": "lifespan"}, no_receive, no_send)
    assert app.calls == 300


async def test_through_a_fastjango_app() -> None:
    """MIDDLEWARE with Django's paths, and cache_page views, through the test client."""
    from fastjango.test.client import AsyncClient

    with override_settings(
        ROOT_URLCONF="tests.cache.urls",
        MIDDLEWARE=[
            "django.middleware.cache.UpdateCacheMiddleware",
            "django.middleware.cache.FetchFromCacheMiddleware",
        ],
    ):
        from tests.cache import urls

        urls.CALLS.clear()
        client = AsyncClient()
        for path in ("/site/", "/decorated-sync/", "/decorated-async/"):
            first = await client.get(path)
            second = await client.get(path)
            assert first.status_code == second.status_code == 200
            assert first.content == second.content
        assert urls.CALLS == ["site", "sync", "async"]
