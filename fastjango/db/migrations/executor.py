"""``MigrationExecutor``: plan and apply migrations on one database with Alembic.

Each migration runs as its own Alembic step on the database wrapper's
connection: inside ``transaction.atomic()`` where the backend can roll back
schema changes (PostgreSQL, SQLite), so a failing migration leaves nothing
behind and the version table at the previous revision. ORM code of a data
migration uses that same connection. On SQLite, foreign key enforcement is
off while migrations run (tables are rebuilt to change them) and each
migration ends with ``PRAGMA foreign_key_check``, as Django does.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from alembic.operations import Operations, ops
from alembic.runtime.migration import MigrationContext

from fastjango.db.migrations.exceptions import (
    InconsistentMigrationHistory,
    InvalidMigrationPlan,
    MigrationFailed,
)
from fastjango.db.migrations.loader import Migration, MigrationLoader
from fastjango.db.migrations.naming import Namer
from fastjango.db.migrations.operations import (
    ALIAS_OPTION,
    SCHEMA_ONLY_OPTION,
    OperationTracker,
)
from fastjango.db.migrations.recorder import VERSION_TABLE, MigrationRecorder
from fastjango.db.migrations.state import ProjectTables
from fastjango.db.utils import IntegrityError, NotSupportedError

if TYPE_CHECKING:
    from alembic.runtime.migration import RevisionStep
    from sqlalchemy.engine import Connection

    from fastjango.db.backends.base.base import BaseDatabaseWrapper

__all__ = ["MigrationExecutor", "PlanStep", "record_operations"]

#: ``progress_callback(action, migration, fake)``; action is Django's
#: "apply_start", "apply_success", "unapply_start" or "unapply_success"
ProgressCallback = Callable[[str, "Migration | None", bool], None]


@dataclass
class PlanStep:
    """One migration to apply (or, with ``backwards``, to unapply)."""

    migration: Migration
    backwards: bool
    step: RevisionStep


class _FakeStep:
    """An Alembic step that records itself in the version table without running."""

    def __init__(self, step: RevisionStep) -> None:
        self._step = step

    def __getattr__(self, name: str) -> Any:
        return getattr(self._step, name)

    def migration_fn(self, **kwargs: Any) -> None:
        return None


def record_operations(
    migration: Migration, dialect: sa.Dialect, backwards: bool = False
) -> list[ops.MigrateOperation]:
    """Return the operations a migration's ``upgrade()`` (or ``downgrade()``) performs.

    Nothing runs and no database is needed; data migrations show up as
    ``RunPythonOp`` and raw SQL as ``ExecuteSQLOp``.
    """
    context = MigrationContext.configure(
        dialect=dialect,
        opts={"as_sql": True, "output_buffer": io.StringIO(), SCHEMA_ONLY_OPTION: True},
    )
    operations = Operations(context)
    tracker = OperationTracker(operations, record_only=True)
    operations._install_proxy()
    try:
        (migration.module.downgrade if backwards else migration.module.upgrade)()
    finally:
        operations._remove_proxy()
    return tracker.done


class MigrationExecutor:
    """Plan and run migrations on the database ``connection`` (a ``connections[alias]``)."""

    def __init__(
        self,
        connection: BaseDatabaseWrapper,
        progress_callback: ProgressCallback | None = None,
    ) -> None:
        self.connection = connection
        self.progress_callback = progress_callback
        self.recorder = MigrationRecorder(connection)
        self.loader = MigrationLoader(self.recorder.heads())

    # -- state ---------------------------------------------------------------

    def heads(self) -> tuple[str, ...]:
        """Return the heads the database records, checked against the migration files."""
        heads = self.recorder.heads()
        unknown = [head for head in heads if head not in self.loader.migrations]
        if unknown:
            raise InconsistentMigrationHistory(
                f"Database '{self.connection.alias}' records migration(s) "
                f"{', '.join(sorted(unknown))} as applied, but no installed app's migrations "
                "folder holds them. Restore those files (or add their app to INSTALLED_APPS)."
            )
        return heads

    def applied(self) -> set[str]:
        """Return the revision ids applied on the database."""
        return self.loader.applied_closure(self.heads())

    # -- planning ------------------------------------------------------------

    def migration_plan(
        self, targets: Iterable[tuple[str, str | None]] | None = None
    ) -> list[PlanStep]:
        """Return the steps that bring the database to ``targets``.

        A target is ``(app_label, name)`` for a migration (forwards if it isn't
        applied, otherwise backwards to just after it) or ``(app_label, None)``
        for "zero". None means every app's latest migration.
        """
        script = self.loader.script_directory()
        heads = self.heads()
        applied = self.loader.applied_closure(heads)
        plan: list[PlanStep] = []
        if targets is None:
            destinations: list[tuple[str, bool]] = [("heads", False)]
        else:
            destinations = []
            for app_label, name in targets:
                if name is None:
                    destinations.append((f"{app_label}@base", True))
                elif name == "__latest__":
                    destinations.append((f"{app_label}@head", False))
                else:
                    migration = self.loader.get_migration(app_label, name)
                    destinations.append((migration.revision, migration.revision in applied))
        for destination, backwards in destinations:
            current = self._heads_after(heads, plan)
            try:
                if backwards:
                    steps = script._downgrade_revs(destination, current)  # type: ignore[arg-type]
                else:
                    steps = script._upgrade_revs(destination, current)  # type: ignore[arg-type]
            except Exception as exc:
                raise InvalidMigrationPlan(f"Can't migrate to {destination}: {exc}") from exc
            for step in steps:
                migration = self.loader.migrations[step.revision.revision]
                plan.append(PlanStep(migration, not step.is_upgrade, step))
        return plan

    def _heads_after(self, heads: tuple[str, ...], plan: list[PlanStep]) -> tuple[str, ...]:
        applied = self.loader.applied_closure(heads)
        for item in plan:
            if item.backwards:
                applied.discard(item.migration.revision)
            else:
                applied.add(item.migration.revision)
        needed = {req for rev in applied for req in self.loader.migrations[rev].requires}
        return tuple(sorted(applied - needed))

    # -- running -------------------------------------------------------------

    def migrate(
        self, plan: list[PlanStep], *, fake: bool = False, fake_initial: bool = False
    ) -> None:
        """Run ``plan``; raise ``MigrationFailed`` saying what happened if a step fails."""
        if not plan:
            return
        from fastjango.db import router

        with self._schema_mode():
            for item in plan:
                action = "unapply" if item.backwards else "apply"
                # An app that DATABASE_ROUTERS keep off this database is only recorded,
                # as Django runs its operations as no-ops there.
                routed = router.allow_migrate(self.connection.alias, item.migration.app_label)
                faked = (
                    fake
                    or not routed
                    or (
                        fake_initial
                        and not item.backwards
                        and self.detect_soft_applied(item.migration)
                    )
                )
                self._progress(f"{action}_start", item.migration, faked)
                self._run(item, faked)
                self._progress(f"{action}_success", item.migration, faked)

    def _progress(self, action: str, migration: Migration | None, fake: bool) -> None:
        if self.progress_callback is not None:
            self.progress_callback(action, migration, fake)

    @contextmanager
    def _schema_mode(self) -> Iterator[None]:
        if self.connection.vendor != "sqlite":
            yield
            return
        if self.connection.in_atomic_block:
            raise NotSupportedError(
                "SQLite migrations can't run inside transaction.atomic(): foreign key checks "
                "must be turned off first, which SQLite only allows outside a transaction."
            )
        engine = self.connection.sync_engine

        def foreign_keys_off(dbapi_connection: Any, record: Any, proxy: Any) -> None:
            cursor = dbapi_connection.cursor()
            try:
                cursor.execute("PRAGMA foreign_keys = OFF")
            finally:
                cursor.close()

        sa.event.listen(engine, "checkout", foreign_keys_off)
        try:
            yield
        finally:
            sa.event.remove(engine, "checkout", foreign_keys_off)
            # Pooled connections still have the checks off: start afresh.
            self.connection.close()

    def _run(self, item: PlanStep, fake: bool) -> None:
        alias = self.connection.alias
        transactional = bool(self.connection.features.can_rollback_ddl)
        step: Any = _FakeStep(item.step) if fake else item.step
        tracker: OperationTracker | None = None
        from fastjango.db import transaction

        try:
            with transaction.atomic(using=alias) if transactional else nullcontext():
                with self.connection.connect() as conn:
                    self.recorder.ensure_schema(conn)
                    context = MigrationContext.configure(
                        conn,
                        opts={
                            "version_table": VERSION_TABLE,
                            "fn": lambda heads, ctx: [step],
                            "transaction_per_migration": True,
                            ALIAS_OPTION: alias,
                        },
                    )
                    operations = Operations(context)
                    tracker = OperationTracker(operations)
                    operations._install_proxy()
                    try:
                        context.run_migrations()
                    finally:
                        operations._remove_proxy()
                    if self.connection.vendor == "sqlite" and not fake:
                        self._check_foreign_keys(conn, item.migration)
        except Exception as exc:
            raise self._failure(item, tracker, exc, transactional) from exc

    @staticmethod
    def _check_foreign_keys(conn: Connection, migration: Migration) -> None:
        rows = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if rows:
            table, rowid, parent = rows[0][0], rows[0][1], rows[0][2]
            raise IntegrityError(
                f"After {migration.label}, row {rowid} of table {table} refers to a missing row "
                f"of {parent} ({len(rows)} broken reference(s) in all)."
            )

    def _failure(
        self,
        item: PlanStep,
        tracker: OperationTracker | None,
        exc: Exception,
        transactional: bool,
    ) -> MigrationFailed:
        migration = item.migration
        namer = Namer(migration.app_label, ProjectTables.collect(self.loader.apps))
        verb = "Unapplying" if item.backwards else "Applying"
        current = None
        done: list[str] = []
        if tracker is not None:
            if tracker.current is not None:
                current = namer.describe(tracker.current)
            done = [namer.describe(operation) for operation in tracker.done]
        where = f" at operation '{current}'" if current else ""
        message = f"{verb} {migration.label} failed{where}: {type(exc).__name__}: {exc}".rstrip()
        if transactional or not done:
            message += (
                ". Nothing of it was applied: the database is as it was before this migration."
            )
            applied: list[str] = []
        else:
            applied = done
            vendor = self.connection.display_name
            message += (
                f". {vendor} can't roll back schema changes, so these operations of it were "
                f"applied and stay: {'; '.join(done)}. The database still records the migration "
                f"before {migration.label}; undo those changes by hand (or finish the migration "
                f"by hand and record it with 'manage.py migrate {migration.app_label} "
                f"{migration.name} --fake'), then run migrate again."
            )
        return MigrationFailed(
            message, migration=migration.label, operation=current, applied=applied
        )

    # -- soft-applied initial migrations (--fake-initial) --------------------

    def detect_soft_applied(self, migration: Migration) -> bool:
        """Return whether an initial migration's tables and columns all exist already."""
        if not migration.initial:
            return False
        operations = record_operations(migration, self.connection.dialect)
        tables: set[str] = set()
        columns: set[tuple[str, str]] = set()
        for operation in operations:
            for inner in Namer(migration.app_label).flatten(operation):
                if isinstance(inner, ops.CreateTableOp):
                    tables.add(inner.table_name)
                elif isinstance(inner, ops.AddColumnOp):
                    columns.add((inner.table_name, inner.column.name))
        if not tables and not columns:
            return False
        with self.connection.connect() as conn:
            inspector = sa.inspect(conn)
            existing = set(inspector.get_table_names())
            if not tables <= existing:
                return False
            for table_name, column_name in columns:
                if table_name not in existing:
                    return False
                names = {column["name"] for column in inspector.get_columns(table_name)}
                if column_name not in names:
                    return False
        return True

    # -- apps without migrations (--run-syncdb) --------------------------------

    def sync_apps(self, app_labels: Iterable[str]) -> list[str]:
        """Create the missing tables of apps that have no migrations; return their names."""
        from fastjango.db import router

        allowed = [
            label for label in app_labels if router.allow_migrate(self.connection.alias, label)
        ]
        project = ProjectTables.collect(self.loader.apps, allowed)
        if not project.tables:
            return []
        with self.connection.connect() as conn:
            existing = set(sa.inspect(conn).get_table_names())
        missing = [table for name, table in project.tables.items() if name not in existing]
        if not missing:
            return []
        from fastjango.db import transaction

        ordered = [t for t in sa.sql.util.sort_tables(missing) if t in missing]
        transactional = bool(self.connection.features.can_rollback_ddl)
        with transaction.atomic(using=self.connection.alias) if transactional else nullcontext():
            with self.connection.connect() as conn:
                for table in ordered:
                    table.create(conn)
        return [table.name for table in ordered]
