from __future__ import annotations

import asyncio
import io
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from fastjango.apps import apps
from fastjango.core import checks
from fastjango.core.management import call_command
from fastjango.core.management.base import (
    AppCommand,
    BaseCommand,
    CommandError,
    CommandParser,
    LabelCommand,
    OutputWrapper,
    SystemCheckError,
    handle_default_options,
    no_translations,
)
from fastjango.test.utils import override_settings


class TTY(io.StringIO):
    def isatty(self) -> bool:
        return True


class Echo(BaseCommand):
    help = "Echo the arguments."
    requires_system_checks: Sequence[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("args", nargs="*")
        parser.add_argument("--upper", action="store_true")

    def handle(self, *args: Any, **options: Any) -> str:
        text = " ".join(args)
        return text.upper() if options["upper"] else text


class SQLCommand(BaseCommand):
    output_transaction = True
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> str:
        return "SELECT 1;"


@pytest.fixture
def isolated_checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[checks.CheckRegistry]:
    """Swap in an empty check registry, so tests control exactly which checks run."""
    registry = checks.CheckRegistry()
    monkeypatch.setattr(checks, "run_checks", registry.run_checks)
    yield registry


def test_command_error_returncode() -> None:
    assert CommandError("x").returncode == 1
    assert CommandError("x", returncode=3).returncode == 3
    assert issubclass(SystemCheckError, CommandError)
    assert checks.SystemCheckError is SystemCheckError
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        checks.nope  # noqa: B018


def test_output_wrapper_adds_ending_and_styles_only_ttys() -> None:
    out = io.StringIO()
    wrapper = OutputWrapper(out)
    wrapper.write("line")
    wrapper.write("kept\n")
    wrapper.write("no ending", ending="")
    wrapper.style_func = str.upper  # ignored: not a terminal
    wrapper.write("plain")
    assert out.getvalue() == "line\nkept\nno endingplain\n"
    tty = TTY()
    styled = OutputWrapper(tty, ending="!")
    styled.style_func = str.upper
    styled.write("hi")
    styled.write("there", style_func=lambda s: f"<{s}>")
    styled.flush()
    assert tty.getvalue() == "HI!<there!>"
    assert styled.getvalue() == "HI!<there!>"  # other attributes reach the stream


def test_output_wrapper_closed_stream_is_not_a_tty() -> None:
    closed = io.StringIO()
    closed.close()
    assert OutputWrapper(closed).isatty() is False
    assert OutputWrapper(object()).isatty() is False


def test_no_color_and_force_color_conflict() -> None:
    with pytest.raises(CommandError, match="'no_color' and 'force_color' can't be used together"):
        Echo(no_color=True, force_color=True)
    with pytest.raises(CommandError, match="--no-color and --force-color"):
        call_command(Echo(), no_color=True, force_color=True)


def test_force_color_and_no_color_styles() -> None:
    command = Echo(stdout=io.StringIO(), no_color=True)
    assert command.style.ERROR("x") == "x"
    command = Echo(stdout=io.StringIO(), force_color=True)
    assert command.style.ERROR("x") != "x"
    command = Echo(stdout=io.StringIO())
    call_command(command, "a", force_color=True)
    assert command.style.ERROR("x") != "x"
    call_command(command, "a", no_color=True)
    assert command.style.ERROR("x") == "x"


def test_requires_system_checks_must_be_a_list() -> None:
    class Bad(BaseCommand):
        requires_system_checks = "security"

    with pytest.raises(TypeError, match="requires_system_checks must be a list or tuple"):
        Bad()


def test_execute_writes_output_and_returns_it() -> None:
    out = io.StringIO()
    assert call_command(Echo(), "a", "b", upper=True, stdout=out) == "A B"
    assert out.getvalue() == "A B\n"


def test_output_transaction_wraps_in_begin_commit() -> None:
    out = io.StringIO()
    call_command(SQLCommand(), stdout=out)
    assert out.getvalue() == "BEGIN;\nSELECT 1;\nCOMMIT;\n"


def test_async_handle_runs_to_completion() -> None:
    class AsyncCommand(BaseCommand):
        requires_system_checks: list[str] = []

        async def handle(self, *args: Any, **options: Any) -> str:
            await asyncio.sleep(0)
            return "done"

    out = io.StringIO()
    assert call_command(AsyncCommand(), stdout=out) == "done"
    assert out.getvalue() == "done\n"


@pytest.mark.anyio
async def test_async_handle_from_a_running_loop() -> None:
    class AsyncCommand(BaseCommand):
        requires_system_checks: list[str] = []

        async def handle(self, *args: Any, **options: Any) -> str:
            return "inside"

    assert call_command(AsyncCommand(), stdout=io.StringIO()) == "inside"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def test_base_handle_must_be_overridden() -> None:
    with pytest.raises(NotImplementedError, match="must provide a handle"):
        call_command(BaseCommand(), skip_checks=True)


def test_create_parser_help_and_common_options(capsys: pytest.CaptureFixture[str]) -> None:
    command = Echo()
    command.print_help("manage.py", "echo")
    help_text = capsys.readouterr().out
    assert help_text.startswith("usage: manage.py echo")
    assert "Echo the arguments." in help_text
    # The command's own options come before the common ones.
    assert help_text.index("--upper") < help_text.index("--settings")
    assert "--skip-checks" not in help_text  # requires_system_checks is empty
    assert "--skip-checks" in Echo.__mro__[1]().create_parser("m", "x").format_help()


def test_suppressed_base_arguments_hidden_from_help() -> None:
    class Quiet(Echo):
        suppressed_base_arguments = {"--verbosity", "--traceback"}

    help_text = Quiet().create_parser("manage.py", "quiet").format_help()
    assert "--verbosity" not in help_text
    assert "--traceback" not in help_text
    assert "--settings" in help_text


def test_version_option(capsys: pytest.CaptureFixture[str]) -> None:
    parser = Echo().create_parser("manage.py", "echo")
    with pytest.raises(SystemExit):
        parser.parse_args(["--version"])
    assert capsys.readouterr().out.strip() == "0.1.0"


def test_parser_errors_raise_command_error_outside_the_command_line() -> None:
    parser = Echo().create_parser("", "echo")
    with pytest.raises(CommandError, match="Error: unrecognized arguments: --bogus"):
        parser.parse_args(["--bogus"])


def test_parser_errors_exit_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    parser = CommandParser(prog="x", called_from_command_line=True)
    with pytest.raises(SystemExit) as exc_info:
        parser.parse_args(["--bogus"])
    assert exc_info.value.code == 2
    assert "unrecognized arguments" in capsys.readouterr().err


def test_missing_args_message() -> None:
    parser = CommandParser(missing_args_message="Give me a label.")
    parser.add_argument("label")
    with pytest.raises(CommandError, match="Error: Give me a label."):
        parser.parse_args([])


def test_run_from_argv_reports_command_error(capsys: pytest.CaptureFixture[str]) -> None:
    class Failing(BaseCommand):
        requires_system_checks: list[str] = []

        def handle(self, *args: Any, **options: Any) -> None:
            raise CommandError("it broke", returncode=4)

    with pytest.raises(SystemExit) as exc_info:
        Failing().run_from_argv(["manage.py", "failing"])
    assert exc_info.value.code == 4
    assert capsys.readouterr().err == "CommandError: it broke\n"
    with pytest.raises(CommandError, match="it broke"):
        Failing().run_from_argv(["manage.py", "failing", "--traceback"])


def test_run_from_argv_parses_and_handles_default_options(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setattr(sys, "path", list(sys.path))
    Echo().run_from_argv(["manage.py", "echo", "x", "y", "--pythonpath", str(tmp_path)])
    assert capsys.readouterr().out == "x y\n"
    assert sys.path[0] == str(tmp_path)


def test_handle_default_options_sets_settings_module(monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse

    monkeypatch.setenv("FASTJANGO_SETTINGS_MODULE", "tests.settings")
    handle_default_options(argparse.Namespace(settings="other.settings", pythonpath=None))
    import os

    assert os.environ["FASTJANGO_SETTINGS_MODULE"] == "other.settings"


def test_check_reports_no_issues(isolated_checks: checks.CheckRegistry) -> None:
    out, err = io.StringIO(), io.StringIO()
    command = Echo(stdout=out, stderr=err)
    command.check(display_num_errors=True)
    assert out.getvalue() == "System check identified no issues (0 silenced).\n"
    assert err.getvalue() == ""
    command.check()
    assert out.getvalue().count("\n") == 1  # nothing more without display_num_errors


def _register_issues(registry: checks.CheckRegistry) -> None:
    @registry.register("demo")
    def issues(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
        return [
            checks.Warning("watch out", hint="do something", obj="thing", id="demo.W001"),
            checks.Info("fyi", id="demo.I001"),
            checks.Debug("details", id="demo.D001"),
            checks.Warning("silenced one", id="demo.W002"),
        ]


@override_settings(SILENCED_SYSTEM_CHECKS=["demo.W002"])
def test_check_warnings_go_to_stderr(isolated_checks: checks.CheckRegistry) -> None:
    _register_issues(isolated_checks)
    out, err = io.StringIO(), io.StringIO()
    Echo(stdout=out, stderr=err).check(display_num_errors=True)
    assert out.getvalue() == ""
    assert err.getvalue() == (
        "System check identified some issues:\n"
        "\n"
        "WARNINGS:\n"
        "thing: (demo.W001) watch out\n"
        "\tHINT: do something\n"
        "\n"
        "INFOS:\n"
        "?: (demo.I001) fyi\n"
        "\n"
        "DEBUGS:\n"
        "?: (demo.D001) details\n"
        "\n"
        "System check identified 3 issues (1 silenced).\n"
    )


def test_check_errors_raise_system_check_error(isolated_checks: checks.CheckRegistry) -> None:
    @isolated_checks.register()
    def failing(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
        return [
            checks.Error("bad", id="demo.E001"),
            checks.Critical("worse", id="demo.C001"),
        ]

    with pytest.raises(SystemCheckError) as exc_info:
        Echo(stdout=io.StringIO()).check(display_num_errors=True)
    assert str(exc_info.value) == (
        "SystemCheckError: System check identified some issues:\n"
        "\n"
        "CRITICALS:\n"
        "?: (demo.C001) worse\n"
        "\n"
        "ERRORS:\n"
        "?: (demo.E001) bad\n"
        "\n"
        "System check identified 2 issues (0 silenced)."
    )


def test_fail_level_warning(isolated_checks: checks.CheckRegistry) -> None:
    _register_issues(isolated_checks)
    with pytest.raises(SystemCheckError, match="4 issues"):
        Echo(stdout=io.StringIO()).check(
            display_num_errors=True, fail_level=checks.WARNING, tags=["demo"]
        )


def test_execute_runs_checks_unless_skipped(isolated_checks: checks.CheckRegistry) -> None:
    calls: list[Any] = []

    @isolated_checks.register("chosen")
    def chosen(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
        calls.append("chosen")
        return []

    @isolated_checks.register("other")
    def other(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
        calls.append("other")
        return []

    class All(Echo):
        requires_system_checks = "__all__"

    class Tagged(Echo):
        requires_system_checks = ["chosen"]

    call_command(All(), stdout=io.StringIO())
    assert calls == []  # call_command skips checks by default
    call_command(All(), stdout=io.StringIO(), skip_checks=False)
    assert calls == ["chosen", "other"]
    calls.clear()
    call_command(Tagged(), stdout=io.StringIO(), skip_checks=False)
    assert calls == ["chosen"]


def test_run_from_argv_prints_system_check_error(
    isolated_checks: checks.CheckRegistry, capsys: pytest.CaptureFixture[str]
) -> None:
    @isolated_checks.register()
    def failing(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
        return [checks.Error("bad", id="demo.E001")]

    class All(Echo):
        requires_system_checks = "__all__"

    with pytest.raises(SystemExit) as exc_info:
        All().run_from_argv(["manage.py", "all"])
    assert exc_info.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("SystemCheckError: System check identified some issues:")
    assert "?: (demo.E001) bad" in err


def test_requires_migrations_checks_is_accepted() -> None:
    class Migrating(Echo):
        requires_migrations_checks = True

    assert call_command(Migrating(), "ok", stdout=io.StringIO()) == "ok"


def test_label_command(capsys: pytest.CaptureFixture[str]) -> None:
    class Labels(LabelCommand):
        label = "thing"
        requires_system_checks: list[str] = []

        def handle_label(self, label: str, **options: Any) -> str | None:
            return None if label == "skip" else f"<{label}>"

    command = Labels()
    assert command.missing_args_message == "Enter at least one thing."
    assert call_command(command, "a", "skip", "b", stdout=io.StringIO()) == "<a>\n<b>"
    with pytest.raises(CommandError, match="Error: Enter at least one thing."):
        call_command(Labels())
    with pytest.raises(NotImplementedError, match="handle_label"):
        call_command(LabelCommand(), "x", skip_checks=True)


def test_app_command(installed_apps: Any) -> None:
    installed_apps("tests.core.management.cmdapp", "tests.core.management.otherapp")

    class Apps(AppCommand):
        requires_system_checks: list[str] = []

        def handle_app_config(self, app_config: Any, **options: Any) -> str | None:
            return None if app_config.label == "otherapp" else app_config.name

    out = io.StringIO()
    assert call_command(Apps(), "cmdapp", "otherapp", stdout=out) == "tests.core.management.cmdapp"
    with pytest.raises(CommandError, match="No installed app with label 'nope'. Are you sure"):
        call_command(Apps(), "nope")
    with pytest.raises(CommandError, match="Enter at least one application label."):
        call_command(Apps())
    with pytest.raises(NotImplementedError, match="handle_app_config"):
        call_command(AppCommand(), "cmdapp", skip_checks=True)
    assert apps.is_installed("tests.core.management.cmdapp")


def test_no_translations_passes_through() -> None:
    @no_translations
    def handle(value: int) -> int:
        return value * 2

    assert handle(21) == 42
    assert handle.__name__ == "handle"


def test_no_translations_deactivates_a_loaded_translation_module(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import types

    state: dict[str, str | None] = {"language": "fr"}
    fake = types.ModuleType("fastjango.utils.translation")
    fake.get_language = lambda: state["language"]  # type: ignore[attr-defined]
    fake.deactivate_all = lambda: state.update(language=None)  # type: ignore[attr-defined]
    fake.activate = lambda language: state.update(language=language)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fastjango.utils.translation", fake)
    seen = []

    @no_translations
    def handle() -> None:
        seen.append(state["language"])

    handle()
    assert seen == [None]
    assert state["language"] == "fr"


def test_connections_closed_after_run_from_argv(monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    from fastjango.core.exceptions import ImproperlyConfigured

    closed: list[bool] = []

    class Connections:
        def close_all(self) -> None:
            closed.append(True)
            raise ImproperlyConfigured("no database configured")

    fake_db = types.ModuleType("fastjango.db")
    fake_db.connections = Connections()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fastjango.db", fake_db)
    Echo(stdout=io.StringIO()).run_from_argv(["manage.py", "echo"])
    assert closed == [True]
