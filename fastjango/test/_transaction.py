"""The transaction a test runs in: one connection per alias, shared by the whole process.

Django runs a test, its test client and the views on one thread, so one
connection sees the rows the test wrote and never committed. Here the sync
test client runs the application on its own event-loop thread, sync views run
in worker threads and async tests run on a loop. So the transaction a test
opens is installed as the *default* value of the alias's transaction context
variable: every thread and task that hasn't opened a block of its own runs on
it. Sync callers get the SQLAlchemy ``Connection``; code on a running event
loop gets an ``AsyncConnection`` look-alike over the same connection.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from fastjango.db import DEFAULT_DB_ALIAS, connections, transaction
from fastjango.db.backends.base.transaction_state import TransactionState

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, CursorResult, Dialect, Engine
    from sqlalchemy.ext.asyncio import AsyncResult, AsyncScalarResult

    from fastjango.db.backends.base.base import BaseDatabaseWrapper

__all__ = [
    "AsyncConnectionAdapter",
    "CaptureOnCommitCallbacks",
    "SharedTransactionState",
    "TestTransaction",
]

logger = logging.getLogger("fastjango.test")


def _on_event_loop() -> bool:
    return asyncio._get_running_loop() is not None


def _buffer(result: CursorResult[Any]) -> CursorResult[Any]:
    from fastjango.db.backends.base.base import _buffered

    return _buffered(result)


class AsyncConnectionAdapter:
    """The async face of a test transaction's sync connection.

    Each call runs at once on the calling thread. That blocks the event loop for
    the length of a statement, which a test can afford, and it keeps one
    connection, hence one transaction, for sync and async code alike. It has the
    part of ``AsyncConnection`` that FastJango uses.
    """

    def __init__(self, connection: Connection) -> None:
        self.sync_connection = connection

    @property
    def sync_engine(self) -> Engine:
        """Return the sync engine the connection came from."""
        return self.sync_connection.engine

    @property
    def dialect(self) -> Dialect:
        """Return the connection's dialect."""
        return self.sync_connection.dialect

    @property
    def info(self) -> dict[Any, Any]:
        """Return the DB-API connection's ``info`` dict."""
        return self.sync_connection.info

    def in_transaction(self) -> bool:
        """Return True: a test transaction is always open."""
        return True

    async def execute(
        self,
        statement: Any,
        parameters: Any = None,
        *,
        execution_options: Any = None,
    ) -> CursorResult[Any]:
        """Run a statement and return its buffered result."""
        result = self.sync_connection.execute(
            statement, parameters, execution_options=execution_options
        )
        return _buffer(result)

    async def exec_driver_sql(
        self, statement: str, parameters: Any = None, execution_options: Any = None
    ) -> CursorResult[Any]:
        """Run a SQL string in the driver's own parameter style."""
        result = self.sync_connection.exec_driver_sql(statement, parameters, execution_options)
        return _buffer(result)

    async def scalar(self, statement: Any, parameters: Any = None, **kwargs: Any) -> Any:
        """Return the first column of the first row."""
        return self.sync_connection.scalar(statement, parameters, **kwargs)

    async def scalars(self, statement: Any, parameters: Any = None, **kwargs: Any) -> Any:
        """Return the first column of every row."""
        result = await self.execute(statement, parameters, **kwargs)
        return result.scalars()

    async def stream(
        self, statement: Any, parameters: Any = None, *, execution_options: Any = None
    ) -> AsyncResult[Any]:
        """Run a statement with a server-side cursor; return an ``AsyncResult`` over it."""
        from sqlalchemy.ext.asyncio import AsyncResult

        options = {**(execution_options or {}), "stream_results": True}
        result = self.sync_connection.execute(statement, parameters, execution_options=options)
        return AsyncResult(result)

    async def stream_scalars(
        self, statement: Any, parameters: Any = None, *, execution_options: Any = None
    ) -> AsyncScalarResult[Any]:
        """Stream the first column of every row."""
        result = await self.stream(statement, parameters, execution_options=execution_options)
        return result.scalars()

    async def run_sync(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Call ``fn(sync_connection, *args, **kwargs)``."""
        return fn(self.sync_connection, *args, **kwargs)

    async def get_raw_connection(self) -> Any:
        """Return the pooled DB-API connection."""
        return self.sync_connection.connection

    async def invalidate(self, exception: BaseException | None = None) -> None:
        """Invalidate the underlying connection (it is lost)."""
        self.sync_connection.invalidate(exception)

    async def close(self) -> None:
        """Do nothing: the test transaction owns the connection and closes it."""


class SharedTransactionState(TransactionState):
    """A ``TransactionState`` that is sync or async as its caller is.

    On a running event loop it reports ``is_async`` and hands out an
    ``AsyncConnectionAdapter``; elsewhere it hands out the sync connection.
    """

    def __init__(self, connection: Connection) -> None:
        self._sync_connection = connection
        self._async_connection = AsyncConnectionAdapter(connection)
        super().__init__(connection, is_async=False)

    @property
    def connection(self) -> Any:
        if _on_event_loop():
            return self._async_connection
        return self._sync_connection

    @connection.setter
    def connection(self, value: Any) -> None:
        self._sync_connection = value

    @property
    def is_async(self) -> bool:
        return _on_event_loop()

    @is_async.setter
    def is_async(self, value: bool) -> None:
        # Decided per call, by the caller's thread.
        del value


def _testcase_atomic(alias: str) -> transaction.Atomic:
    block = transaction.atomic(using=alias)
    # Durable blocks may nest in a test's transaction (Django's rule).
    block._from_testcase = True
    return block


class TestTransaction:
    """The transaction (or, nested in one, the savepoint) a test runs in on one alias.

    The outermost one is seen by every thread and task of the process; end it
    with ``rollback()``, in the thread that began it.
    """

    __test__ = False  # not a test class, whatever pytest thinks of the name

    def __init__(self, alias: str = DEFAULT_DB_ALIAS) -> None:
        self.alias = alias
        self.wrapper: BaseDatabaseWrapper = connections[alias]
        self._block: transaction.Atomic | None = None
        self._state: SharedTransactionState | None = None
        self._variable: ContextVar[TransactionState | None] | None = None
        if self.wrapper._transaction.get() is not None:
            # Inside a test's transaction already (a TestCase's class-level one).
            self._block = _testcase_atomic(alias)
            self._block.__enter__()
            return
        wrapper = self.wrapper
        conn = wrapper._checkout()
        try:
            with wrapper.wrap_database_errors:
                conn.exec_driver_sql(wrapper.ops.start_transaction_sql())
        except BaseException:
            conn.close()
            raise
        state = self._state = SharedTransactionState(conn)
        state.atomic_blocks.append(_testcase_atomic(alias))
        self._variable = wrapper._transaction
        # request_started/finished run close_old_connections() on the event loop, where
        # this state reports itself async: that leaves it alone, as Django's test
        # client does by disconnecting the receiver.
        wrapper._transaction = ContextVar(self._variable.name, default=state)

    @property
    def needs_rollback(self) -> bool:
        """Return whether the test broke the transaction (a query failed in it)."""
        return self.wrapper.needs_rollback

    def rollback(self) -> None:
        """Undo everything the test wrote and let go of the connection."""
        if self._block is not None:
            self.wrapper.set_rollback(True)
            self._block.__exit__(None, None, None)
            self._block = None
            return
        state, variable = self._state, self._variable
        if state is None or variable is None:
            return
        self._state = self._variable = None
        self.wrapper._transaction = variable
        conn = state._sync_connection
        try:
            with self.wrapper.wrap_database_errors:
                conn.exec_driver_sql(self.wrapper.ops.rollback_sql())
        except BaseException:
            conn.invalidate()
            raise
        finally:
            conn.close()


class CaptureOnCommitCallbacks:
    """Collect the ``on_commit()`` callbacks registered inside the block; maybe run them.

    ``with`` gives the list they are collected in. With ``execute=True`` they run
    when the block ends, and so do callbacks that they register in turn;
    ``async with`` awaits async callbacks.
    """

    def __init__(self, using: str = DEFAULT_DB_ALIAS, execute: bool = False) -> None:
        self.using = using
        self.execute = execute
        self.callbacks: list[Callable[[], Any]] = []
        self._start = 0

    def __enter__(self) -> list[Callable[[], Any]]:
        self._start = len(connections[self.using].run_on_commit)
        return self.callbacks

    async def __aenter__(self) -> list[Callable[[], Any]]:
        return self.__enter__()

    def _new_hooks(self) -> Sequence[tuple[Any, Callable[[], Any], bool]]:
        hooks = connections[self.using].run_on_commit
        new, self._start = hooks[self._start :], len(hooks)
        return new

    def __exit__(self, *exc_info: object) -> None:
        while hooks := self._new_hooks():
            for _, func, robust in hooks:
                self.callbacks.append(func)
                if self.execute:
                    self._call(func, robust, awaitable_ok=False)

    async def __aexit__(self, *exc_info: object) -> None:
        while hooks := self._new_hooks():
            for _, func, robust in hooks:
                self.callbacks.append(func)
                if self.execute:
                    result = self._call(func, robust, awaitable_ok=True)
                    if inspect.isawaitable(result):
                        try:
                            await result
                        except Exception as exc:
                            if not robust:
                                raise
                            _log_callback_error(func, exc)

    def _call(self, func: Callable[[], Any], robust: bool, awaitable_ok: bool) -> Any:
        try:
            result = func()
            if inspect.isawaitable(result) and not awaitable_ok:
                result = _run_awaitable(result)
        except Exception as exc:
            if not robust:
                raise
            _log_callback_error(func, exc)
            return None
        return result


def _run_awaitable(awaitable: Any) -> Any:
    from fastjango.utils.asyncio import async_to_sync

    if _on_event_loop():
        if inspect.iscoroutine(awaitable):
            awaitable.close()
        raise RuntimeError(
            "An on_commit() callback returned an awaitable inside a running event loop: use "
            "'async with captureOnCommitCallbacks(execute=True)' to await it."
        )

    async def wait() -> Any:
        return await awaitable

    return async_to_sync(wait)()


def _log_callback_error(func: Callable[..., Any], exc: BaseException) -> None:
    name = getattr(func, "__qualname__", repr(func))
    logger.error("Error calling %s in on_commit() (%s).", name, exc, exc_info=exc)
