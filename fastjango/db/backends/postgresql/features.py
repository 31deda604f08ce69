"""PostgreSQL capability flags."""

from __future__ import annotations

from fastjango.db.backends.base.features import BaseDatabaseFeatures

__all__ = ["DatabaseFeatures"]


class DatabaseFeatures(BaseDatabaseFeatures):
    """What PostgreSQL (13 or later) can do."""

    minimum_database_version = (13,)
    can_rollback_ddl = True
    has_native_uuid_field = True
    has_native_duration_field = True
    has_native_json_field = True
    has_select_for_update = True
    has_select_for_update_nowait = True
    has_select_for_update_skip_locked = True
    has_select_for_update_of = True
    can_distinct_on_fields = True
    can_return_columns_from_insert = True
    supports_virtual_generated_columns = False
    can_return_rows_from_bulk_insert = True
    supports_update_conflicts = True
    supports_update_conflicts_with_target = True
    supports_deferrable_unique_constraints = True
