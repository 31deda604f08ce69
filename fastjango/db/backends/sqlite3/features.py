"""SQLite capability flags."""

from __future__ import annotations

import sqlite3

from fastjango.db.backends.base.features import BaseDatabaseFeatures

__all__ = ["DatabaseFeatures"]

# Both drivers load the same SQLite library, so its version is known without connecting.
_VERSION = sqlite3.sqlite_version_info


class DatabaseFeatures(BaseDatabaseFeatures):
    """What SQLite can do."""

    minimum_database_version = (3, 31)
    can_rollback_ddl = True
    supports_timezones = False
    supports_deferrable_unique_constraints = False
    can_return_columns_from_insert = _VERSION >= (3, 35)
    can_return_rows_from_bulk_insert = _VERSION >= (3, 35)
    # A new rowid is one more than the largest in the table, row after row.
    bulk_insert_keys_ascend = True
    # RETURNING costs ~6 us more per INSERT than sqlite3's lastrowid.
    insert_key_from_lastrowid = True
    supports_update_conflicts = True
    supports_update_conflicts_with_target = True
    max_query_params = 999 if _VERSION < (3, 32) else 32766
