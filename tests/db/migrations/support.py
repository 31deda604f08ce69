"""Helpers for the migration tests: throwaway projects on disk, and database cleanup."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from fastjango.apps import apps
from fastjango.db.backends.base.base import BaseDatabaseWrapper
from fastjango.test.utils import override_settings

__all__ = [
    "NAMING_CONVENTION",
    "POLLS",
    "Project",
    "new_metadata",
    "project_at",
    "project_metadata",
    "reset_database",
    "run",
    "sqlite_databases",
]

NAMING_CONVENTION = {
    "ix": "%(column_0_label)s_idx",
    "uq": "%(table_name)s_%(column_0_name)s_uniq",
    "ck": "%(table_name)s_%(constraint_name)s_check",
    "fk": "%(table_name)s_%(column_0_name)s_fk_%(referred_table_name)s",
    "pk": "%(table_name)s_pkey",
}


def new_metadata() -> sa.MetaData:
    """Return a MetaData with the naming convention test apps' plain tables use."""
    return sa.MetaData(naming_convention=NAMING_CONVENTION)


#: the MetaData the installed test apps share (as models share the ORM's); new per install
current_metadata = new_metadata()


def project_metadata() -> sa.MetaData:
    """Return the MetaData the apps of the installed test project share."""
    return current_metadata


def reset_database(connection: BaseDatabaseWrapper) -> None:
    """Drop every table in the database of ``connection``."""
    connection.close()
    engine = connection.sync_engine
    with engine.connect() as conn:
        metadata = sa.MetaData()
        metadata.reflect(conn)
        if connection.vendor == "mysql":
            conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")
            for table in metadata.tables.values():
                conn.exec_driver_sql(f"DROP TABLE IF EXISTS `{table.name}`")
            conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 1")
        else:
            metadata.drop_all(conn)
        conn.commit()
    connection.close()


class Project:
    """A project folder with apps, importable while the test runs."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.labels: list[str] = []
        self._override: override_settings | None = None
        self._installed: tuple[str, ...] = ()
        sys.path.insert(0, str(root))

    def app(self, label: str, models: str = "", *, migrations: bool = True) -> Path:
        """Create an app package; return its folder."""
        folder = self.root / label
        folder.mkdir()
        (folder / "__init__.py").write_text("")
        if migrations:
            (folder / "migrations").mkdir()
            (folder / "migrations" / "__init__.py").write_text("")
        self.labels.append(label)
        self.models(label, models)
        return folder

    def models(self, label: str, source: str) -> None:
        """Replace an app's models.py (takes effect at the next ``install``)."""
        header = (
            "import sqlalchemy as sa\n"
            "from tests.db.migrations.support import project_metadata\n\n"
            "metadata = project_metadata()\n"
        )
        (self.root / label / "models.py").write_text(header + textwrap.dedent(source))

    def orm_models(self, label: str, source: str) -> None:
        """Replace an app's models.py with ORM models (takes effect at the next ``install``)."""
        header = "from fastjango.db import models\n"
        (self.root / label / "models.py").write_text(header + textwrap.dedent(source))

    def migrations(self, label: str) -> list[str]:
        """Return the names of an app's migration files, sorted."""
        folder = self.root / label / "migrations"
        return sorted(p.stem for p in folder.glob("[0-9]*.py"))

    def migration_source(self, label: str, name: str) -> str:
        """Return the text of a migration file."""
        return (self.root / label / "migrations" / f"{name}.py").read_text()

    def write_migration(self, label: str, name: str, source: str) -> Path:
        """Write a migration file by hand."""
        path = self.root / label / "migrations" / f"{name}.py"
        path.write_text(textwrap.dedent(source))
        return path

    def _purge(self) -> None:
        for name in list(sys.modules):
            if name.split(".")[0] in self.labels:
                del sys.modules[name]
        for label in self.labels:
            apps.all_models[label].clear()
        if "fastjango.db.models.metadata" in sys.modules:
            # The ORM's shared MetaData still holds the tables of the old model classes.
            from fastjango.db.models.metadata import metadata

            for table in list(metadata.tables.values()):
                model = table.info.get("model")
                if model is not None and model.__module__.split(".")[0] in self.labels:
                    metadata.remove(table)
        apps.clear_cache()

    def install(self, *labels: str) -> None:
        """Make ``labels`` the INSTALLED_APPS, importing their models afresh."""
        global current_metadata
        self.uninstall()
        self._purge()
        current_metadata = new_metadata()
        self._override = override_settings(INSTALLED_APPS=list(labels))
        self._override.enable()
        self._installed = labels

    def reload(self) -> None:
        """Install the same apps again (after changing models.py)."""
        self.install(*self._installed)

    def uninstall(self) -> None:
        """Undo ``install``."""
        if self._override is not None:
            self._override.disable()
            self._override = None

    def close(self) -> None:
        """Uninstall and take the folder off ``sys.path``."""
        self.uninstall()
        self._purge()
        if str(self.root) in sys.path:
            sys.path.remove(str(self.root))


@contextmanager
def project_at(root: Path) -> Iterator[Project]:
    """Yield a ``Project`` in ``root``, cleaned up afterwards."""
    project = Project(root)
    try:
        yield project
    finally:
        project.close()


def run(*args: Any, **options: Any) -> str:
    """Run a management command and return what it printed."""
    from io import StringIO

    from fastjango.core.management import call_command

    out = StringIO()
    options.setdefault("stdout", out)
    options.setdefault("stderr", out)
    call_command(*args, **options)
    return out.getvalue()


@contextmanager
def sqlite_databases(folder: Path) -> Iterator[None]:
    """Use a SQLite file in ``folder`` as the "default" database."""
    from fastjango.db import connections

    databases = {
        "default": {"ENGINE": "fastjango.db.backends.sqlite3", "NAME": str(folder / "db.sqlite3")}
    }
    with override_settings(DATABASES=databases):
        try:
            yield
        finally:
            connections["default"].close()


POLLS = """
question = sa.Table(
    "polls_question",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("question_text", sa.String(200), nullable=False),
    sa.Column("pub_date", sa.DateTime(timezone=True), nullable=False),
)
choice = sa.Table(
    "polls_choice",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("question_id", sa.Integer, sa.ForeignKey("polls_question.id"), nullable=False),
    sa.Column("choice_text", sa.String(200), nullable=False),
    sa.Column("votes", sa.Integer, nullable=False, default=0),
)
"""
