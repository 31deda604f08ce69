"""``MigrationAutodetector``: what changed between the migration history and the models.

The history is replayed into a scratch database (``scratch.py``) and Alembic's
autogenerate compares it with the apps' tables. On top of Alembic the
detector asks (through a questioner) whether a removed and an added field or
model are a rename, gives existing rows a value when a non-null field is
added, splits the operations per app and works out the cross-app
``depends_on`` that foreign keys need.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from alembic.autogenerate import produce_migrations, renderers
from alembic.operations import Operations, ops
from alembic.runtime.migration import MigrationContext

from fastjango.db.migrations.exceptions import CircularDependencyError
from fastjango.db.migrations.loader import MigrationLoader, migration_revision
from fastjango.db.migrations.naming import Namer, suggest_name
from fastjango.db.migrations.operations import FillColumnOp
from fastjango.db.migrations.questioner import NOT_PROVIDED, MigrationQuestioner
from fastjango.db.migrations.recorder import VERSION_TABLE
from fastjango.db.migrations.scratch import History, replay, scratch_connection
from fastjango.db.migrations.serializer import serialize
from fastjango.db.migrations.state import NO_DEFAULT, ProjectTables, field_default

if TYPE_CHECKING:
    from alembic.autogenerate.api import AutogenContext
    from sqlalchemy.engine import Connection

    from fastjango.db.backends.base.base import BaseDatabaseWrapper

__all__ = [
    "AppChanges",
    "MigrationAutodetector",
    "compare_options",
    "pending_changes",
    "referenced_tables",
]

_PLUGINS = ["alembic.autogenerate.*", "alembic.ext.checkconstraint_byname"]


@renderers.dispatch_for(FillColumnOp)
def _render_fill_column(autogen_context: AutogenContext, operation: FillColumnOp) -> str:
    source, imports = serialize(operation.value)
    autogen_context.imports.update(imports)
    autogen_context.imports.add("from fastjango.db import migrations")
    return f"migrations.fill_column({operation.table_name!r}, {operation.column_name!r}, {source})"


@renderers.dispatch_for(ops.RenameTableOp)
def _render_rename_table(autogen_context: AutogenContext, operation: ops.RenameTableOp) -> str:
    return f"op.rename_table({operation.table_name!r}, {operation.new_table_name!r})"


def _order_column_value(table_name: str, column: sa.Column[Any], addition: bool) -> Any:
    """Return 0 for an ``_order`` column (order_with_respect_to) added back; else nothing."""
    if addition and column.name == "_order" and isinstance(column.type, sa.Integer):
        return 0
    return NOT_PROVIDED


@dataclass
class AppChanges:
    """The new migration of one app: its operations, then (once arranged) its identity."""

    app_label: str
    upgrade: list[ops.MigrateOperation]
    downgrade: list[ops.MigrateOperation]
    #: apps whose tables the new operations refer to
    needs_apps: set[str] = field(default_factory=set)
    initial: bool = False
    name: str = ""
    revision: str = ""
    down_revision: str | tuple[str, ...] | None = None
    branch_labels: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()
    path: Path | None = None
    replaces: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """Return ``"app_label.name"``."""
        return f"{self.app_label}.{self.name}"


def _table_of(operation: ops.MigrateOperation) -> str | None:
    if isinstance(operation, ops.RenameTableOp):
        return str(operation.new_table_name)
    if isinstance(operation, ops.AddConstraintOp):
        return str(operation.to_constraint().table.name)
    name = getattr(operation, "table_name", None)
    return None if name is None else str(name)


def _fk_tables(column_or_constraint: Any) -> set[str]:
    result: set[str] = set()
    elements: Any = getattr(column_or_constraint, "foreign_keys", None) or getattr(
        column_or_constraint, "elements", None
    )
    for fk in elements or ():
        target = str(fk.target_fullname)
        result.add(target.rsplit(".", 1)[0].rsplit(".", 1)[-1])
    return result


def referenced_tables(operation: ops.MigrateOperation) -> set[str]:
    """Return the tables an operation's foreign keys point at."""
    if isinstance(operation, ops.ModifyTableOps):
        found: set[str] = set()
        for inner in operation.ops:
            found |= referenced_tables(inner)
        return found
    if isinstance(operation, ops.CreateTableOp):
        found = set()
        for item in operation.columns or ():
            found |= _fk_tables(item)
        return found - {operation.table_name}
    if isinstance(operation, ops.AddColumnOp):
        return _fk_tables(operation.column) - {operation.table_name}
    if isinstance(operation, ops.CreateForeignKeyOp):
        return {str(operation.referent_table)} - {str(operation.source_table)}
    return set()


