from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pytest

from fastjango.core.management import call_command, load_command_class
from fastjango.core.management.base import CommandError
from fastjango.core.management.commands.shell import AsyncConsole, run_source

from .conftest import run_python


def test_command_option_runs_code(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("shell", command="print(6 * 7)")
    assert capsys.readouterr().out == "42\n"


def test_command_option_supports_top_level_await(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("shell", command="import asyncio\nprint(await asyncio.sleep(0, result='ok'))")
    assert capsys.readouterr().out == "ok\n"


def test_run_source_namespace() -> None:
    namespace: dict[str, Any] = {}
    run_source("x = 1\ny = x + 1", namespace)
    assert namespace["y"] == 2


def test_async_console_top_level_await(capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, Any] = {}
    console = AsyncConsole(namespace)
    try:
        console.push("import asyncio")
        console.push("value = await asyncio.sleep(0, result=21)")
        console.push("value * 2")
        console.push("async def twice(n):")
        console.push("    return n * 2")
        console.push("")
        console.push("await twice(value)")
        console.push("1 / 0")
    finally:
        console.close()
    captured = capsys.readouterr()
    assert captured.out == "42\n42\n"
    assert "ZeroDivisionError" in captured.err
    assert namespace["value"] == 21


def test_plain_python_interface(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    startup = tmp_path / "startup.py"
    startup.write_text("FROM_STARTUP = 5\nraise_it = 1 / 0 if False else None\n")
    monkeypatch.setenv("PYTHONSTARTUP", str(startup))
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.pythonrc.py there
    monkeypatch.setattr(
        sys,
        "stdin",
        io.StringIO("import asyncio\nprint(await asyncio.sleep(0, result=FROM_STARTUP))\n"),
    )
    call_command("shell", interface="python", verbosity=2)
    captured = capsys.readouterr()
    # input() writes its ">>> " prompts to stdout when stdin is not a terminal.
    assert captured.out.replace(">>> ", "") == "5\n"
    assert "FastJango 0.1.0 shell: use 'await' directly." in captured.err
    # Names from the startup file are not counted as automatic imports.
    assert "0 objects imported automatically (use -v 2 for details)." in captured.err


def test_startup_file_errors_are_printed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    startup = tmp_path / "startup.py"
    startup.write_text("1 / 0\n")
    monkeypatch.setenv("PYTHONSTARTUP", str(startup))
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    call_command("shell", interface="python")
    err = capsys.readouterr().err
    assert "ZeroDivisionError" in err
    monkeypatch.setattr(sys, "stdin", io.StringIO("print(FROM)\n"))
    startup.write_text("FROM = 'startup'\n")
    call_command("shell", interface="python", no_startup=True)
    assert "NameError: name 'FROM' is not defined" in capsys.readouterr().err


def test_auto_imports_message(registry_ready: None) -> None:
    command = load_command_class("fastjango.core", "shell")
    namespace = command.get_namespace()  # type: ignore[attr-defined]
    assert namespace["__name__"] == "__main__"
    message = command._imports_message(["Book"], {"verbosity": 1})  # type: ignore[attr-defined]
    assert message == "1 object imported automatically (use -v 2 for details)."
    message = command._imports_message(["A", "B"], {"verbosity": 2})  # type: ignore[attr-defined]
    assert message == "2 objects imported automatically: A, B."
    assert command._imports_message([], {"no_imports": True}) == ""  # type: ignore[attr-defined]


def test_auto_imports_models(registry_ready: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from fastjango.apps import apps

    class Book:
        pass

    monkeypatch.setattr(apps, "get_models", lambda: [Book])
    command = load_command_class("fastjango.core", "shell")
    assert command.get_namespace()["Book"] is Book  # type: ignore[attr-defined]
    assert "Book" not in command.get_namespace(no_imports=True)  # type: ignore[attr-defined]
    monkeypatch.setattr(apps, "ready", False)
    assert command.get_auto_imports() == {}  # type: ignore[attr-defined]


def test_ipython_missing_is_a_command_error() -> None:
    # IPython is not a dependency; the plain console is the fallback.
    import importlib.util

    if importlib.util.find_spec("IPython") is None:
        with pytest.raises(CommandError, match="Couldn't import ipython interface."):
            call_command("shell", interface="ipython")
    else:  # pragma: no cover - only where IPython happens to be installed
        pytest.skip("IPython is installed")


def test_piped_stdin_is_executed(tmp_path: Path) -> None:
    code = "from fastjango.core.management import execute_from_command_line as e; e()"
    source = "import asyncio\nprint(await asyncio.sleep(0, result='piped'))\nprint(__name__)\n"
    result = run_python(
        ["-c", code, "shell"], tmp_path, input=source, FASTJANGO_SETTINGS_MODULE="tests.settings"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "piped\n__main__\n"


def test_console_lets_system_exit_through() -> None:
    console = AsyncConsole({})
    try:
        with pytest.raises(SystemExit):
            console.push("raise SystemExit(3)")
    finally:
        console.close()


def test_ipython_interface_gets_the_namespace(monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    calls: list[dict[str, Any]] = []
    fake = types.ModuleType("IPython")
    fake.start_ipython = lambda **kwargs: calls.append(kwargs)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", fake)
    call_command("shell", interface="ipython")
    assert calls[0]["argv"] == []
    assert calls[0]["user_ns"]["__name__"] == "__main__"


def test_piped_stdin_in_process(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    from fastjango.core.management.commands.shell import _piped_stdin

    read_fd, write_fd = os.pipe()
    with open(read_fd, encoding="utf-8") as reader:
        monkeypatch.setattr(sys, "stdin", reader)
        assert _piped_stdin() is None  # an open pipe with nothing waiting
        os.write(write_fd, b"print('from the pipe')\n")
        os.close(write_fd)
        call_command("shell")
    assert capsys.readouterr().out == "from the pipe\n"
