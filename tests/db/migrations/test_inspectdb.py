"""inspectdb on databases real Django built: models that read their data, on every backend.

The databases are SQL dumps under ``django_fixtures/``, made by Django 5.2's own
``migrate`` (see ``django_fixtures/make_fixtures.py``; Django is never imported here).
"""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path

from fastjango.apps import apps
from fastjango.core.management import call_command
from fastjango.db import connections

# Before any connection opens: the ORM registers its SQLite functions on new connections.
from fastjango.db import models as _models  # noqa: F401
from tests.db.migrations.support import Project, run

DUMPS = Path(__file__).parent / "django_fixtures"
UTC = datetime.UTC


def _statements(vendor: str) -> list[str]:
    text = (DUMPS / f"{vendor}.sql").read_text()
    # psql meta-commands (pg_dump's \restrict) and MariaDB's sandbox marker are client-side.
    lines = [
        line
        for line in text.splitlines()
        if not line.startswith("\\") and not line.startswith("/*M!999999")
    ]
    if vendor == "postgresql":
        # pg_dump empties search_path for its session; the statements name the schema.
        return ["\n".join(lines)]
    statements, current = [], []
    for line in lines:
        current.append(line)
        if line.rstrip().endswith(";"):
            statements.append("\n".join(current))
            current = []
    return statements


def load_django_database(vendor: str) -> None:
    """Load the dump of the database Django built on ``vendor`` into "default"."""
    connection = connections["default"]
    connection.close()
    raw = connection.sync_engine.raw_connection()
    try:
        if vendor == "sqlite":
            raw.driver_connection.executescript("\n".join(_statements(vendor)))
        else:
            cursor = raw.cursor()
            for statement in _statements(vendor):
                cursor.execute(statement)
            cursor.close()
            raw.commit()
    finally:
        # The dump changed session state (search_path, character sets): don't reuse it.
        raw.invalidate()


def inspect(*args: str) -> str:
    out = StringIO()
    call_command("inspectdb", *args, stdout=out)
    return out.getvalue()


#: lines Django 5.2's own inspectdb writes for these databases, on every backend
DJANGO_LINES = [
    "class AuthGroup(models.Model):\n    name = models.CharField(unique=True, max_length=150)\n",
    "    group = models.ForeignKey(AuthGroup, models.DO_NOTHING)\n"
    "    permission = models.ForeignKey('AuthPermission', models.DO_NOTHING)\n",
    "    content_type = models.ForeignKey('DjangoContentType', models.DO_NOTHING)\n",
    "        unique_together = (('content_type', 'codename'),)\n",
    "    last_login = models.DateTimeField(blank=True, null=True)\n",
    "    username = models.CharField(unique=True, max_length=150)\n",
    "    email = models.CharField(max_length=254)\n",
    "    date_joined = models.DateTimeField()\n",
    "    user = models.ForeignKey(AuthUser, models.DO_NOTHING)\n"
    "    group = models.ForeignKey(AuthGroup, models.DO_NOTHING)\n",
    "        db_table = 'auth_user_groups'\n        unique_together = (('user', 'group'),)\n",
    "    permission = models.ForeignKey(AuthPermission, models.DO_NOTHING)\n",
    "        unique_together = (('app_label', 'model'),)\n",
    "class DjangoMigrations(models.Model):\n",
    "    choice_text = models.CharField(max_length=200)\n"
    "    votes = models.IntegerField()\n"
    "    question = models.ForeignKey('PollsQuestion', models.DO_NOTHING)\n",
    "    question_text = models.CharField(max_length=200)\n    pub_date = models.DateTimeField()\n",
]


def test_inspectdb_writes_what_djangos_inspectdb_writes(backend: str) -> None:
    load_django_database(backend)
    source = inspect()
    compile(source, "models.py", "exec")
    assert source.startswith("# This is an auto-generated FastJango model module.")
    assert "\nfrom fastjango.db import models\n" in source
    for expected in DJANGO_LINES:
        assert expected in source
    assert source.count("        managed = False\n") == 10
    # Our own history table is left out; Django's is an ordinary table.
    assert "fastjango_migrations" not in source
    for model in ("AuthUser", "AuthUserGroups", "PollsChoice", "PollsQuestion"):
        assert f"\n\n\nclass {model}(models.Model):\n" in source
    # As Django's: booleans, except MySQL's tinyint(1) which Django reads as integers.
    assert "    is_superuser = models.BooleanField()\n" in source
    big_id = "    id = models.BigAutoField(primary_key=True)\n"
    if backend == "sqlite":
        # Every integer primary key is the rowid: the model's implicit "id" field.
        assert big_id not in source
    else:
        assert f"class PollsQuestion(models.Model):\n{big_id}" in source
        assert f"class AuthUserGroups(models.Model):\n{big_id}" in source

    only = inspect("polls_question", "nope")
    assert "class PollsQuestion" in only and "class AuthUser" not in only
    assert "# Unable to inspect table 'nope'" in only


#: what a team adds to the generated AuthUser to get Django's ``user.groups``
GROUPS_M2M = "    groups = models.ManyToManyField(AuthGroup, through='AuthUserGroups')\n"


