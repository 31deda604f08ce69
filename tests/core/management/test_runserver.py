from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from fastjango.core.management import call_command, load_command_class
from fastjango.core.management.base import CommandError
from fastjango.test.utils import override_settings

from .conftest import free_port, run_python, save_until, stop, subprocess_env, wait_for_http

STAND_IN_APP = """
import os

BODY = "first"


async def application(scope, receive, send):
    if scope["type"] != "http":
        return
    body = f"{BODY} {os.environ.get('FASTJANGO_SETTINGS_MODULE')}".encode()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})
"""


def runserver_command() -> object:
    return load_command_class("fastjango.core", "runserver")


@pytest.mark.parametrize(
    ("addrport", "use_ipv6", "expected"),
    [
        (None, False, ("127.0.0.1", "8000", False)),
        (None, True, ("::1", "8000", True)),
        ("7000", False, ("127.0.0.1", "7000", False)),
        ("0.0.0.0:8001", False, ("0.0.0.0", "8001", False)),
        ("0:8002", False, ("0.0.0.0", "8002", False)),
        ("[::1]:8003", False, ("::1", "8003", True)),
        ("[2001:db8::1]:80", False, ("2001:db8::1", "80", True)),
        ("localhost:8004", False, ("localhost", "8004", False)),
        ("test.example.com:8005", True, ("test.example.com", "8005", True)),
    ],
)
def test_parse_addrport(
    addrport: str | None, use_ipv6: bool, expected: tuple[str, str, bool]
) -> None:
    assert runserver_command().parse_addrport(addrport, use_ipv6) == expected  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("addrport", "use_ipv6", "message"),
    [
        ("abc", False, '"abc" is not a valid port number or address:port pair.'),
        ("127.0.0.1:", False, '"127.0.0.1:" is not a valid port number or address:port pair.'),
        ("[::1]8000", False, '"[::1]8000" is not a valid port number or address:port pair.'),
        ("70000", False, "'70000' is not a valid port number."),
        ("0", False, "'0' is not a valid port number."),
        ("1.2.3.4:8000", True, '"1.2.3.4" is not a valid IPv6 address.'),
    ],
)
def test_parse_addrport_errors(addrport: str, use_ipv6: bool, message: str) -> None:
    with pytest.raises(CommandError) as exc_info:
        runserver_command().parse_addrport(addrport, use_ipv6)  # type: ignore[attr-defined]
    assert str(exc_info.value) == message


