"""What every benchmark app serves and where its database is, so responses are checked alike.

Stdlib only: the Django apps import this module from their own virtual environment.
The runner tells each server which database to use through the environment:
``BENCH_DB`` (``sqlite`` or ``postgresql``) and ``BENCH_SQLITE`` (the SQLite file).
"""

from __future__ import annotations

import os
from typing import Any

JSON_MESSAGE = {"message": "Hello, World!"}

BACKENDS = ("sqlite", "postgresql")
WORLD_ROWS = 1000
PAGE = 20
AUTHORS = 100

PG_HOST = "127.0.0.1"
PG_PORT = 5432
PG_USER = os.environ.get("BENCH_PG_USER", "postgres")
PG_NAME = "fastjango_bench"


def world_row(i: int) -> dict[str, Any]:
    """Return row ``i`` of the World table; titles carry characters autoescaping must encode."""
    return {
        "id": i,
        "title": f'Book <{i}> & "friends"',
        "author": f"Author {i % AUTHORS}",
        "pages": 100 + (i * 37) % 900,
    }


def world_rows(count: int = WORLD_ROWS, start: int = 1) -> list[dict[str, Any]]:
    """Return ``count`` World rows from id ``start``."""
    return [world_row(i) for i in range(start, start + count)]


#: what /db answers: the first PAGE rows by id
EXPECTED_PAGE = world_rows(PAGE)


def backend() -> str:
    """Return the database this server process uses, from ``BENCH_DB``."""
    name = os.environ.get("BENCH_DB", "")
    if name not in BACKENDS:
        raise RuntimeError(
            f"BENCH_DB must be one of {', '.join(BACKENDS)} (got {name!r}); "
            "start the apps through `python -m benchmarks`."
        )
    return name


def sqlite_path() -> str:
    """Return the SQLite file the runner seeded, from ``BENCH_SQLITE``."""
    path = os.environ.get("BENCH_SQLITE", "")
    if not path:
        raise RuntimeError(
            "BENCH_SQLITE is not set; start the apps through `python -m benchmarks`."
        )
    return path


def sqlalchemy_urls() -> tuple[str, str]:
    """Return the (sync, async) SQLAlchemy URLs of this process's database."""
    if backend() == "sqlite":
        path = sqlite_path()
        return f"sqlite:///{path}", f"sqlite+aiosqlite:///{path}"
    where = f"{PG_USER}@{PG_HOST}:{PG_PORT}/{PG_NAME}"
    return f"postgresql+psycopg://{where}", f"postgresql+asyncpg://{where}"


def fastjango_databases() -> dict[str, dict[str, Any]]:
    """Return FastJango's ``DATABASES``: its own pool, as a new project has it."""
    if backend() == "sqlite":
        return {"default": {"ENGINE": "fastjango.db.backends.sqlite3", "NAME": sqlite_path()}}
    return {
        "default": {
            "ENGINE": "fastjango.db.backends.postgresql",
            "NAME": PG_NAME,
            "USER": PG_USER,
            "HOST": PG_HOST,
            "PORT": PG_PORT,
        }
    }


def django_databases(server: str) -> dict[str, dict[str, Any]]:
    """Return Django's ``DATABASES`` for ``server`` (``wsgi`` or ``asgi``), tuned as Django advises.

    Under WSGI a worker keeps its connection (``CONN_MAX_AGE=None``). Under ASGI,
    Django's documentation says to turn persistent connections off and pool
    instead: PostgreSQL gets psycopg's pool (Django 5.1+), as large as
    SQLAlchemy's default pool (5 + 10 overflow); SQLite has none.
    """
    persistent = server == "wsgi"
    if backend() == "sqlite":
        return {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": sqlite_path(),
                "CONN_MAX_AGE": None if persistent else 0,
            }
        }
    settings: dict[str, Any] = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": PG_NAME,
        "USER": PG_USER,
        "HOST": PG_HOST,
        "PORT": PG_PORT,
        "CONN_MAX_AGE": None if persistent else 0,
    }
    if not persistent:
        settings["OPTIONS"] = {"pool": {"min_size": 5, "max_size": 15}}
    return {"default": settings}
