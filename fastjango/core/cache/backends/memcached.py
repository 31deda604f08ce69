"""The Memcached cache: pymemcache for the sync API, aiomcache for the async one.

``LOCATION`` is ``host:port`` or several (a list, or one string split on
``,``/``;``); keys are spread over the servers by rendezvous hashing, the same
way on both sides, so sync and async code see the same data. ``OPTIONS`` go
to pymemcache's client for each server (``no_delay``, ``connect_timeout``,
``timeout``, ``max_pool_size``, ``serde``, ...) as in Django; the async side
honours the timeouts, ``max_pool_size`` and ``serde`` too. pymemcache
``HashClient``'s own failover options (``use_pooling``, ``retry_attempts``,
``retry_timeout``, ``dead_timeout``, ``ignore_exc``) are accepted and unused:
FastJango's outage handling (``IGNORE_EXCEPTIONS``) takes their place.

Values are stored with pymemcache's flags (bytes raw, str as UTF-8, int as
digits so ``incr()`` is memcached's own, anything else pickled).
"""

from __future__ import annotations

import asyncio
import math
import pickle
import re
import threading
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from fastjango.core.cache.backends._network import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_SOCKET_TIMEOUT,
    PerLoop,
    ServerHealth,
    ignore_exceptions_option,
    logger,
)
from fastjango.core.cache.backends.base import (
    DEFAULT_TIMEOUT,
    BaseCache,
    InvalidCacheKey,
    memcache_key_warnings,
)
from fastjango.core.exceptions import ImproperlyConfigured

__all__ = ["PyMemcacheCache", "PickleSerde"]

T = TypeVar("T")

# pymemcache's flag bits, so both clients read what the other wrote.
FLAG_BYTES = 0
FLAG_PICKLE = 1 << 0
FLAG_INTEGER = 1 << 1
FLAG_LONG = 1 << 2
FLAG_TEXT = 1 << 4

# Memcached reads an expiry over 30 days as a Unix timestamp.
_MAX_RELATIVE_EXPIRY = 60 * 60 * 24 * 30
# get_backend_timeout()'s "expire at once", which memcached cannot be asked for directly.
_EXPIRE_NOW = -1

_IGNORED_OPTIONS = ("use_pooling", "retry_attempts", "retry_timeout", "dead_timeout", "ignore_exc")


class PickleSerde:
    """pymemcache's serialization protocol with pymemcache's flags: ints stay incr-able."""

    def __init__(self, protocol: int = pickle.HIGHEST_PROTOCOL) -> None:
        self.protocol = protocol

    def serialize(self, key: Any, value: Any) -> tuple[bytes, int]:
        # Exact types: a subclass (bool, a str subclass) must come back as itself.
        value_type = type(value)
        if value_type is bytes:
            return value, FLAG_BYTES
        if value_type is str:
            return value.encode(), FLAG_TEXT
        if value_type is int:
            return b"%d" % value, FLAG_INTEGER
        return pickle.dumps(value, self.protocol), FLAG_PICKLE

    def deserialize(self, key: Any, value: bytes, flags: int) -> Any:
        if flags == FLAG_BYTES:
            return value
        if flags & FLAG_TEXT:
            return value.decode()
        if flags & (FLAG_INTEGER | FLAG_LONG):
            return int(value)
        if flags & FLAG_PICKLE:
            return pickle.loads(value)
        return value


class _StoredNone:
    """Stands for a cached None on the async side, where aiomcache reports misses as None."""


_STORED_NONE = _StoredNone()


def _import_pymemcache() -> Any:
    try:
        import pymemcache.client.base
        import pymemcache.client.rendezvous
        import pymemcache.serde
    except ModuleNotFoundError as err:  # pragma: no cover - pymemcache is a declared extra
        raise ImproperlyConfigured(
            "PyMemcacheCache needs pymemcache and aiomcache: pip install 'fastjango[memcached]'."
        ) from err
    return pymemcache


def _node_name(spec: Any) -> str:
    # pymemcache's HashClient names nodes this way; the same names give the same hashing.
    if isinstance(spec, tuple):
        return f"{spec[0]}:{spec[1]}"
    return str(spec)


