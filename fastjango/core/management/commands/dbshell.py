"""``dbshell``: open the database's own command-line client with the configured credentials.

``sqlite3`` for SQLite, ``psql`` for PostgreSQL, ``mysql`` (or ``mariadb``)
for MySQL/MariaDB. Passwords travel in the client's environment variable
(``PGPASSWORD``, ``MYSQL_PWD``), never on the command line. Arguments after
``--`` go to the client as they are.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import Any

from fastjango.core.management.base import BaseCommand, CommandError, CommandParser
from fastjango.db import DEFAULT_DB_ALIAS, connections

__all__ = ["Command", "client_command"]

# libpq's environment variables for the OPTIONS Django passes on.
_PG_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


def client_command(
    settings_dict: dict[str, Any], vendor: str, parameters: list[str]
) -> tuple[list[str], dict[str, str] | None]:
    """Return ``(argv, extra environment)`` that open the client for a database."""
    options = settings_dict.get("OPTIONS", {}) or {}
    if vendor == "sqlite":
        return ["sqlite3", str(settings_dict["NAME"]), *parameters], None
    if vendor == "postgresql":
        args = ["psql"]
        env: dict[str, str] = {}
        if settings_dict.get("USER"):
            args += ["-U", str(settings_dict["USER"])]
        if settings_dict.get("HOST"):
            args += ["-h", str(settings_dict["HOST"])]
        if settings_dict.get("PORT"):
            args += ["-p", str(settings_dict["PORT"])]
        args += parameters
        name = settings_dict.get("NAME") or ("postgres" if not options.get("service") else "")
        if name:
            args.append(str(name))
        if settings_dict.get("PASSWORD"):
            env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
        for option, variable in _PG_OPTIONS.items():
            if options.get(option):
                env[variable] = str(options[option])
        return args, env
    if vendor == "mysql":
        program = "mysql" if shutil.which("mysql") or not shutil.which("mariadb") else "mariadb"
        args = [program]
        env = {}
        user = options.get("user", settings_dict.get("USER"))
        password = options.get("password", options.get("passwd", settings_dict.get("PASSWORD")))
        host = options.get("host", settings_dict.get("HOST"))
        port = options.get("port", settings_dict.get("PORT"))
        database = options.get("database", options.get("db", settings_dict.get("NAME")))
        charset = options.get("charset")
        if options.get("read_default_file"):
            args.append(f"--defaults-file={options['read_default_file']}")
        if user:
            args.append(f"--user={user}")
        if password:
            env["MYSQL_PWD"] = str(password)
        if host:
            if "/" in str(host):
                args.append(f"--socket={host}")
            else:
                args.append(f"--host={host}")
        if port:
            args.append(f"--port={port}")
        if charset:
            args.append(f"--default-character-set={charset}")
        if database:
            args.append(str(database))
        args += parameters
        return args, env
    raise CommandError(f"dbshell doesn't know the client program of the {vendor} backend.")


class Command(BaseCommand):
    help = (
        "Runs the command-line client for specified database, or the default database if none "
        "is provided."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help='Nominates a database onto which to open a shell. Defaults to the "default" '
            "database.",
        )
        parameters = parser.add_argument_group("parameters", prefix_chars="--")
        parameters.add_argument("parameters", nargs="*")

    def handle(self, **options: Any) -> None:
        database = options["database"]
        if database not in connections:
            raise CommandError(f"The database '{database}' isn't in the DATABASES setting.")
        connection = connections[database]
        args, env = client_command(
            connection.settings_dict, connection.vendor, list(options["parameters"])
        )
        full_env = {**os.environ, **env} if env else None
        try:
            subprocess.run(args, env=full_env, check=True)
        except FileNotFoundError:
            raise CommandError(
                f"You appear not to have the {args[0]!r} program installed or on your path."
            ) from None
        except subprocess.CalledProcessError as exc:
            raise CommandError(
                f'"{" ".join(str(arg) for arg in exc.cmd)}" returned non-zero exit status '
                f"{exc.returncode}.",
                returncode=exc.returncode,
            ) from exc
