"""After makemigrations and migrate, makemigrations --check finds nothing: no phantom changes."""

from __future__ import annotations

from tests.db.migrations.support import Project, run

WIDE = """
from fastjango.db.models.fields._types import (
    BinaryType,
    DateTimeType,
    DecimalType,
    DurationType,
    JSONType,
    TimeType,
)

wide = sa.Table(
    "shop_wide",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
    sa.Column("small", sa.SmallInteger, nullable=False),
    sa.Column("big", sa.BigInteger, nullable=True),
    sa.Column("flag", sa.Boolean, nullable=False),
    sa.Column("name", sa.String(120), nullable=False, unique=True),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("price", DecimalType(10, 2), nullable=False),
    sa.Column("ratio", sa.Float, nullable=True),
    sa.Column("day", sa.Date, nullable=True),
    sa.Column("at", DateTimeType(), nullable=False, index=True),
    sa.Column("clock", TimeType(), nullable=True),
    sa.Column("span", DurationType(), nullable=True),
    sa.Column("data", JSONType(), nullable=True),
    sa.Column("blob", BinaryType(), nullable=True),
    sa.Column("uid", sa.Uuid, nullable=True),
    sa.Column("plain_at", sa.DateTime, nullable=True),
    sa.Column("status", sa.String(10), nullable=False, server_default="new"),
    sa.Column("count", sa.Integer, nullable=False, server_default=sa.text("0")),
    sa.CheckConstraint("small >= 0", name="small_positive"),
    sa.Index("shop_wide_name_day_idx", "name", "day"),
    sa.UniqueConstraint("small", "big", name="shop_wide_small_big_uniq"),
)
tag = sa.Table(
    "shop_tag",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("wide_id", sa.BigInteger, sa.ForeignKey("shop_wide.id"), nullable=False),
    sa.Column("label", sa.String(30), nullable=False),
)
"""


def test_no_phantom_changes(project: Project, backend: str) -> None:
    project.app("shop", WIDE)
    project.install("shop")
    run("makemigrations", "shop", interactive=False)
    run("migrate")
    out = run("makemigrations", "--dry-run", verbosity=3)
    assert "No changes detected" in out, out
    source = project.migration_source("shop", "0001_initial")
    assert "fastjango.db.models" not in source
    assert "postgresql.TIMESTAMP(timezone=True), 'postgresql'" in source
    assert "mysql.DATETIME(fsp=6), 'mysql', 'mariadb'" in source
    assert "sa.Uuid()" in source
