"""The benchmark tables as SQLAlchemy Core: what the raw apps query and what the seed creates.

The names and columns are those the FastJango and Django ``bench`` apps map onto
(``<app_label>_<model>``), so every app reads the same rows.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

# BIGINT like Django's BigAutoField, but INTEGER on SQLite, where only
# "INTEGER PRIMARY KEY" is the auto-numbered rowid.
_Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

world = sa.Table(
    "bench_world",
    metadata,
    sa.Column("id", _Id, primary_key=True),
    sa.Column("title", sa.String(100), nullable=False),
    sa.Column("author", sa.String(100), nullable=False),
    sa.Column("pages", sa.Integer, nullable=False),
)

author = sa.Table(
    "bench_author",
    metadata,
    sa.Column("id", _Id, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False),
)

book = sa.Table(
    "bench_book",
    metadata,
    sa.Column("id", _Id, primary_key=True),
    sa.Column("title", sa.String(100), nullable=False),
    sa.Column("pages", sa.Integer, nullable=False),
    sa.Column("author_id", _Id, sa.ForeignKey("bench_author.id"), nullable=False, index=True),
)
