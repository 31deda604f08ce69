"""Where FastJango's time goes: sample the running code with py-spy and add it up per layer.

``python -m benchmarks --suite profile`` (py-spy in the main venv:
``.venv/bin/pip install py-spy``):

- HTTP: each FastJango server (sync and async views, default middleware)
  runs as in the HTTP suite, pinned to core 0, under wrk on core 1; py-spy
  (also on core 1, non-blocking) samples the thread holding the GIL while
  the server is loaded. With 40 view threads on one core, "not idle" would
  count threads that merely wait for the CPU; the GIL holder is the one
  running Python. C code that releases the GIL (SQLite executing a query,
  waiting on a socket) is therefore outside these shares.
- ORM: each operation of the ORM suite's FastJango side loops in its own
  process while py-spy samples it; only samples inside the timed loop count
  (not start-up, not the untimed cleanup of inserts).

A sample's layer is that of the innermost frame whose file belongs to a known
layer (``LAYERS``; first match wins), so time in the standard library or in a
helper is charged to the layer that called it. In the ORM profiles idle
threads are not sampled (py-spy's default), so shares are of the CPU time of
the (one) working thread, C included.
"""

from __future__ import annotations

import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

#: (layer, file path fragments) in priority order: the first layer that names a frame's file wins
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("hydration", ("fastjango/db/models/sql/hydration.py",)),
    (
        "ORM compile",
        (
            "fastjango/db/models/sql/",
            "fastjango/db/models/lookups.py",
            "fastjango/db/models/expressions.py",
            "fastjango/db/models/query_utils.py",
        ),
    ),
    ("SQLAlchemy statement", ("sqlalchemy/sql/",)),
    (
        "DB driver",
        (
            "sqlalchemy/",
            "sqlite3/",
            "aiosqlite/",
            "psycopg/",
            "psycopg_pool/",
            "asyncpg/",
            "greenlet",
            "fastjango/db/backends/",
            "fastjango/db/utils.py",
            "fastjango/db/transaction.py",
            "fastjango/db/__init__.py",
        ),
    ),
    (
        # Fields are left out on purpose: their methods run for whichever layer calls them.
        "ORM shell",
        tuple(
            f"fastjango/db/models/{name}"
            for name in (
                "query.py",
                "manager.py",
                "base.py",
                "plans.py",
                "deletion.py",
                "prefetch.py",
                "raw.py",
                "fields/related_descriptors.py",
            )
        ),
    ),
    ("template", ("jinja2/", "markupsafe/", "fastjango/template/")),
    ("serialisation", ("orjson", "json/", "fastjango/http/response.py", "fastjango/core/serial")),
    ("view", ("fj_project/views.py", "bench/models.py")),
    ("middleware", ("fastjango/middleware/", "starlette/middleware/")),
    (
        "dispatch",
        (
            "fastjango/core/handlers/",
            "fastjango/core/asgi.py",
            "fastjango/urls/",
            "fastjango/http/",
            "fastjango/utils/asyncio.py",
            "fastjango/dispatch/",
            "fastjango/conf/",
            "fastjango/shortcuts.py",
            "starlette/",
            "fastapi/",
        ),
    ),
    (
        "server",
        (
            "uvicorn/",
            "httptools/",
            "uvloop/",
            "asyncio/",
            "anyio/",
            "h11/",
            "concurrent/futures/",
            "threading.py",
            "selectors.py",
        ),
    ),
]
#: layers in the order the README reports them
REPORT_ORDER = [
    "server",
    "middleware",
    "dispatch",
    "view",
    "ORM shell",
    "ORM compile",
    "SQLAlchemy statement",
    "DB driver",
    "hydration",
    "serialisation",
    "template",
    "other",
]

_FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^()]*?)(?::\d+)?\)$")


def layer_of(frame_file: str) -> str | None:
    """Return the layer a source file belongs to, or None for the standard library & co."""
    for layer, fragments in LAYERS:
        if any(fragment in frame_file for fragment in fragments):
            return layer
    return None


def classify(frames: list[str]) -> str:
    """Return the layer of one sample (``frames`` root first, as py-spy writes them)."""
    for frame in reversed(frames):
        match = _FRAME.match(frame)
        layer = layer_of(match.group("file") if match else frame)
        if layer:
            return layer
    return "other"


def tally(
    lines: Iterable[str], must_have: str | None = None, must_not_have: Iterable[str] = ()
) -> collections.Counter[str]:
    """Add up py-spy ``raw`` lines per layer.

    Only samples with a frame containing ``must_have`` count, and none with a
    frame containing any of ``must_not_have``.
    """
    counts: collections.Counter[str] = collections.Counter()
    excluded = tuple(must_not_have)
    for line in lines:
        stack, _, number = line.rstrip("\n").rpartition(" ")
        if not stack or not number.isdigit():
            continue
        frames = stack.split(";")
        if must_have and not any(must_have in frame for frame in frames):
            continue
        if any(word in frame for frame in frames for word in excluded):
            continue
        counts[classify(frames)] += int(number)
    return counts


def shares(counts: collections.Counter[str]) -> dict[str, float]:
    """Return each layer's percent of all samples, in report order."""
    total = sum(counts.values()) or 1
    return {layer: 100 * counts[layer] / total for layer in REPORT_ORDER if counts[layer]}


def py_spy() -> str:
    """Return the py-spy executable, or fail saying how to install it."""
    candidate = Path(sys.executable).with_name("py-spy")
    found = str(candidate) if candidate.exists() else shutil.which("py-spy")
    if not found:
        raise RuntimeError("the profile suite needs py-spy: `.venv/bin/pip install py-spy`")
    return found


