"""``loaddata``: install fixtures; all of them, or (on any error) none.

Fixtures are found by name in each app's ``fixtures/`` folder, in
``FIXTURE_DIRS`` and as paths; ``name.json``, ``name.json.gz`` and the
database-specific ``name.<alias>.json`` all work, as in Django. The whole
load runs in one transaction, with foreign keys checked at the end, so a
bad fixture names its file, object and field and leaves the database as it
was.
"""

from __future__ import annotations

import bz2
import glob
import gzip
import lzma
import os
import sys
import warnings
import zipfile
from typing import IO, Any

import sqlalchemy as sa

from fastjango.apps import apps
from fastjango.conf import settings
from fastjango.core import serializers
from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.core.management.base import BaseCommand, CommandError, CommandParser
from fastjango.db import DEFAULT_DB_ALIAS, connections, router, transaction

__all__ = ["Command"]

READ_STDIN = "-"


def _open_zip(path: str, mode: str = "r") -> IO[bytes]:
    archive = zipfile.ZipFile(path)
    names = archive.namelist()
    if len(names) != 1:
        raise ValueError(
            f"Zip-compressed fixtures must contain one file ({path} has {len(names)})."
        )
    return archive.open(names[0])


COMPRESSION_FORMATS: dict[str | None, Any] = {
    None: lambda path, mode="rb": open(path, mode),
    ".gz": gzip.open,
    ".zip": _open_zip,
    ".bz2": bz2.open,
    ".lzma": lzma.open,
    ".xz": lzma.open,
}


