"""``migrate``: bring the database schema to the state the migration files describe."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any

from fastjango.apps import apps
from fastjango.core.management.base import BaseCommand, CommandError, CommandParser
from fastjango.db import DEFAULT_DB_ALIAS, connections
from fastjango.db.migrations.exceptions import (
    AmbiguityError,
    BadMigrationError,
    CircularDependencyError,
    ConflictingMigrationsError,
    InconsistentMigrationHistory,
    InvalidMigrationPlan,
    MigrationFailed,
    NodeNotFoundError,
)
from fastjango.db.migrations.executor import MigrationExecutor, PlanStep, record_operations
from fastjango.db.migrations.naming import Namer
from fastjango.db.migrations.state import ProjectTables
from fastjango.db.utils import DatabaseError

if TYPE_CHECKING:
    from fastjango.db.migrations.loader import Migration

__all__ = ["Command"]


class Command(BaseCommand):
    help = "Updates database schema. Manages both apps with migrations and those without."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--skip-checks", action="store_true", help="Skip system checks.")
        parser.add_argument(
            "app_label", nargs="?", help="App label of an application to synchronize the state."
        )
        parser.add_argument(
            "migration_name",
            nargs="?",
            help="Database state will be brought to the state after that migration. Use the "
            'name "zero" to unapply all migrations.',
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Tells FastJango to NOT prompt the user for input of any kind.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help='Nominates a database to synchronize. Defaults to the "default" database.',
        )
        parser.add_argument(
            "--fake",
            action="store_true",
            help="Mark migrations as run without actually running them.",
        )
        parser.add_argument(
            "--fake-initial",
            action="store_true",
            help="Detect if tables already exist and fake-apply initial migrations if so. Make "
            "sure that the current database schema matches your initial migration before using "
            "this flag.",
        )
        parser.add_argument(
            "--plan",
            action="store_true",
            help="Shows a list of the migration actions that will be performed.",
        )
        parser.add_argument(
            "--run-syncdb", action="store_true", help="Creates tables for apps without migrations."
        )
        parser.add_argument(
            "--check",
            action="store_true",
            dest="check_unapplied",
            help="Exits with a non-zero status if unapplied migrations exist and does not actually "
            "apply migrations.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        database = options["database"]
        if not options["skip_checks"]:
            self.check(databases=[database])
        self.verbosity = int(options["verbosity"])
        self.interactive = bool(options["interactive"])
        if database not in connections:
            raise CommandError(
                f"The database '{database}' isn't in the DATABASES setting; choose one of: "
                f"{', '.join(connections)}."
            )
        connection = connections[database]
        try:
            executor = MigrationExecutor(connection, self.migration_progress_callback)
        except (BadMigrationError, NodeNotFoundError, CircularDependencyError) as exc:
            raise CommandError(str(exc)) from exc
        loader = executor.loader
        try:
            loader.check_conflicts()
        except ConflictingMigrationsError as exc:
            raise CommandError(str(exc)) from exc

        app_label: str | None = options["app_label"]
        name: str | None = options["migration_name"]
        run_syncdb = bool(options["run_syncdb"])
        if app_label:
            try:
                apps.get_app_config(app_label)
            except LookupError as exc:
                raise CommandError(str(exc.args[0])) from exc
            if run_syncdb:
                if app_label in loader.migrated_apps:
                    raise CommandError(
                        f"Can't use run_syncdb with app '{app_label}' as it has migrations."
                    )
            elif app_label not in loader.migrated_apps:
                raise CommandError(f"App '{app_label}' does not have migrations.")

        targets: list[tuple[str, str | None]] | None
        target_app_labels_only = True
        if app_label and name:
            if name == "zero":
                targets = [(app_label, None)]
            else:
                try:
                    migration = loader.get_migration_by_prefix(app_label, name)
                except AmbiguityError as exc:
                    raise CommandError(str(exc)) from exc
                except KeyError:
                    raise CommandError(
                        f"Cannot find a migration matching '{name}' from app '{app_label}'."
                    ) from None
                targets = [(app_label, migration.name)]
            target_app_labels_only = False
        elif app_label:
            targets = [(app_label, "__latest__")] if app_label in loader.migrated_apps else []
        else:
            targets = None

        try:
            plan = executor.migration_plan(targets)
        except (InconsistentMigrationHistory, InvalidMigrationPlan, NodeNotFoundError) as exc:
            raise CommandError(str(exc)) from exc

        if options["plan"]:
            self.print_plan(plan, connection)
            if options["check_unapplied"] and plan:
                sys.exit(1)
            return
        if options["check_unapplied"]:
            if plan:
                sys.exit(1)
            return

        unmigrated = sorted(loader.unmigrated_apps)
        if self.verbosity >= 1:
            self.stdout.write(self.style.MIGRATE_HEADING("Operations to perform:"))
            if run_syncdb:
                if app_label:
                    self.stdout.write(
                        self.style.MIGRATE_LABEL(f"  Synchronize unmigrated app: {app_label}")
                    )
                elif unmigrated:
                    self.stdout.write(
                        self.style.MIGRATE_LABEL("  Synchronize unmigrated apps: ")
                        + ", ".join(unmigrated)
                    )
            if target_app_labels_only:
                labels = sorted({a for a, _ in targets} if targets else loader.migrated_apps)
                if not (run_syncdb and app_label):
                    self.stdout.write(
                        self.style.MIGRATE_LABEL("  Apply all migrations: ")
                        + (", ".join(labels) or "(none)")
                    )
            else:
                assert targets is not None
                target_app, target_name = targets[0]
                if target_name is None:
                    self.stdout.write(
                        self.style.MIGRATE_LABEL("  Unapply all migrations: ") + target_app
                    )
                else:
                    self.stdout.write(
                        self.style.MIGRATE_LABEL("  Target specific migration: ")
                        + f"{target_name}, from {target_app}"
                    )

        self.emit_signal("pre_migrate", database, plan)
        if run_syncdb:
            if self.verbosity >= 1:
                self.stdout.write(
                    self.style.MIGRATE_HEADING("Synchronizing apps without migrations:")
                )
            labels = [app_label] if app_label else unmigrated
            try:
                created = executor.sync_apps(labels)
            except DatabaseError as exc:
                raise CommandError(f"Creating tables failed: {exc}") from exc
            if self.verbosity >= 1:
                self.stdout.write("  Creating tables...")
                for table in created:
                    self.stdout.write(f"    Creating table {table}")
        if self.verbosity >= 1:
            self.stdout.write(self.style.MIGRATE_HEADING("Running migrations:"))
        if not plan:
            if self.verbosity >= 1:
                self.stdout.write("  No migrations to apply.")
                if targets is None or target_app_labels_only:
                    self.warn_pending_changes(connection, targets)
        else:
            self._progress = _Progress(self, plan)
            try:
                executor.migrate(
                    plan, fake=bool(options["fake"]), fake_initial=bool(options["fake_initial"])
                )
            except MigrationFailed as exc:
                if self.verbosity >= 1:
                    self.stdout.write(self.style.ERROR(" FAILED"))
                raise CommandError(str(exc)) from exc
            finally:
                self._progress.close()
        self.emit_signal("post_migrate", database, plan)

    # -- output ------------------------------------------------------------------

    def migration_progress_callback(
        self, action: str, migration: Migration | None = None, fake: bool = False
    ) -> None:
        """Print Django's "Applying app.0001_initial... OK" lines."""
        if self.verbosity < 1 or migration is None:
            return
        progress = getattr(self, "_progress", None)
        if action in ("apply_start", "unapply_start"):
            self.start = time.monotonic()
            verb = "Applying" if action == "apply_start" else "Unapplying"
            self.stdout.write(f"  {verb} {migration.label}...", ending="")
            self.stdout.flush()
            if progress is not None:
                progress.started(migration)
        elif action in ("apply_success", "unapply_success"):
            elapsed = f" ({time.monotonic() - self.start:.3f}s)" if self.verbosity > 1 else ""
            word = " FAKED" if fake else " OK"
            self.stdout.write(self.style.SUCCESS(word + elapsed))
            if progress is not None:
                progress.advanced()

    def print_plan(self, plan: list[PlanStep], connection: Any) -> None:
        """Print the migrations ``plan`` would run and what each does."""
        self.stdout.write("Planned operations:")
        if not plan:
            self.stdout.write("  No planned migration operations.")
            return
        project = ProjectTables.collect(apps)
        for item in plan:
            migration = item.migration
            namer = Namer(migration.app_label, project)
            self.stdout.write(self.style.MIGRATE_LABEL(migration.label))
            # Backwards, Django lists the migration's own operations, each as "Undo ...".
            for operation in record_operations(migration, connection.dialect):
                for inner in namer.flatten(operation):
                    text = namer.describe(inner)
                    if item.backwards:
                        text = f"Undo {text}"
                    self.stdout.write(f"    {text}")

    def warn_pending_changes(
        self, connection: Any, targets: list[tuple[str, str | None]] | None
    ) -> None:
        """Say when models have changes that no migration holds yet (database at head)."""
        from fastjango.db.migrations.autodetector import pending_changes

        labels = None if targets is None else {label for label, _ in targets}
        try:
            changed = pending_changes(connection, labels)
        except DatabaseError:
            return
        if changed:
            listed = ", ".join(f"'{label}'" for label in changed)
            self.stdout.write(
                self.style.NOTICE(
                    f"  Your models in app(s): {listed} have changes that are not yet reflected "
                    "in a migration, and so won't be applied."
                )
            )
            self.stdout.write(
                self.style.NOTICE(
                    "  Run 'manage.py makemigrations' to make new migrations, and then re-run "
                    "'manage.py migrate' to apply them."
                )
            )

    def emit_signal(self, name: str, database: str, plan: list[PlanStep]) -> None:
        """Send ``pre_migrate``/``post_migrate`` for every app with models, as Django does."""
        from fastjango.db.migrations.operations import MigrationApps
        from fastjango.db.models import signals

        signal = getattr(signals, name)
        django_plan = [(item.migration, item.backwards) for item in plan]
        for app_config in apps.get_app_configs():
            if app_config.models_module is None:
                continue
            if self.verbosity >= 2:
                self.stdout.write(f"Running {name} handlers for application {app_config.label}")
            signal.send(
                sender=app_config,
                app_config=app_config,
                verbosity=self.verbosity,
                interactive=self.interactive,
                using=database,
                apps=MigrationApps(),
                plan=django_plan,
            )


class _Progress:
    """A progress bar on a terminal while many migrations run (nothing otherwise)."""

    def __init__(self, command: Command, plan: list[PlanStep]) -> None:
        self.bar: Any = None
        self.task: Any = None
        if len(plan) < 2 or command.verbosity < 1 or not command.stdout.isatty():
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.task = self.bar.add_task("Migrating", total=len(plan))
        self.bar.start()

    def started(self, migration: Migration) -> None:
        if self.bar is not None:
            self.bar.update(self.task, description=migration.label)

    def advanced(self) -> None:
        if self.bar is not None:
            self.bar.advance(self.task)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
