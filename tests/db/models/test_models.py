"""Model classes and instances: _meta, tables, inheritance, proxies, save/delete/refresh, clean."""

from __future__ import annotations

import pickle

import pytest

from fastjango.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from fastjango.db import DatabaseError, connections, models
from fastjango.db.transaction import TransactionManagementError
from tests.db.models.conftest import CURRENT_ALIAS
from tests.db.models.models_fields import Article, LiveArticle, Student, Teacher
from tests.db.models.models_queries import Author, Blog, Entry
from tests.db.models.models_relations import Membership, Person


def test_table_names_and_meta() -> None:
    assert Blog._meta.db_table == "queries_blog"
    assert Blog.__table__.name == "queries_blog"
    assert Student._meta.db_table == "fields_student_table"
    assert Entry.authors.through._meta.db_table == "queries_entry_authors"
    assert Person.friends.through._meta.db_table == "relations_person_friends"
    assert [c.name for c in Person.friends.through.__table__.columns] == [
        "id",
        "from_person_id",
        "to_person_id",
    ]
    meta = Entry._meta
    assert meta.label == "queries.Entry"
    assert meta.label_lower == "queries.entry"
    assert meta.model_name == "entry"
    assert meta.object_name == "Entry"
    assert meta.verbose_name == "entry"
    assert meta.verbose_name_plural == "entrys"
    assert Student._meta.verbose_name == "pupil"
    assert meta.pk.name == "id"
    assert isinstance(meta.pk, models.AutoField)
    assert meta.get_field("blog").related_model is Blog
    with pytest.raises(FieldDoesNotExist, match="Entry has no field named 'nope'"):
        meta.get_field("nope")


def test_get_fields_includes_reverse_relations() -> None:
    names = [f.name for f in Blog._meta.get_fields()]
    assert "entry" in names
    assert {"id", "name", "tagline"} <= set(names)
    rel = Blog._meta.get_field("entry")
    assert rel.one_to_many and rel.related_model is Entry
    assert [f.name for f in Entry._meta.many_to_many] == ["authors"]
    assert Author._meta.get_field("entry").many_to_many


def test_sqlalchemy_interop() -> None:
    assert Entry.c.blog_id.name == "blog_id"
    assert Entry.c.headline is Entry.__table__.c.headline
    assert Entry.__table__ is models.metadata.tables["queries_entry"]
    assert Entry.__table__.info["model"] is Entry


def test_abstract_inheritance() -> None:
    assert [f.name for f in Student._meta.fields] == ["id", "name", "created", "home_group"]
    assert Student._meta.ordering == ["name"]
    assert Teacher._meta.ordering == []  # its Meta does not extend the parent's
    assert Student._meta.get_field("name") is not Teacher._meta.get_field("name")
    assert Student._meta.get_field("name").model is Student
    with pytest.raises(TypeError, match="Abstract models cannot be instantiated"):
        from tests.db.models.models_fields import Common

        Common()


def test_model_needs_app_label() -> None:
    with pytest.raises(RuntimeError, match="doesn't declare an explicit app_label"):

        class Stray(models.Model):
            name = models.CharField(max_length=10)


def test_does_not_exist_hierarchy() -> None:
    assert issubclass(Blog.DoesNotExist, ObjectDoesNotExist)
    assert issubclass(LiveArticle.DoesNotExist, Article.DoesNotExist)
    assert Blog.DoesNotExist.__qualname__ == "Blog.DoesNotExist"


def test_instances_equality_hash_repr() -> None:
    a = Blog(pk=1, name="x")
    b = Blog(pk=1, name="y")
    assert a == b
    assert hash(a) == hash(b)
    assert a != Blog(pk=2)
    assert Blog() != Blog()
    with pytest.raises(TypeError, match="without primary key value are unhashable"):
        hash(Blog())
    assert repr(a) == "<Blog: x>"
    assert str(Entry(pk=3, headline="h")) == "h"
    assert str(Membership(pk=4)) == "Membership object (4)"


def test_init_arguments() -> None:
    blog = Blog(None, "name", "tag")
    assert blog.name == "name" and blog.tagline == "tag"
    with pytest.raises(TypeError, match="unexpected keyword arguments: 'nope'"):
        Blog(nope=1)
    with pytest.raises(TypeError, match="got both positional and keyword arguments"):
        Blog(None, "x", name="y")
    with pytest.raises(IndexError):
        Blog(1, 2, 3, 4)


@pytest.mark.usefixtures("using")
def test_save_update_and_delete() -> None:
    blog = Blog.objects.create(name="a", tagline="t")
    blog.name = "b"
    blog.save(update_fields=["name"])
    assert Blog.objects.get(pk=blog.pk).name == "b"
    with pytest.raises(ValueError, match="do not exist in this model"):
        blog.save(update_fields=["nope"])
    with pytest.raises(ValueError, match="Cannot force both insert and updating"):
        blog.save(force_insert=True, force_update=True)
    count, per_model = blog.delete()
    assert (count, per_model) == (1, {"queries.Blog": 1})
    assert blog.pk is None
    assert not Blog.objects.exists()


@pytest.mark.usefixtures("using")
def test_force_update_without_row_fails() -> None:
    blog = Blog(pk=10**6, name="x")
    with pytest.raises(DatabaseError, match="Forced update did not affect any rows"):
        blog.save(force_update=True)
    with pytest.raises(ValueError, match="no primary key"):
        Blog(name="x").save(force_update=True)


@pytest.mark.usefixtures("using")
def test_save_with_explicit_pk_inserts_then_updates() -> None:
    blog = Blog(pk=777, name="x", tagline="")
    blog.save()
    assert Blog.objects.get(pk=777).name == "x"
    blog.name = "y"
    blog.save()
    assert Blog.objects.filter(pk=777).values_list("name", flat=True).get() == "y"
    assert Blog.objects.count() == 1


