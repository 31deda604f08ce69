"""``python -m benchmarks``: load every app with wrk and print the comparison table."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import platform
import subprocess
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.cache_bench import CacheRow, run_cache
from benchmarks.runner import HERE, Result, all_apps, django_python, ensure_wrk, run

ENDPOINTS = ["json", "html", "slow", "slow+locmem", "slow+redis"]
SUITES = ["http", "cache"]


def _versions(include_django: bool) -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in ("fastjango", "fastapi", "starlette", "uvicorn", "jinja2", "orjson"):
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "?"
    if include_django:
        code = "import django, gunicorn; print(django.get_version(), gunicorn.__version__)"
        out = subprocess.run(
            [django_python(), "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
        versions["django"], versions["gunicorn"] = out
    return versions


def _ratio(value: float, base: float | None) -> str:
    return f"{value / base:.2f}x" if base else "-"


def print_table(results: list[Result], console: Console) -> None:
    by_key = {(r.app, r.endpoint): r for r in results}
    table = Table(title="req/s (median of rounds), p99 latency, RSS after load")
    for column in ("endpoint", "app", "req/s", "p99 ms", "RSS MiB", "vs django", "vs fastapi"):
        table.add_column(column, justify="left" if column in ("endpoint", "app") else "right")
    for endpoint in ENDPOINTS:
        django = by_key.get(("django", endpoint))
        fastapi = by_key.get(("fastapi", endpoint))
        for result in results:
            if result.endpoint != endpoint:
                continue
            table.add_row(
                endpoint,
                result.app + (f" ({result.errors} errors)" if result.errors else ""),
                f"{result.median_rps:,.0f}",
                f"{result.median_p99:.2f}",
                f"{result.rss_mib:.0f}",
                _ratio(result.median_rps, django.median_rps if django else None),
                _ratio(result.median_rps, fastapi.median_rps if fastapi else None),
            )
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
    parser.add_argument("--no-django", action="store_true", help="skip the Django apps")
    parser.add_argument(
        "--suite", nargs="*", default=SUITES, choices=SUITES, help="which suites (all)"
    )
    args = parser.parse_args(argv)
    console = Console()
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    if "cache" in args.suite:
        console.print("Cache operations: FastJango backends vs the raw clients")
        cache_rows = run_cache(rounds=args.rounds)
        print_cache_table(cache_rows, console)
        (out_dir / f"cache-{stamp}.json").write_text(
            json.dumps(
                {
                    "when": stamp,
                    "versions": _versions(False),
                    "rows": [vars(r) for r in cache_rows],
                },
                indent=2,
            )
        )
    if "http" not in args.suite:
        return 0

    ensure_wrk()
    include_django = not args.no_django and (
        not args.apps or any(name.startswith("django") for name in args.apps)
    )
    apps = [app for app in all_apps(include_django) if not args.apps or app.name in args.apps]
    if not apps:
        parser.error("no app selected")
    console.print(
        f"{len(apps)} apps x {len(args.endpoints)} endpoints, {args.rounds} rounds of "
        f"{args.seconds}s, {args.connections} connections"
    )
    results = run(apps, args.endpoints, args.seconds, args.rounds, args.connections)
    print_table(results, console)
    path = out_dir / f"http-{stamp}.json"
    path.write_text(
        json.dumps(
            {
                "when": stamp,
                "versions": _versions(include_django),
                "settings": vars(args),
                "results": [
                    {
                        "app": r.app,
                        "endpoint": r.endpoint,
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
