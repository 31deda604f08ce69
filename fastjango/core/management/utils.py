"""Helpers for commands, with Django's names: extensions, secret keys, executables."""

from __future__ import annotations

import fnmatch
import os
import secrets
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

from fastjango.core.management.base import CommandError

__all__ = [
    "find_command",
    "get_command_line_option",
    "get_random_secret_key",
    "handle_extensions",
    "is_ignored_path",
    "normalize_path_patterns",
    "popen_wrapper",
]

SECRET_KEY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)"


def popen_wrapper(args: Sequence[str], stdout_encoding: str = "utf-8") -> tuple[str, str, int]:
    """Run ``args``; return ``(stdout, stderr, returncode)``; ``CommandError`` if it can't run."""
    try:
        proc = subprocess.run(args, capture_output=True, close_fds=os.name != "nt", check=False)
    except OSError as err:
        raise CommandError(f"Error executing {args[0]}") from err
    return (
        proc.stdout.decode(stdout_encoding),
        proc.stderr.decode(errors="replace"),
        proc.returncode,
    )


def handle_extensions(extensions: Iterable[str]) -> set[str]:
    """Return the set of ``.ext`` suffixes from options like ``["html,txt", "py"]``.

    Commas separate extensions, spaces are ignored, a leading dot is added.
    """
    ext_list: list[str] = []
    for ext in extensions:
        ext_list.extend(ext.replace(" ", "").split(","))
    return {x if x.startswith(".") else f".{x}" for x in ext_list if x}


def find_command(
    cmd: str, path: Iterable[str] | str | None = None, pathext: Iterable[str] | str | None = None
) -> str | None:
    """Return the full path of the executable ``cmd`` on ``path`` (default PATH), or None."""
    if path is None:
        path = os.environ.get("PATH", "").split(os.pathsep)
    if isinstance(path, str):
        path = [path]
    if pathext is None:
        pathext = os.environ.get("PATHEXT", ".COM;.EXE;.BAT;.CMD").split(os.pathsep)
    if isinstance(pathext, str):
        pathext = [pathext]
    suffixes = [""] if os.name != "nt" or cmd.lower().endswith(tuple(pathext)) else list(pathext)
    for directory in path:
        for suffix in suffixes:
            found = shutil.which(cmd + suffix, path=directory)
            if found:
                return found
    return None


def get_random_secret_key() -> str:
    """Return a 50-character random string usable as ``SECRET_KEY``."""
    return "".join(secrets.choice(SECRET_KEY_CHARS) for _ in range(50))


def get_command_line_option(argv: Sequence[str], option: str) -> str | None:
    """Return the value of ``option`` (e.g. ``"--settings"``) in ``argv``, or None."""
    for index, arg in enumerate(argv):
        if arg == option and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith(f"{option}="):
            return arg.partition("=")[2]
    return None


def normalize_path_patterns(patterns: Iterable[str]) -> list[str]:
    """Normalize ignore patterns: OS path separators, no trailing ``/*``."""
    normalized = []
    for pattern in map(os.path.normcase, patterns):
        for dir_suffix in (f"{os.sep}*", "/*"):
            if pattern.endswith(dir_suffix):
                pattern = pattern.removesuffix(dir_suffix)
                break
        normalized.append(pattern)
    return normalized


def is_ignored_path(path: str | os.PathLike[str], ignore_patterns: Iterable[str]) -> bool:
    """Return whether the name or the whole of ``path`` matches an ignore pattern."""
    candidate = Path(path)
    return any(
        fnmatch.fnmatchcase(candidate.name, pattern) or fnmatch.fnmatchcase(str(candidate), pattern)
        for pattern in normalize_path_patterns(ignore_patterns)
    )