class PyMemcacheCache(BaseCache):
    """A cache on one or more memcached servers."""

    def __init__(self, server: str | Sequence[str], params: Mapping[str, Any]) -> None:
        super().__init__(params)
        if isinstance(server, str):
            servers = [s.strip() for s in re.split("[;,]", server) if s.strip()]
        else:
            servers = [str(s) for s in server]
        if not servers:
            raise ImproperlyConfigured(
                "PyMemcacheCache needs LOCATION: 'host:port', or a list of them."
            )
        self._servers = servers
        lib = _import_pymemcache()
        self._lib_errors = lib.exceptions
        options = dict(self._options)
        for name in ("MAX_ENTRIES", "CULL_FREQUENCY", *_IGNORED_OPTIONS):
            options.pop(name, None)
        ignore = ignore_exceptions_option(options)
        hasher = options.pop("hasher", lib.client.rendezvous.RendezvousHash)()
        serializer = options.pop("serializer", None)
        deserializer = options.pop("deserializer", None)
        if serializer is not None or deserializer is not None:
            options.setdefault("serde", lib.serde.LegacyWrappingSerde(serializer, deserializer))
        options.setdefault("serde", PickleSerde())
        options.setdefault("connect_timeout", DEFAULT_CONNECT_TIMEOUT)
        options.setdefault("timeout", DEFAULT_SOCKET_TIMEOUT)
        options.setdefault("allow_unicode_keys", True)
        options.setdefault("default_noreply", False)
        self._serde: Any = options["serde"]
        self._raw_prefix: bytes = options.get("key_prefix", b"")
        self._async_timeout = float(options["connect_timeout"] or 0) + float(
            options["timeout"] or DEFAULT_SOCKET_TIMEOUT
        )
        self._async_pool_size = int(options.get("max_pool_size") or 10)

        self._clients: dict[str, Any] = {}
        self._addresses: dict[str, Any] = {}
        for server_spec in servers:
            spec = lib.client.base.normalize_server_spec(server_spec)
            name = _node_name(spec)
            try:
                self._clients[name] = lib.client.base.PooledClient(spec, **options)
            except TypeError as err:
                raise ImproperlyConfigured(
                    f"PyMemcacheCache OPTIONS has an option pymemcache does not accept: {err}."
                ) from err
            self._addresses[name] = spec
            hasher.add_node(name)
        self._hasher = hasher
        self._clients_lock = threading.Lock()
        self._async_clients: PerLoop[dict[str, Any]] = PerLoop(
            self._make_async_clients, self._close_async_clients
        )
        self._errors: tuple[type[BaseException], ...] = (
            OSError,
            EOFError,
            lib.exceptions.MemcacheUnexpectedCloseError,
        )
        self._health = ServerHealth(f"Memcached cache {', '.join(servers)}", ignore_errors=ignore)

    def validate_key(self, key: str) -> None:
        """Raise ``InvalidCacheKey`` for a key memcached cannot store."""
        for warning in memcache_key_warnings(key):
            raise InvalidCacheKey(warning)

    def get_backend_timeout(self, timeout: Any = DEFAULT_TIMEOUT) -> int:
        """Return memcached's expiry: 0 for never, -1 for at once, else seconds or a timestamp."""
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        if timeout is None:
            return 0
        if timeout <= 0:
            return _EXPIRE_NOW
        seconds: int = math.ceil(timeout)
        if seconds > _MAX_RELATIVE_EXPIRY:
            seconds += int(time.time())
        return seconds

    # Routing and outage handling.

    def _node(self, key: str) -> str:
        return str(self._hasher.get_node(key))

    def _client(self, key: str) -> Any:
        return self._clients[self._node(key)]

    def _by_node(self, keys: Iterable[str]) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for key in keys:
            groups[self._node(key)].append(key)
        return groups

    def _connection_lost(self, exc: BaseException) -> bool:
        """Return whether ``exc`` is a pooled connection found closed (a server restart)."""
        if isinstance(
            exc,
            EOFError
            | ConnectionResetError
            | BrokenPipeError
            | self._lib_errors.MemcacheUnexpectedCloseError,
        ):
            return True
        # aiomcache reports a connection closed under it as an empty reply.
        return type(exc).__name__ == "ClientException" and str(exc).endswith(("b''", "b'')"))

    def _guard(self, fallback: T, operation: Callable[[], T]) -> T:
        try:
            try:
                result = operation()
            except self._errors as exc:
                # A stale pooled connection (the server restarted) is worth one retry,
                # on a new connection; a refused or timed-out one is not.
                if not self._connection_lost(exc):
                    raise
                result = operation()
        except self._errors as exc:
            if not self._health.failed(exc):
                raise
            return fallback
        self._health.succeeded()
        return result

    async def _timed(self, operation: Callable[[], Awaitable[T]]) -> T:
        async with asyncio.timeout(self._async_timeout):
            return await operation()

    async def _aguard(self, fallback: T, operation: Callable[[], Awaitable[T]]) -> T:
        try:
            try:
                result = await self._timed(operation)
            except Exception as exc:
                if not self._connection_lost(exc):
                    raise
                await self._async_clients.aclose()
                result = await self._timed(operation)
        except Exception as exc:
            if not (isinstance(exc, self._errors) or self._connection_lost(exc)):
                raise
            # A timed-out command may have left a reply unread on its connection:
            # drop this loop's connections rather than risk reading it as another's.
            await self._async_clients.aclose()
            if not self._health.failed(exc):
                raise
            return fallback
        self._health.succeeded()
        return result

    def _refused_value(self, key: str, exc: Exception) -> None:
        # memcached refused the value itself (typically larger than its item size
        # limit): the key must not keep serving its previous value.
        if not self._health.ignore_errors:
            raise exc
        logger.warning("Memcached did not store %r: %s", key, exc)

    # Sync API.

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        key = self.make_and_validate_key(key, version=version)
        expire = self.get_backend_timeout(timeout)
        client = self._client(key)

        def operation() -> bool:
            added = bool(client.add(key, value, max(expire, 0), noreply=False))
            if added and expire == _EXPIRE_NOW:
                client.delete(key, noreply=False)
            return added

        return self._guard(False, operation)

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        return self._guard(default, lambda: self._client(key).get(key, default))

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        key = self.make_and_validate_key(key, version=version)
        expire = self.get_backend_timeout(timeout)
        client = self._client(key)

        def operation() -> None:
            if expire == _EXPIRE_NOW:
                client.delete(key, noreply=False)
                return
            try:
                stored = client.set(key, value, expire, noreply=False)
            except self._lib_errors.MemcacheServerError as exc:
                if isinstance(exc, self._lib_errors.MemcacheUnexpectedCloseError):
                    raise
                client.delete(key, noreply=False)
                self._refused_value(key, exc)
                return
            if not stored:
                client.delete(key, noreply=False)

        self._guard(None, operation)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        expire = self.get_backend_timeout(timeout)
        client = self._client(key)
        if expire == _EXPIRE_NOW:
            return self._guard(False, lambda: bool(client.delete(key, noreply=False)))
        return self._guard(False, lambda: bool(client.touch(key, expire, noreply=False)))

    def delete(self, key: Any, version: Any = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        return self._guard(False, lambda: bool(self._client(key).delete(key, noreply=False)))

    def get_many(self, keys: Iterable[Any], version: Any = None) -> dict[Any, Any]:
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}

        def operation() -> dict[Any, Any]:
            found = {}
            for node, node_keys in self._by_node(key_map).items():
                for stored, value in self._clients[node].get_many(node_keys).items():
                    found[key_map[stored]] = value
            return found

        return self._guard({}, operation)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        stored = self.make_and_validate_key(key, version=version)
        client = self._client(stored)
        # Memcached counters are unsigned: a negative delta is a decrement.
        if delta < 0:
            value = self._guard(None, lambda: client.decr(stored, -delta, noreply=False))
        else:
            value = self._guard(None, lambda: client.incr(stored, delta, noreply=False))
        if value is None:
            raise ValueError(f"Key '{stored}' not found")
        return value

    def decr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        return self.incr(key, -delta, version=version)

    def set_many(
        self, data: Mapping[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> list[Any]:
        original = {self.make_and_validate_key(key, version=version): key for key in data}
        values = {stored: data[key] for stored, key in original.items()}
        expire = self.get_backend_timeout(timeout)
        if expire == _EXPIRE_NOW:
            self._delete_stored(list(values))
            return []

        def operation() -> list[Any]:
            failed: list[Any] = []
            for node, node_keys in self._by_node(values).items():
                batch = {k: values[k] for k in node_keys}
                failed.extend(self._clients[node].set_many(batch, expire, noreply=False))
            return [original[k] for k in failed]

        return self._guard(list(data), operation)

    def _delete_stored(self, keys: list[str]) -> None:
        def operation() -> None:
            for node, node_keys in self._by_node(keys).items():
                self._clients[node].delete_many(node_keys, noreply=False)

        self._guard(None, operation)

    def delete_many(self, keys: Iterable[Any], version: Any = None) -> None:
        self._delete_stored([self.make_and_validate_key(key, version=version) for key in keys])

    def clear(self) -> None:
        """Flush every server (FLUSH_ALL), whatever the keys' prefix."""

        def operation() -> None:
            for client in self._clients.values():
                client.flush_all(noreply=False)

        self._guard(None, operation)

    def close(self, **kwargs: Any) -> None:
        with self._clients_lock:
            for client in self._clients.values():
                client.close()
        self._async_clients.forget_closed_loops()

    # Async API, on aiomcache.

    def _make_async_clients(self) -> dict[str, Any]:
        import aiomcache

        serde = self._serde

        async def read(value: bytes, flags: int) -> Any:
            result = serde.deserialize(None, value, flags)
            return _STORED_NONE if result is None else result

        async def write(value: Any) -> tuple[bytes, int]:
            data, flags = serde.serialize(None, value)
            return (data if isinstance(data, bytes) else str(data).encode()), flags

        clients = {}
        for name, address in self._addresses.items():
            if not isinstance(address, tuple):
                raise ImproperlyConfigured(
                    f"PyMemcacheCache's async methods need TCP servers ('host:port'); "
                    f"{address!r} is a Unix socket, usable from sync code only."
                )
            host, port = address
            clients[name] = aiomcache.FlagClient(
                host,
                port,
                pool_size=self._async_pool_size,
                # aiomcache opens pool_minsize connections up front; one is enough.
                pool_minsize=1,
                get_flag_handler=read,
                set_flag_handler=write,
            )
        return clients

    @staticmethod
    async def _close_async_clients(clients: dict[str, Any]) -> None:
        for client in clients.values():
            await client.close()

    async def _aclient(self, key: str) -> Any:
        return (await self._async_clients.get())[self._node(key)]

    def _encode(self, key: str) -> bytes:
        return self._raw_prefix + key.encode()

    async def aadd(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        key = self.make_and_validate_key(key, version=version)
        expire = self.get_backend_timeout(timeout)

        async def operation() -> bool:
            client = await self._aclient(key)
            added = bool(await client.add(self._encode(key), value, max(expire, 0)))
            if added and expire == _EXPIRE_NOW:
                await client.delete(self._encode(key))
            return added

        return await self._aguard(False, operation)

    async def aget(self, key: Any, default: Any = None, version: Any = None) -> Any:
        key = self.make_and_validate_key(key, version=version)

        async def operation() -> Any:
            return await (await self._aclient(key)).get(self._encode(key))

        value = await self._aguard(None, operation)
        if value is None:
            return default
        return None if value is _STORED_NONE else value

    async def _astore(self, key: str, value: Any, expire: int) -> bool:
        async def operation() -> bool:
            import aiomcache

            client = await self._aclient(key)
            if expire == _EXPIRE_NOW:
                await client.delete(self._encode(key))
                return True
            try:
                stored = bool(await client.set(self._encode(key), value, expire))
            except aiomcache.exceptions.ClientException as exc:
                stored = False
                self._refused_value(key, exc)
            if not stored:
                await client.delete(self._encode(key))
            return stored

        return await self._aguard(False, operation)

    async def aset(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        key = self.make_and_validate_key(key, version=version)
        await self._astore(key, value, self.get_backend_timeout(timeout))

    async def atouch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        expire = self.get_backend_timeout(timeout)

        async def operation() -> bool:
            client = await self._aclient(key)
            if expire == _EXPIRE_NOW:
                return bool(await client.delete(self._encode(key)))
            return bool(await client.touch(self._encode(key), expire))

        return await self._aguard(False, operation)

    async def adelete(self, key: Any, version: Any = None) -> bool:
        key = self.make_and_validate_key(key, version=version)

        async def operation() -> bool:
            return bool(await (await self._aclient(key)).delete(self._encode(key)))

        return await self._aguard(False, operation)

    async def aget_many(self, keys: Iterable[Any], version: Any = None) -> dict[Any, Any]:
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}

        async def operation() -> dict[Any, Any]:
            clients = await self._async_clients.get()
            found = {}
            for node, node_keys in self._by_node(key_map).items():
                values = await clients[node].multi_get(*(self._encode(k) for k in node_keys))
                for stored, value in zip(node_keys, values, strict=True):
                    if value is not None:
                        found[key_map[stored]] = None if value is _STORED_NONE else value
            return found

        return await self._aguard({}, operation)

    async def ahas_key(self, key: Any, version: Any = None) -> bool:
        return await self.aget(key, self._missing_key, version=version) is not self._missing_key

    async def aincr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        stored = self.make_and_validate_key(key, version=version)

        async def operation() -> Any:
            import aiomcache

            client = await self._aclient(stored)
            try:
                if delta < 0:
                    return await client.decr(self._encode(stored), -delta)
                return await client.incr(self._encode(stored), delta)
            except aiomcache.exceptions.ClientException as exc:
                if "NOT_FOUND" in str(exc):
                    return None
                raise

        value = await self._aguard(None, operation)
        if value is None:
            raise ValueError(f"Key '{stored}' not found")
        return value

    async def adecr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        return await self.aincr(key, -delta, version=version)

    async def aset_many(
        self, data: Mapping[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> list[Any]:
        expire = self.get_backend_timeout(timeout)
        failed = []
        for key, value in data.items():
            stored = self.make_and_validate_key(key, version=version)
            if not await self._astore(stored, value, expire):
                failed.append(key)
        return failed

    async def adelete_many(self, keys: Iterable[Any], version: Any = None) -> None:
        for key in keys:
            await self.adelete(key, version=version)

    async def aclear(self) -> None:
        async def operation() -> None:
            for client in (await self._async_clients.get()).values():
                await client.flush_all()

        await self._aguard(None, operation)

    async def aclose(self, **kwargs: Any) -> None:
        await self._async_clients.aclose()
        self.close(**kwargs)
