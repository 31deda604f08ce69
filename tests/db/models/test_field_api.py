"""The Field API outside queries: deconstruct, checks, conversions, choices, identity."""

from __future__ import annotations

import copy
import datetime
import decimal
import pickle
import uuid
from typing import Any

import pytest

from fastjango.core.exceptions import ValidationError
from fastjango.db import connections, models
from fastjango.utils import timezone
from tests.db.models.models_fields import Everything, Priority, Size
from tests.db.models.models_queries import Blog, Entry


def deconstructed(field: models.Field[Any, Any]) -> tuple[str, dict[str, Any]]:
    _, path, args, kwargs = field.deconstruct()
    assert args == []
    return path.rsplit(".", 1)[1], kwargs


def test_deconstruct_keeps_only_non_defaults() -> None:
    assert deconstructed(models.CharField(max_length=10, db_collation="C")) == (
        "CharField",
        {"max_length": 10, "db_collation": "C"},
    )
    assert deconstructed(models.TextField(db_collation="C")) == (
        "TextField",
        {"db_collation": "C"},
    )
    assert deconstructed(models.EmailField()) == ("EmailField", {})
    assert deconstructed(models.EmailField(max_length=100)) == ("EmailField", {"max_length": 100})
    assert deconstructed(models.URLField()) == ("URLField", {})
    assert deconstructed(models.SlugField()) == ("SlugField", {})
    assert deconstructed(models.SlugField(db_index=False, allow_unicode=True)) == (
        "SlugField",
        {"db_index": False, "allow_unicode": True},
    )
    assert deconstructed(models.SlugField(max_length=20)) == ("SlugField", {"max_length": 20})
    assert deconstructed(models.GenericIPAddressField(protocol="ipv4")) == (
        "GenericIPAddressField",
        {"protocol": "ipv4"},
    )
    assert deconstructed(models.GenericIPAddressField(unpack_ipv4=True)) == (
        "GenericIPAddressField",
        {"unpack_ipv4": True},
    )
    assert deconstructed(models.DecimalField(max_digits=5, decimal_places=2)) == (
        "DecimalField",
        {"max_digits": 5, "decimal_places": 2},
    )
    assert deconstructed(models.DateField(auto_now=True)) == ("DateField", {"auto_now": True})
    assert deconstructed(models.DateTimeField(auto_now_add=True)) == (
        "DateTimeField",
        {"auto_now_add": True},
    )
    assert deconstructed(models.TimeField(auto_now=True)) == ("TimeField", {"auto_now": True})
    assert deconstructed(models.BinaryField(editable=True)) == (
        "BinaryField",
        {"editable": True},
    )
    assert deconstructed(models.BinaryField(max_length=10)) == ("BinaryField", {"max_length": 10})
    assert deconstructed(models.UUIDField()) == ("UUIDField", {})
    assert deconstructed(models.AutoField(primary_key=True)) == (
        "AutoField",
        {"primary_key": True},
    )
    assert deconstructed(models.IntegerField(choices=Priority)) == (
        "IntegerField",
        {"choices": [(1, "Low"), (2, "High")]},
    )
    assert deconstructed(models.FilePathField(path="/srv", match=r".*\.txt", recursive=True)) == (
        "FilePathField",
        {"path": "/srv", "match": r".*\.txt", "recursive": True},
    )
    assert deconstructed(
        models.FilePathField(allow_files=False, allow_folders=True, max_length=50)
    ) == ("FilePathField", {"max_length": 50, "allow_files": False, "allow_folders": True})
    full = models.CharField(
        "V", max_length=3, default="x", null=True, unique=True, help_text="h", db_default="q"
    )
    name, kwargs = deconstructed(full)
    assert kwargs["verbose_name"] == "V" and kwargs["db_default"] == models.Value("q")
    assert (kwargs["null"], kwargs["unique"], kwargs["default"]) == (True, True, "x")
    assert deconstructed(models.ForeignKey("queries.Blog", models.PROTECT, db_index=False)) == (
        "ForeignKey",
        {"on_delete": models.PROTECT, "db_index": False, "to": "queries.blog"},
    )
    assert Entry._meta.get_field("blog").deconstruct()[3]["to"] == "queries.blog"
    assert deconstructed(models.JSONField(encoder=DateEncoder)) == (
        "JSONField",
        {"encoder": DateEncoder},
    )


class DateEncoder:
    """A stand-in encoder class (only its identity matters here)."""


