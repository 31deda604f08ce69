"""Fixtures for the management tests: app registries, projects made by startproject."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import fastjango
from fastjango.apps import apps
from fastjango.core.management import call_command, get_commands

REPO_ROOT = Path(fastjango.__file__).resolve().parent.parent


@pytest.fixture
def registry_ready() -> None:
    """Populate the app registry from the test settings (idempotent)."""
    fastjango.setup()


@pytest.fixture
def installed_apps(registry_ready: None) -> Iterator[Callable[..., None]]:
    """Install apps for one test: ``installed_apps("a", "b")``; restored afterwards."""
    depth = 0

    def install(*names: str) -> None:
        nonlocal depth
        apps.set_installed_apps(list(names))
        depth += 1
        get_commands.cache_clear()

    yield install
    for _ in range(depth):
        apps.unset_installed_apps()
    get_commands.cache_clear()


@pytest.fixture
def command_apps(installed_apps: Callable[..., None]) -> None:
    """Install the two test apps that ship management commands."""
    installed_apps("tests.core.management.cmdapp", "tests.core.management.otherapp")


def subprocess_env(**extra: str) -> dict[str, str]:
    """Return an environment for running FastJango in a child interpreter."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FASTJANGO_", "PYTEST_", "COV_CORE")) and key != "NO_COLOR"
    }
    env["PYTHONPATH"] = str(REPO_ROOT)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def run_python(
    args: list[str], cwd: Path, input: str | None = None, timeout: float = 60, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run ``python <args>`` in ``cwd`` and return the finished process."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=subprocess_env(**env),
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[[str], Path]:
    """Create a project with startproject in tmp_path; return the dir holding manage.py."""

    def make(name: str = "mysite") -> Path:
        target = tmp_path / name
        target.mkdir()
        call_command("startproject", name, str(target), stdout=io.StringIO())
        return target

    return make


@pytest.fixture
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test with tmp_path as the working directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def free_port() -> int:
    """Return a TCP port that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_http(url: str, proc: subprocess.Popen[str], timeout: float = 20) -> tuple[int, str]:
    """Poll ``url`` until it answers; return (status, body). Fail if ``proc`` dies first."""
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode}:\n{stop(proc)}")
        try:
            response = httpx.get(url, timeout=1)
        except httpx.TransportError:
            time.sleep(0.1)
            continue
        return response.status_code, response.text
    pytest.fail(f"{url} did not answer within {timeout} s")


def save_until(
    save: Callable[[], None],
    url: str,
    proc: subprocess.Popen[str],
    done: Callable[[int, str], bool],
    timeout: float = 30,
) -> tuple[int, str]:
    """Call ``save()`` (again every 1.5 s) until ``url`` answers in a way ``done`` accepts.

    uvicorn's reloader starts watching a moment after the server process starts,
    so a single early edit can go unseen.
    """
    import httpx

    deadline = time.monotonic() + timeout
    saved_at = 0.0
    status, body = 0, ""
    while time.monotonic() < deadline:
        if time.monotonic() - saved_at > 1.5:
            save()
            saved_at = time.monotonic()
        if proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode}:\n{stop(proc)}")
        try:
            response = httpx.get(url, timeout=1)
        except httpx.TransportError:
            time.sleep(0.1)
            continue
        status, body = response.status_code, response.text
        if done(status, body):
            return status, body
        time.sleep(0.1)
    pytest.fail(f"{url} still answers {status} {body!r} after {timeout} s")


def stop(proc: subprocess.Popen[str], timeout: float = 10) -> str:
    """Stop a server started with start_new_session=True; return everything it printed."""
    import signal

    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=timeout)
    if proc.stdout is None:
        return ""
    with proc.stdout:
        return proc.stdout.read()
