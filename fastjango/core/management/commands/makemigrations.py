"""``makemigrations``: write new migration files for the changes made to models.

The models are compared with the schema the existing migration files build
(replayed into a scratch database), so no up-to-date database is needed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from fastjango.apps import apps
from fastjango.core.management.base import BaseCommand, CommandError, CommandParser
from fastjango.db.migrations.autodetector import AppChanges, MigrationAutodetector
from fastjango.db.migrations.exceptions import (
    BadMigrationError,
    CircularDependencyError,
    ConflictingMigrationsError,
    NodeNotFoundError,
)
from fastjango.db.migrations.loader import MigrationLoader, migration_revision
from fastjango.db.migrations.naming import Namer, timestamp_name
from fastjango.db.migrations.questioner import (
    InteractiveMigrationQuestioner,
    MigrationQuestioner,
    NonInteractiveMigrationQuestioner,
)
from fastjango.db.migrations.state import ProjectTables
from fastjango.db.migrations.writer import (
    EMPTY_DOWNGRADE,
    EMPTY_FUNCTIONS,
    EMPTY_UPGRADE,
    MigrationWriter,
)
from fastjango.db.utils import DatabaseError

__all__ = ["Command"]


def _display_path(path: Path) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


class Command(BaseCommand):
    help = "Creates new migration(s) for apps."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "args",
            metavar="app_label",
            nargs="*",
            help="Specify the app label(s) to create migrations for.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Just show what migrations would be made; don't actually write them.",
        )
        parser.add_argument(
            "--merge", action="store_true", help="Enable fixing of migration conflicts."
        )
        parser.add_argument("--empty", action="store_true", help="Create an empty migration.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Tells FastJango to NOT prompt the user for input of any kind.",
        )
        parser.add_argument("-n", "--name", help="Use this name for migration file(s).")
        parser.add_argument(
            "--no-header",
            action="store_false",
            dest="include_header",
            help="Do not add header comments to new migration file(s).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            dest="check_changes",
            help="Exit with a non-zero status if model changes are missing migrations and don't "
            "actually write them.",
        )
        parser.add_argument(
            "--scriptable",
            action="store_true",
            dest="scriptable",
            help="Divert log output and input prompts to stderr, writing only paths of generated "
            "migration files to stdout.",
        )

    @property
    def log_output(self) -> Any:
        """Return where messages go (stderr with ``--scriptable``)."""
        return self.stderr if self.scriptable else self.stdout

    def log(self, msg: str) -> None:
        """Write a message to the log output."""
        self.log_output.write(msg)

    def handle(self, *app_labels: str, **options: Any) -> None:
        self.written_files: list[Path] = []
        self.verbosity = int(options["verbosity"])
        self.interactive = bool(options["interactive"])
        self.dry_run = bool(options["dry_run"])
        self.merge = bool(options["merge"])
        self.empty = bool(options["empty"])
        self.migration_name: str | None = options["name"]
        self.include_header = bool(options["include_header"])
        self.scriptable = bool(options["scriptable"])
        check_changes = bool(options["check_changes"])
        if check_changes:
            self.dry_run = True
        if self.migration_name and not self.migration_name.isidentifier():
            raise CommandError("The migration name must be a valid Python identifier.")
        labels = set(app_labels)
        for app_label in sorted(labels):
            try:
                apps.get_app_config(app_label)
            except LookupError:
                raise CommandError(
                    f"App '{app_label}' could not be found. Is it in INSTALLED_APPS?"
                ) from None
        try:
            loader = MigrationLoader()
        except (BadMigrationError, NodeNotFoundError, CircularDependencyError) as exc:
            raise CommandError(str(exc)) from exc

        conflicts = loader.detect_conflicts()
        if labels:
            conflicts = {label: names for label, names in conflicts.items() if label in labels}
        if conflicts and not self.merge:
            raise CommandError(str(ConflictingMigrationsError(conflicts)))
        if self.merge and not conflicts:
            self.log("No conflicts detected to merge.")
            return
        if self.merge:
            self.handle_merge(loader, conflicts)
            return

        questioner: MigrationQuestioner
        if self.interactive:
            questioner = InteractiveMigrationQuestioner(
                specified_apps=labels, dry_run=self.dry_run, prompt_output=self.log_output
            )
        else:
            questioner = NonInteractiveMigrationQuestioner(
                specified_apps=labels, dry_run=self.dry_run, verbosity=self.verbosity, log=self.log
            )
        detector = MigrationAutodetector(loader, questioner)

        if self.empty:
            if not labels:
                raise CommandError("You must supply at least one app label when using --empty.")
            for app_label in sorted(labels):
                self.write_migration(
                    detector, self._empty_migration(detector, app_label), empty=True
                )
            return

        try:
            changes = detector.changes(labels or None, self.migration_name)
        except (CircularDependencyError, DatabaseError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if not changes:
            if self.verbosity >= 1:
                if len(labels) == 1:
                    self.log(f"No changes detected in app '{next(iter(labels))}'")
                elif labels:
                    listed = ", ".join(f"'{label}'" for label in sorted(labels))
                    last = listed.rpartition(", ")
                    self.log(f"No changes detected in apps {last[0]} and {last[2]}")
                else:
                    self.log("No changes detected")
            return
        for entry in changes:
            self.write_migration(detector, entry)
        if check_changes:
            sys.exit(1)

    def _empty_migration(self, detector: MigrationAutodetector, app_label: str) -> AppChanges:
        entry = AppChanges(app_label, [], [])
        leaves = detector.loader.leaf_nodes(app_label)
        name = self.migration_name or ("initial" if not leaves else timestamp_name())
        entry.name = f"{detector.next_number(app_label):04d}_{name}"
        entry.revision = migration_revision(app_label, entry.name)
        if leaves:
            entry.down_revision = leaves[0].revision
        else:
            entry.branch_labels = (app_label,)
        directory = detector.loader.migrations_dir(apps.get_app_config(app_label))
        if directory is not None:
            entry.path = directory / f"{entry.name}.py"
        return entry

    def write_migration(
        self, detector: MigrationAutodetector, entry: AppChanges, *, empty: bool = False
    ) -> None:
        """Print what a new migration does and write its file (unless a dry run)."""
        namer = Namer(entry.app_label, detector.project)
        if empty:
            writer = MigrationWriter(
                entry,
                namer,
                summary="Data migration.",
                upgrade=[EMPTY_UPGRADE],
                downgrade=[EMPTY_DOWNGRADE],
                functions=EMPTY_FUNCTIONS,
                extra_imports={"from fastjango.db import migrations"},
            )
        else:
            writer = MigrationWriter(entry, namer)
        writer.include_header = self.include_header
        if self.verbosity >= 1:
            self.log(self.style.MIGRATE_HEADING(f"Migrations for '{entry.app_label}':"))
            shown = _display_path(writer.path)
            if self.scriptable:
                self.log(f"  {shown}")
            else:
                self.log(f"  {self.style.MIGRATE_LABEL(shown)}")
            for category, description in detector.describe(entry):
                self.log(f"    {category} {description}")
        if self.dry_run:
            if self.verbosity >= 3:
                self.log(self.style.MIGRATE_HEADING(f"Full migrations file '{writer.filename}':"))
                self.log(writer.as_string())
            return
        path = writer.write()
        self.written_files.append(path)
        if self.scriptable:
            self.stdout.write(str(path))

    def handle_merge(self, loader: MigrationLoader, conflicts: dict[str, list[str]]) -> None:
        """Write a merge migration for each app with several heads (asking first)."""
        from fastjango.db.migrations.executor import record_operations
        from fastjango.db.migrations.questioner import InteractiveMigrationQuestioner

        questioner: MigrationQuestioner = (
            InteractiveMigrationQuestioner(prompt_output=self.log_output)
            if self.interactive
            else NonInteractiveMigrationQuestioner()
        )
        project = ProjectTables.collect(apps)
        from fastjango.db import connections

        dialect = _dialect(connections)
        for app_label, names in sorted(conflicts.items()):
            leaves = [loader.get_migration(app_label, name) for name in names]
            namer = Namer(app_label, project)
            common = set.intersection(*(loader.applied_closure([leaf.revision]) for leaf in leaves))
            if self.verbosity > 0:
                self.log(self.style.MIGRATE_HEADING(f"Merging {app_label}"))
                for leaf in leaves:
                    self.log(self.style.MIGRATE_LABEL(f"  Branch {leaf.name}"))
                    branch = [
                        m
                        for m in loader.app_migrations(app_label)
                        if m.revision in loader.applied_closure([leaf.revision])
                        and m.revision not in common
                    ]
                    for migration in branch:
                        for operation in record_operations(migration, dialect):
                            for item in namer.flatten(operation):
                                self.log(f"    {namer.category(item)} {namer.describe(item)}")
            if not questioner.ask_merge(app_label):
                continue
            number = max(m.number for m in loader.app_migrations(app_label)) + 1
            leaf_names = "_".join(sorted(leaf.name for leaf in leaves))
            suffix = self.migration_name or (
                f"merge_{leaf_names}" if len(leaf_names) <= 47 else f"merge_{timestamp_name()}"
            )
            entry = AppChanges(app_label, [], [])
            entry.name = f"{number:04d}_{suffix}"
            entry.revision = migration_revision(app_label, entry.name)
            entry.down_revision = tuple(leaf.revision for leaf in leaves)
            entry.path = leaves[0].path.parent / f"{entry.name}.py"
            writer = MigrationWriter(
                entry,
                namer,
                summary=f"Merge migrations {', '.join(leaf.name for leaf in leaves)} of "
                f"{app_label}.",
                upgrade=["pass"],
                downgrade=["pass"],
            )
            writer.include_header = self.include_header
            if self.dry_run:
                if self.verbosity > 1:
                    self.log(writer.as_string())
                continue
            path = writer.write()
            self.written_files.append(path)
            if self.verbosity > 0:
                self.log(f"\nCreated new merge migration {_display_path(path)}")
            if self.scriptable:
                self.stdout.write(str(path))


def _dialect(connections: Any) -> Any:
    from sqlalchemy.dialects import sqlite

    connection = connections["default"]
    if connection.vendor == "dummy":
        return sqlite.dialect()
    return connection.dialect
