"""squashmigrations: one file instead of many, for new databases and old ones alike."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from fastjango.core.management.base import CommandError
from fastjango.db import connections
from tests.db.migrations.support import Project, reset_database, run

V1 = """
item = sa.Table(
    "shop_item",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False),
)
"""
V2 = V1.replace(
    "nullable=False),\n)",
    'nullable=False),\n    sa.Column("note", sa.String(20), nullable=True),\n)',
)
V3 = V2.replace(
    '"name", sa.String(50), nullable=False', '"name", sa.String(50), nullable=False, index=True'
)
V4 = V3.replace('    sa.Column("note", sa.String(20), nullable=True),\n', "")
DATA = """
def forwards(apps, schema_editor):
    schema_editor.execute("INSERT INTO shop_item (name) VALUES ('seed')")


def upgrade() -> None:
    migrations.run_python(forwards)


def downgrade() -> None:
    migrations.run_python(migrations.RunPython.noop)
"""


def build_history(project: Project) -> None:
    project.app("shop", V1)
    project.install("shop")
    run("makemigrations", "shop", interactive=False)
    for version in (V2, V3, V4):
        project.models("shop", version)
        project.reload()
        run("makemigrations", "shop", interactive=False)
    run("makemigrations", "shop", "--empty", "--name", "seed")
    source = project.migration_source("shop", "0005_seed")
    head, _, _ = source.partition("\n\ndef forwards")
    project.write_migration("shop", "0005_seed", head + "\n" + DATA)
    assert project.migrations("shop") == [
        "0001_initial",
        "0002_item_note",
        "0003_alter_item_name",
        "0004_remove_item_note",
        "0005_seed",
    ]


def test_squash_replaces_a_run_of_migrations(project: Project, backend: str) -> None:
    build_history(project)
    run("migrate", "shop", "0002")  # a database part-way through the run

    out = run("squashmigrations", "shop", "0005", interactive=False)
    assert "Will squash the following migrations:" in out
    assert "Optimized from 5 operations to 3 operations." in out
    assert "forwards_0005" in out
    name = "0001_initial_squashed_0005_seed"
    source = project.migration_source("shop", name)
    assert 'revision = "shop_0005_seed"' in source
    assert "replaces = (" in source and '"shop_0004_remove_item_note"' in source
    assert "def forwards_0005(apps, schema_editor):" in source
    assert "migrations.run_python(migrations.RunPython.noop)" in source
    assert "note" not in source.split("def upgrade")[1].split("def downgrade")[0]

    # The database that applied part of the run finishes it with the old files.
    out = run("migrate")
    assert "Applying shop.0003_alter_item_name... OK" in out
    assert "Applying shop.0005_seed... OK" in out
    assert "No changes detected" in run("makemigrations", "--check")

    # A new database gets the squashed migration alone.
    reset_database(connections["default"])
    out = run("migrate")
    assert f"Applying shop.{name}... OK" in out
    assert connections["default"].execute("SELECT name FROM shop_item").scalar_one() == "seed"
    assert f"[X] {name} (5 squashed migrations)" in run("showmigrations", "shop")
    assert "No changes detected" in run("makemigrations", "--check")
    run("migrate", "shop", "zero")
    with connections["default"].connect() as conn:
        assert "shop_item" not in sa.inspect(conn).get_table_names()

    # Once the old files are gone, the squashed migration stands alone.
    for old in project.migrations("shop"):
        if old != name:
            (project.root / "shop" / "migrations" / f"{old}.py").unlink()
    out = run("migrate")
    assert f"Applying shop.{name}... OK" in out


def test_squash_part_of_the_history(project: Project, sqlite_db: None) -> None:
    build_history(project)
    out = run(
        "squashmigrations",
        "shop",
        "0002",
        "0003",
        "--squashed-name",
        "note_and_index",
        interactive=False,
    )
    assert "Optimized" in out or "No optimizations possible." in out
    assert "0002_note_and_index" in project.migrations("shop")
    source = project.migration_source("shop", "0002_note_and_index")
    assert 'down_revision = "shop_0001_initial"' in source
    assert 'revision = "shop_0003_alter_item_name"' in source
    run("migrate")
    assert "[X] 0002_note_and_index (2 squashed migrations)" in run("showmigrations", "shop")


def test_squash_errors(project: Project, sqlite_db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    build_history(project)
    with pytest.raises(CommandError, match="Cannot find a migration matching '0009'"):
        run("squashmigrations", "shop", "0009", interactive=False)
    with pytest.raises(CommandError, match="must come before the end"):
        run("squashmigrations", "shop", "0003", "0002", interactive=False)
    with pytest.raises(CommandError, match="No installed app with label 'nope'"):
        run("squashmigrations", "nope", "0002", interactive=False)
    with pytest.raises(CommandError, match="valid Python identifier"):
        run("squashmigrations", "shop", "0002", "--squashed-name", "no way", interactive=False)
    answers = iter(["maybe", "n"])
    monkeypatch.setattr("builtins.input", lambda *args: next(answers))
    out = run("squashmigrations", "shop", "0002")
    assert "Do you wish to proceed? [y/N]" in out
    assert len(project.migrations("shop")) == 5
