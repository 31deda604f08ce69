"""Database exceptions, error translation, ``ConnectionHandler`` and ``ConnectionRouter``."""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Callable, Iterator
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, cast

from fastjango.conf import settings
from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.utils.functional import cached_property
from fastjango.utils.module_loading import import_string

if TYPE_CHECKING:
    from fastjango.db.backends.base.base import BaseDatabaseWrapper

__all__ = [
    "DEFAULT_DB_ALIAS",
    "ConnectionDoesNotExist",
    "ConnectionHandler",
    "ConnectionRouter",
    "DataError",
    "DatabaseError",
    "DatabaseErrorWrapper",
    "Error",
    "IntegrityError",
    "InterfaceError",
    "InternalError",
    "NotSupportedError",
    "OperationalError",
    "ProgrammingError",
    "TransactionManagementError",
    "load_backend",
    "translate_exception",
]

DEFAULT_DB_ALIAS = "default"

F = TypeVar("F", bound=Callable[..., Any])


# The PEP 249 hierarchy, as Django exposes it: every driver error reaches user
# code as one of these, with the driver's exception as ``__cause__``.
class Error(Exception):
    """Base class of all database errors."""


class InterfaceError(Error):
    """An error of the database interface rather than of the database."""


class DatabaseError(Error):
    """An error reported by the database."""


class DataError(DatabaseError):
    """A problem with the processed data (value out of range, bad encoding, ...)."""


class OperationalError(DatabaseError):
    """A problem with the database's operation (unreachable, lost connection, locked, ...)."""


class IntegrityError(DatabaseError):
    """A constraint was violated (unique, foreign key, not null, check)."""


class InternalError(DatabaseError):
    """The database hit an internal error (e.g. a transaction out of sync)."""


class ProgrammingError(DatabaseError):
    """A programming error: bad SQL, unknown table, wrong number of parameters."""


class NotSupportedError(DatabaseError):
    """The database does not support the requested method or API."""


class TransactionManagementError(ProgrammingError):
    """Transaction management was used incorrectly (e.g. a query in a broken atomic block)."""


class ConnectionDoesNotExist(Exception):
    """The requested database alias is not in ``DATABASES``."""


# Most specific first: a driver class matches the first of ours it inherits from.
_PEP249_ORDER: tuple[type[Error], ...] = (
    DataError,
    OperationalError,
    IntegrityError,
    InternalError,
    ProgrammingError,
    NotSupportedError,
    DatabaseError,
    InterfaceError,
    Error,
)
_BY_NAME = {cls.__name__: cls for cls in _PEP249_ORDER}


def _match_driver_class(exc: BaseException, dbapi: ModuleType | None) -> type[Error] | None:
    if dbapi is not None:
        for ours in _PEP249_ORDER:
            theirs = getattr(dbapi, ours.__name__, None)
            if isinstance(theirs, type) and isinstance(exc, theirs):
                return ours
    # Drivers outside the dialect's module (asyncpg's own classes, say) still
    # follow PEP 249 names in their class hierarchy.
    for klass in type(exc).__mro__:
        if klass.__name__ in _BY_NAME:
            return _BY_NAME[klass.__name__]
    return None


#: MySQL/MariaDB errors its drivers raise as OperationalError that are integrity
#: violations, as Django reads them: NULL into NOT NULL, BIGINT value out of range,
#: CHECK constraint violated (MySQL 3819, MariaDB 4025)
_MYSQL_INTEGRITY_CODES = frozenset({1048, 1690, 3819, 4025})


def _is_mysql_integrity_error(orig: BaseException | None) -> bool:
    if orig is None or not orig.args or orig.args[0] not in _MYSQL_INTEGRITY_CODES:
        return False
    return type(orig).__module__.split(".")[0] in ("pymysql", "asyncmy", "MySQLdb")


