"""DB-API cursor wrappers and the DEBUG query log."""

from __future__ import annotations

import datetime
import decimal
import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import event

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine, ExecutionContext
    from sqlalchemy.engine.interfaces import ExceptionContext

    from fastjango.db.backends.base.base import BaseDatabaseWrapper

__all__ = [
    "CursorDebugWrapper",
    "CursorWrapper",
    "QueryLog",
    "install_query_log",
    "render_sql",
]

logger = logging.getLogger("fastjango.db.backends")

Params = Sequence[Any] | Mapping[str, Any] | None

# One pattern per DB-API paramstyle; quoted literals and identifiers are matched
# first so that a "?" or ":x" inside them is left alone.
_QUOTED = r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\""
_PLACEHOLDERS = {
    "qmark": re.compile(rf"{_QUOTED}|(\?)"),
    "format": re.compile(rf"{_QUOTED}|(%s)|(%%)"),
    "pyformat": re.compile(rf"{_QUOTED}|%\((\w+)\)s|(%s)|(%%)"),
    "named": re.compile(rf"{_QUOTED}|(?<!:):(\w+)"),
    "numeric": re.compile(rf"{_QUOTED}|(?<!:):(\d+)"),
    "numeric_dollar": re.compile(rf"{_QUOTED}|\$(\d+)"),
}


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float | decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return f"X'{bytes(value).hex()}'"
    if isinstance(value, datetime.date | datetime.time):
        value = value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else value
    text = str(value).replace("'", "''")
    return f"'{text}'"


def render_sql(statement: str, params: Any, paramstyle: str) -> str:
    """Return ``statement`` with ``params`` written in as literals, for the query log only.

    The result is for people reading ``connection.queries``; it is never executed.
    """
    if not params:
        return statement
    pattern = _PLACEHOLDERS.get(paramstyle)
    if pattern is None:
        return f"{statement} -- params: {params!r}"
    positions = iter(params) if not isinstance(params, Mapping) else iter(())

    def replace(match: re.Match[str]) -> str:
        groups = [g for g in match.groups() if g is not None]
        if not groups:
            return match.group(0)  # a quoted literal
        token = groups[0]
        try:
            if token == "%%":
                return "%"
            if token in ("?", "%s"):
                return _literal(next(positions))
            if isinstance(params, Mapping):
                return _literal(params[token])
            return _literal(params[int(token) - 1])
        except (StopIteration, KeyError, IndexError, ValueError):
            return match.group(0)

    return pattern.sub(replace, statement)


def _record(wrapper: BaseDatabaseWrapper, sql: str, start: float, many: int | None) -> None:
    duration = time.perf_counter() - start
    if many is not None:
        sql = f"{many} times: {sql}"
    wrapper.queries_log.append({"sql": sql, "time": f"{duration:.3f}"})
    logger.debug(
        "(%.3f) %s; alias=%s",
        duration,
        sql,
        wrapper.alias,
        extra={"duration": duration, "sql": sql, "alias": wrapper.alias},
    )


class QueryLog:
    """The listeners that record one engine's statements in a wrapper's ``queries_log``.

    An engine with any statement listener sends every statement down
    SQLAlchemy's slower event path (measured 58 against 84 us for a 20-row
    SELECT on SQLite), even when the listeners have nothing to do. So while
    queries aren't logged the engine's event flag is cleared (unless other
    code listens to it too) and the listeners aren't called at all. They stay
    registered: removing a listener while another thread runs the event's
    listeners would break that thread's statement.
    """

    def __init__(self, engine: Engine, wrapper: BaseDatabaseWrapper) -> None:
        self.engine = engine
        self.active = False
        paramstyle = engine.dialect.paramstyle

        def before(
            conn: Connection,
            cursor: Any,
            statement: str,
            parameters: Any,
            context: ExecutionContext | None,
            executemany: bool,
        ) -> None:
            if self.active:
                conn.info["fastjango.query_start"] = time.perf_counter()

        def finish(conn: Connection, statement: str, parameters: Any, executemany: bool) -> None:
            start = conn.info.pop("fastjango.query_start", None)
            if start is None:
                return
            if executemany:
                # Drivers give a list of parameter sets; an "insertmanyvalues" batch with
                # RETURNING arrives as one dict of numbered parameters instead.
                batch = isinstance(parameters, list | tuple) and (
                    not parameters or isinstance(parameters[0], list | tuple | Mapping)
                )
                sample = (parameters[0] if parameters else None) if batch else parameters
                sql = render_sql(statement, sample, paramstyle)
                _record(wrapper, sql, start, len(parameters) if batch else 1)
            else:
                _record(wrapper, render_sql(statement, parameters, paramstyle), start, None)

        def after(
            conn: Connection,
            cursor: Any,
            statement: str,
            parameters: Any,
            context: ExecutionContext | None,
            executemany: bool,
        ) -> None:
            finish(conn, statement, parameters, executemany)

        def on_error(ctx: ExceptionContext) -> None:
            # Django logs a statement even when it fails.
            if ctx.connection is not None and ctx.statement is not None:
                many = ctx.execution_context is not None and ctx.execution_context.executemany
                finish(ctx.connection, ctx.statement, ctx.parameters, many)

        listeners: list[tuple[str, Callable[..., None]]] = [
            ("before_cursor_execute", before),
            ("after_cursor_execute", after),
            ("handle_error", on_error),
        ]
        before_count = self._registered()
        for identifier, listener in listeners:
            event.listen(engine, identifier, listener)
        # handle_error is a dialect event: it doesn't count on the engine.
        self._own = self._registered() - before_count
        self.set_active(False)

    def _registered(self) -> int:
        dispatch = self.engine.dispatch
        names = cast("list[str]", dispatch._event_names)
        return sum(len(getattr(dispatch, name)) for name in names)

    def set_active(self, active: bool) -> None:
        """Start or stop recording (statements on already open connections included)."""
        self.active = active
        engine = self.engine
        if active:
            engine._has_events = True
            return
        # SQLAlchemy never clears the flag a listener sets; clear it when no
        # listener but ours is registered, so statements take the fast path.
        engine._has_events = self._registered() > self._own


