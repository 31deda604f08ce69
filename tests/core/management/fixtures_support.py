"""A project with models for the dumpdata/loaddata tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastjango.apps import apps
from tests.db.migrations.support import Project, project_at, run, sqlite_databases

__all__ = ["LIBRARY", "library_project"]

LIBRARY = """
class AuthorManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Author(models.Model):
    name = models.CharField(max_length=100, unique=True)
    born = models.DateField(null=True)

    objects = AuthorManager()

    def natural_key(self):
        return (self.name,)


class Tag(models.Model):
    label = models.CharField(max_length=30)


class Book(models.Model):
    title = models.CharField(max_length=100)
    price = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
    tags = models.ManyToManyField(Tag, blank=True)
    published = models.DateTimeField(null=True)
"""


@contextmanager
def library_project(tmp_path: Path) -> Iterator[Project]:
    """Yield a migrated project whose "library" app has authors, books and tags."""
    root = tmp_path / "project"
    root.mkdir()
    with sqlite_databases(tmp_path), project_at(root) as project:
        project.app("library")
        project.orm_models("library", LIBRARY)
        project.install("library")
        run("makemigrations", interactive=False)
        run("migrate")
        yield project


def models() -> tuple[Any, Any, Any]:
    """Return the Author, Tag and Book models of the installed library app."""
    return (
        apps.get_model("library", "Author"),
        apps.get_model("library", "Tag"),
        apps.get_model("library", "Book"),
    )
