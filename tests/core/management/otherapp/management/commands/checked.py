"""A command that runs only the checks tagged "testtag"."""

from __future__ import annotations

from typing import Any

from fastjango.core.management.base import BaseCommand


class Command(BaseCommand):
    requires_system_checks = ["testtag"]

    def handle(self, *args: Any, **options: Any) -> str:
        return "checked ran"
