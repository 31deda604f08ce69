"""``BaseDatabaseFeatures``: what a backend can do, as Django's flags name it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastjango.db.backends.base.base import BaseDatabaseWrapper

__all__ = ["BaseDatabaseFeatures"]


class BaseDatabaseFeatures:
    """Capability flags of one backend; reached as ``connection.features``.

    Flags that depend on the server version are properties on the vendor
    classes; reading one may open a connection to learn the version.
    """

    # The oldest server version the backend is tested with, or None.
    minimum_database_version: tuple[int, ...] | None = None

    supports_transactions = True
    uses_savepoints = True
    can_release_savepoints = True
    atomic_transactions = True
    can_rollback_ddl = False
    autocommits_when_autocommit_is_off = False

    supports_foreign_keys = True
    supports_forward_references = True
    supports_timezones = True
    has_native_uuid_field = False
    has_native_duration_field = False
    has_native_json_field = False
    supports_json_field = True
    interprets_empty_strings_as_nulls = False
    supports_unspecified_pk = False
    supports_microsecond_precision = True

    has_select_for_update = False
    has_select_for_update_nowait = False
    has_select_for_update_skip_locked = False
    has_select_for_update_of = False
    can_distinct_on_fields = False
    can_return_columns_from_insert = False
    can_return_rows_from_bulk_insert = False
    #: a multi-row INSERT assigns auto-increment keys in ascending row order, so
    #: RETURNING rows can be matched to objects by sorting on the key instead of
    #: asking SQLAlchemy for parameter order (which SQLite can only give row by row)
    bulk_insert_keys_ascend = False
    #: a single-row INSERT that only needs its auto-increment key reads the
    #: driver's lastrowid instead of asking for RETURNING (cheaper to set up)
    insert_key_from_lastrowid = False
    supports_ignore_conflicts = True
    supports_update_conflicts = False
    supports_update_conflicts_with_target = False
    supports_partial_indexes = True
    supports_expression_indexes = True
    supports_deferrable_unique_constraints = False
    supports_over_clause = True
    supports_stored_generated_columns = True
    supports_virtual_generated_columns = True
    supports_paramstyle_pyformat = True
    requires_literal_defaults = False
    max_query_params: int | None = None

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
