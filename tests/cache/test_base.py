"""``BaseCache`` as a third-party backend sees it: implement the sync primitives, get the rest."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import anyio
import pytest

from fastjango.core.cache import CacheHandler
from fastjango.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from fastjango.core.exceptions import ImproperlyConfigured

pytestmark = pytest.mark.anyio


class DictCache(BaseCache):
    """A minimal sync-only backend, the way a Django third-party backend is written."""

    def __init__(self, location: str, params: Mapping[str, Any]) -> None:
        super().__init__(params)
        self.data: dict[str, tuple[Any, float | None]] = {}

    def _live(self, key: str) -> bool:
        if key not in self.data:
            return False
        expiry = self.data[key][1]
        if expiry is not None and expiry <= time.time():
            del self.data[key]
            return False
        return True

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        made = self.make_and_validate_key(key, version)
        if self._live(made):
            return False
        self.data[made] = (value, self.get_backend_timeout(timeout))
        return True

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        made = self.make_and_validate_key(key, version)
        return self.data[made][0] if self._live(made) else default

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        self.data[self.make_and_validate_key(key, version)] = (
            value,
            self.get_backend_timeout(timeout),
        )

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        made = self.make_and_validate_key(key, version)
        if not self._live(made):
            return False
        self.data[made] = (self.data[made][0], self.get_backend_timeout(timeout))
        return True

    def delete(self, key: Any, version: Any = None) -> bool:
        return self.data.pop(self.make_and_validate_key(key, version), None) is not None

    def clear(self) -> None:
        self.data.clear()


@pytest.fixture
def dict_cache() -> BaseCache:
    handler = CacheHandler({"default": {"BACKEND": "tests.cache.test_base.DictCache"}})
    return handler["default"]


def test_sync_defaults(dict_cache: BaseCache) -> None:
    cache = dict_cache
    assert cache.set_many({"a": 1, "b": 2}) == []
    assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
    assert cache.has_key("a") and "a" in cache and not cache.has_key("c")
    assert cache.incr("a", 5) == 6
    assert cache.decr("a") == 5
    with pytest.raises(ValueError, match="Key 'c' not found"):
        cache.incr("c")
    assert cache.get_or_set("c", lambda: 3) == 3
    assert cache.get_or_set("c", 4) == 3
    assert cache.incr_version("c") == 2
    assert cache.decr_version("c", version=2) == 1
    cache.delete_many(["a", "b"])
    assert cache.get_many(["a", "b"]) == {}
    cache.close()


async def test_async_defaults_run_the_sync_primitives(dict_cache: BaseCache) -> None:
    cache = dict_cache
    assert await cache.aadd("a", 1) is True
    assert await cache.aadd("a", 2) is False
    await cache.aset("b", 2)
    assert await cache.aget("a") == 1
    assert await cache.aget("missing", "default") == "default"
    assert await cache.atouch("a", 60) is True
    assert await cache.aget_many(["a", "b", "c"]) == {"a": 1, "b": 2}
    assert await cache.ahas_key("b") is True
    assert await cache.aincr("a", 2) == 3
    assert await cache.adecr("a") == 2
    with pytest.raises(ValueError, match="not found"):
        await cache.aincr("c")
    assert await cache.aset_many({"x": 1}) == []

    async def compute() -> str:
        return "from a coroutine"

    assert await cache.aget_or_set("coro", compute) == "from a coroutine"
    assert await cache.aget_or_set("coro", "other") == "from a coroutine"
    assert await cache.aget_or_set("plain", lambda: "plain") == "plain"
    assert await cache.aincr_version("x") == 2
    assert await cache.adecr_version("x", version=2) == 1
    with pytest.raises(ValueError, match="not found"):
        await cache.aincr_version("missing")
    assert await cache.adelete("x") is True
    await cache.adelete_many(["a", "b"])
    assert await cache.aget_many(["a", "b"]) == {}
    await cache.aclear()
    assert cache.data == {}  # type: ignore[attr-defined]
    await cache.aclose()


async def test_expiry_in_the_defaults(dict_cache: BaseCache) -> None:
    await dict_cache.aset("short", 1, 0.05)
    await dict_cache.aset("zero", 1, 0)
    assert await dict_cache.aget("zero") is None
    await anyio.sleep(0.1)
    assert await dict_cache.aget("short") is None
    assert dict_cache.get_backend_timeout(None) is None
    assert abs(dict_cache.get_backend_timeout() - time.time() - 300) < 1  # type: ignore[operator]


@pytest.mark.parametrize("method", ["add", "get", "set", "touch", "delete", "clear"])
def test_base_primitives_must_be_provided(method: str) -> None:
    base = BaseCache({})
    args: dict[str, tuple[Any, ...]] = {
        "add": ("k", "v"),
        "get": ("k",),
        "set": ("k", "v"),
        "touch": ("k",),
        "delete": ("k",),
        "clear": (),
    }
    with pytest.raises(NotImplementedError, match=f"must provide an? {method}\\(\\) method"):
        getattr(base, method)(*args[method])


def test_base_settings() -> None:
    cache = BaseCache(
        {
            "TIMEOUT": "30",
            "KEY_PREFIX": "p",
            "VERSION": 3,
            "OPTIONS": {"MAX_ENTRIES": "10", "CULL_FREQUENCY": 0},
        }
    )
    assert cache.default_timeout == 30
    assert cache.make_key("k") == "p:3:k"
    assert (cache._max_entries, cache._cull_frequency) == (10, 0)
    assert repr(DEFAULT_TIMEOUT) == "DEFAULT_TIMEOUT"
    # Django's lowercase params (used by its own tests) are honoured too.
    lower = BaseCache({"timeout": None, "max_entries": 5, "cull_frequency": 2})
    assert (lower.default_timeout, lower._max_entries, lower._cull_frequency) == (None, 5, 2)
    with pytest.raises(ImproperlyConfigured, match="MAX_ENTRIES"):
        BaseCache({"OPTIONS": {"MAX_ENTRIES": "-1"}})