class Command(BaseCommand):
    help = "Installs the named fixture(s) in the database."
    missing_args_message = (
        "No database fixture specified. Please provide the path of at least one fixture in the "
        "command line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("args", metavar="fixture", nargs="+", help="Fixture labels.")
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="Nominates a specific database to load fixtures into. Defaults to the "
            '"default" database.',
        )
        parser.add_argument(
            "--app", dest="app_label", help="Only look for fixtures in the specified app."
        )
        parser.add_argument(
            "--ignorenonexistent",
            "-i",
            action="store_true",
            dest="ignore",
            help="Ignores entries in the serialized data for fields that do not currently exist "
            "on the model.",
        )
        parser.add_argument(
            "-e",
            "--exclude",
            action="append",
            default=[],
            help="An app_label or app_label.ModelName to exclude. Can be used multiple times.",
        )
        parser.add_argument("--format", help="Format of serialized data when reading from stdin.")

    def handle(self, *fixture_labels: str, **options: Any) -> None:
        self.using: str = options["database"]
        if self.using not in connections:
            raise CommandError(f"The database '{self.using}' isn't in the DATABASES setting.")
        self.app_label: str | None = options["app_label"]
        self.verbosity = int(options["verbosity"])
        self.ignore = bool(options["ignore"])
        self.format: str | None = options["format"]
        self.excluded_apps, self.excluded_models = self.parse_excludes(options["exclude"])
        if self.app_label:
            try:
                apps.get_app_config(self.app_label)
            except LookupError as exc:
                raise CommandError(str(exc.args[0])) from exc
        with transaction.atomic(using=self.using):
            self.loaddata(fixture_labels)
        if self.verbosity >= 1:
            if self.fixture_object_count == self.loaded_object_count:
                self.stdout.write(
                    f"Installed {self.loaded_object_count} object(s) from "
                    f"{self.fixture_count} fixture(s)"
                )
            else:
                self.stdout.write(
                    f"Installed {self.loaded_object_count} object(s) (of "
                    f"{self.fixture_object_count}) from {self.fixture_count} fixture(s)"
                )

    def parse_excludes(self, excludes: list[str]) -> tuple[set[Any], set[Any]]:
        """Return the apps and models ``--exclude`` names."""
        excluded_apps: set[Any] = set()
        excluded_models: set[Any] = set()
        for label in excludes:
            if "." in label:
                try:
                    excluded_models.add(apps.get_model(label))
                except LookupError as exc:
                    raise CommandError(f"Unknown model in excludes: {label}") from exc
            else:
                try:
                    excluded_apps.add(apps.get_app_config(label))
                except LookupError as exc:
                    raise CommandError(f"No installed app with label '{label}'.") from exc
        return excluded_apps, excluded_models

    # -- loading --------------------------------------------------------------

    def loaddata(self, fixture_labels: tuple[str, ...]) -> None:
        """Load every fixture; raise ``CommandError`` (rolling everything back) on a problem."""
        self.fixture_count = 0
        self.loaded_object_count = 0
        self.fixture_object_count = 0
        self.models: set[Any] = set()
        self.serialization_formats = serializers.get_public_serializer_formats()
        self.objs_with_deferred_fields: list[Any] = []
        connection = connections[self.using]
        found = [(label, self.find_fixtures(label)) for label in fixture_labels]
        restore = self._relax_foreign_keys(connection)
        try:
            for _label, fixture_files in found:
                for path, fixture_dir, fixture_name in fixture_files:
                    self.load_file(path, fixture_dir, fixture_name)
            for obj in self.objs_with_deferred_fields:
                try:
                    obj.save_deferred_fields(using=self.using)
                except Exception as exc:
                    raise CommandError(f"Problem installing fixtures: {_one_line(exc)}") from exc
        finally:
            if restore is not None:
                restore()
        self._check_foreign_keys(connection)
        if self.loaded_object_count > 0:
            self.reset_sequences(connection)

    def load_file(self, path: str, fixture_dir: str, fixture_name: str) -> None:
        """Load one fixture file."""
        _, ser_fmt, cmp_fmt = self.parse_name(os.path.basename(path))
        # find_fixtures() only returns names that end in a known format.
        assert ser_fmt is not None
        stream: Any = None
        objects_in_fixture = 0
        loaded_in_fixture = 0
        if self.verbosity >= 2:
            self.stdout.write(
                f"Installing {ser_fmt} fixture '{fixture_name}' from {_humanize(fixture_dir)}."
            )
        try:
            stream = sys.stdin if path == READ_STDIN else COMPRESSION_FORMATS[cmp_fmt](path, "rb")
            data = stream.read()
            objects = serializers.deserialize(
                ser_fmt,
                data,
                using=self.using,
                ignorenonexistent=self.ignore,
                handle_forward_references=True,
            )
            for obj in objects:
                objects_in_fixture += 1
                model = type(obj.object)
                if model._meta.app_config in self.excluded_apps or model in self.excluded_models:
                    continue
                if not router.allow_migrate_model(self.using, model):
                    continue
                loaded_in_fixture += 1
                self.models.add(model)
                try:
                    obj.save(using=self.using)
                except Exception as exc:
                    raise CommandError(
                        f"Problem installing fixture '{path}': could not load "
                        f"{model._meta.label}(pk={obj.object.pk}): {_one_line(exc)}"
                    ) from exc
                if obj.deferred_fields:
                    self.objs_with_deferred_fields.append(obj)
        except CommandError:
            raise
        except Exception as exc:
            raise CommandError(f"Problem installing fixture '{path}': {_one_line(exc)}") from exc
        finally:
            if stream is not None and stream is not sys.stdin:
                stream.close()
        self.fixture_count += 1
        self.loaded_object_count += loaded_in_fixture
        self.fixture_object_count += objects_in_fixture
        if objects_in_fixture == 0:
            warnings.warn(
                f"No fixture data found for '{fixture_name}'. (File format may be invalid.)",
                RuntimeWarning,
                stacklevel=2,
            )

    # -- finding fixtures -------------------------------------------------------

    def parse_name(self, fixture_name: str) -> tuple[str, str | None, str | None]:
        """Return ``(name, serialization format, compression format)`` of a fixture label."""
        if fixture_name == READ_STDIN:
            if not self.format:
                raise CommandError("--format must be specified when reading from stdin.")
            return READ_STDIN, self.format, "stdin"
        parts = fixture_name.rsplit(".", 2)
        cmp_fmt: str | None = None
        if len(parts) > 1 and f".{parts[-1]}" in COMPRESSION_FORMATS:
            cmp_fmt = f".{parts[-1]}"
            parts = parts[:-1]
        ser_fmt: str | None = None
        if len(parts) > 1:
            if parts[-1] in self.serialization_formats:
                ser_fmt = parts[-1]
                parts = parts[:-1]
            else:
                raise CommandError(
                    f"Problem installing fixture '{'.'.join(parts[:-1])}': {parts[-1]} is not a "
                    "known serialization format."
                )
        return ".".join(parts), ser_fmt, cmp_fmt

    @property
    def fixture_dirs(self) -> list[str]:
        """Return the folders fixtures are looked for in: apps' fixtures/, FIXTURE_DIRS, cwd."""
        dirs: list[str] = []
        fixture_dirs = [str(d) for d in getattr(settings, "FIXTURE_DIRS", [])]
        if len(fixture_dirs) != len(set(fixture_dirs)):
            raise ImproperlyConfigured("settings.FIXTURE_DIRS contains duplicates.")
        for app_config in apps.get_app_configs():
            if self.app_label and app_config.label != self.app_label:
                continue
            app_dir = os.path.join(app_config.path, "fixtures")
            if app_dir in fixture_dirs:
                raise ImproperlyConfigured(
                    f"'{app_dir}' is a default fixture directory for the '{app_config.label}' "
                    "app and cannot be listed in settings.FIXTURE_DIRS."
                )
            if os.path.isdir(app_dir):
                dirs.append(app_dir)
        dirs.extend(fixture_dirs)
        dirs.append("")
        return [os.path.realpath(d) if d else d for d in dirs]

    def find_fixtures(self, fixture_label: str) -> list[tuple[str, str, str]]:
        """Return ``(path, folder, name)`` of each file a fixture label means."""
        if fixture_label == READ_STDIN:
            self.parse_name(READ_STDIN)
            return [(READ_STDIN, "stdin", READ_STDIN)]
        fixture_name, ser_fmt, cmp_fmt = self.parse_name(fixture_label)
        cmp_fmts = list(COMPRESSION_FORMATS) if cmp_fmt is None else [cmp_fmt]
        ser_fmts = self.serialization_formats if ser_fmt is None else [ser_fmt]
        if os.path.isabs(fixture_name):
            fixture_dirs = [os.path.dirname(fixture_name)]
            fixture_name = os.path.basename(fixture_name)
        else:
            fixture_dirs = self.fixture_dirs
            if os.path.sep in os.path.normpath(fixture_name):
                fixture_dirs = [
                    os.path.join(folder, os.path.dirname(fixture_name)) for folder in fixture_dirs
                ]
                fixture_name = os.path.basename(fixture_name)
        targets = {
            ".".join(part for part in (fixture_name, database, fmt) if part) + (compression or "")
            for database in (self.using, None)
            for fmt in ser_fmts
            for compression in cmp_fmts
        }
        found: list[tuple[str, str, str]] = []
        for folder in fixture_dirs:
            matches = []
            for candidate in glob.iglob(os.path.join(glob.escape(folder or "."), "*")):
                if os.path.basename(candidate) in targets and os.path.isfile(candidate):
                    matches.append(candidate)
            if len(matches) > 1:
                raise CommandError(
                    f"Multiple fixtures named '{fixture_name}' in {_humanize(folder)}. Aborting."
                )
            found.extend((path, folder, fixture_name) for path in matches)
        if not found:
            raise CommandError(
                f"No fixture named '{fixture_name}' found. Put it in an app's fixtures/ folder "
                "or a folder listed in FIXTURE_DIRS, or give its path."
            )
        return found

    # -- integrity --------------------------------------------------------------

    def _relax_foreign_keys(self, connection: Any) -> Any:
        """Let fixtures list children before parents; return how to undo it, if needed.

        The references are checked at the end instead. SQLite's and
        PostgreSQL's settings last until the transaction ends; MySQL's is per
        session, so it is switched back on the same connection.
        """
        with connection.connect() as conn:
            if connection.vendor == "sqlite":
                conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            elif connection.vendor == "postgresql":
                conn.exec_driver_sql("SET CONSTRAINTS ALL DEFERRED")
            elif connection.vendor == "mysql":
                conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")
                # The block's connection, even when an error has spoilt the transaction.
                return lambda: conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 1")
        return None

    def _check_foreign_keys(self, connection: Any) -> None:
        for model in self.models:
            table = model.__table__
            for constraint in table.foreign_key_constraints:
                if len(constraint.elements) != 1:
                    continue
                element = constraint.elements[0]
                child, parent = element.parent, element.column
                parent_table = parent.table.alias("parent")
                query = (
                    sa.select(table.primary_key.columns.values()[0], child)
                    .select_from(table.outerjoin(parent_table, child == parent_table.c[parent.key]))
                    .where(child.is_not(None), parent_table.c[parent.key].is_(None))
                    .limit(1)
                )
                row = connection.execute(query).first()
                if row is not None:
                    raise CommandError(
                        f"Problem installing fixtures: the row in table '{table.name}' with "
                        f"primary key '{row[0]}' has an invalid foreign key: {table.name}."
                        f"{child.name} contains a value '{row[1]}' that does not have a "
                        f"corresponding value in {parent.table.name}.{parent.name}."
                    )

    def reset_sequences(self, connection: Any) -> None:
        """Point PostgreSQL's id sequences past the loaded rows (others follow on their own)."""
        if connection.vendor != "postgresql":
            return
        quote = connection.ops.quote_name
        for model in self.models:
            pk = model._meta.pk
            if not getattr(pk, "auto_created", False) and not type(pk).__name__.endswith(
                "AutoField"
            ):
                continue
            table, column = model._meta.db_table, pk.column
            connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{quote(table)}', '{column}'), "
                f"coalesce(max({quote(column)}), 1), max({quote(column)}) IS NOT null) "
                f"FROM {quote(table)}"
            )


def _humanize(dirname: str) -> str:
    return f"'{dirname}'" if dirname else "absolute path"


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
