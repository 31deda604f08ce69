"""Scratch databases: an empty database of the project's kind, to replay history into.

``makemigrations`` compares the models with the schema that the migration
files build, never with whatever the configured database holds. So the
history is replayed into a scratch database of the same vendor (the schema
that reflection reports differs between vendors):

- SQLite (and no database configured at all): a private in-memory database;
- PostgreSQL and MySQL/MariaDB: a database named ``<NAME>_fastjango_scratch``
  on the configured server, dropped when done (and before use, if a crashed
  run left it behind). The database user needs the right to create
  databases, as for running tests. PostgreSQL creates databases slowly, so
  a process that needs one again empties and reuses it, and drops it when
  the process exits.
"""

from __future__ import annotations

import atexit
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool, StaticPool

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.db.migrations.operations import SCHEMA_ONLY_OPTION
from fastjango.db.migrations.recorder import VERSION_TABLE, version_table
from fastjango.db.utils import DatabaseError

if TYPE_CHECKING:
    from alembic.runtime.migration import RevisionStep
    from sqlalchemy.engine import Connection

    from fastjango.db.backends.base.base import BaseDatabaseWrapper
    from fastjango.db.migrations.loader import MigrationLoader

__all__ = ["SCRATCH_SUFFIX", "History", "replay", "scratch_connection", "scratch_name"]

SCRATCH_SUFFIX = "_fastjango_scratch"
_MAX_NAME = 63  # PostgreSQL's limit; MySQL allows 64


def scratch_name(connection: BaseDatabaseWrapper) -> str:
    """Return the scratch database's name for a server database alias."""
    base = str(connection.settings_dict["NAME"] or "fastjango")
    return base[: _MAX_NAME - len(SCRATCH_SUFFIX)] + SCRATCH_SUFFIX


@contextmanager
def scratch_connection(connection: BaseDatabaseWrapper) -> Iterator[Connection]:
    """Yield an autocommit connection to a new, empty database of ``connection``'s vendor."""
    # With no database configured (the dummy backend) SQLite stands in, as
    # makemigrations works without a database in Django.
    if connection.vendor in ("sqlite", "dummy"):
        engine = sa.create_engine("sqlite://", poolclass=StaticPool)
        try:
            with engine.connect() as conn:
                yield conn
        finally:
            engine.dispose()
        return
    if connection.vendor not in ("postgresql", "mysql"):
        raise ImproperlyConfigured(
            f"Migrations don't support the {connection.display_name} backend of database "
            f"'{connection.alias}'."
        )
    name = scratch_name(connection)
    quoted = connection.ops.quote_name(name)
    admin_url = connection.get_engine_url(
        is_async=False, database=connection.creation.maintenance_database
    )
    connect_args = connection.get_connect_args(is_async=False)
    scratch = sa.create_engine(
        connection.get_engine_url(is_async=False, database=name),
        connect_args=connect_args,
        isolation_level="AUTOCOMMIT",
        poolclass=NullPool,
    )
    key = scratch.url.render_as_string()
    try:
        if not (key in _kept and _emptied(scratch)):
            _create(admin_url, connect_args, quoted, name, connection.alias)
            if connection.vendor == "postgresql":
                _kept[key] = (admin_url, connect_args, quoted)
        with scratch.connect() as conn:
            yield conn
    finally:
        scratch.dispose()
        if key not in _kept:
            _drop(admin_url, connect_args, quoted)


# PostgreSQL scratch databases this process made: creating a database there is
# slow and emptying its schema fast, so one is reused until the process exits.
_kept: dict[str, tuple[URL, dict[str, Any], str]] = {}


def _admin_engine(url: URL, connect_args: dict[str, Any]) -> sa.Engine:
    return sa.create_engine(
        url, connect_args=connect_args, isolation_level="AUTOCOMMIT", poolclass=NullPool
    )


def _create(url: URL, connect_args: dict[str, Any], quoted: str, name: str, alias: str) -> None:
    admin = _admin_engine(url, connect_args)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {quoted}")
            conn.exec_driver_sql(f"CREATE DATABASE {quoted}")
    except sa.exc.DBAPIError as exc:
        raise DatabaseError(
            f"makemigrations replays the migrations into a scratch database, and creating "
            f"'{name}' on database '{alias}' failed: {exc.orig}. Let the database user create "
            "databases (as running tests needs)."
        ) from exc
    finally:
        admin.dispose()


def _emptied(scratch: sa.Engine) -> bool:
    try:
        with scratch.connect() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
    except sa.exc.DBAPIError:
        return False
    return True


def _drop(url: URL, connect_args: dict[str, Any], quoted: str) -> None:
    admin = _admin_engine(url, connect_args)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {quoted}")
    finally:
        admin.dispose()


@atexit.register
def _drop_kept() -> None:
    while _kept:
        _, (url, connect_args, quoted) = _kept.popitem()
        try:
            _drop(url, connect_args, quoted)
        except sa.exc.SQLAlchemyError:  # pragma: no cover - the server went away first
            pass


@dataclass
class History:
    """What replaying migrations built: which app created each table."""

    #: table name -> app label of the migration that created it
    owners: dict[str, str] = field(default_factory=dict)
    #: revision ids applied
    applied: list[str] = field(default_factory=list)


def replay(
    conn: Connection,
    loader: MigrationLoader,
    destination: str = "heads",
    *,
    history: History | None = None,
) -> History:
    """Apply migrations up to ``destination`` to ``conn``, schema only (no data migrations).

    Return (or fill in ``history``) which app's migration created each table.
    """
    history = history or History()
    script = loader.script_directory()
    version_table(VERSION_TABLE).create(conn, checkfirst=True)
    existing = set(sa.inspect(conn).get_table_names())

    def steps(heads: Any, context: Any) -> list[RevisionStep]:
        return list(script._upgrade_revs(destination, heads))

    def after_step(*, ctx: Any, step: Any, heads: Any, run_args: Any) -> None:
        nonlocal existing
        revision = step.up_revision_id if step.is_upgrade else None
        now = set(sa.inspect(conn).get_table_names())
        if revision is not None:
            app_label = loader.migrations[revision].app_label
            for name in now - existing:
                history.owners[name] = app_label
            history.applied.append(revision)
        for name in existing - now:
            history.owners.pop(name, None)
        existing = now

    context = MigrationContext.configure(
        conn,
        opts={
            "version_table": VERSION_TABLE,
            "fn": steps,
            "on_version_apply": [after_step],
            SCHEMA_ONLY_OPTION: True,
        },
    )
    operations = Operations(context)
    operations._install_proxy()
    try:
        context.run_migrations()
    finally:
        operations._remove_proxy()
    return history
