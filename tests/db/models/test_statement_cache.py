"""Compiled SELECTs reused by querysets of the same shape (``sql.statement_cache``)."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

import pytest

from fastjango.db import connections
from fastjango.db.models import F, Q
from fastjango.db.models.lookups import Exact
from fastjango.db.models.sql import statement_cache
from fastjango.utils import timezone
from tests.db.models.models_fields import Everything
from tests.db.models.models_queries import Blog, Entry

pytestmark = pytest.mark.usefixtures("using", "empty_statement_cache")


@pytest.fixture
def blogs(using: str) -> list[Blog]:
    return [Blog.objects.create(name=f"blog {n}", tagline=str(n)) for n in range(5)]


def _cached(queryset: Any) -> statement_cache.CachedSelect | None:
    vendor = connections[queryset.db].vendor
    found = statement_cache.shape(queryset.query, queryset.db, vendor)
    assert found is not None, "expected a cacheable shape"
    return statement_cache.lookup(found[0])


def test_values_change_statement_does_not(blogs: list[Blog]) -> None:
    first = Blog.objects.get(pk=blogs[0].pk)
    assert len(statement_cache._entries) == 1
    entry = next(iter(statement_cache._entries.values()))
    # The second get() reuses the first one's statement with its own value.
    assert Blog.objects.get(pk=blogs[3].pk).name == "blog 3"
    assert list(statement_cache._entries.values()) == [entry]
    assert first.name == "blog 0"
    with pytest.raises(Blog.DoesNotExist):
        Blog.objects.get(pk=blogs[-1].pk + 100)
    listed = Blog.objects.filter(pk=blogs[2].pk)
    assert [b.name for b in listed] == ["blog 2"]
    assert _cached(Blog.objects.filter(pk=blogs[1].pk)) is not None
    assert [b.name for b in Blog.objects.filter(pk__gte=blogs[3].pk).order_by("pk")] == [
        "blog 3",
        "blog 4",
    ]
    assert [b.name for b in Blog.objects.filter(pk__gte=blogs[4].pk).order_by("pk")] == ["blog 4"]
    assert [b.name for b in Blog.objects.filter(pk__lt=blogs[1].pk, name="blog 0")] == ["blog 0"]
    assert list(Blog.objects.filter(pk__lt=blogs[1].pk, name="blog 3")) == []


def test_or_and_not_keep_their_values(blogs: list[Blog]) -> None:
    for low, high in ((0, 4), (1, 3), (2, 2)):
        queryset = Blog.objects.filter(Q(name=f"blog {low}") | ~Q(pk__lte=blogs[high].pk))
        expected = {f"blog {low}", *(f"blog {n}" for n in range(high + 1, 5))}
        assert {b.name for b in queryset} == expected


def test_values_and_values_list_shapes(blogs: list[Blog]) -> None:
    for n in range(3):
        assert list(Blog.objects.filter(name=f"blog {n}").values("tagline")) == [
            {"tagline": str(n)}
        ]
        assert list(Blog.objects.filter(name=f"blog {n}").values_list("pk", flat=True)) == [
            blogs[n].pk
        ]
        named = Blog.objects.filter(tagline=str(n)).values_list("name", "tagline", named=True)
        assert [(row.name, row.tagline) for row in named] == [(f"blog {n}", str(n))]


def test_joins_and_select_related(blogs: list[Blog]) -> None:
    day = datetime.date(2024, 1, 1)
    for blog in blogs[:3]:
        Entry.objects.create(blog=blog, headline=f"about {blog.name}", body_text="", pub_date=day)
    for n in range(3):
        entries = list(Entry.objects.select_related("blog").filter(blog__name=f"blog {n}"))
        assert [(e.headline, e.blog.name) for e in entries] == [(f"about blog {n}", f"blog {n}")]


def test_booleans_compile_per_value(using: str) -> None:
    Everything.objects.create(char="yes", boolean=True)
    Everything.objects.create(char="no", boolean=False)
    for _ in range(2):
        assert [e.char for e in Everything.objects.filter(boolean=True)] == ["yes"]
        assert [e.char for e in Everything.objects.filter(boolean=False)] == ["no"]


def test_integer_out_of_range_is_still_empty(using: str) -> None:
    Everything.objects.create(char="small", small=7)
    assert [e.char for e in Everything.objects.filter(small=7)] == ["small"]
    # Same shape, but a value no SMALLINT holds matches nothing instead of failing.
    assert list(Everything.objects.filter(small=10**9)) == []
    assert [e.char for e in Everything.objects.filter(small=7)] == ["small"]


def test_values_are_prepared_each_time(using: str) -> None:
    moment = timezone.now().replace(microsecond=0)
    Everything.objects.create(char="a", datetime=moment, decimal=decimal.Decimal("1.5"))
    Everything.objects.create(
        char="b", datetime=moment + datetime.timedelta(days=1), decimal=decimal.Decimal("2.25")
    )
    assert [e.char for e in Everything.objects.filter(datetime=moment)] == ["a"]
    later = moment + datetime.timedelta(days=1)
    assert [e.char for e in Everything.objects.filter(datetime=later)] == ["b"]
    assert [e.char for e in Everything.objects.filter(decimal=decimal.Decimal("2.25"))] == ["b"]
    assert [e.char for e in Everything.objects.filter(decimal="1.5")] == ["a"]


def test_iterator_uses_the_values(blogs: list[Blog]) -> None:
    for n in range(3):
        names = [b.name for b in Blog.objects.filter(pk__gt=blogs[n].pk).iterator()]
        assert sorted(names) == [f"blog {m}" for m in range(n + 1, 5)]


def test_uncacheable_shapes_compile_afresh(blogs: list[Blog]) -> None:
    vendor = connections[blogs[0]._state.db].vendor

    def shape(queryset: Any) -> Any:
        return statement_cache.shape(queryset.query, queryset.db, vendor)

    assert shape(Blog.objects.filter(name__startswith="blog")) is None
    assert shape(Blog.objects.filter(name=F("tagline"))) is None
    assert shape(Blog.objects.annotate(n=F("pk"))) is None
    assert shape(Blog.objects.order_by(F("name").desc())) is None
    assert shape(Blog.objects.filter(pk__in=[1, 2])) is None
    assert shape(Blog.objects.none()) is None
    assert shape(Blog.objects.union(Blog.objects.all())) is None
    odd = Blog.objects.all()
    odd.query.something_new = True  # an attribute the shape doesn't know
    assert shape(odd) is None
    # Uncacheable querysets still run, with their own values.
    assert sorted(b.name for b in Blog.objects.filter(pk__in=[blogs[1].pk, blogs[2].pk])) == [
        "blog 1",
        "blog 2",
    ]


class NoSlotExact(Exact):
    """An ``exact`` written Django's way: its SQL comes from ``as_sql()``."""

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = {rhs}", [*lhs_params, *rhs_params]


