"""Test databases: made on first use and dropped at the end, emptied, guarded.

``TestDatabases`` creates the test database of each alias a run uses (schema
from the migrations, or from the models), ``flush_database`` empties one
between transactional tests, and ``blocker`` makes connecting fail with a
message that says how to ask for the database.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from fastjango.db import IntegrityError, connections, transaction

if TYPE_CHECKING:
    from fastjango.db.backends.base.base import BaseDatabaseWrapper

__all__ = [
    "ACCESS_NOT_ALLOWED",
    "DatabaseBlocker",
    "TestDatabases",
    "app_labels",
    "blocker",
    "check_constraints",
    "close_async_engines",
    "deactivate",
    "deserialize_database",
    "emit_post_migrate",
    "end_transactional_test",
    "flush_database",
    "load_fixtures",
    "model_tables",
    "point_at",
    "reset_sequences",
    "serialize_database",
    "serialized_contents",
    "set_available_apps",
    "start_transactional_test",
    "unset_available_apps",
]

ACCESS_NOT_ALLOWED = (
    'Database access not allowed, use the "fastjango_db" mark, or the "db" or '
    '"transactional_db" fixtures to enable it.'
)

ErrorFactory = Callable[[str], Exception]


def _not_allowed(alias: str) -> Exception:
    return RuntimeError(ACCESS_NOT_ALLOWED)


# -- the blocker -------------------------------------------------------------------

# The three doors every query, transaction and raw cursor goes through.
_DOORS = ("_checkout", "_acheckout", "cursor")


class _Policy:
    def __init__(self, allowed: frozenset[str] | None, error: ErrorFactory) -> None:
        self.allowed = allowed  # None: every alias
        self.error = error


class _Restorer:
    """What ``block()``/``unblock()`` return: a context manager that undoes the call."""

    def __init__(self, owner: DatabaseBlocker, policy: _Policy) -> None:
        self._owner = owner
        self._policy = policy

    def __enter__(self) -> _Restorer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._owner._remove(self._policy)


class DatabaseBlocker:
    """Make connecting to some or all databases raise, with a message that says what to do.

    ``block()`` and ``unblock()`` stack up; each returns a context manager that
    undoes it, or call ``restore()`` to undo the latest. While anything is
    stacked, the connection entry points of every database wrapper check the
    top of the stack; with nothing stacked they are left untouched.
    """

    def __init__(self) -> None:
        self._stack: list[_Policy] = []
        self._originals: dict[str, Any] = {}

    @property
    def is_active(self) -> bool:
        """Return whether some database is blocked now."""
        return bool(self._stack) and self._stack[-1].allowed is not None

    def block(self, error: ErrorFactory | None = None, allowed: Iterable[str] = ()) -> _Restorer:
        """Block every alias except ``allowed``; ``error(alias)`` is what connecting raises."""
        return self._push(_Policy(frozenset(allowed), error or _not_allowed))

    def unblock(self) -> _Restorer:
        """Allow every database (until restored)."""
        return self._push(_Policy(None, _not_allowed))

    def restore(self) -> None:
        """Undo the latest ``block()`` or ``unblock()``."""
        if self._stack:
            self._remove(self._stack[-1])

    def check(self, alias: str) -> None:
        """Raise if ``alias`` is blocked now."""
        if not self._stack:
            return
        policy = self._stack[-1]
        if policy.allowed is None or alias in policy.allowed:
            return
        raise policy.error(alias)

    def _push(self, policy: _Policy) -> _Restorer:
        if not self._stack:
            self._install()
        self._stack.append(policy)
        return _Restorer(self, policy)

    def _remove(self, policy: _Policy) -> None:
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index] is policy:
                del self._stack[index]
                break
        if not self._stack:
            self._uninstall()

    def _install(self) -> None:
        from fastjango.db.backends.base.base import BaseDatabaseWrapper

        originals = {name: BaseDatabaseWrapper.__dict__[name] for name in _DOORS}
        check = self.check
        checkout, acheckout, cursor = (originals[name] for name in _DOORS)

        def _checkout(wrapper: BaseDatabaseWrapper) -> Any:
            check(wrapper.alias)
            return checkout(wrapper)

        async def _acheckout(wrapper: BaseDatabaseWrapper) -> Any:
            check(wrapper.alias)
            return await acheckout(wrapper)

        def _cursor(wrapper: BaseDatabaseWrapper) -> Any:
            check(wrapper.alias)
            return cursor(wrapper)

        for name, door in zip(_DOORS, (_checkout, _acheckout, _cursor), strict=True):
            setattr(BaseDatabaseWrapper, name, door)
        self._originals = originals

    def _uninstall(self) -> None:
        from fastjango.db.backends.base.base import BaseDatabaseWrapper

        for name, original in self._originals.items():
            setattr(BaseDatabaseWrapper, name, original)
        self._originals = {}


#: The process's blocker: test cases and the pytest plugin share it.
blocker = DatabaseBlocker()


# -- tables --------------------------------------------------------------------------


def model_tables(app_labels: Iterable[str] | None = None) -> list[sa.Table]:
    """Return the managed tables of the models (of ``app_labels`` only, when given)."""
    from fastjango.db.models.metadata import metadata

    tables = [t for t in metadata.tables.values() if t.info.get("managed", True)]
    if app_labels is None:
        return tables
    from fastjango.apps import apps
    from fastjango.db.migrations.state import ProjectTables

    wanted = set(ProjectTables.collect(apps, app_labels).tables)
    return [t for t in tables if t.name in wanted]


def _existing(conn: sa.Connection, tables: list[sa.Table]) -> list[sa.Table]:
    names = set(sa.inspect(conn).get_table_names())
    return [t for t in tables if t.name in names]


def _flush_sql(vendor: str, names: list[str], cascade: bool) -> list[str]:
    if vendor == "postgresql":
        return [f"TRUNCATE {', '.join(names)}{' CASCADE' if cascade else ''}"]
    statements = [f"DELETE FROM {name}" for name in names]
    if vendor == "sqlite":
        # Foreign keys are checked at COMMIT, when every table is empty.
        return ["PRAGMA defer_foreign_keys = ON", *statements]
    return statements


@contextmanager
def _foreign_key_checks_off(wrapper: BaseDatabaseWrapper, conn: sa.Connection) -> Iterator[None]:
    if wrapper.vendor != "mysql":
        yield
        return
    conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")
    try:
        yield
    finally:
        conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 1")


def flush_database(alias: str, app_labels: Iterable[str] | None = None) -> None:
    """Delete every row of the models' tables on ``alias`` (TransactionTestCase's teardown).

    With ``app_labels`` only those apps' tables are emptied (PostgreSQL then
    cascades to tables that refer to them, as Django does for ``available_apps``).
    """
    wrapper = connections[alias]
    with transaction.atomic(using=alias), wrapper.connect() as conn:
        tables = _existing(conn, model_tables(app_labels))
        if not tables:
            return
        names = [wrapper.ops.quote_name(t.name) for t in tables]
        with _foreign_key_checks_off(wrapper, conn):
            for statement in _flush_sql(wrapper.vendor, names, app_labels is not None):
                conn.exec_driver_sql(statement)


def reset_sequences(alias: str, app_labels: Iterable[str] | None = None) -> None:
    """Make the next automatic primary key of every model table on ``alias`` start at 1."""
    wrapper = connections[alias]
    with wrapper.connect() as conn:
        tables = _existing(conn, model_tables(app_labels))
    _reset_sequences(wrapper, tables)


def _reset_sequences(wrapper: BaseDatabaseWrapper, tables: list[sa.Table]) -> None:
    columns = [(t, t.autoincrement_column) for t in tables if t.autoincrement_column is not None]
    if not columns:
        return
    quote = wrapper.ops.quote_name
    with wrapper.connect() as conn:
        if wrapper.vendor == "postgresql":
            pairs = [(quote(t.name), c.name) for t, c in columns if c is not None]
            values = ", ".join(f"(:t{i}, :c{i})" for i in range(len(pairs)))
            params = {f"t{i}": t for i, (t, _) in enumerate(pairs)}
            params.update({f"c{i}": c for i, (_, c) in enumerate(pairs)})
            conn.execute(
                sa.text(
                    "SELECT setval(s, 1, false) FROM (SELECT pg_get_serial_sequence(t, c) AS s "
                    f"FROM (VALUES {values}) AS v(t, c)) AS q WHERE s IS NOT NULL"
                ),
                params,
            )
        elif wrapper.vendor == "mysql":
            for table, _ in columns:
                conn.exec_driver_sql(f"ALTER TABLE {quote(table.name)} AUTO_INCREMENT = 1")
        else:
            found = conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'"
            ).first()
            if found is not None:
                conn.execute(
                    sa.text("DELETE FROM sqlite_sequence WHERE name IN :names").bindparams(
                        sa.bindparam("names", expanding=True)
                    ),
                    {"names": [t.name for t, _ in columns]},
                )


def check_constraints(alias: str) -> None:
    """Raise IntegrityError if a deferred foreign key of the open transaction is broken.

    A test's transaction is rolled back, never committed, so without this a row
    pointing at nothing would pass unnoticed (Django checks the same at the end
    of each ``TestCase`` test). MySQL checks every row at once: nothing to do.
    """
    wrapper = connections[alias]
    if wrapper.vendor == "postgresql":
        with wrapper.connect() as conn:
            conn.exec_driver_sql("SET CONSTRAINTS ALL IMMEDIATE")
            conn.exec_driver_sql("SET CONSTRAINTS ALL DEFERRED")
    elif wrapper.vendor == "sqlite":
        with wrapper.connect() as conn:
            row = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
        if row is not None:
            table, rowid, parent = row[0], row[1], row[2]
            raise IntegrityError(
                f"The row in table '{table}' with primary key '{rowid}' has an invalid foreign "
                f"key: it refers to a row of '{parent}' that does not exist."
            )


# -- transactional tests ------------------------------------------------------------


def app_labels(available_apps: list[str] | None) -> list[str] | None:
    """Return the labels of the installed apps named in ``available_apps`` (None: all)."""
    if available_apps is None:
        return None
    from fastjango.apps import apps

    wanted = set(available_apps)
    return [config.label for config in apps.get_app_configs() if config.name in wanted]


def set_available_apps(available_apps: list[str]) -> None:
    """Narrow the app registry to ``available_apps`` and say so with ``setting_changed``."""
    from fastjango.apps import apps
    from fastjango.conf import settings
    from fastjango.core.signals import setting_changed

    apps.set_available_apps(available_apps)
    setting_changed.send(
        sender=settings._wrapped.__class__,
        setting="INSTALLED_APPS",
        value=available_apps,
        enter=True,
    )


def unset_available_apps() -> None:
    """Undo ``set_available_apps()``."""
    from fastjango.apps import apps
    from fastjango.conf import settings
    from fastjango.core.signals import setting_changed

    apps.unset_available_apps()
    setting_changed.send(
        sender=settings._wrapped.__class__,
        setting="INSTALLED_APPS",
        value=settings.INSTALLED_APPS,
        enter=False,
    )


def load_fixtures(fixtures: list[str], alias: str) -> None:
    """Load ``fixtures`` into ``alias`` with ``loaddata``."""
    from fastjango.core.management import call_command

    call_command("loaddata", *fixtures, verbosity=0, database=alias)


def emit_post_migrate(alias: str) -> None:
    """Send ``post_migrate`` for every app with models, as ``flush`` and ``migrate`` do."""
    # Emptying the tables removed what migrations put there (content types,
    # permissions, ...); their post_migrate receivers put it back.
    from fastjango.apps import apps
    from fastjango.db.models.signals import post_migrate

    if not post_migrate.receivers:
        return
    from fastjango.db.migrations.operations import MigrationApps

    for app_config in apps.get_app_configs():
        if app_config.models_module is None:
            continue
        post_migrate.send(
            sender=app_config,
            app_config=app_config,
            verbosity=0,
            interactive=False,
            using=alias,
            apps=MigrationApps(),
            plan=[],
        )


def start_transactional_test(
    alias: str,
    labels: list[str] | None,
    *,
    reset: bool = False,
    restore: bool = False,
    fixtures: list[str] | None = None,
) -> None:
    """Prepare ``alias`` for a test that commits: sequences, saved rows, fixtures."""
    if reset:
        reset_sequences(alias, labels)
    if restore:
        contents = serialized_contents(alias)
        if contents is not None:
            deserialize_database(alias, contents)
    if fixtures:
        load_fixtures(fixtures, alias)


def end_transactional_test(alias: str, labels: list[str] | None, *, restore: bool) -> None:
    """Empty ``alias`` after a test that committed; send ``post_migrate`` as flush does.

    Not when only some apps were available, nor when saved rows come back before
    the next test anyway (Django's rules).
    """
    flush_database(alias, labels)
    restoring = restore and serialized_contents(alias) is not None
    if labels is None and not restoring:
        emit_post_migrate(alias)


# -- serialized rollback -----------------------------------------------------------


def serialize_database(alias: str) -> str:
    """Return every row of the installed apps' models on ``alias`` as JSON.

    Apps named in ``TEST_NON_SERIALIZED_APPS`` are left out, as in Django.
    """
    from fastjango.apps import apps
    from fastjango.conf import settings
    from fastjango.core import serializers
    from fastjango.db import router

    skipped = set(settings.TEST_NON_SERIALIZED_APPS)
    app_list = [
        (config, None)
        for config in apps.get_app_configs()
        if config.models_module is not None and config.name not in skipped
    ]
    models = serializers.sort_dependencies(app_list, allow_cycles=True)

    def objects() -> Iterator[Any]:
        for model in models:
            meta = model._meta
            if meta.proxy or not meta.managed or not router.allow_migrate_model(alias, model):
                continue
            yield from model._default_manager.using(alias).order_by(meta.pk.name).iterator()

    return str(serializers.serialize("json", objects()))


def deserialize_database(alias: str, data: str) -> None:
    """Load rows saved by ``serialize_database`` back into ``alias``, in one transaction."""
    from fastjango.core import serializers

    wrapper = connections[alias]
    with transaction.atomic(using=alias), wrapper.connect() as conn:
        with _foreign_key_checks_off(wrapper, conn):
            for obj in serializers.deserialize("json", data, using=alias):
                obj.save(using=alias)


# -- creating and dropping -------------------------------------------------------------


@dataclass
class _Created:
    wrapper: BaseDatabaseWrapper
    old_name: Any
    test_name: str
    destroy: bool
    old_test_name: Any
    signature: tuple[Any, ...]
    #: a temporary file nobody could find again: dropped even with keepdb
    private: bool = False


def _private_sqlite(wrapper: BaseDatabaseWrapper) -> bool:
    # SQLite's default test database: Django's is in memory, ours a temporary file.
    from fastjango.db.backends.sqlite3.creation import is_memory_name

    name = wrapper.settings_dict["TEST"].get("NAME")
    return wrapper.vendor == "sqlite" and (not name or is_memory_name(str(name)))


def _signature(wrapper: BaseDatabaseWrapper) -> tuple[Any, ...]:
    # Aliases with one signature share a test database (Django's test_db_signature);
    # private SQLite ones never do.
    settings_dict = wrapper.settings_dict
    return (
        settings_dict["ENGINE"],
        settings_dict["HOST"],
        str(settings_dict["PORT"]),
        settings_dict["NAME"],
        settings_dict["TEST"].get("NAME"),
        wrapper.alias if _private_sqlite(wrapper) else None,
    )


def worker_test_name(wrapper: BaseDatabaseWrapper, suffix: str) -> str | None:
    """Return the test database name of ``wrapper`` for one of several parallel workers.

    None means the default name is private already (SQLite's temporary file).
    """
    from fastjango.db.backends.base.creation import TEST_DATABASE_PREFIX

    name = wrapper.settings_dict["TEST"].get("NAME")
    if wrapper.vendor == "sqlite":
        if _private_sqlite(wrapper):
            return None
        root, ext = os.path.splitext(str(name))
        return f"{root}_{suffix}{ext}"
    base = name or f"{TEST_DATABASE_PREFIX}{wrapper.settings_dict['NAME']}"
    return f"{base}_{suffix}"


def point_at(wrapper: BaseDatabaseWrapper, name: Any) -> None:
    """Point ``wrapper`` (and ``settings.DATABASES``) at the database ``name``."""
    from fastjango.conf import settings

    wrapper.close()
    wrapper.settings_dict["NAME"] = name
    databases: Any = settings.DATABASES
    if isinstance(databases, dict) and isinstance(databases.get(wrapper.alias), dict):
        databases[wrapper.alias]["NAME"] = name


class TestDatabases:
    """The test databases of one run: each made on first use, all dropped by ``teardown()``.

    A database gets its schema from the migrations (``migrate`` True), or from
    the models (False); None follows each alias's ``TEST["MIGRATE"]``. With
    ``keepdb`` an existing test database is reused and kept. ``suffix`` names
    a parallel worker's own databases (``test_<NAME>_<suffix>``). The aliases in
    ``serialize`` have their contents saved after creation, for
    ``serialized_rollback``. A ``TEST["MIRROR"]`` alias, and an alias with the
    same settings as another, use that alias's test database.
    """

    __test__ = False  # not a test class, whatever pytest thinks of the name

    def __init__(
        self,
        *,
        verbosity: int = 0,
        interactive: bool = False,
        keepdb: bool = False,
        migrate: bool | None = None,
        suffix: str | None = None,
        serialize: Iterable[str] = (),
    ) -> None:
        self.verbosity = verbosity
        self.interactive = interactive
        self.keepdb = keepdb
        self.migrate = migrate
        self.suffix = suffix
        self.serialize = set(serialize)
        self.created: dict[str, _Created] = {}
        self._contents: dict[str, str] = {}

    def is_ready(self, alias: str) -> bool:
        """Return whether ``alias`` points at the test database made for it."""
        entry = self.created.get(alias)
        return entry is not None and connections[alias].settings_dict["NAME"] == entry.test_name

    def ensure(self, aliases: Iterable[str]) -> None:
        """Create the test databases of ``aliases`` that don't exist yet."""
        with blocker.unblock():
            for alias in aliases:
                self._ensure(alias)

    def _ensure(self, alias: str) -> None:
        wrapper = connections[alias]
        if wrapper.vendor == "dummy" or self.is_ready(alias):
            return
        settings_dict = wrapper.settings_dict
        old_name, old_test_name = settings_dict["NAME"], settings_dict["TEST"].get("NAME")
        signature = _signature(wrapper)
        mirror = settings_dict["TEST"].get("MIRROR")
        if mirror:
            self._ensure(mirror)
            self._share(wrapper, connections[mirror].settings_dict["NAME"], signature)
            return
        for entry in self.created.values():
            if entry.destroy and entry.signature == signature:
                self._share(wrapper, entry.test_name, signature)
                return
        private = _private_sqlite(wrapper)
        if self.suffix is not None and not private:
            settings_dict["TEST"]["NAME"] = worker_test_name(wrapper, self.suffix)
        from fastjango.db.migrations.testing import create_test_schema

        try:
            test_name = wrapper.creation.create_test_db(
                verbosity=self.verbosity, autoclobber=not self.interactive, keepdb=self.keepdb
            )
        except BaseException:
            settings_dict["TEST"]["NAME"] = old_test_name
            raise
        self.created[alias] = _Created(
            wrapper, old_name, test_name, True, old_test_name, signature, private
        )
        create_test_schema(alias, migrate=self.migrate, verbosity=self.verbosity)
        if alias in self.serialize:
            self._contents[alias] = serialize_database(alias)

    def _share(self, wrapper: BaseDatabaseWrapper, name: str, signature: tuple[Any, ...]) -> None:
        old_name = wrapper.settings_dict["NAME"]
        point_at(wrapper, name)
        old_test_name = wrapper.settings_dict["TEST"].get("NAME")
        self.created[wrapper.alias] = _Created(
            wrapper, old_name, name, False, old_test_name, signature
        )

    def serialized_contents(self, alias: str) -> str | None:
        """Return the contents saved after creating ``alias``, or None."""
        return self._contents.get(alias)

    def activate(self) -> None:
        """Make this the run's databases, whose saved contents test cases reload."""
        global _active
        _active = self

    def teardown(self) -> None:
        """Drop every database this made (or keep them with ``keepdb``); restore the names."""
        global _active
        if _active is self:
            _active = None
        with blocker.unblock():
            entries = list(self.created.items())
            self.created.clear()
            self._contents.clear()
            for alias, entry in reversed(entries):
                wrapper = entry.wrapper
                close_async_engines(wrapper)
                current = connections[alias] is wrapper
                if entry.destroy:
                    wrapper.creation.destroy_test_db(
                        entry.old_name if current else None,
                        verbosity=self.verbosity,
                        keepdb=self.keepdb and not entry.private,
                    )
                elif current:
                    point_at(wrapper, entry.old_name)
                wrapper.settings_dict["TEST"]["NAME"] = entry.old_test_name


_active: TestDatabases | None = None


def deactivate() -> None:
    """Forget the run's databases (``teardown_databases()`` dropped them)."""
    global _active
    _active = None


def serialized_contents(alias: str) -> str | None:
    """Return what the run's test databases saved of ``alias`` after creating it, or None."""
    return None if _active is None else _active.serialized_contents(alias)


def close_async_engines(wrapper: BaseDatabaseWrapper) -> None:
    """Close the async engine the sync test client's event loop holds for ``wrapper``."""
    # The sync test client's loop keeps pooled async connections to the test
    # database; a server refuses to drop a database that has connections.
    from fastjango.test import client

    portal = client._portal
    if portal is not None and wrapper._async_engines:
        portal[0].call(wrapper.aclose)
