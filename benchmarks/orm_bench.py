"""ORM suite: FastJango's ORM vs Django's ORM vs raw SQLAlchemy Core, on one SQLite file.

``python -m benchmarks --suite orm`` seeds a SQLite file, then runs each side
in its own fresh process, round after round (interleaved): FastJango and Core
here (``python -m benchmarks.orm_bench --side fastjango|core``), Django with
``orm_django.py`` in Django's virtual environment. Each process checks every
operation's result, then times it (``orm_common.measure``: median of bounded
repetitions). The table shows each side's best round and the two ratios the
ORM issue sets targets for: the same process can run an operation twice as
slowly as another one of the same side (seen on Core: fetching 1,000 rows took
0.71 ms in most processes, 1.4 ms in some), so the best round is the one that
compares like with like.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.apps.data import PAGE
from benchmarks.orm_common import (
    CLEANUP_SQL,
    COUNT_NEW_SQL,
    NEW_ROWS,
    OPERATIONS,
    Op,
    side_main,
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FJ_PROJECT = HERE / "apps" / "fj_project"
#: the ORM issue's targets
DJANGO_TARGET = 1.5  # FastJango at least this many times faster than Django's ORM
CORE_TARGET = 1.5  # and at most this many times slower than raw SQLAlchemy Core
SIDE_TIMEOUT = 600  # seconds; a side process is killed past this


def fastjango_ops(path: str) -> dict[str, Op]:
    """Return FastJango's operations on the SQLite file ``path``."""
    sys.path.insert(0, str(FJ_PROJECT))
    from fastjango.conf import settings

    settings.configure(
        DATABASES={"default": {"ENGINE": "fastjango.db.backends.sqlite3", "NAME": path}},
        INSTALLED_APPS=["bench"],
        USE_TZ=True,
    )
    import fastjango

    fastjango.setup()
    from bench.models import Book, World

    from fastjango.db import connection, transaction

    def cleanup() -> None:
        connection.execute(CLEANUP_SQL)

    def count_new(_: object) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in connection.execute(COUNT_NEW_SQL)]

    def insert_each() -> None:
        with transaction.atomic():
            for row in NEW_ROWS:
                World.objects.create(**row)

    async def fetch_20_async() -> list[World]:
        return [w async for w in World.objects.order_by("id")[:PAGE]]

    def worlds(rows: list[World]) -> list[tuple[Any, ...]]:
        return [(w.id, w.title) for w in rows]

    def books(rows: list[Book]) -> list[tuple[Any, ...]]:
        return [(b.id, b.title, b.author.name) for b in rows]

    return {
        "fetch_20": Op(lambda: list(World.objects.order_by("id")[:PAGE]), worlds),
        "fetch_1000": Op(lambda: list(World.objects.order_by("id")), worlds),
        "join_20": Op(
            lambda: list(Book.objects.select_related("author").order_by("id")[:PAGE]), books
        ),
        "join_1000": Op(lambda: list(Book.objects.select_related("author").order_by("id")), books),
        "insert_bulk": Op(
            lambda: World.objects.bulk_create([World(**row) for row in NEW_ROWS]),
            count_new,
            cleanup,
        ),
        "insert_each": Op(insert_each, count_new, cleanup),
        "fetch_20_async": Op(fetch_20_async, worlds),
    }


