"""MySQL and MariaDB capability flags."""

from __future__ import annotations

from fastjango.db.backends.base.features import BaseDatabaseFeatures
from fastjango.utils.functional import cached_property

__all__ = ["DatabaseFeatures"]


class DatabaseFeatures(BaseDatabaseFeatures):
    """What MySQL 8 and MariaDB 10.5+ can do; some flags need the server's version."""

    # MySQL commits DDL implicitly, so a migration can't be rolled back.
    atomic_transactions = False
    can_rollback_ddl = False
    supports_timezones = False
    supports_partial_indexes = False
    has_select_for_update = True
    has_select_for_update_nowait = True
    supports_update_conflicts = True
    supports_paramstyle_pyformat = True

    @cached_property
    def is_mariadb(self) -> bool:
        """Return whether the server is MariaDB (connects once to find out)."""
        return bool(getattr(self.connection, "mysql_is_mariadb", False))

    @cached_property
    def minimum_database_version(self) -> tuple[int, ...]:
        """Return (10, 5) for MariaDB, (8, 0, 11) for MySQL."""
        return (10, 5) if self.is_mariadb else (8, 0, 11)

    # The driver reports the new AUTO_INCREMENT value with every INSERT.
    insert_key_from_lastrowid = True

    @cached_property
    def can_return_columns_from_insert(self) -> bool:
        """Return whether INSERT ... RETURNING works (MariaDB 10.5+ only)."""
        return self.is_mariadb

    @cached_property
    def can_return_rows_from_bulk_insert(self) -> bool:
        """Return whether a bulk INSERT ... RETURNING works (MariaDB only)."""
        return self.is_mariadb

    @cached_property
    def has_select_for_update_skip_locked(self) -> bool:
        """Return whether SKIP LOCKED works (MySQL 8, MariaDB 10.6+)."""
        if self.is_mariadb:
            return self.connection.server_version_info >= (10, 6)
        return True

    @cached_property
    def has_select_for_update_of(self) -> bool:
        """Return whether FOR UPDATE OF works (MySQL only)."""
        return not self.is_mariadb
