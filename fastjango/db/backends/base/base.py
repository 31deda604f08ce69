"""``BaseDatabaseWrapper``: one ``DATABASES`` alias, its engines, queries and raw cursors."""

from __future__ import annotations

import asyncio
import logging
import threading
import warnings
import weakref
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, asynccontextmanager, contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import anyio
import anyio.to_thread
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Connection, CursorResult, Dialect, Engine
from sqlalchemy.engine.cursor import CursorFetchStrategy, FullyBufferedCursorFetchStrategy
from sqlalchemy.pool import NullPool, PoolProxiedConnection
from sqlalchemy.sql.expression import Executable

from fastjango.conf import settings
from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.db.backends.base.atomic import AtomicMixin
from fastjango.db.backends.base.creation import BaseDatabaseCreation
from fastjango.db.backends.base.direct import DirectStatement, direct_statement
from fastjango.db.backends.base.features import BaseDatabaseFeatures
from fastjango.db.backends.base.operations import BaseDatabaseOperations
from fastjango.db.backends.base.transaction_state import TransactionState
from fastjango.db.backends.signals import connection_created
from fastjango.db.backends.utils import (
    CursorDebugWrapper,
    CursorWrapper,
    QueryLog,
    install_query_log,
)
from fastjango.db.utils import DatabaseErrorWrapper, Error, OperationalError
from fastjango.utils.asyncio import _THREADPOOL_SIZE, async_unsafe, run_in_threadpool

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

__all__ = ["BaseDatabaseWrapper"]

logger = logging.getLogger("fastjango.db.backends")
T = TypeVar("T")

Statement = Executable | str
Parameters = Mapping[str, Any] | Sequence[Mapping[str, Any]] | None

# Engine options a user may set through OPTIONS["pool"]: Django 5.1's psycopg
# pool names, and SQLAlchemy's own.
_POOL_KEYS = {
    "max_size": "pool_size",
    "timeout": "pool_timeout",
    "pool_size": "pool_size",
    "max_overflow": "max_overflow",
    "pool_timeout": "pool_timeout",
    "pool_use_lifo": "pool_use_lifo",
}
# The default pool: one connection per view thread, so that a busy server never
# closes a connection on check-in only to open another for the next request
# (connections are still opened on demand). The async engine gets as many, for
# as many requests in flight; the overflow is for bursts beyond that.
DEFAULT_POOL_SIZE = _THREADPOOL_SIZE
DEFAULT_MAX_OVERFLOW = 10
# Exceptions at connect time that mean the configuration is wrong, not the server.
_CONFIG_ERRORS = (ImproperlyConfigured, ImportError, TypeError)


def _running_loop(what: str) -> asyncio.AbstractEventLoop:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        raise RuntimeError(
            f"{what} is bound to the running event loop; use it from async code, or use the "
            "sync API from sync code."
        ) from None


async def _dispose_at_loop_end(
    wrapper_ref: weakref.ReferenceType[BaseDatabaseWrapper],
    loop: asyncio.AbstractEventLoop,
    engine: AsyncEngine,
) -> AsyncGenerator[None, None]:
    # Started once when the engine is made, so the loop tracks it; the loop's
    # shutdown_asyncgens() (asyncio.run, anyio, uvicorn) closes it, and the
    # pooled connections are closed while the loop still runs.
    try:
        yield
    finally:
        wrapper = wrapper_ref()
        if wrapper is not None:
            entry = wrapper._async_engines.get(loop)
            if entry is not None and entry[0] is engine:
                del wrapper._async_engines[loop]
            wrapper._query_logs.pop(engine.sync_engine, None)
        try:
            await engine.dispose()
        except Exception:
            logger.warning("Error while closing an async database engine.", exc_info=True)


def _buffered(result: CursorResult[Any]) -> CursorResult[Any]:
    # A sync driver's cursor may still be reading rows (sqlite3 steps through
    # them); fetch them now so the connection can go back to the pool.
    if result.returns_rows and type(result.cursor_strategy) is CursorFetchStrategy:
        result.cursor_strategy = FullyBufferedCursorFetchStrategy(
            result.cursor, result.cursor_strategy.alternate_cursor_description
        )
    return result


