"""What is particular to each backend: eviction, storage, keys, options, clear()."""

from __future__ import annotations

import os
import pickle
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
import pytest

from fastjango.core.cache import CacheHandler
from fastjango.core.cache.backends.base import (
    BaseCache,
    CacheKeyWarning,
    InvalidCacheKey,
    default_key_func,
)
from fastjango.core.exceptions import ImproperlyConfigured, SynchronousOnlyOperation
from tests.cache.conftest import Server

pytestmark = pytest.mark.anyio

UNSAFE_KEYS = ["key with spaces", "key\x00null", "tab\tkey", "x" * 251]


# Key validation.


@pytest.mark.parametrize("backend", ["locmem", "filebased", "redis", "db", "dummy"])
@pytest.mark.parametrize("key", UNSAFE_KEYS, ids=["space", "null", "tab", "long"])
def test_keys_unsafe_on_memcached_warn(
    backend: str, key: str, make_cache: Callable[..., BaseCache]
) -> None:
    cache = make_cache(backend)
    with pytest.warns(CacheKeyWarning, match="memcached"):
        cache.set(key, "value")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CacheKeyWarning)
        expected = None if backend == "dummy" else "value"
        assert cache.get(key) == expected


@pytest.mark.parametrize("key", UNSAFE_KEYS, ids=["space", "null", "tab", "long"])
async def test_memcached_refuses_unsafe_keys(
    key: str, amake_cache: Callable[..., BaseCache]
) -> None:
    cache = amake_cache("memcached")
    with pytest.raises(InvalidCacheKey, match="memcached"):
        cache.set(key, "value")
    with pytest.raises(InvalidCacheKey):
        await cache.aget(key)
    assert isinstance(InvalidCacheKey("x"), ValueError)