def install_query_log(engine: Engine, wrapper: BaseDatabaseWrapper) -> QueryLog:
    """Register ``engine``'s query log for ``wrapper``, recording if queries are logged now.

    For an AsyncEngine pass its ``sync_engine``: the events fire there too.
    """
    log = QueryLog(engine, wrapper)
    if wrapper.queries_logged:
        log.set_active(True)
    return log


class CursorWrapper:
    """A DB-API cursor that takes Django's ``%s`` placeholders and raises our errors.

    ``cursor.execute(sql, params)``, ``executemany``, ``fetchone``,
    ``fetchmany``, ``fetchall``, ``description``, ``rowcount``, ``lastrowid``,
    iteration, ``close()`` and ``with`` work as on Django's cursor; anything
    else is passed to the driver's cursor.
    """

    def __init__(
        self,
        cursor: Any,
        db: BaseDatabaseWrapper,
        release: Callable[[BaseException | None], None] | None = None,
    ) -> None:
        self.cursor = cursor
        self.db = db
        self._release = release
        self.closed = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.cursor, name)

    def __iter__(self) -> Iterator[Any]:
        with self.db.wrap_database_errors:
            yield from self.cursor

    def __enter__(self) -> CursorWrapper:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _run(self, func: Callable[[], Any]) -> Any:
        if self.closed:
            from fastjango.db.utils import InterfaceError

            raise InterfaceError("Cursor already closed.")
        try:
            with self.db.wrap_database_errors:
                return func()
        except Exception as exc:
            if self._release is not None and self.db.is_disconnect(exc, self.cursor):
                # A lost connection must not go back to the pool.
                self._release(exc)
                self._release = None
                self.closed = True
            raise

    def execute(self, sql: str, params: Params = None) -> Any:
        """Run one statement; ``params`` fill its ``%s`` (or ``%(name)s``) placeholders."""
        if params is None:
            return self._run(lambda: self.cursor.execute(sql))
        query, converted = self.db.prepare_cursor_query(sql, params)
        return self._run(lambda: self.cursor.execute(query, converted))

    def executemany(self, sql: str, param_list: Sequence[Params]) -> Any:
        """Run one statement once per parameter set."""
        param_list = list(param_list)
        if not param_list:
            return None
        query = self.db.prepare_cursor_query(sql, param_list[0])[0]
        converted = [self.db.prepare_cursor_query(sql, p)[1] for p in param_list]
        return self._run(lambda: self.cursor.executemany(query, converted))

    def fetchone(self) -> Any:
        """Return the next row, or None."""
        return self._run(self.cursor.fetchone)

    def fetchmany(self, size: int | None = None) -> list[Any]:
        """Return up to ``size`` rows (the cursor's ``arraysize`` by default)."""
        if size is None:
            return list(self._run(self.cursor.fetchmany))
        return list(self._run(lambda: self.cursor.fetchmany(size)))

    def fetchall(self) -> list[Any]:
        """Return every remaining row."""
        return list(self._run(self.cursor.fetchall))

    @property
    def description(self) -> Any:
        """Return the DB-API column description of the last result."""
        return self.cursor.description

    @property
    def rowcount(self) -> int:
        """Return the number of rows the last statement produced or changed."""
        return int(self.cursor.rowcount)

    @property
    def lastrowid(self) -> Any:
        """Return the row id of the last inserted row, where the driver knows it."""
        return self.cursor.lastrowid

    def close(self) -> None:
        """Close the cursor and give its connection back to the pool (outside atomic)."""
        if self.closed:
            return
        self.closed = True
        try:
            self.cursor.close()
        finally:
            if self._release is not None:
                release, self._release = self._release, None
                release(None)


class CursorDebugWrapper(CursorWrapper):
    """A ``CursorWrapper`` that records each statement in ``connection.queries``."""

    def execute(self, sql: str, params: Params = None) -> Any:
        start = time.perf_counter()
        try:
            return super().execute(sql, params)
        finally:
            _record(self.db, render_sql(sql, params, "pyformat"), start, None)

    def executemany(self, sql: str, param_list: Sequence[Params]) -> Any:
        param_list = list(param_list)
        start = time.perf_counter()
        try:
            return super().executemany(sql, param_list)
        finally:
            sample = param_list[0] if param_list else None
            _record(self.db, render_sql(sql, sample, "pyformat"), start, len(param_list))
