"""``optimize``: shorten a list of schema operations without changing what it does.

Used by ``squashmigrations``. Between data steps (``run_python``, raw SQL,
fills), which nothing moves across, it folds operations into the table they
follow, as Django's optimizer does:

- a column added to (or altered, or dropped from) a table created earlier
  becomes part of ``create_table``;
- a table created and later dropped disappears, with everything done to it;
- a column added and later dropped disappears;
- operations on a table that is dropped later disappear (in downgrades).

The result groups per-table operations into batch blocks, as makemigrations
writes them.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic.operations import ops

from fastjango.db.migrations.operations import FillColumnOp, RunPythonOp

__all__ = ["flatten", "group", "optimize"]

_TOP_LEVEL = (
    ops.CreateTableOp,
    ops.DropTableOp,
    ops.RenameTableOp,
    ops.ExecuteSQLOp,
    ops.BulkInsertOp,
    RunPythonOp,
    FillColumnOp,
)
_BARRIERS = (ops.ExecuteSQLOp, ops.BulkInsertOp, RunPythonOp, FillColumnOp)


def flatten(operations: list[ops.MigrateOperation]) -> list[ops.MigrateOperation]:
    """Return the operations with per-table groups opened up."""
    result: list[ops.MigrateOperation] = []
    for operation in operations:
        if isinstance(operation, ops.ModifyTableOps):
            result.extend(flatten(list(operation.ops)))
        else:
            result.append(operation)
    return result


def group(operations: list[ops.MigrateOperation]) -> list[ops.MigrateOperation]:
    """Return the operations with consecutive per-table ones in ``ModifyTableOps`` groups."""
    result: list[ops.MigrateOperation] = []
    for operation in operations:
        if isinstance(operation, _TOP_LEVEL) or _table(operation) is None:
            result.append(operation)
            continue
        table = _table(operation)
        last = result[-1] if result else None
        if isinstance(last, ops.ModifyTableOps) and last.table_name == table:
            last.ops.append(operation)
        else:
            result.append(ops.ModifyTableOps(str(table), [operation]))
    return result


def _table(operation: ops.MigrateOperation) -> str | None:
    if isinstance(operation, ops.AddConstraintOp):
        constraint = operation.to_constraint()
        return str(constraint.table.name) if constraint.table is not None else None
    name = getattr(operation, "table_name", None)
    return None if name is None else str(name)


def _columns_named(operation: ops.MigrateOperation) -> set[str]:
    """Return the column names an operation refers to (as far as can be told)."""
    if isinstance(operation, ops.AddColumnOp):
        return {operation.column.name}
    if isinstance(operation, ops.DropColumnOp | ops.AlterColumnOp):
        names = {operation.column_name}
        if isinstance(operation, ops.AlterColumnOp) and operation.modify_name:
            names.add(operation.modify_name)
        return names
    if isinstance(operation, ops.CreateIndexOp):
        return {str(getattr(c, "name", c)) for c in operation.columns}
    # Anything else may touch any column.
    return {"*"}


def optimize(operations: list[ops.MigrateOperation]) -> list[ops.MigrateOperation]:
    """Return an equivalent, shorter list of operations (grouped per table)."""
    flat = flatten(operations)
    result: list[ops.MigrateOperation] = []
    segment: list[ops.MigrateOperation] = []
    for operation in flat:
        if isinstance(operation, _BARRIERS):
            result.extend(_optimize_segment(segment))
            result.append(operation)
            segment = []
        else:
            segment.append(operation)
    result.extend(_optimize_segment(segment))
    return group(result)


def _optimize_segment(operations: list[ops.MigrateOperation]) -> list[ops.MigrateOperation]:
    current = list(operations)
    while True:
        changed = _pass(current)
        if changed is None:
            return current
        current = changed


def _pass(operations: list[ops.MigrateOperation]) -> list[ops.MigrateOperation] | None:
    created_at: dict[str, int] = {}
    for index, operation in enumerate(operations):
        if isinstance(operation, ops.CreateTableOp):
            created_at.setdefault(operation.table_name, index)
    for index, operation in enumerate(operations):
        if isinstance(operation, ops.CreateTableOp):
            folded = _fold_into_create(operations, index, operation, created_at)
            if folded is not None:
                return folded
        elif isinstance(operation, ops.AddColumnOp):
            removed = _add_then_drop(operations, index, operation)
            if removed is not None:
                return removed
        elif isinstance(operation, ops.DropTableOp):
            cleared = _before_drop(operations, index, operation)
            if cleared is not None:
                return cleared
    return None


def _fold_into_create(
    operations: list[ops.MigrateOperation],
    index: int,
    create: ops.CreateTableOp,
    created_at: dict[str, int],
) -> list[ops.MigrateOperation] | None:
    table = create.table_name
    for later_index in range(index + 1, len(operations)):
        later = operations[later_index]
        if isinstance(later, ops.RenameTableOp) and table in (
            later.table_name,
            later.new_table_name,
        ):
            return None
        if _table(later) != table:
            continue
        if isinstance(later, ops.DropTableOp):
            return [
                op
                for i, op in enumerate(operations)
                if not (index <= i <= later_index and _table(op) == table)
            ]
        between = [op for op in operations[index + 1 : later_index] if _table(op) == table]
        if isinstance(later, ops.AddColumnOp):
            if _fk_targets_ready(later.column, index, created_at) and not _touches(
                between, later.column.name
            ):
                columns = list(create.columns or [])
                last_column = max(
                    (i for i, item in enumerate(columns) if isinstance(item, sa.Column)), default=-1
                )
                columns.insert(last_column + 1, later.column)
                create.columns = columns
                return operations[:later_index] + operations[later_index + 1 :]
        elif isinstance(later, ops.AlterColumnOp):
            if _can_fold_alter(create, later) and not _touches(between, later.column_name):
                _apply_alter(create, later)
                return operations[:later_index] + operations[later_index + 1 :]
        elif isinstance(later, ops.DropColumnOp):
            if _can_drop_from_create(operations, index, later_index, create, later.column_name):
                create.columns = [
                    item
                    for item in create.columns or []
                    if not (isinstance(item, sa.Column) and item.name == later.column_name)
                ]
                return operations[:later_index] + operations[later_index + 1 :]
        # Anything else on this table stays where it is, after the table.
    return None


def _touches(operations: list[ops.MigrateOperation], column_name: str) -> bool:
    return any(column_name in _columns_named(op) or "*" in _columns_named(op) for op in operations)


def _fk_targets_ready(column: sa.Column[Any], index: int, created_at: dict[str, int]) -> bool:
    for fk in column.foreign_keys:
        target = str(fk.target_fullname).rsplit(".", 1)[0].rsplit(".", 1)[-1]
        if created_at.get(target, -1) > index:
            return False
    return True


def _create_column(create: ops.CreateTableOp, name: str) -> sa.Column[Any] | None:
    for item in create.columns or []:
        if isinstance(item, sa.Column) and item.name == name:
            return item
    return None


def _can_fold_alter(create: ops.CreateTableOp, alter: ops.AlterColumnOp) -> bool:
    return (
        _create_column(create, alter.column_name) is not None
        and not alter.modify_name
        and alter.modify_comment is False
    )


def _apply_alter(create: ops.CreateTableOp, alter: ops.AlterColumnOp) -> None:
    column = _create_column(create, alter.column_name)
    assert column is not None
    if alter.modify_type is not None:
        column.type = alter.modify_type
    if alter.modify_nullable is not None:
        column.nullable = alter.modify_nullable
    if alter.modify_server_default is not False:
        value = alter.modify_server_default
        column.server_default = None if value is None else sa.DefaultClause(value)


def _can_drop_from_create(
    operations: list[ops.MigrateOperation],
    index: int,
    drop_index: int,
    create: ops.CreateTableOp,
    column_name: str,
) -> bool:
    if _create_column(create, column_name) is None:
        return False
    for item in create.columns or []:
        if isinstance(item, sa.Constraint):
            names = {getattr(c, "name", c) for c in getattr(item, "_pending_colargs", [])}
            names |= {c.name for c in getattr(item, "columns", [])}
            if column_name in names:
                return False
    return not any(
        column_name in _columns_named(op) or "*" in _columns_named(op)
        for op in operations[index + 1 : drop_index]
        if _table(op) == create.table_name
    )


def _add_then_drop(
    operations: list[ops.MigrateOperation], index: int, add: ops.AddColumnOp
) -> list[ops.MigrateOperation] | None:
    table, name = add.table_name, add.column.name
    for later_index in range(index + 1, len(operations)):
        later = operations[later_index]
        if _table(later) != table:
            continue
        if isinstance(later, ops.DropColumnOp) and later.column_name == name:
            return (
                operations[:index]
                + operations[index + 1 : later_index]
                + operations[later_index + 1 :]
            )
        named = _columns_named(later)
        if name in named or "*" in named or isinstance(later, ops.DropTableOp):
            return None
    return None


def _before_drop(
    operations: list[ops.MigrateOperation], index: int, drop: ops.DropTableOp
) -> list[ops.MigrateOperation] | None:
    table = drop.table_name
    doomed = [
        i
        for i in range(index)
        if _table(operations[i]) == table
        and not isinstance(operations[i], ops.CreateTableOp | ops.RenameTableOp | ops.DropTableOp)
    ]
    # Only operations since the table's last creation or rename can go.
    fence = max(
        (
            i
            for i in range(index)
            if isinstance(operations[i], ops.CreateTableOp | ops.RenameTableOp)
            and table
            in (
                getattr(operations[i], "table_name", None),
                getattr(operations[i], "new_table_name", None),
            )
        ),
        default=-1,
    )
    doomed = [i for i in doomed if i > fence]
    if not doomed:
        return None
    return [op for i, op in enumerate(operations) if i not in doomed]
