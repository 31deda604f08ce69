"""Multi-step ORM operations written once, run by a sync or an async driver.

``save()``, ``delete()``, ``get_or_create()``, prefetching and the related
managers are generators that *yield* what they need done — fetch a queryset,
run a statement, send a signal, run a nested plan in ``atomic()`` — and get
the result sent back. ``run_sync()`` does each step with the sync API,
``await run_async()`` with the async one; the logic in between is shared.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from fastjango.dispatch import Signal

__all__ = ["Atomic", "Call", "Execute", "Fetch", "Op", "Plan", "Send", "run_async", "run_sync"]

T = TypeVar("T")


class Op:
    """One step of a plan."""

    def run_sync(self) -> Any:
        """Do the step with the sync API and return its result."""
        raise NotImplementedError(f"{type(self).__name__} must define run_sync().")

    async def run_async(self) -> Any:
        """Do the step with the async API and return its result."""
        raise NotImplementedError(f"{type(self).__name__} must define run_async().")


Plan = Generator[Op, Any, T]


class Fetch(Op):
    """Evaluate a queryset (fill its result cache); the result is the list of results."""

    def __init__(self, queryset: Any) -> None:
        self.queryset = queryset

    def run_sync(self) -> Any:
        self.queryset._fetch_all()
        return self.queryset._result_cache

    async def run_async(self) -> Any:
        await self.queryset._afetch_all()
        return self.queryset._result_cache


class Execute(Op):
    """Run a statement on a database alias; the result is its buffered ``CursorResult``."""

    def __init__(self, using: str, statement: Any, params: Any = None) -> None:
        self.using = using
        self.statement = statement
        self.params = params

    def run_sync(self) -> Any:
        from fastjango.db import connections

        return connections[self.using].execute(self.statement, self.params)

    async def run_async(self) -> Any:
        from fastjango.db import connections

        return await connections[self.using].aexecute(self.statement, self.params)


class Call(Op):
    """Call ``sync()`` or await ``async_()``: a step that has both forms already."""

    def __init__(self, sync: Callable[[], Any], async_: Callable[[], Awaitable[Any]]) -> None:
        self.sync = sync
        self.async_ = async_

    def run_sync(self) -> Any:
        return self.sync()

    async def run_async(self) -> Any:
        return await self.async_()


class Send(Op):
    """Send a signal (``send`` or ``asend``); the result is the receivers' responses."""

    def __init__(self, signal: Signal, sender: Any, **named: Any) -> None:
        self.signal = signal
        self.sender = sender
        self.named = named

    def run_sync(self) -> Any:
        return self.signal.send(sender=self.sender, **self.named)

    async def run_async(self) -> Any:
        return await self.signal.asend(sender=self.sender, **self.named)


class Atomic(Op):
    """Run a nested plan inside ``transaction.atomic()``; the result is the plan's."""

    def __init__(
        self, using: str | None, plan: Plan[Any], savepoint: bool = True, durable: bool = False
    ) -> None:
        self.using = using
        self.plan = plan
        self.savepoint = savepoint
        self.durable = durable

    def run_sync(self) -> Any:
        from fastjango.db import transaction

        with transaction.atomic(using=self.using, savepoint=self.savepoint, durable=self.durable):
            return run_sync(self.plan)

    async def run_async(self) -> Any:
        from fastjango.db import transaction

        async with transaction.atomic(
            using=self.using, savepoint=self.savepoint, durable=self.durable
        ):
            return await run_async(self.plan)


def run_sync(plan: Plan[T]) -> T:
    """Drive ``plan`` with the sync API and return its value."""
    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            op = plan.send(value) if error is None else plan.throw(error)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        value, error = None, None
        try:
            value = op.run_sync()
        except Exception as exc:
            error = exc


async def run_async(plan: Plan[T]) -> T:
    """Drive ``plan`` with the async API and return its value."""
    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            op = plan.send(value) if error is None else plan.throw(error)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        value, error = None, None
        try:
            value = await op.run_async()
        except Exception as exc:
            error = exc
