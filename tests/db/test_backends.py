from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.db import IntegrityError, transaction
from fastjango.db.backends.base.base import BaseDatabaseWrapper
from fastjango.db.backends.postgresql.base import isolation_level_name
from fastjango.db.backends.signals import connection_created
from fastjango.db.utils import ConnectionHandler
from fastjango.test.utils import CaptureQueriesContext, override_settings
from tests.db.conftest import database_settings, require_server


def _wrapper(conn: dict[str, Any]) -> BaseDatabaseWrapper:
    return ConnectionHandler({"default": conn})["default"]


def _server(server: str, **options: Any) -> BaseDatabaseWrapper:
    require_server(server)
    conn = database_settings()[server]
    conn["OPTIONS"] = options
    return _wrapper(conn)


def test_quote_name(db: BaseDatabaseWrapper) -> None:
    quote = "`" if db.vendor == "mysql" else '"'
    assert db.ops.quote_name("table") == f"{quote}table{quote}"
    assert db.ops.quote_name(f"{quote}done{quote}") == f"{quote}done{quote}"


def test_identity(db: BaseDatabaseWrapper) -> None:
    expected = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "mysql": "MariaDB"}
    assert db.display_name == expected[db.vendor]
    assert db.features.supports_transactions
    assert db.server_version_info >= (3,)
    assert db.Database.paramstyle in ("qmark", "pyformat", "format")
    assert db.dialect.name in ("sqlite", "postgresql", "mysql")


def test_connection_created_signal(db: BaseDatabaseWrapper) -> None:
    seen: list[Any] = []

    def receiver(sender: Any, connection: Any, **kwargs: Any) -> None:
        seen.append((connection, kwargs["is_async"]))

    connection_created.connect(receiver)
    try:
        db.close()
        db.execute("SELECT 1")
    finally:
        connection_created.disconnect(receiver)
    assert seen == [(db, False)]


# -- SQLite --------------------------------------------------------------------


def test_sqlite_pragmas(tmp_path: Path) -> None:
    db = _wrapper(
        {
            "ENGINE": "fastjango.db.backends.sqlite3",
            "NAME": str(tmp_path / "app.db"),
            "OPTIONS": {"init_command": "PRAGMA synchronous = NORMAL; ", "timeout": 3},
        }
    )
    assert db.execute("PRAGMA foreign_keys").scalar() == 1
    assert db.execute("PRAGMA journal_mode").scalar() == "wal"
    assert db.execute("PRAGMA synchronous").scalar() == 1
    db.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
    db.execute("CREATE TABLE child (parent_id INTEGER REFERENCES parent (id))")
    with pytest.raises(IntegrityError, match="FOREIGN KEY"):
        db.execute("INSERT INTO child VALUES (1)")
    assert db.location == str(tmp_path / "app.db")
    db.close()


@pytest.mark.anyio
async def test_sqlite_memory_is_shared_by_sync_and_async(tmp_path: Path) -> None:
    db = _wrapper({"ENGINE": "fastjango.db.backends.sqlite3", "NAME": ":memory:"})
    await db.aexecute("CREATE TABLE shared (x int)")
    await db.aexecute("INSERT INTO shared VALUES (1)")
    path = db.database_path()  # type: ignore[attr-defined]
    assert os.path.exists(path)
    assert (await db.aexecute("PRAGMA foreign_keys")).scalar() == 1
    await db.aclose()


