from __future__ import annotations

import datetime
import decimal
import logging

import pytest
import sqlalchemy as sa

from fastjango.core import signals
from fastjango.db import IntegrityError, reset_queries, transaction
from fastjango.db.backends.base.base import BaseDatabaseWrapper
from fastjango.db.backends.utils import render_sql
from fastjango.test.utils import CaptureQueriesContext, override_settings


def test_queries_are_logged_only_in_debug(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    db.queries_log.clear()
    with override_settings(DEBUG=False):
        assert not db.queries_logged
        db.execute(sa.select(items.c.id))
        assert db.queries == []
    with override_settings(DEBUG=True):
        assert db.queries_logged
        db.execute(sa.insert(items).values(name="it's"))
    [entry] = db.queries
    assert set(entry) == {"sql", "time"}
    assert "'it''s'" in entry["sql"]
    assert float(entry["time"]) >= 0
    reset_queries()
    assert db.queries == []


def test_transaction_statements_are_logged(db: BaseDatabaseWrapper) -> None:
    with CaptureQueriesContext(db) as ctx:
        with transaction.atomic(using=db.alias):
            with transaction.atomic(using=db.alias):
                db.execute("SELECT 1")
    sql = [q["sql"] for q in ctx]
    assert sql[0].startswith("BEGIN")
    assert sql[1].startswith("SAVEPOINT")
    assert sql[2] == "SELECT 1"
    assert sql[3].startswith("RELEASE SAVEPOINT")
    assert sql[4] == "COMMIT"
    assert len(ctx) == 5 and ctx[4]["sql"] == "COMMIT"


def test_capture_queries_context(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    with override_settings(DEBUG=False), CaptureQueriesContext(db) as ctx:
        db.execute(sa.insert(items), [{"name": "a"}, {"name": "b"}])
        with db.cursor() as cursor:
            cursor.execute("SELECT name FROM fj_items WHERE name = %s", ["a"])
            cursor.executemany("UPDATE fj_items SET name = name WHERE name = %s", [["a"], ["b"]])
        # The request_started signal doesn't clear the log meanwhile.
        signals.request_started.send(sender=None)
        assert len(ctx) == 3
    assert not db.force_debug_cursor
    queries = ctx.captured_queries
    assert len(queries) == 3
    assert "'a'" in queries[1]["sql"]
    assert queries[2]["sql"].startswith("2 times: UPDATE")
    db.execute(sa.select(items.c.id))
    assert len(ctx) == 3


def test_failed_statements_are_logged(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    db.execute(sa.insert(items).values(name="a"))
    with CaptureQueriesContext(db) as ctx:
        with pytest.raises(IntegrityError):
            db.execute(sa.insert(items).values(name="a"))
        with pytest.raises(IntegrityError), db.cursor() as cursor:
            cursor.execute("INSERT INTO fj_items (name) VALUES (%s)", ["a"])
    assert len(ctx) == 2


@pytest.mark.anyio
async def test_async_queries_are_logged(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    async with CaptureQueriesContext(db) as ctx:
        await db.aexecute(sa.insert(items).values(name="a"))
        await db.aexecute(sa.select(items.c.name).where(items.c.name == "a"))
    assert len(ctx) == 2
    assert "'a'" in ctx[1]["sql"]


def test_capture_after_exception_keeps_counting(db: BaseDatabaseWrapper) -> None:
    with pytest.raises(ValueError), CaptureQueriesContext(db) as ctx:
        db.execute("SELECT 1")
        raise ValueError
    assert ctx.final_queries is None
    assert len(ctx) >= 1


def test_query_log_is_bounded(db: BaseDatabaseWrapper) -> None:
    db.queries_log.clear()
    for _ in range(db.queries_limit):
        db.queries_log.append({"sql": "x", "time": "0.000"})
    with pytest.warns(UserWarning, match="only the last 9000 queries"):
        queries = db.queries
    assert len(queries) == 9000
    db.queries_log.append({"sql": "y", "time": "0.000"})
    assert len(db.queries_log) == 9000
    db.queries_log.clear()


def test_statements_go_to_the_backends_logger(
    db: BaseDatabaseWrapper, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.DEBUG, logger="fastjango.db.backends"),
        CaptureQueriesContext(db),
    ):
        db.execute("SELECT 42")
    assert any("SELECT 42" in r.getMessage() and r.alias == db.alias for r in caplog.records)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("sql", "params", "style", "expected"),
    [
        ("SELECT ? , '?'", (1,), "qmark", "SELECT 1 , '?'"),
        ("SELECT %s, '%s', %%", ("a",), "format", "SELECT 'a', '%s', %"),
        ("SELECT %(a)s, %(b)s", {"a": None, "b": True}, "pyformat", "SELECT NULL, TRUE"),
        ("SELECT %s", (False,), "pyformat", "SELECT FALSE"),
        ("SELECT :x, ':y', x::int", {"x": 2.5}, "named", "SELECT 2.5, ':y', x::int"),
        ("SELECT :1, :2", ("a", b"\x01"), "numeric", "SELECT 'a', X'01'"),
        ("SELECT $1, $2", (decimal.Decimal("1.5"), "b"), "numeric_dollar", "SELECT 1.5, 'b'"),
        (
            "SELECT ?, ?",
            (datetime.datetime(2024, 1, 2, 3, 4, 5), datetime.date(2024, 1, 2)),
            "qmark",
            "SELECT '2024-01-02 03:04:05', '2024-01-02'",
        ),
        ("SELECT ?, ?", (1,), "qmark", "SELECT 1, ?"),
        ("SELECT :missing", {}, "named", "SELECT :missing"),
        ("SELECT 1", None, "qmark", "SELECT 1"),
        ("SELECT @x", (1,), "odd", "SELECT @x -- params: (1,)"),
    ],
)
def test_render_sql(sql: str, params: object, style: str, expected: str) -> None:
    assert render_sql(sql, params, style) == expected


def test_bulk_insert_with_returning_is_logged(db: BaseDatabaseWrapper, items: sa.Table) -> None:
    # SQLAlchemy sends a multi-row INSERT ... RETURNING as one "executemany" whose
    # parameters are a single dict: the query log must take that shape too.
    db.queries_log.clear()
    with override_settings(DEBUG=True):
        rows = db.execute(
            sa.insert(items).returning(items.c.id),
            [{"name": f"bulk-{i}"} for i in range(3)],
        ).all()
    assert len(rows) == 3
    assert any("INSERT INTO fj_items" in entry["sql"] for entry in db.queries)


def test_listeners_cost_nothing_while_queries_are_not_logged(db: BaseDatabaseWrapper) -> None:
    # Any statement listener sends every statement down SQLAlchemy's slow event
    # path; the query log's only count while queries are logged.
    engine = db.sync_engine
    with override_settings(DEBUG=False):
        assert engine._has_events is False
        with CaptureQueriesContext(db):
            assert engine._has_events is True
        assert engine._has_events is False
        with override_settings(DEBUG=True):
            assert engine._has_events is True
        assert engine._has_events is False


def test_logging_starts_on_an_open_connection(db: BaseDatabaseWrapper) -> None:
    db.queries_log.clear()
    with override_settings(DEBUG=False), db.connect() as conn:
        conn.exec_driver_sql("SELECT 1")
        db.force_debug_cursor = True
        try:
            conn.exec_driver_sql("SELECT 2")
        finally:
            db.force_debug_cursor = False
        conn.exec_driver_sql("SELECT 3")
    assert [q["sql"] for q in db.queries] == ["SELECT 2"]
    db.queries_log.clear()


def test_other_listeners_keep_firing(db: BaseDatabaseWrapper) -> None:
    seen: list[str] = []

    def listener(conn: object, cursor: object, statement: str, *args: object) -> None:
        seen.append(statement)

    engine = db.sync_engine
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        with override_settings(DEBUG=False):
            with CaptureQueriesContext(db) as ctx:
                db.execute("SELECT 1")
            db.execute("SELECT 2")
        assert [q["sql"] for q in ctx] == ["SELECT 1"]
        assert seen == ["SELECT 1", "SELECT 2"]
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)


def test_setup_test_environment_debug_turns_logging_on(db: BaseDatabaseWrapper) -> None:
    from fastjango.test import utils

    # The plugin's own test environment is set aside for this one.
    plugin_environment = utils._saved_environment[:]
    utils._saved_environment.clear()
    try:
        with override_settings(DEBUG=False):
            utils.setup_test_environment(debug=True)
            try:
                assert db.queries_logged
                db.queries_log.clear()
                db.execute("SELECT 7")
                assert [q["sql"] for q in db.queries] == ["SELECT 7"]
            finally:
                utils.teardown_test_environment()
            assert not db.queries_logged
    finally:
        utils._saved_environment[:] = plugin_environment
    db.queries_log.clear()
