"""``createcachetable``: create the tables the database cache backend uses."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.schema import CreateIndex, CreateTable

from fastjango.conf import settings
from fastjango.core.management.base import BaseCommand, CommandError, CommandParser
from fastjango.db import DEFAULT_DB_ALIAS, connections, router

__all__ = ["Command"]


def cache_table(name: str) -> sa.Table:
    """Return the table Django's ``DatabaseCache`` uses (and FastJango's): key, value, expires."""
    return sa.Table(
        name,
        sa.MetaData(),
        sa.Column("cache_key", sa.String(255), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("expires", sa.DateTime, nullable=False, index=True),
    )


class Command(BaseCommand):
    help = "Creates the tables needed to use the SQL cache backend."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "args",
            metavar="table_name",
            nargs="*",
            help="Optional table names. Otherwise, settings.CACHES is used to find cache tables.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="Nominates a database onto which the cache tables will be installed. Defaults to "
            'the "default" database.',
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Does not create the table, just prints the SQL that would be run.",
        )

    def handle(self, *tablenames: str, **options: Any) -> None:
        database = options["database"]
        if database not in connections:
            raise CommandError(f"The database '{database}' isn't in the DATABASES setting.")
        self.verbosity = int(options["verbosity"])
        dry_run = bool(options["dry_run"])
        if tablenames:
            # Legacy behaviour, tablename specified as argument
            for tablename in tablenames:
                self.create_table(database, tablename, dry_run)
            return
        from fastjango.core.cache import caches
        from fastjango.core.cache.backends.db import DatabaseCache

        for alias in settings.CACHES:
            cache = caches[alias]
            if isinstance(cache, DatabaseCache):
                self.create_table(database, cache._table, dry_run, cache.cache_model_class)

    def create_table(self, database: str, tablename: str, dry_run: bool, model: Any = None) -> None:
        """Create one cache table on ``database`` unless it exists (or routers keep it off)."""
        if model is not None and not router.allow_migrate_model(database, model):
            return
        connection = connections[database]
        table = cache_table(tablename)
        with connection.connect() as conn:
            exists = sa.inspect(conn).has_table(tablename)
        if exists:
            if self.verbosity >= 2:
                self.stdout.write(f"Cache table '{tablename}' already exists.")
            return
        if dry_run:
            dialect = connection.dialect
            statements = [str(CreateTable(table).compile(dialect=dialect)).strip() + ";"]
            statements += [
                str(CreateIndex(index).compile(dialect=dialect)).strip() + ";"
                for index in table.indexes
            ]
            self.stdout.write("\n".join(statements))
            return
        from fastjango.db import transaction

        transactional = bool(connection.features.can_rollback_ddl)
        try:
            if transactional:
                with transaction.atomic(using=database), connection.connect() as conn:
                    table.create(conn)
            else:
                with connection.connect() as conn:
                    table.create(conn)
        except Exception as exc:
            raise CommandError(
                f"Cache table '{tablename}' could not be created.\nThe error was: {exc}."
            ) from exc
        if self.verbosity > 1:
            self.stdout.write(f"Cache table '{tablename}' created.")
