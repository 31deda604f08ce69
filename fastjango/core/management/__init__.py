"""The command line: ``fastjango-admin`` and ``manage.py``, as Django's ``django-admin``.

Commands live in ``fastjango/core/management/commands/`` and in the
``management/commands/`` package of each installed app; an app's command
overrides a built-in one of the same name (and an app listed earlier in
``INSTALLED_APPS`` overrides a later one), as in Django.
"""

from __future__ import annotations

import functools
import os
import pkgutil
import sys
from argparse import (
    Action,
    _AppendConstAction,
    _CountAction,
    _StoreConstAction,
    _SubParsersAction,
)
from collections import defaultdict
from collections.abc import Iterator
from difflib import get_close_matches
from importlib import import_module
from typing import Any

import fastjango
from fastjango.conf import ENVIRONMENT_VARIABLE, settings
from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    handle_default_options,
)
from fastjango.core.management.color import color_style
from fastjango.core.signals import setting_changed

__all__ = [
    "BaseCommand",
    "CommandError",
    "ManagementUtility",
    "call_command",
    "execute_from_command_line",
    "find_commands",
    "get_commands",
    "load_command_class",
]

CORE_APP = "fastjango.core"

# Set when the app registry failed to load before runserver's reloader started:
# runserver reports it and lets the reloader wait for the fix, as Django does.
startup_exception: BaseException | None = None


def find_commands(management_dir: str) -> list[str]:
    """Return the command names in ``management_dir/commands`` (modules not starting "_")."""
    command_dir = os.path.join(management_dir, "commands")
    return [
        name
        for _, name, is_pkg in pkgutil.iter_modules([command_dir])
        if not is_pkg and not name.startswith("_")
    ]


def load_command_class(app_name: str, name: str) -> BaseCommand:
    """Return an instance of ``app_name.management.commands.<name>.Command``."""
    module = import_module(f"{app_name}.management.commands.{name}")
    command: BaseCommand = module.Command()
    return command


@functools.cache
def get_commands() -> dict[str, str | BaseCommand]:
    """Return ``{command name: app name}`` for the built-in and installed apps' commands.

    The app name is ``"fastjango.core"`` for built-ins. A value may also be a
    command instance, used as it is. The result is cached; settings changes to
    ``INSTALLED_APPS`` clear it.
    """
    management_dir = os.path.dirname(__file__)
    commands: dict[str, str | BaseCommand] = {
        name: CORE_APP for name in find_commands(management_dir)
    }
    if not settings.configured:
        return commands
    from fastjango.apps import apps

    # Reversed, so that an app earlier in INSTALLED_APPS wins over a later one.
    for app_config in reversed(apps.get_app_configs()):
        path = os.path.join(app_config.path, "management")
        commands.update({name: app_config.name for name in find_commands(path)})
    return commands


def _clear_commands_cache(*, setting: str, **kwargs: Any) -> None:
    if setting == "INSTALLED_APPS":
        get_commands.cache_clear()


setting_changed.connect(_clear_commands_cache, weak=False)


def _parser_actions(parser: CommandParser) -> Iterator[Action]:
    for action in parser._actions:
        if isinstance(action, _SubParsersAction):
            for sub_parser in action.choices.values():
                yield from _parser_actions(sub_parser)
        else:
            yield action


def call_command(command_name: str | BaseCommand, *args: Any, **options: Any) -> Any:
    """Run a command from Python, as Django's ``call_command`` does; return its output.

    ``command_name`` is a name or a command instance. Positional ``args`` are
    parsed as on the command line; ``options`` are keyed by ``dest`` or by
    option name (``"skip_checks"``, ``"verbosity"``), and ``stdout``/``stderr``
    capture output. System checks are skipped unless ``skip_checks=False``.
    """
    if isinstance(command_name, BaseCommand):
        command = command_name
        command_name = type(command).__module__.split(".")[-1]
    else:
        try:
            app_name = get_commands()[command_name]
        except KeyError:
            raise CommandError(f"Unknown command: {command_name!r}") from None
        if isinstance(app_name, BaseCommand):
            command = app_name
        else:
            command = load_command_class(app_name, command_name)

    parser = command.create_parser("", command_name)
    # Options may be passed by option name ("no_color") as well as by dest.
    opt_mapping = {
        min(action.option_strings).lstrip("-").replace("-", "_"): action.dest
        for action in parser._actions
        if action.option_strings
    }
    arg_options = {opt_mapping.get(key, key): value for key, value in options.items()}
    parse_args: list[str] = []
    for arg in args:
        if isinstance(arg, list | tuple):
            parse_args += map(str, arg)
        else:
            parse_args.append(str(arg))

    parser_actions = list(_parser_actions(parser))
    required_in_group = {
        action
        for group in parser._mutually_exclusive_groups
        for action in group._group_actions
        if group.required
    }
    # Required options given as keyword arguments must go through the parser too,
    # or argparse complains that they are missing.
    for action in parser_actions:
        if not action.option_strings or not (action.required or action in required_in_group):
            continue
        option_string = min(action.option_strings)
        if action.dest in options:
            if sum(dest == action.dest for dest in opt_mapping.values()) > 1:
                raise TypeError(
                    f"Cannot pass the dest {action.dest!r} that matches multiple "
                    "arguments via **options."
                )
            value = options[action.dest]
        elif (name := option_string.lstrip("-").replace("-", "_")) in options:
            # Given by option name (need=...) rather than by dest (needed=...).
            value = options[name]
        else:
            continue
        parse_args.append(option_string)
        if isinstance(action, _AppendConstAction | _CountAction | _StoreConstAction):
            continue
        if isinstance(value, list | tuple):
            parse_args += map(str, value)
        else:
            parse_args.append(str(value))
    defaults = dict(vars(parser.parse_args(args=parse_args)), **arg_options)

    stealth_options = set(command.base_stealth_options + command.stealth_options)
    dest_parameters = {action.dest for action in parser_actions}
    valid_options = (dest_parameters | stealth_options).union(opt_mapping)
    unknown_options = set(options) - valid_options
    if unknown_options:
        raise TypeError(
            f"Unknown option(s) for {command_name} command: "
            f"{', '.join(sorted(unknown_options))}. "
            f"Valid options are: {', '.join(sorted(valid_options))}."
        )
    positional = defaults.pop("args", ())
    if "skip_checks" not in options:
        defaults["skip_checks"] = True
    return command.execute(*positional, **defaults)


