"""``AtomicMixin``: the transaction side of ``BaseDatabaseWrapper``.

The open transaction of an alias lives in a context variable (one per
wrapper), so each thread and each task sees its own, and everything inside
``with atomic():`` / ``async with atomic():`` runs on the block's connection.
The method and attribute names are Django's.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

import anyio

from fastjango.db.backends.base.transaction_state import (
    OnCommitHook,
    TransactionState,
    drive_async,
    drive_sync,
    exit_steps,
)
from fastjango.db.utils import TransactionManagementError
from fastjango.utils.asyncio import async_to_sync, sync_to_async

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.ext.asyncio import AsyncConnection

    from fastjango.db.backends.base.operations import BaseDatabaseOperations
    from fastjango.db.utils import DatabaseErrorWrapper

__all__ = ["AtomicMixin"]

logger = logging.getLogger("fastjango.db.backends.base")

# Tasks started by on_commit() outside a transaction in async code; kept so
# they are not garbage-collected before they finish.
_background_hooks: set[asyncio.Future[Any]] = set()

BROKEN_TRANSACTION = (
    "An error occurred in the current transaction. You can't execute queries until the end "
    "of the 'atomic' block."
)


def _log_hook_error(func: Callable[..., Any], exc: BaseException) -> None:
    name = getattr(func, "__qualname__", repr(func))
    logger.error("Error calling %s in on_commit() (%s).", name, exc, exc_info=exc)


async def _await(awaitable: Awaitable[Any]) -> Any:
    return await awaitable


def _hook_done(func: Callable[..., Any]) -> Callable[[asyncio.Future[Any]], None]:
    def done(task: asyncio.Future[Any]) -> None:
        _background_hooks.discard(task)
        if not task.cancelled() and (exc := task.exception()) is not None:
            _log_hook_error(func, exc)

    return done


class AtomicMixin:
    """Transaction state and savepoints of one alias, per thread or task."""

    if TYPE_CHECKING:
        alias: str
        ops: BaseDatabaseOperations
        _transaction: ContextVar[TransactionState | None]

        @property
        def wrap_database_errors(self) -> DatabaseErrorWrapper: ...

        def _checkout(self) -> Connection: ...

        async def _acheckout(self) -> AsyncConnection: ...

    # -- state, as Django's attributes -------------------------------------

    def _state(self) -> TransactionState:
        state = self._transaction.get()
        if state is None:
            raise TransactionManagementError("This code isn't under transaction management.")
        return state

    @property
    def in_atomic_block(self) -> bool:
        """Return whether the current thread or task is inside ``atomic()`` for this alias."""
        return self._transaction.get() is not None

    @property
    def needs_rollback(self) -> bool:
        """Return whether the current atomic block will roll back instead of committing."""
        state = self._transaction.get()
        return state is not None and state.needs_rollback

    @needs_rollback.setter
    def needs_rollback(self, value: bool) -> None:
        self._state().needs_rollback = value

    @property
    def atomic_blocks(self) -> list[Any]:
        """Return the ``Atomic`` objects of the open blocks, outermost first."""
        state = self._transaction.get()
        return state.atomic_blocks if state is not None else []

    @property
    def savepoint_ids(self) -> list[str | None]:
        """Return the savepoint id of each nested block (None for ``savepoint=False``)."""
        state = self._transaction.get()
        return state.savepoint_ids if state is not None else []

    @property
    def run_on_commit(self) -> list[OnCommitHook]:
        """Return the pending on_commit callbacks as ``(savepoint ids, func, robust)``."""
        state = self._transaction.get()
        return state.run_on_commit if state is not None else []

    def get_autocommit(self) -> bool:
        """Return whether statements commit at once (True outside ``atomic()``)."""
        return self._transaction.get() is None

    def validate_no_atomic_block(self) -> None:
        """Raise TransactionManagementError inside an atomic block."""
        if self.in_atomic_block:
            raise TransactionManagementError("This is forbidden when an 'atomic' block is active.")

    def validate_no_broken_transaction(self) -> None:
        """Raise TransactionManagementError when the atomic block is marked for rollback."""
        if self.needs_rollback:
            raise TransactionManagementError(BROKEN_TRANSACTION)

    def get_rollback(self) -> bool:
        """Return the rollback flag of the current atomic block."""
        if not self.in_atomic_block:
            raise TransactionManagementError(
                "The rollback flag doesn't work outside of an 'atomic' block."
            )
        return self._state().needs_rollback

    def set_rollback(self, rollback: bool) -> None:
        """Make the current atomic block roll back (True) or commit (False) on exit."""
        if not self.in_atomic_block:
            raise TransactionManagementError(
                "The rollback flag doesn't work outside of an 'atomic' block."
            )
        self._state().needs_rollback = rollback

    def _check_state(self, state: TransactionState, is_async: bool) -> None:
        if state.is_async != is_async:
            kind, other = ("an async", "sync") if state.is_async else ("a sync", "async")
            raise TransactionManagementError(
                f"Database '{self.alias}' is inside {kind} atomic block; its connection can't "
                f"be used from {other} code. Use the API that matches the block."
            )
        if state.needs_rollback:
            raise TransactionManagementError(BROKEN_TRANSACTION)

    def _check_nesting(self, state: TransactionState, atomic: Any, is_async: bool) -> None:
        if state.is_async != is_async:
            kind, other = ("an async", "a sync") if state.is_async else ("a sync", "an async")
            raise TransactionManagementError(
                f"Cannot open {other} atomic block on database '{self.alias}' inside {kind} one."
            )
        if getattr(atomic, "durable", False) and not getattr(
            state.atomic_blocks[-1], "_from_testcase", False
        ):
            raise RuntimeError(
                "A durable atomic block cannot be nested within another atomic block."
            )

    # -- running transaction statements ------------------------------------

    def _run_sql(self, conn: Connection, sql: str) -> None:
        with self.wrap_database_errors:
            conn.exec_driver_sql(sql)

    async def _arun_sql(self, conn: AsyncConnection, sql: str) -> None:
        with self.wrap_database_errors:
            await conn.exec_driver_sql(sql)

    # -- atomic blocks (called by transaction.Atomic) ----------------------

    def enter_atomic(self, atomic: Any, savepoint: bool = True) -> None:
        """Open a transaction, or a savepoint inside one, for ``atomic``."""
        state = self._transaction.get()
        if state is None:
            conn = self._checkout()
            try:
                self._run_sql(conn, self.ops.start_transaction_sql())
            except BaseException:
                conn.close()
                raise
            state = TransactionState(conn, is_async=False)
            state.token = self._transaction.set(state)
        else:
            self._check_nesting(state, atomic, is_async=False)
            if savepoint and not state.needs_rollback:
                sid = state.new_savepoint_id()
                self._run_sql(state.connection, self.ops.savepoint_create_sql(sid))
                state.savepoint_ids.append(sid)
            else:
                state.savepoint_ids.append(None)
        state.atomic_blocks.append(atomic)

    async def aenter_atomic(self, atomic: Any, savepoint: bool = True) -> None:
        """Async twin of ``enter_atomic()``."""
        state = self._transaction.get()
        if state is None:
            conn = await self._acheckout()
            try:
                await self._arun_sql(conn, self.ops.start_transaction_sql())
            except BaseException:
                with anyio.CancelScope(shield=True):
                    await conn.close()
                raise
            state = TransactionState(conn, is_async=True)
            state.token = self._transaction.set(state)
        else:
            self._check_nesting(state, atomic, is_async=True)
            if savepoint and not state.needs_rollback:
                sid = state.new_savepoint_id()
                await self._arun_sql(state.connection, self.ops.savepoint_create_sql(sid))
                state.savepoint_ids.append(sid)
            else:
                state.savepoint_ids.append(None)
        state.atomic_blocks.append(atomic)

    def _forget(self, state: TransactionState) -> None:
        try:
            if state.token is not None:
                self._transaction.reset(state.token)
                return
        except ValueError:
            pass  # exited in another context than it was entered in
        self._transaction.set(None)

    def exit_atomic(self, failed: bool) -> None:
        """Close the innermost block: release or roll back its savepoint, or end the transaction.

        ``failed`` says the block's body raised. After the outermost commit
        the on_commit callbacks run.
        """
        state = self._state()
        conn: Connection = state.connection
        steps = exit_steps(state, self.ops, failed)
        if state.savepoint_ids:
            drive_sync(steps, lambda sql: self._run_sql(conn, sql))
            return
        try:
            drive_sync(steps, lambda sql: self._run_sql(conn, sql))
        finally:
            try:
                if not state.settled:
                    conn.invalidate()
            finally:
                conn.close()
                self._forget(state)
        if state.committed:
            self._run_hooks(state.run_on_commit)

    async def aexit_atomic(self, failed: bool) -> None:
        """Async twin of ``exit_atomic()``; async callbacks are awaited."""
        state = self._state()
        conn: AsyncConnection = state.connection
        steps = exit_steps(state, self.ops, failed)
        if state.savepoint_ids:
            await drive_async(steps, lambda sql: self._arun_sql(conn, sql))
            return
        try:
            # A cancelled task must still end its transaction, or the pooled
            # connection would go back with it open.
            with anyio.CancelScope(shield=True):
                await drive_async(steps, lambda sql: self._arun_sql(conn, sql))
        finally:
            with anyio.CancelScope(shield=True):
                try:
                    if not state.settled:
                        await conn.invalidate()
                finally:
                    await conn.close()
                    self._forget(state)
        if state.committed:
            await self._arun_hooks(state.run_on_commit)

    # -- savepoints --------------------------------------------------------

    def _savepoint_state(self, is_async: bool) -> TransactionState | None:
        state = self._transaction.get()
        if state is not None:
            self._check_state(state, is_async)
        return state

    def savepoint(self) -> str | None:
        """Create a savepoint and return its id; outside ``atomic()`` do nothing, return None."""
        state = self._savepoint_state(is_async=False)
        if state is None:
            return None
        sid = state.new_savepoint_id()
        self._run_sql(state.connection, self.ops.savepoint_create_sql(sid))
        return sid

    def savepoint_commit(self, sid: str) -> None:
        """Release savepoint ``sid``."""
        state = self._savepoint_state(is_async=False)
        if state is not None:
            self._run_sql(state.connection, self.ops.savepoint_commit_sql(sid))

    def savepoint_rollback(self, sid: str) -> None:
        """Roll back to savepoint ``sid`` and drop the on_commit callbacks registered since."""
        state = self._savepoint_state(is_async=False)
        if state is not None:
            self._run_sql(state.connection, self.ops.savepoint_rollback_sql(sid))
            state.discard_hooks(sid)

    async def asavepoint(self) -> str | None:
        """Async twin of ``savepoint()``."""
        state = self._savepoint_state(is_async=True)
        if state is None:
            return None
        sid = state.new_savepoint_id()
        await self._arun_sql(state.connection, self.ops.savepoint_create_sql(sid))
        return sid

    async def asavepoint_commit(self, sid: str) -> None:
        """Async twin of ``savepoint_commit()``."""
        state = self._savepoint_state(is_async=True)
        if state is not None:
            await self._arun_sql(state.connection, self.ops.savepoint_commit_sql(sid))

    async def asavepoint_rollback(self, sid: str) -> None:
        """Async twin of ``savepoint_rollback()``."""
        state = self._savepoint_state(is_async=True)
        if state is not None:
            await self._arun_sql(state.connection, self.ops.savepoint_rollback_sql(sid))
            state.discard_hooks(sid)

    def clean_savepoints(self) -> None:
        """Reset the savepoint counter of the current transaction."""
        state = self._transaction.get()
        if state is not None:
            state.savepoint_state = 0

    # -- on_commit ---------------------------------------------------------

    def on_commit(self, func: Callable[[], Any], robust: bool = False) -> None:
        """Run ``func`` after the outermost commit, or now outside ``atomic()``.

        ``robust`` logs the callback's exception instead of raising it.
        """
        if not callable(func):
            raise TypeError("on_commit()'s callback must be a callable.")
        state = self._transaction.get()
        if state is not None:
            state.run_on_commit.append((set(state.savepoint_ids), func, robust))
            return
        try:
            result = func()
        except Exception as exc:
            if not robust:
                raise
            _log_hook_error(func, exc)
            return
        if inspect.isawaitable(result):
            self._run_awaitable_now(func, result, robust)

    def _run_awaitable_now(self, func: Callable[[], Any], result: Any, robust: bool) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            try:
                async_to_sync(_await)(result)
            except Exception as exc:
                if not robust:
                    raise
                _log_hook_error(func, exc)
            return
        # Async code outside a transaction: on_commit() can't await, so the
        # callback runs as a task; its failure is logged.
        task = asyncio.ensure_future(result)
        _background_hooks.add(task)
        task.add_done_callback(_hook_done(func))

    def _run_hooks(self, hooks: list[OnCommitHook]) -> None:
        for _, func, robust in hooks:
            try:
                result = func()
                if inspect.isawaitable(result):
                    async_to_sync(_await)(result)
            except Exception as exc:
                if not robust:
                    raise
                _log_hook_error(func, exc)

    async def _arun_hooks(self, hooks: list[OnCommitHook]) -> None:
        for _, func, robust in hooks:
            try:
                if inspect.iscoroutinefunction(func):
                    result = func()
                else:
                    # Sync callbacks may do sync I/O: run them in a worker thread.
                    result = await sync_to_async(func)()
                if inspect.isawaitable(result):
                    await result
            except Exception as exc:
                if not robust:
                    raise
                _log_hook_error(func, exc)