@pytest.mark.anyio
async def test_sqlite_async_statements_run_on_the_sync_engine_in_a_thread(
    tmp_path: Path,
) -> None:
    import threading

    db = _wrapper({"ENGINE": "fastjango.db.backends.sqlite3", "NAME": str(tmp_path / "a.db")})
    threads: set[str] = set()
    loop_thread = threading.current_thread().name

    @sa.event.listens_for(db.sync_engine, "before_cursor_execute")
    def seen(*args: Any) -> None:
        threads.add(threading.current_thread().name)

    await db.aexecute("CREATE TABLE t (x int PRIMARY KEY)")
    await db.aexecute("INSERT INTO t VALUES (:x)", {"x": 1})
    assert (await db.aexecute("SELECT x FROM t")).all() == [(1,)]
    # Outside atomic blocks every statement went through the sync engine, off the loop.
    assert threads and loop_thread not in threads
    with pytest.raises(IntegrityError):
        await db.aexecute("INSERT INTO t VALUES (1)")
    assert (await db.aexecute("SELECT count(*) FROM t")).scalar() == 1
    await db.aclose()


def test_sqlite_transaction_mode() -> None:
    conn = {
        "ENGINE": "fastjango.db.backends.sqlite3",
        "NAME": ":memory:",
        "OPTIONS": {"transaction_mode": "IMMEDIATE"},
    }
    with override_settings(DATABASES={"default": conn}):
        db = transaction.get_connection()
        with CaptureQueriesContext(db) as ctx, transaction.atomic():
            pass
    assert ctx[0]["sql"] == "BEGIN IMMEDIATE"
    with pytest.raises(ImproperlyConfigured, match="transaction_mode"):
        _wrapper(
            {
                "ENGINE": "fastjango.db.backends.sqlite3",
                "NAME": "x",
                "OPTIONS": {"transaction_mode": "LAZY"},
            }
        )
    with pytest.raises(ImproperlyConfigured, match="Please supply the NAME value"):
        _wrapper({"ENGINE": "fastjango.db.backends.sqlite3"}).execute("SELECT 1")


def test_sqlite_cursor_placeholder_translation() -> None:
    db = _wrapper({"ENGINE": "fastjango.db.backends.sqlite3", "NAME": ":memory:"})
    assert db.prepare_cursor_query("SELECT %s, '%%', %s", [1, 2]) == ("SELECT ?, '%', ?", (1, 2))
    assert db.prepare_cursor_query("SELECT %(a)s", {"a": 1}) == ("SELECT :a", {"a": 1})


# -- engine options ------------------------------------------------------------------


def test_pool_options() -> None:
    base = {"ENGINE": "fastjango.db.backends.postgresql", "NAME": "x"}
    options = _wrapper({**base, "CONN_MAX_AGE": 60}).get_engine_options()
    assert options["pool_recycle"] == 60 and options["pool_pre_ping"] is False
    assert options["isolation_level"] == "AUTOCOMMIT"
    # One pooled connection per view thread by default, so none is closed on check-in.
    assert (options["pool_size"], options["max_overflow"]) == (40, 10)
    options = _wrapper({**base, "OPTIONS": {"pool": False}}).get_engine_options()
    assert options["poolclass"] is NullPool
    assert "pool_size" not in options and "max_overflow" not in options
    options = _wrapper(
        {**base, "OPTIONS": {"pool": {"min_size": 1, "max_size": 4, "timeout": 5}}}
    ).get_engine_options()
    assert (options["pool_size"], options["max_overflow"], options["pool_timeout"]) == (4, 0, 5)
    options = _wrapper(
        {**base, "OPTIONS": {"pool": {"max_size": 4, "max_overflow": 2}}}
    ).get_engine_options()
    assert (options["pool_size"], options["max_overflow"]) == (4, 2)
    options = _wrapper({**base, "OPTIONS": {"pool": {"pool_size": 8}}}).get_engine_options()
    assert (options["pool_size"], options["max_overflow"]) == (8, 10)
    with pytest.raises(ImproperlyConfigured, match="unknown key 'size'"):
        _wrapper({**base, "OPTIONS": {"pool": {"size": 1}}}).get_engine_options()
    with pytest.raises(ImproperlyConfigured, match="must be True, False or a dict"):
        _wrapper({**base, "OPTIONS": {"pool": "yes"}}).get_engine_options()
    assert "pool" not in _wrapper({**base, "OPTIONS": {"pool": True}}).get_connect_args(False)


