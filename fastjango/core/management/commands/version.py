"""``version``: print FastJango's version."""

from __future__ import annotations

from typing import Any

import fastjango
from fastjango.core.management.base import BaseCommand

__all__ = ["Command"]


class Command(BaseCommand):
    help = "Prints the FastJango version."
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> str:
        return fastjango.get_version()
