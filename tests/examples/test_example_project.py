"""The example project that README's first command runs must keep working."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "mysite"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FASTJANGO_", "COV_"))}
    return subprocess.run(
        [sys.executable, *args], cwd=EXAMPLE, env=env, capture_output=True, text=True, timeout=120
    )


def test_example_project_passes_its_checks() -> None:
    result = _run("manage.py", "check")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_example_project_tests_pass() -> None:
    result = _run("-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:cov")
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout
