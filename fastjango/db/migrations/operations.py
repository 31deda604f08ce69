"""What a migration file calls besides Alembic's ``op``: data migrations and fills.

``run_python(forwards)`` is Django's ``RunPython``: it calls
``forwards(apps, schema_editor)`` with the app registry and an object whose
``connection`` is the database being migrated, so ORM code inside runs in the
migration's transaction. It is skipped when the history is replayed to
compute the schema (``makemigrations``) and printed as a comment by
``sqlmigrate``. ``fill_column`` gives existing rows a value for a new
column, which is how a non-null field is added to a table with rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from alembic import op
from alembic.operations import Operations, ops

from fastjango.apps import apps as global_apps

if TYPE_CHECKING:
    from alembic.runtime.migration import MigrationContext

    from fastjango.apps.config import AppConfig
    from fastjango.db.backends.base.base import BaseDatabaseWrapper

__all__ = [
    "FillColumnOp",
    "MigrationApps",
    "OperationTracker",
    "RunPython",
    "RunPythonOp",
    "SchemaEditor",
    "fill_column",
    "run_python",
    "run_sql",
]

#: keys FastJango puts in the Alembic MigrationContext's opts
ALIAS_OPTION = "fastjango_alias"
SCHEMA_ONLY_OPTION = "fastjango_schema_only"

PythonCode = Callable[[Any, "SchemaEditor"], Any]


class MigrationApps:
    """The app registry a data migration sees: ``apps.get_model("polls", "Question")``.

    Models are the current ones (FastJango keeps no historical model
    states), so write data migrations against columns that the migration's
    point in history has, and keep them short-lived.
    """

    def __init__(self) -> None:
        self._apps = global_apps

    def get_model(self, app_label: str, model_name: str | None = None) -> Any:
        """Return a model from ``"app_label.ModelName"`` or the two names."""
        return self._apps.get_model(app_label, model_name)

    def get_models(self, include_auto_created: bool = False) -> list[Any]:
        """Return every installed model."""
        return list(self._apps.get_models(include_auto_created=include_auto_created))

    def get_app_config(self, app_label: str) -> AppConfig:
        """Return the ``AppConfig`` of an app."""
        return self._apps.get_app_config(app_label)


class SchemaEditor:
    """The second argument of a data migration function.

    ``connection`` is the database wrapper being migrated (so
    ``schema_editor.connection.alias`` is the ``using`` to pass to the ORM),
    ``execute()`` runs SQL on the migration's own connection.
    """

    def __init__(self, connection: BaseDatabaseWrapper, context: MigrationContext) -> None:
        self.connection = connection
        self.context = context

    def execute(self, sql: str | sa.Executable, params: dict[str, Any] | None = None) -> Any:
        """Run a statement (SQL text with ``:name`` binds, or a Core construct)."""
        statement = sa.text(sql) if isinstance(sql, str) else sql
        bind = self.context.bind
        assert bind is not None
        return bind.execute(statement, params or {})


class RunPythonOp(ops.MigrateOperation):
    """The Alembic operation behind ``run_python()``, so it is tracked like the others."""

    def __init__(self, code: PythonCode, atomic: bool = True) -> None:
        self.code = code
        self.atomic = atomic

    @property
    def name(self) -> str:
        """Return the function's qualified name."""
        return str(getattr(self.code, "__qualname__", repr(self.code)))

    def describe(self, namer: Any) -> tuple[str, str, str | None]:
        """Return Django's description, category and (no) name fragment."""
        return "Raw Python operation", "p", None


@Operations.implementation_for(RunPythonOp)
def _run_python(operations: Operations, operation: RunPythonOp) -> None:
    context = operations.get_context()
    alias = context.opts.get(ALIAS_OPTION)
    # Offline SQL (sqlmigrate) and history replays (makemigrations) run no Python.
    if context.as_sql or context.opts.get(SCHEMA_ONLY_OPTION) or alias is None:
        return
    from fastjango.db import connections, transaction

    connection = connections[alias]
    editor = SchemaEditor(connection, context)
    guard: Any = nullcontext()
    if operation.atomic and not connection.in_atomic_block:
        guard = transaction.atomic(using=alias)
    with guard:
        operation.code(MigrationApps(), editor)


def run_python(code: PythonCode, *, atomic: bool = True) -> None:
    """Run ``code(apps, schema_editor)`` as a step of the running migration.

    Where the database can't roll back schema changes (MySQL, MariaDB) the
    call gets its own transaction unless ``atomic=False``.
    """
    op.invoke(RunPythonOp(code, atomic))


def run_sql(sql: str | sa.Executable) -> None:
    """Run raw SQL as a step of the migration (Django's ``RunSQL``; ``op.execute`` too)."""
    op.execute(sql)


class FillColumnOp(ops.MigrateOperation):
    """Give rows whose column is NULL a value: the operation behind ``fill_column()``."""

    #: not listed on its own: it accompanies the field it fills
    helper = True

    def __init__(self, table_name: str, column_name: str, value: Any) -> None:
        self.table_name = table_name
        self.column_name = column_name
        self.value = value

    def describe(self, namer: Any) -> tuple[str, str, str | None]:
        """Return the description, category and (no) name fragment."""
        model = namer.model_name(self.table_name)
        name = namer.field_name(self.table_name, self.column_name)
        return f"Fill {name} of existing {model} rows", "~", None


