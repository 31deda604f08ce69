"""Relation descriptors and managers: assignment rules, bulk=False paths, custom managers."""

from __future__ import annotations

import datetime
import pickle
from typing import Any

import pytest

from fastjango.db import connections, models, transaction
from fastjango.db.models import Prefetch, signals
from fastjango.test.utils import CaptureQueriesContext
from tests.db.models.models_fields import Article
from tests.db.models.models_queries import Author, Blog, Entry
from tests.db.models.models_relations import (
    Category,
    Group,
    Membership,
    Owner,
    Person,
    Place,
    Restaurant,
    Thing,
)

pytestmark = pytest.mark.usefixtures("using")

DAY = datetime.date(2020, 1, 1)


def test_descriptor_classes_and_pickling() -> None:
    assert issubclass(Entry.blog.RelatedObjectDoesNotExist, Blog.DoesNotExist)
    assert issubclass(Entry.blog.RelatedObjectDoesNotExist, AttributeError)
    assert issubclass(Place.restaurant.RelatedObjectDoesNotExist, Restaurant.DoesNotExist)
    for descriptor in (Entry.blog, Place.restaurant):
        assert pickle.loads(pickle.dumps(descriptor)) is descriptor


def test_forward_assignment_and_prefetch_errors() -> None:
    entry = Entry(headline="x", body_text="", pub_date=DAY)
    with pytest.raises(ValueError, match="querysets argument of get_prefetch_querysets"):
        Entry.blog.get_prefetch_querysets([entry], [Blog.objects.all(), Blog.objects.all()])
    with pytest.raises(ValueError, match="querysets argument of get_prefetch_querysets"):
        Place.restaurant.get_prefetch_querysets([], [Restaurant.objects.all()] * 2)
    blog = Blog.objects.create(name="b", tagline="")
    with pytest.raises(ValueError, match="querysets argument of get_prefetch_querysets"):
        blog.entry_set.get_prefetch_querysets([blog], [Entry.objects.all()] * 2)
    entry_saved = Entry.objects.create(blog=blog, headline="e", body_text="", pub_date=DAY)
    with pytest.raises(ValueError, match="querysets argument of get_prefetch_querysets"):
        entry_saved.authors.get_prefetch_querysets([entry_saved], [Author.objects.all()] * 2)


def test_reverse_one_to_one_assignment(using: str) -> None:
    place = Place.objects.create(name="p", address="")
    restaurant = Restaurant(serves_pizza=True)
    place.restaurant = restaurant
    assert restaurant.place_id == place.pk and restaurant.place is place
    restaurant.save()
    assert Place.objects.get(pk=place.pk).restaurant == restaurant
    place.restaurant = None
    assert restaurant.place_id is None
    with pytest.raises(ValueError, match='must be a "Restaurant" instance'):
        place.restaurant = place  # type: ignore[assignment]
    other = Place(name="unsaved", address="")
    fresh = Restaurant()
    other.restaurant = fresh
    assert fresh.place is other
    prefetched = list(Restaurant.objects.prefetch_related("place"))
    with CaptureQueriesContext(connections[using]) as ctx:
        assert prefetched[0].place.restaurant is prefetched[0]
    assert len(ctx) == 0


def test_reverse_fk_manager_variants(using: str) -> None:
    root = Category.objects.create(name="root")
    a = Category(name="a")
    with pytest.raises(ValueError, match="instance isn't saved. Use bulk=False"):
        root.children.add(a)
    root.children.add(a, bulk=False)
    assert a.pk is not None and list(root.children.all()) == [a]
    b = Category.objects.create(name="b")
    root.children.set([a, b], bulk=False)
    assert list(root.children.all()) == [a, b]
    root.children.remove(a, bulk=False)
    assert list(root.children.all()) == [b]
    root.children.clear(bulk=False)
    assert not root.children.exists()
    root.children.set([a], clear=True)
    assert list(root.children.all()) == [a]
    root.children.remove()
    with pytest.raises(TypeError, match="'Category' instance expected, got"):
        root.children.remove(Blog(pk=1))
    with pytest.raises(TypeError, match="'Category' instance expected, got"):
        root.children.add(Blog(pk=1))
    unsaved = Category(name="u")
    with pytest.raises(ValueError, match="instance needs to have a primary key value"):
        unsaved.children.all()
    with pytest.raises(ValueError, match='needs to have a value for field "id" before this rel'):
        unsaved.children.add(a)
    blog = Blog.objects.create(name="blog", tagline="")
    Entry.objects.create(blog=blog, headline="e", body_text="", pub_date=DAY)
    assert blog.entry_set(manager="objects").count() == 1
    owner = Owner.objects.create(name="o")
    Thing.objects.create(name="t", by_name=owner)
    assert [t.name for t in owner.named.all()] == ["t"]
    with pytest.raises(ValueError, match="'Owner' instance needs to have a primary key value"):
        Owner(name="nobody").named.all()


def test_many_to_many_variants(using: str) -> None:
    blog = Blog.objects.create(name="b", tagline="")
    entry = Entry.objects.create(blog=blog, headline="e", body_text="", pub_date=DAY)
    ann = Author.objects.create(name="Ann", email="")
    bob = Author.objects.create(name="Bob", email="")
    entry.authors.add(ann.pk, bob.pk)
    assert entry.authors.count() == 2
    entry.authors.remove(ann.pk)
    assert list(entry.authors.all()) == [bob]
    entry.authors.remove()
    entry.authors.add()
    with pytest.raises(ValueError, match='Cannot add "<Author: unsaved>": instance is on database'):
        with transaction.atomic(using=using):
            entry.authors.add(Author(name="unsaved"))
    assert list(entry.authors(manager="objects").all()) == [bob]
    assert list(bob.entry_set(manager="objects").all()) == [entry]
    seen: list[Any] = []

    def receiver(sender: Any, action: str, pk_set: Any, **kwargs: Any) -> None:
        seen.append((action, pk_set))

    signals.m2m_changed.connect(receiver, sender=Entry.authors.through)
    try:
        filtered = Entry.objects.create(blog=blog, headline="f", body_text="", pub_date=DAY)
        filtered.authors.set([ann, bob])
        filtered.authors.set([bob])
    finally:
        signals.m2m_changed.disconnect(receiver, sender=Entry.authors.through)
    assert ("pre_remove", {ann.pk}) in seen
    ringo = Person.objects.create(name="Ringo")
    beatles = Group.objects.create(name="Beatles")
    beatles.members.add(ringo, through_defaults={"invite_reason": "drums"})
    assert Membership.objects.get().invite_reason == "drums"
    got, created = beatles.members.get_or_create(name="Ringo")
    assert not created and got == ringo
    got, created = beatles.members.update_or_create(
        name="John", defaults={"name": "John"}, through_defaults={"invite_reason": "vocals"}
    )
    assert created and Membership.objects.get(person=got).invite_reason == "vocals"
    prefetched = Group.objects.prefetch_related(
        Prefetch("members", queryset=Person.objects.filter(name="John"))
    ).get()
    assert [p.name for p in prefetched.members.all()] == ["John"]


def test_custom_manager_on_related(using: str) -> None:
    class Published(models.Manager["Article"]):
        def get_queryset(self) -> models.QuerySet[Article]:
            return super().get_queryset().filter(published=True)

    Article.objects.create(title="a", author="x", published=True)
    Article.objects.create(title="b", author="x", published=False)
    assert [a.title for a in Article.live.all()] == ["a"]
    assert sorted(a.title for a in Article.objects.all()) == ["a", "b"]
    assert Article.tagged.by("x").count() == 2
    assert isinstance(Published(), models.Manager)
