"""Build the databases real Django creates, and dump them as SQL for the inspectdb tests.

Run this with a Python that has Django 5.2 installed, never with FastJango's own
environment (Django is not a dependency of FastJango or of its tests)::

    python -m benchmarks --suite orm          # creates benchmarks/.venvs/django
    benchmarks/.venvs/django/bin/python tests/db/migrations/django_fixtures/make_fixtures.py

It writes a throwaway Django project with ``django.contrib.contenttypes``,
``django.contrib.auth`` and the tutorial's ``polls`` app (``Question`` and
``Choice``, ``Choice.question`` a foreign key), has Django's ``makemigrations``
and ``migrate`` build the schema on SQLite, PostgreSQL and MariaDB, inserts a
few rows (a user in a group, with a permission; questions and their choices),
and dumps each database next to this file:

- ``sqlite.sql``: ``sqlite3``'s ``iterdump()`` after ``PRAGMA foreign_keys=OFF``
  (what the sqlite3 shell's ``.dump`` writes),
- ``postgresql.sql``: ``pg_dump --no-owner --no-acl --column-inserts``
  (plain INSERTs, so a driver can run the file without ``COPY``),
- ``mysql.sql``: ``mysqldump --skip-dump-date --skip-extended-insert``.

Rerunning changes only what can't be pinned: the ``django_migrations.applied``
times and ``pg_dump``'s ``\\restrict`` key.

A backend whose server can't be reached, or whose dump tool isn't on ``PATH``,
is skipped with a message. The server databases are scratch ones named
``fastjango_django_fixture_<pid>``, dropped at the end. The servers are the
test suite's: PostgreSQL and MariaDB on 127.0.0.1 (override with
``PGHOST``/``PGPORT``/``PGUSER`` and ``MYSQL_HOST``/``MYSQL_PORT``/``MYSQL_USER``).
MariaDB needs ``mysqlclient`` or, failing that, ``PyMySQL`` importable (used
through ``pymysql.install_as_MySQLdb()``).
"""

from __future__ import annotations

import datetime
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SCRATCH = f"fastjango_django_fixture_{os.getpid()}"

POLLS_MODELS = """\
from django.db import models


class Question(models.Model):
    question_text = models.CharField(max_length=200)
    pub_date = models.DateTimeField("date published")

    def __str__(self):
        return self.question_text


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE)
    choice_text = models.CharField(max_length=200)
    votes = models.IntegerField(default=0)

    def __str__(self):
        return self.choice_text
"""

POLLS_APPS = """\
from django.apps import AppConfig


class PollsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "polls"
"""

UTC = datetime.UTC

#: the rows the tests expect, as Django model data
QUESTIONS = [
    ("What's new?", datetime.datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)),
    ("What's up?", datetime.datetime(2024, 6, 30, 23, 59, 59, tzinfo=UTC)),
]
CHOICES = [(0, "Not much", 3), (0, "The sky", 5), (1, "Nothing", 0)]


def server_settings() -> dict[str, dict[str, Any]]:
    return {
        "postgresql": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": SCRATCH,
            "USER": os.environ.get("PGUSER", "postgres"),
            "HOST": os.environ.get("PGHOST", "127.0.0.1"),
            "PORT": os.environ.get("PGPORT", "5432"),
        },
        "mysql": {
            "ENGINE": "django.db.backends.mysql",
            "NAME": SCRATCH,
            "USER": os.environ.get("MYSQL_USER", "root"),
            "HOST": os.environ.get("MYSQL_HOST", "127.0.0.1"),
            "PORT": os.environ.get("MYSQL_PORT", "3306"),
            "OPTIONS": {"charset": "utf8mb4"},
        },
    }


def _run_on_server(vendor: str, settings: dict[str, Any], *statements: str) -> None:
    """Run ``statements`` on the server itself (not in a database), in autocommit."""
    if vendor == "postgresql":
        import psycopg

        with psycopg.connect(
            host=settings["HOST"],
            port=int(settings["PORT"]),
            user=settings["USER"],
            dbname="postgres",
            autocommit=True,
        ) as conn:
            for statement in statements:
                conn.execute(statement)
        return
    import MySQLdb

    conn = MySQLdb.connect(host=settings["HOST"], port=int(settings["PORT"]), user=settings["USER"])
    try:
        cursor = conn.cursor()
        for statement in statements:
            cursor.execute(statement.replace('"', "`"))
    finally:
        conn.close()


def create_scratch(vendor: str, settings: dict[str, Any]) -> bool:
    """Create the scratch database on the server; False when it can't be reached."""
    charset = "" if vendor == "postgresql" else " CHARACTER SET utf8mb4"
    try:
        _run_on_server(
            vendor,
            settings,
            f'DROP DATABASE IF EXISTS "{SCRATCH}"',
            f'CREATE DATABASE "{SCRATCH}"{charset}',
        )
    except Exception as exc:
        print(f"skipping {vendor}: {exc}", file=sys.stderr)
        return False
    return True


