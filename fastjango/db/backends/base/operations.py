"""``BaseDatabaseOperations``: the SQL that differs per vendor (quoting, transactions)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastjango.db.backends.base.base import BaseDatabaseWrapper

__all__ = ["BaseDatabaseOperations"]


class BaseDatabaseOperations:
    """SQL fragments for one backend; reached as ``connection.ops``."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    def quote_name(self, name: str) -> str:
        """Return ``name`` quoted as an identifier; an already quoted name is left alone."""
        quote = self.connection.dialect.identifier_preparer.initial_quote
        if len(name) >= 2 and name.startswith(quote) and name.endswith(quote):
            return name
        return self.connection.dialect.identifier_preparer.quote_identifier(name)

    def start_transaction_sql(self) -> str:
        """Return the statement that opens a transaction."""
        return "BEGIN"

    def commit_sql(self) -> str:
        """Return the statement that commits the open transaction."""
        return "COMMIT"

    def rollback_sql(self) -> str:
        """Return the statement that rolls back the open transaction."""
        return "ROLLBACK"

    def savepoint_create_sql(self, sid: str) -> str:
        """Return the statement that creates savepoint ``sid``."""
        return f"SAVEPOINT {self.quote_name(sid)}"

    def savepoint_commit_sql(self, sid: str) -> str:
        """Return the statement that releases savepoint ``sid``."""
        return f"RELEASE SAVEPOINT {self.quote_name(sid)}"

    def savepoint_rollback_sql(self, sid: str) -> str:
        """Return the statement that rolls back to savepoint ``sid``."""
        return f"ROLLBACK TO SAVEPOINT {self.quote_name(sid)}"
