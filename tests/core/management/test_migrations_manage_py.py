"""The polls tutorial's migration steps through a real ``manage.py``, as a user runs them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.core.management.conftest import run_python

MODELS = """from fastjango.db import models


class Question(models.Model):
    question_text = models.CharField(max_length=200)
    pub_date = models.DateTimeField("date published")


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE)
    choice_text = models.CharField(max_length=200)
    votes = models.IntegerField(default=0)
"""


def test_tutorial_through_manage_py(make_project: Callable[[str], Path]) -> None:
    root = make_project("mysite")
    started = run_python(["manage.py", "startapp", "polls"], root)
    assert started.returncode == 0, started.stderr
    (root / "polls" / "models.py").write_text(MODELS)
    settings = root / "mysite" / "settings.py"
    settings.write_text(
        settings.read_text().replace(
            "INSTALLED_APPS = [\n", 'INSTALLED_APPS = [\n    "polls",\n', 1
        )
    )

    def manage(*args: str) -> tuple[int, str, str]:
        done = run_python(["manage.py", *args], root)
        return done.returncode, done.stdout, done.stderr

    code, out, err = manage("makemigrations", "polls")
    assert code == 0, err
    assert "Migrations for 'polls':" in out
    assert "polls/migrations/0001_initial.py" in out
    assert "+ Create model Question" in out and "+ Create model Choice" in out
    code, out, err = manage("sqlmigrate", "polls", "0001")
    assert code == 0, err
    assert out.startswith("BEGIN;") and "CREATE TABLE" in out and "polls_question" in out
    code, out, err = manage("migrate")
    assert code == 0, err
    assert "Applying polls.0001_initial... OK" in out
    code, out, err = manage("showmigrations", "polls")
    assert out == "polls\n [X] 0001_initial\n"
    code, out, err = manage("makemigrations", "--check")
    assert code == 0 and "No changes detected" in out

    # Bad input: one line on stderr, exit status 1, nothing written.
    code, out, err = manage("migrate", "nope")
    assert code == 1
    assert err.strip() == "CommandError: No installed app with label 'nope'."
    assert sorted(p.name for p in (root / "polls" / "migrations").glob("0*.py")) == [
        "0001_initial.py"
    ]
