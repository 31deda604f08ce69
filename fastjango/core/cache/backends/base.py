"""The cache backend contract: ``BaseCache`` and the helpers every backend shares.

A backend implements the primitives (``add``, ``get``, ``set``, ``touch``,
``delete``, ``clear`` and their ``a``-prefixed twins); everything else
(``get_many``, ``get_or_set``, ``incr``, versioning, ...) has a default here
built on them, which a backend may replace with a faster native form. The
async defaults of the primitives run the sync ones in the threadpool, as
Django's do, so a third-party backend written for Django's sync API keeps
working; FastJango's own backends override them with native async code.
"""

from __future__ import annotations

import inspect
import re
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Final

import anyio.to_thread

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.utils.module_loading import import_string

__all__ = [
    "DEFAULT_TIMEOUT",
    "MEMCACHE_MAX_KEY_LENGTH",
    "BaseCache",
    "CacheKeyWarning",
    "InvalidCacheBackendError",
    "InvalidCacheKey",
    "KeyFunc",
    "default_key_func",
    "get_key_func",
    "memcache_key_warnings",
]


class InvalidCacheBackendError(ImproperlyConfigured):
    """A ``CACHES`` entry names a backend or alias that cannot be used."""


class CacheKeyWarning(RuntimeWarning):
    """A cache key would break on some backend (memcached), though this one accepts it."""


class InvalidCacheKey(ValueError):
    """A cache key this backend cannot store."""


class _DefaultTimeout:
    def __repr__(self) -> str:
        return "DEFAULT_TIMEOUT"


DEFAULT_TIMEOUT: Any = _DefaultTimeout()
"""Stands for "the backend's configured TIMEOUT" in ``timeout=`` arguments."""

MEMCACHE_MAX_KEY_LENGTH: Final = 250

KeyFunc = Callable[[Any, str, Any], str]

# Control characters and space: memcached's protocol cannot carry them in a key.
_MEMCACHE_UNSAFE_RE = re.compile(r"[\x00-\x20\x7f]")


def default_key_func(key: Any, key_prefix: str, version: Any) -> str:
    """Return the full key: prefix, version and key joined by colons."""
    return f"{key_prefix}:{version}:{key}"


def get_key_func(key_func: KeyFunc | str | None) -> KeyFunc:
    """Return the ``KEY_FUNCTION`` given as a callable or a dotted path, or the default."""
    if key_func is None:
        return default_key_func
    if callable(key_func):
        return key_func
    if isinstance(key_func, str):
        try:
            func = import_string(key_func)
        except ImportError as err:
            raise ImproperlyConfigured(
                f"KEY_FUNCTION {key_func!r} cannot be imported: {err}"
            ) from err
        if callable(func):
            return func  # type: ignore[no-any-return]
    raise ImproperlyConfigured(
        f"KEY_FUNCTION must be a callable or the dotted path of one, got {key_func!r}."
    )


def memcache_key_warnings(key: str) -> Iterator[str]:
    """Yield a message for each way ``key`` would fail on memcached."""
    if len(key) > MEMCACHE_MAX_KEY_LENGTH:
        yield (
            f"Cache key will cause errors if used with memcached: {key!r} "
            f"(longer than {MEMCACHE_MAX_KEY_LENGTH})"
        )
    if _MEMCACHE_UNSAFE_RE.search(key):
        yield (
            f"Cache key contains characters that will cause errors if used with memcached: {key!r}"
        )