def test_statement_kept_only_when_every_value_is_bound_by_name(
    blogs: list[Blog], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A lookup class the shape accepts but whose compiled form binds its value anonymously
    # must not be kept, or a later query would run with the first one's value.
    monkeypatch.setattr(
        statement_cache, "SLOT_LOOKUPS", statement_cache.SLOT_LOOKUPS | {NoSlotExact}
    )
    field = Blog._meta.get_field("name")
    field.register_lookup(NoSlotExact, lookup_name="exact")
    try:
        assert [b.tagline for b in Blog.objects.filter(name="blog 1")] == ["1"]
        assert _cached(Blog.objects.filter(name="blog 2")) is None
        assert [b.tagline for b in Blog.objects.filter(name="blog 2")] == ["2"]
    finally:
        field._unregister_lookup(NoSlotExact, lookup_name="exact")


def test_full_cache_drops_the_oldest(blogs: list[Blog], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(statement_cache, "MAX_ENTRIES", 2)
    list(Blog.objects.filter(name="x"))
    list(Blog.objects.filter(tagline="x"))
    first = Blog.objects.filter(name="y")
    assert _cached(first) is not None
    list(Blog.objects.filter(pk=1))
    assert _cached(first) is None
    assert len(statement_cache._entries) == 2


def test_init_signals_connected_later_still_fire(blogs: list[Blog]) -> None:
    from fastjango.db.models.signals import post_init

    assert len(list(Blog.objects.filter(name="blog 1"))) == 1  # statement and factory kept
    seen: list[str] = []

    def receiver(sender: Any, instance: Blog, **kwargs: Any) -> None:
        seen.append(instance.name)

    post_init.connect(receiver, sender=Blog)
    try:
        assert len(list(Blog.objects.filter(name="blog 2"))) == 1
    finally:
        post_init.disconnect(receiver, sender=Blog)
    assert seen == ["blog 2"]
    list(Blog.objects.filter(name="blog 3"))
    assert seen == ["blog 2"]


def test_select_related_trees_are_copied_not_shared(blogs: list[Blog]) -> None:
    base = Entry.objects.select_related("blog")
    deeper = base.select_related("blog")
    deeper.query.select_related["blog"]["extra"] = {}  # type: ignore[index]
    assert base.query.select_related == {"blog": {}}


def test_related_instances_as_values(blogs: list[Blog]) -> None:
    day = datetime.date(2024, 1, 1)
    for blog in blogs[:3]:
        Entry.objects.create(blog=blog, headline=f"on {blog.name}", body_text="", pub_date=day)
    for blog in blogs[:3]:
        assert [e.headline for e in Entry.objects.filter(blog=blog)] == [f"on {blog.name}"]
        assert [e.headline for e in blog.entry_set.all()] == [f"on {blog.name}"]
    assert list(Entry.objects.filter(blog=blogs[4])) == []


def test_filtered_relations_compile_afresh(blogs: list[Blog]) -> None:
    from fastjango.db.models import FilteredRelation

    queryset = Blog.objects.annotate(
        recent=FilteredRelation("entry", condition=Q(entry__rating__gte=3))
    ).filter(recent__headline="x")
    vendor = connections[queryset.db].vendor
    assert statement_cache.shape(queryset.query, queryset.db, vendor) is None
    assert list(queryset) == []


def test_inserting_column_references_or_aggregates_is_refused(using: str) -> None:
    # As in Django: an INSERT can't read the row it writes, nor aggregate.
    from fastjango.core.exceptions import FieldError
    from fastjango.db import transaction
    from fastjango.db.models import Count, Value

    with pytest.raises(ValueError, match=r"F\(\) expressions can only be used to update"):
        with transaction.atomic(using=using):
            Blog.objects.create(name=F("tagline"), tagline="t")
    with pytest.raises(FieldError, match="Aggregate functions are not allowed in this query"):
        with transaction.atomic(using=using):
            Blog.objects.create(name=Count(Value(1)), tagline="t")
    assert not Blog.objects.exists()
