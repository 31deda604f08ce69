"""Django's words for schema operations: descriptions, categories and migration names.

``Namer`` turns Alembic operations into what Django prints ("Create model
Question", "Add field slug to question") and into the name fragments that
make ``0002_question_slug.py``. It knows the models behind tables when there
are any, and falls back to table and column names for plain tables.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from alembic.operations import ops

if TYPE_CHECKING:
    from fastjango.db.migrations.state import ProjectTables

__all__ = [
    "ADDITION",
    "ALTERATION",
    "MIXED",
    "PYTHON",
    "REMOVAL",
    "SQL",
    "Namer",
    "operation_columns",
    "suggest_name",
]

# Django 5's operation categories, as makemigrations prints them.
ADDITION = "+"
REMOVAL = "-"
ALTERATION = "~"
PYTHON = "p"
SQL = "s"
MIXED = "?"

_MAX_NAME = 52


def timestamp_name() -> str:
    """Return Django's fallback name fragment: ``auto_YYYYMMDD_HHMM``."""
    return "auto_" + datetime.datetime.now().strftime("%Y%m%d_%H%M")


def suggest_name(fragments: Sequence[str | None], initial: bool) -> str:
    """Return a migration name (without its number) for operations' name fragments."""
    if initial:
        return "initial"
    cleaned = [re.sub(r"\W+", "_", fragment) for fragment in fragments if fragment]
    if not cleaned or len(cleaned) != len(fragments):
        return timestamp_name()
    name = cleaned[0]
    for fragment in cleaned[1:]:
        longer = f"{name}_{fragment}"
        if len(longer) > _MAX_NAME:
            return f"{name}_and_more"
        name = longer
    return name


