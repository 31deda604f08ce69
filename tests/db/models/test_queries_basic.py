"""The basics of Django's "Making queries": create, filter, exclude, get, order, slice, values."""

from __future__ import annotations

import datetime

import pytest

from fastjango.core.exceptions import FieldError
from fastjango.db.models import Q
from tests.db.models.models_queries import Author, Blog, Entry

pytestmark = pytest.mark.usefixtures("using")


def make_entries() -> tuple[Blog, Blog]:
    cheese = Blog.objects.create(name="Cheddar Talk", tagline="All about cheese")
    beatles = Blog.objects.create(name="Beatles Blog", tagline="All the latest Beatles news.")
    Entry.objects.create(
        blog=beatles, headline="Lennon speaks", body_text="x", pub_date=datetime.date(2008, 3, 1)
    )
    Entry.objects.create(
        blog=beatles,
        headline="What's up",
        body_text="y",
        pub_date=datetime.date(2006, 1, 1),
        rating=3,
    )
    Entry.objects.create(
        blog=cheese,
        headline="Cheddar news",
        body_text="z",
        pub_date=datetime.date(2007, 5, 2),
        rating=4,
        number_of_comments=3,
    )
    return cheese, beatles


def test_create_and_save() -> None:
    b = Blog(name="Beatles Blog", tagline="All the latest Beatles news.")
    assert b.pk is None
    b.save()
    assert isinstance(b.pk, int)
    b.name = "New name"
    b.save()
    assert Blog.objects.get(pk=b.pk).name == "New name"


def test_filter_exclude_chain() -> None:
    make_entries()
    qs = (
        Entry.objects.filter(headline__startswith="What")
        .exclude(pub_date__gte=datetime.date.today())
        .filter(pub_date__gte=datetime.date(2005, 1, 30))
    )
    assert [e.headline for e in qs] == ["What's up"]
    assert Entry.objects.filter(pub_date__year=2008).count() == 1


def test_get_and_errors() -> None:
    make_entries()
    entry = Entry.objects.get(headline="Lennon speaks")
    assert entry.blog.name == "Beatles Blog"
    with pytest.raises(Entry.DoesNotExist):
        Entry.objects.get(headline="nope")
    with pytest.raises(Entry.MultipleObjectsReturned):
        Entry.objects.get(rating__gte=0)


def test_order_and_slice() -> None:
    make_entries()
    ordered = Entry.objects.order_by("-pub_date")
    assert [e.headline for e in ordered] == ["Lennon speaks", "Cheddar news", "What's up"]
    assert [e.headline for e in ordered[:2]] == ["Lennon speaks", "Cheddar news"]
    assert ordered[1].headline == "Cheddar news"
    assert [e.headline for e in ordered[1:]] == ["Cheddar news", "What's up"]


def test_spanning_relations() -> None:
    make_entries()
    assert list(Blog.objects.filter(entry__headline__contains="Lennon")) == [
        Blog.objects.get(name="Beatles Blog")
    ]
    assert Entry.objects.filter(blog__name="Cheddar Talk").count() == 1


def test_values_and_values_list() -> None:
    make_entries()
    rows = list(Blog.objects.filter(name__startswith="Beatles").values("name"))
    assert rows == [{"name": "Beatles Blog"}]
    assert sorted(Entry.objects.values_list("rating", flat=True)) == [3, 4, 5]


def test_unknown_field_lists_choices() -> None:
    with pytest.raises(FieldError) as info:
        Entry.objects.filter(nope=1)
    assert "Cannot resolve keyword 'nope' into field. Choices are:" in str(info.value)
    assert "headline" in str(info.value)


def test_q_objects() -> None:
    make_entries()
    qs = Entry.objects.filter(Q(rating=3) | Q(rating=4)).order_by("rating")
    assert [e.rating for e in qs] == [3, 4]
    assert Author.objects.count() == 0
