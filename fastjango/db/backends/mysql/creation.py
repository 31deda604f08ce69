"""MySQL/MariaDB test databases: ``CREATE DATABASE`` on a connection without a database."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from fastjango.db.backends.base.creation import BaseDatabaseCreation

__all__ = ["DatabaseCreation"]


class DatabaseCreation(BaseDatabaseCreation):
    """Create ``test_<NAME>`` (or TEST NAME) with TEST CHARSET and COLLATION."""

    def sql_table_creation_suffix(self) -> str:
        test = self.connection.settings_dict["TEST"]
        suffix = ""
        if test.get("CHARSET"):
            suffix += f" CHARACTER SET {test['CHARSET']}"
        if test.get("COLLATION"):
            suffix += f" COLLATE {test['COLLATION']}"
        return suffix

    def _database_exists(self, conn: Connection, name: str) -> bool:
        return self._exists_query(
            conn, "SELECT 1 FROM information_schema.schemata WHERE schema_name = :name", name
        )
