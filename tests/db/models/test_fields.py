"""Field types: values round-trip on every backend, conversion, validation, choices."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

import pytest

from fastjango.core.exceptions import ValidationError
from fastjango.db import models
from fastjango.utils import timezone
from tests.db.models.models_fields import (
    Cents,
    Everything,
    Priced,
    Priority,
    Size,
    Stamped,
    UUIDModel,
)

pytestmark = pytest.mark.usefixtures("using")

AWARE = datetime.datetime(2024, 5, 17, 13, 45, 30, 123456, tzinfo=datetime.UTC)


def test_every_field_round_trips() -> None:
    values: dict[str, Any] = {
        "char": "hello",
        "text": "long text é",
        "integer": -42,
        "big": 2**40,
        "small": -300,
        "positive": 7,
        "positive_small": 8,
        "positive_big": 2**41,
        "floating": 3.5,
        "decimal": decimal.Decimal("12345.678"),
        "boolean": True,
        "nullable_boolean": None,
        "date": datetime.date(2024, 2, 29),
        "datetime": AWARE,
        "time": datetime.time(23, 59, 58, 1234),
        "duration": datetime.timedelta(days=3, hours=4, microseconds=5),
        "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "email": "a@example.com",
        "url": "https://example.com/x",
        "slug": "a-slug",
        "ip": "2001:db8::1",
        "json": {"a": [1, 2, {"b": None}], "c": "d"},
        "binary": b"\x00\x01\xff",
        "file": "uploads/a.txt",
    }
    obj = Everything.objects.create(**values)
    loaded = Everything.objects.get(pk=obj.pk)
    for name, value in values.items():
        got = getattr(loaded, name)
        if name == "file":
            assert str(got) == value
            continue
        assert got == value, name
        assert type(got) is type(value) or value is None, name


def test_defaults_and_empty_values() -> None:
    obj = Everything.objects.create()
    loaded = Everything.objects.get(pk=obj.pk)
    assert loaded.char == ""
    assert loaded.integer == 0
    assert loaded.boolean is False
    assert loaded.big is None
    assert loaded.size == "S"
    assert loaded.priority == 1
    assert not loaded.file


def test_choices_display() -> None:
    obj = Everything.objects.create(size=Size.MEDIUM, priority=Priority.HIGH, grouped="cd")
    loaded = Everything.objects.get(pk=obj.pk)
    assert loaded.get_size_display() == "Medium"
    assert loaded.get_priority_display() == "High"
    assert loaded.get_grouped_display() == "CD"
    loaded.size = "X"
    assert loaded.get_size_display() == "X"
    assert Everything._meta.get_field("size").choices == [
        ("S", "Small"),
        ("M", "Medium"),
        ("L", "Large"),
    ]


def test_choices_validation() -> None:
    obj = Everything(size="X")
    with pytest.raises(ValidationError) as info:
        obj.full_clean()
    assert info.value.message_dict["size"] == ["Value 'X' is not a valid choice."]


def test_auto_now_and_db_default() -> None:
    before = timezone.now()
    obj = Stamped.objects.create(name="a")
    assert obj.created >= before
    assert obj.updated >= obj.created
    assert isinstance(obj.day, datetime.date)
    assert obj.counted == 7
    assert obj.label == "new"
    created = obj.created
    obj.name = "b"
    obj.save()
    reloaded = Stamped.objects.get(pk=obj.pk)
    assert reloaded.created == created
    assert reloaded.updated >= created
    assert reloaded.counted == 7


def test_uuid_primary_key_default() -> None:
    obj = UUIDModel.objects.create(name="x")
    assert isinstance(obj.pk, uuid.UUID)
    assert UUIDModel.objects.get(pk=obj.pk).name == "x"
    assert UUIDModel.objects.get(pk=str(obj.pk)).name == "x"


def test_custom_field_conversions() -> None:
    obj = Priced.objects.create(name="x", price=Cents(decimal.Decimal("1.25")))
    loaded = Priced.objects.get(pk=obj.pk)
    assert loaded.price == Cents(decimal.Decimal("1.25"))
    assert Priced.objects.filter(price=Cents(decimal.Decimal("1.25"))).count() == 1
    assert Priced.objects.values_list("price", flat=True).get() == 125


def test_aware_datetimes_are_utc() -> None:
    paris = datetime.timezone(datetime.timedelta(hours=2))
    obj = Everything.objects.create(datetime=AWARE.astimezone(paris))
    loaded = Everything.objects.get(pk=obj.pk)
    assert loaded.datetime == AWARE
    assert loaded.datetime.utcoffset() == datetime.timedelta(0)


def test_naive_datetime_warns_and_is_made_aware() -> None:
    with pytest.warns(RuntimeWarning, match="received a naive datetime"):
        obj = Everything.objects.create(datetime=datetime.datetime(2024, 1, 1, 12))
    assert Everything.objects.get(pk=obj.pk).datetime.tzinfo is not None


def test_field_validation_errors() -> None:
    obj = Everything(
        email="not an email", url="nope", slug="not a slug!", ip="1.2.3.999", char="x" * 21
    )
    with pytest.raises(ValidationError) as info:
        obj.full_clean()
    errors = info.value.message_dict
    assert errors["email"] == ["Enter a valid email address."]
    assert errors["url"] == ["Enter a valid URL."]
    assert "slug" in errors
    assert errors["ip"] == ["Enter a valid IPv4 or IPv6 address."]
    assert errors["char"] == ["Ensure this value has at most 20 characters (it has 21)."]


def test_validators_on_fields() -> None:
    with pytest.raises(ValidationError) as info:
        Priced(name="x", quantity=0).full_clean()
    assert info.value.message_dict == {
        "quantity": ["Ensure this value is greater than or equal to 1."]
    }


def test_to_python_conversions() -> None:
    assert models.IntegerField().to_python("3") == 3
    assert models.DecimalField(max_digits=5, decimal_places=2).to_python("1.5") == decimal.Decimal(
        "1.5"
    )
    assert models.BooleanField().to_python("f") is False
    assert models.DateField().to_python("2024-01-02") == datetime.date(2024, 1, 2)
    assert models.DateTimeField().to_python("2024-01-02 03:04:05") == datetime.datetime(
        2024, 1, 2, 3, 4, 5
    )
    assert models.TimeField().to_python("10:11") == datetime.time(10, 11)
    assert models.DurationField().to_python("1 02:03:04") == datetime.timedelta(
        days=1, hours=2, minutes=3, seconds=4
    )
    assert models.DurationField().to_python("P1DT2H") == datetime.timedelta(days=1, hours=2)
    assert models.UUIDField().to_python(uuid.UUID(int=1).hex) == uuid.UUID(int=1)
    with pytest.raises(ValidationError):
        models.IntegerField().to_python("x")
    with pytest.raises(ValidationError):
        models.DateField().to_python("2024-13-45")
    with pytest.raises(ValidationError):
        models.UUIDField().to_python("zzz")


def test_bad_filter_value_says_what_field_expected() -> None:
    with pytest.raises(ValueError, match="Field 'integer' expected a number but got 'abc'"):
        Everything.objects.filter(integer="abc")


def test_positive_check_constraint_rejects_negatives(using: str) -> None:
    from fastjango.db import DatabaseError, IntegrityError, transaction

    # MariaDB reports a CHECK failure as error 4025, which the database layer
    # doesn't translate to IntegrityError yet (Django does).
    expected = DatabaseError if using == "mysql" else IntegrityError
    with pytest.raises(expected), transaction.atomic(using=using):
        Everything.objects.create(positive=-1)
    assert Everything.objects.count() == 0


def test_deconstruct_and_clone() -> None:
    field = models.CharField(max_length=10, null=True, default="x", db_index=True)
    name, path, args, kwargs = field.deconstruct()
    assert path == "fastjango.db.models.CharField"
    assert kwargs == {"max_length": 10, "null": True, "default": "x", "db_index": True}
    clone = field.clone()
    assert clone.max_length == 10 and clone.null


def test_field_repr_and_str() -> None:
    field = Everything._meta.get_field("char")
    assert str(field) == "fields_app.Everything.char"
    assert repr(field) == "<fastjango.db.models.fields.CharField: char>"
    assert Everything.char is field
    assert Everything.char.field is field
