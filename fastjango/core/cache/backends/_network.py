"""What the network backends (Redis, Memcached) share: outage handling and per-loop clients.

An outage is logged once when it starts and once when it ends, never per
call, so a down server cannot flood the logs of a busy site. Async clients
are bound to the event loop that made them, so each running loop gets its
own, and it is closed when that loop shuts down even if nobody called
``aclose()``.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from fastjango.core.exceptions import ImproperlyConfigured

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_SOCKET_TIMEOUT",
    "PerLoop",
    "ServerHealth",
    "ignore_exceptions_option",
    "logger",
]

T = TypeVar("T")

logger = logging.getLogger("fastjango.cache")

# Short on purpose: a cache that answers slower than this is worth less than a miss.
DEFAULT_CONNECT_TIMEOUT = 0.5
DEFAULT_SOCKET_TIMEOUT = 1.0


def ignore_exceptions_option(options: dict[str, Any]) -> bool:
    """Pop ``IGNORE_EXCEPTIONS`` from ``options`` (default True) and return it."""
    value = options.pop("IGNORE_EXCEPTIONS", True)
    if not isinstance(value, bool):
        raise ImproperlyConfigured(
            f"OPTIONS['IGNORE_EXCEPTIONS'] must be True or False, got {value!r}."
        )
    return value


class ServerHealth:
    """Track whether a cache server is reachable, logging each change of state once."""

    def __init__(self, description: str, *, ignore_errors: bool) -> None:
        self.description = description
        self.ignore_errors = ignore_errors
        self.down = False
        self._lock = threading.Lock()

    def failed(self, exc: BaseException) -> bool:
        """Record a failed call; return True if the caller should go on as after a miss."""
        if not self.ignore_errors:
            return False
        with self._lock:
            if self.down:
                return True
            self.down = True
        logger.warning(
            "%s is unreachable (%s: %s); cache reads miss and writes are skipped until it "
            "answers again.",
            self.description,
            type(exc).__name__,
            exc,
        )
        return True

    def succeeded(self) -> None:
        """Record a successful call, logging the end of an outage."""
        if not self.down:
            return
        with self._lock:
            if not self.down:
                return
            self.down = False
        logger.warning("%s answers again; caching resumed.", self.description)


@dataclass
class _Entry(Generic[T]):
    value: T
    watcher: AsyncGenerator[None, None] | None = None
    closed: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


class PerLoop(Generic[T]):
    """Hold one value (an async client) per running event loop.

    ``factory`` makes the value on first use in a loop; ``closer`` closes it on
    ``aclose()`` or when the loop shuts down (``asyncio.run`` and uvicorn close
    async generators at shutdown, which is the hook used here).
    """

    def __init__(self, factory: Callable[[], T], closer: Callable[[T], Awaitable[None]]) -> None:
        self._factory = factory
        self._closer = closer
        self._entries: dict[asyncio.AbstractEventLoop, _Entry[T]] = {}
        self._lock = threading.Lock()

    async def get(self) -> T:
        """Return the running loop's value, making it on first use."""
        loop = asyncio.get_running_loop()
        entry = self._entries.get(loop)
        if entry is not None:
            return entry.value
        entry = _Entry(self._factory())
        with self._lock:
            self._forget_closed_loops()
            self._entries[loop] = entry
        entry.watcher = self._watch(loop, entry)
        # Runs the generator up to its yield: from now on the loop tracks it.
        await entry.watcher.asend(None)
        return entry.value

    def peek(self) -> T | None:
        """Return the running loop's value if there is one, without making it."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return None
        entry = self._entries.get(loop)
        return None if entry is None else entry.value

    async def _watch(
        self, loop: asyncio.AbstractEventLoop, entry: _Entry[T]
    ) -> AsyncGenerator[None, None]:
        try:
            yield
        finally:
            if not entry.closed:
                try:
                    await self._close_entry(loop, entry)
                except Exception:  # the loop is going away; nothing else can be done
                    logger.debug(
                        "Closing a cache client at event loop shutdown failed", exc_info=True
                    )

    async def _close_entry(self, loop: asyncio.AbstractEventLoop, entry: _Entry[T]) -> None:
        with entry.lock:
            if entry.closed:
                return
            entry.closed = True
        with self._lock:
            if self._entries.get(loop) is entry:
                del self._entries[loop]
        await self._closer(entry.value)

    async def aclose(self) -> None:
        """Close the running loop's value, if any; the next ``get()`` makes a new one."""
        loop = asyncio.get_running_loop()
        entry = self._entries.get(loop)
        if entry is None:
            return
        await self._close_entry(loop, entry)
        if entry.watcher is not None:
            await entry.watcher.aclose()

    def forget_closed_loops(self) -> None:
        """Drop the values of event loops that were closed without shutting them down."""
        with self._lock:
            self._forget_closed_loops()

    def _forget_closed_loops(self) -> None:
        for loop in [loop for loop in self._entries if loop.is_closed()]:
            entry = self._entries.pop(loop)
            entry.closed = True
            if entry.watcher is not None:
                # Finish the generator by hand (its finally does nothing now), so
                # garbage collection doesn't ask the closed loop to finalize it.
                closing = entry.watcher.aclose()
                try:
                    closing.send(None)
                except StopIteration:
                    pass

    def __len__(self) -> int:
        return len(self._entries)
