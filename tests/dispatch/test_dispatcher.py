"""``Signal`` and ``@receiver`` (Django's dispatch tests, as pytest functions)."""

from __future__ import annotations

import gc
import logging
import threading
from typing import Any

import anyio
import anyio.to_thread
import pytest

from fastjango.core.exceptions import SynchronousOnlyOperation
from fastjango.dispatch import Signal, receiver
from fastjango.dispatch.dispatcher import NO_RECEIVERS


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def receiver_1_arg(val: Any, **kwargs: Any) -> Any:
    return val


class Callable:
    def __call__(self, val: Any, **kwargs: Any) -> Any:
        return val

    def a(self, val: Any, **kwargs: Any) -> Any:
        return val


class Sender:
    """A sender that can be weakly referenced (for caching signals)."""


async def async_receiver(val: Any = None, **kwargs: Any) -> Any:
    await anyio.sleep(0)
    return ("async", val)


def sync_receiver(val: Any = None, **kwargs: Any) -> Any:
    return ("sync", val)


def collect() -> None:
    gc.collect()


def assert_clean(signal: Signal) -> None:
    """Assert the signal has no live receivers and keeps no dead ones."""
    assert not signal.has_listeners()
    assert signal.receivers == []


# connect / disconnect


def test_receivers_must_be_callable() -> None:
    with pytest.raises(TypeError) as info:
        Signal().connect(object())  # type: ignore[arg-type]
    assert str(info.value) == "Signal receivers must be callable."


def test_receivers_must_accept_kwargs() -> None:
    def receiver_no_kwargs(sender: Any) -> None:  # pragma: no cover - never connected
        pass

    with pytest.raises(ValueError) as info:
        Signal().connect(receiver_no_kwargs)
    assert str(info.value) == "Signal receivers must accept keyword arguments (**kwargs)."


def test_receivers_without_a_signature_are_accepted() -> None:
    signal = Signal()
    signal.connect(dict, weak=False)  # a builtin: inspect can't read its signature
    assert signal.has_listeners()


def test_send() -> None:
    signal = Signal()
    sender = Sender()
    signal.connect(receiver_1_arg, sender=sender)
    assert signal.send(sender=sender, val="test") == [(receiver_1_arg, "test")]
    assert signal.disconnect(receiver_1_arg, sender=sender) is True
    assert_clean(signal)


def test_send_without_receivers() -> None:
    signal = Signal()
    assert signal.send(sender=Sender(), val="test") == []
    assert signal.send_robust(sender=Sender(), val="test") == []


def test_receiver_connected_without_sender_gets_every_sender() -> None:
    signal = Signal()
    signal.connect(receiver_1_arg)
    assert signal.send(sender=Sender(), val="test") == [(receiver_1_arg, "test")]
    assert signal.send(sender=None, val="x") == [(receiver_1_arg, "x")]
    signal.disconnect(receiver_1_arg)
    assert_clean(signal)


def test_receiver_connected_to_another_sender_is_not_called() -> None:
    signal = Signal()
    signal.connect(receiver_1_arg, sender=object)
    assert signal.send(sender=Sender(), val="test") == []
    assert signal.has_listeners(sender=object)
    assert not signal.has_listeners(sender=Sender())
    signal.disconnect(receiver_1_arg, sender=object)
    assert_clean(signal)


def test_receivers_get_signal_and_sender() -> None:
    signal = Signal()
    sender = Sender()
    received: list[dict[str, Any]] = []

    def record(**kwargs: Any) -> None:
        received.append(kwargs)

    signal.connect(record)
    signal.send(sender, val=1)
    assert received == [{"signal": signal, "sender": sender, "val": 1}]


def test_duplicate_connects_are_ignored() -> None:
    signal = Signal()
    signal.connect(receiver_1_arg)
    signal.connect(receiver_1_arg)
    assert signal.send(sender=None, val=1) == [(receiver_1_arg, 1)]
    # The same receiver for another sender is a separate connection.
    sender = Sender()
    signal.connect(receiver_1_arg, sender=sender)
    assert len(signal.send(sender=sender, val=1)) == 2


