"""``BaseDatabaseCreation``: create and destroy the test database of an alias."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from fastjango.db.utils import Error

if TYPE_CHECKING:
    from sqlalchemy import MetaData
    from sqlalchemy.engine import Connection

    from fastjango.db.backends.base.base import BaseDatabaseWrapper

__all__ = ["TEST_DATABASE_PREFIX", "BaseDatabaseCreation"]

TEST_DATABASE_PREFIX = "test_"


class BaseDatabaseCreation:
    """Test database management for one alias; reached as ``connection.creation``.

    Server backends run ``CREATE DATABASE`` on an autocommit connection to
    the server's maintenance database; SQLite overrides this with files.
    """

    #: the database to connect to while creating or dropping another ("" for none)
    maintenance_database = ""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    def log(self, msg: str) -> None:
        """Write a progress message to stderr, as Django does."""
        sys.stderr.write(msg + os.linesep)

    def _display(self, verbosity: int, name: str) -> str:
        extra = f" ('{name}')" if verbosity >= 2 else ""
        return f"'{self.connection.alias}'{extra}"

    def create_test_db(
        self,
        verbosity: int = 1,
        autoclobber: bool = False,
        serialize: bool = True,
        keepdb: bool = False,
        *,
        metadata: MetaData | None = None,
    ) -> str:
        """Create the test database, point this alias at it and return its name.

        ``keepdb`` reuses an existing one. Without ``autoclobber`` an existing
        database is dropped only after a "yes" on stdin. ``metadata`` (a
        SQLAlchemy MetaData) gets its tables created. ``serialize`` is accepted
        for Django compatibility; nothing is serialized.
        """
        del serialize
        name = self._get_test_db_name()
        if verbosity >= 1:
            action = "Using existing" if keepdb else "Creating"
            self.log(f"{action} test database for alias {self._display(verbosity, name)}...")
        self.connection.close()
        name = self._create_test_db(verbosity, autoclobber, keepdb)
        self._set_name(name)
        if metadata is not None:
            self.create_tables(metadata)
        return name

    def destroy_test_db(
        self,
        old_database_name: str | None = None,
        verbosity: int = 1,
        keepdb: bool = False,
        suffix: str | None = None,
    ) -> None:
        """Drop the test database (unless ``keepdb``) and point the alias back at the old name."""
        del suffix
        self.connection.close()
        name = self.connection.settings_dict["NAME"]
        if verbosity >= 1:
            action = "Preserving" if keepdb else "Destroying"
            self.log(f"{action} test database for alias {self._display(verbosity, name)}...")
        if not keepdb:
            self._destroy_test_db(name, verbosity)
        if old_database_name is not None:
            self._set_name(old_database_name)

    def create_tables(self, metadata: MetaData) -> None:
        """Create every table of ``metadata`` that doesn't exist yet (until migrations land)."""
        with self.connection.wrap_database_errors, self.connection.sync_engine.begin() as conn:
            metadata.create_all(conn)

    def _set_name(self, name: str) -> None:
        from fastjango.conf import settings

        self.connection.close()
        databases: Any = settings.DATABASES
        if isinstance(databases, dict) and isinstance(databases.get(self.connection.alias), dict):
            databases[self.connection.alias]["NAME"] = name
        self.connection.settings_dict["NAME"] = name

    def _get_test_db_name(self) -> str:
        test_name: str | None = self.connection.settings_dict["TEST"]["NAME"]
        if test_name:
            return test_name
        return f"{TEST_DATABASE_PREFIX}{self.connection.settings_dict['NAME']}"

    # -- server backends ---------------------------------------------------

    @contextmanager
    def _nodb_connection(self) -> Iterator[Connection]:
        db = self.connection
        engine = create_engine(
            db.get_engine_url(is_async=False, database=self.maintenance_database),
            connect_args=db.get_connect_args(is_async=False),
            isolation_level="AUTOCOMMIT",
            poolclass=NullPool,
        )
        try:
            try:
                conn = engine.connect()
            except Exception as exc:
                raise db._connect_error(exc) from exc
            with conn, db.wrap_database_errors:
                yield conn
        finally:
            engine.dispose()

    def sql_table_creation_suffix(self) -> str:
        """Return the options appended to ``CREATE DATABASE`` (charset, template, ...)."""
        return ""

    def _database_exists(self, conn: Connection, name: str) -> bool:
        raise NotImplementedError(f"{type(self).__name__} must say whether a database exists.")

    def _create_database(self, conn: Connection, name: str) -> None:
        quoted = self.connection.ops.quote_name(name)
        with self.connection.wrap_database_errors:
            conn.exec_driver_sql(f"CREATE DATABASE {quoted}{self.sql_table_creation_suffix()}")

    def _drop_database(self, conn: Connection, name: str) -> None:
        with self.connection.wrap_database_errors:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {self.connection.ops.quote_name(name)}")

    def _create_test_db(self, verbosity: int, autoclobber: bool, keepdb: bool) -> str:
        name = self._get_test_db_name()
        with self._nodb_connection() as conn:
            if keepdb and self._database_exists(conn, name):
                return name
            try:
                self._create_database(conn, name)
            except Error as exc:
                self.log(f"Got an error creating the test database: {exc}")
                confirm = "yes" if autoclobber else ""
                if not autoclobber:
                    confirm = input(
                        f"Type 'yes' if you would like to try deleting the test database "
                        f"'{name}', or 'no' to cancel: "
                    )
                if confirm != "yes":
                    self.log("Tests cancelled.")
                    raise
                if verbosity >= 1:
                    shown = self._display(verbosity, name)
                    self.log(f"Destroying old test database for alias {shown}...")
                self._drop_database(conn, name)
                self._create_database(conn, name)
        return name

    def _destroy_test_db(self, name: str, verbosity: int) -> None:
        with self._nodb_connection() as conn:
            self._drop_database(conn, name)

    def _exists_query(self, conn: Connection, sql: str, name: str) -> bool:
        return conn.execute(text(sql), {"name": name}).first() is not None
