"""``BaseCommand.check_migrations()``: Django's notice about unapplied migrations."""

from __future__ import annotations

import io
from typing import Any

import pytest

from fastjango.core.management import call_command
from fastjango.core.management.base import BaseCommand
from fastjango.db import connections
from fastjango.test.utils import override_settings
from tests.db.migrations.support import Project, run

QUESTION = """
question = sa.Table(
    "polls_question",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("question_text", sa.String(200), nullable=False),
)
"""
AUTHOR = """
author = sa.Table("books_author", metadata, sa.Column("id", sa.Integer, primary_key=True))
"""
NOTICE = (
    "\nYou have {count} unapplied migration(s). Your project may not work properly until you "
    "apply the migrations for app(s): {apps}.\nRun 'python manage.py migrate' to apply them.\n"
)


class Serving(BaseCommand):
    """A command that checks migrations before it runs, as ``runserver`` does."""

    requires_system_checks: list[str] = []
    requires_migrations_checks = True

    def handle(self, *args: Any, **options: Any) -> str:
        return "handled"


def serve() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(Serving(), stdout=out, stderr=err, no_color=True)
    return out.getvalue(), err.getvalue()


def test_unapplied_migrations_are_announced(project: Project, backend: str) -> None:
    project.app("polls", QUESTION)
    project.app("books", AUTHOR)
    project.install("polls", "books")
    run("makemigrations", "polls", "books", interactive=False)
    project.models(
        "polls",
        QUESTION.replace(
            "nullable=False),",
            "nullable=False),\n" + ('    sa.Column("votes", sa.Integer, nullable=True),'),
        ),
    )
    project.reload()
    run("makemigrations", "polls", interactive=False)
    assert project.migrations("polls") == ["0001_initial", "0002_question_votes"]

    out, err = serve()
    assert out == NOTICE.format(count=3, apps="books, polls") + "handled\n"
    assert err == ""

    run("migrate", "polls", "0001")
    out, _ = serve()
    assert out == NOTICE.format(count=2, apps="books, polls") + "handled\n"

    run("migrate", "books")
    out, _ = serve()
    assert out == NOTICE.format(count=1, apps="polls") + "handled\n"

    run("migrate")
    assert serve() == ("handled\n", "")


def test_no_migrations_no_notice(project: Project, sqlite_db: None) -> None:
    project.app("legacy", QUESTION, migrations=False)
    project.install("legacy")
    assert serve() == ("handled\n", "")


def test_no_database_configured_no_notice(project: Project) -> None:
    project.app("polls", QUESTION)
    project.install("polls")
    with override_settings(DATABASES={}):
        assert serve() == ("handled\n", "")


@pytest.mark.parametrize(
    "database",
    [
        {"ENGINE": "fastjango.db.backends.postgresql", "HOST": "127.0.0.1", "PORT": 1},
        {"ENGINE": "fastjango.db.backends.sqlite3", "NAME": "/nonexistent/dir/db.sqlite3"},
    ],
    ids=["postgresql", "sqlite"],
)
def test_unreachable_database_warns_and_goes_on(project: Project, database: dict[str, Any]) -> None:
    project.app("polls", QUESTION)
    project.install("polls")
    with override_settings(DATABASES={"default": {"NAME": "nope", "USER": "nope", **database}}):
        try:
            out, err = serve()
        finally:
            connections["default"].close()
    assert out == "handled\n"
    assert err.startswith("Could not check for unapplied migrations on database 'default': ")
    assert err.count("\n") == 1
