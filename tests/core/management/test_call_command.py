from __future__ import annotations

import io

import pytest

from fastjango.core.management import (
    call_command,
    find_commands,
    get_commands,
    load_command_class,
)
from fastjango.core.management.base import BaseCommand, CommandError
from fastjango.test.utils import override_settings

pytestmark = pytest.mark.usefixtures("command_apps")


def test_builtin_commands_are_found() -> None:
    commands = get_commands()
    for name in ("check", "diffsettings", "runserver", "serve", "shell", "show_urls"):
        assert commands[name] == "fastjango.core"
    for name in ("startapp", "startproject"):
        assert commands[name] == "fastjango.core"


def test_app_commands_found_and_override_builtins() -> None:
    commands = get_commands()
    assert commands["agreet"] == "tests.core.management.cmdapp"
    assert commands["checked"] == "tests.core.management.otherapp"
    # An app's command replaces the built-in of the same name...
    assert commands["version"] == "tests.core.management.cmdapp"
    # ...and the app listed first in INSTALLED_APPS wins.
    assert commands["greet"] == "tests.core.management.cmdapp"
    assert "_private" not in commands


def test_find_commands_skips_private_modules_and_missing_dirs(tmp_path: object) -> None:
    import fastjango.core.management as management

    assert "check" in find_commands(management.__path__[0])
    assert find_commands(str(tmp_path)) == []


def test_load_command_class() -> None:
    command = load_command_class("tests.core.management.cmdapp", "greet")
    assert isinstance(command, BaseCommand)
    with pytest.raises(ModuleNotFoundError):
        load_command_class("tests.core.management.cmdapp", "nope")


def test_settings_change_clears_command_cache() -> None:
    first = get_commands()
    with override_settings(INSTALLED_APPS=[]):
        pass
    assert get_commands() is not first


def test_call_command_by_name_with_args_and_options() -> None:
    out = io.StringIO()
    result = call_command("greet", "ann", "bob", shout=True, stdout=out)
    assert result == "HELLO ANN HELLO BOB"
    assert out.getvalue() == "HELLO ANN HELLO BOB\n"


def test_call_command_option_by_dest_or_by_name() -> None:
    out = io.StringIO()
    assert call_command("greet", salutation="Hi", stdout=out) == "Hi world"
    assert call_command("greet", greeting="Yo", stdout=out) == "Yo world"
    # Positional option strings are parsed as on the command line.
    assert call_command("greet", "--times", "2", "--greeting=Hey", stdout=out) == (
        "Hey world\nHey world"
    )
    assert call_command("greet", ["x", "y"], stdout=out) == "Hello x Hello y"


def test_call_command_stealth_option() -> None:
    assert call_command("greet", secret=True, stdout=io.StringIO()) == "Hello world (secret)"


def test_call_command_with_a_command_instance() -> None:
    command = load_command_class("tests.core.management.cmdapp", "greet")
    assert call_command(command, "zed", stdout=io.StringIO()) == "Hello zed"


def test_call_command_unknown_command() -> None:
    with pytest.raises(CommandError, match="Unknown command: 'nosuch'"):
        call_command("nosuch")


def test_call_command_unknown_option() -> None:
    with pytest.raises(TypeError) as exc_info:
        call_command("greet", bogus=1, stdout=io.StringIO())
    message = str(exc_info.value)
    assert message.startswith("Unknown option(s) for greet command: bogus. Valid options are: ")
    valid = message.split("Valid options are: ")[1].rstrip(".").split(", ")
    assert valid == sorted(valid)
    for name in ("greeting", "salutation", "secret", "shout", "stderr", "stdout", "times"):
        assert name in valid
    with pytest.raises(TypeError, match="Unknown option\\(s\\) for greet command: a, b\\."):
        call_command(load_command_class("tests.core.management.cmdapp", "greet"), a=1, b=2)


def test_call_command_required_options_and_groups() -> None:
    out = io.StringIO()
    assert call_command("required", need="x", on=True, stdout=out) == (
        "needed=x items=None on=True level=None count=None"
    )
    assert call_command("required", needed="y", level=3, items=["a", "b"], stdout=out) == (
        "needed=y items=['a', 'b'] on=False level=3 count=None"
    )
    assert call_command("required", need="z", count=1, stdout=out) == (
        "needed=z items=None on=False level=None count=1"
    )
    with pytest.raises(CommandError, match="Error: the following arguments are required: --need"):
        call_command("required", on=True)
    with pytest.raises(CommandError, match="one of the arguments --on --level --count is required"):
        call_command("required", need="x")


