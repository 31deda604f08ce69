"""Database access: ``connections``, ``connection``, ``router`` and the DB-API errors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from fastjango.conf import settings
from fastjango.core import signals
from fastjango.db.utils import (
    DEFAULT_DB_ALIAS,
    ConnectionDoesNotExist,
    ConnectionHandler,
    ConnectionRouter,
    DatabaseError,
    DataError,
    Error,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
)

if TYPE_CHECKING:
    from fastjango.db.backends.base.base import BaseDatabaseWrapper

__all__ = [
    "DEFAULT_DB_ALIAS",
    "ConnectionDoesNotExist",
    "DataError",
    "DatabaseError",
    "Error",
    "IntegrityError",
    "InterfaceError",
    "InternalError",
    "NotSupportedError",
    "OperationalError",
    "ProgrammingError",
    "close_old_connections",
    "connection",
    "connections",
    "reset_queries",
    "router",
]

connections = ConnectionHandler()
router = ConnectionRouter()


class ConnectionProxy:
    """Proxy to ``connections[alias]`` that follows the handler (e.g. after a settings change)."""

    def __init__(self, handler: ConnectionHandler, alias: str) -> None:
        self.__dict__["_handler"] = handler
        self.__dict__["_alias"] = alias

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handler[self._alias], name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._handler[self._alias], name, value)

    def __delattr__(self, name: str) -> None:
        delattr(self._handler[self._alias], name)

    def __eq__(self, other: object) -> bool:
        return bool(self._handler[self._alias] == other)

    def __hash__(self) -> int:
        return hash(self._handler[self._alias])

    def __repr__(self) -> str:
        return repr(self._handler[self._alias])


#: The default database: ``connections["default"]``.
connection = cast("BaseDatabaseWrapper", ConnectionProxy(connections, DEFAULT_DB_ALIAS))


def reset_queries(**kwargs: Any) -> None:
    """Clear ``connection.queries`` of every open alias (each request starts with an empty log)."""
    for conn in connections.all(initialized_only=True):
        conn.queries_log.clear()


def close_old_connections(**kwargs: Any) -> None:
    """Drop transactions left open by the current context, on every open alias.

    Run at the start and the end of every request, as in Django.
    """
    for conn in tuple(connections._connections.values()):
        # Most requests leave nothing open: only then is there work to do.
        if conn._transaction.get() is not None:
            conn.close_if_unusable_or_obsolete()


def _request_started(**kwargs: Any) -> None:
    # One receiver for both of Django's request_started jobs: reset_queries() (not
    # for a connection a CaptureQueriesContext is recording) and close_old_connections().
    for conn in tuple(connections._connections.values()):
        if conn.queries_log and not conn._capturing_queries:
            conn.queries_log.clear()
    close_old_connections()


def _debug_changed() -> None:
    debug = bool(settings.DEBUG)
    for conn in connections.all(initialized_only=True):
        conn.debug_changed(debug)


def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "DATABASES":
        connections.reset()
    elif setting == "DATABASE_ROUTERS":
        router.reset()
    elif setting == "DEBUG":
        _debug_changed()


signals.request_started.connect(_request_started)
signals.request_finished.connect(close_old_connections)
signals.setting_changed.connect(_settings_changed)
