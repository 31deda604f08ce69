from __future__ import annotations

from pathlib import Path

import pytest

from fastjango.core.management import ManagementUtility, execute_from_command_line

from .conftest import run_python


def run(argv: list[str]) -> int:
    try:
        execute_from_command_line(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


@pytest.mark.usefixtures("command_apps")
def test_help_lists_commands_by_app(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["manage.py", "help"]) == 0
    out = capsys.readouterr().out
    assert "Type 'manage.py help <subcommand>' for help on a specific subcommand." in out
    # Other packages add core commands too: check the group, not its exact neighbours.
    core = out.split("[fastjango]\n", 1)[1].split("\n\n", 1)[0].split()
    assert {"check", "diffsettings", "runserver", "shell", "startapp"} <= set(core)
    assert core == sorted(core)
    assert "[cmdapp]\n    agreet\n    greet\n    required\n    subcmd\n    version\n" in out
    assert "[otherapp]\n    checked\n" in out
    assert run(["manage.py"]) == 0
    assert capsys.readouterr().out == out
    assert run(["manage.py", "--help"]) == 0
    assert capsys.readouterr().out == out


@pytest.mark.usefixtures("command_apps")
def test_help_commands_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["manage.py", "help", "--commands"]) == 0
    names = capsys.readouterr().out.split()
    assert names == sorted(names)
    assert "agreet" in names and "check" in names


@pytest.mark.usefixtures("command_apps")
def test_help_for_a_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["manage.py", "help", "greet"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: manage.py greet")
    assert "Greets people." in out


@pytest.mark.usefixtures("registry_ready")
def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["fastjango-admin", "--version"]) == 0
    assert capsys.readouterr().out == "0.1.0\n"
    assert run(["fastjango-admin", "version"]) == 0
    assert capsys.readouterr().out == "0.1.0\n"


@pytest.mark.usefixtures("command_apps")
def test_unknown_command_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["manage.py", "gret"]) == 1
    assert capsys.readouterr().err == (
        "Unknown command: 'gret'. Did you mean greet?\nType 'manage.py help' for usage.\n"
    )
    assert run(["manage.py", "zzzzzz"]) == 1
    assert capsys.readouterr().err == (
        "Unknown command: 'zzzzzz'\nType 'manage.py help' for usage.\n"
    )


@pytest.mark.usefixtures("command_apps")
def test_runs_a_command_from_argv(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["manage.py", "greet", "ann", "--shout"]) == 0
    assert capsys.readouterr().out == "HELLO ANN\n"
    assert run(["manage.py", "greet", "--fail", "3"]) == 3
    assert capsys.readouterr().err == "CommandError: greeting failed\n"
    assert run(["manage.py", "version"]) == 0
    assert capsys.readouterr().out == "cmdapp version\n"
    assert run(["manage.py", "greet", "--bogus"]) == 2
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err


def test_prog_name_for_python_m() -> None:
    assert ManagementUtility(["/x/__main__.py"]).prog_name == "python -m fastjango"
    assert ManagementUtility(["/x/manage.py"]).prog_name == "manage.py"


@pytest.mark.usefixtures("registry_ready")
def test_bad_leading_option_is_left_to_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    # "--settings" without a value can't be pre-parsed; the command reports it.
    assert run(["manage.py", "version", "--settings"]) == 2
    assert "expected one argument" in capsys.readouterr().err


def test_main_help_text_notes_broken_settings() -> None:
    utility = ManagementUtility(["manage.py"])
    utility.settings_exception = RuntimeError("boom")
    text = utility.main_help_text()
    assert "Note that only FastJango core commands are listed" in text
    assert "(error: boom)" in text


# Settings are per process, so what depends on them runs in a fresh interpreter.


def test_no_settings_lists_core_commands_and_says_why(tmp_path: Path) -> None:
    code = "from fastjango.core.management import execute_from_command_line as e; e()"
    result = run_python(["-c", code, "help"], tmp_path)
    assert result.returncode == 0
    assert "[fastjango]" in result.stdout
    assert "Note that only FastJango core commands are listed" in result.stdout
    assert "settings are not configured" in result.stdout
    result = run_python(["-c", code, "nosuch"], tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        "No FastJango settings specified.\nUnknown command: 'nosuch'\nType '-c help' for usage.\n"
    )


def test_settings_and_pythonpath_options(tmp_path: Path) -> None:
    settings_dir = tmp_path / "elsewhere"
    (settings_dir / "alt").mkdir(parents=True)
    (settings_dir / "alt" / "__init__.py").write_text("")
    (settings_dir / "alt" / "conf.py").write_text(
        "DEBUG = True\nSECRET_KEY = 'x'\nINSTALLED_APPS = []\nTIME_ZONE = 'UTC'\n"
        "ROOT_URLCONF = None\nMARKER = 'from alt'\n"
    )
    code = "from fastjango.core.management import execute_from_command_line as e; e()"
    args = ["-c", code, "diffsettings", "--settings", "alt.conf"]
    result = run_python([*args, "--pythonpath", str(settings_dir)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "MARKER = 'from alt'  ###" in result.stdout
    assert "SETTINGS_MODULE = 'alt.conf'  ###" in result.stdout


def test_broken_settings_module_is_reported(tmp_path: Path) -> None:
    code = "from fastjango.core.management import execute_from_command_line as e; e()"
    result = run_python(["-c", code, "nosuch"], tmp_path, FASTJANGO_SETTINGS_MODULE="no.such.mod")
    assert result.returncode == 1
    assert "ImproperlyConfigured" in result.stderr
    assert "no.such.mod" in result.stderr
