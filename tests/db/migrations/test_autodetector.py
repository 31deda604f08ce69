"""The autodetector's less common paths: foreign key changes, loops, existing dependencies."""

from __future__ import annotations

import pytest

from fastjango.core.management.base import CommandError
from tests.db.migrations.support import Project, run

PARENT = """
parent = sa.Table(
    "shop_parent",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
)
"""
CHILD = """
child = sa.Table(
    "shop_child",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "parent_id", sa.Integer, sa.ForeignKey("shop_parent.id", ondelete="{rule}"), index=True
    ),
)
"""


def test_foreign_key_rule_change(project: Project, backend: str) -> None:
    project.app("shop", PARENT + CHILD.replace("{rule}", "CASCADE"))
    project.install("shop")
    run("makemigrations", interactive=False)
    run("migrate")
    project.models("shop", PARENT + CHILD.replace("{rule}", "SET NULL"))
    project.reload()
    out = run("makemigrations", interactive=False)
    assert "Create constraint" in out and "Remove constraint" in out
    run("migrate")
    assert "No changes detected" in run("makemigrations", "--check")
    # Deleting a model drops its table; its indexes go with it.
    project.models("shop", PARENT)
    project.reload()
    out = run("makemigrations", interactive=False)
    assert "- Delete model child" in out and "Remove index" not in out
    run("migrate")
    run("migrate", "shop", "0002")
    run("migrate")


def test_new_foreign_keys_in_a_loop(project: Project, sqlite_db: None) -> None:
    project.app(
        "one",
        """
        a = sa.Table("one_a", metadata, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("b_id", sa.Integer, sa.ForeignKey("two_b.id")))
        """,
    )
    project.app(
        "two",
        """
        b = sa.Table("two_b", metadata, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("a_id", sa.Integer, sa.ForeignKey("one_a.id")))
        """,
    )
    project.install("one", "two")
    with pytest.raises(CommandError, match="point at each other in a loop"):
        run("makemigrations", interactive=False)
    assert project.migrations("one") == [] and project.migrations("two") == []


def test_dependency_on_an_existing_migration(project: Project, sqlite_db: None) -> None:
    project.app("library", PARENT.replace("shop_parent", "library_author"))
    project.app("shop", "")
    project.install("library", "shop")
    run("makemigrations", interactive=False)
    project.models(
        "shop",
        """
        book = sa.Table("shop_book", metadata, sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("author_id", sa.Integer, sa.ForeignKey("library_author.id")))
        """,
    )
    project.reload()
    out = run("makemigrations", interactive=False)
    assert "Migrations for 'library'" not in out
    source = project.migration_source("shop", "0001_initial")
    assert 'depends_on = ("library_0001_initial",)' in source
    run("migrate")
    assert "No changes detected" in run("makemigrations", "--check")


def test_unmigrated_app_tables_in_the_scratch_database(project: Project, backend: str) -> None:
    project.app("library", PARENT.replace("shop_parent", "library_author"), migrations=False)
    project.app(
        "shop",
        """
        book = sa.Table("shop_book", metadata, sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("author_id", sa.Integer, sa.ForeignKey("library_author.id")))
        """,
    )
    project.install("library", "shop")
    out = run("makemigrations", interactive=False)
    assert "Migrations for 'library'" not in out
    assert "depends_on = None" in project.migration_source("shop", "0001_initial")
    run("migrate", "--run-syncdb")
    assert "No changes detected" in run("makemigrations", "--check")
    assert "have changes" not in run("migrate")


def test_new_models_pointing_at_each_other(project: Project, backend: str) -> None:
    project.app(
        "shop",
        """
        a = sa.Table("shop_a", metadata, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("b_id", sa.Integer, sa.ForeignKey("shop_b.id"), nullable=True))
        b = sa.Table("shop_b", metadata, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("a_id", sa.Integer, sa.ForeignKey("shop_a.id"), nullable=True))
        """,
    )
    project.install("shop")
    run("makemigrations", interactive=False)
    assert "create_foreign_key" in project.migration_source("shop", "0001_initial")
    run("migrate")
    assert "No changes detected" in run("makemigrations", "--check")
    run("migrate", "shop", "zero")
