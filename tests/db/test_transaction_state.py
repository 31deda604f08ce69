"""The I/O-free rules that end an atomic block, driven with a scripted runner."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from fastjango.db import DatabaseError, InterfaceError, OperationalError
from fastjango.db.backends.base.operations import BaseDatabaseOperations
from fastjango.db.backends.base.transaction_state import (
    TransactionState,
    drive_async,
    drive_sync,
    exit_steps,
)


class Ops(BaseDatabaseOperations):
    def __init__(self) -> None:
        pass

    def quote_name(self, name: str) -> str:
        return name


def runner(failing: dict[str, Exception]) -> tuple[list[str], Callable[[str], None]]:
    ran: list[str] = []

    def run(sql: str) -> None:
        ran.append(sql)
        for prefix, exc in list(failing.items()):
            if sql.startswith(prefix):
                del failing[prefix]  # each scripted failure happens once
                raise exc

    return ran, run


def state(depth: int, sid: str | None = "s1") -> TransactionState:
    st = TransactionState(connection=None, is_async=False)
    st.atomic_blocks = ["block"] * depth
    st.savepoint_ids = [sid] * (depth - 1)
    st.run_on_commit = [({sid}, print, False), (set(), print, False)]
    return st


def test_release_failure_rolls_back_to_the_savepoint() -> None:
    st = state(2)
    ran, run = runner({"RELEASE": DatabaseError("release failed")})
    with pytest.raises(DatabaseError, match="release failed"):
        drive_sync(exit_steps(st, Ops(), failed=False), run)
    assert ran == ["RELEASE SAVEPOINT s1", "ROLLBACK TO SAVEPOINT s1", "RELEASE SAVEPOINT s1"]
    assert len(st.run_on_commit) == 1  # the savepoint's callback is gone
    assert not st.needs_rollback


def test_release_and_rollback_failure_marks_outer_block() -> None:
    st = state(2)
    ran, run = runner({"RELEASE": DatabaseError("x"), "ROLLBACK TO": OperationalError("y")})
    with pytest.raises(DatabaseError, match="x"):
        drive_sync(exit_steps(st, Ops(), failed=False), run)
    assert st.needs_rollback


def test_failed_block_whose_savepoint_rollback_fails() -> None:
    st = state(2)
    _, run = runner({"ROLLBACK TO": OperationalError("gone")})
    drive_sync(exit_steps(st, Ops(), failed=True), run)
    assert st.needs_rollback


def test_commit_failure_then_rollback_failure_leaves_it_unsettled() -> None:
    st = state(1)
    ran, run = runner({"COMMIT": DatabaseError("commit"), "ROLLBACK": InterfaceError("lost")})
    with pytest.raises(DatabaseError, match="commit"):
        drive_sync(exit_steps(st, Ops(), failed=False), run)
    assert ran == ["COMMIT", "ROLLBACK"]
    assert not st.settled and not st.committed and st.run_on_commit == []


def test_commit_failure_is_rolled_back() -> None:
    st = state(1)
    _, run = runner({"COMMIT": DatabaseError("commit")})
    with pytest.raises(DatabaseError):
        drive_sync(exit_steps(st, Ops(), failed=False), run)
    assert st.settled and not st.committed


def test_failed_rollback_of_the_outer_block() -> None:
    st = state(1)
    _, run = runner({"ROLLBACK": OperationalError("lost")})
    drive_sync(exit_steps(st, Ops(), failed=True), run)
    assert not st.settled and st.run_on_commit == []


@pytest.mark.anyio
async def test_drive_async_throws_errors_back() -> None:
    st = state(2)
    ran: list[str] = []

    def arun(sql: str) -> Awaitable[None]:
        async def go() -> None:
            ran.append(sql)
            if sql.startswith("RELEASE"):
                raise DatabaseError("release failed")

        return go()

    with pytest.raises(DatabaseError):
        await drive_async(exit_steps(st, Ops(), failed=False), arun)
    assert ran[0] == "RELEASE SAVEPOINT s1" and ran[1] == "ROLLBACK TO SAVEPOINT s1"


def test_savepoint_ids_are_unique() -> None:
    st = TransactionState(connection=None, is_async=True)
    assert st.new_savepoint_id() != st.new_savepoint_id()
