"""Transactions: ``atomic`` (sync and async), ``on_commit``, savepoints, rollback flags.

Outside ``atomic()`` every statement commits at once (autocommit). Inside,
every query of that alias, in that thread or task, runs on the block's
connection; nested blocks are savepoints. Use ``with atomic():`` in sync code
and ``async with atomic():`` in async code; as a decorator it fits both.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, overload

from fastjango.db import DEFAULT_DB_ALIAS, connections
from fastjango.db.utils import TransactionManagementError
from fastjango.utils.asyncio import async_unsafe

if TYPE_CHECKING:
    from fastjango.db.backends.base.base import BaseDatabaseWrapper

__all__ = [
    "Atomic",
    "TransactionManagementError",
    "aclean_savepoints",
    "asavepoint",
    "asavepoint_commit",
    "asavepoint_rollback",
    "atomic",
    "clean_savepoints",
    "get_autocommit",
    "get_connection",
    "get_rollback",
    "make_view_atomic",
    "mark_for_rollback_on_error",
    "non_atomic_requests",
    "on_commit",
    "savepoint",
    "savepoint_commit",
    "savepoint_rollback",
    "set_rollback",
]

F = TypeVar("F", bound=Callable[..., Any])


def get_connection(using: str | None = None) -> BaseDatabaseWrapper:
    """Return the database wrapper of ``using`` (the default database when None)."""
    return connections[using or DEFAULT_DB_ALIAS]


def get_autocommit(using: str | None = None) -> bool:
    """Return whether statements commit at once (True outside ``atomic()``)."""
    return get_connection(using).get_autocommit()


def savepoint(using: str | None = None) -> str | None:
    """Create a savepoint inside ``atomic()`` and return its id (None outside)."""
    return get_connection(using).savepoint()


def savepoint_rollback(sid: str, using: str | None = None) -> None:
    """Roll back to a savepoint; its on_commit callbacks are dropped."""
    get_connection(using).savepoint_rollback(sid)


def savepoint_commit(sid: str, using: str | None = None) -> None:
    """Release a savepoint."""
    get_connection(using).savepoint_commit(sid)


def clean_savepoints(using: str | None = None) -> None:
    """Reset the counter that names savepoints."""
    get_connection(using).clean_savepoints()


async def asavepoint(using: str | None = None) -> str | None:
    """Async twin of ``savepoint()``."""
    return await get_connection(using).asavepoint()


async def asavepoint_rollback(sid: str, using: str | None = None) -> None:
    """Async twin of ``savepoint_rollback()``."""
    await get_connection(using).asavepoint_rollback(sid)


async def asavepoint_commit(sid: str, using: str | None = None) -> None:
    """Async twin of ``savepoint_commit()``."""
    await get_connection(using).asavepoint_commit(sid)


async def aclean_savepoints(using: str | None = None) -> None:
    """Async twin of ``clean_savepoints()``."""
    get_connection(using).clean_savepoints()


def get_rollback(using: str | None = None) -> bool:
    """Return whether the current atomic block is marked for rollback."""
    return get_connection(using).get_rollback()


def set_rollback(rollback: bool, using: str | None = None) -> None:
    """Mark the current atomic block to roll back (True) or to commit (False) on exit."""
    get_connection(using).set_rollback(rollback)


@contextmanager
def mark_for_rollback_on_error(using: str | None = None) -> Iterator[None]:
    """Mark the atomic block for rollback if the body raises, then re-raise.

    The ORM wraps its writes in this, so that an error caught by user code
    still rolls the transaction back. Outside ``atomic()`` it does nothing.
    """
    try:
        yield
    except Exception:
        conn = get_connection(using)
        if conn.in_atomic_block:
            conn.needs_rollback = True
        raise


def on_commit(func: Callable[[], Any], using: str | None = None, robust: bool = False) -> None:
    """Run ``func`` after the current transaction commits (at once outside ``atomic()``).

    Callbacks are dropped when their block rolls back. On the async path
    async callbacks are awaited and sync ones run in a worker thread.
    ``robust`` logs a callback's exception instead of raising it.
    """
    get_connection(using).on_commit(func, robust)


class Atomic:
    """A transaction (or a savepoint when nested), as context manager and decorator.

    Entering opens a transaction, or creates a savepoint when already in one
    (unless ``savepoint=False``). Leaving commits (or releases the savepoint);
    an exception rolls back and propagates. ``durable=True`` forbids nesting.
    The object holds no per-entry state, so one instance may decorate a
    function that runs concurrently in many tasks.
    """

    #: set by test cases whose per-test transaction must not count as nesting
    _from_testcase = False

    def __init__(self, using: str | None, savepoint: bool, durable: bool) -> None:
        self.using = using
        self.savepoint = savepoint
        self.durable = durable

    @async_unsafe(
        "transaction.atomic() was entered with 'with' in an async context: use "
        "'async with transaction.atomic()' instead."
    )
    def __enter__(self) -> Atomic:
        get_connection(self.using).enter_atomic(self, self.savepoint)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        get_connection(self.using).exit_atomic(failed=exc_type is not None)

    async def __aenter__(self) -> Atomic:
        await get_connection(self.using).aenter_atomic(self, self.savepoint)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await get_connection(self.using).aexit_atomic(failed=exc_type is not None)

    def __call__(self, func: F) -> F:
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def ainner(*args: Any, **kwargs: Any) -> Any:
                async with self:
                    return await func(*args, **kwargs)

            return ainner  # type: ignore[return-value]

        @functools.wraps(func)
        def inner(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return inner  # type: ignore[return-value]


@overload
def atomic(using: F) -> F: ...


@overload
def atomic(using: str | None = None, savepoint: bool = True, durable: bool = False) -> Atomic: ...


def atomic(
    using: str | Callable[..., Any] | None = None, savepoint: bool = True, durable: bool = False
) -> Any:
    """Return an ``Atomic`` for ``using``; ``@atomic`` without parentheses also works."""
    if callable(using):
        return Atomic(DEFAULT_DB_ALIAS, savepoint, durable)(using)
    return Atomic(using, savepoint, durable)


def _non_atomic_requests(view: F, using: str) -> F:
    try:
        view._non_atomic_requests.add(using)  # type: ignore[attr-defined]
    except AttributeError:
        view._non_atomic_requests = {using}  # type: ignore[attr-defined]
    return view


@overload
def non_atomic_requests(using: F) -> F: ...


@overload
def non_atomic_requests(using: str | None = None) -> Callable[[F], F]: ...


def non_atomic_requests(using: str | Callable[..., Any] | None = None) -> Any:
    """Exempt a view from ATOMIC_REQUESTS (for ``using``, or the default database)."""
    if callable(using):
        return _non_atomic_requests(using, DEFAULT_DB_ALIAS)
    alias = using or DEFAULT_DB_ALIAS
    return lambda view: _non_atomic_requests(view, alias)


def make_view_atomic(view: F) -> F:
    """Wrap ``view`` in ``atomic()`` for each database with ATOMIC_REQUESTS on.

    The request handler calls this once per view at start-up (Django's
    ``BaseHandler.make_view_atomic``); sync and async views both work.
    """
    non_atomic: set[str] = getattr(view, "_non_atomic_requests", set())
    for alias, settings_dict in connections.settings.items():
        if settings_dict["ATOMIC_REQUESTS"] and alias not in non_atomic:
            view = atomic(using=alias)(view)
    return view
