"""flush: empty every table of the installed apps, after asking."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from fastjango.core.management.base import CommandError
from fastjango.core.management.commands.flush import flush_statements
from fastjango.db import connections
from tests.db.migrations.support import POLLS, Project, project_at, run, sqlite_databases


@pytest.fixture
def polls(tmp_path: Path) -> Iterator[Project]:
    root = tmp_path / "project"
    root.mkdir()
    with sqlite_databases(tmp_path), project_at(root) as project:
        project.app("polls", POLLS)
        project.install("polls")
        run("makemigrations", interactive=False)
        run("migrate")
        db = connections["default"]
        db.execute(
            "INSERT INTO polls_question (question_text, pub_date) VALUES ('q', '2024-01-01')"
        )
        db.execute("INSERT INTO polls_choice (question_id, choice_text, votes) VALUES (1, 'c', 0)")
        yield project


def count(table: str) -> int:
    return int(connections["default"].execute(f"SELECT COUNT(*) FROM {table}").scalar_one())


def test_flush_after_yes(polls: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("builtins.input", lambda *args: "yes")
    out = run("flush")
    assert 'This will IRREVERSIBLY DESTROY all data currently in the "' in out
    assert count("polls_question") == 0 and count("polls_choice") == 0
    # The migrations stay recorded and ids start again.
    assert "[X] 0001_initial" in run("showmigrations")
    connections["default"].execute(
        "INSERT INTO polls_question (question_text, pub_date) VALUES ('q', '2024-01-01')"
    )
    assert connections["default"].execute("SELECT id FROM polls_question").scalar_one() == 1


def test_flush_cancelled(polls: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("builtins.input", lambda *args: "no")
    assert "Flush cancelled." in run("flush")
    assert count("polls_question") == 1


def test_flush_sends_post_migrate(polls: Project) -> None:
    from fastjango.db.models.signals import post_migrate

    seen: list[str] = []

    def receiver(signal: Any, **kwargs: Any) -> None:
        seen.append(kwargs["app_config"].label)

    post_migrate.connect(receiver, weak=False)
    try:
        run("flush", interactive=False)
        run("flush", interactive=False, inhibit_post_migrate=True)
    finally:
        post_migrate.disconnect(receiver)
    assert seen == ["polls"]


def test_flush_errors(polls: Project) -> None:
    with pytest.raises(CommandError, match="The database 'x' isn't in the DATABASES setting."):
        run("flush", "--database", "x", interactive=False)
    connections["default"].execute(
        "CREATE TRIGGER keep BEFORE DELETE ON polls_question "
        "BEGIN SELECT RAISE(ABORT, 'no deleting'); END"
    )
    with pytest.raises(CommandError, match="couldn't be flushed.*no deleting"):
        run("flush", interactive=False)
    # All or nothing: the choices deleted before the failure are back.
    assert count("polls_choice") == 1


def test_flush_statements_per_vendor() -> None:
    metadata = sa.MetaData()
    tables = [sa.Table("a", metadata), sa.Table("b", metadata)]
    assert flush_statements("postgresql", tables, str) == ["TRUNCATE a, b RESTART IDENTITY CASCADE"]
    assert flush_statements("mysql", tables, str) == [
        "SET FOREIGN_KEY_CHECKS = 0",
        "TRUNCATE a",
        "TRUNCATE b",
        "SET FOREIGN_KEY_CHECKS = 1",
    ]
    assert flush_statements("sqlite", [], str) == []
    assert flush_statements("sqlite", tables, str, True) == [
        "DELETE FROM a",
        "DELETE FROM b",
        "DELETE FROM sqlite_sequence WHERE name IN ('a', 'b')",
    ]