def test_system_checks() -> None:
    def ids(field: models.Field[Any, Any], name: str = "ok") -> list[str]:
        field.name = name
        return [e.id for e in field.check()]

    assert ids(models.CharField(max_length=5), "bad_") == ["fields.E001"]
    assert ids(models.CharField(max_length=5), "pk") == ["fields.E003"]
    assert ids(models.CharField(max_length=5, choices="ab")) == ["fields.E005"]
    assert ids(models.IntegerField(null=True, primary_key=True)) == ["fields.E007"]
    assert ids(models.CharField(max_length=-1)) == ["fields.E121"]
    assert ids(models.DecimalField()) == ["fields.E130", "fields.E132"]
    assert ids(models.DecimalField(max_digits=2, decimal_places=3)) == ["fields.E134"]
    assert ids(models.DateField(auto_now=True, default=datetime.date.today)) == ["fields.E160"]
    assert ids(models.FilePathField(allow_files=False)) == ["fields.E140"]
    assert ids(models.AutoField()) == ["fields.E100"]
    fk = models.ForeignKey("queries.Blog", models.SET_NULL)
    assert ids(fk) == ["fields.E320"]
    assert ids(models.ForeignKey("queries.Blog", models.SET_DEFAULT)) == ["fields.E321"]
    assert [w.id for w in models.ManyToManyField("queries.Blog", null=True).check()] == [
        "fields.W340"
    ]
    assert Entry.check() == []


def test_identity_copy_and_pickle() -> None:
    first = models.IntegerField()
    second = models.IntegerField()
    assert first < second and not second < first
    assert first != second and first == first
    assert first.__lt__(object()) is NotImplemented
    assert first.__eq__(object()) is NotImplemented
    title = Blog._meta.get_field("name")
    assert str(title) == "queries.Blog.name"
    assert repr(title) == "<fastjango.db.models.fields.CharField: name>"
    assert repr(models.CharField()) == "<fastjango.db.models.fields.CharField>"
    assert str(models.CharField()) == "<fastjango.db.models.fields.CharField>"
    clone = copy.deepcopy(title)
    assert clone is not title and clone == title
    fk = Entry._meta.get_field("blog")
    fk_copy = copy.deepcopy(fk)
    assert fk_copy.remote_field is not fk.remote_field
    assert fk_copy.remote_field.field is fk_copy
    unbound = models.CharField(max_length=7, default="x")
    restored = pickle.loads(pickle.dumps(unbound))
    assert restored.max_length == 7 and restored.get_default() == "x"
    tagline = Blog._meta.get_field("tagline")
    same_counter = copy.copy(title)
    same_counter.model = Entry
    assert (title < same_counter) == (("queries", "blog") < ("queries", "entry"))
    assert title < tagline
    detached = copy.copy(title)
    detached.model = None
    assert detached < title


def test_choices_forms() -> None:
    assert models.CharField(choices={"a": "A", "b": "B"}).choices == [("a", "A"), ("b", "B")]
    grouped = models.CharField(choices={"Audio": {"vinyl": "Vinyl"}, "unknown": "Unknown"})
    assert grouped.choices == [("Audio", [("vinyl", "Vinyl")]), ("unknown", "Unknown")]
    assert grouped.flatchoices == [("vinyl", "Vinyl"), ("unknown", "Unknown")]
    grouped.name = "media"
    grouped.clean("vinyl", None)
    with pytest.raises(ValidationError, match="Value 'cd' is not a valid choice"):
        grouped.clean("cd", None)
    assert grouped.get_choices()[0] == ("", "---------")
    assert grouped.get_choices(include_blank=False)[0][0] == "Audio"
    with_blank = models.CharField(choices=[("", "None"), ("x", "X")])
    assert with_blank.get_choices() == [("", "None"), ("x", "X")]
    dynamic = models.CharField(choices=lambda: {"z": "Zed"})
    assert dynamic.get_choices(include_blank=False) == [("z", "Zed")]
    assert models.CharField(choices=Size).choices == Size.choices
    odd = [1, 2]
    assert models.IntegerField(choices=odd).choices == odd  # left for check() to report
    assert models.IntegerField(choices=5).choices == 5  # not iterable: left as it is
    article = Everything(size=Size.MEDIUM, priority=Priority.HIGH, grouped="vinyl")
    assert article.get_size_display() == "Medium"
    assert article.get_priority_display() == "High"
    assert article.get_grouped_display() == "Vinyl"
    article.size = "?"
    assert article.get_size_display() == "?"


