"""Bridges between sync and async code, and the guard that keeps sync I/O off the loop."""

from __future__ import annotations

import asyncio
import functools
import os
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, ParamSpec, TypeVar, overload

import anyio
import anyio.from_thread
import anyio.to_thread

from fastjango.core.exceptions import SynchronousOnlyOperation

__all__ = ["async_to_sync", "async_unsafe", "sync_to_async"]

P = ParamSpec("P")
R = TypeVar("R")

_DEFAULT_UNSAFE_MESSAGE = (
    "You cannot call this from an async context - use a thread or sync_to_async."
)


def _in_running_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


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
        return await anyio.to_thread.run_sync(functools.partial(func, *args, **kwargs))

    return inner
