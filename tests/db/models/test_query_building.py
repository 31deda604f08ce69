"""How filters become SQL: combining querysets with joins, lookups on annotations, errors."""

from __future__ import annotations

import datetime
from collections import namedtuple
from typing import Any

import pytest

from fastjango.core.exceptions import FieldDoesNotExist, FieldError
from fastjango.db.models import Count, F, Q, Sum, Window
from fastjango.db.models.functions import Rank
from tests.db.models.models_fields import Everything
from tests.db.models.models_queries import Author, Blog, Entry
from tests.db.models.models_relations import Category

pytestmark = pytest.mark.usefixtures("using")

Pair = namedtuple("Pair", ["low", "high"])


@pytest.fixture
def data(using: str) -> dict[str, Any]:
    a = Blog.objects.create(name="A", tagline="x")
    b = Blog.objects.create(name="B", tagline="y")
    ann = Author.objects.create(name="Ann", email="")
    bob = Author.objects.create(name="Bob", email="")
    e1 = Entry.objects.create(
        blog=a, headline="a1", body_text="", pub_date=datetime.date(2020, 1, 1), rating=1
    )
    e2 = Entry.objects.create(
        blog=b, headline="b1", body_text="", pub_date=datetime.date(2021, 1, 1), rating=2
    )
    e3 = Entry.objects.create(
        blog=b, headline="b2", body_text="", pub_date=datetime.date(2021, 6, 1), rating=3
    )
    e1.authors.add(ann)
    e2.authors.add(bob)
    e3.authors.add(ann, bob)
    return {"a": a, "b": b, "ann": ann, "bob": bob}


def headlines(qs: Any) -> list[str]:
    return sorted(e.headline for e in qs)


def test_combining_querysets_with_joins(data: dict[str, Any]) -> None:
    by_blog = Entry.objects.filter(blog__name="A")
    by_author = Entry.objects.filter(authors__name="Bob")
    assert headlines((by_blog | by_author).distinct()) == ["a1", "b1", "b2"]
    assert headlines(by_blog & by_author) == []
    both = Entry.objects.filter(blog__name="B") & Entry.objects.filter(blog__tagline="y")
    assert headlines(both) == ["b1", "b2"]
    m2m = Entry.objects.filter(authors__name="Ann") & Entry.objects.filter(authors__name="Bob")
    assert headlines(m2m) == ["b2"]
    xor = Entry.objects.filter(blog__name="B") ^ Entry.objects.filter(rating__gte=3)
    assert headlines(xor) == ["b1"]
    annotated = Entry.objects.annotate(n=Count("authors")).filter(rating=1) | Entry.objects.filter(
        rating=3
    )
    assert sorted((e.headline, e.n) for e in annotated) == [("a1", 1), ("b2", 2)]
    related = Entry.objects.select_related("blog") | Entry.objects.select_related("blog")
    assert related.query.select_related == {"blog": {}}
    mixed = (
        Entry.objects.select_related("blog").filter(rating=1)
        | Entry.objects.filter(rating=2).select_related()
    )
    assert mixed.query.select_related is True
    with pytest.raises(TypeError, match="Cannot combine queries with different distinct fields"):
        Blog.objects.distinct("name") & Blog.objects.distinct("tagline")


def test_lookups_on_annotations_and_transforms(data: dict[str, Any]) -> None:
    dated = Entry.objects.annotate(d=F("pub_date"))
    assert headlines(dated.filter(d__year=2021)) == ["b1", "b2"]
    assert headlines(dated.filter(d__year__gte=2021, d__month=6)) == ["b2"]
    years = Entry.objects.annotate(d=F("pub_date")).annotate(y=F("d__year")).order_by("y")
    assert [e.y for e in years] == [2020, 2021, 2021]
    with pytest.raises(FieldError, match="Cannot aggregate over the 'n' alias"):
        Entry.objects.alias(n=Count("authors")).aggregate(Sum("n"))
    with pytest.raises(FieldError, match="Joined field references are not permitted"):
        Entry.objects.annotate(b=F("blog__name")).update(headline=F("b"))
    with pytest.raises(FieldError, match="Unsupported lookup 'gt' for IntegerField or join"):
        Entry.objects.filter(**{"rating__gt__lt": 1})
    with pytest.raises(FieldError, match="Cannot parse keyword query ''"):
        Entry.objects.filter(**{"": 1})
    with pytest.raises(ValueError, match="Cannot use None as a query value"):
        Entry.objects.filter(rating__gt=None)
    with pytest.raises(FieldError, match="Unsupported lookup 'nope' for IntegerField"):
        Entry.objects.filter(rating__nope=1)
    with pytest.raises(FieldError, match="Invalid field name: 'authors'"):
        Entry.objects.values_list("authors").query.add_fields(["authors"], allow_m2m=False)
    with pytest.raises(FieldError, match="Cannot resolve keyword 'nope' into field"):
        Entry.objects.values("blog__nope")
    with pytest.raises(FieldError, match="Cannot select the 'x' alias"):
        Entry.objects.alias(x=F("rating")).values("x")


def test_filter_values(data: dict[str, Any]) -> None:
    assert headlines(Entry.objects.filter(rating__range=Pair(2, 3))) == ["b1", "b2"]
    assert headlines(Entry.objects.filter(rating__in=iter([1, 3]))) == ["a1", "b2"]
    with pytest.raises(ValueError, match='Cannot query "Ann": Must be "Blog" instance'):
        Entry.objects.filter(blog=data["ann"])
    ranked = Entry.objects.annotate(r=Window(Rank(), order_by=F("rating").desc()))
    best = Entry.objects.order_by("-rating").values_list("rating", flat=True)[:1]
    assert {e.rating for e in ranked.filter(r=1)} == set(best)
    root = Category.objects.create(name="same")
    Category.objects.create(name="same", parent=root)
    Category.objects.create(name="other", parent=root)
    # As in Django, the root (no parent) is excluded too: name = NULL isn't false.
    excluded = Category.objects.exclude(name=F("parent__name"))
    assert sorted(c.name for c in excluded) == ["other"]
    Everything.objects.create(big=1, small=None)
    Everything.objects.create(big=1, small=1)
    assert Everything.objects.exclude(big=F("small")).count() == 1
    assert Entry.objects.values("blog").annotate(n=Count("pk")).exists()
    assert Blog.objects.filter(name="A").union(Blog.objects.filter(name="B")).exists()
    assert Entry.objects.values("blog").annotate(n=Count("pk")).filter(n=2).count() == 1


def test_query_copies_and_fields(data: dict[str, Any]) -> None:
    query = Entry.objects.filter(Q(rating=1)).query
    assert query.copy().where is not query.where
    assert Entry.objects.values("rating", "headline").query._output_field_or_none is None
    deferred = Entry.objects.defer("headline").defer("body_text").only("rating", "headline")
    # As in Django, only() after defer() keeps the earlier deferrals: "headline" stays out.
    assert deferred.get(rating=1).get_deferred_fields() == {
        "headline",
        "blog_id",
        "body_text",
        "mod_date",
        "number_of_comments",
        "number_of_pingbacks",
        "pub_date",
    }
    assert Entry.objects.only("blog__name").select_related("blog").get(rating=1).blog.name == "A"
    with pytest.raises(FieldDoesNotExist, match="Entry has no field named 'nope'"):
        list(Entry.objects.only("nope__x").select_related())
