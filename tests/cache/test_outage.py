"""A Redis or Memcached server that is down or slow: reads miss, writes no-op, and it recovers.

Each test runs a private server on a free port, stops (or freezes) it mid-test
and starts it again on the same port.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import anyio
import httpx
import pytest

from fastjango.core.cache.backends.base import BaseCache
from fastjango.test.utils import override_settings
from tests.cache.conftest import Api, Server

pytestmark = pytest.mark.anyio

KINDS = ["redis", "memcached"]
MODES = ["sync", "async"]


def outage_messages(caplog: pytest.LogCaptureFixture, text: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "fastjango.cache" and text in r.getMessage()]


async def eventually(check: Callable[[], Any], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        assert time.monotonic() < deadline, "the cache did not recover"
        await anyio.sleep(0.05)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kind", KINDS)
async def test_down_server_misses_and_recovers(
    kind: str,
    mode: str,
    server_factory: Callable[[str], Server],
    amake_cache: Callable[..., BaseCache],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="fastjango.cache")
    server = server_factory(kind)
    api = Api(amake_cache(kind, server.location), mode, kind)
    await api.set("key", "value")
    assert await api.get("key") == "value"

    server.stop()
    for _ in range(3):
        assert await api.get("key", "default") == "default"
        assert await api.set("key", "other") is None
        assert await api.add("new", "value") is False
        assert await api.has_key("key") is False
        assert await api.get_many(["key", "new"]) == {}
        assert await api.delete("key") is False
        assert await api.touch("key") is False
        assert await api.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert await api.delete_many(["a", "b"]) is None
        assert await api.get_or_set("computed", lambda: "fresh") == "fresh"
        with pytest.raises(ValueError, match="not found"):
            await api.incr("counter")
        assert await api.clear() is None
    # One outage, one message, however many calls failed.
    assert len(outage_messages(caplog, "is unreachable")) == 1

    server.start()

    async def recovered() -> bool:
        await api.set("key", "back")
        return bool(await api.get("key") == "back")

    await eventually(recovered)
    assert len(outage_messages(caplog, "caching resumed")) == 1
    await api.set("counter", 1)
    assert await api.incr("counter") == 2

    # A second outage is logged again.
    server.stop()
    assert await api.get("key") is None
    assert len(outage_messages(caplog, "is unreachable")) == 2


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kind", KINDS)
async def test_ignore_exceptions_false_raises(
    kind: str,
    mode: str,
    server_factory: Callable[[str], Server],
    amake_cache: Callable[..., BaseCache],
    caplog: pytest.LogCaptureFixture,
) -> None:
    server = server_factory(kind)
    api = Api(amake_cache(kind, server.location, OPTIONS={"IGNORE_EXCEPTIONS": False}), mode, kind)
    await api.set("key", "value")
    server.stop()
    # The client library's own connection errors come through.
    with pytest.raises(Exception):  # noqa: B017
        await api.get("key")
    with pytest.raises(Exception):  # noqa: B017
        await api.set("key", "value")
    assert outage_messages(caplog, "unreachable") == []


@pytest.mark.parametrize("kind", KINDS)
def test_ignore_exceptions_must_be_a_bool(kind: str, make_cache: Callable[..., BaseCache]) -> None:
    from fastjango.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="IGNORE_EXCEPTIONS"):
        make_cache(kind, OPTIONS={"IGNORE_EXCEPTIONS": "yes"})


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kind", KINDS)
async def test_slow_server_times_out_as_a_miss(
    kind: str,
    mode: str,
    server_factory: Callable[[str], Server],
    amake_cache: Callable[..., BaseCache],
) -> None:
    server = server_factory(kind)
    if kind == "redis":
        options = {"socket_timeout": 0.2, "socket_connect_timeout": 0.2}
    else:
        options = {"timeout": 0.2, "connect_timeout": 0.1}
    api = Api(amake_cache(kind, server.location, OPTIONS=options), mode, kind)
    await api.set("key", "value")
    server.pause()
    started = time.monotonic()
    assert await api.get("key", "default") == "default"
    assert await api.set("key", "other") is None
    assert time.monotonic() - started < 2
    server.resume()

    async def recovered() -> bool:
        return bool(await api.get("key") in ("value", "other"))

    await eventually(recovered)


async def test_requests_are_served_while_redis_is_down(
    server_factory: Callable[[str], Server],
) -> None:
    from fastjango.core.cache import aclose_caches
    from fastjango.middleware.cache import CacheMiddleware

    server = server_factory("redis")
    calls = 0

    async def app(scope: Any, receive: Any, send: Any) -> None:
        nonlocal calls
        calls += 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": f"call {calls}".encode()})

    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.location,
        }
    }
    with override_settings(CACHES=caches):
        transport = httpx.ASGITransport(app=CacheMiddleware(app))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:

            async def get() -> str:
                response = await client.get("/page")
                assert response.status_code == 200
                return response.text

            assert await get() == "call 1"
            assert await get() == "call 1"  # from the cache
            server.stop()
            assert await get() == "call 2"
            assert await get() == "call 3"
            server.start()

            async def cached_again() -> bool:
                first = await get()
                return bool(await get() == first)

            await eventually(cached_again)
        await aclose_caches()