def test_call_command_ambiguous_dest() -> None:
    from fastjango.core.management.base import CommandParser

    class Ambiguous(BaseCommand):
        requires_system_checks: list[str] = []

        def add_arguments(self, parser: CommandParser) -> None:
            group = parser.add_mutually_exclusive_group(required=True)
            group.add_argument("--until", dest="until", type=int)
            group.add_argument("--till", dest="until", type=int)

        def handle(self, **options: object) -> str:
            return str(options["until"])

    with pytest.raises(TypeError, match="Cannot pass the dest 'until' that matches multiple"):
        call_command(Ambiguous(), until=1)
    assert call_command(Ambiguous(), "--till", "2", stdout=io.StringIO()) == "2"
    # By option name, the option is unambiguous (Django only accepts the dest here).
    assert call_command(Ambiguous(), till=3, stdout=io.StringIO()) == "3"


def test_call_command_subparsers() -> None:
    assert call_command("subcmd", "add", "5", by=2, stdout=io.StringIO()) == "add 5 2"
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("subcmd", "remove", "5")


def test_call_command_async_command() -> None:
    out = io.StringIO()
    assert call_command("agreet", "ann", stdout=out) == "async hello ann"
    assert out.getvalue() == "working\nasync hello ann\n"


def test_call_command_returncode_of_command_error() -> None:
    with pytest.raises(CommandError) as exc_info:
        call_command("greet", fail=5)
    assert exc_info.value.returncode == 5


def test_call_command_skip_checks_false_runs_tagged_checks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from fastjango.core import checks

    registry = checks.CheckRegistry()
    monkeypatch.setattr(checks, "run_checks", registry.run_checks)

    @registry.register("testtag")
    def failing(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
        return [checks.Error("tagged failure", id="test.E001")]

    assert call_command("checked", stdout=io.StringIO()) == "checked ran"
    with pytest.raises(CommandError, match="tagged failure"):
        call_command("checked", skip_checks=False, stdout=io.StringIO())


def test_required_list_option_given_as_keyword() -> None:
    from fastjango.core.management.base import CommandParser

    class Tags(BaseCommand):
        requires_system_checks: list[str] = []

        def add_arguments(self, parser: CommandParser) -> None:
            parser.add_argument("--tag", nargs="+", required=True, dest="tags")

        def handle(self, **options: object) -> str:
            return ",".join(options["tags"])  # type: ignore[arg-type]

    assert call_command(Tags(), tags=["a", "b"], stdout=io.StringIO()) == "a,b"
    assert call_command(Tags(), tag=("c",), stdout=io.StringIO()) == "c"


def test_command_instances_in_the_commands_dict(capsys: pytest.CaptureFixture[str]) -> None:
    from fastjango.core.management import ManagementUtility

    class Direct(BaseCommand):
        requires_system_checks: list[str] = []

        def handle(self, *args: object, **options: object) -> str:
            return "direct"

    get_commands()["direct"] = Direct()
    try:
        assert call_command("direct", stdout=io.StringIO()) == "direct"
        utility = ManagementUtility(["manage.py", "direct"])
        assert isinstance(utility.fetch_command("direct"), Direct)
        assert "[tests]\n    direct" in utility.main_help_text()
    finally:
        get_commands.cache_clear()


def test_unconfigured_settings_list_only_core_commands(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from fastjango.conf import settings
    from fastjango.core.management import ManagementUtility
    from fastjango.utils.functional import empty

    monkeypatch.delenv("FASTJANGO_SETTINGS_MODULE", raising=False)
    monkeypatch.setattr(settings, "_wrapped", empty)
    get_commands.cache_clear()
    try:
        commands = get_commands()
        assert set(commands.values()) == {"fastjango.core"}
        with pytest.raises(SystemExit):
            ManagementUtility(["manage.py", "nosuch"]).fetch_command("nosuch")
        assert capsys.readouterr().err.startswith("No FastJango settings specified.\n")
    finally:
        get_commands.cache_clear()
