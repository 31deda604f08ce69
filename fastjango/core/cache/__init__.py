"""The cache framework: ``from fastjango.core.cache import cache, caches``.

``caches[alias]`` is the backend configured as ``CACHES[alias]``, built on
first use and shared by every thread and task of the process (each backend is
safe for that); ``cache`` is ``caches["default"]``. Connections open lazily;
``close_caches()`` / ``aclose_caches()`` close them, and the application's
lifespan calls ``aclose_caches()`` at shutdown.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any, cast

from fastjango.conf import settings
from fastjango.core.cache.backends.base import (
    BaseCache,
    CacheKeyWarning,
    InvalidCacheBackendError,
    InvalidCacheKey,
)
from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.core.signals import setting_changed
from fastjango.utils.module_loading import import_string

__all__ = [
    "DEFAULT_CACHE_ALIAS",
    "CacheHandler",
    "CacheKeyWarning",
    "InvalidCacheBackendError",
    "InvalidCacheKey",
    "aclose_caches",
    "cache",
    "caches",
    "close_caches",
]

DEFAULT_CACHE_ALIAS = "default"

_DJANGO_BACKENDS = "django.core.cache.backends."
_OUR_BACKENDS = "fastjango.core.cache.backends."
# Django backends with no FastJango twin, and what to use instead.
_UNSUPPORTED = {
    "memcached.PyLibMCCache": "fastjango.core.cache.backends.memcached.PyMemcacheCache",
    "memcached.MemcachedCache": "fastjango.core.cache.backends.memcached.PyMemcacheCache",
}


class CacheHandler:
    """Build and hold one backend per ``CACHES`` alias."""

    def __init__(self, settings: dict[str, dict[str, Any]] | None = None) -> None:
        self._settings = settings
        self._configured: dict[str, dict[str, Any]] | None = None
        self._connections: dict[str, BaseCache] = {}
        self._lock = threading.RLock()

    @property
    def settings(self) -> dict[str, dict[str, Any]]:
        """Return the validated ``CACHES`` setting (or the dict given to the handler)."""
        if self._configured is None:
            self._configured = self.configure_settings(self._settings)
        return self._configured

    def configure_settings(
        self, caches: dict[str, dict[str, Any]] | None
    ) -> dict[str, dict[str, Any]]:
        """Return ``caches`` (default: the ``CACHES`` setting) after checking its shape."""
        if caches is None:
            caches = settings.CACHES
        if not isinstance(caches, dict):
            raise ImproperlyConfigured("The CACHES setting must be a dict of alias -> options.")
        if DEFAULT_CACHE_ALIAS not in caches:
            raise ImproperlyConfigured(
                f"You must define a '{DEFAULT_CACHE_ALIAS}' cache in CACHES."
            )
        for alias, params in caches.items():
            if not isinstance(params, dict):
                raise ImproperlyConfigured(f"CACHES['{alias}'] must be a dict of options.")
            if not params.get("BACKEND"):
                raise InvalidCacheBackendError(
                    f"CACHES['{alias}'] has no BACKEND: set it to the dotted path of a cache "
                    "backend, e.g. 'fastjango.core.cache.backends.locmem.LocMemCache'."
                )
        return caches

    def create_connection(self, alias: str) -> BaseCache:
        """Build the backend configured as ``CACHES[alias]``."""
        params = dict(self.settings[alias])
        backend = params.pop("BACKEND")
        location = params.pop("LOCATION", "")
        if backend.startswith(_DJANGO_BACKENDS):
            name = backend.removeprefix(_DJANGO_BACKENDS)
            if name in _UNSUPPORTED:
                raise InvalidCacheBackendError(
                    f"CACHES['{alias}']['BACKEND'] is {backend!r}, which FastJango does not "
                    f"provide: use {_UNSUPPORTED[name]!r}."
                )
            backend = _OUR_BACKENDS + name
        try:
            backend_cls = import_string(backend)
        except ImportError as err:
            raise InvalidCacheBackendError(
                f"CACHES['{alias}']['BACKEND'] names {backend!r}, which could not be "
                f"imported: {err}"
            ) from err
        if not (isinstance(backend_cls, type) and issubclass(backend_cls, BaseCache)):
            raise InvalidCacheBackendError(
                f"CACHES['{alias}']['BACKEND'] names {backend!r}, which is not a subclass of "
                "BaseCache."
            )
        factory: Any = backend_cls  # backends take (LOCATION, params); BaseCache itself doesn't
        try:
            return factory(location, params)  # type: ignore[no-any-return]
        except InvalidCacheBackendError:
            raise
        except ImproperlyConfigured as err:
            raise ImproperlyConfigured(f"CACHES['{alias}']: {err}") from err

    def __getitem__(self, alias: str) -> BaseCache:
        try:
            return self._connections[alias]
        except KeyError:
            pass
        with self._lock:
            if alias in self._connections:
                return self._connections[alias]
            if alias not in self.settings:
                raise InvalidCacheBackendError(
                    f"The connection '{alias}' doesn't exist: it is not a key of CACHES."
                )
            connection = self.create_connection(alias)
            self._connections[alias] = connection
            return connection

    def __setitem__(self, alias: str, connection: BaseCache) -> None:
        self._connections[alias] = connection

    def __delitem__(self, alias: str) -> None:
        del self._connections[alias]

    def __iter__(self) -> Iterator[str]:
        return iter(self.settings)

    def __contains__(self, alias: object) -> bool:
        return alias in self.settings

    def all(self, initialized_only: bool = False) -> list[BaseCache]:
        """Return every configured backend, or only those already built."""
        if initialized_only:
            return list(self._connections.values())
        return [self[alias] for alias in self]

    def close_all(self) -> None:
        """Close the connections of every backend built so far."""
        for connection in self.all(initialized_only=True):
            connection.close()

    async def aclose_all(self) -> None:
        """Close every built backend's connections, including those of the running loop."""
        for connection in self.all(initialized_only=True):
            await connection.aclose()

    def reset(self) -> None:
        """Forget the built backends; ``CACHES`` is read again on next use."""
        with self._lock:
            connections, self._connections = self._connections, {}
            self._configured = None
        for connection in connections.values():
            connection.close()


