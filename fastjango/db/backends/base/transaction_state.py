"""The state of an open atomic block, and the I/O-free logic that ends one.

``exit_steps`` decides which statements end the innermost block (release or
roll back to a savepoint, commit or roll back the transaction); it yields each
statement and is told, by ``throw``, when one fails. The sync and the async
path both drive the same generator, so the rules (Django's) live in one place.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Generator
from contextvars import Token
from typing import Any

from fastjango.db.utils import DatabaseError, Error

__all__ = ["OnCommitHook", "TransactionState", "drive_async", "drive_sync", "exit_steps"]

logger = logging.getLogger("fastjango.db.backends.base")

OnCommitHook = tuple[set[str | None], Callable[[], Any], bool]


class TransactionState:
    """The transaction of one alias in one context (thread or task).

    The attribute names are Django's ``BaseDatabaseWrapper`` attribute names.
    """

    def __init__(self, connection: Any, is_async: bool) -> None:
        #: the SQLAlchemy Connection (or AsyncConnection) every query in the block uses
        self.connection = connection
        self.is_async = is_async
        self.atomic_blocks: list[Any] = []
        #: one entry per nested block: its savepoint id, or None without a savepoint
        self.savepoint_ids: list[str | None] = []
        self.needs_rollback = False
        self.run_on_commit: list[OnCommitHook] = []
        self.savepoint_state = 0
        #: set once the outermost COMMIT or ROLLBACK is known to have succeeded
        self.settled = False
        self.committed = False
        self.token: Token[TransactionState | None] | None = None

    def new_savepoint_id(self) -> str:
        """Return a fresh savepoint name, unique within this transaction."""
        self.savepoint_state += 1
        return f"fj_s{id(self) & 0xFFFF:x}_x{self.savepoint_state}"

    def discard_hooks(self, sid: str) -> None:
        """Drop the on_commit callbacks registered inside savepoint ``sid``."""
        self.run_on_commit = [hook for hook in self.run_on_commit if sid not in hook[0]]


def exit_steps(state: TransactionState, ops: Any, failed: bool) -> Generator[str, None, None]:
    """Yield the statements that close the innermost block of ``state``.

    ``failed`` says the block's body raised. A statement's failure is thrown
    back in, and handled as Django's ``Atomic.__exit__`` does: a failed
    savepoint release marks the outer block for rollback, a failed commit is
    rolled back and re-raised.
    """
    state.atomic_blocks.pop()
    outermost = not state.savepoint_ids
    sid = None if outermost else state.savepoint_ids.pop()
    if not failed and not state.needs_rollback:
        if not outermost:
            if sid is not None:
                try:
                    yield ops.savepoint_commit_sql(sid)
                except DatabaseError:
                    try:
                        yield ops.savepoint_rollback_sql(sid)
                        state.discard_hooks(sid)
                        yield ops.savepoint_commit_sql(sid)
                    except Error:
                        # Don't shadow the original error; the outer block rolls back.
                        state.needs_rollback = True
                    raise
            return
        try:
            yield ops.commit_sql()
        except DatabaseError:
            state.run_on_commit = []
            try:
                yield ops.rollback_sql()
                state.settled = True
            except Error:
                pass
            raise
        state.settled = state.committed = True
        return
    # The body failed or asked for a rollback. This flag is set again below if
    # there is no savepoint to undo this level alone.
    state.needs_rollback = False
    if not outermost:
        if sid is None:
            state.needs_rollback = True
        else:
            try:
                yield ops.savepoint_rollback_sql(sid)
                state.discard_hooks(sid)
                # The savepoint won't be reused; release it to spare the server.
                yield ops.savepoint_commit_sql(sid)
            except Error:
                state.needs_rollback = True
        return
    state.run_on_commit = []
    try:
        yield ops.rollback_sql()
        state.settled = True
    except Error:
        # The connection is in an unknown state; the caller drops it.
        pass


def drive_sync(steps: Generator[str, None, None], run: Callable[[str], object]) -> None:
    """Run ``steps``, executing each statement with ``run`` and throwing its errors back in."""
    try:
        sql = next(steps)
        while True:
            try:
                run(sql)
            except Exception as exc:
                sql = steps.throw(exc)
            else:
                sql = steps.send(None)
    except StopIteration:
        return


async def drive_async(
    steps: Generator[str, None, None], run: Callable[[str], Awaitable[object]]
) -> None:
    """Async twin of ``drive_sync``."""
    try:
        sql = next(steps)
        while True:
            try:
                await run(sql)
            except Exception as exc:
                sql = steps.throw(exc)
            else:
                sql = steps.send(None)
    except StopIteration:
        return