def test_key_warning_messages() -> None:
    cache = CacheHandler({"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}})[
        "default"
    ]
    long_key = "a" * 251
    with pytest.warns(CacheKeyWarning) as record:
        cache.validate_key(long_key)
    assert str(record[0].message) == (
        f"Cache key will cause errors if used with memcached: {long_key!r} (longer than 250)"
    )
    with pytest.warns(CacheKeyWarning) as record:
        cache.validate_key("a b")
    assert str(record[0].message) == (
        "Cache key contains characters that will cause errors if used with memcached: 'a b'"
    )
    assert default_key_func("k", "p", 3) == "p:3:k"
    assert cache.make_key("k") == ":1:k"


# Local memory.


def test_locmem_evicts_least_recently_used(make_cache: Callable[..., BaseCache]) -> None:
    cache = make_cache("locmem", OPTIONS={"MAX_ENTRIES": 9, "CULL_FREQUENCY": 3})
    for i in range(9):
        cache.set(f"k{i}", i)
    # Reading k0..k2 makes k3..k5 the least recently used.
    for i in range(3):
        assert cache.get(f"k{i}") == i
    cache.set("new", "value")
    assert cache.get_many([f"k{i}" for i in range(9)]).keys() == {
        "k0",
        "k1",
        "k2",
        "k6",
        "k7",
        "k8",
    }
    assert cache.get("new") == "value"
    # Overwriting an existing key never evicts.
    cache.set("new", "again")
    assert len(cache.get_many([f"k{i}" for i in range(9)])) == 6


@pytest.mark.parametrize("backend", ["locmem", "filebased", "db"])
def test_cull(backend: str, make_cache: Callable[..., BaseCache]) -> None:
    cache = make_cache(backend, OPTIONS={"MAX_ENTRIES": 30, "CULL_FREQUENCY": 3})
    for i in range(1, 50):
        cache.set(f"cull{i}", "value", 1000)
    count = sum(cache.has_key(f"cull{i}") for i in range(1, 50))
    assert 20 <= count <= 31


@pytest.mark.parametrize("backend", ["locmem", "filebased", "db"])
def test_cull_frequency_zero_empties_the_cache(
    backend: str, make_cache: Callable[..., BaseCache]
) -> None:
    cache = make_cache(backend, OPTIONS={"MAX_ENTRIES": 30, "CULL_FREQUENCY": 0})
    for i in range(1, 40):
        cache.set(f"cull{i}", "value", 1000)
    count = sum(cache.has_key(f"cull{i}") for i in range(1, 40))
    assert count < 30


async def test_db_cull_async(amake_cache: Callable[..., BaseCache]) -> None:
    cache = amake_cache("db", OPTIONS={"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2})
    await cache.aset("expired", "value", 0.01)
    await anyio.sleep(0.05)
    for i in range(12):
        await cache.aset(f"k{i}", i)
    keys = [f"k{i}" for i in range(12)]
    assert 5 <= len(await cache.aget_many(keys)) <= 11
    zero = amake_cache("db", OPTIONS={"MAX_ENTRIES": 3, "CULL_FREQUENCY": 0})
    for i in range(5):
        await zero.aset(f"z{i}", i)
    assert len(await zero.aget_many([f"z{i}" for i in range(5)])) < 5


def test_locmem_caches_with_one_location_share_storage(
    make_cache: Callable[..., BaseCache],
) -> None:
    first = make_cache("locmem", LOCATION="shared-location-test")
    second = make_cache("locmem", LOCATION="shared-location-test")
    other = make_cache("locmem", LOCATION="other-location-test")
    first.set("key", "value")
    assert second.get("key") == "value"
    assert other.get("key") is None
    first.clear()
    assert second.get("key") is None


def test_locmem_is_thread_safe(make_cache: Callable[..., BaseCache]) -> None:
    cache = make_cache("locmem")
    cache.set("counter", 0)

    def work() -> None:
        for _ in range(200):
            cache.incr("counter")

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.get("counter") == 1600


def test_locmem_values_are_copies(make_cache: Callable[..., BaseCache]) -> None:
    cache = make_cache("locmem")
    value = {"list": [1]}
    cache.set("key", value)
    value["list"].append(2)
    fetched = cache.get("key")
    fetched["list"].append(3)
    assert cache.get("key") == {"list": [1]}


# File-based.


def test_filebased_layout_and_clear(make_cache: Callable[..., BaseCache], tmp_path: Path) -> None:
    cache = make_cache("filebased", LOCATION=str(tmp_path / "files"))
    cache.set("a", "value")
    cache.set("b", "value")
    files = sorted(os.listdir(tmp_path / "files"))
    assert len(files) == 2 and all(name.endswith(".djcache") for name in files)
    (tmp_path / "files" / "not-a-cache-file.txt").write_text("keep me")
    cache.clear()
    assert os.listdir(tmp_path / "files") == ["not-a-cache-file.txt"]
    assert oct((tmp_path / "files").stat().st_mode & 0o777) == oct(0o700)


def test_filebased_survives_its_directory_being_removed(
    make_cache: Callable[..., BaseCache], tmp_path: Path
) -> None:
    directory = tmp_path / "gone"
    cache = make_cache("filebased", LOCATION=str(directory))
    cache.set("a", 1)
    for name in os.listdir(directory):
        os.remove(directory / name)
    directory.rmdir()
    assert cache.get("a") is None
    assert cache.has_key("a") is False
    assert cache.touch("a") is False
    cache.set("a", 2)
    assert cache.get("a") == 2


def test_filebased_treats_an_empty_file_as_expired(
    make_cache: Callable[..., BaseCache], tmp_path: Path
) -> None:
    cache = make_cache("filebased", LOCATION=str(tmp_path / "empty"))
    cache.set("a", 1)
    (path,) = (tmp_path / "empty").iterdir()
    path.write_bytes(b"")
    assert cache.get("a", "default") == "default"
    assert not path.exists()


def test_filebased_needs_a_location() -> None:
    handler = CacheHandler(
        {"default": {"BACKEND": "fastjango.core.cache.backends.filebased.FileBasedCache"}}
    )
    with pytest.raises(ImproperlyConfigured, match="LOCATION"):
        handler["default"]


def test_filebased_ignores_files_outside_its_directory(
    make_cache: Callable[..., BaseCache], tmp_path: Path
) -> None:
    cache = make_cache("filebased", LOCATION=str(tmp_path / "inside"))
    outside = tmp_path / "outside.djcache"
    outside.write_text("x")
    assert cache._delete(str(outside)) is False  # type: ignore[attr-defined]
    assert outside.exists()


# Dummy.


async def test_dummy_caches_nothing(amake_cache: Callable[..., BaseCache]) -> None:
    cache = amake_cache("dummy")
    assert cache.add("key", "value") is True
    cache.set("key", "value")
    assert cache.get("key", "default") == "default"
    assert cache.get_many(["key"]) == {}
    assert cache.set_many({"key": "value"}) == []
    assert cache.has_key("key") is False
    assert cache.touch("key") is False
    assert cache.delete("key") is False
    assert cache.get_or_set("key", "computed") == "computed"
    with pytest.raises(ValueError, match="not found"):
        cache.incr("key")
    with pytest.raises(ValueError, match="not found"):
        cache.incr_version("key")
    cache.delete_many(["key"])
    cache.clear()
    assert await cache.aadd("key", "value") is True
    await cache.aset("key", "value")
    assert await cache.aget("key", "default") == "default"
    assert await cache.aget_many(["key"]) == {}
    assert await cache.aset_many({"key": 1}) == []
    assert await cache.ahas_key("key") is False
    assert await cache.atouch("key") is False
    assert await cache.adelete("key") is False
    assert await cache.aget_or_set("key", "computed") == "computed"
    with pytest.raises(ValueError, match="not found"):
        await cache.aincr("key")
    await cache.adelete_many(["key"])
    await cache.aclear()


# Redis.


async def test_redis_stores_ints_as_redis_integers(amake_cache: Callable[..., BaseCache]) -> None:
    import redis

    cache = amake_cache("redis")
    cache.set("int", 42)
    cache.set("str", "42")
    raw = redis.Redis.from_url(cache._servers[0])  # type: ignore[attr-defined]
    try:
        assert raw.get(cache.make_key("int")) == b"42"
        assert raw.incr(cache.make_key("int")) == 43
        assert pickle.loads(raw.get(cache.make_key("str"))) == "42"  # type: ignore[arg-type]
    finally:
        raw.close()
    assert await cache.aget("int") == 43
    assert cache.get("str") == "42"


def test_redis_options(make_cache: Callable[..., BaseCache]) -> None:
    cache = make_cache(
        "redis",
        OPTIONS={
            "serializer": "fastjango.core.cache.backends.redis.RedisSerializer",
            "pool_class": "redis.BlockingConnectionPool",
            "parser_class": "redis.connection._RESP2Parser",
            "socket_timeout": 2,
            "max_connections": 5,
            "MAX_ENTRIES": 10,
        },
    )
    cache.set("key", {"a": 1})
    assert cache.get("key") == {"a": 1}
    import redis

    client = cache._client()  # type: ignore[attr-defined]
    pool = client.connection_pool
    assert isinstance(pool, redis.BlockingConnectionPool)
    assert pool.connection_kwargs["socket_timeout"] == 2
    assert pool.connection_kwargs["socket_connect_timeout"] == 0.5
    assert pool.max_connections == 5


def test_redis_needs_a_location() -> None:
    handler = CacheHandler({"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}})
    with pytest.raises(ImproperlyConfigured, match="LOCATION"):
        handler["default"]


async def test_redis_reads_from_replicas_and_writes_to_the_primary(
    server_factory: Callable[[str], Server], amake_cache: Callable[..., BaseCache]
) -> None:
    primary, replica = server_factory("redis"), server_factory("redis")
    cache = amake_cache("redis", f"{primary.location},{replica.location}")
    cache.set("key", "value")
    # The replica is not really replicating: a read that finds nothing went there.
    assert cache.get("key") is None
    assert await cache.aget("key") is None
    await cache.aset("key2", "value")
    assert cache.has_key("key2") is False
    list_cache = amake_cache("redis", [primary.location])
    assert list_cache.get("key") == "value"
    assert await list_cache.aget("key2") == "value"


async def test_redis_clear_flushes_the_database(
    server_factory: Callable[[str], Server], amake_cache: Callable[..., BaseCache]
) -> None:
    server = server_factory("redis")
    cache = amake_cache("redis", server.location)
    other_prefix = amake_cache("redis", server.location, KEY_PREFIX="other")
    cache.set("a", 1)
    other_prefix.set("b", 2)
    cache.clear()
    assert other_prefix.get("b") is None
    await cache.aset("a", 1)
    await cache.aclear()
    assert await cache.aget("a") is None


# Memcached.


async def test_memcached_clear_flushes_every_server(
    server_factory: Callable[[str], Server], amake_cache: Callable[..., BaseCache]
) -> None:
    first, second = server_factory("memcached"), server_factory("memcached")
    cache = amake_cache("memcached", [first.location, second.location])
    data = {f"key{i}": i for i in range(20)}
    cache.set_many(data)
    assert cache.get_many(list(data)) == data
    # Keys spread over both servers the same way for both clients.
    assert await cache.aget_many(list(data)) == data
    nodes = {cache._node(cache.make_key(k)) for k in data}  # type: ignore[attr-defined]
    assert len(nodes) == 2
    cache.clear()
    assert cache.get_many(list(data)) == {}
    await cache.aset_many(data)
    assert cache.get_many(list(data)) == data
    await cache.aclear()
    assert await cache.aget_many(list(data)) == {}


async def test_memcached_long_timeouts_become_timestamps(
    amake_cache: Callable[..., BaseCache],
) -> None:
    cache = amake_cache("memcached")
    month = 60 * 60 * 24 * 31
    expiry = cache.get_backend_timeout(month)
    assert abs(expiry - (time.time() + month)) < 5  # type: ignore[operator]
    assert cache.get_backend_timeout(None) == 0
    assert cache.get_backend_timeout(0) == -1
    assert cache.get_backend_timeout(0.2) == 1
    cache.set("month", "value", month)
    assert cache.get("month") == "value"
    await cache.aset("amonth", "value", month)
    assert await cache.aget("amonth") == "value"


async def test_memcached_too_large_values_are_not_cached(
    amake_cache: Callable[..., BaseCache], caplog: pytest.LogCaptureFixture
) -> None:
    cache = amake_cache("memcached")
    large = "a" * (2**20 + 1)
    cache.set("value", "small")
    cache.set("value", large)
    assert cache.get("value") is None
    await cache.aset("avalue", "small")
    await cache.aset("avalue", large)
    assert await cache.aget("avalue") is None
    assert await cache.aset_many({"avalue": large, "ok": 1}) == ["avalue"]
    assert "did not store" in caplog.text
    strict = amake_cache("memcached", OPTIONS={"IGNORE_EXCEPTIONS": False})
    with pytest.raises(Exception, match="too large"):
        strict.set("value", large)
    with pytest.raises(Exception, match="too large"):
        await strict.aset("value", large)


async def test_memcached_options(amake_cache: Callable[..., BaseCache]) -> None:
    cache = amake_cache(
        "memcached",
        OPTIONS={
            "no_delay": True,
            "ignore_exc": True,
            "max_pool_size": 4,
            "use_pooling": True,
            "connect_timeout": 2,
            "timeout": 3,
        },
    )
    cache.set("key", "value")
    assert await cache.aget("key") == "value"
    (client,) = cache._clients.values()  # type: ignore[attr-defined]
    assert client.no_delay is True
    assert client.timeout == 3
    assert cache._async_timeout == 5  # type: ignore[attr-defined]
    with pytest.raises(ImproperlyConfigured, match="does not accept"):
        amake_cache("memcached", OPTIONS={"no_such_option": 1})


async def test_memcached_legacy_serializer_options(amake_cache: Callable[..., BaseCache]) -> None:
    def serializer(key: Any, value: Any) -> tuple[bytes, int]:
        return str(value).upper().encode(), 1

    def deserializer(key: Any, value: bytes, flags: int) -> Any:
        return value.decode() + "!"

    cache = amake_cache(
        "memcached", OPTIONS={"serializer": serializer, "deserializer": deserializer}
    )
    cache.set("key", "value")
    assert cache.get("key") == "VALUE!"
    await cache.aset("key", "other")
    assert await cache.aget("key") == "OTHER!"


async def test_memcached_async_needs_tcp_servers(amake_cache: Callable[..., BaseCache]) -> None:
    cache = amake_cache("memcached", "unix:/tmp/no-such-memcached.sock")
    with pytest.raises(ImproperlyConfigured, match="TCP"):
        await cache.aget("key")


def test_memcached_needs_a_location() -> None:
    handler = CacheHandler(
        {"default": {"BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache"}}
    )
    with pytest.raises(ImproperlyConfigured, match="LOCATION"):
        handler["default"]


async def test_memcached_counters_stop_at_zero(amake_cache: Callable[..., BaseCache]) -> None:
    cache = amake_cache("memcached")
    cache.set("n", 1)
    assert cache.decr("n", 5) == 0
    await cache.aset("m", 1)
    assert await cache.adecr("m", 5) == 0
    cache.set("s", "text")
    with pytest.raises(Exception, match="non-numeric"):
        cache.incr("s")
    with pytest.raises(Exception, match="non-numeric"):
        await cache.aincr("s")


# Database.


async def test_db_cache_table_matches_djangos(amake_cache: Callable[..., BaseCache]) -> None:
    import sqlalchemy as sa

    from fastjango.db import connections

    cache = amake_cache("db")
    # Like every sync database call, the sync API refuses to run on the event loop.
    with pytest.raises(SynchronousOnlyOperation, match="async with"):
        cache.set("key", "value")
    await cache.aset("key", "value")
    table = cache._table  # type: ignore[attr-defined]
    inspector = sa.inspect(connections["default"].sync_engine)
    columns = {c["name"]: c for c in inspector.get_columns(table)}
    assert set(columns) == {"cache_key", "value", "expires"}
    assert any(index["column_names"] == ["expires"] for index in inspector.get_indexes(table))
    # The value is base64 of a pickle, as Django writes it.
    import base64

    with connections["default"].sync_engine.connect() as conn:
        (value,) = conn.execute(sa.text(f"SELECT value FROM {table}")).one()
    assert pickle.loads(base64.b64decode(value)) == "value"
    # The table is there already: creating it again is a no-op.
    await cache.acreate_table()  # type: ignore[attr-defined]


async def test_db_cache_follows_database_routers(amake_cache: Callable[..., BaseCache]) -> None:
    from fastjango.test.utils import override_settings

    cache = amake_cache("db")
    seen: list[tuple[str, str]] = []

    class Router:
        def db_for_read(self, model: Any, **hints: Any) -> str | None:
            seen.append(("read", model._meta.app_label))
            return None

        def db_for_write(self, model: Any, **hints: Any) -> str | None:
            seen.append(("write", model._meta.db_table))
            return None

    with override_settings(DATABASE_ROUTERS=[Router()]):
        await anyio.to_thread.run_sync(lambda: cache.set("key", "value"))
        assert await cache.aget("key") == "value"
    assert ("write", cache._table) in seen  # type: ignore[attr-defined]
    assert ("read", "django_cache") in seen


async def test_db_cache_writes_join_the_surrounding_transaction(
    amake_cache: Callable[..., BaseCache],
) -> None:
    from fastjango.db import transaction

    cache = amake_cache("db")

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback):
        async with transaction.atomic():
            await cache.aset("key", "value")
            assert await cache.aget("key") == "value"
            raise Rollback
    assert await cache.aget("key") is None

    def sync_block() -> None:
        with pytest.raises(Rollback), transaction.atomic():
            cache.set("key", "value")
            raise Rollback

    await anyio.to_thread.run_sync(sync_block)
    assert await cache.aget("key") is None


def test_db_cache_needs_a_location() -> None:
    handler = CacheHandler({"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache"}})
    with pytest.raises(ImproperlyConfigured, match="LOCATION"):
        handler["default"]


def test_db_cache_without_use_tz(make_cache: Callable[..., BaseCache]) -> None:
    from fastjango.test.utils import override_settings

    cache = make_cache("db")
    with override_settings(USE_TZ=False):
        cache.set("key", "value", 60)
        assert cache.get("key") == "value"
        cache.set("gone", "value", -1)
        assert cache.get("gone") is None
        cache.set("forever", "value", None)
        assert cache.get("forever") == "value"


async def test_db_cache_loses_an_insert_race_quietly(
    amake_cache: Callable[..., BaseCache], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlalchemy as sa

    cache = amake_cache("db")
    await cache.aset("key", "first")
    table = cache.table  # type: ignore[attr-defined]
    # As if another writer inserted the key between our SELECT and our INSERT.
    monkeypatch.setattr(
        cache,
        "_write",
        lambda mode, key, encoded, expiry, row: sa.insert(table).values(
            cache_key=key, value=encoded, expires=expiry
        ),
    )
    assert await cache.aadd("key", "second") is False
    assert await anyio.to_thread.run_sync(lambda: cache.add("key", "third")) is False
    monkeypatch.undo()
    assert await cache.aget("key") == "first"


async def test_db_cache_without_its_table_raises(amake_cache: Callable[..., BaseCache]) -> None:
    from fastjango.db import DatabaseError

    cache = amake_cache("db")
    # Built without create_table() (the fixture would make the table).
    missing = CacheHandler(
        {
            "default": {
                "BACKEND": "fastjango.core.cache.backends.db.DatabaseCache",
                "LOCATION": "absent",
            }
        }
    )["default"]
    await cache.aset("key", "value")  # the database itself is fine
    with pytest.raises(DatabaseError):
        await missing.aset("key", "value")
    with pytest.raises(DatabaseError):
        await anyio.to_thread.run_sync(lambda: missing.get("key"))


def test_db_cache_reads_aware_expiry_times(make_cache: Callable[..., BaseCache]) -> None:
    import datetime

    from fastjango.test.utils import override_settings

    cache = make_cache("db")
    aware = datetime.datetime(2030, 1, 1, 12, tzinfo=datetime.UTC)
    assert cache._naive(aware) == datetime.datetime(2030, 1, 1, 12)  # type: ignore[attr-defined]
    with override_settings(USE_TZ=False):
        local = cache._naive(aware)  # type: ignore[attr-defined]
    assert local.tzinfo is None
    assert local == aware.astimezone().replace(tzinfo=None)