def drop_scratch(vendor: str, settings: dict[str, Any]) -> None:
    force = " WITH (FORCE)" if vendor == "postgresql" else ""
    _run_on_server(vendor, settings, f'DROP DATABASE IF EXISTS "{SCRATCH}"{force}')


def populate(alias: str) -> None:
    """Insert the rows the tests read back, through Django's ORM."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, Permission, User
    from polls.models import Choice, Question

    add_question = Permission.objects.using(alias).get(codename="add_question")
    change_choice = Permission.objects.using(alias).get(codename="change_choice")
    editors = Group.objects.using(alias).create(name="editors")
    editors.permissions.add(add_question)
    Group.objects.using(alias).create(name="readers")
    ada = User(
        username="ada",
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.com",
        is_staff=True,
        is_superuser=True,
        # A fixed salt keeps the dump the same from one run to the next.
        password=make_password("correct horse", salt="fixturesalt1234", hasher="pbkdf2_sha256"),
        last_login=datetime.datetime(2024, 3, 4, 5, 6, 7, 890123, tzinfo=UTC),
        date_joined=datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    ada.save(using=alias)
    ada.groups.add(editors)
    ada.user_permissions.add(change_choice)
    User(
        username="bob",
        email="bob@example.com",
        is_active=False,
        password="!",
        date_joined=datetime.datetime(2024, 2, 29, 12, 0, tzinfo=UTC),
    ).save(using=alias)
    questions = [
        Question.objects.using(alias).create(question_text=text, pub_date=when)
        for text, when in QUESTIONS
    ]
    for index, text, votes in CHOICES:
        Choice.objects.using(alias).create(question=questions[index], choice_text=text, votes=votes)


def dump(vendor: str, settings: dict[str, Any], target: Path) -> None:
    if vendor == "sqlite":
        conn = sqlite3.connect(settings["NAME"])
        # As the sqlite3 shell's .dump: rows go in before the tables they point to exist.
        lines = ["PRAGMA foreign_keys=OFF;", *conn.iterdump()]
        target.write_text("\n".join(lines) + "\n")
        conn.close()
        return
    if vendor == "postgresql":
        command = [
            "pg_dump",
            "--no-owner",
            "--no-acl",
            "--column-inserts",
            "-h",
            settings["HOST"],
            "-p",
            str(settings["PORT"]),
            "-U",
            settings["USER"],
            SCRATCH,
        ]
    else:
        command = [
            "mysqldump",
            "--skip-dump-date",
            "--skip-extended-insert",
            "-h",
            settings["HOST"],
            "-P",
            str(settings["PORT"]),
            "-u",
            settings["USER"],
            SCRATCH,
        ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    target.write_text(output)


def main() -> int:
    try:
        import django
    except ImportError:
        print("Run this with a Python that has Django 5.2 installed.", file=sys.stderr)
        return 1
    try:
        import MySQLdb  # noqa: F401
    except ImportError:
        try:
            import pymysql

            pymysql.install_as_MySQLdb()
        except ImportError:
            pass
    project = Path(tempfile.mkdtemp(prefix="django_fixture_project_"))
    (project / "polls" / "migrations").mkdir(parents=True)
    (project / "polls" / "__init__.py").write_text("")
    (project / "polls" / "migrations" / "__init__.py").write_text("")
    (project / "polls" / "apps.py").write_text(POLLS_APPS)
    (project / "polls" / "models.py").write_text(POLLS_MODELS)
    sys.path.insert(0, str(project))

    servers = server_settings()
    databases: dict[str, dict[str, Any]] = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(project / "db.sqlite3")}
    }
    vendors = {"sqlite": "default"}
    for vendor, settings in servers.items():
        tool = "pg_dump" if vendor == "postgresql" else "mysqldump"
        if shutil.which(tool) is None:
            print(f"skipping {vendor}: {tool} isn't on PATH", file=sys.stderr)
            continue
        if create_scratch(vendor, settings):
            databases[vendor] = settings
            vendors[vendor] = vendor

    from django.conf import settings as django_settings

    django_settings.configure(
        INSTALLED_APPS=[
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "polls.apps.PollsConfig",
        ],
        DATABASES=databases,
        USE_TZ=True,
        TIME_ZONE="UTC",
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    )
    django.setup()
    from django.core.management import call_command

    try:
        call_command("makemigrations", "polls", verbosity=0)
        for vendor, alias in vendors.items():
            call_command("migrate", database=alias, verbosity=0)
            populate(alias)
            from django.db import connections

            connections[alias].close()
            dump(vendor, databases[alias], HERE / f"{vendor}.sql")
            print(f"wrote {vendor}.sql (Django {django.get_version()})")
    finally:
        from django.db import connections

        connections.close_all()
        for vendor in vendors:
            if vendor != "sqlite":
                drop_scratch(vendor, servers[vendor])
        shutil.rmtree(project)
    return 0


if __name__ == "__main__":
    sys.exit(main())
