"""The cache API contract, run against every backend, through the sync and the async API.

The sync API runs in a worker thread, as from a sync view; the async API on the
event loop. Redis and Memcached are the real servers (see conftest.py).
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable
from typing import Any

import anyio
import anyio.to_thread
import pytest

from fastjango.core.cache.backends.base import BaseCache
from tests.cache.conftest import Api

pytestmark = pytest.mark.anyio

CONTRACT_BACKENDS = ["locmem", "filebased", "redis", "memcached", "db"]
MODES = ["sync", "async"]


class Point:
    """A user-defined class, to check values are pickled whole."""

    def __init__(self, x: int, y: int) -> None:
        self.x, self.y = x, y

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Point) and (self.x, self.y) == (other.x, other.y)

    __hash__ = None  # type: ignore[assignment]


@pytest.fixture(
    params=[(backend, mode) for backend in CONTRACT_BACKENDS for mode in MODES],
    ids=lambda p: f"{p[0]}-{p[1]}",
)
def api(request: pytest.FixtureRequest, amake_cache: Callable[..., BaseCache]) -> Api:
    backend, mode = request.param
    return Api(amake_cache(backend), mode, backend)


@pytest.fixture(params=CONTRACT_BACKENDS)
def backend_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def test_set_and_get(api: Api) -> None:
    assert await api.get("missing") is None
    assert await api.get("missing", "default") == "default"
    assert await api.set("key", "value") is None
    assert await api.get("key") == "value"
    assert await api.get("key", "default") == "value"


async def test_stored_none_is_not_a_miss(api: Api) -> None:
    await api.set("none", None)
    assert await api.get("none", "default") is None
    assert await api.has_key("none") is True
    assert await api.get_many(["none"]) == {"none": None}


VALUES: list[Any] = [
    "text",
    "ünïcødé ☃",
    b"\x00bytes\xff",
    0,
    42,
    -7,
    2**70,
    1.5,
    True,
    False,
    [1, "two", None],
    (1, 2),
    {"a": {"nested": [1, 2]}},
    {1, 2, 3},
    datetime.datetime(2024, 5, 17, 12, 30, tzinfo=datetime.UTC),
    decimal.Decimal("1.10"),
    Point(1, 2),
    "x" * 100_000,
]


async def test_values_round_trip_with_their_type(api: Api) -> None:
    await api.set_many({f"value{i}": value for i, value in enumerate(VALUES)})
    for i, value in enumerate(VALUES):
        await api.set(f"single{i}", value)
        result = await api.get(f"single{i}")
        assert (result, type(result)) == (value, type(value)), f"value {i}"
    assert await api.get_many([f"value{i}" for i in range(len(VALUES))]) == {
        f"value{i}": value for i, value in enumerate(VALUES)
    }


async def test_unicode_keys(api: Api) -> None:
    await api.set("ключ-ü", "значение")
    assert await api.get("ключ-ü") == "значение"
    assert await api.get_many(["ключ-ü"]) == {"ключ-ü": "значение"}


async def test_add(api: Api) -> None:
    assert await api.add("key", "first") is True
    assert await api.add("key", "second") is False
    assert await api.get("key") == "first"


async def test_add_with_zero_timeout_stores_nothing(api: Api) -> None:
    assert await api.add("zero", "value", 0) is True
    assert await api.get("zero") is None
    await api.set("taken", "value")
    assert await api.add("taken", "other", 0) is False
    assert await api.get("taken") == "value"


async def test_delete(api: Api) -> None:
    await api.set("key", "value")
    assert await api.delete("key") is True
    assert await api.get("key") is None
    assert await api.delete("key") is False


async def test_has_key(api: Api) -> None:
    await api.set("key", "value")
    assert await api.has_key("key") is True
    assert await api.has_key("missing") is False


async def test_contains_on_the_sync_api(api: Api) -> None:
    await api.set("key", "value")
    assert await anyio.to_thread.run_sync(lambda: "key" in api.cache)
    assert not await anyio.to_thread.run_sync(lambda: "missing" in api.cache)


async def test_get_many(api: Api) -> None:
    await api.set("a", "a")
    await api.set("b", 2)
    await api.set("c", [3])
    assert await api.get_many(["a", "b", "c", "missing"]) == {"a": "a", "b": 2, "c": [3]}
    assert await api.get_many(iter(["a", "missing"])) == {"a": "a"}
    assert await api.get_many([]) == {}


async def test_set_many_and_delete_many(api: Api) -> None:
    assert await api.set_many({"a": 1, "b": "two", "c": None}) == []
    assert await api.get_many(["a", "b", "c"]) == {"a": 1, "b": "two", "c": None}
    assert await api.set_many({}) == []
    await api.delete_many(["a", "c", "missing"])
    assert await api.get_many(["a", "b", "c"]) == {"b": "two"}
    await api.delete_many([])
    assert await api.get("b") == "two"


async def test_set_many_with_zero_timeout_stores_nothing(api: Api) -> None:
    await api.set("a", "old")
    assert await api.set_many({"a": 1, "b": 2}, 0) == []
    assert await api.get_many(["a", "b"]) == {}


async def test_set_with_zero_timeout_removes_the_key(api: Api) -> None:
    await api.set("key", "value")
    await api.set("key", "new", 0)
    assert await api.get("key") is None
    await api.set("negative", "value", -1)
    assert await api.get("negative") is None


async def test_timeout_none_caches_forever(api: Api) -> None:
    await api.set("forever", "value", None)
    assert await api.get("forever") == "value"
    assert await api.add("forever2", "value", None) is True
    assert await api.touch("forever", None) is True
    assert await api.get("forever") == "value"


async def test_keys_expire_and_touch_renews_them(api: Api) -> None:
    timeout, wait = api.short_timeout()
    await api.set("expires", "value", timeout)
    await api.set("touched", "value", timeout)
    await api.set_many({"many": "value"}, timeout)
    await api.add("added", "value", timeout)
    await api.set("kept", "value", 60)
    await api.set("counter", 1, timeout)
    assert await api.incr("counter") == 2  # incr keeps the key's timeout
    assert await api.touch("touched", 60) is True
    assert await api.get("expires") == "value"
    await anyio.sleep(wait)
    assert await api.get("expires") is None
    assert await api.has_key("expires") is False
    assert await api.get_many(["many", "added", "counter"]) == {}
    assert await api.get("touched") == "value"
    assert await api.get("kept") == "value"
    # An expired key can be added again.
    assert await api.add("expires", "again") is True


async def test_touch(api: Api) -> None:
    await api.set("key", "value")
    assert await api.touch("key", 60) is True
    assert await api.touch("key") is True
    assert await api.touch("missing", 60) is False
    assert await api.get("key") == "value"
    assert await api.touch("key", 0) is True
    assert await api.get("key") is None


async def test_incr_and_decr(api: Api) -> None:
    await api.set("counter", 1)
    assert await api.incr("counter") == 2
    assert await api.incr("counter", 10) == 12
    assert await api.decr("counter") == 11
    assert await api.decr("counter", 5) == 6
    assert await api.incr("counter", -2) == 4
    assert await api.decr("counter", -3) == 7
    assert await api.get("counter") == 7
    with pytest.raises(ValueError, match="not found"):
        await api.incr("missing")
    with pytest.raises(ValueError, match="not found"):
        await api.decr("missing")
    assert await api.get("missing") is None


async def test_get_or_set(api: Api) -> None:
    assert await api.get_or_set("key", "default") == "default"
    assert await api.get_or_set("key", "other") == "default"
    assert await api.get_or_set("called", lambda: "computed") == "computed"
    assert await api.get_or_set("called", lambda: pytest.fail("called twice")) == "computed"
    assert await api.get_or_set("none", lambda: None) is None
    assert await api.get("none", "missing") is None
    assert await api.get_or_set("zero", "value", 0) == "value"
    assert await api.get("zero") is None


async def test_versions(api: Api) -> None:
    await api.set("key", "v1")
    await api.set("key", "v2", version=2)
    assert await api.get("key") == "v1"
    assert await api.get("key", version=1) == "v1"
    assert await api.get("key", version=2) == "v2"
    assert await api.get("key", version=3) is None
    assert await api.get_many(["key"], version=2) == {"key": "v2"}
    assert await api.has_key("key", version=3) is False
    assert await api.delete("key", version=2) is True
    assert await api.get("key") == "v1"


async def test_incr_and_decr_version(api: Api) -> None:
    await api.set("key", "value", version=1)
    assert await api.incr_version("key") == 2
    assert await api.get("key") is None
    assert await api.get("key", version=2) == "value"
    assert await api.incr_version("key", 3, version=2) == 5
    assert await api.decr_version("key", version=5) == 4
    assert await api.get("key", version=4) == "value"
    assert await api.get("key", version=5) is None
    with pytest.raises(ValueError, match="not found"):
        await api.incr_version("missing")
    with pytest.raises(ValueError, match="not found"):
        await api.decr_version("missing")


async def test_close_then_use_again(api: Api) -> None:
    await api.set("key", "value")
    await api.close()
    assert await api.get("key") == "value"


async def test_key_prefixes_and_versions_separate_caches(
    backend_name: str, amake_cache: Callable[..., BaseCache]
) -> None:
    first = amake_cache(backend_name)
    second = amake_cache(backend_name, KEY_PREFIX=f"{first.key_prefix}-other")
    await first.aset("key", "first")
    assert await second.aget("key") is None
    await second.aset("key", "second")
    assert await first.aget("key") == "first"
    versioned = amake_cache(backend_name, VERSION=2)
    assert await versioned.aget("key") is None
    await versioned.aset("key", "v2")
    assert await first.aget("key", version=2) == "v2"


async def test_sync_and_async_share_data(
    backend_name: str, amake_cache: Callable[..., BaseCache]
) -> None:
    cache = amake_cache(backend_name)
    await anyio.to_thread.run_sync(lambda: cache.set_many({"int": 5, "obj": Point(1, 2), "s": "x"}))
    assert await cache.aget_many(["int", "obj", "s"]) == {"int": 5, "obj": Point(1, 2), "s": "x"}
    assert await cache.aincr("int") == 6
    await cache.aset("from-async", {"a": 1})
    assert await anyio.to_thread.run_sync(lambda: cache.get("from-async")) == {"a": 1}
    assert await anyio.to_thread.run_sync(lambda: cache.incr("int")) == 7


async def test_custom_key_function(
    backend_name: str, amake_cache: Callable[..., BaseCache]
) -> None:
    def key_func(key: Any, key_prefix: str, version: Any) -> str:
        return f"custom-{key_prefix}-{version}-{key}"

    custom = amake_cache(backend_name, KEY_FUNCTION=key_func)
    assert custom.make_key("k") == f"custom-{custom.key_prefix}-1-k"
    await custom.aset("k", "value")
    assert await custom.aget("k") == "value"
    by_path = amake_cache(backend_name, KEY_FUNCTION="tests.cache.test_contract.dotted_key_func")
    assert by_path.make_key("k", version=3) == "dotted:3:k"


def dotted_key_func(key: Any, key_prefix: str, version: Any) -> str:
    return f"dotted:{version}:{key}"


async def test_default_timeout_from_settings(
    backend_name: str, amake_cache: Callable[..., BaseCache]
) -> None:
    forever = amake_cache(backend_name, TIMEOUT=None)
    assert forever.default_timeout is None
    await forever.aset("key", "value")
    assert await forever.aget("key") == "value"
    never = amake_cache(backend_name, TIMEOUT=0)
    await never.aset("key", "value")
    assert await never.aget("key") is None
    assert await anyio.to_thread.run_sync(lambda: never.get("key")) is None


async def test_integers_are_stored_natively(
    backend_name: str, amake_cache: Callable[..., BaseCache]
) -> None:
    """Ints written by one client can be incremented by the server (or the other client)."""
    cache = amake_cache(backend_name)
    await cache.aset("n", 10)
    assert await anyio.to_thread.run_sync(lambda: cache.incr("n", 5)) == 15
    await anyio.to_thread.run_sync(lambda: cache.set("m", 1))
    assert await cache.aincr("m", 1) == 2
    assert await cache.aget("m") == 2
    # A bool is not an int to the cache: it comes back as a bool.
    await cache.aset("flag", True)
    assert await anyio.to_thread.run_sync(lambda: cache.get("flag")) is True