def test_health_checks_turn_on_the_pre_ping() -> None:
    base = {"ENGINE": "fastjango.db.backends.postgresql", "NAME": "x"}
    assert _wrapper({**base, "CONN_HEALTH_CHECKS": True}).get_engine_options()["pool_pre_ping"]
    assert not _wrapper(base).get_engine_options()["pool_pre_ping"]
    # A SQLite file can't go away under a pooled connection: nothing to ping.
    sqlite = {"ENGINE": "fastjango.db.backends.sqlite3", "NAME": "x", "CONN_HEALTH_CHECKS": True}
    assert not _wrapper(sqlite).get_engine_options()["pool_pre_ping"]


def test_no_pool_still_works(db: BaseDatabaseWrapper) -> None:
    settings_dict = {**db.settings_dict, "OPTIONS": {**db.settings_dict["OPTIONS"], "pool": False}}
    other = _wrapper(settings_dict)
    assert other.execute("SELECT 1").scalar() == 1
    other.close()


# -- PostgreSQL ------------------------------------------------------------------


def test_postgresql_session_settings() -> None:
    db = _server("postgres", isolation_level=3, options="-c statement_timeout=5000")
    assert db.execute("SHOW TimeZone").scalar() == "UTC"
    assert db.execute("SHOW default_transaction_isolation").scalar() == "repeatable read"
    assert db.execute("SHOW statement_timeout").scalar() == "5s"
    assert db.location == "127.0.0.1:5432"
    assert db.features.has_native_uuid_field
    db.close()


@pytest.mark.anyio
async def test_postgresql_async_session_settings() -> None:
    db = _server(
        "postgres",
        isolation_level="serializable",
        options="-c statement_timeout=4000 -cwork_mem=8MB",
        application_name="fastjango-tests",
        connect_timeout=5,
        sslmode="disable",
        command_timeout=10,
        sslrootcert="ignored-by-asyncpg",
    )
    assert (await db.aexecute("SHOW TimeZone")).scalar() == "UTC"
    assert (await db.aexecute("SHOW default_transaction_isolation")).scalar() == "serializable"
    assert (await db.aexecute("SHOW statement_timeout")).scalar() == "4s"
    assert (await db.aexecute("SHOW work_mem")).scalar() == "8MB"
    assert (await db.aexecute("SHOW application_name")).scalar() == "fastjango-tests"
    await db.aclose()


def test_postgresql_time_zone_without_use_tz() -> None:
    with override_settings(USE_TZ=False, TIME_ZONE="Europe/Paris"):
        db = _server("postgres")
        assert db.execute("SHOW TimeZone").scalar() == "Europe/Paris"
        db.close()


def test_postgresql_configuration_errors() -> None:
    with pytest.raises(ImproperlyConfigured, match="Please supply the NAME"):
        _wrapper({"ENGINE": "fastjango.db.backends.postgresql"}).get_engine_url(False)
    with pytest.raises(ImproperlyConfigured, match="longer than PostgreSQL's limit"):
        _wrapper({"ENGINE": "fastjango.db.backends.postgresql", "NAME": "x" * 64}).get_engine_url(
            False
        )
    url = _wrapper(
        {"ENGINE": "fastjango.db.backends.postgresql", "OPTIONS": {"service": "mine"}}
    ).get_engine_url(False)
    assert url.database is None
    assert isolation_level_name("READ_COMMITTED") == "read committed"
    for bad in (9, "sometimes", 1.5):
        with pytest.raises(ImproperlyConfigured, match="isolation_level"):
            isolation_level_name(bad)
    args = _wrapper(
        {"ENGINE": "fastjango.db.backends.postgresql", "NAME": "x", "OPTIONS": {"ssl": object()}}
    ).get_connect_args(False)
    assert "ssl" not in args


