"""createcachetable: the table the database cache backend needs, on every backend."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from fastjango.core.management import call_command
from fastjango.core.management.base import CommandError
from fastjango.db import connections
from fastjango.test.utils import override_settings
from tests.core.management.test_dbshell import SERVERS
from tests.db.conftest import require_server


@pytest.fixture(params=["sqlite", "postgresql", "mysql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    vendor: str = request.param
    if vendor == "sqlite":
        settings: dict[str, Any] = {
            "ENGINE": "fastjango.db.backends.sqlite3",
            "NAME": str(tmp_path / "cache.db"),
        }
    else:
        require_server("postgres" if vendor == "postgresql" else "mysql")
        settings = dict(SERVERS[vendor])
    yield settings


def has_table(name: str) -> bool:
    with connections["default"].connect() as conn:
        return bool(sa.inspect(conn).has_table(name))


def drop(name: str) -> None:
    with connections["default"].connect() as conn:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {connections['default'].ops.quote_name(name)}")


def test_creates_the_configured_cache_tables(database: dict[str, Any]) -> None:
    table = f"cache_{uuid.uuid4().hex[:8]}"
    caches = {
        "default": {"BACKEND": "fastjango.core.cache.backends.db.DatabaseCache", "LOCATION": table},
        "local": {"BACKEND": "fastjango.core.cache.backends.locmem.LocMemCache"},
    }
    with override_settings(DATABASES={"default": database}, CACHES=caches):
        try:
            out = StringIO()
            call_command("createcachetable", "--dry-run", stdout=out)
            assert "CREATE TABLE" in out.getvalue() and table in out.getvalue()
            assert not has_table(table)
            out = StringIO()
            call_command("createcachetable", verbosity=2, stdout=out)
            assert f"Cache table '{table}' created." in out.getvalue()
            assert has_table(table)
            out = StringIO()
            call_command("createcachetable", verbosity=2, stdout=out)
            assert f"Cache table '{table}' already exists." in out.getvalue()

            from fastjango.core.cache import caches as handler

            handler["default"].set("answer", 42)
            assert handler["default"].get("answer") == 42
        finally:
            drop(table)
            connections["default"].close()


def test_named_tables_and_errors(tmp_path: Path) -> None:
    databases = {
        "default": {"ENGINE": "fastjango.db.backends.sqlite3", "NAME": str(tmp_path / "c.db")}
    }
    with override_settings(DATABASES=databases):
        call_command("createcachetable", "first_cache", "second_cache")
        assert has_table("first_cache") and has_table("second_cache")
        with pytest.raises(CommandError, match="The database 'x' isn't in the DATABASES setting."):
            call_command("createcachetable", "--database", "x")
        connections["default"].close()


class NoCacheRouter:
    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return app_label != "django_cache"


def test_routers_can_keep_the_table_off_a_database(tmp_path: Path) -> None:
    databases = {
        "default": {"ENGINE": "fastjango.db.backends.sqlite3", "NAME": str(tmp_path / "c.db")}
    }
    caches = {
        "default": {"BACKEND": "fastjango.core.cache.backends.db.DatabaseCache", "LOCATION": "c"}
    }
    with override_settings(
        DATABASES=databases,
        CACHES=caches,
        DATABASE_ROUTERS=[f"{__name__}.NoCacheRouter"],
    ):
        call_command("createcachetable")
        assert not has_table("c")
        connections["default"].close()
