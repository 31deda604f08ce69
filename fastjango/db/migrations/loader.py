"""``MigrationLoader``: find each app's migration files and build the migration graph.

Every installed app with a ``migrations`` package (or the module named in
``MIGRATION_MODULES``) keeps its revision files there, one Alembic branch per
app, labelled with the app label. The loader imports the files, checks them,
resolves squashed migrations (``replaces``) and hands Alembic a
``ScriptDirectory`` built from them in code: there is no ``alembic.ini``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from alembic.script import Script, ScriptDirectory

from fastjango.apps import apps as global_apps
from fastjango.conf import settings
from fastjango.db.migrations.exceptions import (
    AmbiguityError,
    BadMigrationError,
    CircularDependencyError,
    ConflictingMigrationsError,
    NodeNotFoundError,
)

if TYPE_CHECKING:
    from fastjango.apps.config import AppConfig
    from fastjango.apps.registry import Apps

__all__ = ["MIGRATIONS_MODULE_NAME", "Migration", "MigrationLoader", "migration_revision"]

MIGRATIONS_MODULE_NAME = "migrations"

_NAME_RE = re.compile(r"^(\d{4,})_\w+$")
# A module loaded from a given file content is reused while the file is unchanged.
_module_cache: dict[tuple[str, str], ModuleType] = {}


def migration_revision(app_label: str, name: str) -> str:
    """Return the revision id of migration ``name`` of an app: ``"polls_0001_initial"``."""
    return f"{app_label}_{name}"


def _to_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(item) for item in value)


@dataclass(eq=False)
class Migration:
    """One migration file: where it lives and how it links to the others."""

    app_label: str
    name: str
    revision: str
    down_revisions: tuple[str, ...]
    depends_on: tuple[str, ...]
    branch_labels: tuple[str, ...]
    replaces: tuple[str, ...]
    path: Path
    module: ModuleType
    #: revision ids this migration needs first (its parents and dependencies)
    requires: tuple[str, ...] = field(default=())
    #: ``depends_on`` as revision ids (labels resolved, squashed ones replaced)
    dependencies: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        """Return ``"app_label.name"``, as Django prints migrations."""
        return f"{self.app_label}.{self.name}"

    @property
    def number(self) -> int:
        """Return the number the file name starts with (0 if it has none)."""
        match = _NAME_RE.match(self.name)
        return int(match.group(1)) if match else 0

    @property
    def initial(self) -> bool:
        """Return whether this migration creates its app's first tables."""
        explicit = getattr(self.module, "initial", None)
        if explicit is not None:
            return bool(explicit)
        return not self.down_revisions

    @property
    def description(self) -> str:
        """Return the first line of the file's docstring (what it does)."""
        doc = (self.module.__doc__ or "").strip()
        return doc.splitlines()[0] if doc else ""

    def __repr__(self) -> str:
        return f"<Migration {self.label}>"


class _ScriptDirectory(ScriptDirectory):
    """An Alembic ``ScriptDirectory`` whose revisions come from the loader, not a folder."""

    def __init__(self, scripts: list[Script]) -> None:
        self._fastjango_scripts = scripts
        super().__init__(os.path.dirname(__file__))

    def _load_revisions(self) -> Iterator[Script]:
        return iter(self._fastjango_scripts)


