"""A command with argparse sub-commands."""

from __future__ import annotations

from typing import Any

from fastjango.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(dest="action", required=True)
        add = subparsers.add_parser("add")
        add.add_argument("value", type=int)
        add.add_argument("--by", type=int, required=True)

    def handle(self, *args: Any, **options: Any) -> str:
        return f"{options['action']} {options['value']} {options['by']}"
