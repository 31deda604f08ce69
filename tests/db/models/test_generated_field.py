"""``GeneratedField`` (Django 5.0+): columns the database computes."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from fastjango.apps.registry import Apps
from fastjango.core import checks
from fastjango.db import NotSupportedError, connections, models
from fastjango.db.models import F, GeneratedField, IntegerField
from fastjango.db.models.functions import Lower
from fastjango.test.utils import CaptureQueriesContext
from tests.db.models.models_fields import Rectangle

pytestmark = pytest.mark.usefixtures("using")


def test_written_by_the_database_and_read_back(using: str) -> None:
    unsaved = Rectangle(width=2, height=3, name="Box")
    with pytest.raises(AttributeError, match="Cannot read a generated field from an unsaved model"):
        unsaved.area  # noqa: B018
    with CaptureQueriesContext(connections[using]) as ctx:
        unsaved.save()
        assert (unsaved.area, unsaved.lower_name) == (6, "box")
    insert = ctx.captured_queries[0]["sql"]
    assert "INSERT" in insert and "area" not in insert.split("RETURNING")[0]
    returning = connections[using].features.can_return_columns_from_insert
    # With RETURNING the INSERT gave the values back; otherwise they load on first access.
    assert len(ctx) == (1 if returning else 2)
    created = Rectangle.objects.create(width=4, height=5)
    assert created.area == 20
    created.width = 10
    created.save()
    assert created.area == 50
    created.refresh_from_db()
    assert created.area == 50


def test_queries_and_bulk_writes() -> None:
    Rectangle.objects.bulk_create(
        [Rectangle(width=1, height=1, name="A"), Rectangle(width=3, height=3, name="B")]
    )
    assert list(Rectangle.objects.filter(area__gt=5).values_list("name", "area")) == [("B", 9)]
    assert list(Rectangle.objects.order_by("-area").values_list("lower_name", flat=True)) == [
        "b",
        "a",
    ]
    assert Rectangle.objects.filter(lower_name__startswith="a").count() == 1
    assert Rectangle.objects.update(width=F("width") * 2) == 2
    assert sorted(Rectangle.objects.values_list("area", flat=True)) == [2, 18]
    small = Rectangle.objects.get(name="A")
    small.height = 7
    Rectangle.objects.bulk_update([small], ["height"])
    assert Rectangle.objects.get(name="A").area == 14
    deferred = Rectangle.objects.defer("area").get(name="B")
    assert deferred.get_deferred_fields() == {"area"}
    assert deferred.area == 18


def test_arguments_are_checked_as_in_django() -> None:
    def make(**kwargs: object) -> GeneratedField:
        options: dict[str, object] = {
            "expression": F("a"),
            "output_field": IntegerField(),
            "db_persist": True,
        }
        return GeneratedField(**{**options, **kwargs})  # type: ignore[arg-type]

    with pytest.raises(ValueError, match="GeneratedField cannot be editable."):
        make(editable=True)
    with pytest.raises(ValueError, match="GeneratedField must be blank."):
        make(blank=False)
    with pytest.raises(ValueError, match="GeneratedField cannot have a default."):
        make(default=1)
    with pytest.raises(ValueError, match="GeneratedField cannot have a database default."):
        make(db_default=1)
    with pytest.raises(ValueError, match=r"GeneratedField.db_persist must be True or False."):
        make(db_persist=None)
    _, path, args, kwargs = make().deconstruct()
    assert (path, args) == ("fastjango.db.models.GeneratedField", [])
    assert kwargs["db_persist"] is True
    assert kwargs["expression"] == F("a")
    assert "editable" not in kwargs and "blank" not in kwargs


def virtual_model() -> type[models.Model]:
    class Label(models.Model):
        text = models.CharField(max_length=20)
        lower = GeneratedField(
            expression=Lower("text"),
            output_field=models.CharField(max_length=20),
            db_persist=False,
            null=True,
        )

        class Meta:
            app_label = "fields_app"
            apps = Apps()

    return Label


def test_virtual_columns(using: str) -> None:
    label_model = virtual_model()
    field = label_model._meta.get_field("lower")
    errors = field.check(databases=[using])
    assert [e.id for e in errors if isinstance(e, checks.Warning)] == ["fields.W225"]
    connection = connections[using]
    table = label_model._meta.table
    if using == "postgres":
        assert [e.id for e in errors if isinstance(e, checks.Error)] == ["fields.E221"]
        with pytest.raises(NotSupportedError, match="does not support non-persisted"):
            str(sa.schema.CreateTable(table).compile(dialect=connection.dialect))
        return
    assert [e for e in errors if isinstance(e, checks.Error)] == []
    connection.execute(sa.schema.CreateTable(table))
    try:
        label = label_model.objects.create(text="ABC")
        assert label.lower == "abc"  # type: ignore[attr-defined]
        assert label_model.objects.filter(lower="abc").count() == 1
    finally:
        connection.execute(sa.schema.DropTable(table))


def test_field_api_is_the_output_fields(using: str) -> None:
    field = Rectangle._meta.get_field("area")
    connection = connections[using]
    assert Rectangle.area.field is field  # type: ignore[attr-defined]
    assert field.get_internal_type() == "IntegerField"
    assert (
        field.db_parameters(connection)["type"] == IntegerField().db_parameters(connection)["type"]
    )
    assert field.get_prep_value("3") == 3
    assert field.get_db_prep_value("4", connection) == 4
    assert field.to_python("5") == 5
    assert type(field.expression_sa_type()) is type(IntegerField().expression_sa_type())
