"""A command exercising options the way call_command must handle them."""

from __future__ import annotations

from typing import Any

from fastjango.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Greets people."
    requires_system_checks: list[str] = []
    stealth_options = ("secret",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("names", nargs="*")
        parser.add_argument("--shout", action="store_true")
        parser.add_argument("--times", type=int, default=1)
        parser.add_argument("--greeting", dest="salutation", default="Hello")
        parser.add_argument("--lang", required=False)
        parser.add_argument("--fail", type=int, default=0)

    def handle(self, *args: Any, **options: Any) -> str:
        if options["fail"]:
            raise CommandError("greeting failed", returncode=options["fail"])
        names = options["names"] or ["world"]
        text = " ".join(f"{options['salutation']} {name}" for name in names)
        text = "\n".join([text] * options["times"])
        if options.get("secret"):
            text += " (secret)"
        return text.upper() if options["shout"] else text
