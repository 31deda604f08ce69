"""A small app for the database test tools' tests, and the settings they run with."""

from __future__ import annotations

import os
import socket
from typing import Any

import pytest

APP = "tests.test.dbapp"
# Per xdist worker and process: several runs may share one server.
WORKER = f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
SERVERS = {"postgresql": ("127.0.0.1", 5432), "mysql": ("127.0.0.1", 3306)}


def server_settings(vendor: str, name: str) -> dict[str, Any]:
    """Return a DATABASES entry for the local test server of ``vendor``."""
    host, port = SERVERS[vendor]
    return {
        "ENGINE": f"fastjango.db.backends.{vendor}",
        "NAME": "fastjango",
        "USER": "postgres" if vendor == "postgresql" else "root",
        "HOST": host,
        "PORT": port,
        "TEST": {"NAME": f"test_fjtools_{name}_{WORKER}"},
    }


def database_settings(vendor: str) -> dict[str, dict[str, Any]]:
    """Return DATABASES with "default" on ``vendor`` and "other" on SQLite."""
    default = (
        {"ENGINE": "fastjango.db.backends.sqlite3", "NAME": "default.sqlite3"}
        if vendor == "sqlite"
        else server_settings(vendor, "default")
    )
    return {
        "default": default,
        "other": {"ENGINE": "fastjango.db.backends.sqlite3", "NAME": "other.sqlite3"},
    }


def reachable(vendor: str) -> bool:
    """Return whether the test server of ``vendor`` answers (SQLite always does)."""
    try:
        require_server(vendor)
    except pytest.skip.Exception:
        return False
    return True


def require_server(vendor: str) -> None:
    """Skip (fail under CI) when the server of ``vendor`` is not reachable."""
    if vendor not in SERVERS:
        return
    try:
        socket.create_connection(SERVERS[vendor], timeout=2).close()
    except OSError as err:
        message = f"{vendor} is not reachable at {SERVERS[vendor]} ({err})."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
