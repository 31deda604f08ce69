"""``MigrationRecorder``: the table that says which migrations a database has applied.

The table is Alembic's version table, named ``fastjango_migrations`` so it
never clashes with Django's ``django_migrations`` or a project's own
``alembic_version``. It holds the heads of the applied part of the
migration graph (Alembic's model); everything those heads need is applied
too, so each app's state follows from it (``applied_revisions``,
``app_heads``). Its ``version_num`` column takes 255 characters, room for
readable ids such as ``"polls_0002_question_slug"``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import sqlalchemy as sa

from fastjango.db.migrations.exceptions import MigrationSchemaMissing
from fastjango.db.utils import DatabaseError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from fastjango.db.backends.base.base import BaseDatabaseWrapper
    from fastjango.db.migrations.loader import Migration, MigrationLoader

__all__ = ["VERSION_TABLE", "MigrationRecorder", "app_heads", "read_heads", "version_table"]

VERSION_TABLE = "fastjango_migrations"


def version_table(name: str = VERSION_TABLE) -> sa.Table:
    """Return the version table's definition (one ``version_num`` primary key column)."""
    return sa.Table(
        name,
        sa.MetaData(),
        sa.Column("version_num", sa.String(255), nullable=False),
        sa.PrimaryKeyConstraint("version_num", name=f"{name}_pkc"),
    )


class MigrationRecorder:
    """Read and prepare the version table of one database alias."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self.table = version_table()

    def has_table(self) -> bool:
        """Return whether the version table exists."""
        with self.connection.connect() as conn:
            return bool(sa.inspect(conn).has_table(VERSION_TABLE))

    def ensure_schema(self, conn: Connection | None = None) -> None:
        """Create the version table unless it exists; raise ``MigrationSchemaMissing``."""
        try:
            if conn is not None:
                self.table.create(conn, checkfirst=True)
                return
            with self.connection.connect() as own:
                self.table.create(own, checkfirst=True)
        except DatabaseError as exc:
            raise MigrationSchemaMissing(
                f"Unable to create the {VERSION_TABLE} table on database "
                f"'{self.connection.alias}' ({exc})"
            ) from exc

    def heads(self) -> tuple[str, ...]:
        """Return the applied heads recorded in the table (empty if it doesn't exist)."""
        with self.connection.connect() as conn:
            return read_heads(conn)

    def applied_revisions(self, loader: MigrationLoader) -> set[str]:
        """Return the revision ids applied on this database."""
        return loader.applied_closure(self.heads())

    def applied_migrations(self, loader: MigrationLoader) -> dict[tuple[str, str], Migration]:
        """Return the applied migrations keyed by ``(app_label, name)``, as Django does."""
        applied = self.applied_revisions(loader)
        return {(m.app_label, m.name): m for rev, m in loader.migrations.items() if rev in applied}

    def flush(self) -> None:
        """Forget every applied migration (the tables stay as they are)."""
        if self.has_table():
            self.connection.execute(self.table.delete())


def read_heads(conn: Connection) -> tuple[str, ...]:
    """Return the heads in the version table reachable through ``conn`` (empty if none)."""
    if not sa.inspect(conn).has_table(VERSION_TABLE):
        return ()
    table = version_table()
    return tuple(str(row[0]) for row in conn.execute(sa.select(table.c.version_num)))


def app_heads(loader: MigrationLoader, applied: Iterable[str]) -> dict[str, str]:
    """Return ``{app_label: latest applied revision}`` for apps with anything applied."""
    applied_set = set(applied)
    heads: dict[str, str] = {}
    for migration in loader.ordered():
        if migration.revision in applied_set:
            heads[migration.app_label] = migration.revision
    return heads
