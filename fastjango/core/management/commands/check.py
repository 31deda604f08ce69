"""``check``: run the system checks and report what they find."""

from __future__ import annotations

from typing import Any

from fastjango.core import checks
from fastjango.core.checks.registry import registry
from fastjango.core.management.base import BaseCommand, CommandError, CommandParser

__all__ = ["Command"]

LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


class Command(BaseCommand):
    help = "Checks the entire FastJango project for potential problems."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("args", metavar="app_label", nargs="*")
        parser.add_argument(
            "--tag",
            "-t",
            action="append",
            dest="tags",
            help="Run only checks labeled with given tag.",
        )
        parser.add_argument("--list-tags", action="store_true", help="List available tags.")
        parser.add_argument("--deploy", action="store_true", help="Check deployment settings.")
        parser.add_argument(
            "--fail-level",
            default="ERROR",
            choices=LEVELS,
            help="Message level that will cause the command to exit with a non-zero status. "
            "Default is ERROR.",
        )
        parser.add_argument(
            "--database",
            action="append",
            dest="databases",
            help="Run database related checks against these aliases.",
        )

    def handle(self, *app_labels: str, **options: Any) -> None:
        include_deployment_checks = options["deploy"]
        if options["list_tags"]:
            self.stdout.write("\n".join(sorted(registry.tags_available(include_deployment_checks))))
            return
        app_configs = None
        if app_labels:
            from fastjango.apps import apps

            try:
                app_configs = [apps.get_app_config(app_label) for app_label in app_labels]
            except LookupError as exc:
                raise CommandError(str(exc.args[0])) from exc
        tags = options["tags"]
        if tags:
            invalid = [tag for tag in tags if not checks.tag_exists(tag, include_deployment_checks)]
            if invalid:
                raise CommandError(f'There is no system check with the "{invalid[0]}" tag.')
        self.check(
            app_configs=app_configs,
            tags=tags,
            display_num_errors=True,
            include_deployment_checks=include_deployment_checks,
            fail_level=getattr(checks, options["fail_level"]),
            databases=options["databases"],
        )
