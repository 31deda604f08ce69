from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from fastjango.core.management import call_command, load_command_class
from fastjango.core.management.base import CommandError
from fastjango.test.utils import override_settings

from .conftest import free_port, run_python, stop, subprocess_env, wait_for_http

PRODUCTION_ENV = {
    "FASTJANGO_DEBUG": "0",
    "FASTJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "FASTJANGO_SECRET_KEY": "a-long-and-random-production-secret-key-for-this-test-only-xyz",
}


def serve_command() -> object:
    return load_command_class("fastjango.core", "serve")


@override_settings(DEBUG=False, ALLOWED_HOSTS=["example.com"])
def test_server_options(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    command = serve_command()
    options = command.get_server_options(verbosity=1)  # type: ignore[attr-defined]
    assert options == {
        "app": "fastjango.core.asgi:get_asgi_application",
        "factory": True,
        "host": "127.0.0.1",
        "port": 8000,
        "workers": 1,
        "reload": False,
        "proxy_headers": False,
        "log_level": "info",
    }
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    options = command.get_server_options(  # type: ignore[attr-defined]
        host="0.0.0.0",
        port=9000,
        proxy_headers=True,
        forwarded_allow_ips="10.0.0.1,10.0.0.2",
        verbosity=0,
    )
    assert options["workers"] == 3
    assert (options["host"], options["port"]) == ("0.0.0.0", 9000)
    assert options["proxy_headers"] is True
    assert options["forwarded_allow_ips"] == "10.0.0.1,10.0.0.2"
    assert options["log_level"] == "warning"
    assert command.get_server_options(workers=5)["workers"] == 5  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("options", "env", "message"),
    [
        ({"workers": 0}, "1", "--workers must be at least 1, not 0."),
        ({}, "many", "WEB_CONCURRENCY must be a whole number of worker processes, not 'many'."),
        ({"port": 70000}, "1", "'70000' is not a valid port number."),
    ],
)
def test_server_option_errors(
    monkeypatch: pytest.MonkeyPatch, options: dict[str, int], env: str, message: str
) -> None:
    monkeypatch.setenv("WEB_CONCURRENCY", env)
    with pytest.raises(CommandError) as exc_info:
        serve_command().get_server_options(**options)  # type: ignore[attr-defined]
    assert str(exc_info.value) == message


@override_settings(DEBUG=True)
def test_serve_refuses_debug() -> None:
    with pytest.raises(CommandError, match="Refusing to serve with DEBUG on"):
        call_command("serve", stdout=io.StringIO())


@override_settings(DEBUG=False, ALLOWED_HOSTS=[])
def test_serve_needs_allowed_hosts() -> None:
    with pytest.raises(
        CommandError, match="You must set settings.ALLOWED_HOSTS if DEBUG is False."
    ):
        call_command("serve", stdout=io.StringIO())


def test_serve_with_workers(make_project: Callable[[str], Path]) -> None:
    root = make_project("mysite")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port), "--workers", "2"],
        cwd=root,
        env=subprocess_env(**PRODUCTION_ENV),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        status, _ = wait_for_http(f"http://127.0.0.1:{port}/nowhere/", proc)
    finally:
        output = stop(proc)
    assert status == 404
    assert f"Serving at http://127.0.0.1:{port}/ with 2 worker processes." in output
    assert "using settings 'mysite.settings'" in output
    assert output.count("Started server process") == 2


def test_serve_refuses_debug_from_the_command_line(make_project: Callable[[str], Path]) -> None:
    root = make_project("mysite")
    result = run_python(["manage.py", "serve"], root)
    assert result.returncode == 1
    assert result.stderr.startswith("CommandError: Refusing to serve with DEBUG on")


def test_serve_insecure_runs_checks_first(make_project: Callable[[str], Path]) -> None:
    root = make_project("mysite")
    settings_file = root / "mysite" / "settings.py"
    settings_file.write_text(settings_file.read_text() + "\nSTATIC_URL = 'static'\n")
    result = run_python(["manage.py", "serve", "--insecure"], root)
    assert result.returncode == 1
    assert "?: (urls.E006) The STATIC_URL setting must end with a slash." in result.stderr
