"""Django's many-to-one, many-to-many and one-to-one examples, related managers and joins."""

from __future__ import annotations

import datetime

import pytest

from fastjango.core.exceptions import FieldError
from fastjango.db import connections
from fastjango.test.utils import CaptureQueriesContext
from tests.db.models.models_queries import Author, Blog, Entry
from tests.db.models.models_relations import (
    Category,
    Group,
    Membership,
    Person,
    Place,
    Restaurant,
    Review,
    Tag,
    Target,
    Waiter,
)

pytestmark = pytest.mark.usefixtures("using")

DAY = datetime.date(2005, 7, 27)


def entry(blog: Blog, headline: str, **extra: object) -> Entry:
    return Entry.objects.create(blog=blog, headline=headline, body_text="", pub_date=DAY, **extra)


def test_one_to_one() -> None:
    p1 = Place(name="Demon Dogs", address="944 W. Fullerton")
    p1.save()
    p2 = Place.objects.create(name="Ace Hardware", address="1013 N. Ashland")
    r = Restaurant(place=p1, serves_hot_dogs=True, serves_pizza=False)
    r.save()
    assert str(r.place) == "Demon Dogs the place"
    assert str(p1.restaurant) == "Demon Dogs the restaurant"
    assert r.pk == p1.pk
    with pytest.raises(Place.restaurant.RelatedObjectDoesNotExist, match="Place has no restaurant"):
        p2.restaurant  # noqa: B018
    with pytest.raises(Restaurant.DoesNotExist):
        p2.restaurant  # noqa: B018
    assert not hasattr(p2, "restaurant")
    assert Restaurant.objects.get(place=p1) == r
    assert Restaurant.objects.get(place__pk=p1.pk) == r
    assert list(Restaurant.objects.filter(place__name__startswith="Demon")) == [r]
    assert list(Restaurant.objects.exclude(place__address__contains="Ashland")) == [r]
    assert Place.objects.get(pk=p1.pk) == p1
    assert Place.objects.get(restaurant__place=p1) == p1
    assert Place.objects.get(restaurant=r) == p1
    assert Place.objects.get(restaurant__place__name__startswith="Demon") == p1
    w = r.waiter_set.create(name="Joe")
    assert str(w) == "Joe the waiter at Demon Dogs the restaurant"
    assert list(Waiter.objects.filter(restaurant__place=p1)) == [w]
    assert list(Waiter.objects.filter(restaurant__place__name__startswith="Demon")) == [w]
    assert Place.objects.filter(restaurant__isnull=True).get() == p2
    p1.delete()
    assert not Restaurant.objects.exists() and not Waiter.objects.exists()


def test_many_to_one_basics() -> None:
    b = Blog.objects.create(name="Beatles Blog", tagline="")
    other = Blog.objects.create(name="Other", tagline="")
    e = entry(b, "This is a test")
    assert e.blog.id == b.id
    assert e.blog_id == b.pk
    new = b.entry_set.create(headline="John's second story", body_text="", pub_date=DAY)
    assert new.blog == b
    moved = entry(other, "Paul's story")
    b.entry_set.add(moved)
    moved.refresh_from_db()
    assert moved.blog_id == b.pk
    assert b.entry_set.count() == 3
    assert [x.headline for x in b.entry_set.filter(headline__startswith="This")] == [
        "This is a test"
    ]
    assert Entry.objects.filter(blog__name="Beatles Blog").count() == 3
    assert Entry.objects.filter(blog__in=[b.pk, other.pk]).count() == 3
    assert Entry.objects.filter(blog__in=[b, other]).count() == 3
    assert Entry.objects.filter(blog=b.pk).count() == 3
    distinct = Blog.objects.filter(entry__headline__startswith="J").distinct()
    assert list(distinct) == [b]
    assert list(Blog.objects.filter(entry__in=[e, new]).distinct()) == [b]
    assert Blog.objects.filter(entry__isnull=True).get() == other
    assert list(Entry.objects.filter(blog__entry__headline="Paul's story").distinct()) != []


def test_forward_assignment_rules() -> None:
    b = Blog.objects.create(name="b", tagline="")
    unsaved = Blog(name="unsaved", tagline="")
    e = Entry(blog=unsaved, headline="x", body_text="", pub_date=DAY)
    with pytest.raises(ValueError, match="save\\(\\) prohibited to prevent data loss due to"):
        e.save()
    with pytest.raises(ValueError, match='must be a "Blog" instance'):
        e.blog = "not a blog"  # type: ignore[assignment]
    e.blog = b
    e.save()
    assert e.blog_id == b.pk
    with CaptureQueriesContext(connections[e._state.db]) as ctx:
        fetched = Entry.objects.get(pk=e.pk)
        assert fetched.blog.name == "b"
        assert fetched.blog.name == "b"
    assert len(ctx) == 2
    other = Blog.objects.create(name="other", tagline="")
    fetched.blog_id = other.pk
    assert fetched.blog == other
    category = Category.objects.create(name="root")
    child = Category.objects.create(name="child", parent=category)
    child.parent = None
    child.save()
    assert Category.objects.get(pk=child.pk).parent is None


