"""Fixtures for migration tests: a throwaway project, and one database per backend.

``backend`` runs a test on SQLite (a file in the test's folder), PostgreSQL
and MariaDB/MySQL (the db suite's per-worker test databases, emptied after
each test), with that database as "default".
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fastjango.db import connections
from fastjango.test.utils import override_settings
from tests.db.migrations.support import Project, project_at, reset_database, sqlite_databases

ALIASES = {"sqlite": "default", "postgresql": "postgres", "mysql": "mysql"}


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    """A project folder on ``sys.path`` whose apps tests create and install."""
    root = tmp_path / "project"
    root.mkdir()
    with project_at(root) as created:
        yield created


def _databases(name: str, test_databases: Any, tmp_path: Path) -> dict[str, Any]:
    if name == "sqlite":
        return {
            "default": {
                "ENGINE": "fastjango.db.backends.sqlite3",
                "NAME": str(tmp_path / "db.sqlite3"),
            }
        }
    alias = ALIASES[name]
    test_databases.ensure(alias)
    settings = dict(test_databases.settings[alias])
    return {"default": settings}


@pytest.fixture(params=list(ALIASES))
def backend(
    request: pytest.FixtureRequest, test_databases: Any, tmp_path: Path, project: Project
) -> Iterator[str]:
    """Run the test on each backend, its database as "default"; return the vendor.

    The project's apps are uninstalled first at the end: overrides must be
    undone in the reverse order they were made.
    """
    name: str = request.param
    databases = _databases(name, test_databases, tmp_path)
    with override_settings(DATABASES=databases):
        connection = connections["default"]
        if name != "sqlite":
            reset_database(connection)
        try:
            yield name
        finally:
            project.uninstall()
            if name != "sqlite":
                reset_database(connections["default"])
            connections["default"].close()


@pytest.fixture
def sqlite_db(tmp_path: Path, project: Project) -> Iterator[None]:
    """A SQLite file database as "default" (the project's apps uninstalled first at the end)."""
    with sqlite_databases(tmp_path):
        try:
            yield
        finally:
            project.uninstall()