class ManagementUtility:
    """The logic of ``fastjango-admin`` and ``manage.py``: find the command and run it."""

    def __init__(self, argv: list[str] | None = None) -> None:
        self.argv = argv or sys.argv[:]
        self.prog_name = os.path.basename(self.argv[0])
        if self.prog_name == "__main__.py":
            self.prog_name = "python -m fastjango"
        self.settings_exception: Exception | None = None

    def main_help_text(self, commands_only: bool = False) -> str:
        """Return the main help text: every command, grouped by app."""
        if commands_only:
            return "\n".join(sorted(get_commands()))
        usage = [
            "",
            f"Type '{self.prog_name} help <subcommand>' for help on a specific subcommand.",
            "",
            "Available subcommands:",
        ]
        commands_dict: defaultdict[str, list[str]] = defaultdict(list)
        for name, app in get_commands().items():
            if app == CORE_APP:
                group = "fastjango"
            elif isinstance(app, BaseCommand):
                group = type(app).__module__.split(".")[0]
            else:
                group = app.rpartition(".")[-1]
            commands_dict[group].append(name)
        style = color_style()
        for group in sorted(commands_dict):
            usage.append("")
            usage.append(style.NOTICE(f"[{group}]"))
            usage.extend(f"    {name}" for name in sorted(commands_dict[group]))
        if self.settings_exception is not None:
            usage.append(
                style.NOTICE(
                    "Note that only FastJango core commands are listed as settings are not "
                    f"properly configured (error: {self.settings_exception})."
                )
            )
        return "\n".join(usage)

    def fetch_command(self, subcommand: str) -> BaseCommand:
        """Return the command called ``subcommand``; print a hint and exit(1) if unknown."""
        commands = get_commands()
        try:
            app_name = commands[subcommand]
        except KeyError:
            if os.environ.get(ENVIRONMENT_VARIABLE):
                # A command may be missing because settings are broken: say so.
                settings.INSTALLED_APPS  # noqa: B018
            elif not settings.configured:
                sys.stderr.write("No FastJango settings specified.\n")
            possible_matches = get_close_matches(subcommand, commands)
            sys.stderr.write(f"Unknown command: {subcommand!r}")
            if possible_matches:
                sys.stderr.write(f". Did you mean {possible_matches[0]}?")
            sys.stderr.write(f"\nType '{self.prog_name} help' for usage.\n")
            sys.exit(1)
        if isinstance(app_name, BaseCommand):
            return app_name
        return load_command_class(app_name, subcommand)

    def execute(self) -> None:
        """Work out the subcommand from ``argv``, then run it (or print help)."""
        global startup_exception

        try:
            subcommand = self.argv[1]
        except IndexError:
            subcommand = "help"
        # --settings and --pythonpath decide which commands exist, so they are
        # applied before anything else is parsed.
        parser = CommandParser(
            prog=self.prog_name,
            usage="%(prog)s subcommand [options] [args]",
            add_help=False,
            allow_abbrev=False,
        )
        parser.add_argument("--settings")
        parser.add_argument("--pythonpath")
        parser.add_argument("args", nargs="*")
        try:
            options, args = parser.parse_known_args(self.argv[2:])
            handle_default_options(options)
        except CommandError:
            options, args = parser.parse_known_args([])  # bad options: the command reports them

        try:
            settings.INSTALLED_APPS  # noqa: B018
        except (ImproperlyConfigured, ImportError) as exc:
            self.settings_exception = exc

        if settings.configured:
            if subcommand == "runserver" and "--noreload" not in self.argv:
                try:
                    fastjango.setup()
                except Exception as exc:
                    # Start the auto-reloading server even if the code is broken: the
                    # server process hits the same error and the reloader waits for a fix.
                    from fastjango.apps import apps

                    startup_exception = exc
                    apps.all_models = defaultdict(dict)
                    apps.app_configs = {}
                    apps.apps_ready = apps.models_ready = apps.ready = True
            else:
                fastjango.setup()

        if subcommand == "help":
            if "--commands" in args:
                sys.stdout.write(self.main_help_text(commands_only=True) + "\n")
            elif not options.args:
                sys.stdout.write(self.main_help_text() + "\n")
            else:
                self.fetch_command(options.args[0]).print_help(self.prog_name, options.args[0])
        elif self.argv[1:] == ["--version"]:
            sys.stdout.write(fastjango.get_version() + "\n")
        elif self.argv[1:] in (["--help"], ["-h"]):
            sys.stdout.write(self.main_help_text() + "\n")
        else:
            self.fetch_command(subcommand).run_from_argv(self.argv)


def execute_from_command_line(argv: list[str] | None = None) -> None:
    """Run the command named in ``argv`` (default ``sys.argv``): ``manage.py``'s entry."""
    utility = ManagementUtility(argv)
    utility.execute()
