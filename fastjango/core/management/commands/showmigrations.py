"""``showmigrations``: list each app's migrations and whether they are applied."""

from __future__ import annotations

from typing import Any

from fastjango.apps import apps
from fastjango.core.management.base import BaseCommand, CommandError, CommandParser
from fastjango.db import DEFAULT_DB_ALIAS, connections
from fastjango.db.migrations.exceptions import (
    BadMigrationError,
    CircularDependencyError,
    NodeNotFoundError,
)
from fastjango.db.migrations.loader import Migration, MigrationLoader
from fastjango.db.migrations.recorder import MigrationRecorder

__all__ = ["Command"]


class Command(BaseCommand):
    help = "Shows all available migrations for the current project"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "app_label", nargs="*", help="App labels of applications to limit the output to."
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help='Nominates a database to show migrations for. Defaults to the "default" database.',
        )
        formats = parser.add_mutually_exclusive_group()
        formats.add_argument(
            "--list",
            "-l",
            action="store_const",
            dest="format",
            const="list",
            help="Shows a list of all migrations and which are applied. With a verbosity level of "
            "2 or above, the applied datetimes will be included.",
        )
        formats.add_argument(
            "--plan",
            "-p",
            action="store_const",
            dest="format",
            const="plan",
            help="Shows all migrations in the order they will be applied. With a verbosity level "
            "of 2 or above all direct migration dependencies and reverse dependencies "
            "(run_before) will be included.",
        )
        parser.set_defaults(format="list")

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbosity = int(options["verbosity"])
        database = options["database"]
        if database not in connections:
            raise CommandError(f"The database '{database}' isn't in the DATABASES setting.")
        recorder = MigrationRecorder(connections[database])
        heads = recorder.heads()
        try:
            loader = MigrationLoader(heads)
        except (BadMigrationError, NodeNotFoundError, CircularDependencyError) as exc:
            raise CommandError(str(exc)) from exc
        self.applied = loader.applied_closure(heads)
        self.recorded = set(heads)
        app_labels = list(options["app_label"])
        for label in app_labels:
            try:
                apps.get_app_config(label)
            except LookupError as exc:
                raise CommandError(str(exc.args[0])) from exc
        if options["format"] == "plan":
            self.show_plan(loader, app_labels)
        else:
            self.show_list(loader, app_labels)

    @staticmethod
    def _title(migration: Migration) -> str:
        title = migration.name
        if migration.replaces:
            title += f" ({len(migration.replaces)} squashed migrations)"
        return title

    def show_list(self, loader: MigrationLoader, app_names: list[str]) -> None:
        """Print every app's migrations as ``[X]``/``[ ]`` lines."""
        labels = app_names or sorted(loader.migrated_apps)
        for app_name in labels:
            self.stdout.write(app_name, self.style.MIGRATE_LABEL)
            migrations = loader.app_migrations(app_name)
            for migration in migrations:
                title = self._title(migration)
                if migration.revision in self.applied:
                    line = f" [X] {title}"
                    if self.verbosity >= 2 and migration.description:
                        line += f" ({migration.description})"
                else:
                    line = f" [ ] {title}"
                self.stdout.write(line)
            if not migrations:
                self.stdout.write(" (no migrations)", self.style.ERROR)

    def show_plan(self, loader: MigrationLoader, app_names: list[str]) -> None:
        """Print every migration in the order migrate would apply them."""
        ordered = loader.ordered()
        if app_names:
            wanted = {m.revision for m in ordered if m.app_label in app_names}
            needed = set()
            for revision in wanted:
                needed |= loader.applied_closure([revision])
            ordered = [m for m in ordered if m.revision in needed]
        for migration in ordered:
            mark = "[X]" if migration.revision in self.applied else "[ ]"
            line = f"{mark}  {migration.label}"
            if self.verbosity >= 2 and migration.requires:
                needs = ", ".join(loader.migrations[rev].label for rev in migration.requires)
                line += f" ... ({needs})"
            self.stdout.write(line)
        if not ordered:
            self.stdout.write("(no migrations)", self.style.ERROR)
