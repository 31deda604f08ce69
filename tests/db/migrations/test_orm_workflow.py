"""The polls tutorial with real models: makemigrations, migrate, changes, data, rollback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from fastjango.apps import apps
from fastjango.db import connections
from tests.db.migrations.support import Project, run

POLLS = """
class Question(models.Model):
    question_text = models.CharField(max_length=200)
    pub_date = models.DateTimeField("date published")

    def __str__(self):
        return self.question_text


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE)
    choice_text = models.CharField(max_length=200)
    votes = models.IntegerField(default=0)
"""


def columns(table: str) -> set[str]:
    with connections["default"].connect() as conn:
        return {column["name"] for column in sa.inspect(conn).get_columns(table)}


def tables() -> set[str]:
    with connections["default"].connect() as conn:
        return set(sa.inspect(conn).get_table_names())


def check_clean() -> None:
    out = run("makemigrations", "--dry-run", verbosity=3)
    assert "No changes detected" in out, out


def test_tutorial_with_models(
    project: Project, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def answers(*replies: str) -> None:
        values: Iterator[str] = iter(replies)
        monkeypatch.setattr("builtins.input", lambda *args: next(values))

    project.app("polls")
    project.orm_models("polls", POLLS)
    project.install("polls")

    out = run("makemigrations", "polls")
    assert "polls/migrations/0001_initial.py" in out or "0001_initial.py" in out
    assert "+ Create model Question" in out
    assert "+ Create model Choice" in out
    sql = run("sqlmigrate", "polls", "0001")
    assert "polls_question" in sql and "polls_choice" in sql
    run("migrate")
    assert {"polls_question", "polls_choice"} <= tables()
    check_clean()

    Question = apps.get_model("polls", "Question")
    Choice = apps.get_model("polls", "Choice")
    import datetime

    when = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    question = Question.objects.create(question_text="What's new?", pub_date=when)
    Choice.objects.create(question=question, choice_text="Not much", votes=2)

    # Adding fields: one nullable, one non-null with a default.
    project.orm_models(
        "polls",
        POLLS.replace(
            '    pub_date = models.DateTimeField("date published")\n',
            '    pub_date = models.DateTimeField("date published")\n'
            "    slug = models.SlugField(null=True)\n"
            "    rank = models.IntegerField(default=5)\n",
        ),
    )
    project.reload()
    out = run("makemigrations", "polls")
    assert "+ Add field slug to question" in out and "+ Add field rank to question" in out
    run("migrate")
    assert {"slug", "rank"} <= columns("polls_question")
    rank = connections["default"].execute("SELECT rank FROM polls_question").scalar_one()
    assert rank == 5
    check_clean()

    # Renaming a field.
    project.orm_models(
        "polls",
        POLLS.replace("question_text", "text").replace(
            '    pub_date = models.DateTimeField("date published")\n',
            '    pub_date = models.DateTimeField("date published")\n'
            "    slug = models.SlugField(null=True)\n"
            "    rank = models.IntegerField(default=5)\n",
        ),
    )
    project.reload()
    answers("y")
    out = run("makemigrations", "polls")
    assert "Was question.question_text renamed to question.text (a CharField)? [y/N]" in out
    run("migrate")
    assert "text" in columns("polls_question")
    check_clean()

    # A model with a foreign key to another app, and a data migration using the ORM.
    project.app("library")
    project.orm_models(
        "library",
        """
        class Author(models.Model):
            name = models.CharField(max_length=100, unique=True)
        """,
    )
    project.orm_models(
        "polls",
        POLLS.replace("question_text", "text").replace(
            '    pub_date = models.DateTimeField("date published")\n',
            '    pub_date = models.DateTimeField("date published")\n'
            "    slug = models.SlugField(null=True)\n"
            "    rank = models.IntegerField(default=5)\n",
        )
        + """

class Book(models.Model):
    title = models.CharField(max_length=100)
    author = models.ForeignKey("library.Author", on_delete=models.PROTECT)
    tags = models.ManyToManyField("Tag", blank=True)


class Tag(models.Model):
    name = models.CharField(max_length=30)
""",
    )
    project.install("library", "polls")
    out = run("makemigrations", "library", "polls", interactive=False)
    book = project.migrations("polls")[-1]
    assert 'depends_on = ("library_0001_initial",)' in project.migration_source("polls", book)
    run("migrate")
    assert {"library_author", "polls_book", "polls_tag", "polls_book_tags"} <= tables()
    check_clean()

    run("makemigrations", "polls", "--empty", "--name", "seed_authors")
    source = project.migration_source("polls", project.migrations("polls")[-1])
    source = source.replace(
        '"""Change data going forwards: ``apps.get_model("app_label", "Model")`` gives a model."""',
        'Author = apps.get_model("library", "Author")\n'
        '    Author.objects.using(schema_editor.connection.alias).create(name="Ada")',
    ).replace(
        '"""Undo ``forwards`` (leave it empty if there is nothing to undo)."""',
        'apps.get_model("library", "Author").objects.filter(name="Ada").delete()',
    )
    project.write_migration("polls", project.migrations("polls")[-1], source)
    run("migrate")
    Author = apps.get_model("library", "Author")
    assert list(Author.objects.values_list("name", flat=True)) == ["Ada"]

    # Back to zero and forward again.
    run("migrate", "polls", "zero")
    assert not {"polls_question", "polls_choice", "polls_book"} & tables()
    assert Author.objects.count() == 0
    run("migrate")
    assert Author.objects.count() == 1
    assert "[X]" in run("showmigrations", "polls")
    check_clean()