def test_dispatch_uid() -> None:
    signal = Signal()

    def uid_based_receiver_1(**kwargs: Any) -> str:
        return "1"

    def uid_based_receiver_2(**kwargs: Any) -> str:  # pragma: no cover - not connected
        return "2"

    signal.connect(uid_based_receiver_1, dispatch_uid="uid")
    signal.connect(uid_based_receiver_2, dispatch_uid="uid")
    assert len(signal.receivers) == 1
    assert signal.send(sender=None) == [(uid_based_receiver_1, "1")]
    # disconnect() by receiver doesn't find a uid-keyed connection.
    assert signal.disconnect(uid_based_receiver_1) is False
    assert signal.disconnect(dispatch_uid="uid") is True
    assert_clean(signal)


def test_values_returned_by_disconnect() -> None:
    signal = Signal()
    receiver_1 = Callable()
    receiver_2 = Callable()
    signal.connect(receiver_1)
    assert signal.disconnect(receiver_1) is True
    assert signal.disconnect(receiver_2) is False
    assert_clean(signal)


def test_disconnect_leaves_the_others() -> None:
    signal = Signal()
    a, b, c = Callable(), Callable(), Callable()
    for r in (a, b, c):
        signal.connect(r)
    signal.disconnect(b)
    assert [r for r, _ in signal.send(sender=None, val=1)] == [a, c]
    del a
    collect()
    assert [r for r, _ in signal.send(sender=None, val=1)] == [c]
    signal.disconnect(c)
    assert_clean(signal)


def test_has_listeners() -> None:
    signal = Signal()
    assert signal.has_listeners() is False
    assert signal.has_listeners(sender=object()) is False
    receiver_1 = Callable()
    signal.connect(receiver_1)
    assert signal.has_listeners() is True
    assert signal.has_listeners(sender=object()) is True
    signal.disconnect(receiver_1)
    assert signal.has_listeners() is False
    assert signal.has_listeners(sender=object()) is False


# Weak references


def test_garbage_collected_receiver_is_not_called() -> None:
    signal = Signal()
    sender = Sender()
    a = Callable()
    signal.connect(a.a, sender=sender)
    assert signal.send(sender=sender, val="test") == [(a.a, "test")]
    del a
    collect()
    assert signal.send(sender=sender, val="test") == []
    assert_clean(signal)


def test_garbage_collected_callable_object() -> None:
    signal = Signal()
    a = Callable()
    signal.connect(a)
    del a
    collect()
    assert signal.send(sender=None, val=1) == []
    assert_clean(signal)


def test_garbage_collected_closure() -> None:
    signal = Signal()

    def make_id_receiver() -> Any:
        def receiver(val: Any, **kwargs: Any) -> Any:  # pragma: no cover - never called
            return val

        return receiver

    signal.connect(make_id_receiver())
    collect()
    assert signal.send(sender=None, val="test") == []
    assert_clean(signal)


def test_bound_method_lives_as_long_as_its_instance() -> None:
    signal = Signal()
    a = Callable()
    # The bound method object is a temporary; the receiver must still stay.
    signal.connect(a.a)
    collect()
    assert signal.send(sender=None, val=1) == [(a.a, 1)]
    del a
    collect()
    assert_clean(signal)


def test_weak_false_keeps_the_receiver_alive() -> None:
    signal = Signal()

    def make_receiver() -> Any:
        def receiver(val: Any, **kwargs: Any) -> Any:
            return val * 2

        return receiver

    signal.connect(make_receiver(), weak=False)
    collect()
    assert [response for _, response in signal.send(sender=None, val=2)] == [4]


def test_one_receiver_on_several_signals_is_cleaned_from_all() -> None:
    signals = [Signal(), Signal(), Signal()]
    a = Callable()
    for signal in signals:
        signal.connect(a)
    for signal in signals:
        assert len(signal.send(sender=None, val="test")) == 1
    del a
    collect()
    for signal in signals:
        assert_clean(signal)


# send_robust


def test_send_robust_success() -> None:
    signal = Signal()
    signal.connect(receiver_1_arg)
    assert signal.send_robust(sender=None, val="test") == [(receiver_1_arg, "test")]


def test_send_robust_ignored_sender() -> None:
    signal = Signal()
    signal.connect(receiver_1_arg, sender=object)
    assert signal.send_robust(sender=Sender(), val="test") == []


def test_send_robust_catches_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    signal = Signal()
    calls: list[str] = []

    def fails(val: Any, **kwargs: Any) -> None:
        raise ValueError("this")

    def after(val: Any, **kwargs: Any) -> str:
        calls.append("after")
        return "ok"

    signal.connect(fails)
    signal.connect(after)
    with caplog.at_level(logging.ERROR, logger="fastjango.dispatch"):
        result = signal.send_robust(sender=None, val="test")
    (first_receiver, error), second = result
    assert first_receiver is fails
    assert isinstance(error, ValueError)
    assert str(error) == "this"
    assert error.__traceback__ is not None
    assert second == (after, "ok")
    assert calls == ["after"]
    (record,) = caplog.records
    assert record.getMessage() == (
        "Error calling test_send_robust_catches_and_logs.<locals>.fails in "
        "Signal.send_robust() (this)"
    )
    assert record.exc_info is not None and record.exc_info[1] is error


