"""``on_delete`` behaviours through the Collector, on instances and querysets."""

from __future__ import annotations

import datetime

import pytest
import sqlalchemy as sa

from fastjango.db import IntegrityError, connections, models, transaction
from fastjango.db.models import ProtectedError, RestrictedError
from fastjango.test.utils import CaptureQueriesContext
from tests.db.models.models_queries import Author, Blog, Entry
from tests.db.models.models_relations import Owner, Tag, Thing

pytestmark = pytest.mark.usefixtures("using")


def test_cascade_counts_per_model() -> None:
    owner = Owner.objects.create(name="o")
    Thing.objects.create(name="a", cascade=owner)
    Thing.objects.create(name="b", cascade=owner)
    keep = Thing.objects.create(name="c")
    assert owner.delete() == (3, {"relations.Thing": 2, "relations.Owner": 1})
    assert list(Thing.objects.all()) == [keep]
    assert owner.pk is None


def test_cascade_through_to_field() -> None:
    owner = Owner.objects.create(name="named")
    thing = Thing.objects.create(name="t", by_name=owner)
    assert thing.by_name_id == "named"
    assert Thing.objects.get(by_name__name="named") == thing
    assert list(owner.named.all()) == [thing]
    owner.delete()
    assert not Thing.objects.exists()


def test_protect() -> None:
    owner = Owner.objects.create(name="o")
    thing = Thing.objects.create(name="p", protect=owner)
    with pytest.raises(ProtectedError) as info:
        owner.delete()
    assert str(info.value.args[0]) == (
        "Cannot delete some instances of model 'Owner' because they are referenced through "
        "protected foreign keys: 'Thing.protect'."
    )
    assert info.value.protected_objects == {thing}
    assert Owner.objects.filter(pk=owner.pk).exists()
    with pytest.raises(ProtectedError):
        Owner.objects.all().delete()
    thing.delete()
    owner.delete()
    assert not Owner.objects.exists()


def test_restrict_unless_deleted_through_cascade() -> None:
    first = Owner.objects.create(name="first")
    second = Owner.objects.create(name="second")
    Thing.objects.create(name="both", cascade=first, restrict=first)
    restricted = Thing.objects.create(name="only", cascade=first, restrict=second)
    with pytest.raises(RestrictedError) as info:
        second.delete()
    assert str(info.value.args[0]) == (
        "Cannot delete some instances of model 'Owner' because they are referenced through "
        "restricted foreign keys: 'Thing.restrict'."
    )
    assert info.value.restricted_objects == {restricted}
    # Deleting ``first`` cascades to both things, so nothing restricts it any more.
    assert first.delete() == (3, {"relations.Thing": 2, "relations.Owner": 1})
    second.delete()
    assert not Owner.objects.exists()


def test_set_null_set_default_set_and_do_nothing(using: str) -> None:
    owner = Owner.objects.create(name="o")
    thing = Thing.objects.create(
        name="t", set_null=owner, set_default=owner, set_value=owner, do_nothing=owner
    )
    owner_pk = owner.pk
    owner.delete()
    thing.refresh_from_db()
    assert thing.set_null_id is None
    assert thing.set_default_id is None
    assert thing.set_value_id is None
    assert thing.do_nothing_id == owner_pk
    with pytest.raises(Owner.DoesNotExist):
        thing.do_nothing  # noqa: B018


def test_queryset_delete_and_fast_deletes(using: str) -> None:
    blog = Blog.objects.create(name="b", tagline="")
    author = Author.objects.create(name="a", email="")
    for index in range(3):
        e = Entry.objects.create(
            blog=blog, headline=f"e{index}", body_text="", pub_date=datetime.date(2020, 1, 1)
        )
        e.authors.add(author)
    count, per_model = Blog.objects.filter(name="b").delete()
    assert count == 7
    assert per_model == {
        "queries.Entry_authors": 3,
        "queries.Entry": 3,
        "queries.Blog": 1,
    }
    assert Author.objects.count() == 1
    assert Blog.objects.all().delete() == (0, {})
    author.delete()
    # A model nothing points at is deleted in one statement, without loading rows.
    Owner.objects.bulk_create([Owner(name=f"o{i}") for i in range(3)])
    with CaptureQueriesContext(connections[using]) as ctx:
        assert Tag.objects.all().delete() == (0, {})
    assert len(ctx) <= 2


def test_delete_guards() -> None:
    with pytest.raises(ValueError, match="Owner object can't be deleted because its id"):
        Owner(name="x").delete()
    with pytest.raises(TypeError, match="Cannot call delete\\(\\) after .values\\(\\)"):
        Owner.objects.values("name").delete()
    with pytest.raises(TypeError, match="Cannot use 'limit' or 'offset' with delete\\(\\)"):
        Owner.objects.all()[:1].delete()
    with pytest.raises(TypeError, match="Cannot call delete\\(\\) after .distinct"):
        Owner.objects.distinct("name").delete()


def test_m2m_links_go_with_either_side() -> None:
    thing = Thing.objects.create(name="t")
    tag = Tag.objects.create(label="x")
    tag.things.add(thing)
    through = Tag.things.through
    assert through.objects.count() == 1
    thing.delete()
    assert through.objects.count() == 0
    assert Tag.objects.filter(pk=tag.pk).exists()


def test_database_still_enforces_the_constraint(using: str) -> None:
    owner = Owner.objects.create(name="o")
    Thing.objects.create(name="t", cascade=owner)
    connection = connections[using]
    delete = sa.delete(Owner.__table__).where(Owner.c.id == owner.pk)
    if connection.vendor == "sqlite":
        # Foreign keys are DEFERRABLE INITIALLY DEFERRED (as Django makes them): checked at commit.
        with transaction.atomic(using=using):
            connection.execute(delete)
            assert connection.execute(sa.text("PRAGMA foreign_key_check")).all()
            transaction.set_rollback(True, using=using)
    else:
        with pytest.raises(IntegrityError), transaction.atomic(using=using):
            if connection.vendor == "postgresql":
                connection.execute(sa.text("SET CONSTRAINTS ALL IMMEDIATE"))
            connection.execute(delete)
    assert Thing.objects.count() == 1


def test_on_delete_is_required() -> None:
    with pytest.raises(TypeError, match="on_delete must be callable"):

        class Broken(models.Model):
            owner = models.ForeignKey(Owner, on_delete=None)  # type: ignore[arg-type]

            class Meta:
                app_label = "relations"
