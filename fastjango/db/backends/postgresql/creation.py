"""PostgreSQL test databases: ``CREATE DATABASE`` from the ``postgres`` maintenance database."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from fastjango.db.backends.base.creation import BaseDatabaseCreation

__all__ = ["DatabaseCreation"]


class DatabaseCreation(BaseDatabaseCreation):
    """Create ``test_<NAME>`` (or TEST NAME) with TEST CHARSET and TEMPLATE."""

    maintenance_database = "postgres"

    def sql_table_creation_suffix(self) -> str:
        test = self.connection.settings_dict["TEST"]
        suffix = ""
        if test.get("CHARSET"):
            suffix += f" ENCODING '{test['CHARSET']}'"
        if test.get("TEMPLATE"):
            suffix += f" TEMPLATE {self.connection.ops.quote_name(test['TEMPLATE'])}"
        return suffix

    def _database_exists(self, conn: Connection, name: str) -> bool:
        return self._exists_query(conn, "SELECT 1 FROM pg_database WHERE datname = :name", name)
