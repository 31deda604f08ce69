"""Overrides the built-in ``version`` command, as an app's command may."""

from __future__ import annotations

from typing import Any

from fastjango.core.management.base import BaseCommand


class Command(BaseCommand):
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> str:
        return "cmdapp version"
