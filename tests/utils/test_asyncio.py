"""Sync/async bridges and the ``async_unsafe`` guard."""

from __future__ import annotations

import asyncio
import contextvars
import threading

import anyio
import anyio.to_thread
import pytest

from fastjango.core.exceptions import SynchronousOnlyOperation
from fastjango.utils.asyncio import (
    _THREADPOOL_SIZE,
    async_to_sync,
    async_unsafe,
    run_in_threadpool,
    sync_to_async,
)

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="none")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@async_unsafe("Use aget() instead.")
def get(value: int) -> int:
    """Stand in for a sync database call."""
    return value * 2


@async_unsafe
def bare(value: int) -> int:
    return value + 1


# async_unsafe


def test_async_unsafe_allows_plain_sync_code() -> None:
    assert get(2) == 4
    assert bare(1) == 2
    assert get.__name__ == "get"
    assert get.__doc__ == "Stand in for a sync database call."


@pytest.mark.anyio
async def test_async_unsafe_raises_inside_a_running_loop() -> None:
    with pytest.raises(SynchronousOnlyOperation) as info:
        get(2)
    assert str(info.value) == "Use aget() instead."
    with pytest.raises(SynchronousOnlyOperation) as info:
        bare(1)
    assert str(info.value) == (
        "You cannot call this from an async context - use a thread or sync_to_async."
    )


@pytest.mark.anyio
async def test_async_unsafe_is_fine_in_a_worker_thread() -> None:
    assert await anyio.to_thread.run_sync(get, 3) == 6
    assert await sync_to_async(get)(4) == 8


@pytest.mark.anyio
async def test_async_unsafe_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FASTJANGO_ALLOW_ASYNC_UNSAFE", "true")
    assert get(5) == 10
    monkeypatch.setenv("FASTJANGO_ALLOW_ASYNC_UNSAFE", "")
    with pytest.raises(SynchronousOnlyOperation):
        get(5)


# async_to_sync


async def add(a: int, b: int = 0) -> int:
    await asyncio.sleep(0)
    return a + b


def test_async_to_sync_from_plain_sync_code() -> None:
    assert async_to_sync(add)(1, b=2) == 3
    assert async_to_sync(add).__name__ == "add"


def test_async_to_sync_from_a_plain_thread() -> None:
    results: list[int] = []
    thread = threading.Thread(target=lambda: results.append(async_to_sync(add)(2, 2)))
    thread.start()
    thread.join()
    assert results == [4]


def test_async_to_sync_errors_propagate_once() -> None:
    calls: list[int] = []

    async def fails() -> None:
        calls.append(1)
        # An error mentioning the event loop must not make the call run again.
        raise RuntimeError("something about the event loop in a worker thread")

    with pytest.raises(RuntimeError, match="something about the event loop"):
        async_to_sync(fails)()
    assert calls == [1]


@pytest.mark.anyio
async def test_async_to_sync_in_a_worker_thread_runs_on_the_calling_loop() -> None:
    loop = asyncio.get_running_loop()
    seen: list[asyncio.AbstractEventLoop] = []

    async def where() -> str:
        seen.append(asyncio.get_running_loop())
        return "done"

    assert await anyio.to_thread.run_sync(async_to_sync(where)) == "done"
    assert seen == [loop]


@pytest.mark.anyio
async def test_async_to_sync_in_a_worker_thread_propagates_errors_once() -> None:
    calls: list[int] = []

    async def fails() -> None:
        calls.append(1)
        raise RuntimeError("Not running inside an AnyIO worker thread")

    with pytest.raises(RuntimeError, match="AnyIO worker thread"):
        await anyio.to_thread.run_sync(async_to_sync(fails))
    assert calls == [1]


@pytest.mark.anyio
async def test_async_to_sync_inside_a_running_loop_is_an_error() -> None:
    with pytest.raises(SynchronousOnlyOperation) as info:
        async_to_sync(add)(1)
    assert "cannot be called synchronously from inside a running event loop" in str(info.value)
    assert "await it instead" in str(info.value)


# sync_to_async


@pytest.mark.anyio
async def test_sync_to_async_runs_in_a_worker_thread() -> None:
    loop_thread = threading.get_ident()

    def work(a: int, b: int = 0) -> tuple[int, int]:
        return threading.get_ident(), a + b

    wrapped = sync_to_async(work)
    thread, total = await wrapped(1, b=2)
    assert total == 3
    assert thread != loop_thread
    assert wrapped.__name__ == "work"


@pytest.mark.anyio
async def test_sync_to_async_copies_context_variables() -> None:
    token = request_id.set("abc")
    try:
        assert await sync_to_async(request_id.get)() == "abc"
    finally:
        request_id.reset(token)


@pytest.mark.anyio
async def test_sync_to_async_propagates_errors() -> None:
    def fails() -> None:
        raise KeyError("missing")

    with pytest.raises(KeyError, match="missing"):
        await sync_to_async(fails)()


@pytest.mark.anyio
async def test_round_trip_async_sync_async() -> None:
    def sync_layer(value: int) -> int:
        return async_to_sync(add)(value, 10)

    assert await sync_to_async(sync_layer)(5) == 15


@pytest.mark.anyio
async def test_sync_to_async_turns_stop_iteration_into_runtime_error() -> None:
    def fails() -> None:
        raise StopIteration

    with pytest.raises(RuntimeError, match="StopIteration raised") as info:
        await sync_to_async(fails)()
    assert isinstance(info.value.__cause__, StopIteration)


@pytest.mark.anyio
async def test_cancelled_caller_lets_the_running_call_finish() -> None:
    started, release = threading.Event(), threading.Event()
    finished: list[bool] = []

    def work() -> str:
        started.set()
        release.wait(5)
        finished.append(True)
        return "dropped"

    task = asyncio.ensure_future(run_in_threadpool(work))
    await anyio.to_thread.run_sync(started.wait, 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    release.set()
    # The result arrives for a cancelled future and is dropped without an error.
    await run_in_threadpool(lambda: None)
    for _ in range(100):
        if finished:
            break
        await asyncio.sleep(0.01)
    assert finished == [True]


@pytest.mark.anyio
async def test_call_cancelled_before_it_starts_never_runs() -> None:
    release = threading.Event()
    ran: list[str] = []
    # Keep every worker busy so that the next call waits in the queue.
    busy = [
        asyncio.ensure_future(run_in_threadpool(release.wait, 5)) for _ in range(_THREADPOOL_SIZE)
    ]
    try:
        waiting = asyncio.ensure_future(run_in_threadpool(ran.append, "late"))
        await asyncio.sleep(0.05)
        assert not waiting.done()
        waiting.cancel()
    finally:
        release.set()
    assert all(await asyncio.gather(*busy))
    await run_in_threadpool(lambda: None)
    assert ran == []
    with pytest.raises(asyncio.CancelledError):
        await waiting
