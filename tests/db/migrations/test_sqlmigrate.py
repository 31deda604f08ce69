"""``sqlmigrate``: Django's ``-- <operation>`` headings, with each field's index under its own."""

from __future__ import annotations

import re

from tests.db.migrations.support import Project, run
from tests.db.migrations.test_orm_workflow import POLLS

VOTE = """

class Vote(models.Model):
    when = models.DateTimeField()
"""
VOTE_CHOICE = "    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, null=True)\n"


def sections(sql: str) -> list[tuple[str, str]]:
    """Split sqlmigrate's output into (heading, the SQL under it)."""
    parts = re.split(r"^--\n((?:-- .*\n)+)--\n", sql, flags=re.MULTILINE)
    return [
        (heading.removeprefix("-- ").rstrip("\n").replace("\n-- ", " | "), body)
        for heading, body in zip(parts[1::2], parts[2::2], strict=True)
    ]


def headings(sql: str) -> list[str]:
    return [heading for heading, _ in sections(sql)]


def under(sql: str, heading: str) -> str:
    return dict(sections(sql))[heading]


def test_a_fields_index_comes_under_its_operation(project: Project, backend: str) -> None:
    project.app("polls")
    project.orm_models("polls", POLLS)
    project.install("polls")
    run("makemigrations", "polls")

    # The tutorial's 0001: Django puts the FK's index under "Create model Choice".
    sql = run("sqlmigrate", "polls", "0001")
    assert headings(sql) == ["Create model Question", "Create model Choice"]
    choice = under(sql, "Create model Choice")
    assert "CREATE TABLE polls_choice" in choice
    assert "CREATE INDEX polls_choice_question_id_c5b4b260 ON polls_choice (question_id)" in choice
    assert "CREATE INDEX" not in under(sql, "Create model Question")
    assert headings(run("sqlmigrate", "polls", "0001", "--backwards")) == [
        "Delete model Choice",
        "Delete model Question",
    ]

    project.orm_models("polls", POLLS + VOTE)
    project.reload()
    run("makemigrations", "polls")
    project.orm_models("polls", POLLS + VOTE + VOTE_CHOICE)
    project.reload()
    out = run("makemigrations", "polls")
    # Named and listed as Django does: one "Add field", the index and key inside it.
    assert project.migrations("polls")[2] == "0003_vote_choice"
    assert "    + Add field choice to vote\n" in out
    assert "Alter field" not in out and "constraint" not in out

    # Adding a foreign key: its column, index and constraint are one "Add field".
    sql = run("sqlmigrate", "polls", "0003")
    assert headings(sql) == ["Add field choice to vote"]
    added = under(sql, "Add field choice to vote")
    assert "CREATE INDEX polls_vote_choice_id_17e8b17c ON polls_vote (choice_id)" in added
    assert "polls_vote_choice_id_17e8b17c_fk_polls_choice_id" in added
    back = run("sqlmigrate", "polls", "0003", "--backwards")
    assert headings(back) == ["Remove field choice from vote"]
    if backend != "sqlite":  # SQLite rebuilds the table, which drops index and key with it
        assert "polls_vote_choice_id_17e8b17c" in under(back, "Remove field choice from vote")

    # db_index on an existing field is Django's "Alter field", with its own heading.
    project.orm_models(
        "polls",
        (POLLS + VOTE + VOTE_CHOICE).replace(
            "when = models.DateTimeField()", "when = models.DateTimeField(db_index=True)"
        ),
    )
    project.reload()
    run("makemigrations", "polls")
    sql = run("sqlmigrate", "polls", "0004")
    assert headings(sql) == ["Alter field when on vote"]
    assert re.search(
        r"CREATE INDEX \w+ ON polls_vote \([`\"]?when[`\"]?\)",
        under(sql, "Alter field when on vote"),
    )

    # Removing the foreign key: one "Remove field", its key and index inside it.
    project.orm_models(
        "polls",
        (POLLS + VOTE).replace(
            "when = models.DateTimeField()", "when = models.DateTimeField(db_index=True)"
        ),
    )
    project.reload()
    out = run("makemigrations", "polls", interactive=False)
    assert project.migrations("polls")[4] == "0005_remove_vote_choice"
    assert "    - Remove field choice from vote\n" in out
    assert "Remove index" not in out and "constraint" not in out
    assert headings(run("sqlmigrate", "polls", "0005")) == ["Remove field choice from vote"]
    assert headings(run("sqlmigrate", "polls", "0005", "--backwards")) == [
        "Add field choice to vote"
    ]