class MigrationLoader:
    """Load the migration files of every installed app.

    ``heads`` are the heads a database records (``MigrationRecorder.heads()``);
    they decide, as in Django, whether a squashed migration or the
    migrations it replaces are used: the squashed one when all or none of
    them are applied. Without them (no database), squashed migrations win.
    ``app_registry`` defaults to the installed apps.
    """

    def __init__(
        self,
        heads: Iterable[str] | None = None,
        *,
        app_registry: Apps | None = None,
        replace_migrations: bool = True,
    ) -> None:
        self.apps = app_registry or global_apps
        self.replace_migrations = replace_migrations
        #: app labels with a migrations package, and those without one
        self.migrated_apps: set[str] = set()
        self.unmigrated_apps: set[str] = set()
        #: every migration file found, squashed or not, keyed by (app_label, name)
        self.disk_migrations: dict[tuple[str, str], Migration] = {}
        #: the migrations in use, keyed by revision id
        self.migrations: dict[str, Migration] = {}
        self._load_disk()
        self._build_graph(None if heads is None else tuple(heads))

    # -- where migrations live ----------------------------------------------

    @staticmethod
    def migrations_module(app_label: str) -> tuple[str | None, bool]:
        """Return ``(module path, explicit)`` for an app's migrations, as Django does.

        The module path is None when ``MIGRATION_MODULES`` disables the app's
        migrations; ``explicit`` says whether ``MIGRATION_MODULES`` named it.
        """
        modules: dict[str, str | None] = getattr(settings, "MIGRATION_MODULES", {}) or {}
        if app_label in modules:
            return modules[app_label], True
        app_config = global_apps.get_app_config(app_label)
        return f"{app_config.name}.{MIGRATIONS_MODULE_NAME}", False

    def migrations_dir(self, app_config: AppConfig) -> Path | None:
        """Return the folder an app's migration files go in (it may not exist yet).

        None when ``MIGRATION_MODULES`` disables the app's migrations or names
        a module whose parent package can't be found.
        """
        module_name, explicit = self.migrations_module(app_config.label)
        if module_name is None:
            return None
        if not explicit:
            return Path(app_config.path) / MIGRATIONS_MODULE_NAME
        try:
            spec = importlib.util.find_spec(module_name)
        except ImportError:
            spec = None
        if spec is not None and spec.submodule_search_locations:
            return Path(list(spec.submodule_search_locations)[0])
        parent, _, last = module_name.rpartition(".")
        if not parent:
            return None
        try:
            parent_spec = importlib.util.find_spec(parent)
        except ImportError:
            return None
        if parent_spec is None or not parent_spec.submodule_search_locations:
            return None
        return Path(list(parent_spec.submodule_search_locations)[0]) / last

    # -- loading -------------------------------------------------------------

    def _load_disk(self) -> None:
        for app_config in self.apps.get_app_configs():
            directory = self.migrations_dir(app_config)
            if directory is None or not (directory / "__init__.py").is_file():
                self.unmigrated_apps.add(app_config.label)
                continue
            self.migrated_apps.add(app_config.label)
            module_name, _ = self.migrations_module(app_config.label)
            for path in sorted(directory.glob("*.py")):
                if path.name.startswith(("_", "~", ".")):
                    continue
                migration = self._load_file(app_config.label, str(module_name), path)
                self.disk_migrations[app_config.label, migration.name] = migration

    @staticmethod
    def _load_file(app_label: str, package: str, path: Path) -> Migration:
        source = path.read_bytes()
        key = (str(path), hashlib.sha1(source).hexdigest())
        module = _module_cache.get(key)
        if module is None:
            text = source.decode("utf-8", "replace")
            if re.search(r"^class Migration\(", text, re.MULTILINE) and not re.search(
                r"^revision\s*=", text, re.MULTILINE
            ):
                raise BadMigrationError(
                    f"{path} is a Django migration (class Migration); FastJango migrations are "
                    f"Alembic revision files. Move Django's migrations out of {path.parent}, run "
                    f"'manage.py makemigrations {app_label}', and on a database Django already "
                    f"built run 'manage.py migrate {app_label} --fake-initial'."
                )
            spec = importlib.util.spec_from_file_location(f"{package}.{path.stem}", path)
            if spec is None or spec.loader is None:  # pragma: no cover - a .py file always loads
                raise BadMigrationError(f"Can't load migration file {path}.")
            module = importlib.util.module_from_spec(spec)
            try:
                spec.loader.exec_module(module)
            except Exception as exc:
                raise BadMigrationError(
                    f"Migration file {path} failed to import: {type(exc).__name__}: {exc}"
                ) from exc
            _module_cache[key] = module
        for attr in ("revision", "down_revision", "upgrade", "downgrade"):
            if not hasattr(module, attr):
                raise BadMigrationError(
                    f"Migration file {path} has no '{attr}'. A migration defines revision, "
                    "down_revision, branch_labels, depends_on, upgrade() and downgrade(); "
                    "'manage.py makemigrations --empty' writes one to start from."
                )
        return Migration(
            app_label=app_label,
            name=path.stem,
            revision=str(module.revision),
            down_revisions=_to_tuple(module.down_revision),
            depends_on=_to_tuple(getattr(module, "depends_on", None)),
            branch_labels=_to_tuple(getattr(module, "branch_labels", None)),
            replaces=_to_tuple(getattr(module, "replaces", None)),
            path=path,
            module=module,
        )

    # -- the graph -----------------------------------------------------------

    def _build_graph(self, heads: tuple[str, ...] | None) -> None:
        plain: dict[str, Migration] = {}
        squashed: list[Migration] = []
        for migration in self.disk_migrations.values():
            if migration.replaces and self.replace_migrations:
                squashed.append(migration)
                continue
            self._add(plain, migration)
        self._resolve_all(plain)
        applied = None if heads is None else _closure(plain, heads)
        replaced_by: dict[str, str] = {}
        for squash in sorted(squashed, key=lambda m: m.label):
            present = [rev for rev in squash.replaces if rev in plain]
            if present and applied is not None:
                done = [rev for rev in present if rev in applied]
                if done and len(done) < len(present):
                    # Partly applied: the old migrations must finish the job.
                    continue
            for rev in present:
                del plain[rev]
            for rev in squash.replaces:
                replaced_by[rev] = squash.revision
            self._add(plain, squash)
        self._resolve_all(plain, replaced_by)
        self.migrations = plain
        self._check_branches()

    def _add(self, graph: dict[str, Migration], migration: Migration) -> None:
        existing = graph.get(migration.revision)
        if existing is not None:
            raise BadMigrationError(
                f"Migrations {existing.label} ({existing.path}) and {migration.label} "
                f"({migration.path}) share the revision id '{migration.revision}'. Give one of "
                "them a unique revision."
            )
        graph[migration.revision] = migration

    def _resolve_all(
        self, graph: dict[str, Migration], replaced_by: dict[str, str] | None = None
    ) -> None:
        labels = {label: m.revision for m in graph.values() for label in m.branch_labels}
        # A squashed migration stands in for those it replaces.
        labels.update(replaced_by or {})
        for migration in graph.values():
            self._resolve(graph, labels, migration)

    @staticmethod
    def _resolve(graph: dict[str, Migration], labels: dict[str, str], migration: Migration) -> None:
        requires: list[str] = []
        dependencies: list[str] = []
        for parent in migration.down_revisions:
            target = graph.get(parent)
            if target is None:
                raise NodeNotFoundError(
                    f"Migration {migration.label} has down_revision '{parent}', which is not in "
                    f"{migration.path.parent}. Restore that migration or fix down_revision.",
                    (migration.app_label, parent),
                )
            if target.app_label != migration.app_label:
                raise BadMigrationError(
                    f"Migration {migration.label} continues {target.label}, a migration of "
                    f"another app: put cross-app links in depends_on, not down_revision."
                )
            requires.append(parent)
        for dependency in migration.depends_on:
            if dependency in graph:
                dependencies.append(dependency)
            elif dependency in labels:
                dependencies.append(labels[dependency])
            else:
                raise NodeNotFoundError(
                    f"Migration {migration.label} depends on '{dependency}', which no installed "
                    "app's migrations provide. Is the app that holds it in INSTALLED_APPS?",
                    (migration.app_label, dependency),
                )
        migration.dependencies = tuple(dict.fromkeys(dependencies))
        migration.requires = tuple(dict.fromkeys(requires + dependencies))

    def _check_branches(self) -> None:
        for migration in self.migrations.values():
            if not migration.down_revisions and migration.app_label not in migration.branch_labels:
                raise BadMigrationError(
                    f"Migration {migration.label} starts the history of app "
                    f"'{migration.app_label}', so its branch_labels must include "
                    f"'{migration.app_label}'."
                )
        self.ordered()  # raises on a dependency loop

    # -- queries -------------------------------------------------------------

    def app_migrations(self, app_label: str) -> list[Migration]:
        """Return the migrations of one app, each after those it needs."""
        return [m for m in self.ordered() if m.app_label == app_label]

    def ordered(self) -> list[Migration]:
        """Return every migration, each after those it needs (ties broken by label)."""
        remaining = {rev: set(m.requires) for rev, m in self.migrations.items()}
        result: list[Migration] = []
        while remaining:
            ready = sorted(
                (self.migrations[rev] for rev, needs in remaining.items() if not needs),
                key=lambda m: (m.app_label, m.number, m.name),
            )
            if not ready:
                cycle = ", ".join(sorted(self.migrations[rev].label for rev in remaining))
                raise CircularDependencyError(
                    f"These migrations depend on each other in a loop: {cycle}."
                )
            first = ready[0]
            result.append(first)
            del remaining[first.revision]
            for needs in remaining.values():
                needs.discard(first.revision)
        return result

    def leaf_nodes(self, app_label: str) -> list[Migration]:
        """Return the migrations of an app that no later migration of it continues."""
        own = [m for m in self.migrations.values() if m.app_label == app_label]
        continued = {parent for m in own for parent in m.down_revisions}
        return sorted((m for m in own if m.revision not in continued), key=lambda m: m.name)

    def detect_conflicts(self) -> dict[str, list[str]]:
        """Return ``{app_label: [leaf names]}`` for apps whose history has several heads."""
        conflicts: dict[str, list[str]] = {}
        for app_label in sorted({m.app_label for m in self.migrations.values()}):
            leaves = self.leaf_nodes(app_label)
            if len(leaves) > 1:
                conflicts[app_label] = [m.name for m in leaves]
        return conflicts

    def check_conflicts(self) -> None:
        """Raise ``ConflictingMigrationsError`` if some app has several heads."""
        conflicts = self.detect_conflicts()
        if conflicts:
            raise ConflictingMigrationsError(conflicts)

    def get_migration(self, app_label: str, name: str) -> Migration:
        """Return migration ``name`` of an app; raise ``NodeNotFoundError``."""
        for migration in self.migrations.values():
            if migration.app_label == app_label and migration.name == name:
                return migration
        raise NodeNotFoundError(
            f"Cannot find a migration matching '{name}' from app '{app_label}'.",
            (app_label, name),
        )

    def get_migration_by_prefix(self, app_label: str, name_prefix: str) -> Migration:
        """Return the migration whose name starts with ``name_prefix`` ("0002" will do).

        Raise ``AmbiguityError`` when several match and ``KeyError`` when none does.
        """
        candidates = [
            m
            for m in self.migrations.values()
            if m.app_label == app_label and m.name.startswith(name_prefix)
        ]
        exact = [m for m in candidates if m.name == name_prefix]
        if exact:
            return exact[0]
        if len(candidates) > 1:
            names = ", ".join(sorted(m.name for m in candidates))
            raise AmbiguityError(
                f"More than one migration matches '{name_prefix}' in app '{app_label}' "
                f"({names}). Please be more specific."
            )
        if not candidates:
            raise KeyError(
                f"Cannot find a migration matching '{name_prefix}' from app '{app_label}'."
            )
        return candidates[0]

    def applied_closure(self, heads: Iterable[str]) -> set[str]:
        """Return the revisions applied when ``heads`` are: they and all they need."""
        return _closure(self.migrations, heads)

    def dependents_closure(self, revisions: Iterable[str]) -> set[str]:
        """Return ``revisions`` and every migration that needs any of them, directly or not."""
        children: dict[str, set[str]] = {}
        for migration in self.migrations.values():
            for parent in migration.requires:
                children.setdefault(parent, set()).add(migration.revision)
        result: set[str] = set()
        stack = list(revisions)
        while stack:
            revision = stack.pop()
            if revision in result:
                continue
            result.add(revision)
            stack.extend(children.get(revision, ()))
        return result

    def script_directory(self) -> ScriptDirectory:
        """Return an Alembic ``ScriptDirectory`` over the migrations in use."""
        scripts = []
        for migration in self.migrations.values():
            script = Script(migration.module, migration.revision, migration.path)
            # Resolved ids: a label or a squashed-away revision means nothing to Alembic.
            script.dependencies = migration.dependencies or None
            scripts.append(script)
        return _ScriptDirectory(scripts)


def _closure(graph: dict[str, Migration], heads: Iterable[str]) -> set[str]:
    result: set[str] = set()
    stack = [head for head in heads if head in graph]
    while stack:
        revision = stack.pop()
        if revision in result:
            continue
        result.add(revision)
        stack.extend(graph[revision].requires)
    return result