# -- MySQL / MariaDB ---------------------------------------------------------------

# The servers CI runs are MariaDB, which spells it tx_isolation before 11.1.
_ISOLATION_VARIABLE = "tx_isolation"


def test_mysql_session_settings() -> None:
    db = _server("mysql")
    assert db.execute(f"SELECT @@SESSION.{_ISOLATION_VARIABLE}").scalar() == "READ-COMMITTED"
    assert db.execute("SELECT @@character_set_client").scalar() == "utf8mb4"
    assert db.mysql_is_mariadb is True  # type: ignore[attr-defined]
    assert db.features.is_mariadb is True  # type: ignore[attr-defined]
    assert db.features.minimum_database_version == (10, 5)
    assert db.features.can_return_columns_from_insert is True
    assert db.features.can_return_rows_from_bulk_insert is True
    assert db.features.has_select_for_update_skip_locked is True
    assert db.features.has_select_for_update_of is False
    assert db.location == "127.0.0.1:3306"
    db.close()


@pytest.mark.anyio
async def test_mysql_async_isolation() -> None:
    db = _server("mysql", isolation_level="repeatable read")
    level = (await db.aexecute(f"SELECT @@SESSION.{_ISOLATION_VARIABLE}")).scalar()
    assert level == "REPEATABLE-READ"
    await db.aclose()


def test_mysql_configuration() -> None:
    with pytest.raises(ImproperlyConfigured, match="isolation_level"):
        _wrapper({"ENGINE": "fastjango.db.backends.mysql", "OPTIONS": {"isolation_level": "x"}})
    db = _wrapper({"ENGINE": "fastjango.db.backends.mysql", "NAME": "d", "HOST": "/run/my.sock"})
    assert db.get_connect_args(False)["unix_socket"] == "/run/my.sock"
    assert db.get_engine_url(False).host is None


def test_features_of_sqlite_and_postgres() -> None:
    sqlite = _wrapper({"ENGINE": "fastjango.db.backends.sqlite3", "NAME": ":memory:"})
    assert sqlite.features.can_rollback_ddl and not sqlite.features.supports_timezones
    assert sqlite.features.max_query_params
    table = sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True))
    assert "INSERT" in str(sa.insert(table).compile(dialect=sqlite.dialect))


def test_mysql_integrity_codes_are_integrity_errors() -> None:
    # Django reads these OperationalErrors of MySQL/MariaDB as integrity violations.
    db = _server("mysql")
    table = f"fj_checked_{os.getpid()}"  # parallel test runs share the server
    db.execute(f"DROP TABLE IF EXISTS {table}")
    db.execute(f"CREATE TABLE {table} (x int NOT NULL, big bigint unsigned, CHECK (x > 0))")
    try:
        with pytest.raises(IntegrityError) as raised:
            db.execute(f"INSERT INTO {table} (x) VALUES (-1)")
        assert raised.value.args[0] in (3819, 4025)
        with pytest.raises(IntegrityError):
            db.execute(f"INSERT INTO {table} (x) VALUES (NULL)")
        db.execute(f"INSERT INTO {table} VALUES (1, 0)")
        with pytest.raises(IntegrityError) as raised:
            db.execute(f"UPDATE {table} SET big = big - 1")
        assert raised.value.args[0] == 1690
        # The same on the driver's own cursor (the ORM's cached statements, cursor()).
        insert = sa.text(f"INSERT INTO {table} (x) VALUES (-1)")
        direct = db.direct_statement(insert)
        assert direct is not None
        with pytest.raises(IntegrityError) as raised:
            db.execute_direct(direct, None, lambda cursor: cursor.rowcount)
        assert raised.value.args[0] in (3819, 4025)
        with db.cursor() as cursor, pytest.raises(IntegrityError):
            cursor.execute(f"INSERT INTO {table} (x) VALUES (-2)")
    finally:
        db.execute(f"DROP TABLE {table}")
        db.close()