def core_ops(path: str) -> dict[str, Op]:
    """Return raw SQLAlchemy Core's operations on the SQLite file ``path``.

    Written as a SQLAlchemy user would: a statement built per call (SQLAlchemy
    caches its compiled form), a pooled connection per call, rows as ``Row``s.
    """
    import sqlalchemy as sa
    from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

    from benchmarks.apps.tables import author, book, world

    engine = sa.create_engine(f"sqlite:///{path}")

    def select(limit: int | None) -> list[sa.Row[Any]]:
        with engine.connect() as conn:
            return list(conn.execute(sa.select(world).order_by(world.c.id).limit(limit)).all())

    def join(limit: int | None) -> list[sa.Row[Any]]:
        stmt = (
            sa.select(book, author)
            .join(author, book.c.author_id == author.c.id)
            .order_by(book.c.id)
            .limit(limit)
        )
        with engine.connect() as conn:
            return list(conn.execute(stmt).all())

    def insert_bulk() -> None:
        with engine.begin() as conn:
            conn.execute(sa.insert(world), NEW_ROWS)

    def insert_each() -> None:
        with engine.begin() as conn:
            for row in NEW_ROWS:
                conn.execute(sa.insert(world), row)

    def cleanup() -> None:
        with engine.begin() as conn:
            conn.exec_driver_sql(CLEANUP_SQL)

    def count_new(_: object) -> list[tuple[Any, ...]]:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.exec_driver_sql(COUNT_NEW_SQL)]

    # Async drivers bind connections to a loop, and each timing runs its own loop:
    # the engine is made on first use in a loop and disposed when that loop's work ends.
    async_engine: list[AsyncEngine] = []

    async def fetch_20_async() -> list[sa.Row[Any]]:
        if not async_engine:
            async_engine.append(create_async_engine(f"sqlite+aiosqlite:///{path}"))
        async with async_engine[0].connect() as conn:
            result = await conn.execute(sa.select(world).order_by(world.c.id).limit(PAGE))
            return list(result.all())

    async def dispose_async() -> None:
        if async_engine:
            await async_engine.pop().dispose()

    def worlds(rows: list[sa.Row[Any]]) -> list[tuple[Any, ...]]:
        return [(r.id, r.title) for r in rows]

    def books(rows: list[sa.Row[Any]]) -> list[tuple[Any, ...]]:
        return [(r[0], r[1], r.name) for r in rows]

    return {
        "fetch_20": Op(lambda: select(PAGE), worlds),
        "fetch_1000": Op(lambda: select(None), worlds),
        "join_20": Op(lambda: join(PAGE), books),
        "join_1000": Op(lambda: join(None), books),
        "insert_bulk": Op(insert_bulk, count_new, cleanup),
        "insert_each": Op(insert_each, count_new, cleanup),
        "fetch_20_async": Op(fetch_20_async, worlds, aclose=dispose_async),
    }


SIDES = {"fastjango": fastjango_ops, "core": core_ops}


# --- the orchestrator ---------------------------------------------------------------------


def side_command(side: str, python: str | None = None) -> list[str]:
    """Return the command that runs ``side`` (``fastjango``, ``core`` or ``django``)."""
    if side == "django":
        from benchmarks.runner import django_python

        return [python or django_python(), str(HERE / "orm_django.py")]
    return [python or sys.executable, "-m", "benchmarks.orm_bench", "--side", side]


def _run_side(side: str, path: Path, repeat: int, budget: float) -> dict[str, float]:
    command = [*side_command(side), "--sqlite", str(path), "--repeat", str(repeat)]
    command += ["--budget", str(budget)]
    done = subprocess.run(
        command,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=SIDE_TIMEOUT,
    )
    if done.returncode:
        raise RuntimeError(f"the {side} side of the ORM suite failed:\n{done.stderr}")
    return {name: float(seconds) for name, seconds in json.loads(done.stdout).items()}


