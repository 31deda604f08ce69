"""Errors raised while loading, planning, writing and applying migrations (Django's names)."""

from __future__ import annotations

from fastjango.db.utils import DatabaseError

__all__ = [
    "AmbiguityError",
    "BadMigrationError",
    "CircularDependencyError",
    "ConflictingMigrationsError",
    "InconsistentMigrationHistory",
    "InvalidMigrationPlan",
    "IrreversibleError",
    "MigrationFailed",
    "MigrationSchemaMissing",
    "NodeNotFoundError",
]


class AmbiguityError(Exception):
    """More than one migration matches a name prefix."""


class BadMigrationError(Exception):
    """A file in a migrations folder isn't a valid FastJango migration."""


class CircularDependencyError(Exception):
    """Migrations (or the apps to generate them for) depend on each other in a loop."""


class ConflictingMigrationsError(Exception):
    """An app's migration history has more than one head; ``makemigrations --merge`` fixes it."""

    def __init__(self, conflicts: dict[str, list[str]]) -> None:
        self.conflicts = conflicts
        listed = "; ".join(
            f"{', '.join(names)} in {app_label}" for app_label, names in sorted(conflicts.items())
        )
        super().__init__(
            "Conflicting migrations detected; multiple leaf nodes in the migration graph: "
            f"({listed}). To fix them run 'python manage.py makemigrations --merge'"
        )


class InconsistentMigrationHistory(Exception):
    """The database records migrations that the migration files don't explain."""


class InvalidMigrationPlan(ValueError):
    """The requested migration target can't be reached."""


class IrreversibleError(RuntimeError):
    """A migration that can't be unapplied was asked to run backwards."""


class MigrationSchemaMissing(DatabaseError):
    """The table that records applied migrations can't be created."""


class NodeNotFoundError(LookupError):
    """A migration refers to (or a command asks for) a migration that doesn't exist."""

    def __init__(self, message: str, node: tuple[str, str] | str | None = None) -> None:
        self.message = message
        self.node = node
        super().__init__(message)

    def __str__(self) -> str:
        return self.message


class MigrationFailed(DatabaseError):
    """Applying or unapplying one migration failed; the message says what is left behind.

    ``migration`` is the ``"app_label.name"`` that failed, ``operation`` the
    description of the operation that raised, and ``applied`` the operations of
    that migration that had already run (non-empty only where the database
    can't roll back schema changes, such as MySQL and MariaDB).
    """

    def __init__(
        self, message: str, *, migration: str, operation: str | None, applied: list[str]
    ) -> None:
        self.migration = migration
        self.operation = operation
        self.applied = applied
        super().__init__(message)
