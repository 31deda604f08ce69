"""Django's "django-admin and manage.py" page, for the commands FastJango has."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest

import fastjango
from fastjango.core.management import call_command
from fastjango.core.management.base import CommandError
from fastjango.core.management.commands.runserver import Command as RunserverCommand
from fastjango.test import override_settings

REPO = Path(__file__).resolve().parents[3]


def run(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("FASTJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    call_command("startproject", "mysite", str(tmp_path), verbosity=0)
    return tmp_path


def test_version_and_help(project: Path) -> None:
    assert run("manage.py", "version", cwd=project).stdout.strip() == fastjango.get_version()
    assert run("manage.py", "--version", cwd=project).stdout.strip() == fastjango.get_version()
    helped = run("manage.py", "help", cwd=project).stdout
    assert "Type 'manage.py help <subcommand>' for help on a specific subcommand." in helped
    assert "    check\n" in helped and "    startapp\n" in helped
    commands = run("manage.py", "help", "--commands", cwd=project).stdout.split()
    assert {"check", "diffsettings", "runserver", "shell", "startapp", "version"} <= set(commands)
    assert "usage: manage.py check" in run("manage.py", "help", "check", cwd=project).stdout
    unknown = run("manage.py", "chek", cwd=project)
    assert unknown.returncode == 1
    assert unknown.stderr == (
        "Unknown command: 'chek'. Did you mean check?\nType 'manage.py help' for usage.\n"
    )


def test_shell_command_and_stdin(project: Path) -> None:
    command = run(
        "manage.py", "shell", "-c", "import fastjango; print(fastjango.__version__)", cwd=project
    )
    assert command.stdout.strip() == fastjango.__version__
    piped = run("manage.py", "shell", cwd=project, stdin="print(6 * 7)\n")
    assert piped.stdout.strip() == "42"
    out = StringIO()
    call_command("shell", command="print('from call_command')", stdout=out)


def test_call_command_examples() -> None:
    out = StringIO()
    call_command("check", stdout=out)
    assert out.getvalue() == "System check identified no issues (0 silenced).\n"
    out = StringIO()
    call_command("version", stdout=out)
    assert out.getvalue().strip() == fastjango.get_version()
    with pytest.raises(CommandError, match="Unknown command: 'nope'"):
        call_command("nope")
    with pytest.raises(TypeError, match="Unknown option"):
        call_command("check", nonsense=True)


def test_check_with_app_labels_and_tags() -> None:
    out = StringIO()
    call_command("check", "--tag", "urls", stdout=out)
    assert "no issues" in out.getvalue()
    with pytest.raises(CommandError, match='There is no system check with the "nope" tag.'):
        call_command("check", tags=["nope"])
    with pytest.raises(CommandError, match="No installed app with label 'nope'"):
        call_command("check", "nope")
    out = StringIO()
    call_command("check", list_tags=True, stdout=out)
    assert "urls" in out.getvalue().split()


def test_diffsettings() -> None:
    out = StringIO()
    with override_settings(APPEND_SLASH=False):
        call_command("diffsettings", stdout=out)
    assert "APPEND_SLASH = False" in out.getvalue().splitlines()
    out = StringIO()
    call_command("diffsettings", all=True, stdout=out)
    lines = out.getvalue().splitlines()
    # Settings left at their default are marked with ###.
    assert "### APPEND_SLASH = True" in lines
    out = StringIO()
    with override_settings(APPEND_SLASH=False):
        call_command("diffsettings", output="unified", stdout=out)
    assert "- APPEND_SLASH = True" in out.getvalue().splitlines()
    assert "+ APPEND_SLASH = False" in out.getvalue().splitlines()


def test_startproject_and_startapp(tmp_path: Path) -> None:
    call_command("startproject", "mysite", str(tmp_path), verbosity=0)
    assert (tmp_path / "manage.py").is_file()
    assert (tmp_path / "mysite" / "settings.py").is_file()
    settings_text = (tmp_path / "mysite" / "settings.py").read_text()
    assert 'ROOT_URLCONF = "mysite.urls"' in settings_text
    assert "{{" not in settings_text
    with pytest.raises(CommandError, match="'1abc' is not a valid project name"):
        call_command("startproject", "1abc", str(tmp_path))
    with pytest.raises(CommandError, match="'os' conflicts with the name of an existing Python"):
        call_command("startproject", "os", str(tmp_path))
    with pytest.raises(CommandError, match="does not exist, please create it first"):
        call_command("startproject", "other", str(tmp_path / "missing"))
    app_dir = tmp_path / "apps" / "polls"
    app_dir.mkdir(parents=True)
    call_command("startapp", "polls", str(app_dir), verbosity=0)
    assert (app_dir / "apps.py").read_text().count('name = "polls"') == 1
    assert (app_dir / "migrations" / "__init__.py").is_file()
    with pytest.raises(CommandError, match="'my-app' is not a valid app name"):
        call_command("startapp", "my-app", str(tmp_path))


def test_custom_templates_extensions_and_names(tmp_path: Path) -> None:
    template = tmp_path / "tpl"
    (template / "app_name").mkdir(parents=True)
    (template / "app_name" / "hello.py-tpl").write_text("NAME = '{{ app_name }}'\n")
    (template / "README.md").write_text("# {{ app_name }}\n")
    (template / "Dockerfile").write_text("LABEL app={{ app_name }}\n")
    (template / "skip").mkdir()
    (template / "skip" / "x.txt").write_text("x")
    target = tmp_path / "out"
    target.mkdir()
    call_command(
        "startapp",
        "blog",
        str(target),
        template=str(template),
        extensions=["py", "md"],
        files=["Dockerfile"],
        exclude=["skip"],
        verbosity=0,
    )
    assert (target / "blog" / "hello.py").read_text() == "NAME = 'blog'\n"
    assert (target / "README.md").read_text() == "# blog\n"
    assert (target / "Dockerfile").read_text() == "LABEL app=blog\n"
    assert not (target / "skip").exists()


@pytest.mark.parametrize(
    ("addrport", "ipv6", "expected"),
    [
        (None, False, ("127.0.0.1", "8000", False)),
        ("7000", False, ("127.0.0.1", "7000", False)),
        ("1.2.3.4:8000", False, ("1.2.3.4", "8000", False)),
        ("0:8000", False, ("0.0.0.0", "8000", False)),
        ("localhost:8000", False, ("localhost", "8000", False)),
        ("[2001:0db8:1234:5678::9]:7000", False, ("2001:0db8:1234:5678::9", "7000", True)),
        ("7000", True, ("::1", "7000", True)),
    ],
)
def test_runserver_addrport_examples(
    addrport: str | None, ipv6: bool, expected: tuple[str, str, bool]
) -> None:
    assert RunserverCommand().parse_addrport(addrport, ipv6) == expected


@pytest.mark.parametrize(
    ("addrport", "message"),
    [
        ("abc:", "is not a valid port number or address:port pair"),
        ("99999", "'99999' is not a valid port number"),
        ("1.2.3.4:0", "'0' is not a valid port number"),
    ],
)
def test_runserver_bad_addrport(addrport: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        RunserverCommand().parse_addrport(addrport, False)


def test_runserver_needs_allowed_hosts_without_debug() -> None:
    with (
        override_settings(DEBUG=False, ALLOWED_HOSTS=[]),
        pytest.raises(CommandError, match="You must set settings.ALLOWED_HOSTS if DEBUG is False."),
    ):
        call_command("runserver", "--noreload")
