"""``diffsettings``: show how the project's settings differ from the defaults."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastjango.core.management.base import BaseCommand, CommandParser

__all__ = ["Command", "module_to_dict"]


def _omittable(name: str) -> bool:
    return name.startswith("_") or not name.isupper()


def module_to_dict(module: Any, omittable: Callable[[str], bool] = _omittable) -> dict[str, str]:
    """Return ``{setting name: repr(value)}`` for the settings in ``module``."""
    return {name: repr(getattr(module, name)) for name in dir(module) if not omittable(name)}


class Command(BaseCommand):
    help = "Displays differences between the current settings.py and FastJango's default settings."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            help='Display all settings, regardless of their value. In "hash" mode, default '
            'values are prefixed by "###".',
        )
        parser.add_argument(
            "--default",
            metavar="MODULE",
            help="The settings module to compare the current settings against. Leave empty "
            "to compare against FastJango's default settings.",
        )
        parser.add_argument(
            "--output",
            default="hash",
            choices=("hash", "unified"),
            help="Selects the output format. 'hash' mode displays each changed setting, with "
            "the settings that don't appear in the defaults followed by ###. 'unified' mode "
            "prefixes the default setting with a minus sign, followed by the changed setting "
            "prefixed with a plus sign.",
        )

    def handle(self, **options: Any) -> str:
        from fastjango.conf import Settings, global_settings, settings

        # Settings load lazily; the comparison needs the real object underneath.
        if not settings.configured:
            settings._setup()
        user_settings = module_to_dict(settings._wrapped)
        default = options["default"]
        default_settings = module_to_dict(Settings(default) if default else global_settings)
        if options["output"] == "unified":
            lines = self.output_unified(user_settings, default_settings, **options)
        else:
            lines = self.output_hash(user_settings, default_settings, **options)
        return "\n".join(lines)

    def output_hash(
        self, user_settings: dict[str, str], default_settings: dict[str, str], **options: Any
    ) -> list[str]:
        """List changed settings; ``###`` marks settings the defaults don't have."""
        output = []
        for key in sorted(user_settings):
            if key not in default_settings:
                output.append(f"{key} = {user_settings[key]}  ###")
            elif user_settings[key] != default_settings[key]:
                output.append(f"{key} = {user_settings[key]}")
            elif options["all"]:
                output.append(f"### {key} = {user_settings[key]}")
        return output

    def output_unified(
        self, user_settings: dict[str, str], default_settings: dict[str, str], **options: Any
    ) -> list[str]:
        """List changes as a diff: ``-`` the default, ``+`` the project's value."""
        output = []
        for key in sorted(user_settings):
            if key not in default_settings:
                output.append(self.style.SUCCESS(f"+ {key} = {user_settings[key]}"))
            elif user_settings[key] != default_settings[key]:
                output.append(self.style.ERROR(f"- {key} = {default_settings[key]}"))
                output.append(self.style.SUCCESS(f"+ {key} = {user_settings[key]}"))
            elif options["all"]:
                output.append(f"  {key} = {user_settings[key]}")
        return output
