from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
import sqlalchemy as sa

from fastjango.core.exceptions import SynchronousOnlyOperation
from fastjango.db import IntegrityError, transaction
from fastjango.db.backends.base.base import BaseDatabaseWrapper
from fastjango.db.transaction import TransactionManagementError
from tests.db.conftest import names


def insert(db: BaseDatabaseWrapper, table: sa.Table, name: str) -> None:
    db.execute(sa.insert(table).values(name=name))


async def ainsert(db: BaseDatabaseWrapper, table: sa.Table, name: str) -> None:
    await db.aexecute(sa.insert(table).values(name=name))


async def anames(db: BaseDatabaseWrapper, table: sa.Table) -> list[str]:
    result = await db.aexecute(sa.select(table.c.name))
    return sorted(row[0] for row in result)


def test_atomic_commits(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    with transaction.atomic(using=db.alias):
        assert db.in_atomic_block
        assert not transaction.get_autocommit(db.alias)
        insert(db, items, "a")
    assert not db.in_atomic_block
    assert names(db, items) == ["a"]


def test_failure_leaves_nothing_written(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    with pytest.raises(ValueError), transaction.atomic(using=db.alias):
        insert(db, items, "a")
        insert(db, items, "b")
        raise ValueError("boom")
    assert names(db, items) == []


def test_nested_blocks_are_savepoints(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    with transaction.atomic(using=db.alias):
        insert(db, items, "outer")
        with transaction.atomic(using=db.alias):
            insert(db, items, "kept")
        assert len(db.savepoint_ids) == 0
        with pytest.raises(ValueError), transaction.atomic(using=db.alias):
            insert(db, items, "undone")
            assert len(db.savepoint_ids) == 1
            raise ValueError
    assert names(db, items) == ["kept", "outer"]


def test_integrity_error_inside_savepoint_is_recoverable(
    db: BaseDatabaseWrapper, items: sa.Table
) -> None:
    with transaction.atomic(using=db.alias):
        insert(db, items, "a")
        with pytest.raises(IntegrityError) as info, transaction.atomic(using=db.alias):
            insert(db, items, "a")
        assert info.value.__cause__ is not None
        insert(db, items, "b")
    assert names(db, items) == ["a", "b"]


def test_savepoint_false_marks_outer_block(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    with transaction.atomic(using=db.alias):
        insert(db, items, "a")
        with pytest.raises(ValueError), transaction.atomic(using=db.alias, savepoint=False):
            raise ValueError
        assert transaction.get_rollback(db.alias)
        with pytest.raises(TransactionManagementError, match="You can't execute queries"):
            insert(db, items, "b")
        # A nested block in a broken transaction creates no savepoint.
        with transaction.atomic(using=db.alias):
            assert db.savepoint_ids == [None]
    assert names(db, items) == []


def test_set_rollback(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    with transaction.atomic(using=db.alias):
        insert(db, items, "a")
        transaction.set_rollback(True, using=db.alias)
    assert names(db, items) == []
    with transaction.atomic(using=db.alias):
        insert(db, items, "b")
        transaction.set_rollback(True, using=db.alias)
        transaction.set_rollback(False, using=db.alias)
    assert names(db, items) == ["b"]


def test_rollback_flag_outside_atomic(db: BaseDatabaseWrapper) -> None:
    with pytest.raises(TransactionManagementError, match="outside of an 'atomic' block"):
        transaction.set_rollback(True, using=db.alias)
    with pytest.raises(TransactionManagementError, match="outside of an 'atomic' block"):
        transaction.get_rollback(using=db.alias)
    with pytest.raises(TransactionManagementError, match="isn't under transaction"):
        db.needs_rollback = True
    assert db.needs_rollback is False
    assert db.atomic_blocks == [] and db.savepoint_ids == [] and db.run_on_commit == []


def test_durable(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    with transaction.atomic(using=db.alias, durable=True):
        insert(db, items, "a")
    message = "A durable atomic block cannot be nested within another atomic block."
    with transaction.atomic(using=db.alias):
        with pytest.raises(RuntimeError, match=message):
            with transaction.atomic(using=db.alias, durable=True):
                pass
    outer = transaction.atomic(using=db.alias)
    outer._from_testcase = True
    with outer, transaction.atomic(using=db.alias, durable=True):
        insert(db, items, "b")
    assert names(db, items) == ["a", "b"]


def test_decorator_forms(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    @transaction.atomic(using=db.alias)
    def create(name: str) -> str:
        assert db.in_atomic_block
        insert(db, items, name)
        return name

    assert create("a") == "a"
    assert create.__name__ == "create"

    @transaction.atomic
    def bare() -> bool:
        return transaction.get_connection().in_atomic_block

    assert bare() is True or db.alias != "default"


def test_manual_savepoints(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    assert transaction.savepoint(using=db.alias) is None
    transaction.savepoint_rollback("nothing", using=db.alias)
    transaction.savepoint_commit("nothing", using=db.alias)
    with transaction.atomic(using=db.alias):
        insert(db, items, "a")
        sid = transaction.savepoint(using=db.alias)
        assert sid is not None
        insert(db, items, "b")
        transaction.savepoint_rollback(sid, using=db.alias)
        sid2 = transaction.savepoint(using=db.alias)
        assert sid2 is not None and sid2 != sid
        insert(db, items, "c")
        transaction.savepoint_commit(sid2, using=db.alias)
        transaction.clean_savepoints(using=db.alias)
    transaction.clean_savepoints(using=db.alias)
    assert names(db, items) == ["a", "c"]


def test_mark_for_rollback_on_error(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    with pytest.raises(ValueError), transaction.mark_for_rollback_on_error(db.alias):
        raise ValueError  # outside atomic: nothing to mark
    with transaction.atomic(using=db.alias):
        insert(db, items, "a")
        try:
            with transaction.mark_for_rollback_on_error(db.alias):
                raise KeyError
        except KeyError:
            pass
        assert db.needs_rollback
    assert names(db, items) == []


def test_on_commit_runs_after_outer_commit(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    calls: list[str] = []
    transaction.on_commit(lambda: calls.append("now"), using=db.alias)
    assert calls == ["now"]
    with transaction.atomic(using=db.alias):
        transaction.on_commit(lambda: calls.append("outer"), using=db.alias)
        with transaction.atomic(using=db.alias):
            transaction.on_commit(lambda: calls.append("inner"), using=db.alias)
        with pytest.raises(ValueError), transaction.atomic(using=db.alias):
            transaction.on_commit(lambda: calls.append("rolled back"), using=db.alias)
            raise ValueError
        sid = transaction.savepoint(using=db.alias)
        assert sid is not None
        transaction.on_commit(lambda: calls.append("manual savepoint"), using=db.alias)
        assert len(db.run_on_commit) == 3
        assert calls == ["now"]
    assert calls == ["now", "outer", "inner", "manual savepoint"]


def test_on_commit_discarded_on_rollback(db: BaseDatabaseWrapper) -> None:
    calls: list[str] = []
    with pytest.raises(ValueError), transaction.atomic(using=db.alias):
        transaction.on_commit(lambda: calls.append("x"), using=db.alias)
        raise ValueError
    assert calls == []


def test_on_commit_robust_and_errors(
    db: BaseDatabaseWrapper, caplog: pytest.LogCaptureFixture
) -> None:
    def fail() -> None:
        raise RuntimeError("hook failed")

    calls: list[str] = []
    with caplog.at_level(logging.ERROR, logger="fastjango.db.backends.base"):
        with transaction.atomic(using=db.alias):
            transaction.on_commit(fail, using=db.alias, robust=True)
            transaction.on_commit(lambda: calls.append("after"), using=db.alias)
        transaction.on_commit(fail, using=db.alias, robust=True)
    assert calls == ["after"]
    assert caplog.text.count("Error calling") == 2
    with pytest.raises(RuntimeError, match="hook failed"):
        with transaction.atomic(using=db.alias):
            transaction.on_commit(fail, using=db.alias)
    with pytest.raises(RuntimeError, match="hook failed"):
        transaction.on_commit(fail, using=db.alias)
    with pytest.raises(TypeError, match="must be a callable"):
        transaction.on_commit(None, using=db.alias)  # type: ignore[arg-type]


def test_async_callback_on_sync_path(db: BaseDatabaseWrapper) -> None:
    calls: list[str] = []

    async def hook() -> None:
        calls.append("async")

    async def failing() -> None:
        raise RuntimeError("async hook failed")

    transaction.on_commit(hook, using=db.alias)
    with transaction.atomic(using=db.alias):
        transaction.on_commit(hook, using=db.alias)
    assert calls == ["async", "async"]
    transaction.on_commit(failing, using=db.alias, robust=True)
    with pytest.raises(RuntimeError, match="async hook failed"):
        transaction.on_commit(failing, using=db.alias)


def test_sync_atomic_in_event_loop_is_refused(db: BaseDatabaseWrapper) -> None:
    async def main() -> None:
        with pytest.raises(SynchronousOnlyOperation, match="async with transaction.atomic"):
            with transaction.atomic(using=db.alias):
                pass
        with pytest.raises(SynchronousOnlyOperation, match="aexecute"):
            db.execute("SELECT 1")

    asyncio.run(main())


# -- async -------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_atomic(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    async with transaction.atomic(using=db.alias):
        await ainsert(db, items, "a")
        async with transaction.atomic(using=db.alias):
            await ainsert(db, items, "b")
        with pytest.raises(ValueError):
            async with transaction.atomic(using=db.alias):
                await ainsert(db, items, "c")
                raise ValueError
    with pytest.raises(ValueError):
        async with transaction.atomic(using=db.alias):
            await ainsert(db, items, "d")
            raise ValueError
    assert await anames(db, items) == ["a", "b"]


@pytest.mark.anyio
async def test_async_decorator_and_hooks(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    calls: list[str] = []

    async def ahook() -> None:
        calls.append("async")

    def shook() -> None:
        calls.append("sync")

    @transaction.atomic(using=db.alias)
    async def create(name: str) -> str:
        await ainsert(db, items, name)
        transaction.on_commit(ahook, using=db.alias)
        transaction.on_commit(shook, using=db.alias)
        return name

    assert await create("a") == "a"
    assert calls == ["async", "sync"]
    assert await anames(db, items) == ["a"]


@pytest.mark.anyio
async def test_async_savepoints_and_flags(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    assert await transaction.asavepoint(using=db.alias) is None
    async with transaction.atomic(using=db.alias):
        await ainsert(db, items, "a")
        sid = await transaction.asavepoint(using=db.alias)
        assert sid is not None
        await ainsert(db, items, "b")
        await transaction.asavepoint_rollback(sid, using=db.alias)
        sid = await transaction.asavepoint(using=db.alias)
        assert sid is not None
        await transaction.asavepoint_commit(sid, using=db.alias)
        await transaction.aclean_savepoints(using=db.alias)
    assert await anames(db, items) == ["a"]
    async with transaction.atomic(using=db.alias):
        await ainsert(db, items, "c")
        transaction.set_rollback(True, using=db.alias)
    assert await anames(db, items) == ["a"]


@pytest.mark.anyio
async def test_on_commit_outside_atomic_in_async_code(
    db: BaseDatabaseWrapper, caplog: pytest.LogCaptureFixture
) -> None:
    done = asyncio.Event()

    async def hook() -> None:
        done.set()

    async def failing() -> None:
        raise RuntimeError("background hook failed")

    transaction.on_commit(hook, using=db.alias)
    await asyncio.wait_for(done.wait(), 5)
    with caplog.at_level(logging.ERROR, logger="fastjango.db.backends.base"):
        transaction.on_commit(failing, using=db.alias)
        for _ in range(5):
            await asyncio.sleep(0)
    assert "background hook failed" in caplog.text


@pytest.mark.anyio
async def test_async_robust_hooks(
    db: BaseDatabaseWrapper, caplog: pytest.LogCaptureFixture
) -> None:
    async def failing() -> None:
        raise RuntimeError("async hook failed")

    with caplog.at_level(logging.ERROR, logger="fastjango.db.backends.base"):
        async with transaction.atomic(using=db.alias):
            transaction.on_commit(failing, using=db.alias, robust=True)
    assert "async hook failed" in caplog.text
    with pytest.raises(RuntimeError, match="async hook failed"):
        async with transaction.atomic(using=db.alias):
            transaction.on_commit(failing, using=db.alias)


@pytest.mark.anyio
async def test_tasks_have_separate_transactions(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    entered = asyncio.Event()
    release = asyncio.Event()

    async def writer() -> None:
        async with transaction.atomic(using=db.alias):
            await ainsert(db, items, "from-task")
            entered.set()
            await release.wait()

    task = asyncio.create_task(writer())
    await entered.wait()
    # This task is not in the writer's transaction: it doesn't see the row yet.
    assert not db.in_atomic_block
    if db.vendor != "sqlite":
        assert await anames(db, items) == []
    release.set()
    await task
    assert await anames(db, items) == ["from-task"]


@pytest.mark.anyio
async def test_sync_and_async_blocks_do_not_mix(db: BaseDatabaseWrapper) -> None:
    async with transaction.atomic(using=db.alias):
        with pytest.raises(TransactionManagementError, match="inside an async one"):
            db.enter_atomic(transaction.atomic(using=db.alias))
        with pytest.raises(TransactionManagementError, match="can't be used from sync"):
            db.savepoint()


def test_async_block_refused_inside_sync_block(db: BaseDatabaseWrapper) -> None:
    async def nested() -> None:
        await db.aenter_atomic(transaction.atomic(using=db.alias))

    async def use_connection() -> None:
        async with db.aconnect():
            pass

    with transaction.atomic(using=db.alias):
        with pytest.raises(TransactionManagementError, match="inside a sync one"):
            asyncio.run(nested())
        with pytest.raises(TransactionManagementError, match="can't be used from async"):
            asyncio.run(use_connection())


def test_commit_failure_rolls_back(db: BaseDatabaseWrapper) -> None:
    if db.vendor != "postgresql":
        pytest.skip("deferred constraints are checked at COMMIT on PostgreSQL only")
    db.execute("DROP TABLE IF EXISTS fj_deferred")
    db.execute(
        "CREATE TABLE fj_deferred (name text, "
        "CONSTRAINT fj_deferred_name UNIQUE (name) DEFERRABLE INITIALLY DEFERRED)"
    )
    calls: list[str] = []
    try:
        with pytest.raises(IntegrityError), transaction.atomic(using=db.alias):
            db.execute("INSERT INTO fj_deferred (name) VALUES ('x'), ('x')")
            transaction.on_commit(lambda: calls.append("never"), using=db.alias)
        assert calls == []
        assert not db.in_atomic_block
        assert db.execute("SELECT count(*) FROM fj_deferred").scalar() == 0
    finally:
        db.execute("DROP TABLE fj_deferred")


def test_make_view_atomic(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    from fastjango.db import connections

    def view(name: str) -> Any:
        insert(db, items, name)
        assert db.in_atomic_block
        raise ValueError

    settings_dict = connections.settings[db.alias]
    settings_dict["ATOMIC_REQUESTS"] = True
    try:
        wrapped = transaction.make_view_atomic(view)
        with pytest.raises(ValueError):
            wrapped("a")

        def in_block() -> bool:
            return db.in_atomic_block

        exempt = transaction.non_atomic_requests(using=db.alias)(in_block)
        assert transaction.make_view_atomic(exempt)() is False
        assert transaction.non_atomic_requests(exempt) is exempt
        assert exempt._non_atomic_requests == {db.alias, "default"}  # type: ignore[attr-defined]
    finally:
        settings_dict["ATOMIC_REQUESTS"] = False
    assert names(db, items) == []
