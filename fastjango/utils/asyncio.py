"""Bridges between sync and async code, and the guard that keeps sync I/O off the loop."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import os
import queue
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, ParamSpec, TypeVar, overload

import anyio
import anyio.from_thread
import anyio.to_thread

from fastjango.core.exceptions import SynchronousOnlyOperation

__all__ = ["async_to_sync", "async_unsafe", "run_in_threadpool", "sync_to_async"]

P = ParamSpec("P")
R = TypeVar("R")

_DEFAULT_UNSAFE_MESSAGE = (
    "You cannot call this from an async context - use a thread or sync_to_async."
)


def _in_running_loop() -> bool:
    # The guard runs on every sync database call: asking without raising is 8x cheaper.
    return asyncio._get_running_loop() is not None


def sync_call_forbidden() -> bool:
    """Return whether a sync-only call must refuse to run here (an event loop runs).

    ``FASTJANGO_ALLOW_ASYNC_UNSAFE`` (read only when a loop runs) lifts the refusal.
    """
    return _in_running_loop() and not os.environ.get("FASTJANGO_ALLOW_ASYNC_UNSAFE")


# Sync views and sync_to_async run on one shared pool of threads, paid on every
# request to a sync view. A worker hands its result back by resolving the
# caller's asyncio future with loop.call_soon_threadsafe: no
# concurrent.futures.Future (a Condition and an RLock per call) chained to an
# asyncio one, as loop.run_in_executor() makes.
_THREADPOOL_SIZE = 40
_thread_state = threading.local()

_Job = tuple[
    asyncio.AbstractEventLoop,
    "asyncio.Future[Any]",
    contextvars.Context,
    Callable[..., Any],
    tuple[Any, ...],
]


def _set_result(future: asyncio.Future[Any], result: Any) -> None:
    if not future.done():  # the caller may have been cancelled meanwhile
        future.set_result(result)


def _set_exception(future: asyncio.Future[Any], exc: BaseException) -> None:
    if future.done():
        return
    if isinstance(exc, StopIteration):
        # A future can't hold StopIteration; say what happened, as a coroutine would.
        error = RuntimeError(f"{type(exc).__name__} raised in a function run in a thread")
        error.__cause__ = exc
        exc = error
    future.set_exception(exc)


def _run_job(job: _Job) -> None:
    loop, future, context, func, args = job
    if future.cancelled():
        return  # the caller stopped waiting before the call started
    # Remember the calling loop so that async_to_sync in this thread runs there.
    _thread_state.loop = loop
    try:
        result = context.run(func, *args)
    except BaseException as exc:
        deliver: Callable[..., None] = _set_exception
        outcome: Any = exc
    else:
        deliver, outcome = _set_result, result
    finally:
        _thread_state.loop = None
    try:
        loop.call_soon_threadsafe(deliver, future, outcome)
    except RuntimeError:
        pass  # the loop is closed: nobody waits any more


class _WorkerPool:
    """Up to ``size`` daemon threads taking jobs from one queue, started as needed."""

    def __init__(self, size: int, name: str) -> None:
        self.size = size
        self.name = name
        self._reset()

    def _reset(self) -> None:
        # Also run in a forked child, which inherits the counts but not the threads.
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._threads = 0
        self._idle = 0

    def submit(self, job: _Job) -> None:
        self._jobs.put(job)
        with self._lock:
            if self._idle:
                self._idle -= 1  # a waiting worker takes it
                return
            if self._threads >= self.size:
                return  # queued until a worker is free
            self._threads += 1
            number = self._threads
        threading.Thread(target=self._work, name=f"{self.name}_{number}", daemon=True).start()

    def _work(self) -> None:
        jobs, lock = self._jobs, self._lock
        while (job := jobs.get()) is not None:
            _run_job(job)
            del job  # don't keep the request alive while idle
            with lock:
                self._idle += 1


_pool = _WorkerPool(_THREADPOOL_SIZE, "fastjango-sync")
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_pool._reset)


def run_in_threadpool(func: Callable[..., R], *args: Any) -> Awaitable[R]:
    """Run the sync ``func(*args)`` in FastJango's threadpool; await the result.

    Context variables are copied into the worker thread, and ``async_to_sync``
    called there runs its coroutine on the calling event loop. Cancelling the
    awaiting task before a worker starts the call skips it; a call already
    running finishes and its result is dropped.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[R] = loop.create_future()
    _pool.submit((loop, future, contextvars.copy_context(), func, args))
    return future


def _in_worker_thread() -> bool:
    """Return whether this thread was started by ``anyio.to_thread.run_sync``."""
    try:
        # Public and cheap; it raises RuntimeError outside a worker thread and
        # the loop's cancellation error if the waiting task was cancelled.
        anyio.from_thread.check_cancelled()
    except RuntimeError:
        return False
    return True


@overload
def async_unsafe(message: str) -> Callable[[Callable[P, R]], Callable[P, R]]: ...


@overload
def async_unsafe(message: Callable[P, R]) -> Callable[P, R]: ...


def async_unsafe(message: str | Callable[P, R]) -> Any:
    """Make a sync function raise ``SynchronousOnlyOperation`` inside a running event loop.

    Use as ``@async_unsafe("... use aget() instead")`` (the message should name
    the async twin) or bare as ``@async_unsafe``. Setting the environment
    variable ``FASTJANGO_ALLOW_ASYNC_UNSAFE`` turns the guard off, as
    ``DJANGO_ALLOW_ASYNC_UNSAFE`` does in Django (e.g. in a notebook).
    """

    def decorator(func: Callable[P, R], text: str) -> Callable[P, R]:
        @functools.wraps(func)
        def inner(*args: P.args, **kwargs: P.kwargs) -> R:
            if sync_call_forbidden():
                raise SynchronousOnlyOperation(text)
            return func(*args, **kwargs)

        return inner

    if callable(message):
        return decorator(message, _DEFAULT_UNSAFE_MESSAGE)
    text = message
    return lambda func: decorator(func, text)


def async_to_sync(func: Callable[P, Coroutine[Any, Any, R]]) -> Callable[P, R]:
    """Return a sync callable that runs the coroutine function ``func`` to completion.

    From a worker thread of a running event loop (a sync view) the coroutine
    runs on that loop; from plain sync code it runs on a fresh loop. Calling it
    from inside a running event loop raises ``SynchronousOnlyOperation``.
    """

    @functools.wraps(func)
    def inner(*args: P.args, **kwargs: P.kwargs) -> R:
        if _in_running_loop():
            raise SynchronousOnlyOperation(
                f"{getattr(func, '__qualname__', func)!r} cannot be called synchronously from "
                "inside a running event loop: await it instead."
            )
        call = functools.partial(func, *args, **kwargs)
        loop: asyncio.AbstractEventLoop | None = getattr(_thread_state, "loop", None)
        if loop is not None:
            # The coroutine sees this thread's context variables (the Task copies
            # the context current when it is scheduled from here).
            return asyncio.run_coroutine_threadsafe(call(), loop).result()
        if _in_worker_thread():
            return anyio.from_thread.run(call)
        return anyio.run(call)

    return inner


def sync_to_async(func: Callable[P, R]) -> Callable[P, Awaitable[R]]:
    """Return a coroutine function that runs the sync ``func`` in the threadpool.

    Context variables are copied into the worker thread, and an
    ``async_to_sync`` call made there runs on the calling loop.
    """

    @functools.wraps(func)
    async def inner(*args: P.args, **kwargs: P.kwargs) -> R:
        return await run_in_threadpool(functools.partial(func, *args, **kwargs))

    return inner
