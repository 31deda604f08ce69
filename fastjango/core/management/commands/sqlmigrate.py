"""``sqlmigrate``: print the SQL statements of one migration (written offline)."""

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
from fastjango.db.migrations.loader import MigrationLoader
from fastjango.db.migrations.naming import Namer
from fastjango.db.migrations.sqlgen import migration_sql
from fastjango.db.migrations.state import ProjectTables

__all__ = ["Command"]


class Command(BaseCommand):
    help = "Prints the SQL statements for the named migration."
    output_transaction = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "app_label", help="App label of the application containing the migration."
        )
        parser.add_argument("migration_name", help="Migration name to print the SQL for.")
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help='Nominates a database to create SQL for. Defaults to the "default" database.',
        )
        parser.add_argument(
            "--backwards",
            action="store_true",
            help="Creates SQL to unapply the migration, rather than to apply it",
        )

    def execute(self, *args: Any, **options: Any) -> str | None:
        # sqlmigrate doesn't support coloring its output, but we need to force
        # no_color=True so that the BEGIN/COMMIT statements added by
        # output_transaction don't get colored either.
        options["no_color"] = True
        return super().execute(*args, **options)

    def handle(self, *args: Any, **options: Any) -> str:
        database = options["database"]
        if database not in connections:
            raise CommandError(f"The database '{database}' isn't in the DATABASES setting.")
        connection = connections[database]
        app_label: str = options["app_label"]
        name: str = options["migration_name"]
        try:
            apps.get_app_config(app_label)
        except LookupError as exc:
            raise CommandError(str(exc.args[0])) from exc
        try:
            loader = MigrationLoader()
        except (BadMigrationError, NodeNotFoundError, CircularDependencyError) as exc:
            raise CommandError(str(exc)) from exc
        if app_label not in loader.migrated_apps:
            raise CommandError(f"App '{app_label}' does not have migrations")
        try:
            migration = loader.get_migration_by_prefix(app_label, name)
        except AmbiguityError as exc:
            raise CommandError(str(exc)) from exc
        except KeyError:
            raise CommandError(
                f"Cannot find a migration matching '{name}' from app '{app_label}'. Is it in "
                "INSTALLED_APPS?"
            ) from None
        # Django wraps the output in BEGIN/COMMIT where schema changes roll back.
        self.output_transaction = bool(connection.features.can_rollback_ddl)
        namer = Namer(app_label, ProjectTables.collect(apps))
        sql = migration_sql(
            connection, loader, migration, backwards=bool(options["backwards"]), namer=namer
        )
        return sql or "-- (no-op)"