def test_reverse_fk_manager_remove_clear_set() -> None:
    root = Category.objects.create(name="root")
    a = Category.objects.create(name="a", parent=root)
    b = Category.objects.create(name="b", parent=root)
    c = Category.objects.create(name="c")
    assert list(root.children.all()) == [a, b]
    root.children.remove(a)
    assert list(root.children.all()) == [b]
    root.children.set([a, c])
    assert list(root.children.all()) == [a, c]
    assert Category.objects.get(pk=b.pk).parent is None
    root.children.clear()
    assert not root.children.exists()
    with pytest.raises(Category.DoesNotExist, match="is not related to"):
        root.children.remove(Category.objects.get(pk=b.pk))
    blog = Blog.objects.create(name="blog", tagline="")
    assert not hasattr(blog.entry_set, "remove")
    with pytest.raises(TypeError, match="Direct assignment to the reverse side"):
        blog.entry_set = []  # type: ignore[misc,assignment]
    created, made = root.children.get_or_create(name="made")
    assert made and created.parent == root
    updated, made = root.children.update_or_create(name="made", defaults={"name": "renamed"})
    assert not made and updated.name == "renamed"


def test_many_to_many() -> None:
    blog = Blog.objects.create(name="b", tagline="")
    a1 = Author.objects.create(name="The Python Journal", email="")
    a2 = Author.objects.create(name="Science News", email="")
    a3 = Author.objects.create(name="Science Weekly", email="")
    e1 = entry(blog, "Django lets you build web apps easily")
    unsaved = Entry(blog=blog, headline="x", body_text="", pub_date=DAY)
    with pytest.raises(ValueError, match='needs to have a value for field "id" before this many'):
        unsaved.authors.add(a1)
    e1.authors.add(a1)
    e2 = entry(blog, "NASA uses Python")
    e2.authors.add(a1, a2)
    e2.authors.add(a3)
    e2.authors.add(a3)
    assert list(e1.authors.all()) == [a1]
    assert sorted(a.name for a in e2.authors.all()) == [
        "Science News",
        "Science Weekly",
        "The Python Journal",
    ]
    new_entry = a2.entry_set.create(
        blog=blog, headline="Oxygen-free diet works wonders", body_text="", pub_date=DAY
    )
    assert list(new_entry.authors.all()) == [a2]
    assert list(a1.entry_set.order_by("pk")) == [e1, e2]
    assert Entry.objects.filter(authors__name__startswith="Science").distinct().count() == 2
    assert Entry.objects.filter(authors__in=[a1, a2]).distinct().count() == 3
    assert Entry.objects.filter(authors__in=[a1.pk]).count() == 2
    assert Author.objects.filter(entry__headline__startswith="NASA").count() == 3
    assert Author.objects.exclude(entry=e1).count() == 2
    e2.authors.remove(a3)
    assert e2.authors.count() == 2
    a1.entry_set.remove(e2)
    assert list(e2.authors.all()) == [a2]
    e2.authors.set([a1, a3])
    assert sorted(a.pk for a in e2.authors.all()) == sorted([a1.pk, a3.pk])
    e2.authors.set([a3.pk], clear=True)
    assert list(e2.authors.all()) == [a3]
    e2.authors.clear()
    assert not e2.authors.exists()
    through = Entry.authors.through
    assert through._meta.db_table == "queries_entry_authors"
    assert through.objects.count() == 2
    a2.delete()
    assert through.objects.count() == 1
    with pytest.raises(TypeError, match="'Author' instance expected"):
        e1.authors.add(blog)
    with pytest.raises(TypeError, match="Direct assignment to the forward side"):
        e1.authors = [a1]  # type: ignore[misc,assignment]