def translate_exception(exc: BaseException, dbapi: ModuleType | None = None) -> Error | None:
    """Return our PEP 249 exception for a SQLAlchemy or driver error, or None to leave it.

    The new exception carries the driver's arguments (so its message is the
    driver's) and has the driver's exception as ``__cause__``, as in Django.
    """
    import sqlalchemy.exc as sa_exc

    if isinstance(exc, Error):
        return None
    if isinstance(exc, sa_exc.DBAPIError):
        orig = exc.orig
        ours = _BY_NAME.get(type(exc).__name__)
        if ours is None or ours is Error:
            ours = _match_driver_class(orig, dbapi) if orig is not None else None
        if exc.connection_invalidated and ours in (None, Error, DatabaseError, InterfaceError):
            # A lost connection is operational, whatever class the driver picked.
            ours = OperationalError
        elif ours is OperationalError and _is_mysql_integrity_error(orig):
            ours = IntegrityError
        new = (ours or DatabaseError)(*orig.args) if orig is not None else DatabaseError(str(exc))
        new.__cause__ = orig if orig is not None else exc
        return new
    if isinstance(exc, sa_exc.TimeoutError):
        new = OperationalError(str(exc))
    elif isinstance(exc, sa_exc.PendingRollbackError | sa_exc.ResourceClosedError):
        new = InterfaceError(str(exc))
    else:
        ours = _match_driver_class(exc, dbapi) if dbapi is not None else None
        if ours is None:
            return None
        if ours is not IntegrityError and _is_mysql_integrity_error(exc):
            ours = IntegrityError
        new = ours(*exc.args)
    new.__cause__ = exc
    return new


