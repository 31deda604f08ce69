"""The squash optimizer: shorter operation lists that do the same."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic.operations import ops

from fastjango.db.migrations.operations import RunPythonOp
from fastjango.db.migrations.optimizer import flatten, group, optimize


def create(name: str, *columns: Any) -> ops.CreateTableOp:
    return ops.CreateTableOp(name, [sa.Column("id", sa.Integer, primary_key=True), *columns])


def add(table: str, name: str, *args: Any, **kw: Any) -> ops.AddColumnOp:
    return ops.AddColumnOp(table, sa.Column(name, *(args or (sa.Integer,)), **kw))


def column_names(op: ops.MigrateOperation) -> list[str]:
    assert isinstance(op, ops.CreateTableOp)
    return [c.name for c in op.columns or [] if isinstance(c, sa.Column)]


def forwards(apps: Any, schema_editor: Any) -> None:
    return None


def test_columns_fold_into_the_table_that_creates_them() -> None:
    result = optimize(
        [
            create("t"),
            ops.ModifyTableOps("t", [add("t", "a"), add("t", "b")]),
            ops.ModifyTableOps(
                "t",
                [ops.AlterColumnOp("t", "a", modify_type=sa.BigInteger(), modify_nullable=False)],
            ),
            ops.ModifyTableOps("t", [ops.DropColumnOp("t", "b")]),
            ops.ModifyTableOps("t", [ops.AlterColumnOp("t", "a", modify_server_default="1")]),
        ]
    )
    assert len(result) == 1
    table = result[0]
    assert isinstance(table, ops.CreateTableOp)
    assert column_names(table) == ["id", "a"]
    column: Any = (table.columns or [])[1]
    assert isinstance(column.type, sa.BigInteger) and column.nullable is False
    assert column.server_default.arg == "1"


def test_created_then_dropped_table_disappears() -> None:
    result = optimize(
        [create("t"), ops.CreateIndexOp("ix", "t", ["id"]), ops.DropTableOp("t"), create("u")]
    )
    assert [type(op) for op in result] == [ops.CreateTableOp]
    assert getattr(result[0], "table_name", None) == "u"


def test_added_then_dropped_column_disappears() -> None:
    result = optimize(
        [
            ops.ModifyTableOps("t", [add("t", "a")]),
            ops.ModifyTableOps("t", [add("t", "b")]),
            ops.ModifyTableOps("t", [ops.DropColumnOp("t", "a")]),
        ]
    )
    assert len(result) == 1
    group_op = result[0]
    assert isinstance(group_op, ops.ModifyTableOps)
    assert [op.column.name for op in group_op.ops if isinstance(op, ops.AddColumnOp)] == ["b"]


def test_column_used_in_between_stays() -> None:
    operations: list[ops.MigrateOperation] = [
        ops.ModifyTableOps("t", [add("t", "a")]),
        ops.ModifyTableOps("t", [ops.CreateIndexOp("ix", "t", ["a"])]),
        ops.ModifyTableOps("t", [ops.DropColumnOp("t", "a")]),
    ]
    assert len(flatten(optimize(operations))) == 3


def test_data_steps_are_barriers() -> None:
    result = optimize(
        [create("t"), RunPythonOp(forwards), ops.ModifyTableOps("t", [add("t", "a")])]
    )
    assert [type(op) for op in result] == [ops.CreateTableOp, RunPythonOp, ops.ModifyTableOps]
    assert column_names(result[0]) == ["id"]


def test_foreign_key_to_a_later_table_is_not_moved_before_it() -> None:
    result = optimize(
        [
            create("a"),
            create("b"),
            ops.ModifyTableOps("a", [add("a", "b_id", sa.Integer, sa.ForeignKey("b.id"))]),
        ]
    )
    assert column_names(result[0]) == ["id"]
    assert isinstance(result[-1], ops.ModifyTableOps)


def test_renamed_tables_are_left_alone() -> None:
    operations = [
        create("a"),
        ops.RenameTableOp("a", "b"),
        ops.ModifyTableOps("b", [add("b", "x")]),
    ]
    assert len(flatten(optimize(operations))) == 3


def test_changes_before_a_drop_go() -> None:
    result = optimize(
        [
            ops.ModifyTableOps("t", [ops.DropIndexOp("ix", "t"), ops.DropColumnOp("t", "x")]),
            ops.DropTableOp("t"),
        ]
    )
    assert [type(op) for op in result] == [ops.DropTableOp]


def test_a_column_named_in_a_constraint_stays_in_the_table() -> None:
    table = create("t", sa.Column("a", sa.Integer), sa.UniqueConstraint("a", name="uq"))
    result = optimize([table, ops.ModifyTableOps("t", [ops.DropColumnOp("t", "a")])])
    assert len(flatten(result)) == 2


def test_group_keeps_top_level_operations() -> None:
    grouped = group([add("t", "a"), add("t", "b"), RunPythonOp(forwards), add("u", "c")])
    assert [type(op) for op in grouped] == [ops.ModifyTableOps, RunPythonOp, ops.ModifyTableOps]
    first = grouped[0]
    assert isinstance(first, ops.ModifyTableOps) and len(first.ops) == 2
    unique = ops.CreateUniqueConstraintOp("uq", "t", ["a"])
    assert isinstance(group([unique])[0], ops.ModifyTableOps)
