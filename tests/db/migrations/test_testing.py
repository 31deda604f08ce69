"""create_test_schema: test databases built by running the migrations (or not)."""

from __future__ import annotations

import sqlalchemy as sa

from fastjango.db import connections
from fastjango.db.migrations.testing import create_test_schema
from tests.db.migrations.support import POLLS, Project, run


def tables() -> set[str]:
    with connections["default"].connect() as conn:
        return set(sa.inspect(conn).get_table_names())


def test_test_database_runs_the_migrations(project: Project, backend: str) -> None:
    project.app("polls", POLLS)
    project.app(
        "blog",
        "post = sa.Table('blog_post', metadata, sa.Column('id', sa.Integer, primary_key=True))\n",
        migrations=False,
    )
    project.install("polls", "blog")
    run("makemigrations", "polls", interactive=False)
    create_test_schema("default")
    assert {"polls_question", "polls_choice", "blog_post", "fastjango_migrations"} <= tables()
    assert "[X] 0001_initial" in run("showmigrations", "polls")


def test_test_database_without_migrations(project: Project, sqlite_db: None) -> None:
    project.app("polls", POLLS)
    project.install("polls")
    run("makemigrations", "polls", interactive=False)
    create_test_schema("default", migrate=False)
    assert {"polls_question", "polls_choice"} <= tables()
    assert "fastjango_migrations" not in tables()
    connections["default"].settings_dict["TEST"]["MIGRATE"] = False
    create_test_schema("default", verbosity=2)
