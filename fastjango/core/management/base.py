"""Base classes for management commands: ``BaseCommand`` and friends, as in Django."""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import functools
import inspect
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from io import TextIOBase
from typing import IO, TYPE_CHECKING, Any, NoReturn

import fastjango
from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.core.management.color import Style, color_style, no_style

if TYPE_CHECKING:
    from fastjango.apps.config import AppConfig

__all__ = [
    "ALL_CHECKS",
    "AppCommand",
    "BaseCommand",
    "CommandError",
    "CommandParser",
    "FastJangoHelpFormatter",
    "LabelCommand",
    "OutputWrapper",
    "SystemCheckError",
    "handle_default_options",
    "no_translations",
]

ALL_CHECKS = "__all__"

# What ``handle()`` may return: the text to print, or (async handle) a coroutine of it.
HandleResult = str | None | Awaitable[str | None]


class CommandError(Exception):
    """A problem while running a command: printed as "CommandError: msg", no traceback.

    ``returncode`` is the process exit status when the command runs from the
    command line (``run_from_argv``).
    """

    def __init__(self, *args: Any, returncode: int = 1, **kwargs: Any) -> None:
        self.returncode = returncode
        super().__init__(*args, **kwargs)


class SystemCheckError(CommandError):
    """The system checks found a problem serious enough to stop the command."""


class CommandParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` that raises ``CommandError`` instead of exiting.

    From the command line it prints the usage and exits as argparse does;
    from ``call_command()`` a parse error becomes ``CommandError("Error: ...")``.
    """

    def __init__(
        self,
        *,
        missing_args_message: str | None = None,
        called_from_command_line: bool | None = None,
        **kwargs: Any,
    ) -> None:
        self.missing_args_message = missing_args_message
        self.called_from_command_line = called_from_command_line
        super().__init__(**kwargs)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        # A friendlier message than argparse's "the following arguments are required".
        if self.missing_args_message and not args:
            self.error(self.missing_args_message)
        return super().parse_args(args, namespace)

    def error(self, message: str) -> NoReturn:
        if self.called_from_command_line:
            super().error(message)
        raise CommandError(f"Error: {message}")

    def add_subparsers(self, **kwargs: Any) -> Any:
        parser_class = kwargs.get("parser_class", type(self))
        if issubclass(parser_class, CommandParser):
            called = self.called_from_command_line

            def make_parser(**parser_kwargs: Any) -> CommandParser:
                return parser_class(called_from_command_line=called, **parser_kwargs)  # type: ignore[no-any-return]

            kwargs["parser_class"] = make_parser
        return super().add_subparsers(**kwargs)


def handle_default_options(options: argparse.Namespace) -> None:
    """Apply ``--settings`` and ``--pythonpath`` before anything reads settings."""
    from fastjango.conf import ENVIRONMENT_VARIABLE

    if getattr(options, "settings", None):
        os.environ[ENVIRONMENT_VARIABLE] = options.settings
    if getattr(options, "pythonpath", None):
        sys.path.insert(0, options.pythonpath)


def no_translations(handle_func: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``handle()`` with translations deactivated, as Django's decorator does.

    Translations are not active while a command runs unless a command turns
    them on, so this only keeps code ported from Django importable and honest.
    """

    @functools.wraps(handle_func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        # Nothing can have activated a language unless translation was imported.
        translation: Any = sys.modules.get("fastjango.utils.translation")
        if translation is None or not hasattr(translation, "deactivate_all"):
            return handle_func(*args, **kwargs)
        saved = translation.get_language()
        translation.deactivate_all()
        try:
            return handle_func(*args, **kwargs)
        finally:
            if saved is not None:
                translation.activate(saved)

    return wrapper


class FastJangoHelpFormatter(argparse.HelpFormatter):
    """Show a command's own arguments first and the common ones last."""

    show_last = {
        "--version",
        "--verbosity",
        "--traceback",
        "--settings",
        "--pythonpath",
        "--no-color",
        "--force-color",
        "--skip-checks",
    }

    def _reordered_actions(self, actions: Any) -> list[argparse.Action]:
        return sorted(actions, key=lambda a: set(a.option_strings) & self.show_last != set())

    def add_usage(self, usage: str | None, actions: Any, *args: Any, **kwargs: Any) -> None:
        super().add_usage(usage, self._reordered_actions(actions), *args, **kwargs)

    def add_arguments(self, actions: Any) -> None:
        super().add_arguments(self._reordered_actions(actions))


class OutputWrapper(TextIOBase):
    """A stream wrapper that adds a line ending and a style (on terminals only)."""

    def __init__(self, out: IO[str] | Any, ending: str = "\n") -> None:
        self._out = out
        self.style_func = None
        self.ending = ending

    @property
    def style_func(self) -> Callable[[str], str]:
        """The function each written message goes through."""
        return self._style_func

    @style_func.setter
    def style_func(self, style_func: Callable[[str], str] | None) -> None:
        # Colour codes only make sense on a terminal; files and pipes get plain text.
        if style_func and self.isatty():
            self._style_func = style_func
        else:
            self._style_func = _identity

    def __getattr__(self, name: str) -> Any:
        return getattr(self._out, name)

    def flush(self) -> None:
        if hasattr(self._out, "flush"):
            self._out.flush()

    def isatty(self) -> bool:
        isatty = getattr(self._out, "isatty", None)
        try:
            return bool(isatty and isatty())
        except ValueError:  # a closed stream
            return False

    def write(  # type: ignore[override]
        self,
        msg: str = "",
        style_func: Callable[[str], str] | None = None,
        ending: str | None = None,
    ) -> None:
        """Write ``msg``, adding the ending if it lacks it, through the style."""
        ending = self.ending if ending is None else ending
        if ending and not msg.endswith(ending):
            msg += ending
        style_func = style_func or self.style_func
        self._out.write(style_func(msg))


def _identity(text: str) -> str:
    return text


def _run_coroutine(awaitable: Awaitable[Any]) -> Any:
    async def runner() -> Any:
        return await awaitable

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(runner())
    # Called (e.g. through call_command) from inside a running loop: that loop is
    # blocked by this sync call anyway, so the coroutine gets a loop of its own.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, runner()).result()


class BaseCommand:
    """The class every management command derives from, with Django's API.

    Subclasses set ``help``, add options in ``add_arguments(parser)`` and do the
    work in ``handle(*args, **options)``; text it returns is printed.
    ``handle`` may also be ``async def``: FastJango runs it to completion on an
    event loop of its own (a FastJango extra; Django needs ``async_to_sync``).

    ``requires_system_checks`` is ``"__all__"`` (the default), a list of tags
    to check, or ``[]`` for none. ``requires_migrations_checks`` makes
    ``execute()`` call ``check_migrations()`` first, which prints a notice about
    unapplied migrations. ``output_transaction`` wraps the output in
    ``BEGIN;``/``COMMIT;``. ``stealth_options`` names options that
    ``call_command`` accepts without a parser argument, and
    ``suppressed_base_arguments`` hides common options from ``--help``.
    """

    help = ""
    _called_from_command_line = False
    output_transaction = False
    requires_migrations_checks = False
    requires_system_checks: Sequence[str] = ALL_CHECKS
    base_stealth_options: tuple[str, ...] = ("stderr", "stdout")
    stealth_options: tuple[str, ...] = ()
    suppressed_base_arguments: set[str] = set()

    def __init__(
        self,
        stdout: IO[str] | None = None,
        stderr: IO[str] | None = None,
        no_color: bool = False,
        force_color: bool = False,
    ) -> None:
        self.stdout = OutputWrapper(stdout or sys.stdout)
        self.stderr = OutputWrapper(stderr or sys.stderr)
        if no_color and force_color:
            raise CommandError("'no_color' and 'force_color' can't be used together.")
        self.style: Style
        if no_color:
            self.style = no_style()
        else:
            self.style = color_style(force_color)
            self.stderr.style_func = self.style.ERROR
        if (
            not isinstance(self.requires_system_checks, list | tuple)
            and self.requires_system_checks != ALL_CHECKS
        ):
            raise TypeError("requires_system_checks must be a list or tuple.")

    def get_version(self) -> str:
        """Return the version ``--version`` prints; override for your own."""
        return fastjango.get_version()

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        """Return the ``CommandParser`` for this command, with the common options."""
        kwargs.setdefault("formatter_class", FastJangoHelpFormatter)
        parser = CommandParser(
            prog=f"{os.path.basename(prog_name)} {subcommand}",
            description=self.help or None,
            missing_args_message=getattr(self, "missing_args_message", None),
            called_from_command_line=getattr(self, "_called_from_command_line", None),
            **kwargs,
        )
        self.add_base_argument(
            parser,
            "--version",
            action="version",
            version=self.get_version(),
            help="Show program's version number and exit.",
        )
        self.add_base_argument(
            parser,
            "-v",
            "--verbosity",
            default=1,
            type=int,
            choices=[0, 1, 2, 3],
            help="Verbosity level; 0=minimal output, 1=normal output, 2=verbose output, "
            "3=very verbose output",
        )
        self.add_base_argument(
            parser,
            "--settings",
            help='The Python path to a settings module, e.g. "myproject.settings.main". If '
            "this isn't provided, the FASTJANGO_SETTINGS_MODULE environment variable will "
            "be used.",
        )
        self.add_base_argument(
            parser,
            "--pythonpath",
            help='A directory to add to the Python path, e.g. "/home/projects/myproject".',
        )
        self.add_base_argument(
            parser,
            "--traceback",
            action="store_true",
            help="Display a full stack trace on CommandError exceptions.",
        )
        self.add_base_argument(
            parser, "--no-color", action="store_true", help="Don't colorize the command output."
        )
        self.add_base_argument(
            parser,
            "--force-color",
            action="store_true",
            help="Force colorization of the command output.",
        )
        if self.requires_system_checks:
            parser.add_argument("--skip-checks", action="store_true", help="Skip system checks.")
        self.add_arguments(parser)
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        """Add this command's own arguments to ``parser``."""

    def add_base_argument(self, parser: CommandParser, *args: Any, **kwargs: Any) -> None:
        """Add a common argument, hidden from help if in ``suppressed_base_arguments``."""
        if any(arg in self.suppressed_base_arguments for arg in args):
            kwargs["help"] = argparse.SUPPRESS
        parser.add_argument(*args, **kwargs)

    def print_help(self, prog_name: str, subcommand: str) -> None:
        """Print the help message for this command."""
        self.create_parser(prog_name, subcommand).print_help()

    def run_from_argv(self, argv: list[str]) -> None:
        """Parse ``argv``, run the command, turn ``CommandError`` into a message and exit."""
        self._called_from_command_line = True
        parser = self.create_parser(argv[0], argv[1])
        options = parser.parse_args(argv[2:])
        cmd_options = vars(options)
        args = cmd_options.pop("args", ())
        handle_default_options(options)
        try:
            self.execute(*args, **cmd_options)
        except CommandError as exc:
            if options.traceback:
                raise
            if isinstance(exc, SystemCheckError):
                # The check report is already formatted (and coloured).
                self.stderr.write(str(exc), _identity)
            else:
                self.stderr.write(f"{type(exc).__name__}: {exc}")
            sys.exit(exc.returncode)
        finally:
            _close_connections()

    def execute(self, *args: Any, **options: Any) -> str | None:
        """Run system checks (unless skipped), then ``handle()``; print what it returns."""
        if options.get("force_color") and options.get("no_color"):
            raise CommandError("The --no-color and --force-color options can't be used together.")
        if options.get("force_color"):
            self.style = color_style(force_color=True)
        elif options.get("no_color"):
            self.style = no_style()
            self.stderr.style_func = None
        if options.get("stdout"):
            self.stdout = OutputWrapper(options["stdout"])
        if options.get("stderr"):
            self.stderr = OutputWrapper(options["stderr"])
        if self.requires_system_checks and not options.get("skip_checks"):
            if self.requires_system_checks == ALL_CHECKS:
                self.check()
            else:
                self.check(tags=self.requires_system_checks)
        if self.requires_migrations_checks:
            self.check_migrations()
        output = self.handle(*args, **options)
        if inspect.isawaitable(output):
            output = _run_coroutine(output)
        if output:
            if self.output_transaction:
                begin = self.style.SQL_KEYWORD("BEGIN;")
                output = f"{begin}\n{output}\n{self.style.SQL_KEYWORD('COMMIT;')}"
            self.stdout.write(output)
        return output

    def check(
        self,
        app_configs: Sequence[AppConfig] | None = None,
        tags: Sequence[str] | None = None,
        display_num_errors: bool = False,
        include_deployment_checks: bool = False,
        fail_level: int | None = None,
        databases: Sequence[str] | None = None,
    ) -> None:
        """Run system checks; print what they find; raise ``SystemCheckError`` if serious.

        A message at ``fail_level`` (default ERROR) or above, not silenced by
        ``SILENCED_SYSTEM_CHECKS``, makes the command fail.
        """
        from fastjango.core import checks

        if fail_level is None:
            fail_level = checks.ERROR
        all_issues = checks.run_checks(
            app_configs=app_configs,
            tags=tags,
            include_deployment_checks=include_deployment_checks,
            databases=databases,
        )
        visible = [issue for issue in all_issues if not issue.is_silenced()]
        groups = (
            ("CRITICALS", checks.CRITICAL, None),
            ("ERRORS", checks.ERROR, checks.CRITICAL),
            ("WARNINGS", checks.WARNING, checks.ERROR),
            ("INFOS", checks.INFO, checks.WARNING),
            ("DEBUGS", None, checks.INFO),
        )
        body = ""
        for group_name, low, high in groups:
            issues = [
                issue
                for issue in visible
                if (low is None or issue.level >= low) and (high is None or issue.level < high)
            ]
            if issues:
                formatted = sorted(
                    self.style.ERROR(str(issue))
                    if issue.is_serious()
                    else self.style.WARNING(str(issue))
                    for issue in issues
                )
                body += "\n{}:\n{}\n".format(group_name, "\n".join(formatted))
        header = "System check identified some issues:\n" if visible else ""
        footer = ""
        if display_num_errors:
            if visible:
                footer += "\n"
            count = len(visible)
            found = "no issues" if not count else "1 issue" if count == 1 else f"{count} issues"
            footer += f"System check identified {found} ({len(all_issues) - count} silenced)."
        if any(issue.is_serious(fail_level) for issue in visible):
            raise SystemCheckError(self.style.ERROR(f"SystemCheckError: {header}") + body + footer)
        msg = header + body + footer
        if msg:
            if visible:
                self.stderr.write(msg, _identity)
            else:
                self.stdout.write(msg)

    def check_migrations(self) -> None:
        """Print a notice if the default database lacks migrations the apps have on disk.

        A database that can't be reached gets a one-line warning instead: the
        command (``runserver``, say) goes on, as it would without the check.
        """
        from fastjango.db import DEFAULT_DB_ALIAS, connections
        from fastjango.db.migrations.executor import MigrationExecutor
        from fastjango.db.utils import DatabaseError

        try:
            executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
            plan = executor.migration_plan()
        except ImproperlyConfigured:
            # No database configured (the dummy backend): nothing to compare with.
            return
        except DatabaseError as exc:
            reason = (str(exc).strip() or type(exc).__name__).splitlines()[0]
            self.stderr.write(
                self.style.WARNING(
                    f"Could not check for unapplied migrations on database "
                    f"'{DEFAULT_DB_ALIAS}': {reason}"
                )
            )
            return
        if not plan:
            return
        waiting = sorted({step.migration.app_label for step in plan})
        self.stdout.write(
            self.style.NOTICE(
                f"\nYou have {len(plan)} unapplied migration(s). Your project may not work "
                "properly until you apply the migrations for app(s): "
                f"{', '.join(waiting)}."
            )
        )
        self.stdout.write(self.style.NOTICE("Run 'python manage.py migrate' to apply them."))

    def handle(self, *args: Any, **options: Any) -> HandleResult:
        """Do the command's work; return text to print, or None. May be ``async def``."""
        raise NotImplementedError("subclasses of BaseCommand must provide a handle() method")


class AppCommand(BaseCommand):
    """A command taking one or more app labels; ``handle_app_config()`` runs per app."""

    missing_args_message = "Enter at least one application label."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "args", metavar="app_label", nargs="+", help="One or more application label."
        )

    def handle(self, *app_labels: str, **options: Any) -> str:
        from fastjango.apps import apps

        try:
            app_configs = [apps.get_app_config(app_label) for app_label in app_labels]
        except (LookupError, ImportError) as exc:
            reason = str(exc.args[0] if exc.args else exc).rstrip(".")
            raise CommandError(
                f"{reason}. Are you sure your INSTALLED_APPS setting is correct?"
            ) from exc
        output = []
        for app_config in app_configs:
            app_output = self.handle_app_config(app_config, **options)
            if app_output:
                output.append(app_output)
        return "\n".join(output)

    def handle_app_config(self, app_config: AppConfig, **options: Any) -> str | None:
        """Do the work for one app; return text to print, or None."""
        raise NotImplementedError(
            "Subclasses of AppCommand must provide a handle_app_config() method."
        )


class LabelCommand(BaseCommand):
    """A command taking one or more arbitrary labels; ``handle_label()`` runs per label."""

    label = "label"
    missing_args_message = "Enter at least one %s."

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.missing_args_message == LabelCommand.missing_args_message:
            self.missing_args_message = self.missing_args_message % self.label

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("args", metavar=self.label, nargs="+")

    def handle(self, *labels: str, **options: Any) -> str:
        output = []
        for label in labels:
            label_output = self.handle_label(label, **options)
            if label_output:
                output.append(label_output)
        return "\n".join(output)

    def handle_label(self, label: str, **options: Any) -> str | None:
        """Do the work for one label; return text to print, or None."""
        raise NotImplementedError("subclasses of LabelCommand must provide a handle_label() method")


def _close_connections() -> None:
    # Only a command that touched the database has connections to close; importing
    # the database layer here just to close nothing would slow every command down.
    db = sys.modules.get("fastjango.db")
    connections = getattr(db, "connections", None)
    close_all = getattr(connections, "close_all", None)
    if close_all is None:
        return
    try:
        close_all()
    except ImproperlyConfigured:
        # Commands such as startproject run without a configured database.
        pass
