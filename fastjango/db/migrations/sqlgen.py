"""The SQL of one migration, for ``sqlmigrate``, written without touching the database.

PostgreSQL and MySQL/MariaDB SQL comes from Alembic's offline mode for the
database's dialect. SQLite rebuilds tables to change them, which needs to
read the table first, so there the history is replayed into a private
in-memory database and the statements the migration runs are captured.
Each operation is introduced by a Django-style comment; the index and foreign
key of a new field come under the heading of the operation that adds it, as in
Django.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from alembic.operations import Operations, ops
from alembic.runtime.migration import MigrationContext

from fastjango.db.migrations.naming import Namer, operation_columns
from fastjango.db.migrations.operations import (
    SCHEMA_ONLY_OPTION,
    OperationTracker,
    RunPythonOp,
)
from fastjango.db.migrations.scratch import replay, scratch_connection

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from fastjango.db.backends.base.base import BaseDatabaseWrapper
    from fastjango.db.migrations.loader import Migration, MigrationLoader

__all__ = ["migration_sql"]


def _column_name(operation: ops.AddColumnOp | ops.DropColumnOp) -> str:
    if isinstance(operation, ops.AddColumnOp):
        return str(operation.column.name)
    return str(operation.column_name)


class _Headings:
    """Write Django's ``-- <operation>`` heading before the SQL of each operation.

    The index and foreign key of a new field get no heading of their own:
    their SQL follows the "Create model" or "Add field" that makes the field,
    as in Django (and going backwards, the "Remove field" that drops it).
    """

    def __init__(self, buffer: io.StringIO, namer: Namer) -> None:
        self.buffer = buffer
        self.namer = namer
        #: tables created and (table, column) added so far by this migration
        self.created: set[str] = set()
        self.added: set[tuple[str, str]] = set()

    def __call__(self, operation: ops.MigrateOperation) -> None:
        items = self.namer.flatten(operation)
        dropped = {
            (str(item.table_name), str(item.column_name))
            for item in items
            if isinstance(item, ops.DropColumnOp)
        }
        # Columns whose foreign key comes or goes with them: Django names the field
        # without "_id" (the model may no longer have it to ask).
        changed = dropped | {
            (str(item.table_name), str(item.column.name))
            for item in items
            if isinstance(item, ops.AddColumnOp)
        }
        keyed = {
            column
            for column in changed
            for item in items
            if (
                isinstance(item, ops.DropConstraintOp)
                and item.constraint_type == "foreignkey"
                and self.namer.part_of_field(item, created=set(), added=set(), dropped={column})
            )
            or (
                isinstance(item, ops.CreateForeignKeyOp)
                and (str(item.source_table), *operation_columns(item)) == column
            )
        }
        visible: list[str] = []
        for item in items:
            if isinstance(item, ops.CreateTableOp):
                self.created.add(str(item.table_name))
            elif isinstance(item, ops.AddColumnOp):
                self.added.add((str(item.table_name), str(item.column.name)))
            if self.namer.part_of_field(
                item, created=self.created, added=self.added, dropped=dropped, keyed=keyed
            ):
                continue
            text = self.namer.describe(item)
            if isinstance(item, ops.AddColumnOp | ops.DropColumnOp):
                column = (str(item.table_name), _column_name(item))
                field = self.namer.field_name(*column)
                if column in keyed and field == column[1] and field.endswith("_id"):
                    text = text.replace(f" field {field} ", f" field {field[:-3]} ", 1)
            visible.append(text)
        if visible:
            self.buffer.write("--\n" + "".join(f"-- {text}\n" for text in visible) + "--\n")
        if isinstance(operation, RunPythonOp):
            self.buffer.write("-- THIS OPERATION CANNOT BE WRITTEN AS SQL\n")


@contextmanager
def _installed(context: MigrationContext, buffer: io.StringIO, namer: Namer) -> Iterator[None]:
    operations = Operations(context)
    tracker = OperationTracker(operations)
    tracker.before = _Headings(buffer, namer)
    operations._install_proxy()
    try:
        yield
    finally:
        operations._remove_proxy()


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _inline(statement: str, parameters: Any) -> str:
    if not parameters:
        return statement
    values = list(parameters.values()) if isinstance(parameters, dict) else list(parameters)
    pieces = statement.split("?")
    if len(pieces) - 1 != len(values):
        return statement
    out = pieces[0]
    for value, piece in zip(values, pieces[1:], strict=True):
        out += _literal(value) + piece
    return out


def migration_sql(
    connection: BaseDatabaseWrapper,
    loader: MigrationLoader,
    migration: Migration,
    *,
    backwards: bool = False,
    namer: Namer | None = None,
) -> str:
    """Return the SQL that applying (or unapplying) ``migration`` runs on ``connection``."""
    namer = namer or Namer(migration.app_label)
    buffer = io.StringIO()
    function = migration.module.downgrade if backwards else migration.module.upgrade
    if connection.vendor != "sqlite":
        context = MigrationContext.configure(
            dialect=connection.dialect,
            opts={
                "as_sql": True,
                "output_buffer": buffer,
                "literal_binds": True,
                "transactional_ddl": False,
            },
        )
        with _installed(context, buffer, namer):
            function()
        return buffer.getvalue().rstrip()
    with scratch_connection(connection) as conn:
        targets = [migration.revision] if backwards else list(migration.requires)
        for target in targets:
            replay(conn, loader, target)
        _capture(conn, buffer, namer, function)
    return buffer.getvalue().rstrip()


def _capture(conn: Connection, buffer: io.StringIO, namer: Namer, function: Any) -> None:
    def record(
        connection: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
    ) -> None:
        text = statement.strip()
        # Batch mode reads the table's definition first; that isn't part of the migration.
        if (
            text.upper().startswith("PRAGMA")
            or "sqlite_master" in text
            or "sqlite_temp_master" in text
        ):
            return
        buffer.write(_inline(text, parameters) + ";\n\n")

    context = MigrationContext.configure(conn, opts={SCHEMA_ONLY_OPTION: True})
    sa.event.listen(conn, "before_cursor_execute", record)
    try:
        with _installed(context, buffer, namer):
            function()
    finally:
        sa.event.remove(conn, "before_cursor_execute", record)
