"""``shell``: an interactive interpreter with the project loaded; top-level ``await`` works."""

from __future__ import annotations

import ast
import asyncio
import builtins
import code
import importlib
import inspect
import os
import select
import sys
import traceback
import types
from typing import Any

import fastjango
from fastjango.core.management.base import BaseCommand, CommandError, CommandParser

__all__ = ["AsyncConsole", "Command", "run_source"]


def run_source(source: str, namespace: dict[str, Any], filename: str = "<command>") -> None:
    """Execute ``source`` in ``namespace``; top-level ``await`` runs on a fresh event loop."""
    compiled = compile(source, filename, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = eval(compiled, namespace)
    if inspect.iscoroutine(result):
        asyncio.run(result)


class AsyncConsole(code.InteractiveConsole):
    """The stdlib console, accepting top-level ``await`` like ``python -m asyncio``.

    Awaited statements run on one event loop kept for the whole session, so
    objects bound to it (async engines, clients) stay usable from line to line;
    plain statements run outside it, where sync ORM calls are allowed.
    """

    def __init__(self, namespace: dict[str, Any], filename: str = "<console>") -> None:
        super().__init__(namespace, filename)
        self.compile.compiler.flags |= ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
        self.loop = asyncio.new_event_loop()

    def runcode(self, code: types.CodeType) -> None:
        try:
            result = types.FunctionType(code, self.locals)()
            if inspect.iscoroutine(result):
                self.loop.run_until_complete(result)
        except SystemExit:
            raise
        except BaseException:
            # KeyboardInterrupt included: Ctrl-C stops the statement, not the shell.
            self.showtraceback()

    def close(self) -> None:
        """Close the session's event loop."""
        self.loop.close()


class Command(BaseCommand):
    help = (
        "Runs a Python interactive interpreter. Tries to use IPython, if it's available. "
        "Any standard input is executed as code. Top-level 'await' works."
    )
    requires_system_checks: list[str] = []
    shells = ["ipython", "python"]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-startup",
            "--nostartup",
            action="store_true",
            dest="no_startup",
            help="When using plain Python, ignore the PYTHONSTARTUP environment variable and "
            "~/.pythonrc.py script.",
        )
        parser.add_argument(
            "--no-imports",
            action="store_true",
            help="Disable automatic imports of models.",
        )
        parser.add_argument(
            "-i",
            "--interface",
            choices=self.shells,
            help='Specify an interactive interpreter interface. Available options: "ipython" '
            'and "python".',
        )
        parser.add_argument(
            "-c",
            "--command",
            help="Instead of opening an interactive shell, run a command as FastJango and exit.",
        )

    def get_auto_imports(self) -> dict[str, Any]:
        """Return the objects the shell imports for you: every installed model."""
        from fastjango.apps import apps

        if not apps.ready:
            return {}
        return {model.__name__: model for model in apps.get_models()}

    def get_namespace(self, **options: Any) -> dict[str, Any]:
        """Return the globals the shell starts with."""
        namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
        if not options.get("no_imports"):
            namespace.update(self.get_auto_imports())
        return namespace

    def ipython(self, options: dict[str, Any]) -> None:
        """Start IPython (its autoawait makes top-level ``await`` work)."""
        # Imported by name: IPython is optional, and has no type stubs when present.
        ipython = importlib.import_module("IPython")
        ipython.start_ipython(argv=[], user_ns=self.get_namespace(**options))

    def python(self, options: dict[str, Any]) -> None:
        """Start the stdlib console, with readline completion and startup files."""
        namespace = self.get_namespace(**options)
        imported = sorted(name for name in namespace if not name.startswith("__"))
        if not options.get("no_startup"):
            self._run_startup_files(namespace)
            hook = getattr(sys, "__interactivehook__", None)
            if hook is not None and sys.stdin.isatty():
                hook()
        self._enable_completion(namespace)
        console = AsyncConsole(namespace)
        banner = (
            f"Python {sys.version} on {sys.platform}\n"
            f"FastJango {fastjango.get_version()} shell: use 'await' directly.\n"
            f"{self._imports_message(imported, options)}"
        )
        try:
            console.interact(banner=banner.rstrip(), exitmsg="")
        finally:
            console.close()

    def _imports_message(self, names: list[str], options: dict[str, Any]) -> str:
        if options.get("no_imports") or options.get("verbosity", 1) < 1:
            return ""
        count = len(names)
        noun = "object" if count == 1 else "objects"
        if options.get("verbosity", 1) >= 2 and names:
            return f"{count} {noun} imported automatically: {', '.join(names)}."
        return f"{count} {noun} imported automatically (use -v 2 for details)."

    def _run_startup_files(self, namespace: dict[str, Any]) -> None:
        candidates = [os.environ.get("PYTHONSTARTUP"), os.path.expanduser("~/.pythonrc.py")]
        for pythonrc in dict.fromkeys(candidates):
            if not pythonrc or not os.path.isfile(pythonrc):
                continue
            with open(pythonrc, encoding="utf-8") as handle:
                source = handle.read()
            try:
                exec(compile(source, pythonrc, "exec"), namespace)
            except Exception:
                traceback.print_exc()

    def _enable_completion(self, namespace: dict[str, Any]) -> None:
        try:
            import readline
            import rlcompleter
        except ImportError:  # pragma: no cover - platforms without readline
            return
        readline.set_completer(rlcompleter.Completer(namespace).complete)
        readline.parse_and_bind("tab:complete")

    def handle(self, **options: Any) -> None:
        if options.get("command"):
            run_source(options["command"], self.get_namespace(**options))
            return
        source = _piped_stdin()
        if source is not None:
            run_source(source, self.get_namespace(**options), filename="<stdin>")
            return
        interface = options.get("interface")
        available_shells = [interface] if interface else self.shells
        for shell in available_shells:
            try:
                getattr(self, shell)(options)
                return
            except ImportError:
                continue
        raise CommandError(f"Couldn't import {available_shells[-1]} interface.")


def _piped_stdin() -> str | None:
    """Return what is waiting on a non-terminal stdin (``echo ... | manage.py shell``)."""
    if sys.platform == "win32":  # pragma: no cover - select() works on sockets only there
        return None
    try:
        if sys.stdin.isatty() or not select.select([sys.stdin], [], [], 0)[0]:
            return None
    except (OSError, ValueError, AttributeError, TypeError):
        # No real stdin (closed, or replaced by a test runner): nothing to read.
        return None
    return sys.stdin.read()
