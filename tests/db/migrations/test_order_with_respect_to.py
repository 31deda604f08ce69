"""Migrations of ``Meta.order_with_respect_to``: the ``_order`` column created, added, dropped.

Django's ``AlterOrderWithRespectTo`` adds ``_order`` with 0 for the rows that
exist and drops it when the option goes; here ``makemigrations`` writes the
same change as an added (filled) or dropped column.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from fastjango.apps import apps
from fastjango.db import connections
from tests.db.migrations.support import Project, run

QUIZ = """
class Question(models.Model):
    text = models.CharField(max_length=200)
"""

ANSWERS = """
class Answer(models.Model):
    text = models.CharField(max_length=200)
    question = models.ForeignKey("quiz.Question", on_delete=models.CASCADE)
{meta}
"""

ORDERED = """
    class Meta:
        order_with_respect_to = "question"
"""


def _answers(meta: str) -> str:
    return ANSWERS.format(meta=meta)


def test_order_column_added_filled_and_dropped(project: Project, backend: str) -> None:
    project.app("quiz")
    project.orm_models("quiz", QUIZ)
    project.app("answers")
    project.orm_models("answers", _answers(""))
    project.install("quiz", "answers")
    run("makemigrations")
    run("migrate")
    connection = connections["default"]
    connection.execute("INSERT INTO quiz_question (id, text) VALUES (1, 'Colour?')")
    connection.execute(
        "INSERT INTO answers_answer (text, question_id) VALUES ('Blue', 1), ('Red', 1)"
    )

    project.orm_models("answers", _answers(ORDERED))
    project.reload()
    out = run("makemigrations", "answers", interactive=False)
    assert "+ Add field _order to answer" in out
    source = project.migration_source("answers", project.migrations("answers")[-1])
    assert "sa.Column('_order', sa.Integer()" in source
    assert "migrations.fill_column('answers_answer', '_order', 0)" in source
    run("migrate")
    assert "No changes detected" in run("makemigrations", "--dry-run", verbosity=3)

    answer: Any = apps.get_model("answers", "Answer")
    question: Any = apps.get_model("quiz", "Question").objects.get(pk=1)
    # The rows that were there start at 0; a new one goes after them.
    assert sorted(answer.objects.values_list("text", "_order")) == [("Blue", 0), ("Red", 0)]
    green = answer.objects.create(text="Green", question=question)
    assert green._order == 1
    blue, red = (answer.objects.get(text=t).pk for t in ("Blue", "Red"))
    question.set_answer_order([green.pk, red, blue])
    assert list(question.get_answer_order()) == [green.pk, red, blue]

    project.orm_models("answers", _answers(""))
    project.reload()
    out = run("makemigrations", "answers", interactive=False)
    assert "- Remove field _order from answer" in out
    run("migrate")
    assert "No changes detected" in run("makemigrations", "--dry-run", verbosity=3)

    assert "_order" not in _columns("answers_answer")

    # Going back re-adds the column, every row at 0 (Django's reverse does the same).
    added = project.migrations("answers")[1]
    run("migrate", "answers", added)
    rows = connection.execute("SELECT text, _order FROM answers_answer ORDER BY text").all()
    assert [tuple(row) for row in rows] == [("Blue", 0), ("Green", 0), ("Red", 0)]
    run("migrate", "answers", "zero")
    run("migrate")
    assert "_order" not in _columns("answers_answer")


def _columns(table: str) -> set[str]:
    engine = connections["default"].sync_engine
    return {column["name"] for column in sa.inspect(engine).get_columns(table)}


def test_initial_migration_creates_the_column(project: Project, backend: str) -> None:
    project.app("quiz")
    project.orm_models("quiz", QUIZ)
    project.app("answers")
    project.orm_models("answers", _answers(ORDERED))
    project.install("quiz", "answers")
    run("makemigrations")
    source = project.migration_source("answers", project.migrations("answers")[0])
    assert "sa.Column('_order', sa.Integer(), autoincrement=False, nullable=False)" in source
    run("migrate")
    assert "No changes detected" in run("makemigrations", "--dry-run", verbosity=3)
    question: Any = apps.get_model("quiz", "Question").objects.create(text="Quest?")
    answer: Any = apps.get_model("answers", "Answer")
    first = answer.objects.create(text="Grail", question=question)
    second = answer.objects.create(text="Shrubbery", question=question)
    assert (first._order, second._order) == (0, 1)
    assert first.get_next_in_order() == second