@Operations.implementation_for(FillColumnOp)
def _fill_column(operations: Operations, operation: FillColumnOp) -> None:
    value = operation.value() if callable(operation.value) else operation.value
    column: sa.ColumnClause[Any] = sa.column(operation.column_name)
    table = sa.table(operation.table_name, column)
    # A typed literal, so offline SQL (sqlmigrate) can write the value out.
    statement = table.update().where(column.is_(None)).values({column: sa.literal(value)})
    operations.get_context().execute(statement)


def fill_column(table_name: str, column_name: str, value: Any) -> None:
    """Set ``column_name`` of every row whose value is NULL (a callable is called once)."""
    op.invoke(FillColumnOp(table_name, column_name, value))


class RunPython:
    """Django's ``RunPython(code, reverse_code)`` for migration files ported by hand.

    Call ``forwards()`` from ``upgrade()`` and ``backwards()`` from
    ``downgrade()``; ``RunPython.noop`` is a reverse that does nothing.
    """

    def __init__(
        self,
        code: PythonCode,
        reverse_code: PythonCode | None = None,
        atomic: bool = True,
        hints: dict[str, Any] | None = None,
        elidable: bool = False,
    ) -> None:
        if not callable(code):
            raise ValueError("RunPython must be supplied with a callable")
        if reverse_code is not None and not callable(reverse_code):
            raise ValueError("RunPython must be supplied with callable arguments")
        self.code = code
        self.reverse_code = reverse_code
        self.atomic = atomic
        self.hints = hints or {}
        self.elidable = elidable

    @property
    def reversible(self) -> bool:
        """Return whether the operation can run backwards."""
        return self.reverse_code is not None

    def forwards(self) -> None:
        """Run ``code`` in the running migration."""
        run_python(self.code, atomic=self.atomic)

    def backwards(self) -> None:
        """Run ``reverse_code``; raise ``IrreversibleError`` if there is none."""
        if self.reverse_code is None:
            from fastjango.db.migrations.exceptions import IrreversibleError

            raise IrreversibleError(
                f"RunPython {getattr(self.code, '__qualname__', self.code)} is not reversible: "
                "give it a reverse_code (RunPython.noop to do nothing)."
            )
        run_python(self.reverse_code, atomic=self.atomic)

    @staticmethod
    def noop(apps: Any, schema_editor: SchemaEditor) -> None:
        """Do nothing: the reverse of a data migration that needs no undoing."""
        return None


class OperationTracker:
    """Remember which operations of a migration ran, for error reports and ``sqlmigrate``.

    It wraps one Alembic ``Operations`` object (before its ``op`` proxy is
    installed). Operations inside ``op.batch_alter_table()`` run together
    when the block ends, so they are tracked as one group. With
    ``record_only`` nothing runs: the operations are only collected (to
    list what a migration does without a database).
    """

    def __init__(self, operations: Operations, *, record_only: bool = False) -> None:
        #: operations that finished (or were collected), in order
        self.done: list[ops.MigrateOperation] = []
        #: the operation running now (or the one that raised)
        self.current: ops.MigrateOperation | None = None
        #: called before each operation runs (sqlmigrate writes its comment here)
        self.before: Callable[[ops.MigrateOperation], None] | None = None
        self.record_only = record_only
        self._invoke = operations.invoke
        self._batch = operations.batch_alter_table
        operations.invoke = self._tracked_invoke  # type: ignore[method-assign]
        operations.batch_alter_table = self._tracked_batch  # type: ignore[method-assign]

    def _start(self, operation: ops.MigrateOperation) -> None:
        self.current = operation
        if self.before is not None:
            self.before(operation)

    def _finish(self) -> None:
        if self.current is not None:
            self.done.append(self.current)
        self.current = None

    def _tracked_invoke(self, operation: ops.MigrateOperation) -> Any:
        self._start(operation)
        if self.record_only:
            self._finish()
            # create_table() returns its table, which bulk_insert() may be given; a
            # lightweight one, so the recorded columns stay free to render again.
            if isinstance(operation, ops.CreateTableOp):
                columns = [c for c in operation.columns or () if isinstance(c, sa.Column)]
                return sa.table(operation.table_name, *(sa.column(c.name, c.type) for c in columns))
            return None
        result = self._invoke(operation)
        self._finish()
        return result

    @contextmanager
    def _tracked_batch(self, table_name: str, *args: Any, **kwargs: Any) -> Iterator[Any]:
        collected: list[ops.MigrateOperation] = []
        schema = kwargs.get("schema")
        if self.record_only:
            # Nothing is collected by the batch itself, so it has nothing to run.
            with self._batch(table_name, schema=schema, recreate="never") as batch_op:
                batch_op.invoke = collected.append  # type: ignore[method-assign,assignment]
                yield batch_op
            self.done.append(ops.ModifyTableOps(table_name, collected, schema=schema))
            return
        with self._batch(table_name, *args, **kwargs) as batch_op:
            invoke = batch_op.invoke

            def collect(operation: ops.MigrateOperation) -> Any:
                collected.append(operation)
                return invoke(operation)

            batch_op.invoke = collect  # type: ignore[method-assign]
            yield batch_op
            # The batch runs its operations when the block closes, right after this.
            self._start(ops.ModifyTableOps(table_name, collected, schema=schema))
        self._finish()