def test_send_propagates_and_stops() -> None:
    signal = Signal()
    calls: list[str] = []

    def fails(**kwargs: Any) -> None:
        raise ValueError("this")

    def after(**kwargs: Any) -> None:  # pragma: no cover - never reached
        calls.append("after")

    signal.connect(fails)
    signal.connect(after)
    with pytest.raises(ValueError, match="this"):
        signal.send(sender=None)
    assert calls == []


# @receiver


def test_receiver_decorator_single_signal() -> None:
    signal = Signal()

    @receiver(signal)
    def f(val: Any, **kwargs: Any) -> Any:
        return val

    assert signal.send(sender=None, val=1) == [(f, 1)]


def test_receiver_decorator_signal_list_and_arguments() -> None:
    a_signal, b_signal, c_signal = Signal(), Signal(), Signal()
    sender = Sender()
    calls: list[Signal] = []

    @receiver([a_signal, b_signal], sender=sender, dispatch_uid="uid")
    @receiver((c_signal,))
    def f(signal: Signal, **kwargs: Any) -> None:
        calls.append(signal)

    a_signal.send(sender=sender)
    b_signal.send(sender=Sender())  # another sender: not received
    c_signal.send(sender=None)
    assert calls == [a_signal, c_signal]
    assert a_signal.disconnect(dispatch_uid="uid", sender=sender)


# use_caching


def test_caching_signal_caches_per_sender_and_clears_on_connect() -> None:
    signal = Signal(use_caching=True)
    sender = Sender()
    other = Sender()
    signal.connect(receiver_1_arg, sender=sender)
    assert signal.send(sender=sender, val=1) == [(receiver_1_arg, 1)]
    assert sender in signal.sender_receivers_cache
    assert signal.send(sender=other, val=1) == []
    assert signal.sender_receivers_cache[other] is NO_RECEIVERS
    assert signal.send(sender=other, val=1) == []
    assert not signal.has_listeners(sender=other)
    assert signal.has_listeners(sender=sender)
    # A new connection must be seen by senders cached as having none.
    signal.connect(receiver_1_arg)
    assert len(signal.sender_receivers_cache) == 0
    assert signal.send(sender=other, val=2) == [(receiver_1_arg, 2)]
    signal.disconnect(receiver_1_arg)
    assert signal.send(sender=other, val=3) == []


def test_caching_signal_forgets_collected_senders_and_receivers() -> None:
    signal = Signal(use_caching=True)
    sender = Sender()
    a = Callable()
    signal.connect(a.a, sender=sender)
    assert len(signal.send(sender=sender, val=1)) == 1
    del a
    collect()
    assert signal.send(sender=sender, val=1) == []
    del sender
    collect()
    assert len(signal.sender_receivers_cache) == 0
    assert_clean(signal)


def test_caching_signal_with_senders_that_cannot_be_weakly_referenced() -> None:
    signal = Signal(use_caching=True)
    signal.connect(receiver_1_arg)
    assert signal.send(sender=None, val=1) == [(receiver_1_arg, 1)]
    assert signal.send_robust(sender=1, val=2) == [(receiver_1_arg, 2)]
    assert signal.has_listeners(sender="a string")


# Async receivers


def test_send_runs_async_receivers_from_sync_code() -> None:
    signal = Signal()
    signal.connect(sync_receiver)
    signal.connect(async_receiver)
    assert signal.send(sender=None, val=1) == [
        (sync_receiver, ("sync", 1)),
        (async_receiver, ("async", 1)),
    ]


def test_callable_objects_with_async_call_are_async_receivers() -> None:
    class AsyncCallable:
        async def __call__(self, **kwargs: Any) -> str:
            return "called"

    signal = Signal()
    target = AsyncCallable()
    signal.connect(target)
    assert signal.send(sender=None) == [(target, "called")]


