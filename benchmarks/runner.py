"""Run each app in its own server process, load it with wrk, and collect the numbers.

Method: one server process pinned to core 0, wrk pinned to core 1, a warm-up run,
then ``rounds`` measured runs interleaved across apps; median req/s, p99 latency and
the server's RSS after load. Endpoints that read the database run once per
database (each server started with that database's environment). Only 127.0.0.1;
every run is bounded in time.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.apps.data import EXPECTED_PAGE, PAGE

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
APPS = HERE / "apps"
VENVS = HERE / ".venvs"
DJANGO_REQUIREMENTS = ["django>=5.2,<5.3", "gunicorn", "uvicorn[standard]", "psycopg[binary,pool]"]
#: endpoints that read the database: run once per database
DB_ENDPOINTS = frozenset({"db", "html"})


@dataclass(frozen=True)
class App:
    """One server to benchmark: how to start it and which endpoints it serves."""

    name: str
    command: Callable[[int], list[str]]
    endpoints: dict[str, str]  # our endpoint name -> the app's path
    cwd: Path = ROOT
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Result:
    app: str
    endpoint: str
    db: str = "-"  # the database of a DB endpoint, "-" for the others
    rps: list[float] = field(default_factory=list)
    p99_ms: list[float] = field(default_factory=list)
    rss_mib: float = 0.0
    errors: int = 0

    @property
    def median_rps(self) -> float:
        return statistics.median(self.rps) if self.rps else 0.0

    @property
    def median_p99(self) -> float:
        return statistics.median(self.p99_ms) if self.p99_ms else 0.0


def _uvicorn(python: str, target: str, *extra: str) -> Callable[[int], list[str]]:
    def command(port: int) -> list[str]:
        return [
            python,
            "-m",
            "uvicorn",
            target,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--no-access-log",
            "--log-level",
            "warning",
            "--loop",
            "uvloop",
            "--http",
            "httptools",
            *extra,
        ]

    return command


def _gunicorn(python: str, target: str) -> Callable[[int], list[str]]:
    def command(port: int) -> list[str]:
        return [
            python,
            "-m",
            "gunicorn",
            target,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ]

    return command


def django_python() -> str:
    """Return the Python of the Django virtual environment, creating it on first use."""
    venv = VENVS / "django"
    python = venv / "bin" / "python"
    if not python.exists():
        print("Creating the Django virtual environment (once)...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    probe = "import django, gunicorn, uvicorn, psycopg, psycopg_pool"
    if subprocess.run([str(python), "-c", probe], capture_output=True).returncode:
        print("Installing Django and its servers into benchmarks/.venvs/django...", flush=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", *DJANGO_REQUIREMENTS], check=True
        )
    return str(python)


def all_apps(include_django: bool) -> list[App]:
    python = sys.executable
    fj_cwd = APPS / "fj_project"
    fj_env = {"PYTHONPATH": f"{fj_cwd}{os.pathsep}{ROOT}"}
    endpoints = {"json": "/json", "db": "/db", "html": "/html"}
    apps = [
        App(
            "fastjango",
            _uvicorn(python, "fj_project.asgi:application"),
            endpoints,
            fj_cwd,
            {**fj_env, "FASTJANGO_SETTINGS_MODULE": "fj_project.settings"},
        ),
        App(
            "fastjango-async",
            _uvicorn(python, "fj_project.asgi:application"),
            {"json": "/json-async", "db": "/db-async", "html": "/html-async"},
            fj_cwd,
            {**fj_env, "FASTJANGO_SETTINGS_MODULE": "fj_project.settings"},
        ),
        App(
            "fastjango-nomw",
            _uvicorn(python, "fj_project.asgi:application"),
            endpoints,
            fj_cwd,
            {**fj_env, "FASTJANGO_SETTINGS_MODULE": "fj_project.settings_nomw"},
        ),
        App(
            "fastjango-cache",
            _uvicorn(python, "fj_project.asgi:application"),
            {"slow": "/slow", "slow+locmem": "/slow-locmem", "slow+redis": "/slow-redis"},
            fj_cwd,
            {**fj_env, "FASTJANGO_SETTINGS_MODULE": "fj_project.settings"},
        ),
        App("fastapi", _uvicorn(python, "benchmarks.apps.fastapi_app:app"), endpoints),
        App(
            "fastapi-sync",
            _uvicorn(python, "benchmarks.apps.fastapi_app:app"),
            {"db": "/db-sync", "html": "/html-sync"},
        ),
        App("starlette", _uvicorn(python, "benchmarks.apps.starlette_app:app"), endpoints),
    ]
    if include_django:
        dj_python = django_python()
        dj_cwd = APPS / "django_project"
        dj_env = {"DJANGO_SETTINGS_MODULE": "django_project.settings"}
        apps += [
            App(
                "django",
                _gunicorn(dj_python, "django_project.wsgi:application"),
                endpoints,
                dj_cwd,
                {**dj_env, "BENCH_DJANGO_SERVER": "wsgi"},
            ),
            App(
                "django-asgi",
                _uvicorn(dj_python, "django_project.asgi:application"),
                endpoints,
                dj_cwd,
                {**dj_env, "BENCH_DJANGO_SERVER": "asgi"},
            ),
        ]
    return apps


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str, timeout: float = 2.0) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return int(response.status), bytes(response.read())


@contextmanager
def serve(app: App, db_env: dict[str, str], probe: str | None = None) -> Iterator[tuple[int, int]]:
    """Start ``app`` on the database ``db_env`` names, pinned to core 0; yield (port, pid).

    The server is stopped on exit. ``probe`` is the path polled until it answers.
    """
    port = _free_port()
    env = {**os.environ, **db_env, **app.env}
    command = app.command(port)
    if shutil.which("taskset"):
        command = ["taskset", "-c", "0", *command]
    # A file, not a pipe: a server that logs a lot under load must never block on stderr.
    stderr = tempfile.TemporaryFile()
    process = subprocess.Popen(
        command,
        cwd=app.cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        first_path = probe or next(iter(app.endpoints.values()))
        while True:
            if process.poll() is not None:
                stderr.seek(0)
                error = stderr.read().decode(errors="replace")
                raise RuntimeError(f"{app.name} exited on start-up:\n{error}")
            try:
                fetch(f"http://127.0.0.1:{port}{first_path}", timeout=0.5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{app.name} did not answer within 30 s") from None
                time.sleep(0.1)
        yield port, _server_pid(process.pid)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        stderr.close()


def _server_pid(pid: int) -> int:
    # uvicorn/gunicorn with one worker: the process that serves is the deepest child.
    for _ in range(5):
        children = Path(f"/proc/{pid}/task/{pid}/children")
        try:
            kids = children.read_text().split()
        except OSError:
            return pid
        if not kids:
            return pid
        pid = int(kids[-1])
    return pid


def rss_mib(pid: int) -> float:
    """Return the resident memory of ``pid`` in MiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def check_response(endpoint: str, status: int, body: bytes) -> None:
    """Fail loudly when an app answers something other than what the benchmark expects."""
    if status != 200:
        raise AssertionError(f"{endpoint}: status {status}")
    if endpoint == "json":
        if json.loads(body) != {"message": "Hello, World!"}:
            raise AssertionError(f"json: unexpected body {body[:200]!r}")
    elif endpoint.startswith("slow"):
        if body != b"computed":
            raise AssertionError(f"{endpoint}: unexpected body {body[:200]!r}")
    elif endpoint == "db":
        if json.loads(body) != EXPECTED_PAGE:
            raise AssertionError(f"db: not the {PAGE} expected rows: {body[:300]!r}")
    elif endpoint == "html":
        text = body.decode()
        rows_ok = text.count("<tr>") == PAGE and f"<td>{PAGE}</td>" in text
        # Jinja2 writes " as &#34;, Django's templates as &quot;: both are escaped.
        escaped = (
            f"Book &lt;{PAGE}&gt; &amp;" in text and "<7>" not in text and '"friends"' not in text
        )
        if not (rows_ok and escaped):
            raise AssertionError(f"html: rows missing or not escaped: {text[:300]!r}")