class BaseDatabaseWrapper(AtomicMixin):
    """The connection of one ``DATABASES`` alias: ``connections[alias]``.

    It owns one sync SQLAlchemy ``Engine`` and one ``AsyncEngine`` per event
    loop, both created lazily and pooled. Outside ``atomic()`` every statement
    runs in autocommit mode on a pooled connection; inside, on the block's
    connection (kept in a context variable, see ``AtomicMixin``).
    """

    vendor: ClassVar[str] = "unknown"
    display_name: str = "unknown"
    sync_drivername: ClassVar[str] = ""
    async_drivername: ClassVar[str] = ""
    features_class: ClassVar[type[BaseDatabaseFeatures]] = BaseDatabaseFeatures
    ops_class: ClassVar[type[BaseDatabaseOperations]] = BaseDatabaseOperations
    creation_class: ClassVar[type[BaseDatabaseCreation]] = BaseDatabaseCreation
    #: whether the pool may ping a connection before handing it out (with CONN_HEALTH_CHECKS)
    pre_ping: ClassVar[bool] = True
    #: run async statements outside atomic blocks on the sync engine in the thread pool:
    #: one hand-off per statement instead of one per DB-API call (aiosqlite)
    async_in_threads: ClassVar[bool] = False
    #: Django keeps the last 9000 queries
    queries_limit: ClassVar[int] = 9000

    def __init__(self, settings_dict: dict[str, Any], alias: str = "default") -> None:
        self.settings_dict = settings_dict
        self.alias = alias
        self.queries_log: deque[dict[str, str]] = deque(maxlen=self.queries_limit)
        self._force_debug_cursor = False
        # DEBUG as last seen: read here and again when setting_changed says it changed,
        # never per statement.
        self._debug = bool(settings.DEBUG)
        self._query_logs: dict[Engine, QueryLog] = {}
        # Open CaptureQueriesContext blocks: request_started leaves the log alone meanwhile.
        self._capturing_queries = 0
        self._sync_engine: Engine | None = None
        self._async_engines: dict[asyncio.AbstractEventLoop, tuple[AsyncEngine, Any]] = {}
        self._lock = threading.Lock()
        self._transaction: ContextVar[TransactionState | None] = ContextVar(
            f"fastjango.db.transaction.{alias}", default=None
        )
        self.features = self.features_class(self)
        self.ops = self.ops_class(self)
        self.creation = self.creation_class(self)

    def __repr__(self) -> str:
        return f"<{type(self).__qualname__} vendor={self.vendor!r} alias={self.alias!r}>"

    # -- configuration a vendor fills in -----------------------------------

    def get_engine_url(self, is_async: bool, database: str | None = None) -> URL:
        """Return the SQLAlchemy URL for the sync or async driver (``database`` overrides NAME)."""
        s = self.settings_dict
        return URL.create(
            self.async_drivername if is_async else self.sync_drivername,
            username=s["USER"] or None,
            password=s["PASSWORD"] or None,
            host=s["HOST"] or None,
            port=int(s["PORT"]) if s["PORT"] else None,
            database=(s["NAME"] if database is None else database) or None,
        )

    def get_connect_args(self, is_async: bool) -> dict[str, Any]:
        """Return the keyword arguments for the driver's ``connect()`` (from OPTIONS)."""
        return {k: v for k, v in self.settings_dict["OPTIONS"].items() if k != "pool"}

    def get_engine_options(self) -> dict[str, Any]:
        """Return ``create_engine`` options: autocommit, pooling, health checks, recycle.

        The pool keeps up to ``DEFAULT_POOL_SIZE`` connections (one per view
        thread) plus ``DEFAULT_MAX_OVERFLOW`` for bursts; ``OPTIONS["pool"]``
        overrides both. With ``CONN_HEALTH_CHECKS`` a connection is pinged
        each time the pool hands it out.
        """
        options: dict[str, Any] = {
            # Driver-level autocommit, as Django runs; atomic() sends BEGIN itself.
            "isolation_level": "AUTOCOMMIT",
            "skip_autocommit_rollback": True,
            "pool_pre_ping": self.pre_ping and bool(self.settings_dict.get("CONN_HEALTH_CHECKS")),
            # The ORM needs rowcount of INSERT ... RETURNING and of executemany too.
            "execution_options": {"preserve_rowcount": True},
        }
        max_age = self.settings_dict["CONN_MAX_AGE"]
        if max_age:
            options["pool_recycle"] = int(max_age)
        pool = self.settings_dict["OPTIONS"].get("pool", True)
        if pool is False:
            options["poolclass"] = NullPool
            return options
        if pool is not True and not isinstance(pool, dict):
            raise ImproperlyConfigured(
                f"DATABASES[{self.alias!r}]['OPTIONS']['pool'] must be True, False or a dict."
            )
        options["pool_size"] = DEFAULT_POOL_SIZE
        options["max_overflow"] = DEFAULT_MAX_OVERFLOW
        if isinstance(pool, dict):
            for key, value in pool.items():
                if key == "min_size":
                    continue  # SQLAlchemy's pool opens connections on demand
                if key not in _POOL_KEYS:
                    raise ImproperlyConfigured(
                        f"DATABASES[{self.alias!r}]['OPTIONS']['pool'] has an unknown key "
                        f"{key!r}; use any of: {', '.join(sorted(_POOL_KEYS))}."
                    )
                options[_POOL_KEYS[key]] = value
            if "max_size" in pool and "max_overflow" not in pool:
                # Django's max_size is the ceiling: no overflow on top of it.
                options["max_overflow"] = 0
        return options

    def init_connection(self, dbapi_connection: Any, is_async: bool) -> None:
        """Prepare a new DB-API connection (vendors set pragmas or session settings here)."""

    @property
    def location(self) -> str:
        """Return where the server is, for error messages (``host:port`` or a file)."""
        s = self.settings_dict
        return f"{s['HOST'] or 'localhost'}:{s['PORT'] or 'default port'}"

    # -- engines -----------------------------------------------------------

    def _on_new_connection(self, is_async: bool) -> Any:
        def listener(dbapi_connection: Any, connection_record: Any) -> None:
            self.init_connection(dbapi_connection, is_async)
            connection_created.send(
                sender=type(self),
                connection=self,
                dbapi_connection=dbapi_connection,
                is_async=is_async,
            )

        return listener

    @property
    def sync_engine(self) -> Engine:
        """Return the sync SQLAlchemy Engine, creating it on first use."""
        engine = self._sync_engine
        if engine is None:
            with self._lock:
                if self._sync_engine is None:
                    self._sync_engine = create_engine(
                        self.get_engine_url(is_async=False),
                        connect_args=self.get_connect_args(is_async=False),
                        **self.get_engine_options(),
                    )
                    event.listen(self._sync_engine, "connect", self._on_new_connection(False))
                    self._query_logs[self._sync_engine] = install_query_log(self._sync_engine, self)
                engine = self._sync_engine
        return engine

    @property
    def async_engine(self) -> AsyncEngine:
        """Return the AsyncEngine of the running event loop, creating it on first use.

        Async drivers bind connections to a loop, so each loop gets its own
        engine, disposed when that loop shuts down.
        """
        loop = _running_loop("connection.async_engine")
        entry = self._async_engines.get(loop)
        if entry is not None:
            return entry[0]
        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_async_engine(
            self.get_engine_url(is_async=True),
            connect_args=self.get_connect_args(is_async=True),
            **self.get_engine_options(),
        )
        event.listen(engine.sync_engine, "connect", self._on_new_connection(True))
        with self._lock:
            self._query_logs[engine.sync_engine] = install_query_log(engine.sync_engine, self)
        guard = _dispose_at_loop_end(weakref.ref(self), loop, engine)
        try:
            # Run it to its first yield: that registers it with the loop.
            guard.asend(None).send(None)
        except StopIteration:
            pass
        self._async_engines[loop] = (engine, guard)
        return engine

    @property
    def dialect(self) -> Dialect:
        """Return the SQLAlchemy dialect of the sync engine (for compiling and inspecting)."""
        return self.sync_engine.dialect

    @property
    def Database(self) -> Any:
        """Return the sync driver's DB-API module (Django's attribute name)."""
        return self.dialect.loaded_dbapi

    @property
    def wrap_database_errors(self) -> DatabaseErrorWrapper:
        """Return a context manager that re-raises driver errors as ``fastjango.db`` ones."""
        return DatabaseErrorWrapper(self)

    def _connect_error(self, exc: Exception) -> Exception:
        import sqlalchemy.exc as sa_exc

        if isinstance(exc, (*_CONFIG_ERRORS, sa_exc.ArgumentError)):
            return exc
        if isinstance(exc, sa_exc.TimeoutError):
            error = OperationalError(
                f"timed out waiting for a free pooled connection to database '{self.alias}': "
                f"{exc}. Raise OPTIONS['pool'] sizes or hold connections for less time."
            )
            error.__cause__ = exc
            return error
        orig: BaseException = exc
        if isinstance(exc, sa_exc.DBAPIError) and exc.orig is not None:
            orig = exc.orig
        detail = str(orig).strip() or type(orig).__name__
        error = OperationalError(
            f"could not connect to database '{self.alias}' at {self.location}: {detail}"
        )
        error.__cause__ = orig
        return error

    def _checkout(self) -> Connection:
        engine = self.sync_engine
        try:
            return engine.connect()
        except Exception as exc:
            error = self._connect_error(exc)
            if error is exc:
                raise
            raise error from error.__cause__

    def _raw_checkout(self) -> PoolProxiedConnection:
        try:
            return self.sync_engine.raw_connection()
        except Exception as exc:
            error = self._connect_error(exc)
            if error is exc:
                raise
            raise error from error.__cause__

    async def _acheckout(self) -> AsyncConnection:
        engine = self.async_engine
        try:
            return await engine.connect()
        except Exception as exc:
            error = self._connect_error(exc)
            if error is exc:
                raise
            raise error from error.__cause__

    # -- running statements ------------------------------------------------

    @contextmanager
    def _sync_connection(self) -> Iterator[Connection]:
        conn, checked_out = self._statement_connection()
        try:
            with self.wrap_database_errors:
                yield conn
        finally:
            if checked_out:
                conn.close()

    def _statement_connection(self) -> tuple[Connection, bool]:
        """Return the connection a sync statement runs on, and whether it was checked out.

        Inside ``atomic()`` it is the block's; otherwise a pooled one the caller closes.
        """
        state = self._transaction.get()
        if state is not None:
            self._check_state(state, is_async=False)
            return state.connection, False
        return self._checkout(), True

    @async_unsafe(
        "connection.connect() cannot be used in an async context: use "
        "'async with connection.aconnect()' instead."
    )
    def connect(self) -> AbstractContextManager[Connection]:
        """Return a context manager yielding the SQLAlchemy Connection to run statements on.

        Inside ``atomic()`` it is the block's connection; otherwise a pooled
        connection in autocommit mode, returned to the pool on exit. Never
        call ``commit()``/``rollback()``/``begin()`` on it: use ``atomic()``.
        """
        return self._sync_connection()

    @asynccontextmanager
    async def aconnect(self) -> AsyncIterator[AsyncConnection]:
        """Async twin of ``connect()``: yield the AsyncConnection to run statements on."""
        state = self._transaction.get()
        if state is not None:
            self._check_state(state, is_async=True)
            with self.wrap_database_errors:
                yield state.connection
            return
        conn = await self._acheckout()
        try:
            with self.wrap_database_errors:
                yield conn
        finally:
            with anyio.CancelScope(shield=True):
                await conn.close()

    @staticmethod
    def _executable(statement: Statement) -> Executable:
        if isinstance(statement, str):
            return text(statement)
        if not isinstance(statement, Executable):
            raise TypeError(
                f"execute() takes a SQLAlchemy statement or a SQL string, not "
                f"{type(statement).__name__}."
            )
        return statement

    @async_unsafe(
        "connection.execute() cannot be called from an async context: use "
        "'await connection.aexecute()' instead."
    )
    def execute(self, statement: Statement, params: Parameters = None) -> CursorResult[Any]:
        """Run one statement (Core construct or SQL text with ``:name`` binds); return its result.

        Rows are buffered, so the result stays readable after the connection
        goes back to the pool. A list of dicts as ``params`` runs it once per dict.
        """
        executable = statement if isinstance(statement, Executable) else self._executable(statement)
        return self._run(executable, params)

    def _run(self, executable: Executable, params: Parameters) -> CursorResult[Any]:
        # Every sync ORM query comes through here: _sync_connection() inlined, since a
        # generator-based context manager costs a few microseconds per statement.
        conn, checked_out = self._statement_connection()
        try:
            with self.wrap_database_errors:
                return _buffered(conn.execute(executable, params))
        finally:
            if checked_out:
                conn.close()

    def direct_statement(
        self,
        statement: Executable,
        slot_names: frozenset[str] = frozenset(),
        column_keys: list[str] | None = None,
    ) -> DirectStatement | None:
        """Return ``statement`` ready for ``execute_direct()``, or None if it can't be.

        Compiled for the sync engine's dialect (``direct_dialect()``), which
        must have met the server first: some SQL depends on its version.
        """
        dialect = self.sync_engine.dialect
        if getattr(dialect, "server_version_info", None) is None:
            self._raw_checkout().close()
        return direct_statement(statement, dialect, slot_names, column_keys)

    def direct_dialect(self) -> Dialect:
        """Return the dialect ``direct_statement()`` compiles for: keep statements per dialect.

        An alias gets a new engine (and dialect) when ``DATABASES`` changes.
        """
        return self.sync_engine.dialect

    def runs_direct(self) -> bool:
        """Return whether ``execute_direct()`` may run statements now.

        Not while the engine has event listeners (the query log, or a user's
        instrumentation): they must see every statement.
        """
        return not self.sync_engine._has_events

    def execute_direct(
        self, direct: DirectStatement, params: Mapping[str, Any] | None, read: Callable[[Any], T]
    ) -> T:
        """Run ``direct`` on the driver's cursor and return ``read(cursor)``.

        On the atomic block's connection, or a pooled one; errors are ours, as
        with ``execute()``. Check ``runs_direct()`` first.
        """
        state = self._transaction.get()
        if state is not None:
            self._check_state(state, is_async=False)
            raw = state.connection.connection
            pooled = False
        else:
            raw = self._raw_checkout()
            pooled = True
        cursor = None
        try:
            with self.wrap_database_errors:
                cursor = raw.cursor()
                cursor.execute(direct.sql, direct.arguments(params))
                return read(cursor)
        except Exception as exc:
            if self.is_disconnect(exc, cursor):
                # As SQLAlchemy does on a lost connection: this one must not go back to
                # the pool, and the pool's older connections are replaced when next
                # checked out (a server restart dropped them too).
                self.sync_engine.pool._invalidate(raw, exc, _checkin=pooled)
                if state is not None:
                    state.connection.invalidate(exc)
                pooled = False
            raise
        finally:
            if cursor is not None:
                cursor.close()
            if pooled:
                raw.close()

    async def aexecute(self, statement: Statement, params: Parameters = None) -> CursorResult[Any]:
        """Async twin of ``execute()``."""
        executable = self._executable(statement)
        if self.async_in_threads and self._transaction.get() is None:
            return await run_in_threadpool(self._run, executable, params)
        async with self.aconnect() as conn:
            return await conn.execute(executable, params)

    def prepare_cursor_query(self, sql: str, params: Any) -> tuple[str, Any]:
        """Return the query and parameters a raw cursor sends for Django-style ``%s`` SQL."""
        return sql, params

    def is_disconnect(self, exc: BaseException, cursor: Any = None) -> bool:
        """Return whether ``exc`` (ours or the driver's) means the connection is lost."""
        orig = exc.__cause__ if isinstance(exc, Error) and exc.__cause__ is not None else exc
        if not isinstance(orig, self.Database.Error):
            return False
        dbapi_connection = getattr(cursor, "connection", None)
        return bool(self.dialect.is_disconnect(orig, dbapi_connection, cursor))

    @async_unsafe(
        "connection.cursor() cannot be used in an async context: use "
        "'await connection.aexecute()' instead."
    )
    def cursor(self) -> CursorWrapper:
        """Return a DB-API cursor wrapper that takes Django's ``%s`` placeholders."""
        state = self._transaction.get()
        release = None
        if state is not None:
            self._check_state(state, is_async=False)
            raw = state.connection.connection
        else:
            try:
                raw = self.sync_engine.raw_connection()
            except Exception as exc:
                error = self._connect_error(exc)
                if error is exc:
                    raise
                raise error from error.__cause__

            def release(exc: BaseException | None) -> None:
                if exc is not None:
                    raw.invalidate(exc)
                raw.close()

        try:
            with self.wrap_database_errors:
                cursor = raw.cursor()
        except BaseException:
            if release is not None:
                release(None)
            raise
        wrapper_class = CursorDebugWrapper if self.queries_logged else CursorWrapper
        return wrapper_class(cursor, self, release)

    # -- connection health -------------------------------------------------

    @async_unsafe(
        "connection.ensure_connection() cannot be called from an async context: use "
        "'await connection.aensure_connection()' instead."
    )
    def ensure_connection(self) -> None:
        """Check out a connection and give it back: raise OperationalError if unreachable."""
        if self._transaction.get() is None:
            self._checkout().close()

    async def aensure_connection(self) -> None:
        """Async twin of ``ensure_connection()``."""
        if self._transaction.get() is None:
            conn = await self._acheckout()
            await conn.close()

    def is_usable(self) -> bool:
        """Return whether the database answers now."""
        try:
            self.ensure_connection()
        except Error:
            return False
        return True

    def initialized_dialect(self) -> Dialect:
        """Return a dialect that has met the server, connecting (sync) if none has yet."""
        dialects = [engine.sync_engine.dialect for engine, _ in self._async_engines.values()]
        if self._sync_engine is not None:
            dialects.insert(0, self._sync_engine.dialect)
        for dialect in dialects:
            if dialect.server_version_info is not None:
                return dialect
        self.ensure_connection()
        return self.sync_engine.dialect

    @property
    def server_version_info(self) -> tuple[Any, ...]:
        """Return the server's version as a tuple, e.g. ``(15, 4)``."""
        return tuple(self.initialized_dialect().server_version_info or ())

    # -- closing -----------------------------------------------------------

    def dispose_sync_engine(self) -> None:
        """Close the sync engine's pooled connections and forget the engine."""
        with self._lock:
            engine, self._sync_engine = self._sync_engine, None
            if engine is not None:
                self._query_logs.pop(engine, None)
        if engine is not None:
            engine.dispose()

    @async_unsafe(
        "connection.close() cannot be called from an async context: use "
        "'await connection.aclose()' instead."
    )
    def close(self) -> None:
        """Close the sync engine's pool; engines are made again on next use."""
        self.validate_no_atomic_block()
        self.dispose_sync_engine()

    async def aclose(self) -> None:
        """Close this loop's async engine and the sync engine (at app shutdown)."""
        self.validate_no_atomic_block()
        loop = asyncio.get_running_loop()
        entry = self._async_engines.pop(loop, None)
        if entry is not None:
            await entry[1].aclose()
        if self._sync_engine is not None:
            await anyio.to_thread.run_sync(self.dispose_sync_engine)

    def close_if_unusable_or_obsolete(self) -> None:
        """Drop a transaction this context left open (an ``atomic`` entered, never exited).

        Pooled connections need nothing more: their age (CONN_MAX_AGE) and
        health are checked each time the pool hands one out.
        """
        state = self._transaction.get()
        if state is None or state.is_async:
            return
        self._transaction.set(None)
        logger.warning("Rolling back a transaction left open on database '%s'.", self.alias)
        conn: Connection = state.connection
        try:
            conn.exec_driver_sql(self.ops.rollback_sql())
        except Exception:
            conn.invalidate()
        finally:
            conn.close()

    # -- query log ---------------------------------------------------------

    @property
    def queries_logged(self) -> bool:
        """Return whether statements are being recorded (DEBUG or ``force_debug_cursor``)."""
        return self._force_debug_cursor or self._debug

    @property
    def force_debug_cursor(self) -> bool:
        """Return whether statements are recorded whatever DEBUG says (Django's flag)."""
        return self._force_debug_cursor

    @force_debug_cursor.setter
    def force_debug_cursor(self, value: bool) -> None:
        self._force_debug_cursor = bool(value)
        self._update_query_log()

    def debug_changed(self, debug: bool) -> None:
        """Record or stop recording statements as the ``DEBUG`` setting now says."""
        self._debug = bool(debug)
        self._update_query_log()

    def _update_query_log(self) -> None:
        logged = self.queries_logged
        with self._lock:
            for log in self._query_logs.values():
                if log.active is not logged:
                    log.set_active(logged)

    @property
    def queries(self) -> list[dict[str, str]]:
        """Return the recorded statements as ``{"sql": ..., "time": "0.001"}`` dicts."""
        if len(self.queries_log) == self.queries_log.maxlen:
            warnings.warn(
                f"Limit for query logging exceeded, only the last {self.queries_log.maxlen} "
                "queries will be returned.",
                stacklevel=2,
            )
        return list(self.queries_log)
