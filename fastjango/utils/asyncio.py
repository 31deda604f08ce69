"""Bridges between sync and async code, and the guard that keeps sync I/O off the loop."""

from __future__ import annotations

import asyncio
import functools
import os
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

import anyio
import anyio.from_thread
import anyio.to_thread

from fastjango.core.exceptions import SynchronousOnlyOperation

__all__ = ["async_to_sync", "async_unsafe", "sync_to_async"]

P = ParamSpec("P")
R = TypeVar("R")


def _in_running_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def async_unsafe(
    message: str,
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Make a sync function raise ``SynchronousOnlyOperation`` inside a running event loop.

    ``message`` should name the async twin to call instead. Setting the
    environment variable ``FASTJANGO_ALLOW_ASYNC_UNSAFE`` turns the guard off,
    as ``DJANGO_ALLOW_ASYNC_UNSAFE`` does in Django (e.g. for a notebook).
    """

    def decorator(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def inner(*args: P.args, **kwargs: P.kwargs) -> R:
            if _in_running_loop() and not os.environ.get("FASTJANGO_ALLOW_ASYNC_UNSAFE"):
                raise SynchronousOnlyOperation(message)
            return func(*args, **kwargs)

        return inner

    return decorator


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
        try:
            return anyio.from_thread.run(call)
        except RuntimeError as err:
            if "worker thread" not in str(err) and "event loop" not in str(err):
                raise
        return anyio.run(call)

    return inner


def sync_to_async(func: Callable[P, R]) -> Callable[P, Awaitable[R]]:
    """Return a coroutine function that runs the sync ``func`` in the threadpool."""

    @functools.wraps(func)
    async def inner(*args: P.args, **kwargs: P.kwargs) -> R:
        return await anyio.to_thread.run_sync(functools.partial(func, *args, **kwargs))

    return inner