@pytest.mark.usefixtures("using")
def test_related_choices_and_limit_choices_to() -> None:
    Blog.objects.create(name="b", tagline="")
    Blog.objects.create(name="a", tagline="")
    blog = Entry._meta.get_field("blog")
    assert [label for _, label in blog.get_choices(ordering=["name"])] == ["---------", "a", "b"]
    limited = models.ForeignKey(
        Blog, models.CASCADE, limit_choices_to=lambda: {"name": "a"}, related_name="+"
    )
    limited.remote_field.model = Blog
    assert limited.get_limit_choices_to() == {"name": "a"}
    assert [label for _, label in limited.get_choices(include_blank=False)] == ["a"]
    assert models.IntegerField().get_limit_choices_to() == {}


def test_conversions_and_errors() -> None:
    floats = models.FloatField(name="f")
    assert floats.to_python("1.5") == 1.5
    with pytest.raises(ValidationError, match="“x” value must be a float"):
        floats.to_python("x")
    with pytest.raises(ValueError, match="Field 'f' expected a number but got 'x'"):
        floats.get_prep_value("x")
    dec = models.DecimalField(max_digits=4, decimal_places=2)
    assert dec.to_python(1.1) == decimal.Decimal("1.100")
    for bad in ["x", "NaN", "Infinity", [1]]:
        with pytest.raises(ValidationError, match="value must be a decimal number"):
            dec.to_python(bad)
    assert dec.context.prec == 4
    boolean = models.BooleanField()
    assert [boolean.to_python(v) for v in (1, "t", "True", "1", 0, "f", "False", "0")] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
        False,
    ]
    with pytest.raises(ValidationError, match="value must be either True or False"):
        boolean.to_python("maybe")
    with pytest.raises(ValidationError, match="must be either True, False, or None"):
        models.BooleanField(null=True).to_python("maybe")
    assert models.CharField().to_python(5) == "5"
    assert models.TextField().to_python(5) == "5"
    ip = models.GenericIPAddressField(unpack_ipv4=True)
    assert ip.to_python("::ffff:10.0.0.1") == "10.0.0.1"
    assert ip.to_python(" 10.0.0.1 ") == "10.0.0.1"
    assert ip.to_python(None) is None and ip.to_python(1) == "1"
    with pytest.raises(ValidationError, match="Enter a valid IPv4 or IPv6 address"):
        ip.to_python("::zz")
    assert ip.get_prep_value("2001:0DB8::1") == "2001:db8::1"
    assert ip.get_prep_value("not an ip") == "not an ip"
    assert models.FilePathField().get_prep_value(5) == "5"


def test_date_and_time_conversions() -> None:
    day = models.DateField()
    aware = datetime.datetime(2020, 1, 2, 23, 30, tzinfo=datetime.UTC)
    assert day.to_python(aware) == datetime.date(2020, 1, 2)
    assert day.to_python("2020-01-02") == datetime.date(2020, 1, 2)
    with pytest.raises(ValidationError, match="correct format \\(YYYY-MM-DD\\) but it is an inv"):
        day.to_python("2020-02-30")
    with pytest.raises(ValidationError, match="has an invalid date format"):
        day.to_python("soon")
    with pytest.raises(ValidationError, match="has an invalid date format"):
        day.to_python(5)
    stamp = models.DateTimeField(name="start")
    with pytest.warns(RuntimeWarning, match="received a naive datetime"):
        converted = stamp.to_python(datetime.date(2020, 1, 2))
    assert converted == datetime.datetime(2020, 1, 2, tzinfo=datetime.UTC)
    assert stamp.to_python("2020-01-02") == datetime.datetime(2020, 1, 2)
    with pytest.raises(ValidationError, match="but it is an invalid date/time"):
        stamp.to_python("2020-01-02 25:00")
    with pytest.raises(ValidationError, match="but it is an invalid date"):
        stamp.to_python("2020-02-30")
    with pytest.raises(ValidationError, match="has an invalid format"):
        stamp.to_python("later")
    with pytest.raises(ValidationError, match="has an invalid format"):
        stamp.to_python(5)
    clock = models.TimeField()
    assert clock.to_python(aware) == datetime.time(23, 30)
    assert clock.to_python("10:11:12") == datetime.time(10, 11, 12)
    with pytest.raises(ValidationError, match="but it is an invalid time"):
        clock.to_python("25:00")
    with pytest.raises(ValidationError, match="has an invalid format"):
        clock.to_python(5)
    length = models.DurationField()
    assert length.to_python("1 02:03:04") == datetime.timedelta(
        days=1, hours=2, minutes=3, seconds=4
    )
    with pytest.raises(ValidationError, match="has an invalid format"):
        length.to_python("a while")
    with pytest.raises(ValidationError, match="has an invalid format"):
        length.to_python([1])