def _fk_signature(constraint: Any, with_deferral: bool) -> tuple[Any, ...]:
    elements = list(constraint.elements)
    signature: tuple[Any, ...] = (
        tuple(element.parent.name for element in elements),
        tuple(str(element.target_fullname) for element in elements),
        (constraint.ondelete or "").upper() or None,
        (constraint.onupdate or "").upper() or None,
    )
    if with_deferral:
        signature += (bool(constraint.deferrable), (constraint.initially or "").upper() or None)
    return signature


def drop_foreign_key_phantoms(operations: list[ops.MigrateOperation], dialect: str) -> None:
    """Remove drop-and-recreate pairs of a foreign key that differ in nothing the database keeps.

    MySQL has no deferrable constraints, so a model's ``DEFERRABLE INITIALLY
    DEFERRED`` foreign key reads back without it.
    """
    with_deferral = dialect not in ("mysql", "mariadb")
    for operation in operations:
        if not isinstance(operation, ops.ModifyTableOps):
            continue
        drops = {
            inner.constraint_name: inner
            for inner in operation.ops
            if isinstance(inner, ops.DropConstraintOp)
            and inner.constraint_type == "foreignkey"
            and inner._reverse is not None
        }
        doomed: list[ops.MigrateOperation] = []
        for inner in operation.ops:
            if not isinstance(inner, ops.CreateForeignKeyOp):
                continue
            drop = drops.get(inner.constraint_name)
            if drop is None or drop._reverse is None:
                continue
            old = drop._reverse.to_constraint()
            new = inner.to_constraint()
            if _fk_signature(old, with_deferral) == _fk_signature(new, with_deferral):
                doomed.extend([drop, inner])
        operation.ops = [inner for inner in operation.ops if inner not in doomed]
    operations[:] = [
        operation
        for operation in operations
        if not (isinstance(operation, ops.ModifyTableOps) and not operation.ops)
    ]


def drop_doomed_details(operations: list[ops.MigrateOperation]) -> None:
    """Leave out dropping the indexes and constraints of a table the same list drops.

    Dropping the table drops them; and MySQL refuses to drop an index that a
    foreign key still uses.
    """
    doomed = {op.table_name for op in operations if isinstance(op, ops.DropTableOp)}
    if not doomed:
        return
    kept: list[ops.MigrateOperation] = []
    for operation in operations:
        if isinstance(operation, ops.ModifyTableOps) and operation.table_name in doomed:
            operation.ops = [
                inner
                for inner in operation.ops
                if not isinstance(inner, ops.DropIndexOp | ops.DropConstraintOp)
            ]
            if not operation.ops:
                continue
        elif isinstance(operation, ops.DropIndexOp) and operation.table_name in doomed:
            continue
        kept.append(operation)
    operations[:] = kept


