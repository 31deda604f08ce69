"""``flush``: delete every row of the installed apps' tables (the schema stays)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from fastjango.apps import apps
from fastjango.core.management.base import BaseCommand, CommandError, CommandParser
from fastjango.db import DEFAULT_DB_ALIAS, connections
from fastjango.db.migrations.state import ProjectTables

__all__ = ["Command", "flush_statements"]


def flush_statements(
    vendor: str, tables: list[sa.Table], quote: Any, sqlite_sequence: bool = False
) -> list[str]:
    """Return the SQL that empties ``tables`` (children first) and restarts their ids.

    ``sqlite_sequence`` says whether SQLite keeps AUTOINCREMENT counters to reset.
    """
    if not tables:
        return []
    names = [quote(table.name) for table in tables]
    if vendor == "postgresql":
        return [f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"]
    if vendor == "mysql":
        return [
            "SET FOREIGN_KEY_CHECKS = 0",
            *(f"TRUNCATE {name}" for name in names),
            "SET FOREIGN_KEY_CHECKS = 1",
        ]
    statements = [f"DELETE FROM {name}" for name in names]
    if sqlite_sequence:
        listed = ", ".join(f"'{table.name}'" for table in tables)
        statements.append(f"DELETE FROM sqlite_sequence WHERE name IN ({listed})")
    return statements


class Command(BaseCommand):
    help = (
        "Removes ALL DATA from the database, including data added during migrations. Does not "
        'achieve a "fresh install" state.'
    )
    stealth_options = ("reset_sequences", "allow_cascade", "inhibit_post_migrate")

    def add_arguments(self, parser: CommandParser) -> None:
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
            help='Nominates a database to flush. Defaults to the "default" database.',
        )

    def handle(self, **options: Any) -> None:
        database = options["database"]
        if database not in connections:
            raise CommandError(f"The database '{database}' isn't in the DATABASES setting.")
        connection = connections[database]
        verbosity = int(options["verbosity"])
        interactive = bool(options["interactive"])
        project = ProjectTables.collect(apps)
        with connection.connect() as conn:
            existing = set(sa.inspect(conn).get_table_names())
            sequences = connection.vendor == "sqlite" and bool(
                conn.exec_driver_sql(
                    "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'"
                ).first()
            )
        wanted = [table for name, table in project.tables.items() if name in existing]
        # Children before parents, so foreign keys never point at deleted rows.
        ordered = [t for t in reversed(sa.sql.util.sort_tables(wanted)) if t in wanted]
        if interactive:
            name = connection.settings_dict["NAME"]
            self.stdout.write(
                "You have requested a flush of the database.\n"
                f'This will IRREVERSIBLY DESTROY all data currently in the "{name}" database,\n'
                "and return each table to an empty state.\n"
                "Are you sure you want to do this?\n\n"
                "    Type 'yes' to continue, or 'no' to cancel: ",
                ending="",
            )
            if input() != "yes":
                self.stdout.write("Flush cancelled.")
                return
        statements = flush_statements(
            connection.vendor, ordered, connection.ops.quote_name, sequences
        )
        from fastjango.db import transaction

        try:
            with transaction.atomic(using=database), connection.connect() as conn:
                for statement in statements:
                    conn.exec_driver_sql(statement)
        except Exception as exc:
            raise CommandError(
                f"Database {connection.settings_dict['NAME']} couldn't be flushed. Possible "
                "reasons: the database isn't running or isn't configured correctly, or a table "
                f"is missing (run migrate first). The error was: {exc}"
            ) from exc
        if statements and not options.get("inhibit_post_migrate"):
            from fastjango.db.migrations.operations import MigrationApps
            from fastjango.db.models.signals import post_migrate

            for app_config in apps.get_app_configs():
                if app_config.models_module is None:
                    continue
                post_migrate.send(
                    sender=app_config,
                    app_config=app_config,
                    verbosity=verbosity,
                    interactive=interactive,
                    using=database,
                    apps=MigrationApps(),
                    plan=[],
                )