def test_value_to_string_and_defaults() -> None:
    obj = Everything(
        date=datetime.date(2020, 1, 2),
        datetime=datetime.datetime(2020, 1, 2, 3, 4, tzinfo=datetime.UTC),
        time=datetime.time(3, 4),
        duration=datetime.timedelta(days=2, hours=1, microseconds=5),
        binary=b"\x00\x01",
        uuid=uuid.UUID(int=1),
    )
    get = Everything._meta.get_field
    assert get("date").value_to_string(obj) == "2020-01-02"
    assert get("datetime").value_to_string(obj) == "2020-01-02T03:04:00+00:00"
    assert get("time").value_to_string(obj) == "03:04:00"
    assert get("duration").value_to_string(obj) == "2 01:00:00.000005"
    assert get("binary").value_to_string(obj) == "AAE="
    assert get("integer").value_to_string(obj) == "0"
    short = Everything(duration=datetime.timedelta(minutes=5))
    assert get("duration").value_to_string(short) == "00:05:00"
    empty = Everything()
    for name in ("date", "datetime", "time", "duration"):
        assert get(name).value_to_string(empty) == ""
    binary = get("binary")
    assert bytes(binary.to_python("AAE=")) == b"\x00\x01"
    assert models.BinaryField().get_default() == b""
    assert models.BinaryField(default=b"x").get_default() == b"x"
    assert models.BinaryField(null=True).get_default() is None
    obj.char = "old"
    get("char").save_form_data(obj, "new")
    assert get("char").value_from_object(obj) == "new"
    assert get("char").get_filter_kwargs_for_object(obj) == {"char": "new"}


def test_auto_time_fields_pre_save() -> None:
    clock = models.TimeField(auto_now=True)
    clock.attname = clock.name = "at"

    class Holder:
        at: Any = None

    holder = Holder()
    before = timezone.localtime().time().replace(microsecond=0)
    value = clock.pre_save(holder, add=True)  # type: ignore[arg-type]
    assert holder.at is value and value >= before
    assert clock.editable is False and clock.blank is True


def test_db_types_per_connection(orm_alias: str) -> None:
    connection = connections[orm_alias]
    char = Blog._meta.get_field("name")
    assert char.db_type(connection) == "VARCHAR(100)"
    assert char.rel_db_type(connection) == "VARCHAR(100)"
    assert char.cast_db_type(connection) == "VARCHAR(100)"
    assert char.db_parameters(connection) == {"type": "VARCHAR(100)", "check": None}
    assert char.db_type(None) is None
    assert models.Field().db_type(connection) is None

    class Unsized(models.Field[Any, Any]):
        def get_internal_type(self) -> str:
            return "IntegerField"

    assert Unsized().db_type(connection) == "INTEGER"


def test_auto_field_kinds() -> None:
    class Big(models.Model):
        id = models.BigAutoField(primary_key=True)

        class Meta:
            app_label = "fieldapi"

    class Small(models.Model):
        id = models.SmallAutoField(primary_key=True)
        big = models.ForeignKey(Big, models.CASCADE)

        class Meta:
            app_label = "fieldapi"

    try:
        assert Big._meta.pk.get_internal_type() == "BigAutoField"
        assert Small._meta.pk.get_internal_type() == "SmallAutoField"
        assert str(Small.__table__.c.big_id.type) == "BIGINT"
        assert Small._meta.pk.formfield() is None
        with pytest.raises(ValueError, match="can't have more than one auto-generated field"):

            class Twice(models.Model):
                one = models.AutoField(primary_key=True)
                two = models.BigAutoField(primary_key=True)

                class Meta:
                    app_label = "fieldapi"

    finally:
        from fastjango.db.models import metadata

        for table in ("fieldapi_big", "fieldapi_small", "fieldapi_twice"):
            if table in metadata.tables:
                metadata.remove(metadata.tables[table])
