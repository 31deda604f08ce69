"""``dumpdata``: write the contents of the database as a fixture (JSON by default)."""

from __future__ import annotations

import bz2
import gzip
import lzma
import os
import warnings
from collections.abc import Iterator
from typing import IO, Any

from fastjango.apps import apps
from fastjango.core import serializers
from fastjango.core.management.base import BaseCommand, CommandError, CommandParser
from fastjango.db import DEFAULT_DB_ALIAS, connections, router

__all__ = ["Command", "ProxyModelWarning"]

_COMPRESSORS: dict[str, Any] = {
    ".gz": gzip.open,
    ".bz2": bz2.open,
    ".lzma": lzma.open,
    ".xz": lzma.open,
}


class ProxyModelWarning(Warning):
    """A proxy model was named: its rows are dumped with its concrete model."""


class Command(BaseCommand):
    help = (
        "Output the contents of the database as a fixture of the given format (using each "
        "model's default manager unless --all is specified)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "args",
            metavar="app_label[.ModelName]",
            nargs="*",
            help="Restricts dumped data to the specified app_label or app_label.ModelName.",
        )
        parser.add_argument(
            "--format",
            default="json",
            help="Specifies the output serialization format for fixtures.",
        )
        parser.add_argument(
            "--indent",
            type=int,
            help="Specifies the indent level to use when pretty-printing output.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help='Nominates a specific database to dump fixtures from. Defaults to the "default" '
            "database.",
        )
        parser.add_argument(
            "-e",
            "--exclude",
            action="append",
            default=[],
            help="An app_label or app_label.ModelName to exclude (use multiple --exclude to "
            "exclude multiple apps/models).",
        )
        parser.add_argument(
            "--natural-foreign",
            action="store_true",
            dest="use_natural_foreign_keys",
            help="Use natural foreign keys if they are available.",
        )
        parser.add_argument(
            "--natural-primary",
            action="store_true",
            dest="use_natural_primary_keys",
            help="Use natural primary keys if they are available.",
        )
        parser.add_argument(
            "-a",
            "--all",
            action="store_true",
            dest="use_base_manager",
            help="Use FastJango's base manager to dump all models stored in the database, "
            "including those that would otherwise be filtered or modified by a custom manager.",
        )
        parser.add_argument(
            "--pks",
            dest="primary_keys",
            help="Only dump objects with given primary keys. Accepts a comma-separated list of "
            "keys. This option only works when you specify one model.",
        )
        parser.add_argument("-o", "--output", help="Specifies file to which the output is written.")

    def handle(self, *app_labels: str, **options: Any) -> None:
        fmt: str = options["format"]
        indent = options["indent"]
        using: str = options["database"]
        output: str | None = options["output"]
        self.verbosity = int(options["verbosity"])
        if using not in connections:
            raise CommandError(f"The database '{using}' isn't in the DATABASES setting.")
        primary_keys = (
            [pk.strip() for pk in options["primary_keys"].split(",")]
            if options["primary_keys"]
            else []
        )
        excluded_apps, excluded_models = self.parse_excludes(options["exclude"])
        app_list = self.parse_labels(app_labels, excluded_apps, excluded_models)
        if primary_keys:
            chosen = list(app_list.values())
            if len(chosen) != 1 or chosen[0] is None or len(chosen[0]) != 1:
                raise CommandError("You can only use --pks option with one model")
        if fmt not in serializers.get_public_serializer_formats():
            raise CommandError(f"Unknown serialization format: {fmt}")

        if options["use_natural_foreign_keys"]:
            models = serializers.sort_dependencies(app_list.items(), allow_cycles=True)
        else:
            models = []
            for app_config, model_list in app_list.items():
                chosen = model_list if model_list is not None else list(app_config.get_models())
                models.extend(m for m in chosen if m not in excluded_models)

        def get_objects(count_only: bool = False) -> Iterator[Any]:
            for model in models:
                if model in excluded_models:
                    continue
                if model._meta.proxy and model._meta.proxy_for_model not in models:
                    warnings.warn(
                        f"{model._meta.label} is a proxy model and won't be serialized.",
                        category=ProxyModelWarning,
                        stacklevel=2,
                    )
                if model._meta.proxy or not router.allow_migrate_model(using, model):
                    continue
                manager = (
                    model._base_manager if options["use_base_manager"] else (model._default_manager)
                )
                queryset = manager.using(using).order_by(model._meta.pk.name)
                if primary_keys:
                    queryset = queryset.filter(pk__in=primary_keys)
                if count_only:
                    yield queryset.order_by().count()
                else:
                    yield from queryset.iterator()

        progress_output = None
        object_count = 0
        stream: IO[str] | Any = None
        try:
            if output:
                stream = self._open(output)
                if self.verbosity > 0 and self.stdout.isatty():
                    # The bar redraws itself on one line.
                    self.stdout.ending = ""
                    progress_output = self.stdout
                    object_count = sum(get_objects(count_only=True))
            else:
                self.stdout.ending = ""
                stream = self.stdout
            serializers.serialize(
                fmt,
                get_objects(),
                indent=indent,
                use_natural_foreign_keys=options["use_natural_foreign_keys"],
                use_natural_primary_keys=options["use_natural_primary_keys"],
                stream=stream,
                progress_output=progress_output,
                object_count=object_count,
            )
        except Exception as exc:
            if isinstance(exc, CommandError):
                raise
            raise CommandError(f"Unable to serialize database: {exc}") from exc
        finally:
            if output and stream is not None:
                stream.close()

    @staticmethod
    def _open(path: str) -> Any:
        opener = _COMPRESSORS.get(os.path.splitext(path)[1])
        if opener is not None:
            return opener(path, "wt", encoding="utf-8")
        return open(path, "w", encoding="utf-8")

    def parse_excludes(self, excludes: list[str]) -> tuple[set[Any], set[Any]]:
        """Return the apps and models ``--exclude`` names."""
        excluded_apps: set[Any] = set()
        excluded_models: set[Any] = set()
        for label in excludes:
            if "." in label:
                try:
                    model = apps.get_model(label)
                except LookupError as exc:
                    raise CommandError(f"Unknown model in excludes: {label}") from exc
                excluded_models.add(model)
            else:
                try:
                    excluded_apps.add(apps.get_app_config(label))
                except LookupError as exc:
                    raise CommandError(f"No installed app with label '{label}'.") from exc
        return excluded_apps, excluded_models

    def parse_labels(
        self, labels: tuple[str, ...], excluded_apps: set[Any], excluded_models: set[Any]
    ) -> dict[Any, list[Any] | None]:
        """Return ``{app_config: models or None for all}`` for the labels asked for."""
        app_list: dict[Any, list[Any] | None] = {}
        if not labels:
            for app_config in apps.get_app_configs():
                if app_config.models_module is not None and app_config not in excluded_apps:
                    app_list[app_config] = None
            return app_list
        for label in labels:
            app_label, _, model_label = label.partition(".")
            try:
                app_config = apps.get_app_config(app_label)
            except LookupError as exc:
                raise CommandError(f"Unknown application: {app_label}") from exc
            if app_config.models_module is None or app_config in excluded_apps:
                continue
            if not model_label:
                app_list[app_config] = None
                continue
            try:
                model = app_config.get_model(model_label)
            except LookupError as exc:
                raise CommandError(f"Unknown model: {app_label}.{model_label}") from exc
            existing = app_list.get(app_config, [])
            if existing is None:
                continue
            if model not in existing:
                existing.append(model)
            app_list[app_config] = existing
        return app_list
