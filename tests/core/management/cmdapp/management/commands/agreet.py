"""A command with an async handle()."""

from __future__ import annotations

import asyncio
from typing import Any

from fastjango.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")

    async def handle(self, *args: Any, **options: Any) -> str:
        await asyncio.sleep(0)
        self.stdout.write("working")
        return f"async hello {options['name']}"
