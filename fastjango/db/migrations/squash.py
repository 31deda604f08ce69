"""Squash a run of an app's migrations into one file, as Django's ``squashmigrations``.

The operations of the migrations (and, in reverse, of their downgrades) are
recorded without a database, optimized, and written as one migration that
``replaces`` them. Its revision id is the id of the last migration it
replaces, so later migrations and databases that applied the whole run need
no change; the loader uses it for new databases and keeps using the old
files for databases part-way through the run. Data migration functions are
copied into the new file.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from alembic.autogenerate import renderers
from alembic.operations import ops

from fastjango.db.migrations.autodetector import AppChanges
from fastjango.db.migrations.exceptions import BadMigrationError
from fastjango.db.migrations.executor import record_operations
from fastjango.db.migrations.operations import RunPythonOp
from fastjango.db.migrations.optimizer import flatten, optimize
from fastjango.db.migrations.serializer import serialize

if TYPE_CHECKING:
    import sqlalchemy as sa
    from alembic.autogenerate.api import AutogenContext

    from fastjango.db.migrations.loader import Migration, MigrationLoader

__all__ = ["Squash", "plan_squash"]


@renderers.dispatch_for(RunPythonOp)
def _render_run_python(autogen_context: AutogenContext, operation: RunPythonOp) -> str:
    autogen_context.imports.add("from fastjango.db import migrations")
    name = getattr(operation, "rendered_name", operation.name)
    atomic = "" if operation.atomic else ", atomic=False"
    return f"migrations.run_python({name}{atomic})"


@dataclass
class Squash:
    """A planned squash: what it replaces and what the new file holds."""

    entry: AppChanges
    replaced: list[Migration]
    #: operations before and after optimizing (upgrade side)
    original_count: int
    optimized_count: int
    functions: str = ""
    imports: set[str] = field(default_factory=set)
    #: names of the data migration functions copied into the file
    copied: list[str] = field(default_factory=list)


def _module_imports(migration: Migration) -> set[str]:
    source = migration.path.read_text(encoding="utf-8")
    found = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                continue
            found.add(ast.unparse(node))
    return found


def _copy_function(code: Any, new_name: str) -> str:
    try:
        source = textwrap.dedent(inspect.getsource(code))
    except (OSError, TypeError) as exc:
        raise BadMigrationError(
            f"Can't copy the data migration function {code!r} into the squashed migration: "
            f"its source isn't available ({exc})."
        ) from exc
    old_name = code.__name__
    return source.replace(f"def {old_name}(", f"def {new_name}(", 1)


def plan_squash(
    loader: MigrationLoader,
    app_label: str,
    start: Migration,
    end: Migration,
    dialect: sa.Dialect,
    *,
    optimize_operations: bool = True,
    name: str | None = None,
) -> Squash:
    """Return the squash of ``start`` to ``end`` (one app's migrations, in a line)."""
    chain = loader.app_migrations(app_label)
    try:
        first, last = chain.index(start), chain.index(end)
    except ValueError as exc:  # pragma: no cover - both come from the app's migrations
        raise BadMigrationError(str(exc)) from exc
    if first > last:
        raise BadMigrationError(
            f"The migration '{start.name}' cannot be found as an ancestor of '{end.name}': the "
            "start must come before the end."
        )
    replaced = chain[first : last + 1]
    for previous, migration in zip(replaced, replaced[1:], strict=False):
        if migration.down_revisions != (previous.revision,):
            raise BadMigrationError(
                f"Can't squash {migration.label}: it doesn't follow {previous.label} alone (a "
                "merge or a branch). Squash a straight run of migrations."
            )
    for migration in replaced:
        if migration.replaces:
            raise BadMigrationError(
                f"{migration.label} is itself a squashed migration; squash the migrations it "
                "replaces instead, or delete them first."
            )

    upgrade: list[ops.MigrateOperation] = []
    downgrade: list[ops.MigrateOperation] = []
    functions: list[str] = []
    copied: list[str] = []
    imports: set[str] = set()
    for migration in replaced:
        imports |= _module_imports(migration)
        up = record_operations(migration, dialect)
        down = record_operations(migration, dialect, backwards=True)
        for operation in flatten(up) + flatten(down):
            if isinstance(operation, RunPythonOp) and not hasattr(operation, "rendered_name"):
                if getattr(operation.code, "__module__", None) != migration.module.__name__:
                    # Not defined in the migration file: referred to where it lives.
                    source, needed = serialize(operation.code)
                    vars(operation)["rendered_name"] = source
                    imports |= needed
                    continue
                new_name = f"{operation.code.__name__}_{migration.number:04d}"
                vars(operation)["rendered_name"] = new_name
                if new_name not in copied:
                    functions.append(_copy_function(operation.code, new_name))
                    copied.append(new_name)
        upgrade.extend(up)
        downgrade[:0] = down
    original = len(flatten(upgrade))
    if optimize_operations:
        upgrade = optimize(upgrade)
        downgrade = optimize(downgrade)
    replaced_ids = tuple(m.revision for m in replaced)
    external = []
    for migration in replaced:
        for dependency in migration.dependencies:
            if dependency not in replaced_ids and dependency not in external:
                external.append(dependency)
    entry = AppChanges(app_label, upgrade, downgrade)
    number = start.name.split("_", 1)[0]
    entry.name = f"{number}_{name}" if name else f"{start.name}_squashed_{end.name}"
    entry.revision = end.revision
    entry.down_revision = (
        start.down_revisions[0]
        if len(start.down_revisions) == 1
        else (start.down_revisions or None)
    )
    entry.branch_labels = start.branch_labels
    entry.depends_on = tuple(external)
    entry.replaces = replaced_ids
    entry.initial = start.initial
    entry.path = start.path.parent / f"{entry.name}.py"
    return Squash(
        entry,
        replaced,
        original,
        len(flatten(upgrade)),
        functions="\n\n" + "\n\n\n".join(f.rstrip("\n") for f in functions) if functions else "",
        imports=imports,
        copied=copied,
    )
