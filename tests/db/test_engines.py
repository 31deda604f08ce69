"""Engine behaviour on SQLite files: pool limits, locks, configuration errors."""

from __future__ import annotations

import asyncio
import contextvars
import threading
from pathlib import Path
from typing import Any

import pytest

from fastjango.db import OperationalError, transaction
from fastjango.db.backends.base.base import BaseDatabaseWrapper
from fastjango.test.utils import override_settings


def _settings(tmp_path: Path, **options: Any) -> dict[str, Any]:
    conn = {"ENGINE": "fastjango.db.backends.sqlite3", "NAME": str(tmp_path / "db.sqlite3")}
    return {"default": {**conn, "OPTIONS": options}}


def test_pool_exhaustion_says_what_to_do(tmp_path: Path) -> None:
    with override_settings(DATABASES=_settings(tmp_path, pool={"max_size": 1, "timeout": 0.1})):
        db = transaction.get_connection()
        with db.connect():
            with pytest.raises(OperationalError, match="timed out waiting for a free pooled"):
                db.execute("SELECT 1")
        assert db.execute("SELECT 1").scalar() == 1


def test_driver_configuration_errors_are_not_disguised(tmp_path: Path) -> None:
    with override_settings(DATABASES=_settings(tmp_path, no_such_argument=1)):
        db = transaction.get_connection()
        with pytest.raises(TypeError, match="no_such_argument"):
            db.execute("SELECT 1")
        with pytest.raises(TypeError, match="no_such_argument"):
            db.cursor()


@pytest.mark.anyio
async def test_async_driver_configuration_errors() -> None:
    # aiosqlite connects in its own thread, so a server driver shows this best.
    from fastjango.db.utils import ConnectionHandler
    from tests.db.conftest import database_settings, require_server

    require_server("mysql")
    conn = database_settings()["mysql"]
    conn["OPTIONS"] = {"no_such_argument": 1}
    db = ConnectionHandler({"default": conn})["default"]
    with pytest.raises(TypeError, match="no_such_argument"):
        await db.aexecute("SELECT 1")
    await db.aclose()


def _hold_write_lock(path: Path, locked: threading.Event, release: threading.Event) -> None:
    import sqlite3

    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("BEGIN IMMEDIATE")
    locked.set()
    release.wait(10)
    raw.execute("ROLLBACK")
    raw.close()


def test_begin_failure_returns_the_connection(tmp_path: Path) -> None:
    databases = _settings(tmp_path, timeout=0.05, transaction_mode="IMMEDIATE")
    with override_settings(DATABASES=databases):
        db = transaction.get_connection()
        db.execute("SELECT 1")
        locked, release = threading.Event(), threading.Event()
        holder = threading.Thread(
            target=_hold_write_lock, args=(tmp_path / "db.sqlite3", locked, release)
        )
        holder.start()
        locked.wait(5)
        try:
            with pytest.raises(OperationalError, match="locked"):
                with transaction.atomic():
                    pass  # pragma: no cover - BEGIN fails first

            async def main() -> None:
                with pytest.raises(OperationalError, match="locked"):
                    async with transaction.atomic():
                        pass  # pragma: no cover - BEGIN fails first
                await db.aclose()

            asyncio.run(main())
            assert not db.in_atomic_block
        finally:
            release.set()
            holder.join()
        with transaction.atomic():
            db.execute("SELECT 1")
        pool = db.sync_engine.pool
        assert pool.checkedout() == 0  # type: ignore[attr-defined]


def test_exit_in_another_context(tmp_path: Path) -> None:
    with override_settings(DATABASES=_settings(tmp_path)):
        db = transaction.get_connection()
        block = transaction.atomic()
        context = contextvars.copy_context()
        context.run(block.__enter__)
        assert context.run(lambda: db.in_atomic_block)
        # Leaving from a copy of that context can't reset the token; it still ends cleanly.
        context.copy().run(block.__exit__, None, None, None)


@pytest.mark.anyio
async def test_async_savepoint_false_and_outside_calls(tmp_path: Path) -> None:
    with override_settings(DATABASES=_settings(tmp_path)):
        db: BaseDatabaseWrapper = transaction.get_connection()
        await transaction.asavepoint_commit("none")
        await transaction.asavepoint_rollback("none")
        async with transaction.atomic():
            with pytest.raises(ValueError):
                async with transaction.atomic(savepoint=False):
                    raise ValueError
            async with transaction.atomic():
                assert db.savepoint_ids == [None]
        assert db.get_autocommit()
        await db.aclose()
        assert db._async_engines == {}
