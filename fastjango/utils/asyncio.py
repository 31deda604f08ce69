"""Bridges between sync and async code, and the guard that keeps sync I/O off the loop."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import functools
import os
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
    # Asked before every sync query: no exception in the common, loop-less case.
    return asyncio._get_running_loop() is not None


# Sync views and sync_to_async run on one shared executor: a plain
# ThreadPoolExecutor hop costs about a third of anyio.to_thread's (measured
# 11 us against 37 us per call with 32 concurrent callers), and it is paid on
# every request to a sync view.
_THREADPOOL_SIZE = 40
_executor: concurrent.futures.ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()
_thread_state = threading.local()


def _get_executor() -> concurrent.futures.ThreadPoolExecutor:
    global _executor
    if _executor is None:
        with _executor_lock:
            if _executor is None:
                _executor = concurrent.futures.ThreadPoolExecutor(
                    max_workers=_THREADPOOL_SIZE, thread_name_prefix="fastjango-sync"
                )
    return _executor


def _run_in_worker(
    loop: asyncio.AbstractEventLoop,
    context: contextvars.Context,
    func: Callable[..., R],
    args: tuple[Any, ...],
) -> R:
    # Remember the calling loop so that async_to_sync in this thread runs there.
    _thread_state.loop = loop
    try:
        return context.run(func, *args)
    finally:
        _thread_state.loop = None


def run_in_threadpool(func: Callable[..., R], *args: Any) -> Awaitable[R]:
    """Run the sync ``func(*args)`` in FastJango's threadpool; await the result.

    Context variables are copied into the worker thread, and ``async_to_sync``
    called there runs its coroutine on the calling event loop.
    """
    loop = asyncio.get_running_loop()
    context = contextvars.copy_context()
    return loop.run_in_executor(_get_executor(), _run_in_worker, loop, context, func, args)


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
            if _in_running_loop() and not os.environ.get("FASTJANGO_ALLOW_ASYNC_UNSAFE"):
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
