"""dbshell: the database's own client, with the configured credentials."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from fastjango.core.management import call_command
from fastjango.core.management.base import CommandError
from fastjango.core.management.commands.dbshell import client_command
from fastjango.test.utils import override_settings
from tests.db.conftest import require_server

SERVERS: dict[str, dict[str, Any]] = {
    "postgresql": {
        "ENGINE": "fastjango.db.backends.postgresql",
        "NAME": "test",
        "USER": "postgres",
        "HOST": "127.0.0.1",
        "PORT": 5432,
    },
    "mysql": {
        "ENGINE": "fastjango.db.backends.mysql",
        "NAME": "test",
        "USER": "root",
        "HOST": "127.0.0.1",
        "PORT": 3306,
    },
}


def test_sqlite_client_runs_the_query(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    if shutil.which("sqlite3") is None:
        pytest.skip("the sqlite3 program isn't installed")
    databases = {
        "default": {"ENGINE": "fastjango.db.backends.sqlite3", "NAME": str(tmp_path / "x.db")}
    }
    with override_settings(DATABASES=databases):
        call_command("dbshell", "--", "SELECT 40 + 2;")
    assert "42" in capfd.readouterr().out


@pytest.mark.parametrize("vendor", ["postgresql", "mysql"])
def test_server_clients_run_the_query(vendor: str, capfd: pytest.CaptureFixture[str]) -> None:
    require_server("postgres" if vendor == "postgresql" else "mysql")
    flag = "-c" if vendor == "postgresql" else "-e"
    with override_settings(DATABASES={"default": SERVERS[vendor]}):
        call_command("dbshell", "--", flag, "SELECT 40 + 2")
    assert "42" in capfd.readouterr().out


def test_failing_client_reports_its_exit_status(tmp_path: Path) -> None:
    if shutil.which("sqlite3") is None:
        pytest.skip("the sqlite3 program isn't installed")
    databases = {
        "default": {"ENGINE": "fastjango.db.backends.sqlite3", "NAME": str(tmp_path / "x.db")}
    }
    with override_settings(DATABASES=databases), pytest.raises(CommandError) as info:
        call_command("dbshell", "--", "-bail", "SELECT nonsense FROM nowhere;")
    assert "returned non-zero exit status" in str(info.value)
    assert info.value.returncode != 0


def test_missing_client_program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    databases = {
        "default": {"ENGINE": "fastjango.db.backends.sqlite3", "NAME": str(tmp_path / "x.db")}
    }
    with override_settings(DATABASES=databases), pytest.raises(CommandError) as info:
        call_command("dbshell")
    assert (
        str(info.value) == "You appear not to have the 'sqlite3' program installed or on your path."
    )


def test_unknown_database_alias() -> None:
    with pytest.raises(CommandError, match="The database 'nope' isn't in the DATABASES setting."):
        call_command("dbshell", "--database", "nope")


def test_postgresql_arguments_keep_the_password_off_the_command_line() -> None:
    settings = {
        "NAME": "shop",
        "USER": "me",
        "PASSWORD": "secret",
        "HOST": "db.example",
        "PORT": 5433,
        "OPTIONS": {"sslmode": "require", "sslcert": "client.crt"},
    }
    args, env = client_command(settings, "postgresql", ["-c", "SELECT 1"])
    assert args == ["psql", "-U", "me", "-h", "db.example", "-p", "5433", "-c", "SELECT 1", "shop"]
    assert env == {"PGPASSWORD": "secret", "PGSSLMODE": "require", "PGSSLCERT": "client.crt"}
    args, env = client_command({"NAME": "", "OPTIONS": {"service": "main"}}, "postgresql", [])
    assert args == ["psql"]
    assert env == {"PGSERVICE": "main"}


def test_mysql_arguments() -> None:
    settings = {
        "NAME": "shop",
        "USER": "me",
        "PASSWORD": "secret",
        "HOST": "/run/mysqld/mysqld.sock",
        "PORT": "",
        "OPTIONS": {"charset": "utf8mb4", "read_default_file": "my.cnf"},
    }
    args, env = client_command(settings, "mysql", ["-e", "SELECT 1"])
    assert args[1:] == [
        "--defaults-file=my.cnf",
        "--user=me",
        "--socket=/run/mysqld/mysqld.sock",
        "--default-character-set=utf8mb4",
        "shop",
        "-e",
        "SELECT 1",
    ]
    assert env == {"MYSQL_PWD": "secret"}
    args, _ = client_command({"NAME": "x", "HOST": "h", "PORT": 3307, "OPTIONS": {}}, "mysql", [])
    assert args[1:] == ["--host=h", "--port=3307", "x"]


def test_unknown_vendor() -> None:
    with pytest.raises(CommandError, match="doesn't know the client program"):
        client_command({"NAME": "x"}, "oracle", [])