def install_inspected(project: Project, *, m2m: bool = False) -> None:
    source = inspect()
    if m2m:
        source = source.replace(
            "    date_joined = models.DateTimeField()\n",
            "    date_joined = models.DateTimeField()\n" + GROUPS_M2M,
        )
    project.app("legacy", migrations=False)
    (project.root / "legacy" / "models.py").write_text(source)
    project.install("legacy")


def test_inspected_models_read_djangos_data(project: Project, backend: str) -> None:
    load_django_database(backend)
    install_inspected(project)
    AuthUser = apps.get_model("legacy", "AuthUser")
    AuthGroup = apps.get_model("legacy", "AuthGroup")
    AuthUserGroups = apps.get_model("legacy", "AuthUserGroups")
    AuthPermission = apps.get_model("legacy", "AuthPermission")
    PollsChoice = apps.get_model("legacy", "PollsChoice")
    PollsQuestion = apps.get_model("legacy", "PollsQuestion")

    ada = AuthUser.objects.get(username="ada")
    assert (ada.first_name, ada.last_name, ada.email) == ("Ada", "Lovelace", "ada@example.com")
    assert ada.is_superuser is True and ada.is_staff is True and ada.is_active is True
    assert ada.password.startswith("pbkdf2_sha256$1000000$fixturesalt1234$")
    assert ada.last_login == datetime.datetime(2024, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)
    assert ada.date_joined == datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    bob = AuthUser.objects.get(username="bob")
    assert (bob.is_active, bob.last_login, bob.first_name) == (False, None, "")
    assert bob.date_joined == datetime.datetime(2024, 2, 29, 12, 0, tzinfo=UTC)
    assert list(AuthUser.objects.filter(is_active=True).values_list("username", flat=True)) == [
        "ada"
    ]
    leap_day = datetime.datetime(2024, 2, 29, tzinfo=UTC)
    assert [u.username for u in AuthUser.objects.filter(date_joined__gte=leap_day)] == ["bob"]

    # The user <-> group many-to-many, through the table Django made for it.
    membership = AuthUserGroups.objects.select_related("user", "group").get()
    assert (membership.user.username, membership.group.name) == ("ada", "editors")
    editors = AuthUser.objects.filter(authusergroups__group__name="editors")
    assert [u.username for u in editors] == ["ada"]
    assert AuthGroup.objects.filter(authusergroups__isnull=True).get().name == "readers"
    # Group and user permissions point at the rows Django's post_migrate created.
    perms = AuthPermission.objects.filter(authgrouppermissions__group__name="editors")
    assert [(p.codename, p.content_type.app_label) for p in perms] == [("add_question", "polls")]
    direct = AuthPermission.objects.get(authuseruserpermissions__user=ada)
    assert (direct.codename, direct.name) == ("change_choice", "Can change choice")

    questions = PollsQuestion.objects.order_by("pub_date")
    assert [(q.question_text, q.pub_date) for q in questions] == [
        ("What's new?", datetime.datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)),
        ("What's up?", datetime.datetime(2024, 6, 30, 23, 59, 59, tzinfo=UTC)),
    ]
    first = PollsQuestion.objects.get(pub_date__lt=datetime.datetime(2024, 6, 1, tzinfo=UTC))
    assert first.question_text == "What's new?"
    assert PollsQuestion.objects.filter(pub_date__year=2024, pub_date__month=6).count() == 1
    choices = PollsChoice.objects.filter(question=first).order_by("-votes")
    assert [(c.choice_text, c.votes) for c in choices] == [("The sky", 5), ("Not much", 3)]
    by_text = {c.choice_text: c.question.question_text for c in PollsChoice.objects.all()}
    assert by_text == {"Not much": "What's new?", "The sky": "What's new?", "Nothing": "What's up?"}
    assert PollsChoice.objects.filter(question__question_text__startswith="What's u").count() == 1
    assert [c.choice_text for c in first.pollschoice_set.order_by("votes")] == [
        "Not much",
        "The sky",
    ]
    # Django's own migration history is an ordinary table to us.
    DjangoMigrations = apps.get_model("legacy", "DjangoMigrations")
    assert list(DjangoMigrations.objects.filter(app="polls").values_list("name", flat=True)) == [
        "0001_initial"
    ]
    # Unmanaged: makemigrations leaves these tables alone.
    assert "No changes detected" in run("makemigrations", "legacy", interactive=False)
    assert project.migrations("legacy") == []


def test_inspected_through_table_serves_a_many_to_many(project: Project, backend: str) -> None:
    load_django_database(backend)
    install_inspected(project, m2m=True)
    AuthUser = apps.get_model("legacy", "AuthUser")
    AuthGroup = apps.get_model("legacy", "AuthGroup")

    ada = AuthUser.objects.get(username="ada")
    assert [g.name for g in ada.groups.all()] == ["editors"]
    assert list(
        AuthUser.objects.filter(groups__name="editors").values_list("username", flat=True)
    ) == ["ada"]
    editors = AuthGroup.objects.get(name="editors")
    assert [u.username for u in editors.authuser_set.all()] == ["ada"]
    users = AuthUser.objects.prefetch_related("groups").order_by("username")
    assert {u.username: [g.name for g in u.groups.all()] for u in users} == {
        "ada": ["editors"],
        "bob": [],
    }
