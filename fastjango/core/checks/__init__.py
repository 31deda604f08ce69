"""System checks: ``register`` a check, ``run_checks`` to collect what it reports.

Django's API: ``from fastjango.core import checks``, then ``@checks.register()``
and ``checks.Error(...)``, ``checks.Warning(...)``. ``SystemCheckError`` is
importable from here too (its home is ``fastjango.core.management.base``).
"""

from __future__ import annotations

from typing import Any

# Importing these modules registers their checks.
import fastjango.core.checks.async_checks
import fastjango.core.checks.files
import fastjango.core.checks.http
import fastjango.core.checks.model_checks
import fastjango.core.checks.security.base
import fastjango.core.checks.security.csrf
import fastjango.core.checks.security.sessions
import fastjango.core.checks.templates
import fastjango.core.checks.urls  # noqa: F401
from fastjango.core.checks.messages import (
    CRITICAL,
    DEBUG,
    ERROR,
    INFO,
    WARNING,
    CheckMessage,
    Critical,
    Debug,
    Error,
    Info,
    Warning,
)
from fastjango.core.checks.registry import (
    CheckRegistry,
    Tags,
    register,
    registry,
    run_checks,
    tag_exists,
)

__all__ = [
    "CRITICAL",
    "DEBUG",
    "ERROR",
    "INFO",
    "WARNING",
    "CheckMessage",
    "CheckRegistry",
    "Critical",
    "Debug",
    "Error",
    "Info",
    "SystemCheckError",
    "Tags",
    "Warning",
    "register",
    "registry",
    "run_checks",
    "tag_exists",
]


def __getattr__(name: str) -> Any:
    # The management package imports this one, so the exception is fetched lazily.
    if name == "SystemCheckError":
        from fastjango.core.management.base import SystemCheckError

        return SystemCheckError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
