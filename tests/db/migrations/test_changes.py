"""Each kind of model change, applied and rolled back, on every backend."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from fastjango.db import connections
from tests.db.migrations.support import Project, run

BASE = """
item = sa.Table(
    "shop_item",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False),
    sa.Column("code", sa.String(20), nullable=True),
    sa.Column("qty", sa.Integer, nullable=True),
)
"""

TAG = """
tag = sa.Table(
    "shop_tag",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("shop_item.id"), nullable=True),
)
"""

STEPS = [
    # (models.py, expected description)
    (BASE.replace("sa.String(50)", "sa.String(80)"), "~ Alter field name on item"),
    (
        BASE.replace('"qty", sa.Integer', '"qty", sa.BigInteger'),
        "~ Alter field qty on item",
    ),
    (
        BASE.replace(
            'sa.Column("code", sa.String(20), nullable=True)',
            'sa.Column("code", sa.String(20), nullable=True, unique=True)',
        ),
        "~ Alter field code on item",
    ),
    (
        BASE.replace(
            'sa.Column("qty", sa.Integer, nullable=True)',
            'sa.Column("qty", sa.Integer, nullable=True, index=True)',
        ),
        "~ Alter field qty on item",
    ),
    (
        BASE.replace(
            '"code", sa.String(20), nullable=True',
            '"code", sa.String(20), nullable=False, default="none"',
        ),
        "~ Alter field code on item",
    ),
    (
        BASE.replace(
            '"qty", sa.Integer, nullable=True)',
            '"qty", sa.Integer, nullable=True),\n'
            '    sa.CheckConstraint("qty >= 0", name="qty_positive")',
        ),
        "+ Create constraint shop_item_qty_positive_check on model item",
    ),
    (
        BASE.replace(
            '"qty", sa.Integer, nullable=True)',
            '"qty", sa.Integer, nullable=True),\n'
            '    sa.Index("shop_item_name_code_idx", "name", "code")',
        ),
        "+ Create index shop_item_name_code_idx on field(s) name, code of model item",
    ),
    (
        BASE.replace('    sa.Column("code", sa.String(20), nullable=True),\n', ""),
        "- Remove field code from item",
    ),
    (BASE + TAG, "+ Create model tag"),
    (
        BASE.replace(
            '"qty", sa.Integer, nullable=True)',
            '"qty", sa.Integer, nullable=True, server_default="1")',
        ),
        "~ Alter field qty on item",
    ),
]


@pytest.mark.parametrize("step", range(len(STEPS)), ids=[s[1] for s in STEPS])
def test_change_applies_and_rolls_back(project: Project, sqlite_db: None, step: int) -> None:
    source, description = STEPS[step]
    check_change(project, BASE, source, description)


def test_delete_model(project: Project, backend: str) -> None:
    check_change(project, BASE + TAG, BASE, "- Delete model tag")


@pytest.mark.parametrize("backend", ["postgresql", "mysql"], indirect=True)
def test_every_change_in_turn(project: Project, backend: str) -> None:
    # On the servers (SQLite has a test per change), one history with every change,
    # then all the way back and forward.
    project.app("shop", BASE)
    project.install("shop")
    run("makemigrations", "shop", interactive=False)
    run("migrate")
    db = connections["default"]
    db.execute("INSERT INTO shop_item (name, code, qty) VALUES ('a', 'c', 2)")
    for source, description in [*STEPS, (BASE, "~ Alter field qty on item")]:
        project.models("shop", source)
        project.reload()
        assert description in run("makemigrations", "shop", interactive=False)
        # The offline SQL of every kind of change, for this backend.
        name = project.migrations("shop")[-1]
        assert "--\n-- " in run("sqlmigrate", "shop", name)
        assert "--\n-- " in run("sqlmigrate", "shop", name, "--backwards")
        run("migrate")
    assert "No changes detected" in run("makemigrations", "--check")
    assert db.execute("SELECT COUNT(*) FROM shop_item").scalar_one() == 1
    # The row's code went NULL when the column was dropped and added again, which
    # an older, NOT NULL code column can't take back.
    db.execute("DELETE FROM shop_item")
    run("migrate", "shop", "0001")
    with db.connect() as conn:
        names = {c["name"] for c in sa.inspect(conn).get_columns("shop_item")}
    assert names == {"id", "name", "code", "qty"}
    run("migrate", "shop")
    assert "No changes detected" in run("makemigrations", "--check")


def check_change(project: Project, start: str, source: str, description: str) -> None:
    project.app("shop", start)
    project.install("shop")
    run("makemigrations", "shop", interactive=False)
    run("migrate")
    connections["default"].execute("INSERT INTO shop_item (name, code, qty) VALUES ('a', NULL, 2)")

    project.models("shop", source)
    project.reload()
    out = run("makemigrations", "shop", interactive=False)
    assert description in out, out
    run("migrate")
    assert "No changes detected" in run("makemigrations", "--check"), run(
        "makemigrations", "--dry-run", verbosity=3
    )
    assert connections["default"].execute("SELECT COUNT(*) FROM shop_item").scalar_one() == 1

    run("migrate", "shop", "0001")
    with connections["default"].connect() as conn:
        names = {c["name"] for c in sa.inspect(conn).get_columns("shop_item")}
    assert names == {"id", "name", "code", "qty"}
    run("migrate", "shop")
    assert "No changes detected" in run("makemigrations", "--check")