_LATENCY = re.compile(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_RPS = re.compile(r"^Requests/sec:\s+([\d.]+)", re.M)
_ERRORS = re.compile(r"Non-2xx or 3xx responses: (\d+)|Socket errors: connect (\d+), read (\d+)")


def wrk(url: str, seconds: int, connections: int) -> tuple[float, float, int]:
    """Load ``url`` with wrk on core 1; return (req/s, p99 in ms, error count)."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if shutil.which("taskset"):
        command = ["taskset", "-c", "1", *command]
    output = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 30, check=True
    ).stdout
    rps_match = _RPS.search(output)
    latency_match = _LATENCY.search(output)
    if not rps_match or not latency_match:
        raise RuntimeError(f"could not read wrk's output:\n{output}")
    value, unit = float(latency_match.group(1)), latency_match.group(2)
    p99 = value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    errors = sum(int(n) for match in _ERRORS.finditer(output) for n in match.groups() if n)
    return float(rps_match.group(1)), p99, errors


def ensure_wrk() -> None:
    """Install wrk from Debian's packages when it is missing."""
    if shutil.which("wrk"):
        return
    print("Installing wrk from Debian's packages...", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)


def _servers(
    app: App, endpoints: list[str], databases: dict[str, dict[str, str]]
) -> Iterator[tuple[str, dict[str, str], list[str]]]:
    """Yield (database, its environment, endpoints to load) for each server of ``app``.

    Endpoints that don't read the database run on the first database's server only.
    """
    mine = [endpoint for endpoint in endpoints if endpoint in app.endpoints]
    plain = [endpoint for endpoint in mine if endpoint not in DB_ENDPOINTS]
    reading = [endpoint for endpoint in mine if endpoint in DB_ENDPOINTS]
    for index, (backend, db_env) in enumerate(databases.items()):
        chosen = (plain if index == 0 else []) + reading
        if chosen:
            yield backend, db_env, chosen


def run(
    apps: list[App],
    endpoints: list[str],
    seconds: int,
    rounds: int,
    connections: int,
    databases: dict[str, dict[str, str]],
) -> list[Result]:
    """Benchmark every app on every endpoint and database; rounds are interleaved across apps.

    ``databases`` maps each database to the environment that points a server at
    it (from ``benchmarks.seed.seed``).
    """
    results: dict[tuple[str, str, str], Result] = {}
    for round_number in range(rounds):
        for app in apps:
            for backend, db_env, chosen in _servers(app, endpoints, databases):
                probe = app.endpoints[chosen[0]]
                with serve(app, db_env, probe) as (port, pid):
                    for endpoint in chosen:
                        db = backend if endpoint in DB_ENDPOINTS else "-"
                        url = f"http://127.0.0.1:{port}{app.endpoints[endpoint]}"
                        check_response(endpoint, *fetch(url))
                        if round_number == 0:
                            wrk(url, max(1, seconds // 2), connections)  # warm-up
                        rps, p99, errors = wrk(url, seconds, connections)
                        result = results.setdefault(
                            (app.name, endpoint, db), Result(app.name, endpoint, db)
                        )
                        result.rps.append(rps)
                        result.p99_ms.append(p99)
                        result.errors += errors
                        result.rss_mib = max(result.rss_mib, rss_mib(pid))
                        print(
                            f"  round {round_number + 1}/{rounds} {app.name:<16} {endpoint:<6} "
                            f"{db:<10} {rps:>9.0f} req/s  p99 {p99:7.2f} ms",
                            flush=True,
                        )
    return list(results.values())
