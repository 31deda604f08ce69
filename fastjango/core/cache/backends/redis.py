"""The Redis cache, on redis-py: its sync client for the sync API, ``redis.asyncio`` for the async.

``LOCATION`` is a ``redis://`` URL or several (a list, or one string split on
``,``/``;``): writes go to the first server, reads to one of the others (the
replicas) when there are several. ``OPTIONS`` go to redis-py's connection
pool, except ``serializer``, ``pool_class`` and ``parser_class`` (as in Django)
and FastJango's ``IGNORE_EXCEPTIONS``.

Integers are stored as Redis integers, so ``incr()`` is Redis's atomic INCRBY;
everything else is pickled.
"""

from __future__ import annotations

import pickle
import random
import re
import threading
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from fastjango.core.cache.backends._network import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_SOCKET_TIMEOUT,
    PerLoop,
    ServerHealth,
    ignore_exceptions_option,
)
from fastjango.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.utils.module_loading import import_string

if TYPE_CHECKING:
    import redis as redis_lib
    import redis.asyncio as aredis_lib

__all__ = ["RedisCache", "RedisSerializer"]

T = TypeVar("T")

# Increment only a key that exists, in one step: a key expiring between a
# separate EXISTS and INCRBY would come back as a counter that never expires.
_INCR_SCRIPT = (
    "if redis.call('exists', KEYS[1]) == 1 then "
    "return redis.call('incrby', KEYS[1], ARGV[1]) end return nil"
)


class RedisSerializer:
    """Pickle values, except plain ints, which Redis stores natively so INCRBY works."""

    def __init__(self, protocol: int | None = None) -> None:
        self.protocol = pickle.HIGHEST_PROTOCOL if protocol is None else protocol

    def dumps(self, obj: Any) -> bytes | int:
        # type() rather than isinstance(): a bool must come back as a bool.
        if type(obj) is int:
            return obj
        return pickle.dumps(obj, self.protocol)

    def loads(self, data: bytes) -> Any:
        try:
            return int(data)
        except ValueError:
            return pickle.loads(data)


def _import_redis() -> Any:
    try:
        import redis
    except ModuleNotFoundError as err:  # pragma: no cover - redis is a declared extra
        raise ImproperlyConfigured(
            "RedisCache needs the redis package: pip install 'fastjango[redis]'."
        ) from err
    return redis


def _milliseconds(timeout: float) -> int:
    # At least 1 ms: a positive timeout must not turn into "delete now".
    return max(1, int(timeout * 1000))