def orm_versions(include_django: bool) -> dict[str, str]:
    """Return the versions the ORM numbers were measured with."""
    versions = {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version}
    for name in ("fastjango", "sqlalchemy", "aiosqlite"):
        versions[name] = importlib.metadata.version(name)
    if include_django:
        code = "import django, sqlite3; print(django.get_version(), sqlite3.sqlite_version)"
        out = subprocess.run(
            [side_command("django")[0], "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
        versions["django"], versions["django-venv sqlite"] = out
    return versions


def measure_orm(
    rounds: int, repeat: int, include_django: bool, budget: float = 2.0
) -> dict[str, dict[str, float]]:
    """Seed one SQLite file and return side -> operation -> its best round's seconds."""
    from benchmarks.seed import seed_sqlite

    sides = ["fastjango", "core"] + (["django"] if include_django else [])
    samples: dict[str, dict[str, list[float]]] = {side: {} for side in sides}
    workdir = Path(tempfile.mkdtemp(prefix="fastjango-orm-bench-"))
    try:
        path = workdir / "orm.sqlite3"
        seed_sqlite(path)
        for number in range(rounds):
            for side in sides:
                timings = _run_side(side, path, repeat, budget)
                for name, seconds in timings.items():
                    samples[side].setdefault(name, []).append(seconds)
                print(f"  orm round {number + 1}/{rounds} {side:<10} done", flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return {
        side: {name: min(values) for name, values in by_op.items()}
        for side, by_op in samples.items()
    }


def orm_rows(best: dict[str, dict[str, float]]) -> list[dict[str, Any]]:
    """Return one row per operation: times, ratios and whether each target is met."""
    rows = []
    for name, label in OPERATIONS.items():
        fj = best["fastjango"][name]
        core = best["core"][name]
        django = best.get("django", {}).get(name)
        rows.append(
            {
                "op": name,
                "label": label,
                "fastjango_ms": fj * 1000,
                "django_ms": django * 1000 if django else None,
                "core_ms": core * 1000,
                "django_over_fastjango": django / fj if django else None,
                "fastjango_over_core": fj / core,
                "meets_django_target": django / fj >= DJANGO_TARGET if django else None,
                "meets_core_target": fj / core <= CORE_TARGET,
            }
        )
    return rows


def print_orm_table(rows: list[dict[str, Any]], console: Any) -> None:
    from rich.table import Table

    table = Table(
        title=(
            "ORM operations, ms (best of rounds). Targets: Django/FastJango >= "
            f"{DJANGO_TARGET}x, FastJango/Core <= {CORE_TARGET}x"
        )
    )
    for column in ("operation", "FastJango", "Django", "Core", "Django/FJ", "FJ/Core"):
        table.add_column(column, justify="left" if column == "operation" else "right")

    def mark(ok: bool | None) -> str:
        return "" if ok is None else (" ok" if ok else " MISS")

    for row in rows:
        ratio = row["django_over_fastjango"]
        table.add_row(
            row["label"],
            f"{row['fastjango_ms']:.3f}",
            f"{row['django_ms']:.3f}" if row["django_ms"] else "-",
            f"{row['core_ms']:.3f}",
            (f"{ratio:.2f}x" + mark(row["meets_django_target"])) if ratio else "-",
            f"{row['fastjango_over_core']:.2f}x" + mark(row["meets_core_target"]),
        )
    console.print(table)


def run_orm_suite(
    rounds: int, repeat: int, include_django: bool, console: Any, out_dir: Path, stamp: str
) -> list[dict[str, Any]]:
    """Measure, print the table and save ``orm-<stamp>.json``; return the rows."""
    console.print(
        f"ORM: FastJango vs Django vs SQLAlchemy Core on one SQLite file, {rounds} rounds, "
        f"up to {repeat} repetitions per operation"
    )
    load_before = os.getloadavg()
    best = measure_orm(rounds, repeat, include_django)
    rows = orm_rows(best)
    print_orm_table(rows, console)
    (out_dir / f"orm-{stamp}.json").write_text(
        json.dumps(
            {
                "when": stamp,
                "when_iso": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "versions": orm_versions(include_django),
                "settings": {"rounds": rounds, "repeat": repeat},
                "load_before": load_before,
                "load_after": os.getloadavg(),
                "rows": rows,
            },
            indent=2,
        )
    )
    return rows


if __name__ == "__main__":
    argv = sys.argv[1:]
    if len(argv) < 2 or argv[0] != "--side" or argv[1] not in SIDES:
        sides = "|".join(SIDES)
        sys.exit(f"usage: python -m benchmarks.orm_bench --side {sides} --sqlite FILE ...")
    side_main(argv[1], SIDES[argv[1]], argv[2:])
