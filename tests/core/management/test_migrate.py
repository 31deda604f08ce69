"""migrate: targets, --fake, --fake-initial, --plan, --check, --run-syncdb, bad input."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from fastjango.core.management.base import CommandError
from fastjango.db import connections
from tests.db.migrations.support import POLLS, Project, project_at, run, sqlite_databases


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    root = tmp_path / "project"
    root.mkdir()
    with sqlite_databases(tmp_path), project_at(root) as created:
        yield created


@pytest.fixture
def polls(project: Project) -> Project:
    project.app("polls", POLLS)
    project.install("polls")
    run("makemigrations", interactive=False)
    project.models(
        "polls",
        POLLS.replace(
            '"votes", sa.Integer, nullable=False, default=0)',
            '"votes", sa.Integer, nullable=False, default=0),\n'
            '    sa.Column("note", sa.Text, nullable=True)',
        ),
    )
    project.reload()
    run("makemigrations", interactive=False)
    return project


def tables() -> set[str]:
    with connections["default"].connect() as conn:
        return set(sa.inspect(conn).get_table_names())


def test_plan_lists_operations(polls: Project) -> None:
    out = run("migrate", "--plan")
    assert "Planned operations:" in out
    assert "polls.0001_initial\n    Create model question\n    Create model choice" in out
    assert "polls.0002_choice_note\n    Add field note to choice" in out
    run("migrate")
    assert "No planned migration operations." in run("migrate", "--plan")
    out = run("migrate", "polls", "0001", "--plan")
    assert "Undo Add field note to choice" in out
    assert "note" in {
        c["name"]
        for c in sa.inspect(connections["default"].sync_engine).get_columns("polls_choice")
    }


def test_check_exits_non_zero_while_unapplied(polls: Project) -> None:
    with pytest.raises(SystemExit) as info:
        run("migrate", "--check")
    assert info.value.code == 1
    assert "polls_question" not in tables()
    with pytest.raises(SystemExit):
        run("migrate", "--check", "--plan")
    run("migrate")
    assert run("migrate", "--check") == ""


def test_verbose_output_times_each_migration(polls: Project) -> None:
    out = run("migrate", verbosity=2)
    assert "Applying polls.0001_initial... OK (" in out
    assert "Running post_migrate handlers for application polls" in out
    assert run("migrate", verbosity=0) == ""


def test_fake_records_without_running(polls: Project) -> None:
    out = run("migrate", "polls", "0001", "--fake")
    assert "Applying polls.0001_initial... FAKED" in out
    assert "polls_question" not in tables()
    assert "[X] 0001_initial" in run("showmigrations", "polls")
    run("migrate", "polls", "zero", "--fake")
    assert "[ ] 0001_initial" in run("showmigrations", "polls")


def test_fake_initial_on_existing_tables(polls: Project) -> None:
    # Tables made some other way (say, by Django) before FastJango migrates.
    with connections["default"].connect() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE polls_question (id INTEGER PRIMARY KEY, question_text VARCHAR(200) "
            "NOT NULL, pub_date DATETIME NOT NULL)"
        )
        conn.exec_driver_sql(
            "CREATE TABLE polls_choice (id INTEGER PRIMARY KEY, question_id INTEGER NOT NULL, "
            "choice_text VARCHAR(200) NOT NULL, votes INTEGER NOT NULL)"
        )
    out = run("migrate", "--fake-initial")
    assert "Applying polls.0001_initial... FAKED" in out
    assert "Applying polls.0002_choice_note... OK" in out


def test_fake_initial_runs_when_tables_are_missing(polls: Project) -> None:
    out = run("migrate", "--fake-initial")
    assert "Applying polls.0001_initial... OK" in out


def test_run_syncdb_for_apps_without_migrations(project: Project) -> None:
    project.app("polls", POLLS, migrations=False)
    project.app("blog", "")
    project.install("polls", "blog")
    out = run("migrate", "--run-syncdb")
    assert "Synchronize unmigrated apps: polls" in out
    assert "Creating table polls_question" in out
    assert {"polls_question", "polls_choice"} <= tables()
    out = run("migrate", "--run-syncdb")
    assert "Creating table " not in out
    with pytest.raises(CommandError, match="App 'polls' does not have migrations."):
        run("migrate", "polls")
    out = run("migrate", "polls", "--run-syncdb")
    assert "Synchronize unmigrated app: polls" in out


def test_run_syncdb_refuses_migrated_app(polls: Project) -> None:
    with pytest.raises(CommandError, match="Can't use run_syncdb with app 'polls'"):
        run("migrate", "polls", "--run-syncdb")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nope",), "No installed app with label 'nope'."),
        (("polls", "0099"), "Cannot find a migration matching '0099' from app 'polls'."),
        (("polls", "000"), "More than one migration matches '000' in app 'polls'"),
        (("--database", "other"), "The database 'other' isn't in the DATABASES setting"),
    ],
)
def test_bad_input_is_one_line(polls: Project, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError) as info:
        run("migrate", *args)
    assert message in str(info.value)
    assert "\n" not in str(info.value)
    assert info.value.returncode == 1
    assert "polls_question" not in tables()


def test_unknown_recorded_migration(polls: Project) -> None:
    run("migrate")
    (polls.root / "polls" / "migrations" / "0002_choice_note.py").unlink()
    with pytest.raises(CommandError, match="records migration\\(s\\) polls_0002_choice_note"):
        run("migrate")


def test_pending_model_changes_are_reported(polls: Project) -> None:
    run("migrate")
    polls.models("polls", POLLS)
    polls.reload()
    out = run("migrate")
    assert "Your models in app(s): 'polls' have changes that are not yet reflected" in out


def test_signals(polls: Project) -> None:
    from fastjango.db.models.signals import post_migrate, pre_migrate

    seen: list[tuple[str, Any]] = []

    def receiver(signal: Any, **kwargs: Any) -> None:
        seen.append((kwargs["app_config"].label, [m.label for m, _ in kwargs["plan"]]))

    pre_migrate.connect(receiver, weak=False)
    post_migrate.connect(receiver, weak=False)
    try:
        run("migrate")
    finally:
        pre_migrate.disconnect(receiver)
        post_migrate.disconnect(receiver)
    assert seen == [("polls", ["polls.0001_initial", "polls.0002_choice_note"])] * 2


def test_showmigrations(polls: Project) -> None:
    polls.app("blog", "")
    polls.install("polls", "blog")
    run("migrate", "polls", "0001")
    out = run("showmigrations")
    assert out == "blog\n (no migrations)\npolls\n [X] 0001_initial\n [ ] 0002_choice_note\n"
    assert "[X] 0001_initial (Create model question and 1 more operation.)" in run(
        "showmigrations", "polls", verbosity=2
    )
    out = run("showmigrations", "--plan")
    assert out == "[X]  polls.0001_initial\n[ ]  polls.0002_choice_note\n"
    out = run("showmigrations", "--plan", "polls", verbosity=2)
    assert "[ ]  polls.0002_choice_note ... (polls.0001_initial)" in out
    assert run("showmigrations", "blog", "--plan") == "(no migrations)\n"
    with pytest.raises(CommandError, match="No installed app with label 'nope'."):
        run("showmigrations", "nope")
    with pytest.raises(CommandError, match="The database 'x' isn't in the DATABASES setting."):
        run("showmigrations", "--database", "x")


def test_sqlmigrate(polls: Project) -> None:
    out = run("sqlmigrate", "polls", "0002")
    assert out.startswith(
        "BEGIN;\n--\n-- Add field note to choice\n--\nALTER TABLE polls_choice ADD"
    )
    out = run("sqlmigrate", "polls", "0002", "--backwards")
    assert "-- Remove field note from choice" in out or "DROP" in out
    assert "polls_question" not in tables()
    with pytest.raises(CommandError, match="Cannot find a migration matching '0099'"):
        run("sqlmigrate", "polls", "0099")
    with pytest.raises(CommandError, match="More than one migration matches"):
        run("sqlmigrate", "polls", "000")
    with pytest.raises(CommandError, match="No installed app with label 'nope'"):
        run("sqlmigrate", "nope", "0001")
    with pytest.raises(CommandError, match="isn't in the DATABASES setting"):
        run("sqlmigrate", "polls", "0001", "--database", "x")


def test_sqlmigrate_app_without_migrations(project: Project) -> None:
    project.app("polls", POLLS, migrations=False)
    project.install("polls")
    with pytest.raises(CommandError, match="App 'polls' does not have migrations"):
        run("sqlmigrate", "polls", "0001")