class RedisCache(BaseCache):
    """A cache on one Redis server, or a primary and its replicas."""

    def __init__(self, server: str | Sequence[str], params: Mapping[str, Any]) -> None:
        super().__init__(params)
        if isinstance(server, str):
            servers = [s.strip() for s in re.split("[;,]", server) if s.strip()]
        else:
            servers = [str(s) for s in server]
        if not servers:
            raise ImproperlyConfigured(
                "RedisCache needs LOCATION: a redis:// URL, or a list of them (primary first)."
            )
        self._servers = servers
        self._lib = _import_redis()
        options = dict(self._options)
        for name in ("MAX_ENTRIES", "CULL_FREQUENCY"):
            options.pop(name, None)
        ignore = ignore_exceptions_option(options)
        serializer = options.pop("serializer", None)
        if isinstance(serializer, str):
            serializer = import_string(serializer)
        if callable(serializer):
            serializer = serializer()
        self._serializer: Any = serializer or RedisSerializer()
        pool_class = options.pop("pool_class", None)
        if isinstance(pool_class, str):
            pool_class = import_string(pool_class)
        self._pool_class: Any = pool_class or self._lib.ConnectionPool
        parser_class = options.pop("parser_class", None)
        if isinstance(parser_class, str):
            parser_class = import_string(parser_class)
        options.setdefault("socket_connect_timeout", DEFAULT_CONNECT_TIMEOUT)
        options.setdefault("socket_timeout", DEFAULT_SOCKET_TIMEOUT)
        self._async_pool_options = dict(options)
        if parser_class is not None:
            options["parser_class"] = parser_class
        self._pool_options = options
        self._clients: dict[int, redis_lib.Redis] = {}
        self._clients_lock = threading.Lock()
        self._async_clients: PerLoop[list[aredis_lib.Redis]] = PerLoop(
            self._make_async_clients, self._close_async_clients
        )
        self._errors: tuple[type[BaseException], ...] = (
            self._lib.exceptions.ConnectionError,
            self._lib.exceptions.TimeoutError,
            OSError,
        )
        self._health = ServerHealth(f"Redis cache {self._servers[0]}", ignore_errors=ignore)

    # Connections.

    def _server_index(self, write: bool) -> int:
        if write or len(self._servers) == 1:
            return 0
        return random.randint(1, len(self._servers) - 1)

    def _client(self, write: bool = False) -> redis_lib.Redis:
        index = self._server_index(write)
        client = self._clients.get(index)
        if client is None:
            with self._clients_lock:
                client = self._clients.get(index)
                if client is None:
                    pool = self._pool_class.from_url(self._servers[index], **self._pool_options)
                    client = self._lib.Redis(connection_pool=pool)
                    self._clients[index] = client
        return client

    def _make_async_clients(self) -> list[aredis_lib.Redis]:
        import redis.asyncio

        return [
            redis.asyncio.Redis(
                connection_pool=redis.asyncio.ConnectionPool.from_url(
                    url, **self._async_pool_options
                )
            )
            for url in self._servers
        ]

    @staticmethod
    async def _close_async_clients(clients: list[aredis_lib.Redis]) -> None:
        for client in clients:
            await client.aclose(close_connection_pool=True)

    async def _aclient(self, write: bool = False) -> aredis_lib.Redis:
        clients = await self._async_clients.get()
        return clients[self._server_index(write)]

    def _guard(self, fallback: T, operation: Callable[[], T]) -> T:
        try:
            result = operation()
        except self._errors as exc:
            if not self._health.failed(exc):
                raise
            return fallback
        self._health.succeeded()
        return result

    async def _aguard(self, fallback: T, operation: Callable[[], Awaitable[T]]) -> T:
        try:
            result = await operation()
        except self._errors as exc:
            if not self._health.failed(exc):
                raise
            return fallback
        self._health.succeeded()
        return result

    def get_backend_timeout(self, timeout: Any = DEFAULT_TIMEOUT) -> float | None:
        """Return the timeout in seconds: None for "persist", 0 for "delete now"."""
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        return None if timeout is None else max(0, timeout)

    # Sync API.

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        key = self.make_and_validate_key(key, version=version)
        data = self._serializer.dumps(value)
        seconds = self.get_backend_timeout(timeout)

        def operation() -> bool:
            client = self._client(write=True)
            if seconds == 0:
                added = bool(client.set(key, data, nx=True))
                if added:
                    client.delete(key)
                return added
            px = None if seconds is None else _milliseconds(seconds)
            return bool(client.set(key, data, px=px, nx=True))

        return self._guard(False, operation)

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        data = self._guard(None, lambda: self._client().get(key))
        return default if data is None else self._serializer.loads(data)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        key = self.make_and_validate_key(key, version=version)
        data = self._serializer.dumps(value)
        seconds = self.get_backend_timeout(timeout)

        def operation() -> None:
            client = self._client(write=True)
            if seconds == 0:
                client.delete(key)
            else:
                client.set(key, data, px=None if seconds is None else _milliseconds(seconds))

        self._guard(None, operation)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        seconds = self.get_backend_timeout(timeout)

        def operation() -> bool:
            client = self._client(write=True)
            if seconds is None:
                # PERSIST answers 0 for a key without expiry too; EXISTS tells them apart.
                pipe = client.pipeline()
                pipe.persist(key)
                pipe.exists(key)
                return bool(pipe.execute()[1])
            return bool(client.pexpire(key, 0 if seconds == 0 else _milliseconds(seconds)))

        return self._guard(False, operation)

    def delete(self, key: Any, version: Any = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        return self._guard(False, lambda: bool(self._client(write=True).delete(key)))

    def get_many(self, keys: Iterable[Any], version: Any = None) -> dict[Any, Any]:
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}
        if not key_map:
            return {}
        stored = list(key_map)
        nothing: list[Any] = []
        values: list[Any] = self._guard(nothing, lambda: list(self._client().mget(stored)))
        return {
            key_map[k]: self._serializer.loads(v)
            for k, v in zip(stored, values, strict=False)
            if v is not None
        }

    def has_key(self, key: Any, version: Any = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        return self._guard(False, lambda: bool(self._client().exists(key)))

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        stored = self.make_and_validate_key(key, version=version)
        script: Callable[[], Any] = lambda: self._client(write=True).eval(  # noqa: E731
            _INCR_SCRIPT, 1, stored, delta
        )
        value = self._guard(None, script)
        if value is None:
            raise ValueError(f"Key '{stored}' not found.")
        return value

    def set_many(
        self, data: Mapping[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> list[Any]:
        if not data:
            return []
        safe_data = {
            self.make_and_validate_key(key, version=version): self._serializer.dumps(value)
            for key, value in data.items()
        }
        seconds = self.get_backend_timeout(timeout)

        def operation() -> list[Any]:
            pipe = self._client(write=True).pipeline()
            pipe.mset(safe_data)
            if seconds is not None:
                ms = 0 if seconds == 0 else _milliseconds(seconds)
                for key in safe_data:
                    pipe.pexpire(key, ms)
            pipe.execute()
            return []

        return self._guard(list(data), operation)

    def delete_many(self, keys: Iterable[Any], version: Any = None) -> None:
        safe_keys = [self.make_and_validate_key(key, version=version) for key in keys]
        if safe_keys:
            self._guard(None, lambda: self._client(write=True).delete(*safe_keys))

    def clear(self) -> None:
        """Empty the whole Redis database (FLUSHDB), whatever the keys' prefix."""
        self._guard(None, lambda: self._client(write=True).flushdb())

    def close(self, **kwargs: Any) -> None:
        with self._clients_lock:
            clients, self._clients = self._clients, {}
        for client in clients.values():
            client.connection_pool.disconnect()
        self._async_clients.forget_closed_loops()

    # Async API, on redis.asyncio.

    async def aadd(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        key = self.make_and_validate_key(key, version=version)
        data = self._serializer.dumps(value)
        seconds = self.get_backend_timeout(timeout)

        async def operation() -> bool:
            client = await self._aclient(write=True)
            if seconds == 0:
                added = bool(await client.set(key, data, nx=True))
                if added:
                    await client.delete(key)
                return added
            px = None if seconds is None else _milliseconds(seconds)
            return bool(await client.set(key, data, px=px, nx=True))

        return await self._aguard(False, operation)

    async def aget(self, key: Any, default: Any = None, version: Any = None) -> Any:
        key = self.make_and_validate_key(key, version=version)

        async def operation() -> Any:
            return await (await self._aclient()).get(key)

        data = await self._aguard(None, operation)
        return default if data is None else self._serializer.loads(data)

    async def aset(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        key = self.make_and_validate_key(key, version=version)
        data = self._serializer.dumps(value)
        seconds = self.get_backend_timeout(timeout)

        async def operation() -> None:
            client = await self._aclient(write=True)
            if seconds == 0:
                await client.delete(key)
            else:
                await client.set(key, data, px=None if seconds is None else _milliseconds(seconds))

        await self._aguard(None, operation)

    async def atouch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        seconds = self.get_backend_timeout(timeout)

        async def operation() -> bool:
            client = await self._aclient(write=True)
            if seconds is None:
                pipe = client.pipeline()
                pipe.persist(key)
                pipe.exists(key)
                return bool((await pipe.execute())[1])
            return bool(await client.pexpire(key, 0 if seconds == 0 else _milliseconds(seconds)))

        return await self._aguard(False, operation)

    async def adelete(self, key: Any, version: Any = None) -> bool:
        key = self.make_and_validate_key(key, version=version)

        async def operation() -> bool:
            return bool(await (await self._aclient(write=True)).delete(key))

        return await self._aguard(False, operation)

    async def aget_many(self, keys: Iterable[Any], version: Any = None) -> dict[Any, Any]:
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}
        if not key_map:
            return {}
        stored = list(key_map)

        async def operation() -> list[Any]:
            return list(await (await self._aclient()).mget(stored))

        nothing: list[Any] = []
        values = await self._aguard(nothing, operation)
        return {
            key_map[k]: self._serializer.loads(v)
            for k, v in zip(stored, values, strict=False)
            if v is not None
        }

    async def ahas_key(self, key: Any, version: Any = None) -> bool:
        key = self.make_and_validate_key(key, version=version)

        async def operation() -> bool:
            return bool(await (await self._aclient()).exists(key))

        return await self._aguard(False, operation)

    async def aincr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        stored = self.make_and_validate_key(key, version=version)

        async def operation() -> Any:
            client = await self._aclient(write=True)
            return await client.eval(_INCR_SCRIPT, 1, stored, delta)

        value = await self._aguard(None, operation)
        if value is None:
            raise ValueError(f"Key '{stored}' not found.")
        return value

    async def aset_many(
        self, data: Mapping[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> list[Any]:
        if not data:
            return []
        safe_data = {
            self.make_and_validate_key(key, version=version): self._serializer.dumps(value)
            for key, value in data.items()
        }
        seconds = self.get_backend_timeout(timeout)

        async def operation() -> list[Any]:
            pipe = (await self._aclient(write=True)).pipeline()
            pipe.mset(safe_data)
            if seconds is not None:
                ms = 0 if seconds == 0 else _milliseconds(seconds)
                for key in safe_data:
                    pipe.pexpire(key, ms)
            await pipe.execute()
            return []

        return await self._aguard(list(data), operation)

    async def adelete_many(self, keys: Iterable[Any], version: Any = None) -> None:
        safe_keys = [self.make_and_validate_key(key, version=version) for key in keys]
        if not safe_keys:
            return

        async def operation() -> None:
            await (await self._aclient(write=True)).delete(*safe_keys)

        await self._aguard(None, operation)

    async def aclear(self) -> None:
        async def operation() -> None:
            await (await self._aclient(write=True)).flushdb()

        await self._aguard(None, operation)

    async def aclose(self, **kwargs: Any) -> None:
        await self._async_clients.aclose()
        self.close(**kwargs)
