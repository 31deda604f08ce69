"""``Signal`` and ``@receiver``, with Django's semantics, for sync and async receivers."""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading
import weakref
from collections.abc import Callable, Hashable
from typing import Any

from fastjango.utils.asyncio import async_to_sync, sync_to_async

__all__ = ["NO_RECEIVERS", "Signal", "receiver"]

logger = logging.getLogger("fastjango.dispatch")

NO_RECEIVERS = object()

Receiver = Callable[..., Any]
_LookupKey = tuple[Hashable, Hashable]


def _make_id(target: Any) -> Hashable:
    if hasattr(target, "__func__"):
        return (id(target.__self__), id(target.__func__))
    return id(target)


def _is_async(func: Any) -> bool:
    return inspect.iscoroutinefunction(func) or inspect.iscoroutinefunction(
        getattr(func, "__call__", None)  # noqa: B004 - callable objects with async __call__
    )


class Signal:
    """A signal: receivers connect to it, senders ``send`` it.

    ``use_caching`` keeps a per-sender cache of live receivers, which suits
    signals sent very often (model signals); the cache is cleared on every
    ``connect``/``disconnect``.
    """

    def __init__(self, use_caching: bool = False) -> None:
        self.receivers: list[tuple[_LookupKey, Any, bool]] = []
        self.lock = threading.Lock()
        self.use_caching = use_caching
        self.sender_receivers_cache: weakref.WeakKeyDictionary[Any, Any] | dict[Any, Any] = (
            weakref.WeakKeyDictionary() if use_caching else {}
        )
        self._dead_receivers = False
        #: bumped by every connect() and disconnect(), for caches that depend on receivers
        self.version = 0

    def connect(
        self,
        receiver: Receiver,
        sender: Any = None,
        weak: bool = True,
        dispatch_uid: Hashable | None = None,
    ) -> None:
        """Connect ``receiver`` (a callable taking ``sender`` and ``**kwargs``)."""
        if not callable(receiver):
            raise TypeError("Signal receivers must be callable.")
        if not _accepts_kwargs(receiver):
            raise ValueError("Signal receivers must accept keyword arguments (**kwargs).")
        lookup_key: _LookupKey = (
            (dispatch_uid, _make_id(sender))
            if dispatch_uid
            else (_make_id(receiver), _make_id(sender))
        )
        is_async = _is_async(receiver)
        ref: Any = receiver
        if weak:
            ref_type: Any = weakref.ref
            owner: Any = receiver
            if hasattr(receiver, "__self__") and hasattr(receiver, "__func__"):
                # A bound method object is created afresh on each attribute access,
                # so hold it by a WeakMethod and watch the instance it belongs to.
                ref_type, owner = weakref.WeakMethod, receiver.__self__
            ref = ref_type(receiver)
            weakref.finalize(owner, self._flag_dead_receivers)
        with self.lock:
            self._clear_dead_receivers()
            if not any(key == lookup_key for key, _, _ in self.receivers):
                self.receivers.append((lookup_key, ref, is_async))
            self.sender_receivers_cache.clear()
            self.version += 1

    def disconnect(
        self,
        receiver: Receiver | None = None,
        sender: Any = None,
        dispatch_uid: Hashable | None = None,
    ) -> bool:
        """Disconnect a receiver; return whether one was disconnected."""
        lookup_key = (
            (dispatch_uid, _make_id(sender))
            if dispatch_uid
            else (_make_id(receiver), _make_id(sender))
        )
        disconnected = False
        with self.lock:
            self._clear_dead_receivers()
            for index, (key, _, _) in enumerate(self.receivers):
                if key == lookup_key:
                    disconnected = True
                    del self.receivers[index]
                    break
            self.sender_receivers_cache.clear()
            self.version += 1
        return disconnected

    def has_listeners(self, sender: Any = None) -> bool:
        """Return whether any receiver would get a signal sent by ``sender``."""
        # Called for every model instance built (pre_init/post_init): answer from
        # the cache without building receiver lists when nobody listens.
        if not self.receivers or self._cached(sender) is NO_RECEIVERS:
            return False
        sync_receivers, async_receivers = self._live_receivers(sender)
        return bool(sync_receivers) or bool(async_receivers)

    def send(self, sender: Any, **named: Any) -> list[tuple[Receiver, Any]]:
        """Call every receiver; an exception in one stops the rest and propagates.

        Async receivers are run to completion; from inside a running event
        loop use ``asend`` instead.
        """
        if not self.receivers or self._cached(sender) is NO_RECEIVERS:
            return []
        responses: list[tuple[Receiver, Any]] = []
        sync_receivers, async_receivers = self._live_receivers(sender)
        for receiver in sync_receivers:
            responses.append((receiver, receiver(signal=self, sender=sender, **named)))
        if async_receivers:

            async def gather() -> list[Any]:
                return list(
                    await asyncio.gather(
                        *(r(signal=self, sender=sender, **named) for r in async_receivers)
                    )
                )

            results = async_to_sync(gather)()
            responses.extend(zip(async_receivers, results, strict=True))
        return responses

    def send_robust(self, sender: Any, **named: Any) -> list[tuple[Receiver, Any]]:
        """Call every receiver, catching exceptions: a failed receiver's response is the error."""
        if not self.receivers or self._cached(sender) is NO_RECEIVERS:
            return []
        responses: list[tuple[Receiver, Any]] = []
        sync_receivers, async_receivers = self._live_receivers(sender)
        for receiver in sync_receivers:
            try:
                response = receiver(signal=self, sender=sender, **named)
            except Exception as err:
                self._log_robust_failure(receiver, err)
                responses.append((receiver, err))
            else:
                responses.append((receiver, response))
        if async_receivers:

            async def gather() -> list[Any]:
                return list(
                    await asyncio.gather(
                        *(self._call_robust_async(r, sender, named) for r in async_receivers)
                    )
                )

            responses.extend(zip(async_receivers, async_to_sync(gather)(), strict=True))
        return responses

    async def asend(self, sender: Any, **named: Any) -> list[tuple[Receiver, Any]]:
        """Call every receiver from async code; an exception in one propagates.

        Sync receivers run in order in a worker thread while the async ones run
        concurrently on the loop. Responses list the sync receivers first.
        """
        if not self.receivers or self._cached(sender) is NO_RECEIVERS:
            return []
        sync_receivers, async_receivers = self._live_receivers(sender)

        def run_sync() -> list[Any]:
            return [r(signal=self, sender=sender, **named) for r in sync_receivers]

        sync_results, async_results = await asyncio.gather(
            _run_in_thread(run_sync, bool(sync_receivers)),
            asyncio.gather(*(r(signal=self, sender=sender, **named) for r in async_receivers)),
        )
        return [
            *zip(sync_receivers, sync_results, strict=True),
            *zip(async_receivers, async_results, strict=True),
        ]

    async def asend_robust(self, sender: Any, **named: Any) -> list[tuple[Receiver, Any]]:
        """Async ``send_robust``: as ``asend``, but a failed receiver's response is its error."""
        if not self.receivers or self._cached(sender) is NO_RECEIVERS:
            return []
        sync_receivers, async_receivers = self._live_receivers(sender)

        def run_sync() -> list[Any]:
            results: list[Any] = []
            for r in sync_receivers:
                try:
                    results.append(r(signal=self, sender=sender, **named))
                except Exception as err:
                    self._log_robust_failure(r, err)
                    results.append(err)
            return results

        sync_results, async_results = await asyncio.gather(
            _run_in_thread(run_sync, bool(sync_receivers)),
            asyncio.gather(*(self._call_robust_async(r, sender, named) for r in async_receivers)),
        )
        return [
            *zip(sync_receivers, sync_results, strict=True),
            *zip(async_receivers, async_results, strict=True),
        ]

    async def _call_robust_async(
        self, receiver: Receiver, sender: Any, named: dict[str, Any]
    ) -> Any:
        try:
            return await receiver(signal=self, sender=sender, **named)
        except Exception as err:
            self._log_robust_failure(receiver, err)
            return err

    def _log_robust_failure(self, receiver: Receiver, err: Exception) -> None:
        logger.error(
            "Error calling %s in Signal.send_robust() (%s)",
            getattr(receiver, "__qualname__", receiver),
            err,
            exc_info=err,
        )

    def _cached(self, sender: Any) -> Any:
        if not self.use_caching:
            return None
        try:
            return self.sender_receivers_cache.get(sender)
        except TypeError:
            # A sender that can't be weakly referenced (None, an int) is never cached.
            return None

    def _flag_dead_receivers(self) -> None:
        self._dead_receivers = True

    def _clear_dead_receivers(self) -> None:
        if self._dead_receivers:
            self._dead_receivers = False
            self.receivers = [
                entry
                for entry in self.receivers
                if not (isinstance(entry[1], weakref.ReferenceType) and entry[1]() is None)
            ]

    def _live_receivers(self, sender: Any) -> tuple[list[Receiver], list[Receiver]]:
        entries = None
        if self.use_caching and not self._dead_receivers:
            entries = self._cached(sender)
            # Another thread's send() may have cached NO_RECEIVERS meanwhile.
            if entries is NO_RECEIVERS:
                return [], []
        if entries is None:
            with self.lock:
                self._clear_dead_receivers()
                sender_key = _make_id(sender)
                none_key = _make_id(None)
                entries = [
                    (ref, is_async)
                    for (_, r_sender_key), ref, is_async in self.receivers
                    if r_sender_key in (none_key, sender_key)
                ]
                if self.use_caching:
                    try:
                        self.sender_receivers_cache[sender] = entries or NO_RECEIVERS
                    except TypeError:
                        pass  # see _cached(): such senders are never cached
        sync_receivers: list[Receiver] = []
        async_receivers: list[Receiver] = []
        for ref, is_async in entries:
            receiver = ref() if isinstance(ref, weakref.ReferenceType) else ref
            if receiver is None:  # pragma: no cover - collected since the cleanup above
                continue
            (async_receivers if is_async else sync_receivers).append(receiver)
        return sync_receivers, async_receivers


async def _run_in_thread(func: Callable[[], list[Any]], needed: bool) -> list[Any]:
    # Skip the thread hop when there are no sync receivers.
    if not needed:
        return []
    return await sync_to_async(func)()


def _accepts_kwargs(func: Callable[..., Any]) -> bool:
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):
        return True
    return any(p.kind is inspect.Parameter.VAR_KEYWORD for p in signature.parameters.values())


def receiver(
    signal: Signal | list[Signal] | tuple[Signal, ...], **kwargs: Any
) -> Callable[[Receiver], Receiver]:
    """Connect the decorated function to ``signal`` (or to each of a list of signals)."""

    def decorator(func: Receiver) -> Receiver:
        for s in signal if isinstance(signal, list | tuple) else [signal]:
            s.connect(func, **kwargs)
        return func

    return decorator