def defer_forward_foreign_keys(
    operations: list[ops.MigrateOperation],
) -> list[ops.MigrateOperation]:
    """Add a new table's foreign keys to tables created after it once those exist.

    Two new models that point at each other can't both be created with their
    foreign keys; as Django does, the later key is added in a second step.
    Return the operations added (the downgrade drops those keys first).
    """
    created = {
        op.table_name: index
        for index, op in enumerate(operations)
        if isinstance(op, ops.CreateTableOp)
    }
    later: list[ops.MigrateOperation] = []
    for index, operation in enumerate(operations):
        if not isinstance(operation, ops.CreateTableOp):
            continue
        kept = []
        for item in operation.columns or []:
            if isinstance(item, sa.ForeignKeyConstraint):
                targets = _fk_tables(item) - {operation.table_name}
                if any(created.get(target, -1) > index for target in targets):
                    later.append(
                        ops.ModifyTableOps(
                            operation.table_name, [ops.CreateForeignKeyOp.from_constraint(item)]
                        )
                    )
                    continue
            kept.append(item)
        operation.columns = kept
    operations.extend(later)
    return later


def _mark_helper(operation: ops.MigrateOperation) -> None:
    # Helper operations (fills, index details of a new table) are written to the
    # file but not listed or used to name the migration.
    vars(operation)["helper"] = True


def _hide_table_details(operations: list[ops.MigrateOperation]) -> None:
    # The indexes of a table created or dropped in the same migration are part of
    # "Create model" / "Delete model", as in Django: not listed or named apart.
    whole = {
        op.table_name for op in operations if isinstance(op, ops.CreateTableOp | ops.DropTableOp)
    }
    for operation in operations:
        if isinstance(operation, ops.ModifyTableOps) and operation.table_name in whole:
            if all(
                isinstance(inner, ops.CreateIndexOp | ops.DropIndexOp) for inner in operation.ops
            ):
                _mark_helper(operation)
                for inner in operation.ops:
                    _mark_helper(inner)
        elif isinstance(operation, ops.CreateIndexOp | ops.DropIndexOp):
            if operation.table_name in whole:
                _mark_helper(operation)


def _compare_type(
    context: MigrationContext,
    inspected_column: sa.Column[Any],
    metadata_column: sa.Column[Any],
    inspected_type: Any,
    metadata_type: Any,
) -> bool | None:
    # Types a backend stores as something else compare equal to what it stores.
    dialect = context.dialect.name
    meta = metadata_type
    if isinstance(meta, sa.TypeDecorator):
        meta = meta.load_dialect_impl(context.dialect)
    if isinstance(meta, sa.Uuid) and not isinstance(inspected_type, sa.Uuid):
        if dialect in ("sqlite", "mysql", "mariadb"):
            return not (
                isinstance(inspected_type, sa.String) and getattr(inspected_type, "length", 0) == 32
            )
    if isinstance(meta, sa.Boolean) and dialect in ("mysql", "mariadb"):
        return not isinstance(inspected_type, sa.Boolean | sa.SmallInteger | sa.Integer)
    if isinstance(meta, sa.JSON) and dialect in ("mysql", "mariadb"):
        return not isinstance(inspected_type, sa.JSON | sa.String)
    if isinstance(meta, sa.DateTime) and isinstance(inspected_type, sa.DateTime):
        if dialect in ("sqlite", "mysql", "mariadb"):
            # No time zone column type there: aware values are stored in UTC.
            return False
    return None


def compare_options(
    include_name: Any, include_object: Any, metadatas: list[sa.MetaData]
) -> dict[str, Any]:
    """Return the Alembic context options FastJango compares schemas with."""
    return {
        "compare_type": _compare_type,
        "compare_server_default": True,
        "render_as_batch": True,
        "include_name": include_name,
        "include_object": include_object,
        "target_metadata": metadatas,
        "autogenerate_plugins": _PLUGINS,
        "version_table": VERSION_TABLE,
    }