caches = CacheHandler()


class _DefaultCacheProxy:
    """``caches["default"]``, looked up on each use so a settings change is seen."""

    def __getattr__(self, name: str) -> Any:
        return getattr(caches[DEFAULT_CACHE_ALIAS], name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(caches[DEFAULT_CACHE_ALIAS], name, value)

    def __delattr__(self, name: str) -> None:
        delattr(caches[DEFAULT_CACHE_ALIAS], name)

    def __contains__(self, key: Any) -> bool:
        return key in caches[DEFAULT_CACHE_ALIAS]

    def __eq__(self, other: object) -> bool:
        return caches[DEFAULT_CACHE_ALIAS] == other

    def __hash__(self) -> int:
        return hash(caches[DEFAULT_CACHE_ALIAS])

    def __repr__(self) -> str:
        return f"<default cache proxy for {caches[DEFAULT_CACHE_ALIAS]!r}>"


cache = cast(BaseCache, _DefaultCacheProxy())
"""The default cache, ``caches["default"]``."""


def close_caches(**kwargs: Any) -> None:
    """Close the connections of every cache built so far."""
    caches.close_all()


async def aclose_caches(**kwargs: Any) -> None:
    """Close every cache's connections, including the running event loop's async clients."""
    await caches.aclose_all()


def _reset_on_setting_change(*, setting: str, **kwargs: Any) -> None:
    if setting == "CACHES":
        caches.reset()


setting_changed.connect(_reset_on_setting_change, dispatch_uid="fastjango.core.cache.reset")
