"""Smaller pieces: SQLite's Python functions, time arithmetic, aggregate options, Prefetch."""

from __future__ import annotations

import datetime
import pickle
from typing import Any

import pytest

from fastjango.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    Sum,
    TimeField,
    Value,
    prefetch_related_objects,
)
from fastjango.db.models.sql import sqlite_functions as fns
from fastjango.utils.functional import cached_property
from tests.db.models.models_queries import Author, Blog, Entry, Event

DAY = datetime.date(2020, 1, 1)
START = datetime.datetime(2020, 1, 1, 10, tzinfo=datetime.UTC)


def test_sqlite_helpers_handle_bad_and_null_input() -> None:
    assert fns._parse_datetime(None) is None
    moment = datetime.datetime(2020, 1, 2, 3, 4)
    assert fns._parse_datetime(moment) is moment
    assert fns._parse_datetime("2020-01-02 garbage") == datetime.datetime(2020, 1, 2)
    assert fns._parse_datetime("nonsense") is None
    assert fns._parse_time(None) is None
    assert fns._parse_time("2020-01-02 03:04:05") == datetime.time(3, 4, 5)
    assert fns._parse_time("nonsense") is None
    assert fns._zone("+05:30").utcoffset(None) == datetime.timedelta(hours=5, minutes=30)
    assert fns._zone("-0100").utcoffset(None) == datetime.timedelta(hours=-1)
    assert fns.datetime_extract("year", None, None) is None
    with pytest.raises(ValueError, match="Unsupported truncation kind 'decade'"):
        fns._trunc("decade", moment)
    assert fns.datetime_trunc("day", None, None) is None
    assert fns.date_trunc("month", None, None) is None
    assert fns.time_trunc("hour", None, None) is None
    assert fns.format_dtdelta("+", None, 1, "DateTimeField") is None
    assert fns.format_dtdelta("+", "nonsense", 1, "TimeField") is None
    assert fns.format_dtdelta("+", "10:00:00", 1_000_000, "TimeField") == "10:00:01.000000"
    assert fns.format_dtdelta("-", "10:00:00", 1_000_000, "TimeField") == "09:59:59.000000"
    assert fns.format_dtdelta("+", "bad", "worse", "DateTimeField") is None
    assert fns.format_dtdelta("+", 1_000_000, 2_000_000, "DurationField") == "3000000"
    assert fns.format_dtdelta("+", "2020-01-01", 86_400_000_000, "DateField") == "2020-01-02"
    assert fns.timestamp_diff("bad", "2020-01-01") is None
    assert fns.time_diff("10:00:01", "10:00:00") == 1_000_000
    assert fns.time_diff(None, "10:00:00") is None
    assert fns.regexp(None, "x") is None
    variance = fns._aggregate_class("var_samp")()
    variance.step(1.0)
    assert variance.finalize() is None


@pytest.mark.usefixtures("using")
def test_time_arithmetic() -> None:
    event = Event.objects.create(
        name="e",
        start=START,
        at=datetime.time(10, 0),
        duration=datetime.timedelta(minutes=90),
    )
    later = Event.objects.annotate(
        t=ExpressionWrapper(F("at") + datetime.timedelta(minutes=30), output_field=TimeField()),
        back=ExpressionWrapper(F("at") - F("duration"), output_field=TimeField()),
    ).get(pk=event.pk)
    assert (later.t, later.back) == (datetime.time(10, 30), datetime.time(8, 30))
    gap = Event.objects.annotate(
        g=ExpressionWrapper(F("at") - F("at"), output_field=DurationField())
    ).get(pk=event.pk)
    assert gap.g == datetime.timedelta(0)
    days = Event.objects.annotate(
        d=ExpressionWrapper(F("start") - F("start"), output_field=DurationField())
    ).get(pk=event.pk)
    assert days.d == datetime.timedelta(0)


@pytest.mark.usefixtures("using")
def test_aggregate_options() -> None:
    with pytest.raises(TypeError, match="Count does not allow default"):
        Count("pk", default=0)
    blog = Blog.objects.create(name="b", tagline="")
    for rating in (1, 2, 3):
        Entry.objects.create(blog=blog, headline="e", body_text="", pub_date=DAY, rating=rating)
    assert Entry.objects.aggregate(
        none=Count("pk", filter=Q(pk__in=[])),
        all=Count("pk", filter=~Q(pk__in=[])),
        star=Count("*"),
        distinct=Count("rating", distinct=True, filter=Q(rating__gt=1)),
    ) == {"none": 0, "all": 3, "star": 3, "distinct": 2}
    with pytest.raises(ValueError, match="Star cannot be used with filter"):
        Count("*", filter=Q(rating__gt=1))
    with pytest.raises(TypeError, match="Complex expressions require an alias"):
        Sum(F("rating") + 1).default_alias  # noqa: B018

    class Highest(Aggregate):
        function = "MAX"
        template = "%(function)s(%(expressions)s)"
        name = "Highest"

    assert Entry.objects.aggregate(h=Highest("rating")) == {"h": 3}
    total = Entry.objects.filter(rating=9).aggregate(t=Sum("rating", default=Value(1) + 1))
    assert total["t"] == 2


@pytest.mark.usefixtures("using")
def test_prefetch_objects_api() -> None:
    entries = Prefetch("entry_set", queryset=Entry.objects.filter(rating__gt=0), to_attr="rated")
    assert repr(entries) == "<Prefetch: rated>"
    assert entries == Prefetch("entry_set", to_attr="rated")
    assert entries.__eq__("x") is NotImplemented
    assert hash(entries) == hash(Prefetch("entry_set", to_attr="rated"))
    restored = pickle.loads(pickle.dumps(Prefetch("entry_set", queryset=Entry.objects.all())))
    assert restored.queryset._result_cache == []
    blog = Blog.objects.create(name="b", tagline="")
    Entry.objects.create(blog=blog, headline="x", body_text="", pub_date=DAY)
    with pytest.raises(ValueError, match="to_attr=authors conflicts with a field on the Entry"):
        list(Entry.objects.prefetch_related(Prefetch("authors", to_attr="authors")))
    Entry.objects.all().delete()
    entry = Entry.objects.create(blog=blog, headline="e", body_text="", pub_date=DAY, rating=1)
    ann = Author.objects.create(name="Ann", email="")
    entry.authors.add(ann)
    nested = Blog.objects.prefetch_related(
        Prefetch(
            "entry_set",
            queryset=Entry.objects.prefetch_related(Prefetch("authors", to_attr="people")),
            to_attr="rated",
        )
    ).get()
    assert [a.name for a in nested.rated[0].people] == ["Ann"]
    through_list = list(Blog.objects.prefetch_related(entries, "rated__authors"))
    assert [a.name for a in through_list[0].rated[0].authors.all()] == ["Ann"]

    class Holder:
        def __init__(self, blog: Blog) -> None:
            self.blog = blog

        @cached_property
        def entries(self) -> list[Entry]:
            return []

    holders = [Holder(blog)]
    with pytest.raises(AttributeError, match="Cannot find 'nothing' on Holder object"):
        prefetch_related_objects(holders, "nothing")
    reused: Any = Blog.objects.prefetch_related("entry_set").get()
    prefetch_related_objects([reused], "entry_set__authors")
    assert [a.name for e in reused.entry_set.all() for a in e.authors.all()] == ["Ann"]
    restaurant_less = Blog.objects.prefetch_related("entry_set__blog__entry_set").get()
    assert len(restaurant_less.entry_set.all()[0].blog.entry_set.all()) == 1
