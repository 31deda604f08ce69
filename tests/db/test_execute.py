from __future__ import annotations

import asyncio
import threading

import pytest
import sqlalchemy as sa

from fastjango.core.exceptions import SynchronousOnlyOperation
from fastjango.db import (
    DatabaseError,
    Error,
    IntegrityError,
    InterfaceError,
    OperationalError,
    ProgrammingError,
    transaction,
)
from fastjango.db.backends.base.base import BaseDatabaseWrapper
from fastjango.db.utils import translate_exception
from tests.db.conftest import names


def test_execute_core_and_text(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    result = db.execute(sa.insert(items).values(name="a"))
    assert result.rowcount == 1
    assert result.inserted_primary_key is not None and result.inserted_primary_key[0] >= 1
    db.execute(sa.insert(items), [{"name": "b"}, {"name": "c"}])
    rows = db.execute("SELECT name FROM fj_items WHERE name <> :skip ORDER BY name", {"skip": "b"})
    assert rows.keys() == ["name"]
    assert [r.name for r in rows] == ["a", "c"]
    updated = db.execute(sa.update(items).where(items.c.name != "zzz").values(name=items.c.name))
    assert updated.rowcount == 3
    assert db.execute(sa.select(sa.func.count()).select_from(items)).scalar_one() == 3


def test_results_are_buffered(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    db.execute(sa.insert(items), [{"name": f"n{i}"} for i in range(20)])
    result = db.execute(sa.select(items.c.name).order_by(items.c.name))
    # The connection is back in the pool; another statement runs before we read.
    db.execute(sa.insert(items).values(name="late"))
    assert len(result.all()) == 20


def test_execute_rejects_other_objects(db: BaseDatabaseWrapper) -> None:
    with pytest.raises(TypeError, match="SQLAlchemy statement or a SQL string"):
        db.execute(42)  # type: ignore[arg-type]


def test_errors_are_translated(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    db.execute(sa.insert(items).values(name="a"))
    with pytest.raises(IntegrityError) as info:
        db.execute(sa.insert(items).values(name="a"))
    assert isinstance(info.value, DatabaseError)
    cause = info.value.__cause__
    assert cause is not None and type(cause).__module__.split(".")[0] in (
        "sqlite3",
        "psycopg",
        "pymysql",
    )
    with pytest.raises(ProgrammingError if db.vendor != "sqlite" else OperationalError):
        db.execute("SELECT * FROM no_such_table")
    with pytest.raises(IntegrityError):
        db.execute(sa.insert(items).values(name=None))


@pytest.mark.anyio
async def test_async_errors_are_translated(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    await db.aexecute(sa.insert(items).values(name="a"))
    with pytest.raises(IntegrityError) as info:
        await db.aexecute(sa.insert(items).values(name="a"))
    assert info.value.__cause__ is not None


@pytest.mark.anyio
async def test_aexecute_and_aconnect(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    await db.aexecute(sa.insert(items), [{"name": "a"}, {"name": "b"}])
    result = await db.aexecute("SELECT name FROM fj_items ORDER BY name")
    assert result.scalars().all() == ["a", "b"]
    async with db.aconnect() as conn:
        count = await conn.scalar(sa.select(sa.func.count()).select_from(items))
    assert count == 2
    await db.aensure_connection()
    assert db.async_engine is db.async_engine
    with pytest.raises(SynchronousOnlyOperation, match="aconnect"):
        db.connect()
    with pytest.raises(SynchronousOnlyOperation, match="aensure_connection"):
        db.ensure_connection()
    with pytest.raises(SynchronousOnlyOperation, match="aclose"):
        db.close()
    with pytest.raises(SynchronousOnlyOperation):
        db.cursor()


def test_async_engine_needs_a_loop(db: BaseDatabaseWrapper) -> None:
    with pytest.raises(RuntimeError, match="bound to the running event loop"):
        _ = db.async_engine


def test_each_loop_gets_its_own_async_engine(db: BaseDatabaseWrapper) -> None:
    engines = []

    async def main() -> None:
        engines.append(db.async_engine)
        assert (await db.aexecute("SELECT 1")).scalar() == 1

    asyncio.run(main())
    asyncio.run(main())
    assert engines[0] is not engines[1]
    # Each loop's engine was disposed (and forgotten) when its loop shut down.
    assert db._async_engines == {}


def test_connect_uses_the_atomic_connection(db: BaseDatabaseWrapper) -> None:
    with db.connect() as outside:
        pass
    with transaction.atomic(using=db.alias):
        with db.connect() as first, db.connect() as second:
            assert first is second
            assert first is not outside
    assert db.ensure_connection() is None
    assert db.is_usable()


def test_sync_engine_is_shared_by_threads(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(5):
                with transaction.atomic(using=db.alias):
                    db.execute(sa.insert(items).values(name=f"t{n}-{i}"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(names(db, items)) == 20


# -- raw cursors ---------------------------------------------------------------


def test_cursor_takes_django_placeholders(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    with db.cursor() as cursor:
        cursor.execute("INSERT INTO fj_items (name) VALUES (%s)", ["100%"])
        assert cursor.rowcount == 1
        if db.vendor != "postgresql":
            assert cursor.lastrowid
        cursor.executemany("INSERT INTO fj_items (name) VALUES (%s)", [["b"], ["c"]])
        cursor.executemany("INSERT INTO fj_items (name) VALUES (%s)", [])
        cursor.execute(
            "SELECT name FROM fj_items WHERE name LIKE %s OR name = %(x)s".replace("%(x)s", "%s"),
            ("100%%", "b"),
        )
        assert sorted(row[0] for row in cursor.fetchall()) == ["100%", "b"]
        cursor.execute("SELECT name FROM fj_items WHERE name = %(name)s", {"name": "c"})
        assert cursor.fetchone() == ("c",)
        assert cursor.description[0][0] == "name"
        cursor.execute("SELECT name FROM fj_items ORDER BY name")
        assert cursor.fetchmany(1) == [("100%",)]
        assert cursor.fetchmany() == [("b",)]
        assert [row[0] for row in cursor] == ["c"]
        cursor.execute("SELECT 1")
        assert cursor.arraysize >= 1  # passed through to the driver's cursor
    assert cursor.closed
    cursor.close()
    with pytest.raises(InterfaceError, match="Cursor already closed"):
        cursor.execute("SELECT 1")


def test_cursor_errors_and_atomic(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    cursor = db.cursor()
    with pytest.raises(ProgrammingError if db.vendor != "sqlite" else OperationalError):
        cursor.execute("SELECT * FROM no_such_table")
    cursor.close()
    with pytest.raises(ValueError), transaction.atomic(using=db.alias):
        with db.cursor() as cursor:
            cursor.execute("INSERT INTO fj_items (name) VALUES (%s)", ["rolled back"])
        raise ValueError
    with transaction.atomic(using=db.alias), db.cursor() as cursor:
        cursor.execute("INSERT INTO fj_items (name) VALUES (%s)", ["kept"])
    assert names(db, items) == ["kept"]


def test_broken_transaction_refuses_queries(db: BaseDatabaseWrapper) -> None:
    with transaction.atomic(using=db.alias):
        transaction.set_rollback(True, using=db.alias)
        with pytest.raises(transaction.TransactionManagementError):
            db.cursor()
        with pytest.raises(transaction.TransactionManagementError):
            transaction.savepoint(using=db.alias)
        with pytest.raises(transaction.TransactionManagementError):
            db.validate_no_broken_transaction()
        with pytest.raises(transaction.TransactionManagementError, match="forbidden"):
            db.close()


def test_translate_exception_edge_cases() -> None:
    import sqlalchemy.exc as sa_exc

    class Weird(Exception):
        pass

    class DataError(Exception):  # a driver class named as PEP 249 names it
        pass

    assert translate_exception(Weird("x")) is None
    assert translate_exception(IntegrityError("already ours")) is None
    err = translate_exception(sa_exc.TimeoutError("pool"))
    assert isinstance(err, OperationalError)
    err = translate_exception(sa_exc.ResourceClosedError("closed"))
    assert isinstance(err, InterfaceError)
    err = translate_exception(sa_exc.DBAPIError("SELECT", None, DataError("bad"), False))
    assert isinstance(err, Error) and type(err).__name__ == "DataError"
    err = translate_exception(sa_exc.DBAPIError("SELECT", None, Weird("odd"), False))
    assert type(err) is DatabaseError
    assert translate_exception(DataError("raw"), dbapi=None) is None
    import sqlite3

    err = translate_exception(sqlite3.IntegrityError("raw"), dbapi=sqlite3)
    assert isinstance(err, IntegrityError) and err.args == ("raw",)


def test_wrap_database_errors_decorates(db: BaseDatabaseWrapper) -> None:
    import sqlite3

    @db.wrap_database_errors
    def fails() -> None:
        raise sqlite3.OperationalError("locked")

    @db.wrap_database_errors
    async def afails() -> None:
        raise sqlite3.OperationalError("locked")

    if db.vendor == "sqlite":
        with pytest.raises(OperationalError, match="locked"):
            fails()
        with pytest.raises(OperationalError, match="locked"):
            asyncio.run(afails())
