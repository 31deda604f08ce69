"""``@cached``: cache what a plain sync or async function returns (a FastJango extra).

The key is the function's module and qualified name plus a hash of its bound
arguments, so ``f(1)``, ``f(x=1)`` and (when 1 is the default) ``f()`` share
an entry. Arguments are keyed by value: numbers, strings, bytes, None,
containers of those, dates, decimals, UUIDs, enums, paths, classes, model
instances (by class and primary key), and other objects by their ``repr()``
when their class defines one. Anything else raises ``TypeError``, since its
identity would not be the same in another process.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import fractions
import functools
import hashlib
import inspect
import pathlib
import time
import uuid
from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec, Protocol, TypeVar, cast, overload

from fastjango.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

__all__ = ["AsyncCachedFunction", "CachedFunction", "cached"]

P = ParamSpec("P")
R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)

_MISSING = object()
_DEFAULT_PREFIX = "fastjango.cached"
# Types whose repr() is a faithful, process-independent rendering of the value.
_VALUE_TYPES = (
    datetime.date,
    datetime.time,
    datetime.timedelta,
    datetime.tzinfo,
    decimal.Decimal,
    fractions.Fraction,
    uuid.UUID,
    enum.Enum,
    pathlib.PurePath,
    complex,
)


class CachedFunction(Protocol[P, R_co]):
    """A sync function wrapped by ``@cached``."""

    __name__: str
    __qualname__: str

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R_co: ...

    def cache_clear(self) -> None:
        """Forget every cached result of the function."""

    def invalidate(self, *args: P.args, **kwargs: P.kwargs) -> bool:
        """Forget the result cached for these arguments; return whether there was one."""


class AsyncCachedFunction(Protocol[P, R_co]):
    """An async function wrapped by ``@cached``; its helpers are coroutines too."""

    __name__: str
    __qualname__: str

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> Coroutine[Any, Any, R_co]: ...

    async def cache_clear(self) -> None:
        """Forget every cached result of the function."""

    async def invalidate(self, *args: P.args, **kwargs: P.kwargs) -> bool:
        """Forget the result cached for these arguments; return whether there was one."""


class _Decorator(Protocol):
    @overload
    def __call__(  # type: ignore[overload-overlap]
        self, func: Callable[P, Coroutine[Any, Any, R]]
    ) -> AsyncCachedFunction[P, R]: ...

    @overload
    def __call__(self, func: Callable[P, R]) -> CachedFunction[P, R]: ...


def _canonical(value: Any) -> str:
    """Return a text that is equal for equal argument values, in any process."""
    if value is None or isinstance(value, bool | int | float | str | bytes):
        return f"{type(value).__name__}:{value!r}"
    if isinstance(value, tuple | list):
        inner = ",".join(_canonical(item) for item in value)
        return f"{type(value).__name__}:[{inner}]"
    if isinstance(value, dict):
        items = sorted(f"{_canonical(k)}={_canonical(v)}" for k, v in value.items())
        return f"{type(value).__name__}:{{{','.join(items)}}}"
    if isinstance(value, set | frozenset):
        return f"{type(value).__name__}:{{{','.join(sorted(_canonical(i) for i in value))}}}"
    if isinstance(value, type):
        return f"type:{value.__module__}.{value.__qualname__}"
    cls = type(value)
    name = f"{cls.__module__}.{cls.__qualname__}"
    if isinstance(value, _VALUE_TYPES):
        return f"{name}:{value!r}"
    if hasattr(value, "_meta") and hasattr(value, "pk"):
        return f"{name}:pk={_canonical(value.pk)}"
    if cls.__repr__ is not object.__repr__:  # type: ignore[comparison-overlap]
        return f"{name}:{value!r}"
    raise TypeError(
        f"@cached cannot make a cache key from an argument of type {name}: its identity is "
        "not the same across processes. Pass plain values (str, int, tuples, ...) or give "
        "the class a __repr__ that identifies its value."
    )


class _Keys:
    """Build the keys of one decorated function in one cache."""

    def __init__(self, func: Callable[..., Any], cache: str, key_prefix: str | None) -> None:
        self.func = func
        self.alias = cache
        self.signature = inspect.signature(func)
        base = f"{key_prefix or _DEFAULT_PREFIX}:{func.__module__}.{func.__qualname__}"
        self.base = base
        # A token stored in the cache: cache_clear() replaces it, which orphans every
        # key built with the old one (memcached cannot list keys to delete them).
        self.generation_key = f"{base}:generation"

    @property
    def cache(self) -> BaseCache:
        from fastjango.core.cache import caches

        return caches[self.alias]

    def digest(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
        bound = self.signature.bind(*args, **kwargs)
        bound.apply_defaults()
        text = ",".join(f"{name}={_canonical(value)}" for name, value in bound.arguments.items())
        return hashlib.sha256(text.encode()).hexdigest()

    def key(self, generation: Any, digest: str) -> str:
        return f"{self.base}:{generation}:{digest}"

    def generation(self) -> Any:
        cache = self.cache
        generation = cache.get(self.generation_key)
        if generation is None:
            cache.add(self.generation_key, time.time_ns(), None)
            generation = cache.get(self.generation_key, 0)
        return generation

    async def ageneration(self) -> Any:
        cache = self.cache
        generation = await cache.aget(self.generation_key)
        if generation is None:
            await cache.aadd(self.generation_key, time.time_ns(), None)
            generation = await cache.aget(self.generation_key, 0)
        return generation


def _decorate(func: Callable[..., Any], timeout: Any, cache: str, key_prefix: str | None) -> Any:
    keys = _Keys(func, cache, key_prefix)

    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            digest = keys.digest(args, kwargs)
            backend = keys.cache
            key = keys.key(await keys.ageneration(), digest)
            result = await backend.aget(key, _MISSING)
            if result is _MISSING:
                result = await func(*args, **kwargs)
                await backend.aset(key, result, timeout)
            return result

        async def acache_clear() -> None:
            await keys.cache.aset(keys.generation_key, time.time_ns(), None)

        async def ainvalidate(*args: Any, **kwargs: Any) -> bool:
            digest = keys.digest(args, kwargs)
            return await keys.cache.adelete(keys.key(await keys.ageneration(), digest))

        async_wrapper.cache_clear = acache_clear  # type: ignore[attr-defined]
        async_wrapper.invalidate = ainvalidate  # type: ignore[attr-defined]
        return async_wrapper

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        digest = keys.digest(args, kwargs)
        backend = keys.cache
        key = keys.key(keys.generation(), digest)
        result = backend.get(key, _MISSING)
        if result is _MISSING:
            result = func(*args, **kwargs)
            backend.set(key, result, timeout)
        return result

    def cache_clear() -> None:
        keys.cache.set(keys.generation_key, time.time_ns(), None)

    def invalidate(*args: Any, **kwargs: Any) -> bool:
        digest = keys.digest(args, kwargs)
        return keys.cache.delete(keys.key(keys.generation(), digest))

    wrapper.cache_clear = cache_clear  # type: ignore[attr-defined]
    wrapper.invalidate = invalidate  # type: ignore[attr-defined]
    return wrapper


@overload
def cached(  # type: ignore[overload-overlap]
    timeout: Callable[P, Coroutine[Any, Any, R]],
) -> AsyncCachedFunction[P, R]: ...


@overload
def cached(timeout: Callable[P, R]) -> CachedFunction[P, R]: ...


@overload
def cached(
    timeout: float | None = ..., *, cache: str = ..., key_prefix: str | None = ...
) -> _Decorator: ...


def cached(
    timeout: Any = DEFAULT_TIMEOUT, *, cache: str = "default", key_prefix: str | None = None
) -> Any:
    """Cache a function's results in ``caches[cache]`` for ``timeout`` seconds.

    Use as ``@cached``, ``@cached(60)`` or ``@cached(None, cache="redis")``;
    ``timeout`` follows the cache API (default: the cache's TIMEOUT; None:
    forever; 0: don't cache). The wrapped function gains ``cache_clear()`` and
    ``invalidate(*args, **kwargs)``, coroutines when the function is async.
    """
    if callable(timeout):
        return _decorate(timeout, DEFAULT_TIMEOUT, cache, key_prefix)
    if timeout is not DEFAULT_TIMEOUT and timeout is not None:
        if isinstance(timeout, bool) or not isinstance(timeout, int | float):
            raise TypeError(f"@cached(timeout) takes a number of seconds or None, got {timeout!r}.")

    def decorator(func: Callable[..., Any]) -> Any:
        return _decorate(func, timeout, cache, key_prefix)

    return cast(_Decorator, decorator)
