"""Test databases for the db suite: SQLite, PostgreSQL and MariaDB/MySQL.

``DATABASES`` gets three aliases in every test here: "default" (SQLite),
"postgres" and "mysql". Each server alias gets its own test database per
xdist worker and process (``test_fastjango_<worker>_<pid>``), created on first use and dropped
at the end. A server that can't be reached skips its tests, or fails them
when the ``CI`` environment variable is set.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from fastjango.db import connections
from fastjango.db.backends.base.base import BaseDatabaseWrapper
from fastjango.test.utils import override_settings

# Per xdist worker, and per process: several test runs may share one server.
WORKER = f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
TEST_DB_NAME = f"test_fastjango_{WORKER}"
BACKENDS = ["default", "postgres", "mysql"]

SERVERS = {
    "postgres": ("PostgreSQL", "127.0.0.1", 5432),
    "mysql": ("MariaDB/MySQL", "127.0.0.1", 3306),
}


def database_settings() -> dict[str, dict[str, Any]]:
    """Return the DATABASES the suite runs with (fresh dicts each call)."""
    return {
        "default": {"ENGINE": "fastjango.db.backends.sqlite3", "NAME": "unused.sqlite3"},
        "postgres": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "test",
            "USER": "postgres",
            "HOST": "127.0.0.1",
            "PORT": 5432,
            "TEST": {"NAME": TEST_DB_NAME},
        },
        "mysql": {
            "ENGINE": "django.db.backends.mysql",
            "NAME": "test",
            "USER": "root",
            "HOST": "127.0.0.1",
            "PORT": 3306,
            "TEST": {"NAME": TEST_DB_NAME},
        },
    }


def require_server(alias: str) -> None:
    """Skip (or, under CI, fail) when the server of ``alias`` is unreachable."""
    if alias not in SERVERS:
        return
    label, host, port = SERVERS[alias]
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError as err:
        message = (
            f"{label} is not reachable at {host}:{port} ({err}). Start it with scripts/services."
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


class _TestDatabases:
    def __init__(self) -> None:
        #: the DATABASES every test here runs with; create_test_db writes the
        #: test database names into it
        self.settings = database_settings()
        self.created: dict[str, str] = {}

    def ensure(self, alias: str) -> None:
        if alias in self.created:
            return
        require_server(alias)
        wrapper = connections[alias]
        old_name = wrapper.settings_dict["NAME"]
        wrapper.creation.create_test_db(verbosity=0, autoclobber=True)
        self.created[alias] = old_name

    def destroy_all(self) -> None:
        for alias, old_name in self.created.items():
            connections[alias].creation.destroy_test_db(old_name, verbosity=0)
        self.created.clear()


@pytest.fixture(scope="session")
def test_databases() -> Iterator[_TestDatabases]:
    databases = _TestDatabases()
    yield databases
    with override_settings(DATABASES=databases.settings):
        databases.destroy_all()


@pytest.fixture(autouse=True)
def _database_settings(test_databases: _TestDatabases) -> Iterator[None]:
    # Per test, so that the rest of the suite never sees these DATABASES.
    with override_settings(DATABASES=test_databases.settings):
        yield


@pytest.fixture(params=BACKENDS)
def alias(request: pytest.FixtureRequest, test_databases: _TestDatabases) -> str:
    """Return each database alias in turn, its test database created."""
    name: str = request.param
    test_databases.ensure(name)
    return name


@pytest.fixture
def db(alias: str) -> BaseDatabaseWrapper:
    """Return the wrapper of the parametrized alias."""
    return connections[alias]


@pytest.fixture
def items(db: BaseDatabaseWrapper) -> Iterator[sa.Table]:
    """Create a fresh ``fj_items`` table (id, unique name) and drop it afterwards."""
    metadata = sa.MetaData()
    table = sa.Table(
        "fj_items",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(50), nullable=False, unique=True),
    )
    engine = db.sync_engine
    metadata.drop_all(engine)
    metadata.create_all(engine)
    try:
        yield table
    finally:
        db.force_debug_cursor = False
        metadata.drop_all(db.sync_engine)


def names(db: BaseDatabaseWrapper, table: sa.Table) -> list[str]:
    """Return the committed names in ``table``, sorted."""
    return sorted(row[0] for row in db.execute(sa.select(table.c.name)))