class Namer:
    """Describe operations of one app in Django's words."""

    def __init__(self, app_label: str, project: ProjectTables | None = None) -> None:
        self.app_label = app_label
        self.project = project

    # -- models and fields behind tables and columns ------------------------

    def object_name(self, table_name: str) -> str:
        """Return the model class name of a table (the table's short name if unknown)."""
        if self.project is not None:
            name = self.project.object_name(table_name)
            if name is not None:
                return name
        return self.short_name(table_name)

    def model_name(self, table_name: str) -> str:
        """Return the lower-case model name of a table, as Django's messages use it."""
        return self.object_name(table_name).lower()

    def short_name(self, table_name: str) -> str:
        """Return a table name without its ``<app_label>_`` prefix."""
        prefix = f"{self.app_label}_"
        return table_name[len(prefix) :] if table_name.startswith(prefix) else table_name

    def field_name(self, table_name: str, column_name: str) -> str:
        """Return the model field stored in a column (the column name if unknown)."""
        if self.project is not None:
            model_field = self.project.field_for_column(table_name, column_name)
            if model_field is not None:
                return str(model_field.name)
        return column_name

    def through_field(self, table_name: str) -> tuple[str, str] | None:
        """Return ``(owner table, field name)`` when a table is a many-to-many's own table."""
        if self.project is None:
            return None
        model = self.project.models.get(table_name)
        owner = getattr(getattr(model, "_meta", None), "auto_created", None)
        if not owner:
            return None
        for field in getattr(owner._meta, "local_many_to_many", ()):
            if getattr(field.remote_field, "through", None) is model:
                return str(owner._meta.db_table), str(field.name)
        return None

    def column_flag_field(self, operation: ops.MigrateOperation) -> str | None:
        """Return the field whose ``db_index``/``unique`` an index or constraint change is.

        Django calls adding ``db_index=True`` "Alter field"; so does FastJango
        for single-column indexes and unique constraints a column declares.
        """
        if self.project is None:
            return None
        table_name = str(getattr(operation, "table_name", "") or "")
        name: Any = None
        columns: list[Any] = []
        if isinstance(operation, ops.CreateIndexOp):
            name, columns = operation.index_name, list(operation.columns)
        elif isinstance(operation, ops.DropIndexOp) and operation._reverse is not None:
            name, columns = operation.index_name, list(operation._reverse.columns)
        elif isinstance(operation, ops.AddConstraintOp):
            constraint = operation.to_constraint()
            if isinstance(constraint, sa.UniqueConstraint):
                table_name = str(constraint.table.name)
                name, columns = constraint.name, list(constraint.columns)
        elif isinstance(operation, ops.DropConstraintOp) and operation.constraint_type == "unique":
            reverse = operation._reverse
            if reverse is not None:
                constraint = reverse.to_constraint()
                name, columns = constraint.name, list(getattr(constraint, "columns", []))
        if name is None or len(columns) != 1:
            return None
        column = str(getattr(columns[0], "name", columns[0]))
        table = self.project.tables.get(table_name)
        if table is None or column not in table.c:
            return None
        declared = [*table.indexes, *table.constraints]
        match = [item for item in declared if getattr(item, "name", None) == name]
        if match:
            return self.field_name(table_name, column) if _column_flag(match[0]) else None
        if isinstance(operation, ops.CreateIndexOp | ops.AddConstraintOp):
            return None
        # Dropped: the column no longer asks for it, or a Meta index went away.
        return self.field_name(table_name, column)

    def part_of_field(
        self,
        operation: ops.MigrateOperation,
        *,
        created: set[str],
        added: set[tuple[str, str]],
        dropped: set[tuple[str, str]],
        keyed: set[tuple[str, str]] | None = None,
    ) -> bool:
        """Return whether an index or constraint operation belongs to a field's own operation.

        Django counts the index and foreign key of a new field as part of the
        "Create model" or "Add field" that makes it (and the ones dropped with
        a column as part of "Remove field"); FastJango's migrations spell them
        out as separate Alembic operations. ``created`` are the tables and
        ``added``/``dropped`` the ``(table, column)`` pairs the migration
        creates, adds and drops; ``keyed`` columns are known to hold a foreign
        key even when no model has their field any more.
        """
        table = _table_name(operation) if hasattr(operation, "table_name") else ""
        if isinstance(operation, ops.AddConstraintOp):
            table = str(getattr(operation, "source_table", None) or _table_name(operation))
        columns = operation_columns(operation)
        if isinstance(operation, ops.DropIndexOp | ops.DropConstraintOp):
            if not columns:
                # Read from a migration file, without the reverse: go by Django's names,
                # which hold the table and the column (both maybe shortened).
                name = str(
                    operation.index_name
                    if isinstance(operation, ops.DropIndexOp)
                    else operation.constraint_name
                )
                return any(t == table and f"_{c}_" in f"_{name}" for t, c in dropped)
            return len(columns) == 1 and (table, columns[0]) in dropped
        if not isinstance(operation, ops.CreateIndexOp | ops.AddConstraintOp):
            return False
        if len(columns) != 1:
            return False
        if table not in created and (table, columns[0]) not in added:
            return False
        if isinstance(operation, ops.CreateForeignKeyOp):
            return True
        if isinstance(operation, ops.CreateIndexOp) and (table, columns[0]) in (keyed or ()):
            return True
        # An index or unique constraint the column itself declares (db_index, FK, unique).
        return self.column_flag_field(operation) is not None

    # -- operations ------------------------------------------------------------

    def flatten(self, operation: ops.MigrateOperation) -> list[ops.MigrateOperation]:
        """Return an operation, or the operations inside a per-table group."""
        if isinstance(operation, ops.ModifyTableOps):
            result: list[ops.MigrateOperation] = []
            for inner in operation.ops:
                result.extend(self.flatten(inner))
            return result
        return [operation]

    def describe(self, operation: ops.MigrateOperation) -> str:
        """Return what Django would print for an operation."""
        return self._words(operation)[0]

    def category(self, operation: ops.MigrateOperation) -> str:
        """Return Django's category symbol: ``+``, ``-``, ``~``, ``p``, ``s`` or ``?``."""
        return self._words(operation)[1]

    def fragment(self, operation: ops.MigrateOperation) -> str | None:
        """Return the part of a migration name an operation suggests, or None."""
        return self._words(operation)[2]

    def _words(self, operation: Any) -> tuple[str, str, str | None]:
        describe_custom = getattr(operation, "describe", None)
        if callable(describe_custom):
            text, category, fragment = describe_custom(self)
            return str(text), str(category), fragment
        flagged = self.column_flag_field(operation)
        if flagged is not None:
            model = self.model_name(_table_name(operation))
            return f"Alter field {flagged} on {model}", ALTERATION, f"alter_{model}_{flagged}"
        if isinstance(operation, ops.CreateTableOp):
            through = self.through_field(operation.table_name)
            if through is not None:
                model = self.model_name(through[0])
                return f"Add field {through[1]} to {model}", ADDITION, f"{model}_{through[1]}"
            name = self.object_name(operation.table_name)
            return f"Create model {name}", ADDITION, name.lower()
        if isinstance(operation, ops.DropTableOp):
            name = self.object_name(operation.table_name)
            return f"Delete model {name}", REMOVAL, f"delete_{name.lower()}"
        if isinstance(operation, ops.RenameTableOp):
            old = self.object_name(operation.table_name)
            new = self.object_name(operation.new_table_name)
            return (
                f"Rename model {old} to {new}",
                ALTERATION,
                f"rename_{old.lower()}_{new.lower()}",
            )
        if isinstance(operation, ops.AddColumnOp):
            model = self.model_name(operation.table_name)
            field = self.field_name(operation.table_name, operation.column.name)
            return f"Add field {field} to {model}", ADDITION, f"{model}_{field}"
        if isinstance(operation, ops.DropColumnOp):
            model = self.model_name(operation.table_name)
            field = self.field_name(operation.table_name, operation.column_name)
            reverse = operation._reverse
            dropped_column = reverse.column if reverse is not None else None
            if (
                field == operation.column_name
                and field.endswith("_id")
                and dropped_column is not None
                and dropped_column.foreign_keys
            ):
                # The model no longer has the field: a foreign key's column is <field>_id.
                field = field[:-3]
            return f"Remove field {field} from {model}", REMOVAL, f"remove_{model}_{field}"
        if isinstance(operation, ops.AlterColumnOp):
            model = self.model_name(operation.table_name)
            if operation.modify_name:
                old = operation.column_name
                new = self.field_name(operation.table_name, operation.modify_name)
                return (
                    f"Rename field {old} on {model} to {new}",
                    ALTERATION,
                    f"rename_{old}_{model}_{new}",
                )
            field = self.field_name(operation.table_name, operation.column_name)
            return f"Alter field {field} on {model}", ALTERATION, f"alter_{model}_{field}"
        if isinstance(operation, ops.CreateIndexOp):
            model = self.model_name(operation.table_name)
            columns = ", ".join(
                str(getattr(column, "name", column)) for column in operation.columns
            )
            name = str(operation.index_name)
            return (
                f"Create index {name} on field(s) {columns} of model {model}",
                ADDITION,
                f"{model}_{name.lower()}",
            )
        if isinstance(operation, ops.DropIndexOp):
            model = self.model_name(str(operation.table_name))
            name = str(operation.index_name)
            return f"Remove index {name} from {model}", REMOVAL, f"remove_{model}_{name.lower()}"
        if isinstance(operation, ops.AddConstraintOp):
            model = self.model_name(str(operation.to_constraint().table.name))
            name = str(operation.to_constraint().name)
            return (
                f"Create constraint {name} on model {model}",
                ADDITION,
                f"{model}_{name.lower()}",
            )
        if isinstance(operation, ops.DropConstraintOp):
            model = self.model_name(operation.table_name)
            name = str(operation.constraint_name)
            return (
                f"Remove constraint {name} from model {model}",
                REMOVAL,
                f"remove_{model}_{name.lower()}",
            )
        if isinstance(operation, ops.ExecuteSQLOp):
            return "Raw SQL operation", SQL, None
        if isinstance(operation, ops.BulkInsertOp):
            return f"Insert rows into {operation.table.name}", SQL, None
        if isinstance(operation, ops.ModifyTableOps):
            inner = self.flatten(operation)
            text = "; ".join(self.describe(item) for item in inner)
            categories = {self.category(item) for item in inner}
            return text, categories.pop() if len(categories) == 1 else MIXED, None
        return type(operation).__name__, MIXED, None


def _column_flag(item: Any) -> bool:
    # SQLAlchemy marks what Column(index=True) / Column(unique=True) created.
    return bool(getattr(item, "_column_flag", False))


def _table_name(operation: Any) -> str:
    if isinstance(operation, ops.AddConstraintOp):
        return str(operation.to_constraint().table.name)
    return str(operation.table_name)


def operation_columns(operation: ops.MigrateOperation) -> list[str]:
    """Return the names of the columns an index or constraint operation covers."""
    if isinstance(operation, ops.CreateIndexOp):
        return [str(getattr(column, "name", column)) for column in operation.columns]
    if isinstance(operation, ops.AddConstraintOp):
        local = getattr(operation, "local_cols", None) or getattr(operation, "columns", None)
        if local is not None:
            return [str(getattr(column, "name", column)) for column in local]
        try:
            constraint = operation.to_constraint()
        except (AttributeError, NotImplementedError):
            return []
        return [str(column.name) for column in getattr(constraint, "columns", ())]
    reverse = getattr(operation, "_reverse", None)
    if isinstance(operation, ops.DropIndexOp | ops.DropConstraintOp) and reverse is not None:
        return operation_columns(reverse)
    return []
