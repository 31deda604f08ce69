"""``python -m benchmarks``: run the suites (http, cache, orm; profile on request), print tables."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.apps.data import BACKENDS
from benchmarks.cache_bench import CacheRow, run_cache
from benchmarks.orm_bench import run_orm_suite
from benchmarks.profiling import run_profile_suite
from benchmarks.runner import (
    DB_ENDPOINTS,
    HERE,
    Result,
    all_apps,
    django_python,
    ensure_wrk,
    run,
)
from benchmarks.seed import seed

ENDPOINTS = ["json", "db", "html", "slow", "slow+locmem", "slow+redis"]
SUITES = ["http", "cache", "orm", "profile"]
DEFAULT_SUITES = ["http", "cache", "orm"]  # profile is a diagnosis, run on request


def _versions(include_django: bool) -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in (
        "fastjango",
        "fastapi",
        "starlette",
        "uvicorn",
        "jinja2",
        "orjson",
        "sqlalchemy",
        "aiosqlite",
        "psycopg",
        "asyncpg",
    ):
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "?"
    if include_django:
        code = (
            "import django, gunicorn, psycopg; "
            "print(django.get_version(), gunicorn.__version__, psycopg.__version__)"
        )
        out = subprocess.run(
            [django_python(), "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
        versions["django"], versions["gunicorn"], versions["django-venv psycopg"] = out
    return versions


def check_load(console: Console) -> tuple[float, float, float]:
    """Return the load average, warning when the machine is busy enough to skew numbers."""
    load = os.getloadavg()
    cores = os.cpu_count() or 1
    if load[0] > 0.5:
        console.print(
            f"[yellow]Load average {load[0]:.2f} on {cores} cores: other work is running, "
            "numbers from this run are from a loaded machine.[/yellow]"
        )
    return load


def _ratio(value: float, base: float | None) -> str:
    return f"{value / base:.2f}x" if base else "-"


def print_table(results: list[Result], console: Console) -> None:
    by_key = {(r.app, r.endpoint, r.db): r for r in results}
    table = Table(title="req/s (median of rounds), p99 latency, RSS after load")
    left = ("endpoint", "db", "app")
    for column in (*left, "req/s", "p99 ms", "RSS MiB", "vs django", "vs fastapi"):
        table.add_column(column, justify="left" if column in left else "right")
    sections = [(e, "-") for e in ENDPOINTS if e not in DB_ENDPOINTS]
    sections += [(e, db) for e in ENDPOINTS if e in DB_ENDPOINTS for db in BACKENDS]
    for endpoint, db in sections:
        django = by_key.get(("django", endpoint, db))
        fastapi = by_key.get(("fastapi", endpoint, db))
        rows = [r for r in results if r.endpoint == endpoint and r.db == db]
        for result in rows:
            table.add_row(
                endpoint,
                db,
                result.app + (f" ({result.errors} errors)" if result.errors else ""),
                f"{result.median_rps:,.0f}",
                f"{result.median_p99:.2f}",
                f"{result.rss_mib:.0f}",
                _ratio(result.median_rps, django.median_rps if django else None),
                _ratio(result.median_rps, fastapi.median_rps if fastapi else None),
            )
        if rows:
            table.add_section()
    console.print(table)


def print_cache_table(rows: list[CacheRow], console: Console) -> None:
    raw = {(r.backend, r.mode): r for r in rows if r.client == "raw"}
    table = Table(title="cache operations per second (median of rounds)")
    for column in ("backend", "api", "client", "set/s", "get/s", "vs raw client"):
        table.add_column(
            column, justify="left" if column in ("backend", "api", "client") else "right"
        )
    for row in rows:
        base = raw.get((row.backend, row.mode))
        ratio = "-"
        if base and row.client != "raw" and row.set_ops and row.get_ops:
            # How many times slower than the raw client, on the slower of the two operations.
            ratio = f"{max(base.set_ops / row.set_ops, base.get_ops / row.get_ops):.2f}x"
        table.add_row(
            row.backend,
            row.mode,
            row.client + (f" ({row.note})" if row.note else ""),
            f"{row.set_ops:,.0f}",
            f"{row.get_ops:,.0f}",
            ratio,
        )
    console.print(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--seconds", type=int, default=10, help="length of each run (10)")
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds per app (3)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (32)")
    parser.add_argument("--apps", nargs="*", help="only these apps (default: all)")
    parser.add_argument("--endpoints", nargs="*", default=ENDPOINTS, choices=ENDPOINTS)
    parser.add_argument(
        "--db",
        nargs="*",
        default=list(BACKENDS),
        choices=BACKENDS,
        help="databases for the db and html endpoints (both)",
    )
    parser.add_argument("--no-django", action="store_true", help="skip the Django apps")
    parser.add_argument(
        "--suite",
        nargs="*",
        default=DEFAULT_SUITES,
        choices=SUITES,
        help="which suites (http cache orm; profile only when named)",
    )
    parser.add_argument(
        "--repeat", type=int, default=30, help="orm suite: timed repetitions per round (30)"
    )
    args = parser.parse_args(argv)
    if not args.db:
        parser.error("--db needs at least one of: " + ", ".join(BACKENDS))
    # Piped output (CI logs, `| tee`) gets a table wide enough not to wrap every cell.
    console = Console() if sys.stdout.isatty() else Console(width=180)
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    check_load(console)
    if "cache" in args.suite:
        console.print("Cache operations: FastJango backends vs the raw clients")
        load_before = os.getloadavg()
        cache_rows = run_cache(rounds=args.rounds)
        print_cache_table(cache_rows, console)
        (out_dir / f"cache-{stamp}.json").write_text(
            json.dumps(
                {
                    "when": stamp,
                    "versions": _versions(False),
                    "load_before": load_before,
                    "load_after": os.getloadavg(),
                    "rows": [vars(r) for r in cache_rows],
                },
                indent=2,
            )
        )
    if "orm" in args.suite:
        run_orm_suite(args.rounds, args.repeat, not args.no_django, console, out_dir, stamp)
    if "profile" in args.suite:
        run_profile_suite(args.db, args.seconds, args.connections, console, out_dir, stamp)
    if "http" not in args.suite:
        return 0

    ensure_wrk()
    include_django = not args.no_django and (
        not args.apps or any(name.startswith("django") for name in args.apps)
    )
    apps = [
        app
        for app in all_apps(include_django)
        if (not args.apps or app.name in args.apps)
        and any(endpoint in app.endpoints for endpoint in args.endpoints)
    ]
    if not apps:
        parser.error("no app selected")
    console.print(
        f"{len(apps)} apps x {len(args.endpoints)} endpoints on {', '.join(args.db)}, "
        f"{args.rounds} rounds of {args.seconds}s, {args.connections} connections"
    )
    workdir = Path(tempfile.mkdtemp(prefix="fastjango-bench-"))
    load_before = os.getloadavg()
    try:
        # Seed once per run per database; every server of the run reads the same rows.
        # Without a db endpoint, the servers still need one database to point at.
        reading = any(endpoint in DB_ENDPOINTS for endpoint in args.endpoints)
        databases = {
            backend: seed(backend, workdir) for backend in args.db[: None if reading else 1]
        }
        results = run(apps, args.endpoints, args.seconds, args.rounds, args.connections, databases)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print_table(results, console)
    path = out_dir / f"http-{stamp}.json"
    path.write_text(
        json.dumps(
            {
                "when": stamp,
                "versions": _versions(include_django),
                "load_before": load_before,
                "load_after": os.getloadavg(),
                "settings": vars(args),
                "results": [
                    {
                        "app": r.app,
                        "endpoint": r.endpoint,
                        "db": r.db,
                        "rps": r.rps,
                        "median_rps": r.median_rps,
                        "p99_ms": r.p99_ms,
                        "median_p99_ms": r.median_p99,
                        "rss_mib": r.rss_mib,
                        "errors": r.errors,
                    }
                    for r in results
                ],
            },
            indent=2,
        )
    )
    shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
    console.print(f"Results written to {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
