"""A second ``greet``: the app listed first in INSTALLED_APPS wins."""

from __future__ import annotations

from typing import Any

from fastjango.core.management.base import BaseCommand


class Command(BaseCommand):
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> str:
        return "otherapp greet"
