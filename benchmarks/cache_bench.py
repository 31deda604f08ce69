"""Cache operations per second: each FastJango backend against its raw client.

Every loop is bounded: a fixed number of operations, and the whole suite stops
early if a server is unreachable (its rows say so instead of a number).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

OPS = 20_000
VALUE = {"title": "Book", "pages": 321}


@dataclass
class CacheRow:
    backend: str
    mode: str  # "sync" or "async"
    client: str  # "fastjango" or "raw"
    set_ops: float
    get_ops: float
    note: str = ""


def _timed(n: int, op: Callable[[int], object]) -> float:
    start = time.perf_counter()
    for i in range(n):
        op(i)
    return n / (time.perf_counter() - start)


async def _atimed(n: int, op: Callable[[int], Awaitable[object]]) -> float:
    start = time.perf_counter()
    for i in range(n):
        await op(i)
    return n / (time.perf_counter() - start)


def _configure() -> None:
    os.environ.setdefault("FASTJANGO_SETTINGS_MODULE", "benchmarks.cache_settings")
    import fastjango

    fastjango.setup()


def _fastjango_rows(alias: str, ops: int) -> list[CacheRow]:
    from fastjango.core.cache import caches

    cache = caches[alias]
    keys = [f"bench:{i % 1000}" for i in range(ops)]
    set_ops = _timed(ops, lambda i: cache.set(keys[i], VALUE, 300))
    get_ops = _timed(ops, lambda i: cache.get(keys[i]))
    rows = [CacheRow(alias, "sync", "fastjango", set_ops, get_ops)]

    async def run_async() -> CacheRow:
        aset = await _atimed(ops, lambda i: cache.aset(keys[i], VALUE, 300))
        aget = await _atimed(ops, lambda i: cache.aget(keys[i]))
        return CacheRow(alias, "async", "fastjango", aset, aget)

    rows.append(asyncio.run(run_async()))
    return rows


def _raw_redis_rows(ops: int) -> list[CacheRow]:
    import pickle

    import redis
    import redis.asyncio

    client = redis.Redis(host="127.0.0.1", port=6379, db=15)
    keys = [f"raw:{i % 1000}" for i in range(ops)]
    data = pickle.dumps(VALUE)
    set_ops = _timed(ops, lambda i: client.set(keys[i], data, ex=300))
    get_ops = _timed(ops, lambda i: pickle.loads(client.get(keys[i]) or data))
    client.close()
    rows = [CacheRow("redis", "sync", "raw", set_ops, get_ops)]

    async def run_async() -> CacheRow:
        aclient = redis.asyncio.Redis(host="127.0.0.1", port=6379, db=15)
        aset = await _atimed(ops, lambda i: aclient.set(keys[i], data, ex=300))

        async def aget(i: int) -> object:
            return pickle.loads(await aclient.get(keys[i]) or data)

        result = await _atimed(ops, aget)
        await aclient.aclose()
        return CacheRow("redis", "async", "raw", aset, result)

    rows.append(asyncio.run(run_async()))
    return rows


def _raw_memcached_rows(ops: int) -> list[CacheRow]:
    import pickle

    from pymemcache.client.base import Client

    # Wait for each reply, as FastJango (and Django) do: noreply would not be a fair floor.
    client = Client(("127.0.0.1", 11211), default_noreply=False)
    keys = [f"raw:{i % 1000}" for i in range(ops)]
    data = pickle.dumps(VALUE)
    set_ops = _timed(ops, lambda i: client.set(keys[i], data, expire=300))
    get_ops = _timed(ops, lambda i: pickle.loads(client.get(keys[i]) or data))
    client.close()
    return [CacheRow("memcached", "sync", "raw", set_ops, get_ops)]


def _median_rows(samples: list[list[CacheRow]]) -> list[CacheRow]:
    merged: dict[tuple[str, str, str], list[CacheRow]] = {}
    for rows in samples:
        for row in rows:
            merged.setdefault((row.backend, row.mode, row.client), []).append(row)
    return [
        CacheRow(
            backend,
            mode,
            client,
            statistics.median(r.set_ops for r in rows),
            statistics.median(r.get_ops for r in rows),
            rows[-1].note,
        )
        for (backend, mode, client), rows in merged.items()
    ]


def run_cache(ops: int = OPS, rounds: int = 5) -> list[CacheRow]:
    """Measure every backend and the raw clients, interleaved over ``rounds``; medians."""
    _configure()
    samples: list[list[CacheRow]] = []
    for _ in range(rounds):
        rows: list[CacheRow] = []
        for alias in ("locmem", "redis", "memcached", "filebased"):
            try:
                rows += _fastjango_rows(alias, ops if alias != "filebased" else ops // 10)
            except Exception as exc:  # an unreachable server must not hide the other rows
                rows.append(CacheRow(alias, "sync", "fastjango", 0, 0, f"failed: {exc}"))
            if alias == "redis":
                rows += _guarded(_raw_redis_rows, "redis", ops)
            elif alias == "memcached":
                rows += _guarded(_raw_memcached_rows, "memcached", ops)
        samples.append(rows)
    return _median_rows(samples)


def _guarded(raw: Callable[[int], list[CacheRow]], backend: str, ops: int) -> list[CacheRow]:
    try:
        return raw(ops)
    except Exception as exc:
        return [CacheRow(backend, "sync", "raw", 0, 0, f"failed: {exc}")]
