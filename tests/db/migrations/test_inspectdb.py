"""inspectdb on a database Django built: models that read its data, on every backend."""

from __future__ import annotations

import datetime
from io import StringIO

import sqlalchemy as sa

from fastjango.apps import apps
from fastjango.core.management import call_command
from fastjango.db import connections
from tests.db.migrations.django_schema import DATA, django_ddl
from tests.db.migrations.support import Project, run


def build_django_database(vendor: str) -> None:
    with connections["default"].connect() as conn:
        for statement in django_ddl(vendor):
            conn.exec_driver_sql(statement)
        metadata = sa.MetaData()
        metadata.reflect(conn)
        for table, row in DATA:
            conn.execute(metadata.tables[table].insert().values(**row))


def inspect(*args: str) -> str:
    out = StringIO()
    call_command("inspectdb", *args, stdout=out)
    return out.getvalue()


def test_inspectdb_on_django_tables(backend: str) -> None:
    build_django_database(backend)
    source = inspect()
    compile(source, "models.py", "exec")
    assert source.startswith("# This is an auto-generated FastJango model module.")
    assert "from fastjango.db import models" in source
    assert "class AuthUser(models.Model):" in source
    assert "    username = models.CharField(unique=True, max_length=150)" in source
    assert "    is_superuser = models.BooleanField()" in source
    assert "    last_login = models.DateTimeField(blank=True, null=True)" in source
    assert "    email = models.CharField(max_length=254)" in source
    assert "class PollsChoice(models.Model):" in source
    assert "    question = models.ForeignKey('PollsQuestion', models.DO_NOTHING)" in source
    assert "        db_table = 'polls_choice'" in source
    assert "        managed = False" in source
    assert "        unique_together = (('app_label', 'model'),)" in source
    assert "    group = models.ForeignKey(AuthGroup, models.DO_NOTHING)" in source
    assert "fastjango_migrations" not in source
    if backend == "sqlite":
        # An integer primary key "id" is the model's implicit one.
        assert "class PollsQuestion(models.Model):\n    question_text" in source
    else:
        assert (
            "class PollsQuestion(models.Model):\n    id = models.BigAutoField(primary_key=True)"
            in source
        )

    only = inspect("polls_question", "nope")
    assert "class PollsQuestion" in only and "class AuthUser" not in only
    assert "# Unable to inspect table 'nope'" in only


def test_inspected_models_read_djangos_data(project: Project, backend: str) -> None:
    build_django_database(backend)
    source = inspect()
    project.app("legacy", migrations=False)
    (project.root / "legacy" / "models.py").write_text(source)
    project.install("legacy")
    AuthUser = apps.get_model("legacy", "AuthUser")
    PollsChoice = apps.get_model("legacy", "PollsChoice")
    PollsQuestion = apps.get_model("legacy", "PollsQuestion")
    AuthUserGroups = apps.get_model("legacy", "AuthUserGroups")

    admin = AuthUser.objects.get(username="admin")
    assert (admin.first_name, admin.email, admin.is_superuser) == ("Ada", "ada@example.com", True)
    assert admin.last_login is None
    assert admin.date_joined.replace(tzinfo=None) == datetime.datetime(2024, 1, 2, 3, 4, 5)
    question = PollsQuestion.objects.get()
    assert question.question_text == "What's new?"
    choices = PollsChoice.objects.filter(question=question).order_by("-votes")
    assert [(c.choice_text, c.votes) for c in choices] == [("The sky", 5), ("Not much", 3)]
    assert PollsChoice.objects.filter(question__question_text__startswith="What").count() == 2
    membership = AuthUserGroups.objects.select_related("user", "group").get()
    assert (membership.user.username, membership.group.name) == ("admin", "editors")
    # Unmanaged: makemigrations leaves these tables alone.
    assert "No changes detected" in run("makemigrations", "legacy", interactive=False)
    assert project.migrations("legacy") == []
