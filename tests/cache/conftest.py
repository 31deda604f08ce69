"""Fixtures for the cache suite: real Redis and Memcached servers, and backend factories.

The shared servers (Redis at 127.0.0.1:6379, Memcached at 127.0.0.1:11211) carry
the contract suite; each test uses its own KEY_PREFIX, and each xdist worker its
own Redis database, so parallel runs never see each other's keys. Tests that
flush a server or stop it run against a private server started on a free port.
A shared server that can't be reached skips its tests, or fails them under CI.
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import anyio.to_thread
import pytest

from fastjango.core.cache import CacheHandler
from fastjango.core.cache.backends.base import BaseCache
from fastjango.test.utils import override_settings

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
# Databases 1..15: db 0 stays free for whatever else uses the shared server.
REDIS_DB = 1 + (int(WORKER.removeprefix("gw") or 0) % 15 if WORKER.startswith("gw") else 0)
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
MEMCACHED_HOST, MEMCACHED_PORT = "127.0.0.1", 11211

BACKENDS = {
    "locmem": "fastjango.core.cache.backends.locmem.LocMemCache",
    "filebased": "fastjango.core.cache.backends.filebased.FileBasedCache",
    "redis": "fastjango.core.cache.backends.redis.RedisCache",
    "memcached": "fastjango.core.cache.backends.memcached.PyMemcacheCache",
    "db": "fastjango.core.cache.backends.db.DatabaseCache",
    "dummy": "fastjango.core.cache.backends.dummy.DummyCache",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _reachable(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        return False
    return True


def require_server(label: str, host: str, port: int, how: str) -> None:
    """Skip (or, under CI, fail) when a shared server is unreachable."""
    if _reachable(host, port):
        return
    message = f"{label} is not reachable at {host}:{port}. Start it with `{how}`."
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _wait_until(check: Callable[[], bool], what: str, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not come up within {timeout} s")
        time.sleep(0.02)


class Server:
    """A private redis-server or memcached process that a test may stop and restart."""

    def __init__(self, kind: str, workdir: Path) -> None:
        self.kind = kind
        self.workdir = workdir
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def location(self) -> str:
        if self.kind == "redis":
            return f"redis://127.0.0.1:{self.port}/0"
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        binary = "redis-server" if self.kind == "redis" else "memcached"
        if shutil.which(binary) is None:
            message = f"{binary} is not installed; the private-server tests need it."
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
        if self.kind == "redis":
            command = [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ]
        else:
            command = [binary, "-p", str(self.port), "-l", "127.0.0.1", "-U", "0"]
            if os.geteuid() == 0:
                command += ["-u", "root"]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _wait_until(lambda: _reachable("127.0.0.1", self.port), f"{binary} on {self.port}")

    def stop(self) -> None:
        """Kill the server, as a crash would (memcached takes a second to stop politely)."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(5)
            self.process = None

    def pause(self) -> None:
        """Freeze the server: connections stay open but nothing answers (a slow server)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)
        stat = Path(f"/proc/{self.process.pid}/stat")
        if stat.exists():
            # The signal is delivered asynchronously: wait until the process is stopped.
            _wait_until(lambda: stat.read_text().split(") ", 1)[1][0] == "T", "SIGSTOP")

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)


class Api:
    """One cache seen through one API: each call is awaited, whichever the mode."""

    def __init__(self, cache: BaseCache, mode: str, backend: str) -> None:
        self.cache = cache
        self.mode = mode
        self.backend = backend

    def __getattr__(self, name: str) -> Callable[..., Awaitable[Any]]:
        if self.mode == "async":
            return getattr(self.cache, "a" + name)  # type: ignore[no-any-return]
        method = getattr(self.cache, name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            return await anyio.to_thread.run_sync(functools.partial(method, *args, **kwargs))

        return call

    def short_timeout(self) -> tuple[float, float]:
        """Return a timeout this backend honours and how long to sleep to see it expire."""
        # Memcached counts expiry in whole seconds: it needs a longer wait.
        if self.backend == "memcached":
            return 1, 1.3
        return 0.3, 0.45


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[Callable[[str], Server]]:
    servers: list[Server] = []

    def make(kind: str) -> Server:
        server = Server(kind, tmp_path)
        servers.append(server)
        server.start()
        return server

    yield make
    for server in servers:
        if server.process is not None:
            server.resume()
            server.stop()


def backend_params(
    name: str, test_id: str, tmp_path: Path, location: str | None = None, **params: Any
) -> dict[str, Any]:
    """Return a CACHES entry for backend ``name``, private to the test ``test_id``.

    Caches made in one test share their storage (LOCATION) and, unless
    ``KEY_PREFIX`` is given, their prefix.
    """
    entry: dict[str, Any] = {"BACKEND": BACKENDS[name], "KEY_PREFIX": test_id}
    if name == "locmem":
        entry["LOCATION"] = test_id
    elif name == "filebased":
        entry["LOCATION"] = str(tmp_path / f"cache-{test_id}")
    elif name == "redis":
        if location is None:
            require_server("Redis", REDIS_HOST, REDIS_PORT, "redis-server --daemonize yes")
            location = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"
        entry["LOCATION"] = location
    elif name == "memcached":
        if location is None:
            require_server("Memcached", MEMCACHED_HOST, MEMCACHED_PORT, "memcached -d -u root")
            location = f"{MEMCACHED_HOST}:{MEMCACHED_PORT}"
        entry["LOCATION"] = location
    elif name == "db":
        entry["LOCATION"] = f"cache_{test_id}"
    if location is not None:
        entry["LOCATION"] = location
    entry.update(params)
    return entry


@pytest.fixture
def make_cache(tmp_path: Path) -> Iterator[Callable[..., BaseCache]]:
    """Build backends from CACHES-style entries; close them (sync side) afterwards."""
    test_id = f"t{uuid.uuid4().hex[:12]}"
    made: list[BaseCache] = []
    databases: list[override_settings] = []

    def make(name: str, location: str | None = None, **params: Any) -> BaseCache:
        if name == "db" and not databases:
            # An SQLite database of the test's own for DatabaseCache.
            sqlite = {
                "ENGINE": "fastjango.db.backends.sqlite3",
                "NAME": str(tmp_path / "db"),
                # Durability is not under test: skip the fsyncs.
                "OPTIONS": {"init_command": "PRAGMA synchronous = OFF"},
            }
            databases.append(override_settings(DATABASES={"default": sqlite}))
            databases[0].enable()
        entry = backend_params(name, test_id, tmp_path, location, **params)
        backend = CacheHandler({"default": entry})["default"]
        made.append(backend)
        if name == "db":
            backend.create_table()  # type: ignore[attr-defined]
        return backend

    yield make
    for backend in made:
        backend.close()
    for database in databases:
        database.disable()


@pytest.fixture
async def amake_cache(
    make_cache: Callable[..., BaseCache],
) -> AsyncIterator[Callable[..., BaseCache]]:
    """``make_cache`` for async tests: also closes each backend's async clients."""
    made: list[BaseCache] = []

    def make(name: str, location: str | None = None, **params: Any) -> BaseCache:
        backend = make_cache(name, location, **params)
        made.append(backend)
        return backend

    yield make
    for backend in made:
        await backend.aclose()
