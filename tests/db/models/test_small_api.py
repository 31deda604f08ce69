"""Small corners: unique_for_date checks, managers, column types, Cast/Collate per backend."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from fastjango.core.exceptions import ValidationError
from fastjango.db import connections, models, transaction
from fastjango.db.models import Value
from fastjango.db.models.functions import Cast, Coalesce, Collate, Least
from fastjango.db.models.manager import EmptyManager
from fastjango.test.utils import override_settings
from tests.db.models.models_fields import Article, Everything, Stamped
from tests.db.models.models_queries import Blog, Dog, Event
from tests.db.models.models_schema import Post

DAY = datetime.date(2020, 5, 17)


@pytest.mark.usefixtures("using")
def test_unique_for_date_month_year() -> None:
    Post.objects.create(title="t", slug="s", series="x", pub=DAY)
    with pytest.raises(ValidationError) as info:
        Post(title="t", slug="s", series="x", pub=DAY).full_clean()
    assert info.value.message_dict == {
        "title": ["Title must be unique for Pub date."],
        "slug": ["Slug must be unique for Pub month."],
        "series": ["Series must be unique for Pub year."],
    }
    Post(title="t", slug="s2", series="y", pub=DAY + datetime.timedelta(days=40)).full_clean()
    Post(title="t", slug="s", series="x", pub=None).full_clean()
    saved = Post.objects.get()
    saved.full_clean()
    Post(title="t", slug="s", series="x", pub=DAY).full_clean(exclude=["pub"])


def test_manager_api() -> None:
    manager = Article._meta.get_field("title").model.objects
    assert str(manager) == "fields_app.Article.objects"
    assert manager.deconstruct() == (
        False,
        "fastjango.db.models.manager.Manager",
        None,
        (),
        {},
    )
    tagged = Article.tagged.deconstruct()
    assert tagged[0] is True and tagged[2] == "tests.db.models.models_fields.ArticleQuerySet"
    assert manager.check() == []
    assert manager == Article.objects and manager != Article.live
    assert hash(manager) == id(manager)

    class Holder:
        plain = models.Manager()

    assert isinstance(Holder.plain, models.Manager)
    assert isinstance(Holder().plain, models.Manager)
    empty: Any = EmptyManager(Blog)
    assert list(empty.all()) == []


@pytest.mark.usefixtures("using")
def test_column_types_and_time_zones(using: str) -> None:
    vendor = connections[using].vendor
    with override_settings(USE_TZ=False):
        naive = datetime.datetime(2020, 1, 1, 12, 30)
        event = Event.objects.create(name="n", start=naive)
        assert Event.objects.get(pk=event.pk).start == naive
        aware = datetime.datetime(2020, 1, 1, 12, 30, tzinfo=datetime.UTC)
        if vendor == "postgresql":
            event.start = aware
            event.save()
            assert Event.objects.get(pk=event.pk).start == naive
        else:
            with pytest.raises(ValueError, match="backend does not support timezone-aware"):
                with transaction.atomic(using=using):
                    Event.objects.create(name="a", start=aware)
    stored = Everything.objects.create(binary=memoryview(b"\x01\x02"), time=datetime.time(1, 2, 3))
    fetched = Everything.objects.get(pk=stored.pk)
    assert bytes(fetched.binary) == b"\x01\x02" and fetched.time == datetime.time(1, 2, 3)
    assert Stamped.objects.create(name="s").updated is not None


class Encoder(json.JSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.date):
            return {"date": o.isoformat()}
        return super().default(o)


class Decoder(json.JSONDecoder):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(object_hook=self.hook, **kwargs)

    @staticmethod
    def hook(value: dict[str, Any]) -> Any:
        if set(value) == {"date"}:
            return datetime.date.fromisoformat(value["date"])
        return value


def test_json_encoder_and_decoder(orm_alias: str) -> None:
    from fastjango.db.models.fields._types import JSONType

    kind = JSONType(Encoder, Decoder)
    dialect = connections[orm_alias].sync_engine.dialect
    bound = kind.process_bind_param({"when": DAY}, dialect)
    assert bound == {"when": {"date": DAY.isoformat()}}
    assert kind.process_result_value(bound, dialect) == {"when": DAY}
    assert kind.process_bind_param(None, dialect) is None


@pytest.mark.usefixtures("using")
def test_cast_and_collate_per_backend(using: str) -> None:
    vendor = connections[using].vendor
    event = Event.objects.create(
        name="Bb",
        start=datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
        at=datetime.time(6, 7, 8),
    )
    row = Event.objects.annotate(
        as_dt=Cast("start", models.DateTimeField()),
        as_time=Cast("at", models.TimeField()),
        as_float=Cast(Value(2), models.FloatField()),
        as_json=Cast(Value('{"a": 1}'), models.JSONField()),
    ).get(pk=event.pk)
    assert row.as_dt == event.start and row.as_time == datetime.time(6, 7, 8)
    assert row.as_float == 2.0 and row.as_json == {"a": 1}
    collation = {"sqlite": "NOCASE", "postgresql": "C", "mysql": "utf8mb4_bin"}[vendor]
    Blog.objects.create(name="b", tagline="")
    Blog.objects.create(name="A", tagline="")
    ordered = Blog.objects.order_by(Collate("name", collation))
    assert [b.name for b in ordered] == (["A", "b"])
    with pytest.raises(ValueError, match="Invalid collation name: 'x y'"):
        Collate("name", "x y")
    with pytest.raises(ValueError, match="Least must take at least two expressions"):
        Least("name")
    assert Dog.objects.aggregate(n=Coalesce(models.Sum("id"), Value(0))) == {"n": 0}
