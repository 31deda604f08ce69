from __future__ import annotations

from typing import Any

import pytest

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.db.backends.config import (
    configure_databases,
    normalize_engine,
    parse_database_url,
)


def test_defaults_are_filled_as_django_does() -> None:
    settings = {"default": {"ENGINE": "fastjango.db.backends.sqlite3", "NAME": "db.sqlite3"}}
    conn = configure_databases(settings)["default"]
    assert conn == {
        "ENGINE": "fastjango.db.backends.sqlite3",
        "NAME": "db.sqlite3",
        "ATOMIC_REQUESTS": False,
        "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "OPTIONS": {},
        "TIME_ZONE": None,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {
            "CHARSET": None,
            "COLLATION": None,
            "MIGRATE": True,
            "MIRROR": None,
            "NAME": None,
            "TEMPLATE": None,
        },
    }
    # The user's dict is left alone.
    assert settings["default"] == {"ENGINE": "fastjango.db.backends.sqlite3", "NAME": "db.sqlite3"}


@pytest.mark.parametrize(
    ("engine", "expected"),
    [
        ("django.db.backends.sqlite3", "fastjango.db.backends.sqlite3"),
        ("django.db.backends.postgresql", "fastjango.db.backends.postgresql"),
        ("django.db.backends.postgresql_psycopg2", "fastjango.db.backends.postgresql"),
        ("django.db.backends.mysql", "fastjango.db.backends.mysql"),
        ("fastjango.db.backends.mysql", "fastjango.db.backends.mysql"),
        ("", "fastjango.db.backends.dummy"),
        ("django.db.backends.", "fastjango.db.backends.dummy"),
        ("myproject.backends.custom", "myproject.backends.custom"),
    ],
)
def test_engine_names(engine: str, expected: str) -> None:
    assert normalize_engine(engine) == expected


def test_unsupported_django_engine() -> None:
    with pytest.raises(ImproperlyConfigured, match="oracle.*has no FastJango counterpart"):
        normalize_engine("django.db.backends.oracle")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgresql://bob:s%40cret@db.example:6543/shop?sslmode=require",
            {
                "ENGINE": "fastjango.db.backends.postgresql",
                "NAME": "shop",
                "USER": "bob",
                "PASSWORD": "s@cret",
                "HOST": "db.example",
                "PORT": "6543",
                "OPTIONS": {"sslmode": "require"},
            },
        ),
        (
            "postgres+asyncpg://localhost/app",
            {
                "ENGINE": "fastjango.db.backends.postgresql",
                "NAME": "app",
                "USER": "",
                "PASSWORD": "",
                "HOST": "localhost",
                "PORT": "",
                "OPTIONS": {},
            },
        ),
        (
            "mariadb://root@127.0.0.1:3306/test?charset=utf8mb4",
            {
                "ENGINE": "fastjango.db.backends.mysql",
                "NAME": "test",
                "USER": "root",
                "PASSWORD": "",
                "HOST": "127.0.0.1",
                "PORT": "3306",
                "OPTIONS": {"charset": "utf8mb4"},
            },
        ),
        (
            "sqlite:///db.sqlite3",
            {"ENGINE": "fastjango.db.backends.sqlite3", "NAME": "db.sqlite3", "OPTIONS": {}},
        ),
        (
            "sqlite:////var/data/app.db",
            {"ENGINE": "fastjango.db.backends.sqlite3", "NAME": "/var/data/app.db", "OPTIONS": {}},
        ),
        (
            "sqlite://",
            {"ENGINE": "fastjango.db.backends.sqlite3", "NAME": ":memory:", "OPTIONS": {}},
        ),
    ],
)
def test_parse_database_url(url: str, expected: dict[str, Any]) -> None:
    assert parse_database_url(url) == expected


def test_url_errors() -> None:
    with pytest.raises(ImproperlyConfigured, match="scheme 'oracle' is not supported"):
        parse_database_url("oracle://x/y")
    with pytest.raises(ImproperlyConfigured, match="invalid port"):
        parse_database_url("postgresql://host:notaport/db")


def test_url_setting_and_explicit_keys() -> None:
    conn = configure_databases(
        {
            "default": {
                "URL": "postgresql://u:p@h:5433/db?application_name=web",
                "NAME": "override",
                "OPTIONS": {"application_name": "mine"},
            }
        }
    )["default"]
    assert conn["ENGINE"] == "fastjango.db.backends.postgresql"
    assert (conn["NAME"], conn["USER"], conn["HOST"], conn["PORT"]) == (
        "override",
        "u",
        "h",
        "5433",
    )
    assert conn["OPTIONS"] == {"application_name": "mine"}


def test_empty_databases_gives_a_dummy_default() -> None:
    databases = configure_databases({})
    assert databases["default"]["ENGINE"] == "fastjango.db.backends.dummy"


@pytest.mark.parametrize(
    ("databases", "message"),
    [
        ({"other": {"ENGINE": "fastjango.db.backends.sqlite3"}}, "must define a 'default'"),
        ([], "must be a dict"),
        ({"default": "sqlite"}, r"DATABASES\['default'\] must be a dict"),
        ({"default": {"AUTOCOMMIT": False}}, "AUTOCOMMIT'\\] = False is not supported"),
        ({"default": {"CONN_MAX_AGE": "60"}}, "CONN_MAX_AGE'\\] must be a number"),
        ({"default": {"CONN_MAX_AGE": True}}, "CONN_MAX_AGE'\\] must be a number"),
    ],
)
def test_invalid_databases(databases: Any, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        configure_databases(databases)


def test_port_is_a_string() -> None:
    conn = configure_databases({"default": {"PORT": 5432, "ENGINE": "x"}})["default"]
    assert conn["PORT"] == "5432"
    conn = configure_databases({"default": {"PORT": None, "ENGINE": "x"}})["default"]
    assert conn["PORT"] == ""


def test_unreachable_server_skips_or_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from tests.db import conftest

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setitem(conftest.SERVERS, "nowhere", ("Nowhere", "127.0.0.1", port))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="scripts/services"):
        conftest.require_server("nowhere")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="Nowhere is not reachable"):
        conftest.require_server("nowhere")
    conftest.require_server("default")  # SQLite needs no server
