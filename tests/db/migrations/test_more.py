"""Odd corners: broken files, progress bars, unmanaged models, squash refusals."""

from __future__ import annotations

import io

import pytest

from fastjango.core.management.base import CommandError
from fastjango.db.migrations.questioner import NOT_PROVIDED, MigrationQuestioner
from fastjango.db.migrations.state import ProjectTables
from tests.db.migrations.support import POLLS, Project, run


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_migrate_reports_broken_files_and_irreversible_steps(
    project: Project, sqlite_db: None
) -> None:
    project.app("polls", POLLS)
    project.install("polls")
    run("makemigrations", interactive=False)
    run("makemigrations", "polls", "--empty", "--name", "one_way")
    source = project.migration_source("polls", "0002_one_way")
    source = source.replace(
        "migrations.run_python(backwards)", "migrations.RunPython(forwards).backwards()"
    )
    project.write_migration("polls", "0002_one_way", source)
    out = Terminal()
    run("migrate", stdout=out)
    assert "Applying polls.0002_one_way... OK" in out.getvalue()
    with pytest.raises(CommandError, match="is not reversible"):
        run("migrate", "polls", "0001")
    project.write_migration("polls", "0003_broken", "this is not python\n")
    for command, args in (
        ("migrate", ()),
        ("showmigrations", ()),
        ("sqlmigrate", ("polls", "0001")),
        ("squashmigrations", ("polls", "0001", "--noinput")),
    ):
        with pytest.raises(CommandError, match="failed to import"):
            run(command, *args)


def test_apps_without_models_get_no_signals(project: Project, sqlite_db: None) -> None:
    project.app("polls", POLLS)
    folder = project.app("empty")
    (folder / "models.py").unlink()
    project.install("polls", "empty")
    run("makemigrations", interactive=False)
    out = run("migrate", verbosity=2)
    assert "Running post_migrate handlers for application polls" in out
    assert "application empty" not in out


def test_squash_refusals(project: Project, sqlite_db: None) -> None:
    project.app("polls", POLLS)
    project.app("blog", "", migrations=False)
    project.install("polls", "blog")
    run("makemigrations", interactive=False)
    run("makemigrations", "polls", "--empty", "--name", "a")
    run("makemigrations", "polls", "--empty", "--name", "b")
    with pytest.raises(CommandError, match="does not have migrations"):
        run("squashmigrations", "blog", "0001", interactive=False)
    with pytest.raises(CommandError, match="More than one migration matches"):
        run("squashmigrations", "polls", "000", interactive=False)
    run("squashmigrations", "polls", "0002", "--squashed-name", "first", interactive=False)
    with pytest.raises(CommandError, match="is itself a squashed migration"):
        run("squashmigrations", "polls", "0003", interactive=False)
    project.write_migration(
        "polls",
        "0004_core",
        """
        import sqlalchemy as sa
        from alembic import op

        revision = "polls_0004_core"
        down_revision = "polls_0003_b"
        branch_labels = None
        depends_on = None


        def upgrade() -> None:
            op.execute(sa.table("polls_question").delete())


        def downgrade() -> None:
            op.execute("SELECT 1")
        """,
    )
    with pytest.raises(CommandError, match="Can't write the squashed migration"):
        run("squashmigrations", "polls", "0003", "0004", interactive=False)


def test_squash_needs_a_straight_run(project: Project, sqlite_db: None) -> None:
    project.app("polls", POLLS)
    project.install("polls")
    run("makemigrations", interactive=False)
    for name in ("0002_a", "0002_b"):
        project.write_migration(
            "polls",
            name,
            f"""
            revision = "polls_{name}"
            down_revision = "polls_0001_initial"
            def upgrade(): pass
            def downgrade(): pass
            """,
        )
    run("makemigrations", "--merge", interactive=False)
    with pytest.raises(CommandError, match="doesn't follow"):
        run("squashmigrations", "polls", "0001", "0003", interactive=False)


def test_unmanaged_proxy_and_abstract_models(project: Project, sqlite_db: None) -> None:
    project.app("zoo")
    project.orm_models(
        "zoo",
        """
        import sqlalchemy as sa
        from fastjango.db.models.metadata import metadata

        class Base(models.Model):
            name = models.CharField(max_length=10)

            class Meta:
                abstract = True


        class Animal(Base):
            pass


        class Loud(Animal):
            class Meta:
                proxy = True


        class Legacy(models.Model):
            class Meta:
                managed = False
                db_table = "somewhere_else"


        plain = sa.Table("zoo_plain", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True))
        foreign = sa.Table(
            "zoo_foreign", sa.MetaData(), sa.Column("id", sa.Integer), info={"app_label": "other"}
        )
        hands_off = sa.Table(
            "zoo_hands_off", sa.MetaData(), sa.Column("id", sa.Integer), info={"managed": False}
        )
        """,
    )
    project.install("zoo")
    from fastjango.apps import apps

    tables = ProjectTables.collect(apps, ["zoo"])
    assert sorted(tables.tables) == ["zoo_animal", "zoo_plain"]
    assert tables.object_name("zoo_animal") == "Animal"


def test_base_questioner() -> None:
    questioner = MigrationQuestioner(defaults={"ask_merge": True}, specified_apps={"a"})
    assert questioner.ask_initial("a") and not questioner.ask_initial("b")
    assert questioner.ask_not_null_addition("f", "m") is NOT_PROVIDED
    assert questioner.ask_not_null_alteration("f", "m") is NOT_PROVIDED
    assert not questioner.ask_rename("m", "a", "b", "IntegerField")
    assert not questioner.ask_rename_model("app", "a", "b")
    assert questioner.ask_merge("app")
    assert repr(NOT_PROVIDED) == "NOT_PROVIDED"
