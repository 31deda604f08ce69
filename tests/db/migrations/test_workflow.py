"""Django's polls tutorial, through makemigrations and migrate, on every backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from fastjango.db import connections
from tests.db.migrations.support import Project, run

QUESTION = """
question = sa.Table(
    "polls_question",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("question_text", sa.String(200), nullable=False),
    sa.Column("pub_date", sa.DateTime(timezone=True), nullable=False),
)
"""
CHOICE = """
choice = sa.Table(
    "polls_choice",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "question_id",
        sa.Integer,
        sa.ForeignKey("polls_question.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("choice_text", sa.String(200), nullable=False),
    sa.Column("votes", sa.Integer, nullable=False, default=0),
)
"""


def columns(table: str) -> list[str]:
    with connections["default"].connect() as conn:
        return [column["name"] for column in sa.inspect(conn).get_columns(table)]


def tables() -> set[str]:
    with connections["default"].connect() as conn:
        return set(sa.inspect(conn).get_table_names())


def test_polls_tutorial(project: Project, backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def monkeypatch_input(answers: Iterator[str]) -> None:
        monkeypatch.setattr("builtins.input", lambda *args: next(answers))

    project.app("polls", QUESTION + CHOICE)
    project.install("polls")

    # "Activating models": makemigrations polls, sqlmigrate polls 0001, migrate.
    out = run("makemigrations", "polls", interactive=False)
    assert "Migrations for 'polls':" in out
    assert "0001_initial.py" in out
    assert "+ Create model question" in out
    assert "+ Create model choice" in out
    assert project.migrations("polls") == ["0001_initial"]

    sql = run("sqlmigrate", "polls", "0001")
    assert "CREATE TABLE" in sql and "polls_question" in sql and "polls_choice" in sql
    assert "-- Create model question" in sql
    if backend == "mysql":
        assert "BEGIN;" not in sql
    else:
        assert sql.startswith("BEGIN;") and sql.rstrip().endswith("COMMIT;")
    assert "polls_question" not in tables()  # sqlmigrate is offline

    out = run("migrate")
    assert "Applying polls.0001_initial... OK" in out
    assert {"polls_question", "polls_choice", "fastjango_migrations"} <= tables()
    assert "[X] 0001_initial" in run("showmigrations", "polls")
    assert "No changes detected" in run("makemigrations", "--check")
    assert "No migrations to apply." in run("migrate")

    connections["default"].execute(
        "INSERT INTO polls_question (question_text, pub_date) VALUES ('What?', '2024-01-01')"
    )

    # Adding a field: nullable first, then a non-null one with a default.
    project.models(
        "polls",
        QUESTION.replace(
            "nullable=False),\n)",
            'nullable=False),\n    sa.Column("slug", sa.String(50), nullable=True),\n'
            '    sa.Column("rank", sa.Integer, nullable=False, default=3),\n)',
        )
        + CHOICE,
    )
    project.reload()
    out = run("makemigrations", interactive=False)
    assert "0002_question_slug_question_rank.py" in out
    assert "+ Add field slug to question" in out
    assert "+ Add field rank to question" in out
    run("migrate")
    assert {"slug", "rank"} <= set(columns("polls_question"))
    rank = connections["default"].execute("SELECT rank FROM polls_question").scalar_one()
    assert rank == 3
    assert "No changes detected" in run("makemigrations", "--check")

    # Renaming a field: makemigrations asks, as Django does.
    answers = iter(["y"])
    monkeypatch_input(answers)
    project.models(
        "polls",
        QUESTION.replace('"question_text"', '"text"').replace(
            "nullable=False),\n)",
            'nullable=False),\n    sa.Column("slug", sa.String(50), nullable=True),\n'
            '    sa.Column("rank", sa.Integer, nullable=False, default=3),\n)',
        )
        + CHOICE,
    )
    project.reload()
    out = run("makemigrations", "polls")
    assert "Was question.question_text renamed to question.text (a String)? [y/N]" in out
    assert "0003_rename_question_text_question_text.py" in out
    run("migrate")
    assert "text" in columns("polls_question")
    assert connections["default"].execute("SELECT text FROM polls_question").scalar_one() == "What?"
    assert "No changes detected" in run("makemigrations", "--check")


AUTHOR = """
author = sa.Table(
    "library_author",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False),
)
"""
BOOK = """
book = sa.Table(
    "polls_book",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("title", sa.String(100), nullable=False),
    sa.Column("author_id", sa.Integer, sa.ForeignKey("library_author.id"), nullable=False),
)
"""


def test_foreign_key_to_another_app(project: Project, backend: str) -> None:
    project.app("polls", QUESTION)
    project.app("library", "")
    project.install("library", "polls")
    run("makemigrations", "polls", interactive=False)
    run("migrate")

    # polls gets a model with a foreign key to a model library has no migration for yet.
    project.models("library", AUTHOR)
    project.models("polls", QUESTION + BOOK)
    project.reload()
    out = run("makemigrations", "polls", interactive=False)
    assert out.index("Migrations for 'library':") < out.index("Migrations for 'polls':")
    assert project.migrations("library") == ["0001_initial"]
    assert project.migrations("polls") == ["0001_initial", "0002_book"]
    source = project.migration_source("polls", "0002_book")
    assert 'depends_on = ("library_0001_initial",)' in source
    assert 'down_revision = "polls_0001_initial"' in source

    out = run("migrate")
    assert out.index("library.0001_initial") < out.index("polls.0002_book")
    assert {"library_author", "polls_book"} <= tables()
    assert "No changes detected" in run("makemigrations", "--check")

    # Unapplying library's migration takes polls' dependent one with it.
    out = run("migrate", "library", "zero")
    assert "Unapplying polls.0002_book... OK" in out
    assert "Unapplying library.0001_initial... OK" in out
    assert "polls_book" not in tables() and "polls_question" in tables()
    listing = run("showmigrations")
    assert "[X] 0001_initial" in listing and "[ ] 0002_book" in listing
    run("migrate")
    assert "polls_book" in tables()


def test_data_migration_and_rollback(project: Project, backend: str) -> None:
    project.app("polls", QUESTION)
    project.install("polls")
    run("makemigrations", interactive=False)
    out = run("makemigrations", "polls", "--empty", "--name", "add_questions")
    assert "0002_add_questions.py" in out
    source = project.migration_source("polls", "0002_add_questions")
    assert "def forwards(apps, schema_editor):" in source
    assert "migrations.run_python(forwards)" in source
    source = source.replace(
        '"""Change data going forwards: ``apps.get_model("app_label", "Model")`` gives a model."""',
        'schema_editor.execute("INSERT INTO polls_question (question_text, pub_date) '
        "VALUES ('Seeded?', '2024-01-01')\")\n"
        "    assert schema_editor.connection.alias == 'default'",
    ).replace(
        '"""Undo ``forwards`` (leave it empty if there is nothing to undo)."""',
        "schema_editor.execute(\"DELETE FROM polls_question WHERE question_text = 'Seeded?'\")",
    )
    project.write_migration("polls", "0002_add_questions", source)

    run("migrate")
    count = "SELECT COUNT(*) FROM polls_question"
    assert connections["default"].execute(count).scalar_one() == 1
    out = run("migrate", "polls", "0001")
    assert "Unapplying polls.0002_add_questions... OK" in out
    assert connections["default"].execute(count).scalar_one() == 0
    assert "Target specific migration: 0001_initial, from polls" in out

    out = run("migrate", "polls", "zero")
    assert "Unapply all migrations: polls" in out
    assert "polls_question" not in tables()
    assert "[ ] 0001_initial" in run("showmigrations", "polls")
    run("migrate", "polls")
    assert connections["default"].execute(count).scalar_one() == 1
    assert "[X] 0002_add_questions" in run("showmigrations", "polls")


def test_failing_migration_leaves_database_as_before(project: Project, backend: str) -> None:
    project.app("polls", QUESTION)
    project.install("polls")
    run("makemigrations", interactive=False)
    run("migrate")
    project.write_migration(
        "polls",
        "0002_broken",
        '''
        """Create model tag, then fail."""
        import sqlalchemy as sa
        from alembic import op

        revision = "polls_0002_broken"
        down_revision = "polls_0001_initial"
        branch_labels = None
        depends_on = None


        def upgrade() -> None:
            op.create_table("polls_tag", sa.Column("id", sa.Integer, primary_key=True))
            op.execute("INSERT INTO polls_missing (id) VALUES (1)")


        def downgrade() -> None:
            op.drop_table("polls_tag")
        ''',
    )
    from fastjango.core.management.base import CommandError

    with pytest.raises(CommandError) as info:
        run("migrate")
    message = str(info.value)
    assert "Applying polls.0002_broken failed at operation 'Raw SQL operation'" in message
    listing = run("showmigrations", "polls")
    assert "[ ] 0002_broken" in listing
    if backend == "mysql":
        assert "can't roll back schema changes" in message
        assert "applied and stay: Create model tag" in message
        assert "polls_tag" in tables()
    else:
        assert "Nothing of it was applied" in message
        assert "polls_tag" not in tables()
