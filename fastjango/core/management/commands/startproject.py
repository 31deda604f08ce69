"""``startproject``: create a project directory from the project template."""

from __future__ import annotations

from typing import Any

from fastjango.core.checks.security.base import SECRET_KEY_INSECURE_PREFIXES
from fastjango.core.management.templates import TemplateCommand
from fastjango.core.management.utils import get_random_secret_key

__all__ = ["Command"]


class Command(TemplateCommand):
    help = (
        "Creates a FastJango project directory structure for the given project name in the "
        "current directory or optionally in the given directory."
    )
    missing_args_message = "You must provide a project name."

    def handle(self, **options: Any) -> None:  # type: ignore[override]
        project_name = options.pop("name")
        target = options.pop("directory")
        # The generated key works for development; check --deploy flags its prefix.
        options["secret_key"] = SECRET_KEY_INSECURE_PREFIXES[0] + get_random_secret_key()
        super().handle("project", project_name, target, **options)
