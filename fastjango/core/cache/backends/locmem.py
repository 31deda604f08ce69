"""The local-memory cache: per process, LRU, safe across threads and tasks.

Caches with the same ``LOCATION`` share their storage within a process, as in
Django. Values are pickled, so a cached object cannot be changed in place by
whoever read it. Nothing here awaits while holding the lock, so the async
twins run inline on the event loop.
"""

from __future__ import annotations

import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any

from fastjango.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

__all__ = ["LocMemCache"]

# Storage per LOCATION name, shared by every LocMemCache instance with that name.
_caches: dict[str, OrderedDict[str, bytes]] = {}
_expire_info: dict[str, dict[str, float | None]] = {}
_locks: dict[str, threading.Lock] = {}
_registry_lock = threading.Lock()


class LocMemCache(BaseCache):
    """A cache in this process's memory, evicting the least recently used keys."""

    pickle_protocol = pickle.HIGHEST_PROTOCOL

    def __init__(self, name: str, params: Mapping[str, Any]) -> None:
        super().__init__(params)
        with _registry_lock:
            self._cache = _caches.setdefault(name, OrderedDict())
            self._expire_info = _expire_info.setdefault(name, {})
            self._lock = _locks.setdefault(name, threading.Lock())

    # Helpers; callers hold the lock.

    def _has_expired(self, key: str) -> bool:
        expiry = self._expire_info.get(key, -1)
        return expiry is not None and expiry <= time.time()

    def _store(self, key: str, pickled: bytes, timeout: Any) -> None:
        if len(self._cache) >= self._max_entries and key not in self._cache:
            self._cull()
        self._cache[key] = pickled
        # Most recently used first: popitem() then evicts from the far end.
        self._cache.move_to_end(key, last=False)
        self._expire_info[key] = self.get_backend_timeout(timeout)

    def _cull(self) -> None:
        if self._cull_frequency == 0:
            self._cache.clear()
            self._expire_info.clear()
            return
        for _ in range(len(self._cache) // self._cull_frequency):
            key, _value = self._cache.popitem()
            self._expire_info.pop(key, None)

    def _remove(self, key: str) -> bool:
        try:
            del self._cache[key]
            del self._expire_info[key]
        except KeyError:
            return False
        return True

    def _lookup(self, key: str) -> bytes | None:
        if self._has_expired(key):
            self._remove(key)
            return None
        self._cache.move_to_end(key, last=False)
        return self._cache[key]

    # The API.

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        key = self.make_and_validate_key(key, version=version)
        pickled = pickle.dumps(value, self.pickle_protocol)
        with self._lock:
            if self._has_expired(key):
                self._store(key, pickled, timeout)
                return True
            return False

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            pickled = self._lookup(key)
        return default if pickled is None else pickle.loads(pickled)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        key = self.make_and_validate_key(key, version=version)
        pickled = pickle.dumps(value, self.pickle_protocol)
        with self._lock:
            self._store(key, pickled, timeout)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                return False
            self._expire_info[key] = self.get_backend_timeout(timeout)
            return True

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            pickled = self._lookup(key)
            if pickled is None:
                raise ValueError(f"Key '{key}' not found")
            new_value = pickle.loads(pickled) + delta
            self._cache[key] = pickle.dumps(new_value, self.pickle_protocol)
        return new_value

    def has_key(self, key: Any, version: Any = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._remove(key)
                return False
            return True

    def delete(self, key: Any, version: Any = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            return self._remove(key)

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()
            self._expire_info.clear()

    # Async twins: nothing blocks, so they run inline.

    async def aadd(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        return self.add(key, value, timeout, version)

    async def aget(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self.get(key, default, version)

    async def aset(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        self.set(key, value, timeout, version)

    async def atouch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        return self.touch(key, timeout, version)

    async def aincr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        return self.incr(key, delta, version)

    async def ahas_key(self, key: Any, version: Any = None) -> bool:
        return self.has_key(key, version)

    async def adelete(self, key: Any, version: Any = None) -> bool:
        return self.delete(key, version)

    async def aget_many(self, keys: Iterable[Any], version: Any = None) -> dict[Any, Any]:
        return self.get_many(keys, version)

    async def aset_many(
        self, data: Mapping[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> list[Any]:
        return self.set_many(data, timeout, version)

    async def adelete_many(self, keys: Iterable[Any], version: Any = None) -> None:
        self.delete_many(keys, version)

    async def aclear(self) -> None:
        self.clear()
