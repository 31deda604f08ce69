"""``squashmigrations``: squash a run of an app's migrations into one."""

from __future__ import annotations

from typing import Any

from fastjango.apps import apps
from fastjango.core.management.base import BaseCommand, CommandError, CommandParser
from fastjango.db import DEFAULT_DB_ALIAS, connections
from fastjango.db.migrations.exceptions import (
    AmbiguityError,
    BadMigrationError,
    CircularDependencyError,
    NodeNotFoundError,
)
from fastjango.db.migrations.loader import Migration, MigrationLoader
from fastjango.db.migrations.naming import Namer
from fastjango.db.migrations.squash import plan_squash
from fastjango.db.migrations.state import ProjectTables
from fastjango.db.migrations.writer import MigrationWriter

__all__ = ["Command"]


class Command(BaseCommand):
    help = (
        "Squashes an existing set of migrations (from first until specified) into a single new one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "app_label", help="App label of the application to squash migrations for."
        )
        parser.add_argument(
            "start_migration_name",
            nargs="?",
            help="Migrations will be squashed starting from and including this migration.",
        )
        parser.add_argument(
            "migration_name",
            help="Migrations will be squashed until and including this migration.",
        )
        parser.add_argument(
            "--no-optimize",
            action="store_true",
            help="Do not try to optimize the squashed operations.",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Tells FastJango to NOT prompt the user for input of any kind.",
        )
        parser.add_argument("--squashed-name", help="Sets the name of the new squashed migration.")
        parser.add_argument(
            "--no-header",
            action="store_false",
            dest="include_header",
            help="Do not add a header comment to the new squashed migration.",
        )

    def handle(self, **options: Any) -> None:
        self.verbosity = int(options["verbosity"])
        self.interactive = bool(options["interactive"])
        app_label: str = options["app_label"]
        start_name: str | None = options["start_migration_name"]
        end_name: str = options["migration_name"]
        squashed_name: str | None = options["squashed_name"]
        if squashed_name and not squashed_name.isidentifier():
            raise CommandError("The squashed migration name must be a valid Python identifier.")
        try:
            apps.get_app_config(app_label)
        except LookupError as exc:
            raise CommandError(str(exc.args[0])) from exc
        try:
            loader = MigrationLoader()
        except (BadMigrationError, NodeNotFoundError, CircularDependencyError) as exc:
            raise CommandError(str(exc)) from exc
        if app_label not in loader.migrated_apps:
            raise CommandError(
                f"App '{app_label}' does not have migrations (so squashmigrations on it makes no "
                "sense)"
            )
        end = self.find_migration(loader, app_label, end_name)
        start = (
            self.find_migration(loader, app_label, start_name)
            if start_name
            else loader.app_migrations(app_label)[0]
        )
        connection = connections[DEFAULT_DB_ALIAS]
        from sqlalchemy.dialects import sqlite

        dialect = sqlite.dialect() if connection.vendor == "dummy" else connection.dialect
        try:
            squash = plan_squash(
                loader,
                app_label,
                start,
                end,
                dialect,
                optimize_operations=not options["no_optimize"],
                name=squashed_name,
            )
        except BadMigrationError as exc:
            raise CommandError(str(exc)) from exc

        if self.verbosity > 0 or self.interactive:
            self.stdout.write(self.style.MIGRATE_HEADING("Will squash the following migrations:"))
            for migration in squash.replaced:
                self.stdout.write(f" - {migration.name}")
        if self.interactive:
            self.stdout.write("Do you wish to proceed? [y/N] ", ending="")
            answer = input()
            while not answer or answer[0].lower() not in "yn":
                self.stdout.write("Please answer yes or no: ", ending="")
                answer = input()
            if answer[0].lower() != "y":
                return
        if self.verbosity > 0 and not options["no_optimize"]:
            self.stdout.write(self.style.MIGRATE_HEADING("Optimizing..."))
            if squash.optimized_count == squash.original_count:
                self.stdout.write("  No optimizations possible.")
            else:
                self.stdout.write(
                    f"  Optimized from {squash.original_count} operations to "
                    f"{squash.optimized_count} operations."
                )
        if squash.entry.path is not None and squash.entry.path.exists():  # pragma: no cover
            # The loader would have read such a file already; don't overwrite it.
            raise CommandError(
                f"Migration {squash.entry.name} already exists. Use a different name."
            )
        writer = MigrationWriter(
            squash.entry,
            Namer(app_label, ProjectTables.collect(apps)),
            summary=f"Squash of {app_label} migrations {start.name} to {end.name}.",
            functions=squash.functions,
            extra_imports=squash.imports,
        )
        writer.include_header = bool(options["include_header"])
        try:
            path = writer.write()
        except NotImplementedError as exc:
            raise CommandError(
                f"Can't write the squashed migration: {exc}. Squash a range without that operation."
            ) from exc
        if self.verbosity > 0:
            self.stdout.write(self.style.MIGRATE_HEADING(f"Created new squashed migration {path}"))
            self.stdout.write(
                "  You should commit this migration but leave the old ones in place;\n"
                "  the new migration will be used for new installs. Once you are sure\n"
                "  all instances of the codebase have applied the migrations you squashed,\n"
                "  you can delete them."
            )
            if squash.copied:
                self.stdout.write(
                    self.style.MIGRATE_HEADING("Data migration functions copied:")
                    + "\n  "
                    + ", ".join(squash.copied)
                    + "\n  Check that they don't use anything else from their old files."
                )

    def find_migration(self, loader: MigrationLoader, app_label: str, name: str) -> Migration:
        """Return the migration of ``app_label`` that ``name`` (a prefix will do) means."""
        try:
            return loader.get_migration_by_prefix(app_label, name)
        except AmbiguityError as exc:
            raise CommandError(
                f"More than one migration matches '{name}' in app '{app_label}'. Please be more "
                "specific."
            ) from exc
        except KeyError:
            raise CommandError(
                f"Cannot find a migration matching '{name}' from app '{app_label}'."
            ) from None
