"""Create and fill the benchmark tables, once per run per database.

SQLite: a fresh file in a directory the caller owns. PostgreSQL: the dedicated
``fastjango_bench`` database on 127.0.0.1, created when missing; only the
benchmark's own tables in it are dropped and made again. Nothing else is touched.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from benchmarks.apps import data
from benchmarks.apps.tables import author, book, metadata, world


def _pg_url(database: str) -> str:
    return f"postgresql+psycopg://{data.PG_USER}@{data.PG_HOST}:{data.PG_PORT}/{database}"


def ensure_pg_database() -> None:
    """Create the ``fastjango_bench`` database when it does not exist yet."""
    engine = sa.create_engine(_pg_url("postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            exists = conn.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": data.PG_NAME},
            ).scalar()
            if not exists:
                conn.execute(sa.text(f'CREATE DATABASE "{data.PG_NAME}"'))
    except sa.exc.OperationalError as exc:
        raise RuntimeError(
            f"PostgreSQL is not reachable at {data.PG_HOST}:{data.PG_PORT} as user "
            f"{data.PG_USER!r} ({exc.orig}). Start it (scripts/services), set BENCH_PG_USER, "
            "or pass --db sqlite."
        ) from None
    finally:
        engine.dispose()


def fill(engine: sa.Engine) -> None:
    """Drop and create the benchmark tables on ``engine`` and insert the rows."""
    metadata.drop_all(engine)
    metadata.create_all(engine)
    books = [
        {
            "id": row["id"],
            "title": row["title"],
            "pages": row["pages"],
            "author_id": row["id"] % data.AUTHORS + 1,
        }
        for row in data.world_rows()
    ]
    with engine.begin() as conn:
        conn.execute(world.insert(), data.world_rows())
        conn.execute(
            author.insert(), [{"id": i, "name": f"Author {i}"} for i in range(1, data.AUTHORS + 1)]
        )
        conn.execute(book.insert(), books)
        if engine.dialect.name == "postgresql":
            # Rows came with explicit ids: move the sequences past them for later inserts.
            for table in (world, author, book):
                conn.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT MAX(id) FROM {table.name}))"
                    )
                )
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            names = ", ".join(table.name for table in metadata.sorted_tables)
            conn.execute(sa.text(f"VACUUM ANALYZE {names}"))


def seed_sqlite(path: Path) -> None:
    """Make ``path`` a SQLite file holding the seeded tables, in WAL mode."""
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            # WAL is a property of the file: every app (and Django) then reads it the same way.
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        fill(engine)
    finally:
        engine.dispose()


def seed_postgresql() -> None:
    """Seed the tables in the ``fastjango_bench`` database."""
    ensure_pg_database()
    engine = sa.create_engine(_pg_url(data.PG_NAME))
    try:
        fill(engine)
    finally:
        engine.dispose()


def seed(backend: str, workdir: Path) -> dict[str, str]:
    """Seed ``backend`` and return the environment a server needs to use it."""
    if backend == "sqlite":
        path = workdir / "bench.sqlite3"
        seed_sqlite(path)
        return {"BENCH_DB": "sqlite", "BENCH_SQLITE": str(path)}
    if backend == "postgresql":
        seed_postgresql()
        # Servers read BENCH_SQLITE only on SQLite; set it so every server's env has the same keys.
        return {"BENCH_DB": "postgresql", "BENCH_SQLITE": ""}
    raise ValueError(f"unknown database {backend!r}; use one of {', '.join(data.BACKENDS)}")