def test_ipv6_unsupported(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    monkeypatch.setattr(socket, "has_ipv6", False)
    with pytest.raises(CommandError, match="Your Python does not support IPv6."):
        runserver_command().parse_addrport(None, True)  # type: ignore[attr-defined]


def test_server_options(registry_ready: None) -> None:
    command = runserver_command()
    command.addr, command.port = "127.0.0.1", "9000"  # type: ignore[attr-defined]
    options = command.get_server_options(use_reloader=True, verbosity=1)  # type: ignore[attr-defined]
    assert options["app"] == "fastjango.core.asgi:get_asgi_application"
    assert options["factory"] is True
    assert (options["host"], options["port"], options["reload"]) == ("127.0.0.1", 9000, True)
    assert options["log_level"] == "info"
    # The reloader watches the directory holding the settings package.
    assert options["reload_dirs"] == [str(Path(__file__).resolve().parents[3])]
    with override_settings(ASGI_APPLICATION="mysite.asgi.application"):
        options = command.get_server_options(use_reloader=False, verbosity=2)  # type: ignore[attr-defined]
    assert (options["app"], options["factory"]) == ("mysite.asgi:application", False)
    assert options["reload"] is False and "reload_dirs" not in options
    assert options["log_level"] == "debug"
    with override_settings(ASGI_APPLICATION="application"):
        with pytest.raises(CommandError, match="ASGI_APPLICATION 'application' isn't a dotted"):
            command.get_server_options()  # type: ignore[attr-defined]


@override_settings(DEBUG=False, ALLOWED_HOSTS=[])
def test_runserver_needs_allowed_hosts_without_debug() -> None:
    with pytest.raises(
        CommandError, match="You must set settings.ALLOWED_HOSTS if DEBUG is False."
    ):
        call_command("runserver", stdout=io.StringIO())


def test_runserver_rejects_bad_address_before_starting() -> None:
    with pytest.raises(CommandError, match='"nope:x" is not a valid port number'):
        call_command("runserver", "nope:x", stdout=io.StringIO())


def test_runserver_help_hides_verbosity(capsys: pytest.CaptureFixture[str]) -> None:
    runserver_command().print_help("manage.py", "runserver")  # type: ignore[attr-defined]
    out = capsys.readouterr().out
    assert "--noreload" in out and "--nostatic" in out and "--ipv6" in out
    assert "--verbosity" not in out


def start_server(root: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=root,
        env=subprocess_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def test_runserver_serves_the_project(make_project: Callable[[str], Path]) -> None:
    root = make_project("mysite")
    # The app template's view, URLconf and page, wired in as its comments say.
    (root / "polls").mkdir()
    call_command("startapp", "polls", str(root / "polls"), stdout=io.StringIO())
    settings_file = root / "mysite" / "settings.py"
    settings_file.write_text(settings_file.read_text() + "\nINSTALLED_APPS = ['polls']\n")
    (root / "mysite" / "urls.py").write_text(
        "from fastjango.urls import include, path\n\n"
        "urlpatterns = [path('polls/', include('polls.urls'))]\n"
    )
    port = free_port()
    proc = start_server(root, "runserver", f"127.0.0.1:{port}", "--noreload")
    try:
        status, body = wait_for_http(f"http://127.0.0.1:{port}/polls/", proc)
        missing, _ = wait_for_http(f"http://127.0.0.1:{port}/nowhere/", proc)
    finally:
        output = stop(proc)
    assert status == 200
    assert "<h1>It works!</h1>" in body and "<title>polls</title>" in body
    assert missing == 404
    assert (
        "Performing system checks...\n\nSystem check identified no issues (0 silenced).\n" in output
    )
    assert "FastJango version 0.1.0, using settings 'mysite.settings'\n" in output
    assert f"Starting ASGI server at http://127.0.0.1:{port}/\n" in output
    assert "Quit the server with CONTROL-C.\n" in output
    assert "WARNING: This is a development server." in output


def test_runserver_announces_unapplied_migrations(make_project: Callable[[str], Path]) -> None:
    root = make_project("mysite")
    (root / "polls").mkdir()
    call_command("startapp", "polls", str(root / "polls"), stdout=io.StringIO())
    (root / "polls" / "models.py").write_text(
        "from fastjango.db import models\n\n\n"
        "class Question(models.Model):\n"
        "    question_text = models.CharField(max_length=200)\n"
    )
    settings_file = root / "mysite" / "settings.py"
    settings_file.write_text(settings_file.read_text() + "\nINSTALLED_APPS = ['polls']\n")
    made = run_python(["manage.py", "makemigrations", "polls"], root)
    assert made.returncode == 0, made.stderr
    port = free_port()
    proc = start_server(root, "runserver", f"127.0.0.1:{port}", "--noreload")
    try:
        # The notice comes before the server starts: it is in the output once it answers.
        wait_for_http(f"http://127.0.0.1:{port}/", proc)
    finally:
        output = stop(proc)
    assert (
        "System check identified no issues (0 silenced).\n\n"
        "You have 1 unapplied migration(s). Your project may not work properly until you "
        "apply the migrations for app(s): polls.\n"
        "Run 'python manage.py migrate' to apply them.\n"
    ) in output
    assert f"Starting ASGI server at http://127.0.0.1:{port}/\n" in output


def test_runserver_reloader_gets_settings_and_reloads(make_project: Callable[[str], Path]) -> None:
    root = make_project("mysite")
    app_module = root / "mysite" / "asgi.py"
    app_module.write_text(STAND_IN_APP)
    port = free_port()
    proc = start_server(root, "runserver", str(port), "--skip-checks")
    try:
        status, body = wait_for_http(f"http://127.0.0.1:{port}/", proc)
        assert (status, body) == (200, "first mysite.settings")
        counter = iter(range(1000))

        def edit() -> None:
            app_module.write_text(STAND_IN_APP.replace('"first"', f'"second {next(counter)}"'))

        _, body = save_until(
            edit, f"http://127.0.0.1:{port}/", proc, lambda _, text: text.startswith("second")
        )
    finally:
        output = stop(proc)
    assert body.startswith("second") and body.endswith(" mysite.settings")
    assert "WatchFiles detected changes in 'mysite/asgi.py'. Reloading..." in output
    assert "Performing system checks" not in output
    assert "Starting ASGI server at" in output


def test_runserver_starts_reloader_despite_broken_app(
    make_project: Callable[[str], Path],
) -> None:
    root = make_project("mysite")
    (root / "brokenapp").mkdir()
    init = root / "brokenapp" / "__init__.py"
    init.write_text("raise RuntimeError('brokenapp is broken on purpose')\n")
    settings_file = root / "mysite" / "settings.py"
    settings_file.write_text(settings_file.read_text() + "\nINSTALLED_APPS = ['brokenapp']\n")
    (root / "mysite" / "asgi.py").write_text(STAND_IN_APP)
    port = free_port()
    proc = start_server(root, "runserver", str(port))
    try:
        time.sleep(1)
        assert proc.poll() is None  # still running, waiting for the fix

        def fix() -> None:
            init.write_text("")

        status, _ = save_until(fix, f"http://127.0.0.1:{port}/", proc, lambda *_: True)
        assert status == 200
    finally:
        output = stop(proc)
    assert "RuntimeError: brokenapp is broken on purpose" in output
    assert "Performing system checks" not in output


@override_settings(SETTINGS_MODULE="tests.settings")
def test_runserver_with_configured_settings_needs_a_module(
    registry_ready: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastjango.conf import settings

    command = runserver_command()
    # settings.configure() leaves SETTINGS_MODULE unset; a child process can't see them.
    with override_settings(SETTINGS_MODULE=None):
        with pytest.raises(CommandError, match="needs a settings module"):
            command.run(use_reloader=True)  # type: ignore[attr-defined]
    assert settings.SETTINGS_MODULE == "tests.settings"
    assert os.environ["FASTJANGO_SETTINGS_MODULE"] == "tests.settings"


@override_settings(SETTINGS_MODULE="tests.settings")
def test_export_settings_module(monkeypatch: pytest.MonkeyPatch) -> None:
    from fastjango.core.management._server import export_settings_module

    monkeypatch.setenv("FASTJANGO_SETTINGS_MODULE", "something.else")
    export_settings_module()
    assert os.environ["FASTJANGO_SETTINGS_MODULE"] == "tests.settings"


def test_project_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fastjango.core.management._server import project_root

    # A settings module that is a plain top-level module, not inside a package.
    (tmp_path / "flat_settings_for_root.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    with override_settings(SETTINGS_MODULE="flat_settings_for_root"):
        assert project_root() == str(tmp_path)
    monkeypatch.chdir(tmp_path)
    with override_settings(SETTINGS_MODULE=None):
        assert project_root() == str(tmp_path)


def test_server_url() -> None:
    from fastjango.core.management._server import server_url

    assert server_url("127.0.0.1", 8000) == "http://127.0.0.1:8000/"
    assert server_url("::1", "8000") == "http://[::1]:8000/"
    assert server_url("example.com", 443, "https") == "https://example.com:443/"
