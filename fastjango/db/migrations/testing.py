"""Build a test database's schema, as Django's test runner does.

``create_test_db`` (the database layer) makes the empty database; then
``create_test_schema(alias)`` runs the migrations of every app (and creates
the tables of apps without migrations, as ``migrate --run-syncdb``). With
``TEST["MIGRATE"] = False`` (or ``migrate=False``), the tables are created
straight from the models instead: faster, but the migrations go untested.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

__all__ = ["create_test_schema"]


def create_test_schema(
    alias: str = "default", *, migrate: bool | None = None, verbosity: int = 0
) -> None:
    """Give the (empty) test database of ``alias`` every installed app's tables."""
    from fastjango.apps import apps
    from fastjango.core.management import call_command
    from fastjango.db import connections

    connection = connections[alias]
    if migrate is None:
        migrate = bool(connection.settings_dict.get("TEST", {}).get("MIGRATE", True))
    out: Any = None if verbosity > 1 else StringIO()
    if migrate:
        call_command(
            "migrate",
            database=alias,
            run_syncdb=True,
            interactive=False,
            verbosity=max(verbosity - 1, 0),
            skip_checks=True,
            stdout=out,
        )
        return
    from fastjango.db.migrations.executor import MigrationExecutor

    labels = [app_config.label for app_config in apps.get_app_configs()]
    MigrationExecutor(connection).sync_apps(labels)