@pytest.mark.anyio
async def test_send_with_async_receivers_from_a_worker_thread() -> None:
    signal = Signal()
    loop_thread = threading.get_ident()
    threads: list[int] = []

    async def on_loop(**kwargs: Any) -> str:
        threads.append(threading.get_ident())
        return "async"

    signal.connect(sync_receiver)
    signal.connect(on_loop)
    result = await anyio.to_thread.run_sync(lambda: signal.send(sender=None, val=1))
    assert result == [(sync_receiver, ("sync", 1)), (on_loop, "async")]
    # The async receiver ran on the calling event loop, not a new one.
    assert threads == [loop_thread]


@pytest.mark.anyio
async def test_send_with_async_receivers_inside_the_loop_is_an_error() -> None:
    signal = Signal()
    signal.connect(async_receiver)
    with pytest.raises(SynchronousOnlyOperation, match="await it instead"):
        signal.send(sender=None)
    # Only sync receivers are fine anywhere.
    only_sync = Signal()
    only_sync.connect(sync_receiver)
    assert only_sync.send(sender=None, val=1) == [(sync_receiver, ("sync", 1))]


@pytest.mark.anyio
async def test_asend_mixes_sync_and_async_receivers() -> None:
    signal = Signal()
    loop_thread = threading.get_ident()
    sync_threads: list[int] = []

    def sync_in_thread(**kwargs: Any) -> str:
        sync_threads.append(threading.get_ident())
        return "sync"

    signal.connect(async_receiver)
    signal.connect(sync_in_thread)
    signal.connect(sync_receiver)
    result = await signal.asend(sender=None, val=1)
    # Sync receivers come first, in connection order, then the async ones.
    assert result == [
        (sync_in_thread, "sync"),
        (sync_receiver, ("sync", 1)),
        (async_receiver, ("async", 1)),
    ]
    assert sync_threads and sync_threads[0] != loop_thread


@pytest.mark.anyio
async def test_asend_runs_async_receivers_concurrently() -> None:
    signal = Signal()
    both_started = anyio.Event()
    started: list[str] = []

    def make(name: str) -> Any:
        async def wait(**kwargs: Any) -> str:
            started.append(name)
            if len(started) == 2:
                both_started.set()
            # Each waits for the other: this only finishes if they run together.
            with anyio.fail_after(5):
                await both_started.wait()
            return name

        return wait

    first, second = make("first"), make("second")
    signal.connect(first)
    signal.connect(second)
    assert await signal.asend(sender=None) == [(first, "first"), (second, "second")]


@pytest.mark.anyio
async def test_asend_without_receivers_or_with_only_one_kind() -> None:
    signal = Signal()
    assert await signal.asend(sender=None) == []
    assert await signal.asend_robust(sender=None) == []
    signal.connect(sync_receiver)
    assert await signal.asend(sender=None, val=1) == [(sync_receiver, ("sync", 1))]
    signal.disconnect(sync_receiver)
    signal.connect(async_receiver)
    assert await signal.asend(sender=None, val=1) == [(async_receiver, ("async", 1))]


@pytest.mark.anyio
async def test_asend_propagates_errors() -> None:
    signal = Signal()

    async def fails(**kwargs: Any) -> None:
        raise ValueError("async failure")

    signal.connect(fails)
    with pytest.raises(ValueError, match="async failure"):
        await signal.asend(sender=None)


@pytest.mark.anyio
async def test_asend_robust(caplog: pytest.LogCaptureFixture) -> None:
    signal = Signal()

    async def async_fails(**kwargs: Any) -> None:
        raise ValueError("async failure")

    def sync_fails(**kwargs: Any) -> None:
        raise KeyError("sync failure")

    for r in (async_fails, async_receiver, sync_fails, sync_receiver):
        signal.connect(r)
    with caplog.at_level(logging.ERROR, logger="fastjango.dispatch"):
        result = await signal.asend_robust(sender=None, val=1)
    assert [r for r, _ in result] == [sync_fails, sync_receiver, async_fails, async_receiver]
    assert isinstance(result[0][1], KeyError)
    assert result[1][1] == ("sync", 1)
    assert isinstance(result[2][1], ValueError)
    assert result[3][1] == ("async", 1)
    assert len(caplog.records) == 2


def test_send_robust_with_failing_async_receiver() -> None:
    signal = Signal()

    async def async_fails(**kwargs: Any) -> None:
        raise ValueError("async failure")

    signal.connect(async_fails)
    signal.connect(async_receiver)
    result = signal.send_robust(sender=None, val=1)
    assert isinstance(result[0][1], ValueError)
    assert result[1] == (async_receiver, ("async", 1))
