"""Migrations of GeneratedField: created, added to a table, applied, and clean afterwards."""

from __future__ import annotations

from fastjango.apps import apps
from fastjango.db import connections
from tests.db.migrations.support import Project, run

SHAPES = """
class Square(models.Model):
    side = models.IntegerField()
"""

AREA = """
    area = models.GeneratedField(
        expression=models.F("side") * models.F("side"),
        output_field=models.IntegerField(),
        db_persist=True,
    )
"""


def test_generated_field_migrations(project: Project, backend: str) -> None:
    project.app("shapes")
    project.orm_models("shapes", SHAPES)
    project.install("shapes")
    run("makemigrations", "shapes")
    run("migrate")
    connections["default"].execute("INSERT INTO shapes_square (side) VALUES (3)")

    project.orm_models("shapes", SHAPES + AREA)
    project.reload()
    out = run("makemigrations", "shapes")
    assert "+ Add field area to square" in out
    source = project.migration_source("shapes", project.migrations("shapes")[-1])
    assert "sa.Computed(" in source and "persisted=True" in source
    run("migrate")
    assert "No changes detected" in run("makemigrations", "--dry-run", verbosity=3)
    square = apps.get_model("shapes", "Square")
    assert square.objects.get().area == 9  # type: ignore[attr-defined]
    assert square.objects.create(side=4).area == 16  # type: ignore[attr-defined]

    run("migrate", "shapes", "zero")
    run("migrate")
    assert square.objects.create(side=5).area == 25  # type: ignore[attr-defined]