class MigrationAutodetector:
    """Find the schema changes the models of some apps need, per app."""

    def __init__(
        self,
        loader: MigrationLoader,
        questioner: MigrationQuestioner | None = None,
        connection: BaseDatabaseWrapper | None = None,
    ) -> None:
        from fastjango.db import DEFAULT_DB_ALIAS, connections

        self.loader = loader
        self.questioner = questioner or MigrationQuestioner()
        self.connection = connection or connections[DEFAULT_DB_ALIAS]
        self.apps = loader.apps
        self.project = ProjectTables.collect(self.apps)

    # -- entry point -----------------------------------------------------------

    def changes(
        self, app_labels: Iterable[str] | None = None, migration_name: str | None = None
    ) -> list[AppChanges]:
        """Return the new migrations needed, ordered so each comes after those it needs.

        ``app_labels`` limits detection to those apps (and any app their new
        foreign keys need); None means every app that has migrations.
        """
        scope = set(app_labels) if app_labels is not None else set(self.loader.migrated_apps)
        with scratch_connection(self.connection) as conn:
            history = self._prepare(conn, scope)
            while True:
                changes = self._detect(conn, scope, history)
                extra = self._missing_apps(changes, scope, history)
                if not extra:
                    break
                scope |= extra
            renames = self._ask_renames(conn, changes, history)
            if renames:
                changes = self._detect(conn, scope, history)
                for app_label, (upgrade, downgrade) in renames.items():
                    entry = changes.setdefault(app_label, AppChanges(app_label, [], []))
                    entry.upgrade[:0] = upgrade
                    entry.downgrade.extend(downgrade)
        for entry in changes.values():
            self._fill_not_null(entry)
            entry.needs_apps = self._needed_apps(entry, history)
        return self.arrange(changes, migration_name)

    # -- scratch database ------------------------------------------------------

    def _prepare(self, conn: Connection, scope: set[str]) -> History:
        # Apps without migrations get their tables as `migrate --run-syncdb` makes them,
        # so that migrated apps' foreign keys to them can be created.
        unmigrated = (self.loader.unmigrated_apps - scope) & set(self.apps.app_configs)
        synced = ProjectTables.collect(self.apps, unmigrated)
        if synced.tables:
            tables = list(synced.tables.values())
            for table in sa.sql.util.sort_tables(tables):
                if table in tables:
                    table.create(conn, checkfirst=True)
        history = History()
        return replay(conn, self.loader, history=history)

    def _context(self, conn: Connection, scope: set[str], history: History) -> MigrationContext:
        project = ProjectTables.collect(self.apps, scope)
        scoped = set(project.tables)

        def wanted(name: str) -> bool:
            if name == VERSION_TABLE:
                return False
            return name in scoped or history.owners.get(name) in scope

        def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
            if type_ == "table":
                return name is not None and wanted(name)
            if type_ == "check_constraint" and name is not None:
                # MariaDB guards JSON columns with checks named after the column.
                table = project.tables.get(str(parent_names.get("table_name")))
                if table is not None and name in table.c:
                    return False
            return True

        def include_object(
            obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
        ) -> bool:
            if type_ == "table":
                return name is not None and wanted(name)
            return True

        options = compare_options(include_name, include_object, project.metadatas())
        return MigrationContext.configure(conn, opts=options)

    def _detect(self, conn: Connection, scope: set[str], history: History) -> dict[str, AppChanges]:
        context = self._context(conn, scope, history)
        metadatas = context.opts["target_metadata"]
        with warnings.catch_warnings():
            # Tables whose foreign keys point at each other: handled below.
            warnings.filterwarnings(
                "ignore", message="Cannot correctly sort tables", category=sa.exc.SAWarning
            )
            # The database spells a generated column's expression its own way; Alembic
            # can't alter one anyway.
            warnings.filterwarnings(
                "ignore", message="Computed default on .* cannot be modified", category=UserWarning
            )
            script = produce_migrations(context, metadatas)
        changes: dict[str, AppChanges] = {}
        assert script.upgrade_ops is not None and script.downgrade_ops is not None
        drop_foreign_key_phantoms(script.upgrade_ops.ops, context.dialect.name)
        drop_foreign_key_phantoms(script.downgrade_ops.ops, context.dialect.name)
        drop_doomed_details(script.upgrade_ops.ops)
        drop_doomed_details(script.downgrade_ops.ops)
        for operation in script.upgrade_ops.ops:
            app_label = self._owner(operation, history)
            changes.setdefault(app_label, AppChanges(app_label, [], [])).upgrade.append(operation)
        for operation in script.downgrade_ops.ops:
            app_label = self._owner(operation, history)
            changes.setdefault(app_label, AppChanges(app_label, [], [])).downgrade.append(operation)
        for entry in changes.values():
            deferred = defer_forward_foreign_keys(entry.upgrade)
            entry.downgrade[:0] = [operation.reverse() for operation in reversed(deferred)]
            _hide_table_details(entry.upgrade)
            self._hide_through_tables(entry.upgrade)
            self._hide_field_details(entry.upgrade)
        return changes

    def _hide_field_details(self, operations: list[ops.MigrateOperation]) -> None:
        # The index and foreign key of a field added or removed here are part of
        # "Add field" / "Remove field", as in Django: not listed or named apart.
        namer = Namer("", self.project)
        items = [item for operation in operations for item in namer.flatten(operation)]
        created = {str(op.table_name) for op in items if isinstance(op, ops.CreateTableOp)}
        added = {
            (str(op.table_name), str(op.column.name))
            for op in items
            if isinstance(op, ops.AddColumnOp)
        }
        dropped = {
            (str(op.table_name), str(op.column_name))
            for op in items
            if isinstance(op, ops.DropColumnOp)
        }
        for operation in operations:
            inner = namer.flatten(operation)
            details = [
                item
                for item in inner
                if namer.part_of_field(item, created=created, added=added, dropped=dropped)
            ]
            for item in details:
                _mark_helper(item)
            if details and len(details) == len(inner) and operation is not inner[0]:
                _mark_helper(operation)

    def _hide_through_tables(self, operations: list[ops.MigrateOperation]) -> None:
        # A many-to-many table created with its model is part of "Create model", as in Django.
        namer = Namer("", self.project)
        created = {op.table_name for op in operations if isinstance(op, ops.CreateTableOp)}
        for operation in operations:
            if isinstance(operation, ops.CreateTableOp):
                through = namer.through_field(operation.table_name)
                if through is not None and through[0] in created:
                    _mark_helper(operation)

    def _owner(self, operation: ops.MigrateOperation, history: History) -> str:
        table = _table_of(operation)
        owner = None
        if table is not None:
            owner = self.project.owners.get(table) or history.owners.get(table)
        if owner is None:
            raise ValueError(f"Can't tell which app the change to table {table!r} belongs to.")
        return owner

    def _missing_apps(
        self, changes: dict[str, AppChanges], scope: set[str], history: History
    ) -> set[str]:
        # A new foreign key to a table nobody's migrations create yet: that app
        # needs a migration too (as Django adds dependencies' migrations).
        extra: set[str] = set()
        for entry in changes.values():
            for operation in entry.upgrade:
                for table in referenced_tables(operation):
                    owner = self.project.owners.get(table)
                    if (
                        owner is not None
                        and owner not in scope
                        and table not in history.owners
                        and owner in self.loader.migrated_apps
                    ):
                        extra.add(owner)
        return extra

    # -- renames ---------------------------------------------------------------

    def _ask_renames(
        self, conn: Connection, changes: dict[str, AppChanges], history: History
    ) -> dict[str, tuple[list[ops.MigrateOperation], list[ops.MigrateOperation]]]:
        context = MigrationContext.configure(conn)
        result: dict[str, tuple[list[ops.MigrateOperation], list[ops.MigrateOperation]]] = {}
        for app_label, entry in sorted(changes.items()):
            namer = Namer(app_label, self.project)
            upgrade: list[ops.MigrateOperation] = []
            downgrade: list[ops.MigrateOperation] = []
            for old, new in self._table_renames(context, entry, namer, app_label):
                upgrade.append(ops.RenameTableOp(old, new))
                downgrade.insert(0, ops.RenameTableOp(new, old))
                history.owners[new] = history.owners.pop(old, app_label)
            for table, old_col, new_col in self._column_renames(context, entry, namer):
                upgrade.append(
                    ops.ModifyTableOps(
                        table,
                        [
                            ops.AlterColumnOp(
                                table,
                                old_col.name,
                                modify_name=new_col.name,
                                existing_type=new_col.type,
                                existing_nullable=new_col.nullable,
                                existing_server_default=old_col.server_default,
                            )
                        ],
                    )
                )
                downgrade.insert(
                    0,
                    ops.ModifyTableOps(
                        table,
                        [
                            ops.AlterColumnOp(
                                table,
                                new_col.name,
                                modify_name=old_col.name,
                                existing_type=new_col.type,
                                existing_nullable=new_col.nullable,
                                existing_server_default=old_col.server_default,
                            )
                        ],
                    ),
                )
            if upgrade:
                result[app_label] = (upgrade, downgrade)
        if result:
            operations = Operations(context)
            for upgrade, _ in result.values():
                for operation in upgrade:
                    if isinstance(operation, ops.ModifyTableOps):
                        for inner in operation.ops:
                            operations.invoke(inner)
                    else:
                        operations.invoke(operation)
        return result

    @staticmethod
    def _same_columns(
        context: MigrationContext, old: sa.Table, new: sa.Table, ignore: Iterable[str] = ()
    ) -> bool:
        skip = set(ignore)
        old_cols = {c.name: c for c in old.c if c.name not in skip}
        new_cols = {c.name: c for c in new.c if c.name not in skip}
        if set(old_cols) != set(new_cols):
            return False
        return all(
            not context.impl.compare_type(old_cols[name], new_cols[name])
            and bool(old_cols[name].nullable) == bool(new_cols[name].nullable)
            for name in old_cols
        )

    def _table_renames(
        self, context: MigrationContext, entry: AppChanges, namer: Namer, app_label: str
    ) -> list[tuple[str, str]]:
        dropped = [op for op in entry.upgrade if isinstance(op, ops.DropTableOp)]
        created = [op for op in entry.upgrade if isinstance(op, ops.CreateTableOp)]
        renames: list[tuple[str, str]] = []
        for create in created:
            new_table = self.project.tables.get(create.table_name)
            if new_table is None:
                new_table = create.to_table()
            for drop in dropped:
                if self._same_columns(context, drop.to_table(), new_table):
                    old_name = namer.short_name(drop.table_name)
                    if self.questioner.ask_rename_model(
                        app_label, old_name, namer.object_name(create.table_name)
                    ):
                        renames.append((drop.table_name, create.table_name))
                        dropped.remove(drop)
                        break
        return renames

    def _column_renames(
        self, context: MigrationContext, entry: AppChanges, namer: Namer
    ) -> list[tuple[str, sa.Column[Any], sa.Column[Any]]]:
        renames: list[tuple[str, sa.Column[Any], sa.Column[Any]]] = []
        for operation in entry.upgrade:
            if not isinstance(operation, ops.ModifyTableOps):
                continue
            dropped = [
                op
                for op in operation.ops
                if isinstance(op, ops.DropColumnOp) and op._reverse is not None
            ]
            for add in [op for op in operation.ops if isinstance(op, ops.AddColumnOp)]:
                for drop in dropped:
                    assert drop._reverse is not None
                    old_col = drop._reverse.column
                    new_col = add.column
                    if context.impl.compare_type(old_col, new_col):
                        continue
                    if bool(old_col.nullable) != bool(new_col.nullable):
                        continue
                    table = operation.table_name
                    model_field = self.project.field_for_column(table, new_col.name)
                    kind = type(model_field if model_field is not None else new_col.type).__name__
                    if self.questioner.ask_rename(
                        namer.model_name(table),
                        old_col.name,
                        namer.field_name(table, new_col.name),
                        kind,
                    ):
                        renames.append((table, old_col, new_col))
                        dropped.remove(drop)
                        break
        return renames

    # -- non-null fields on tables with rows -----------------------------------

    def _fill_not_null(self, entry: AppChanges) -> None:
        namer = Namer(entry.app_label, self.project)

        def upgrade_value(table_name: str, column: sa.Column[Any], addition: bool) -> Any:
            return self._default_for(namer, table_name, column, addition=addition)

        entry.upgrade = self._filled(entry.upgrade, upgrade_value)
        # Undoing the removal of order_with_respect_to adds ``_order`` back: its rows
        # get 0, as Django's AlterOrderWithRespectTo gives them. Nothing else is asked
        # about while writing a downgrade.
        entry.downgrade = self._filled(entry.downgrade, _order_column_value)

    def _filled(
        self,
        operations: list[ops.MigrateOperation],
        value_for: Callable[[str, sa.Column[Any], bool], Any],
    ) -> list[ops.MigrateOperation]:
        """Return ``operations`` with existing rows given a value where a column turns NOT NULL."""
        result: list[ops.MigrateOperation] = []
        for operation in operations:
            if not isinstance(operation, ops.ModifyTableOps):
                result.append(operation)
                continue
            table_name = operation.table_name
            before: list[ops.MigrateOperation] = []
            after: list[ops.MigrateOperation] = []
            inner_ops: list[ops.MigrateOperation] = []
            for inner in operation.ops:
                if (
                    isinstance(inner, ops.AddColumnOp)
                    and not inner.column.nullable
                    and inner.column.server_default is None
                    and not inner.column.primary_key
                ):
                    value = value_for(table_name, inner.column, True)
                    if value is not NOT_PROVIDED:
                        column = inner.column._copy()
                        column.nullable = True
                        inner_ops.append(ops.AddColumnOp(table_name, column))
                        fill = FillColumnOp(table_name, column.name, value)
                        alter = ops.AlterColumnOp(
                            table_name,
                            column.name,
                            modify_nullable=False,
                            existing_type=column.type,
                            existing_nullable=True,
                        )
                        _mark_helper(alter)
                        after.extend([fill, ops.ModifyTableOps(table_name, [alter])])
                        continue
                elif isinstance(inner, ops.AlterColumnOp) and inner.modify_nullable is False:
                    column_obj = self._column(table_name, inner.column_name)
                    if column_obj is not None and column_obj.server_default is None:
                        value = value_for(table_name, column_obj, False)
                        if value is not NOT_PROVIDED:
                            before.append(FillColumnOp(table_name, inner.column_name, value))
                inner_ops.append(inner)
            result.extend(before)
            result.append(ops.ModifyTableOps(table_name, inner_ops, schema=operation.schema))
            result.extend(after)
        return result

    def _column(self, table_name: str, column_name: str) -> sa.Column[Any] | None:
        table = self.project.tables.get(table_name)
        if table is None or column_name not in table.c:
            return None
        column: sa.Column[Any] = table.c[column_name]
        return column

    def _default_for(
        self, namer: Namer, table_name: str, column: sa.Column[Any], *, addition: bool
    ) -> Any:
        table = self.project.tables.get(table_name)
        if table is not None:
            value = field_default(self.project, table, column)
            if value is not NO_DEFAULT:
                return value
        field_name = namer.field_name(table_name, column.name)
        model_name = namer.model_name(table_name)
        if addition:
            return self.questioner.ask_not_null_addition(field_name, model_name)
        return self.questioner.ask_not_null_alteration(field_name, model_name)

    # -- dependencies, numbers and names ---------------------------------------

    def _needed_apps(self, entry: AppChanges, history: History) -> set[str]:
        needed: set[str] = set()
        for operation in entry.upgrade:
            for table in referenced_tables(operation):
                owner = self.project.owners.get(table) or history.owners.get(table)
                if owner is not None and owner != entry.app_label:
                    needed.add(owner)
        return needed

    def arrange(
        self, changes: dict[str, AppChanges], migration_name: str | None = None
    ) -> list[AppChanges]:
        """Number, name and link the new migrations; return them in dependency order."""
        pending = {label: entry for label, entry in changes.items() if entry.upgrade}
        ordered: list[AppChanges] = []
        while pending:
            ready = sorted(
                label
                for label, entry in pending.items()
                if not (entry.needs_apps & set(pending)) - {label}
            )
            if not ready:
                loop = ", ".join(sorted(pending))
                raise CircularDependencyError(
                    f"The new foreign keys of apps {loop} point at each other in a loop. Make the "
                    "migrations in two steps: first without one of the foreign keys (or with it "
                    "commented out), then with it."
                )
            for label in ready:
                ordered.append(pending.pop(label))
        made: dict[str, AppChanges] = {}
        for entry in ordered:
            self._identify(entry, made, migration_name)
            made[entry.app_label] = entry
        return ordered

    def next_number(self, app_label: str) -> int:
        """Return the number the next migration file of an app gets."""
        numbers = [
            m.number for (label, _), m in self.loader.disk_migrations.items() if label == app_label
        ]
        return max(numbers, default=0) + 1

    def _identify(
        self, entry: AppChanges, made: dict[str, AppChanges], migration_name: str | None
    ) -> None:
        app_label = entry.app_label
        leaves = self.loader.leaf_nodes(app_label)
        entry.initial = not leaves
        namer = Namer(app_label, self.project)
        if migration_name:
            name = migration_name
        else:
            fragments = [
                namer.fragment(item)
                for operation in entry.upgrade
                if not getattr(operation, "helper", False)
                for item in namer.flatten(operation)
                if not getattr(item, "helper", False)
            ]
            name = suggest_name(fragments, entry.initial)
        entry.name = f"{self.next_number(app_label):04d}_{name}"
        entry.revision = migration_revision(app_label, entry.name)
        if leaves:
            entry.down_revision = leaves[0].revision
        else:
            entry.branch_labels = (app_label,)
        depends: list[str] = []
        for other in sorted(entry.needs_apps):
            if other in made:
                depends.append(made[other].revision)
            else:
                other_leaves = self.loader.leaf_nodes(other)
                if other_leaves:
                    depends.append(other_leaves[0].revision)
        entry.depends_on = tuple(depends)
        app_config = self.apps.get_app_config(app_label)
        directory = self.loader.migrations_dir(app_config)
        if directory is not None:
            entry.path = directory / f"{entry.name}.py"

    def describe(self, entry: AppChanges) -> list[tuple[str, str]]:
        """Return ``(category, description)`` for each operation a person would see."""
        namer = Namer(entry.app_label, self.project)
        result = []
        for operation in entry.upgrade:
            for item in namer.flatten(operation):
                if getattr(item, "helper", False):
                    continue
                result.append((namer.category(item), namer.describe(item)))
        return result


