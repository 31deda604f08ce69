"""Compiler paths: vendor ``as_<vendor>()`` hooks, ordering forms, set operations, locking."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from fastjango.db import DatabaseError, NotSupportedError, connections, models, transaction
from fastjango.db.models import F, FilteredRelation, Func, Q
from fastjango.db.models.functions import Lower
from tests.db.models.models_queries import Blog, Entry
from tests.db.models.models_schema import Label, Labelled

pytestmark = pytest.mark.usefixtures("using")


@pytest.fixture
def blogs(using: str) -> list[Blog]:
    return [Blog.objects.create(name=n, tagline=t) for n, t in (("b", "2"), ("A", "1"), ("c", "3"))]


class Shout(Func):
    """A function written the Django way, with per-vendor SQL."""

    function = "UPPER"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, function="UPPER", **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, template="UPPER(%(expressions)s)", **extra)

    def as_mysql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        name = compiler.quote_name_unless_alias("ignored")
        assert "ignored" in name
        return super().as_sql(compiler, connection, function="UCASE", **extra)


class Broken(Func):
    function = "X"

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return "X(%s, %s)", [1]


def test_vendor_hooks_and_bad_sql(blogs: list[Blog]) -> None:
    shouted = Blog.objects.annotate(s=Shout("name", output_field=models.CharField()))
    assert sorted(b.s for b in shouted) == ["A", "B", "C"]
    with pytest.raises(ValueError, match="In Broken.as_sql\\(\\)"):
        list(Blog.objects.annotate(x=Broken("name", output_field=models.IntegerField())))


def test_ordering_forms(blogs: list[Blog]) -> None:
    assert [b.name for b in Blog.objects.order_by(Lower("name"))] == ["A", "b", "c"]
    assert [b.name for b in Blog.objects.order_by(Lower("name")).reverse()] == ["c", "b", "A"]
    assert [b.name for b in Blog.objects.order_by(F("tagline").desc()).reverse()] == [
        "A",
        "b",
        "c",
    ]
    annotated = Blog.objects.annotate(low=Lower("name")).order_by(Lower("name").desc())
    assert [b.name for b in annotated] == ["c", "b", "A"]
    x, y = Label.objects.create(name="x"), Label.objects.create(name="Y")
    Labelled.objects.create(label=x, note="2")
    Labelled.objects.create(label=y, note="1")
    Labelled.objects.create(label=x, note="0")
    assert [lb.name for lb in Label.objects.all()] == ["x", "Y"]
    assert [lb.note for lb in Labelled.objects.all()] == ["0", "1", "2"]
    assert [lb.note for lb in Labelled.objects.order_by("label", "note")] == ["0", "2", "1"]
    assert [lb.note for lb in Labelled.objects.order_by("-label", "note")] == ["1", "0", "2"]
    assert [lb.note for lb in Labelled.objects.reverse()] == ["2", "1", "0"]


def test_filtered_relation_constant_conditions(blogs: list[Blog]) -> None:
    Entry.objects.create(
        blog=blogs[0], headline="e", body_text="", pub_date=datetime.date(2020, 1, 1)
    )
    never = Blog.objects.annotate(
        e=FilteredRelation("entry", condition=Q(entry__pk__in=[]))
    ).filter(e__isnull=False)
    assert list(never) == []
    always = Blog.objects.annotate(
        e=FilteredRelation("entry", condition=~Q(entry__pk__in=[]))
    ).filter(e__isnull=False)
    assert [b.name for b in always] == ["b"]


def test_set_operation_orderings(blogs: list[Blog], using: str) -> None:
    a = Blog.objects.filter(name="A")
    rest = Blog.objects.exclude(name="A")
    assert [b.name for b in a.union(rest).order_by("-pk")] == ["c", "A", "b"]
    assert [b.name for b in a.union(rest).order_by("pk").reverse()] == ["c", "A", "b"]
    entries = Entry.objects.filter(rating=5)
    Entry.objects.create(blog=blogs[1], headline="x", body_text="", pub_date="2020-01-01")
    Entry.objects.create(blog=blogs[0], headline="y", body_text="", pub_date="2020-01-01")
    ordered = entries.filter(headline="x").union(entries.filter(headline="y")).order_by("blog")
    assert [e.headline for e in ordered] == ["y", "x"]
    with pytest.raises(DatabaseError, match="ORDER BY term .* does not match any column"):
        list(a.values("name").union(rest.values("name")).order_by("tagline"))
    empty = Blog.objects.filter(pk__in=[])
    assert list(empty.union(Blog.objects.filter(pk__in=[]))) == []
    assert list(a.intersection(empty)) == []
    values = a.values("name").annotate(t=F("tagline")).union(rest.values("name", "tagline"))
    assert sorted(v["name"] for v in values) == ["A", "b", "c"]
    ordered_part = Blog.objects.order_by("name").union(rest)
    if using == "default":
        with pytest.raises(DatabaseError, match="ORDER BY not allowed in subqueries"):
            list(ordered_part)
    else:
        assert len(ordered_part) == 3


def test_locking_options_a_database_lacks(blogs: list[Blog], using: str) -> None:
    features = connections[using].features
    if not features.has_select_for_update:
        pytest.skip("SQLite has no SELECT ... FOR UPDATE: the options are ignored there.")
    saved = features.__dict__.copy()
    try:
        features.has_select_for_update_nowait = False
        features.has_select_for_update_skip_locked = False
        with transaction.atomic(using=using):
            with pytest.raises(NotSupportedError, match="NOWAIT is not supported"):
                list(Blog.objects.select_for_update(nowait=True))
            with pytest.raises(NotSupportedError, match="SKIP LOCKED is not supported"):
                list(Blog.objects.select_for_update(skip_locked=True))
    finally:
        features.__dict__.clear()
        features.__dict__.update(saved)
