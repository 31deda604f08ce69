from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from fastjango.core.management.base import CommandError
from fastjango.core.management.utils import (
    SECRET_KEY_CHARS,
    find_command,
    get_command_line_option,
    get_random_secret_key,
    handle_extensions,
    is_ignored_path,
    normalize_path_patterns,
    popen_wrapper,
)


def test_handle_extensions() -> None:
    assert handle_extensions(["html"]) == {".html"}
    assert handle_extensions(["html,txt", ".py", " js , css "]) == {
        ".html",
        ".txt",
        ".py",
        ".js",
        ".css",
    }
    assert handle_extensions(["", ","]) == set()


def test_get_random_secret_key() -> None:
    key = get_random_secret_key()
    assert len(key) == 50
    assert set(key) <= set(SECRET_KEY_CHARS)
    assert key != get_random_secret_key()
    # Safe inside a Python string literal in settings.py.
    assert not {"'", '"', "\\", "{", "}"} & set(SECRET_KEY_CHARS)


def test_get_command_line_option() -> None:
    argv = ["manage.py", "check", "--settings", "a.b", "--pythonpath=/x"]
    assert get_command_line_option(argv, "--settings") == "a.b"
    assert get_command_line_option(argv, "--pythonpath") == "/x"
    assert get_command_line_option(argv, "--nope") is None
    assert get_command_line_option(["x", "--settings"], "--settings") is None


def test_find_command(tmp_path: Path) -> None:
    assert find_command("sh") is not None
    assert find_command("surely-not-a-command-anywhere") is None
    tool = tmp_path / "tool"
    tool.write_text("#!/bin/sh\n")
    tool.chmod(0o755)
    assert find_command("tool", path=str(tmp_path), pathext=".EXE") == str(tool)
    assert find_command("tool", path=[str(tmp_path)]) == str(tool)


def test_popen_wrapper() -> None:
    out, err, code = popen_wrapper([sys.executable, "-c", "import sys; print('hi'); sys.exit(3)"])
    assert (out.strip(), code) == ("hi", 3)
    with pytest.raises(CommandError, match="Error executing surely-not-a-command"):
        popen_wrapper(["surely-not-a-command"])


def test_ignore_patterns() -> None:
    assert normalize_path_patterns(["foo/*", "bar", f"baz{os.sep}*"]) == ["foo", "bar", "baz"]
    assert is_ignored_path("a/b/foo", ["foo/*"])
    assert is_ignored_path("a/b/c.txt", ["*.txt"])
    assert is_ignored_path("a/b/c.txt", ["a/*/c.txt"])
    assert not is_ignored_path("a/b/c.py", ["*.txt"])