def _timeout_setting(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        value = "bool"  # True is an int to Python, never a timeout to a human
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ImproperlyConfigured(
            f"TIMEOUT must be a number of seconds, or None to cache forever; got {value!r}."
        ) from None
    return int(number) if number.is_integer() else number


def _int_option(name: str, value: Any, minimum: int) -> int:
    number = value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        number = int(value)
    if number is None or number < minimum:
        raise ImproperlyConfigured(
            f"OPTIONS['{name}'] must be an integer of at least {minimum}, got {value!r}."
        )
    return number


class BaseCache:
    """Base class of cache backends: settings handling, key making, and the default API."""

    # A default that no caller can pass, so a stored None is told apart from a miss.
    _missing_key: Final[Any] = object()

    def __init__(self, params: Mapping[str, Any]) -> None:
        timeout = params.get("timeout", params.get("TIMEOUT", 300))
        self.default_timeout: float | None = _timeout_setting(timeout)
        options = params.get("OPTIONS") or {}
        if not isinstance(options, Mapping):
            raise ImproperlyConfigured(f"OPTIONS must be a dict, got {options!r}.")
        self._options: dict[str, Any] = dict(options)
        max_entries = params.get("max_entries", options.get("MAX_ENTRIES", 300))
        self._max_entries = _int_option("MAX_ENTRIES", max_entries, 1)
        cull_frequency = params.get("cull_frequency", options.get("CULL_FREQUENCY", 3))
        self._cull_frequency = _int_option("CULL_FREQUENCY", cull_frequency, 0)
        key_prefix = params.get("KEY_PREFIX", "")
        if not isinstance(key_prefix, str):
            raise ImproperlyConfigured(f"KEY_PREFIX must be a string, got {key_prefix!r}.")
        self.key_prefix = key_prefix
        self.version: Any = params.get("VERSION", 1)
        self.key_func = get_key_func(params.get("KEY_FUNCTION"))

    def get_backend_timeout(self, timeout: Any = DEFAULT_TIMEOUT) -> float | None:
        """Return the expiry time as a timestamp, or None for "never expires"."""
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        elif timeout == 0:
            # Zero means "expire at once": make sure the stored time is already past.
            timeout = -1
        return None if timeout is None else time.time() + timeout

    def make_key(self, key: Any, version: Any = None) -> str:
        """Return the key as stored: ``KEY_FUNCTION(key, KEY_PREFIX, version)``."""
        if version is None:
            version = self.version
        return self.key_func(key, self.key_prefix, version)

    def validate_key(self, key: str) -> None:
        """Warn with ``CacheKeyWarning`` when ``key`` would break on memcached."""
        for warning in memcache_key_warnings(key):
            warnings.warn(warning, CacheKeyWarning, stacklevel=4)

    def make_and_validate_key(self, key: Any, version: Any = None) -> str:
        """Return the stored form of ``key`` after checking it for this backend."""
        made = self.make_key(key, version=version)
        self.validate_key(made)
        return made

    # The primitives. Subclasses must provide the sync ones.

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        """Store ``value`` only if ``key`` is not already cached; return whether it was stored."""
        raise NotImplementedError("subclasses of BaseCache must provide an add() method")

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        """Return the cached value, or ``default`` on a miss."""
        raise NotImplementedError("subclasses of BaseCache must provide a get() method")

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        """Store ``value``; ``timeout`` 0 means don't cache and None means forever."""
        raise NotImplementedError("subclasses of BaseCache must provide a set() method")

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        """Give a cached key a new timeout; return whether the key was there."""
        raise NotImplementedError("subclasses of BaseCache must provide a touch() method")

    def delete(self, key: Any, version: Any = None) -> bool:
        """Remove a key; return whether it was there."""
        raise NotImplementedError("subclasses of BaseCache must provide a delete() method")

    def clear(self) -> None:
        """Remove every key of the cache, whatever its prefix or version."""
        raise NotImplementedError("subclasses of BaseCache must provide a clear() method")

    async def aadd(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        """Async ``add()``."""
        return await anyio.to_thread.run_sync(lambda: self.add(key, value, timeout, version))

    async def aget(self, key: Any, default: Any = None, version: Any = None) -> Any:
        """Async ``get()``."""
        return await anyio.to_thread.run_sync(lambda: self.get(key, default, version))

    async def aset(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        """Async ``set()``."""
        await anyio.to_thread.run_sync(lambda: self.set(key, value, timeout, version))

    async def atouch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        """Async ``touch()``."""
        return await anyio.to_thread.run_sync(lambda: self.touch(key, timeout, version))

    async def adelete(self, key: Any, version: Any = None) -> bool:
        """Async ``delete()``."""
        return await anyio.to_thread.run_sync(lambda: self.delete(key, version))

    async def aclear(self) -> None:
        """Async ``clear()``."""
        await anyio.to_thread.run_sync(self.clear)

    # Composite operations, built on the primitives.

    def get_many(self, keys: Iterable[Any], version: Any = None) -> dict[Any, Any]:
        """Return a dict of the cached keys among ``keys`` and their values; misses are left out."""
        found = {}
        for key in keys:
            value = self.get(key, self._missing_key, version=version)
            if value is not self._missing_key:
                found[key] = value
        return found

    async def aget_many(self, keys: Iterable[Any], version: Any = None) -> dict[Any, Any]:
        """Async ``get_many()``."""
        found = {}
        for key in keys:
            value = await self.aget(key, self._missing_key, version=version)
            if value is not self._missing_key:
                found[key] = value
        return found

    def get_or_set(
        self, key: Any, default: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> Any:
        """Return the cached value, or cache and return ``default`` (called if callable)."""
        value = self.get(key, self._missing_key, version=version)
        if value is not self._missing_key:
            return value
        if callable(default):
            default = default()
        self.add(key, default, timeout=timeout, version=version)
        # Read again: another caller may have added a value between get() and add().
        return self.get(key, default, version=version)

    async def aget_or_set(
        self, key: Any, default: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> Any:
        """Async ``get_or_set()``; a callable ``default`` may also be a coroutine function."""
        value = await self.aget(key, self._missing_key, version=version)
        if value is not self._missing_key:
            return value
        if callable(default):
            default = default()
            if inspect.isawaitable(default):
                default = await default
        await self.aadd(key, default, timeout=timeout, version=version)
        return await self.aget(key, default, version=version)

    def has_key(self, key: Any, version: Any = None) -> bool:
        """Return whether ``key`` is cached and not expired."""
        return self.get(key, self._missing_key, version=version) is not self._missing_key

    async def ahas_key(self, key: Any, version: Any = None) -> bool:
        """Async ``has_key()``."""
        return await self.aget(key, self._missing_key, version=version) is not self._missing_key

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        """Add ``delta`` to a cached number and return the result; raise ValueError on a miss."""
        value = self.get(key, self._missing_key, version=version)
        if value is self._missing_key:
            raise ValueError(f"Key '{key}' not found")
        new_value = value + delta
        self.set(key, new_value, version=version)
        return new_value

    async def aincr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        """Async ``incr()``."""
        value = await self.aget(key, self._missing_key, version=version)
        if value is self._missing_key:
            raise ValueError(f"Key '{key}' not found")
        new_value = value + delta
        await self.aset(key, new_value, version=version)
        return new_value

    def decr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        """Subtract ``delta`` from a cached number and return the result; ValueError on a miss."""
        return self.incr(key, -delta, version=version)

    async def adecr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        """Async ``decr()``."""
        return await self.aincr(key, -delta, version=version)

    def __contains__(self, key: Any) -> bool:
        return self.has_key(key)

    def set_many(
        self, data: Mapping[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> list[Any]:
        """Store every item of ``data``; return the keys that could not be stored."""
        for key, value in data.items():
            self.set(key, value, timeout=timeout, version=version)
        return []

    async def aset_many(
        self, data: Mapping[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> list[Any]:
        """Async ``set_many()``."""
        for key, value in data.items():
            await self.aset(key, value, timeout=timeout, version=version)
        return []

    def delete_many(self, keys: Iterable[Any], version: Any = None) -> None:
        """Remove every key in ``keys``."""
        for key in keys:
            self.delete(key, version=version)

    async def adelete_many(self, keys: Iterable[Any], version: Any = None) -> None:
        """Async ``delete_many()``."""
        for key in keys:
            await self.adelete(key, version=version)

    def incr_version(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        """Move a cached value to version ``version + delta`` and return the new version."""
        if version is None:
            version = self.version
        value = self.get(key, self._missing_key, version=version)
        if value is self._missing_key:
            raise ValueError(f"Key '{key}' not found")
        self.set(key, value, version=version + delta)
        self.delete(key, version=version)
        return version + delta

    async def aincr_version(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        """Async ``incr_version()``."""
        if version is None:
            version = self.version
        value = await self.aget(key, self._missing_key, version=version)
        if value is self._missing_key:
            raise ValueError(f"Key '{key}' not found")
        await self.aset(key, value, version=version + delta)
        await self.adelete(key, version=version)
        return version + delta

    def decr_version(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        """Move a cached value to version ``version - delta`` and return the new version."""
        return self.incr_version(key, -delta, version)

    async def adecr_version(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        """Async ``decr_version()``."""
        return await self.aincr_version(key, -delta, version)

    def close(self, **kwargs: Any) -> None:
        """Release the backend's connections; the next call opens new ones."""

    async def aclose(self, **kwargs: Any) -> None:
        """Async ``close()``: also release the connections bound to the running event loop."""
        self.close(**kwargs)
