"""prefetch_related(), Prefetch objects and prefetch_related_objects()."""

from __future__ import annotations

import pytest

from fastjango.db import connections
from fastjango.db.models import Count, Prefetch, prefetch_related_objects
from fastjango.test.utils import CaptureQueriesContext
from tests.db.models.models_queries import Blog, Entry
from tests.db.models.models_relations import Category, Person, Place, Restaurant

pytestmark = pytest.mark.usefixtures("using")


@pytest.fixture
def blogs(blog_entries: list[Blog]) -> list[Blog]:
    return blog_entries


def test_prefetch_reverse_fk_and_m2m(blogs: list[Blog], using: str) -> None:
    with CaptureQueriesContext(connections[using]) as ctx:
        fetched = list(Blog.objects.prefetch_related("entry_set").order_by("pk"))
        assert [len(b.entry_set.all()) for b in fetched] == [1, 2, 3]
        assert [e.headline for e in fetched[2].entry_set.all()] == [
            "three-0",
            "three-1",
            "three-2",
        ]
    assert len(ctx) == 2
    with CaptureQueriesContext(connections[using]) as ctx:
        entries = list(Entry.objects.prefetch_related("authors", "blog").order_by("pk"))
        assert [sorted(a.name for a in e.authors.all()) for e in entries][-1] == ["Ann", "Bob"]
        assert {e.blog.name for e in entries} == {"one", "two", "three"}
    assert len(ctx) == 3
    with CaptureQueriesContext(connections[using]) as ctx:
        nested = list(Blog.objects.prefetch_related("entry_set__authors").order_by("pk"))
        names = [a.name for e in nested[2].entry_set.all() for a in e.authors.all()]
        assert sorted(names) == ["Ann", "Ann", "Bob", "Bob"]
    assert len(ctx) == 3


def test_prefetch_cache_is_used_only_by_all(blogs: list[Blog], using: str) -> None:
    blog = Blog.objects.prefetch_related("entry_set").get(name="three")
    with CaptureQueriesContext(connections[using]) as ctx:
        assert blog.entry_set.count() == 3
        assert len(blog.entry_set.all()) == 3
    assert len(ctx) == 0
    with CaptureQueriesContext(connections[using]) as ctx:
        assert blog.entry_set.filter(rating__gt=0).count() == 2
    assert len(ctx) == 1


def test_prefetch_objects(blogs: list[Blog], using: str) -> None:
    good = Prefetch("entry_set", queryset=Entry.objects.filter(rating__gte=1), to_attr="good")
    fetched = list(Blog.objects.prefetch_related(good).order_by("pk"))
    assert [[e.headline for e in b.good] for b in fetched] == [
        [],
        ["two-1"],
        ["three-1", "three-2"],
    ]
    ordered = Prefetch("entry_set", queryset=Entry.objects.order_by("-rating"))
    latest = Blog.objects.prefetch_related(ordered).get(name="three")
    assert [e.rating for e in latest.entry_set.all()] == [2, 1, 0]
    annotated = Prefetch(
        "entry_set", queryset=Entry.objects.annotate(n=Count("authors")), to_attr="counted"
    )
    three = Blog.objects.prefetch_related(annotated).get(name="three")
    assert sorted(e.n for e in three.counted) == [1, 1, 2]
    chained = Blog.objects.prefetch_related(
        Prefetch("entry_set", to_attr="all_entries"), "all_entries__authors"
    ).get(name="two")
    assert [len(e.authors.all()) for e in chained.all_entries] == [1, 1]
    with pytest.raises(ValueError, match="Prefetch querysets cannot use raw\\(\\), values\\(\\)"):
        Prefetch("entry_set", queryset=Entry.objects.values("pk"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'entry_set' lookup was already seen with a different"):
        list(
            Blog.objects.prefetch_related(
                Prefetch("entry_set", queryset=Entry.objects.filter(rating=0)),
                Prefetch("entry_set", queryset=Entry.objects.filter(rating=1)),
            )
        )


def test_prefetch_errors_and_none(blogs: list[Blog]) -> None:
    with pytest.raises(AttributeError, match="Cannot find 'nope' on Blog object"):
        list(Blog.objects.prefetch_related("nope"))
    with pytest.raises(ValueError, match="'name' does not resolve to an item that supports"):
        list(Blog.objects.prefetch_related("name"))
    assert list(Blog.objects.prefetch_related("entry_set").none()) == []
    cleared = Blog.objects.prefetch_related("entry_set").prefetch_related(None)
    assert cleared._prefetch_related_lookups == ()


def test_prefetch_related_objects_on_instances(blogs: list[Blog], using: str) -> None:
    instances = list(Blog.objects.order_by("pk"))
    with CaptureQueriesContext(connections[using]) as ctx:
        prefetch_related_objects(instances, "entry_set", "entry_set__authors")
        assert sum(len(b.entry_set.all()) for b in instances) == 6
    assert len(ctx) == 2
    prefetch_related_objects([], "entry_set")


def test_prefetch_one_to_one_and_self(using: str) -> None:
    place = Place.objects.create(name="p", address="")
    Place.objects.create(name="q", address="")
    Restaurant.objects.create(place=place)
    with CaptureQueriesContext(connections[using]) as ctx:
        places = {p.name: p for p in Place.objects.prefetch_related("restaurant")}
        assert places["p"].restaurant.place_id == place.pk
        assert not hasattr(places["q"], "restaurant")
    assert len(ctx) == 2
    root = Category.objects.create(name="root")
    Category.objects.create(name="leaf", parent=root)
    tree = {c.name: c for c in Category.objects.prefetch_related("children", "parent")}
    assert [c.name for c in tree["root"].children.all()] == ["leaf"]
    assert tree["leaf"].parent == root
    alice = Person.objects.create(name="Alice")
    bob = Person.objects.create(name="Bob")
    alice.friends.add(bob)
    people = {p.name: p for p in Person.objects.prefetch_related("friends")}
    assert list(people["Bob"].friends.all()) == [alice]