def test_many_to_many_through_model() -> None:
    ringo = Person.objects.create(name="Ringo Starr")
    paul = Person.objects.create(name="Paul McCartney")
    john = Person.objects.create(name="John Lennon")
    george = Person.objects.create(name="George Harrison")
    beatles = Group.objects.create(name="The Beatles")
    Membership.objects.create(
        person=ringo,
        group=beatles,
        date_joined=datetime.date(1962, 8, 16),
        invite_reason="Needed a new drummer.",
    )
    Membership.objects.create(
        person=paul,
        group=beatles,
        date_joined=datetime.date(1960, 8, 1),
        invite_reason="Wanted to form a band.",
    )
    assert list(beatles.members.all()) == [paul, ringo]
    assert list(ringo.groups.all()) == [beatles]
    beatles.members.add(john, through_defaults={"date_joined": datetime.date(1960, 8, 1)})
    created = beatles.members.create(
        name="Pete Best", through_defaults={"date_joined": datetime.date(1960, 8, 1)}
    )
    beatles.members.set(
        [john, paul, ringo, george], through_defaults={"date_joined": datetime.date(1960, 8, 1)}
    )
    assert created not in beatles.members.all()
    assert beatles.members.count() == 4
    assert Membership.objects.get(person=george).date_joined == datetime.date(1960, 8, 1)
    beatles.members.remove(ringo)
    assert ringo not in beatles.members.all()
    assert list(Group.objects.filter(members__name__startswith="Paul")) == [beatles]
    early = Person.objects.filter(
        groups__name="The Beatles", membership__date_joined__lt=datetime.date(1961, 1, 1)
    )
    assert [p.name for p in early] == ["George Harrison", "John Lennon", "Paul McCartney"]
    membership = Membership.objects.get(group=beatles, person=paul)
    assert membership.invite_reason == "Wanted to form a band."
    assert paul.membership_set.get(group=beatles) == membership
    beatles.members.clear()
    assert not Membership.objects.exists()


def test_symmetrical_and_asymmetrical_self_relations() -> None:
    alice = Person.objects.create(name="Alice")
    bob = Person.objects.create(name="Bob")
    carol = Person.objects.create(name="Carol")
    alice.friends.add(bob)
    assert list(bob.friends.all()) == [alice]
    assert list(alice.friends.all()) == [bob]
    bob.friends.add(carol)
    assert list(bob.friends.all()) == [alice, carol]
    carol.friends.remove(bob)
    assert list(bob.friends.all()) == [alice]
    alice.followers.add(carol)
    assert list(carol.following.all()) == [alice]
    assert list(carol.followers.all()) == []
    assert list(Person.objects.filter(following__name="Alice")) == [carol]
    assert list(Person.objects.filter(friends__name="Bob")) == [alice]
    assert Person.friends.through._meta.db_table == "relations_person_friends"


def test_string_references_and_default_related_name() -> None:
    target = Target.objects.create(name="t")
    review = Review.objects.create(text="good", target=target)
    assert list(target.reviews.all()) == [review]
    blog = Blog.objects.create(name="Blog", tagline="")
    tag = Tag.objects.create(label="news")
    tag.blogs.add(blog)
    assert list(blog.tag_items.all()) == [tag]
    assert list(Blog.objects.filter(tag__label="news")) == [blog]
    assert Review._meta.get_field("target").related_model is Target


def test_select_related(using: str) -> None:
    root = Category.objects.create(name="root")
    Category.objects.create(name="child", parent=root)
    place = Place.objects.create(name="Demon Dogs", address="")
    restaurant = Restaurant.objects.create(place=place)
    Waiter.objects.create(restaurant=restaurant, name="Joe")
    connection = connections[using]
    with CaptureQueriesContext(connection) as ctx:
        waiter = Waiter.objects.select_related("restaurant__place").get()
        assert waiter.restaurant.place.name == "Demon Dogs"
        children = {c.name: c.parent for c in Category.objects.select_related("parent")}
        assert children["root"] is None and children["child"].name == "root"
        assert Waiter.objects.select_related().get().restaurant.pk == place.pk
        reverse = Place.objects.select_related("restaurant").get()
        assert reverse.restaurant == restaurant
    assert len(ctx) == 4
    without = Place.objects.create(name="Empty", address="")
    with CaptureQueriesContext(connection) as ctx:
        fetched = Place.objects.select_related("restaurant").get(pk=without.pk)
        assert not hasattr(fetched, "restaurant")
    assert len(ctx) == 1
    with pytest.raises(FieldError, match="Non-relational field given in select_related: 'name'"):
        list(Waiter.objects.select_related("name"))
    with pytest.raises(FieldError, match="Invalid field name\\(s\\) given in select_related"):
        list(Waiter.objects.select_related("nope"))
    assert list(Waiter.objects.select_related("restaurant").select_related(None)) != []


def test_related_object_caching_and_reverse_cache() -> None:
    blog = Blog.objects.create(name="b", tagline="")
    entry(blog, "one")
    fetched = blog.entry_set.get()
    with CaptureQueriesContext(connections[blog._state.db]) as ctx:
        assert fetched.blog is blog
    assert len(ctx) == 0
