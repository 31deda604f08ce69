"""Migrations: Django's workflow (makemigrations, migrate, ...) with Alembic underneath.

Each app keeps its migration files in ``<app>/migrations/``: Alembic revision
files whose ids read like Django's names (``"polls_0001_initial"``), one
Alembic branch per app labelled with the app label, cross-app links in
``depends_on``. A migration file imports this package for data migrations::

    from fastjango.db import migrations

    def forwards(apps, schema_editor):
        Question = apps.get_model("polls", "Question")
        ...

    def upgrade() -> None:
        migrations.run_python(forwards)
"""

from __future__ import annotations

from fastjango.db.migrations.exceptions import (
    AmbiguityError,
    BadMigrationError,
    CircularDependencyError,
    ConflictingMigrationsError,
    InconsistentMigrationHistory,
    InvalidMigrationPlan,
    IrreversibleError,
    MigrationFailed,
    MigrationSchemaMissing,
    NodeNotFoundError,
)
from fastjango.db.migrations.operations import (
    MigrationApps,
    RunPython,
    SchemaEditor,
    fill_column,
    run_python,
    run_sql,
)

__all__ = [
    "AmbiguityError",
    "BadMigrationError",
    "CircularDependencyError",
    "ConflictingMigrationsError",
    "InconsistentMigrationHistory",
    "InvalidMigrationPlan",
    "IrreversibleError",
    "MigrationApps",
    "MigrationFailed",
    "MigrationSchemaMissing",
    "NodeNotFoundError",
    "RunPython",
    "SchemaEditor",
    "fill_column",
    "run_python",
    "run_sql",
]
