"""``show_urls``: every URL of the project in resolution order, with its view and name."""

from __future__ import annotations

import io
import json
import shutil
from typing import Any

from fastjango.conf import settings
from fastjango.core.management.base import BaseCommand, CommandError, CommandParser

__all__ = ["Command"]

FORMATS = ("table", "plain", "json")


class Command(BaseCommand):
    help = (
        "Lists every URL pattern of the project in resolution order: the route, the view's "
        "dotted path and the (namespaced) URL name."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format",
            choices=FORMATS,
            default=None,
            help="Output format: 'table' (default on a terminal), 'plain' (tab-separated, "
            "the default otherwise) or 'json'.",
        )
        parser.add_argument(
            "--urlconf",
            default=None,
            help="The URLconf module to list (default: the ROOT_URLCONF setting).",
        )

    def handle(self, *args: Any, **options: Any) -> str | None:
        urlconf = options.get("urlconf") or settings.ROOT_URLCONF
        if not urlconf:
            raise CommandError(
                "There is no URLconf to list: set ROOT_URLCONF (e.g. 'mysite.urls') or pass "
                "--urlconf."
            )
        rows = self.get_rows(urlconf)
        output_format = options.get("format") or ("table" if self.stdout.isatty() else "plain")
        if output_format == "json":
            return json.dumps(rows, indent=2)
        if output_format == "plain":
            return "\n".join(f"{row['route']}\t{row['view']}\t{row['name'] or ''}" for row in rows)
        if not rows:
            return "No URL patterns."
        colored = bool(options.get("force_color")) or (
            not options.get("no_color") and self.stdout.isatty()
        )
        return self.render_table(rows, colored)

    def get_rows(self, urlconf: Any) -> list[dict[str, Any]]:
        """Return one ``{"route", "view", "name", "mount"}`` dict per endpoint, in order."""
        from fastjango.urls.resolvers import flatten_patterns, get_resolver

        return [
            {
                "route": endpoint.route,
                "view": endpoint.lookup_str,
                "name": endpoint.qualified_name,
                "mount": endpoint.is_mount,
            }
            for endpoint in flatten_patterns(get_resolver(urlconf))
        ]

    def render_table(self, rows: list[dict[str, Any]], colored: bool) -> str:
        """Return the rows as a rich table, coloured or plain."""
        from rich.console import Console
        from rich.table import Table

        table = Table(show_header=True, header_style="bold" if colored else None)
        table.add_column("Route", style="cyan" if colored else None, overflow="fold")
        table.add_column("View", overflow="fold")
        table.add_column("Name", style="green" if colored else None, overflow="fold")
        for row in rows:
            view = f"{row['view']} (ASGI mount)" if row["mount"] else row["view"]
            table.add_row(row["route"] or "/", view, row["name"] or "")
        buffer = io.StringIO()
        console = Console(
            file=buffer,
            force_terminal=colored,
            no_color=not colored,
            color_system="auto" if colored else None,
            width=shutil.get_terminal_size((120, 24)).columns,
        )
        console.print(table)
        return buffer.getvalue().rstrip("\n")