def pending_changes(connection: BaseDatabaseWrapper, labels: set[str] | None = None) -> list[str]:
    """Return the apps whose models differ from a fully migrated database's schema.

    A cheap check for ``migrate`` (no scratch database): only tables of the
    apps' current models are compared, so a removed model goes unnoticed.
    """
    loader = MigrationLoader()
    scope = (labels or loader.migrated_apps) & loader.migrated_apps
    project = ProjectTables.collect(loader.apps, scope)
    if not project.tables:
        return []

    def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
        if type_ == "table":
            return name in project.tables
        if type_ == "check_constraint" and name is not None:
            table = project.tables.get(str(parent_names.get("table_name")))
            return table is None or name not in table.c
        return True

    def include_object(obj: Any, name: str | None, type_: str, *args: Any) -> bool:
        return type_ != "table" or name in project.tables

    with connection.connect() as conn:
        options = compare_options(include_name, include_object, project.metadatas())
        context = MigrationContext.configure(conn, opts=options)
        with warnings.catch_warnings():
            warnings.filterwarnings(
                "ignore", message="Computed default on .* cannot be modified", category=UserWarning
            )
            script = produce_migrations(context, options["target_metadata"])
    assert script.upgrade_ops is not None
    drop_foreign_key_phantoms(script.upgrade_ops.ops, context.dialect.name)
    changed = set()
    for operation in script.upgrade_ops.ops:
        table = _table_of(operation)
        if table in project.owners:
            changed.add(project.owners[table])
    return sorted(changed)