@pytest.mark.usefixtures("using")
def test_refresh_from_db_and_deferred_fields() -> None:
    blog = Blog.objects.create(name="a", tagline="t")
    Blog.objects.filter(pk=blog.pk).update(name="changed")
    blog.refresh_from_db()
    assert blog.name == "changed"
    deferred = Blog.objects.defer("tagline").get(pk=blog.pk)
    assert deferred.get_deferred_fields() == {"tagline"}
    assert deferred.tagline == "t"
    assert deferred.get_deferred_fields() == set()
    only = Blog.objects.only("name").get(pk=blog.pk)
    assert only.get_deferred_fields() == {"tagline"}
    only.name = "again"
    only.save()
    assert Blog.objects.get(pk=blog.pk).name == "again"
    blog.refresh_from_db(fields=["tagline"])
    with pytest.raises(ValueError, match="Relations and transforms are not allowed"):
        blog.refresh_from_db(fields=["entry__headline"])


@pytest.mark.usefixtures("using")
def test_pickling_instances() -> None:
    blog = Blog.objects.create(name="p", tagline="")
    loaded = pickle.loads(pickle.dumps(blog))
    assert loaded == blog
    assert loaded.name == "p"
    assert loaded._state.db == blog._state.db
    assert not loaded._state.adding


@pytest.mark.usefixtures("using")
def test_full_clean_unique_and_unique_together() -> None:
    Teacher.objects.create(name="Ann", subject="math")
    with pytest.raises(ValidationError) as info:
        Teacher(name="Bob", subject="math").full_clean()
    assert info.value.message_dict == {"subject": ["Teacher with this Subject already exists."]}
    with pytest.raises(ValidationError) as info:
        Teacher(name="Ann", subject="art").full_clean()
    assert info.value.message_dict == {
        "__all__": ["Teacher with this Name and Created already exists."]
    }
    existing = Teacher.objects.get(subject="math")
    existing.full_clean()


@pytest.mark.usefixtures("using")
def test_constraint_validation() -> None:
    Article.objects.create(title="T", author="Ann", published=True)
    with pytest.raises(ValidationError) as info:
        Article(title="T", author="Bob", published=True).full_clean()
    assert info.value.messages == ["Constraint “unique_live_title” is violated."]
    Article(title="T", author="Bob", published=False).full_clean()
    with pytest.raises(ValidationError) as info:
        Article(title="U", author="x", score=-1).full_clean()
    assert info.value.messages == ["Constraint “article_score_gte_0” is violated."]
    with pytest.raises(ValidationError) as info:
        Article(title="T", author="ANN").full_clean()
    assert info.value.messages == ["Constraint “unique_author_title_ci” is violated."]


def test_clean_hook_errors_are_collected() -> None:
    class Checked(models.Model):
        name = models.CharField(max_length=5)

        class Meta:
            app_label = "checked"

        def clean(self) -> None:
            raise ValidationError({"name": "bad name"})

    with pytest.raises(ValidationError) as info:
        Checked(name="toolong").full_clean(validate_unique=False, validate_constraints=False)
    assert info.value.message_dict == {
        "name": ["Ensure this value has at most 5 characters (it has 7).", "bad name"]
    }


@pytest.mark.usefixtures("using")
def test_custom_managers_and_querysets() -> None:
    Article.objects.create(title="a", author="x", published=True, score=3)
    Article.objects.create(title="b", author="y", published=False, score=5)
    assert [a.title for a in Article.live.all()] == ["a"]
    assert [a.title for a in Article.tagged.by("y")] == ["b"]
    assert Article._default_manager is Article.objects
    assert Article._meta.managers_map["live"].model is Article
    with pytest.raises(AttributeError, match="Manager isn't accessible via Article instances"):
        Article().objects  # noqa: B018 - the access is the test


@pytest.mark.usefixtures("using")
def test_proxy_model() -> None:
    Article.objects.create(title="low", author="x", score=1)
    Article.objects.create(title="high", author="x", score=9)
    proxied = list(LiveArticle.objects.all())
    assert [a.title for a in proxied] == ["high", "low"]
    assert all(isinstance(a, LiveArticle) for a in proxied)
    assert proxied[0].shout() == "HIGH"
    assert LiveArticle._meta.db_table == Article._meta.db_table
    created = LiveArticle.objects.create(title="new", author="z")
    assert Article.objects.get(pk=created.pk).title == "new"


def test_get_absolute_url() -> None:
    assert Teacher(pk=3).get_absolute_url() == "/teachers/3/"


@pytest.mark.usefixtures("using")
def test_get_next_and_previous_by_date() -> None:
    import datetime

    blog = Blog.objects.create(name="b", tagline="")
    e1 = Entry.objects.create(
        blog=blog, headline="1", body_text="", pub_date=datetime.date(2020, 1, 1)
    )
    e2 = Entry.objects.create(
        blog=blog, headline="2", body_text="", pub_date=datetime.date(2021, 1, 1)
    )
    assert e1.get_next_by_pub_date() == e2
    assert e2.get_previous_by_pub_date() == e1
    with pytest.raises(Entry.DoesNotExist):
        e2.get_next_by_pub_date()


def test_select_for_update_outside_transaction(orm_alias: str) -> None:

    token = CURRENT_ALIAS.set(orm_alias)
    try:
        qs = Blog.objects.select_for_update()
        if connections[orm_alias].features.has_select_for_update:
            with pytest.raises(TransactionManagementError, match="outside of a transaction"):
                list(qs)
        else:
            assert list(qs) is not None
    finally:
        CURRENT_ALIAS.reset(token)
