"""A command with required options, a mutually exclusive group and sub-commands."""

from __future__ import annotations

from typing import Any

from fastjango.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--need", required=True, dest="needed")
        parser.add_argument("--items", nargs="+", required=False)
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--on", action="store_true")
        group.add_argument("--level", type=int)
        group.add_argument("--count", action="count")

    def handle(self, *args: Any, **options: Any) -> str:
        return (
            f"needed={options['needed']} items={options['items']} on={options['on']} "
            f"level={options['level']} count={options['count']}"
        )