class DatabaseErrorWrapper:
    """Context manager and decorator that re-raises driver errors as ours.

    ``connection.wrap_database_errors`` returns one, as in Django.
    """

    def __init__(self, wrapper: BaseDatabaseWrapper) -> None:
        self.wrapper = wrapper

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_value is None or not isinstance(exc_value, Exception):
            return
        new = translate_exception(exc_value, self.wrapper.Database)
        if new is not None:
            raise new.with_traceback(traceback) from new.__cause__

    def __call__(self, func: F) -> F:
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def ainner(*args: Any, **kwargs: Any) -> Any:
                with self:
                    return await func(*args, **kwargs)

            return cast(F, ainner)

        @functools.wraps(func)
        def inner(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return cast(F, inner)


def load_backend(backend_name: str) -> ModuleType:
    """Return the ``base`` module of the backend package named by ``ENGINE``."""
    import importlib

    from fastjango.db.backends.config import BUILTIN_BACKENDS

    try:
        return importlib.import_module(f"{backend_name}.base")
    except ImportError as err:
        builtins = ", ".join(repr(name) for name in BUILTIN_BACKENDS)
        raise ImproperlyConfigured(
            f"{backend_name!r} isn't an available database backend or couldn't be imported "
            f"({err}). Set ENGINE to 'fastjango.db.backends.XXX' (or Django's "
            f"'django.db.backends.XXX'), where XXX is one of: {builtins}."
        ) from err


class ConnectionHandler:
    """Lazy mapping of ``DATABASES`` aliases to ``DatabaseWrapper`` objects.

    One wrapper per alias per process: its engines are pooled and thread-safe,
    and the state of an atomic block lives in a context variable, so the
    wrapper is shared by threads and tasks.
    """

    def __init__(self, databases: dict[str, dict[str, Any]] | None = None) -> None:
        self._explicit = databases
        self._connections: dict[str, BaseDatabaseWrapper] = {}
        self._lock = threading.RLock()

    @cached_property
    def settings(self) -> dict[str, dict[str, Any]]:
        """Return the normalized ``DATABASES``: every alias with every Django key filled."""
        from fastjango.db.backends.config import configure_databases

        databases = self._explicit if self._explicit is not None else settings.DATABASES
        return configure_databases(databases)

    def create_connection(self, alias: str) -> BaseDatabaseWrapper:
        """Build the wrapper for ``alias`` from its settings."""
        settings_dict = self.settings[alias]
        backend = load_backend(settings_dict["ENGINE"])
        wrapper: BaseDatabaseWrapper = backend.DatabaseWrapper(settings_dict, alias)
        return wrapper

    def __getitem__(self, alias: str) -> BaseDatabaseWrapper:
        try:
            return self._connections[alias]
        except KeyError:
            pass
        with self._lock:
            if alias not in self._connections:
                if alias not in self.settings:
                    raise ConnectionDoesNotExist(f"The connection '{alias}' doesn't exist.")
                self._connections[alias] = self.create_connection(alias)
            return self._connections[alias]

    def __setitem__(self, alias: str, wrapper: BaseDatabaseWrapper) -> None:
        self._connections[alias] = wrapper

    def __delitem__(self, alias: str) -> None:
        del self._connections[alias]

    def __contains__(self, alias: object) -> bool:
        return alias in self.settings

    def __iter__(self) -> Iterator[str]:
        return iter(self.settings)

    def all(self, initialized_only: bool = False) -> list[BaseDatabaseWrapper]:
        """Return every wrapper; with ``initialized_only``, only those already built."""
        if initialized_only:
            return [self._connections[a] for a in self if a in self._connections]
        return [self[alias] for alias in self]

    def close_all(self) -> None:
        """Close the engines of every built wrapper (sync)."""
        for wrapper in self.all(initialized_only=True):
            wrapper.close()

    async def aclose_all(self) -> None:
        """Close every built wrapper's engines; the app's lifespan awaits this at shutdown."""
        for wrapper in self.all(initialized_only=True):
            await wrapper.aclose()

    def reset(self) -> None:
        """Forget the settings and wrappers, closing what can be closed without a loop.

        Called when ``DATABASES`` changes (``override_settings``). Async
        engines are disposed by their event loop when it shuts down.
        """
        with self._lock:
            wrappers = list(self._connections.values())
            self._connections = {}
            self.__dict__.pop("settings", None)
        for wrapper in wrappers:
            wrapper.dispose_sync_engine()


class ConnectionRouter:
    """Route reads, writes, relations and migrations with ``DATABASE_ROUTERS``."""

    def __init__(self, routers: list[Any] | None = None) -> None:
        self._routers = routers

    @cached_property
    def routers(self) -> list[Any]:
        """Return the router instances (dotted paths in the setting are imported)."""
        configured = self._routers if self._routers is not None else settings.DATABASE_ROUTERS
        routers = []
        for router in configured:
            if isinstance(router, str):
                router = import_string(router)()
            routers.append(router)
        return routers

    def reset(self) -> None:
        """Re-read ``DATABASE_ROUTERS`` on next use."""
        self.__dict__.pop("routers", None)

    def _route_db(self, action: str, model: Any, hints: dict[str, Any]) -> str:
        for router in self.routers:
            method = getattr(router, action, None)
            if method is not None:
                chosen = method(model, **hints)
                if chosen:
                    return cast(str, chosen)
        instance = hints.get("instance")
        state = getattr(instance, "_state", None)
        if state is not None and state.db:
            return cast(str, state.db)
        return DEFAULT_DB_ALIAS

    def db_for_read(self, model: Any, **hints: Any) -> str:
        """Return the alias to read ``model`` from."""
        return self._route_db("db_for_read", model, hints)

    def db_for_write(self, model: Any, **hints: Any) -> str:
        """Return the alias to write ``model`` to."""
        return self._route_db("db_for_write", model, hints)

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        """Return whether a relation between the two objects is allowed."""
        for router in self.routers:
            method = getattr(router, "allow_relation", None)
            if method is not None:
                allow = method(obj1, obj2, **hints)
                if allow is not None:
                    return bool(allow)
        return bool(obj1._state.db == obj2._state.db)

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        """Return whether migrations of ``app_label`` may run on ``db``."""
        for router in self.routers:
            method = getattr(router, "allow_migrate", None)
            if method is not None:
                allow = method(db, app_label, **hints)
                if allow is not None:
                    return bool(allow)
        return True

    def allow_migrate_model(self, db: str, model: Any) -> bool:
        """Return whether ``model``'s table may be migrated on ``db``."""
        meta = model._meta
        can_migrate = getattr(meta, "can_migrate", None)
        if can_migrate is not None and not can_migrate(db):
            return False
        return self.allow_migrate(db, meta.app_label, model_name=meta.model_name, model=model)

    def get_migratable_models(
        self, app_config: Any, db: str, include_auto_created: bool = False
    ) -> list[Any]:
        """Return the models of ``app_config`` that may be migrated on ``db``."""
        models = app_config.get_models(include_auto_created=include_auto_created)
        return [model for model in models if self.allow_migrate_model(db, model)]