def _pinned(command: list[str], core: int) -> list[str]:
    return ["taskset", "-c", str(core), *command] if shutil.which("taskset") else command


def record_pid(pid: int, seconds: int, out: Path, rate: int = 250) -> None:
    """Sample the GIL holder of ``pid`` for ``seconds`` into ``out`` (raw format), from core 1."""
    command = [py_spy(), "record", "--pid", str(pid), "--duration", str(seconds), "--gil"]
    command += ["--rate", str(rate), "--format", "raw", "--nonblocking", "--output", str(out)]
    subprocess.run(
        _pinned(command, 1), capture_output=True, check=True, timeout=seconds + 60, text=True
    )


def profile_http(
    backends: list[str], seconds: int, connections: int, workdir: Path
) -> list[dict[str, Any]]:
    """Profile FastJango's servers on /json, /db and /html; return one row per run."""
    from benchmarks.runner import all_apps, check_response, ensure_wrk, fetch, serve, wrk
    from benchmarks.seed import seed

    ensure_wrk()
    databases = {backend: seed(backend, workdir) for backend in backends}
    apps = [app for app in all_apps(False) if app.name in ("fastjango", "fastjango-async")]
    rows: list[dict[str, Any]] = []
    for app in apps:
        for endpoint in ("json", "db", "html"):
            for backend in backends if endpoint != "json" else backends[:1]:
                path = app.endpoints[endpoint]
                with serve(app, databases[backend], path) as (port, pid):
                    url = f"http://127.0.0.1:{port}{path}"
                    check_response(endpoint, *fetch(url))
                    wrk(url, 2, connections)  # warm-up
                    out = workdir / f"{app.name}-{endpoint}-{backend}.txt"
                    load = subprocess.Popen(
                        _pinned(["wrk", "-t1", f"-c{connections}", f"-d{seconds + 2}s", url], 1),
                        stdout=subprocess.PIPE,
                        text=True,
                    )
                    try:
                        time.sleep(1)
                        record_pid(pid, seconds, out)
                    finally:
                        output, _ = load.communicate(timeout=seconds + 30)
                    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
                    rps = float(match.group(1)) if match else 0.0
                    counts = tally(out.read_text().splitlines())
                    rows.append(
                        {
                            "what": f"{app.name} /{endpoint}",
                            "db": backend if endpoint != "json" else "-",
                            "rps_while_sampled": rps,
                            "samples": sum(counts.values()),
                            "shares": shares(counts),
                        }
                    )
                    print(f"  profiled {app.name} /{endpoint} {backend}", flush=True)
    return rows


def profile_orm(seconds: int, workdir: Path) -> list[dict[str, Any]]:
    """Profile each FastJango operation of the ORM suite; return one row per operation."""
    from benchmarks.orm_common import OPERATIONS
    from benchmarks.seed import seed_sqlite

    path = workdir / "orm.sqlite3"
    seed_sqlite(path)
    rows: list[dict[str, Any]] = []
    for name, label in OPERATIONS.items():
        out = workdir / f"orm-{name}.txt"
        command = [py_spy(), "record", "--rate", "500", "--format", "raw", "--output", str(out)]
        command += ["--", sys.executable, "-m", "benchmarks.orm_bench", "--side", "fastjango"]
        command += ["--sqlite", str(path), "--loop", name, "--seconds", str(seconds)]
        subprocess.run(
            command,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            check=True,
            timeout=seconds + 120,
        )
        lines = out.read_text().splitlines()
        loop_frame = "repeat_async" if name.endswith("_async") else "loop_for"
        counts = tally(lines, must_have=loop_frame, must_not_have=("cleanup (",))
        rows.append(
            {
                "what": label,
                "op": name,
                "samples": sum(counts.values()),
                "shares": shares(counts),
            }
        )
        print(f"  profiled ORM {name}", flush=True)
    return rows


def print_shares(title: str, rows: list[dict[str, Any]], console: Any) -> None:
    from rich.table import Table

    present = [layer for layer in REPORT_ORDER if any(layer in row["shares"] for row in rows)]
    table = Table(title=title)
    table.add_column("what")
    for layer in present:
        table.add_column(layer, justify="right")
    for row in rows:
        label = row["what"] + (f" ({row['db']})" if row.get("db", "-") != "-" else "")
        cells = [
            f"{row['shares'][layer]:.0f}%" if layer in row["shares"] else "" for layer in present
        ]
        table.add_row(label, *cells)
    console.print(table)


def run_profile_suite(
    backends: list[str], seconds: int, connections: int, console: Any, out_dir: Path, stamp: str
) -> dict[str, Any]:
    """Profile HTTP and ORM, print both tables and save ``profile-<stamp>.json``."""
    console.print("Profile: where FastJango's time goes (py-spy samples per layer)")
    load_before = os.getloadavg()
    # BENCH_PROFILE_KEEP=<dir> keeps py-spy's raw samples there, to drill into one layer.
    keep = os.environ.get("BENCH_PROFILE_KEEP")
    workdir = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="fastjango-profile-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        http = profile_http(backends, seconds, connections, workdir)
        orm = profile_orm(seconds, workdir)
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print_shares("HTTP: share of the server's Python time (GIL holder) per layer", http, console)
    print_shares("ORM: share of samples per layer (FastJango side, SQLite)", orm, console)
    report = {
        "when": stamp,
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "settings": {"seconds": seconds, "connections": connections, "db": backends},
        "http": http,
        "orm": orm,
    }
    (out_dir / f"profile-{stamp}.json").write_text(json.dumps(report, indent=2))
    return report
