"""Model classes and instances: class building errors, save/refresh corners, Options."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from fastjango.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from fastjango.db import DatabaseError, connections, models, transaction
from fastjango.db.models import metadata
from fastjango.db.models.base import DEFERRED
from fastjango.test.utils import CaptureQueriesContext, override_settings
from tests.db.models.models_fields import Article, Everything, Stamped, UUIDModel
from tests.db.models.models_queries import Author, Blog, Entry
from tests.db.models.models_relations import Category, Person, Place, Restaurant


def define(name: str, attrs: dict[str, Any], bases: tuple[type, ...] = (models.Model,)) -> Any:
    """Build a model class in app ``modelapi`` (its table is not created)."""
    meta = attrs.pop("Meta", None)
    namespace: dict[str, Any] = {"__module__": __name__, **attrs}
    meta_attrs = {"app_label": "modelapi", **(meta or {})}
    namespace["Meta"] = type("Meta", (), meta_attrs)
    try:
        return type(name, bases, namespace)
    finally:
        table = f"modelapi_{name.lower()}"
        if table in metadata.tables:
            metadata.remove(metadata.tables[table])


def test_class_building_errors() -> None:
    with pytest.raises(TypeError, match="'class Meta' got invalid attribute\\(s\\): colour"):
        define("BadMeta", {"Meta": {"colour": "red"}})
    with pytest.raises(TypeError, match="Proxy model 'NoBase' has no non-abstract model base"):
        define("NoBase", {"Meta": {"proxy": True}})
    with pytest.raises(FieldError, match="Proxy model 'WithField' contains model fields"):
        define("WithField", {"x": models.IntegerField(), "Meta": {"proxy": True}}, (Blog,))
    abstract = define(
        "AbstractBase", {"name": models.CharField(max_length=5), "Meta": {"abstract": True}}
    )
    child = define("Child", {}, (abstract,))
    assert [f.name for f in child._meta.fields] == ["id", "name"]
    with pytest.raises(TypeError, match="Abstract models cannot be instantiated"):
        abstract()
    with pytest.raises(ValueError, match="must specify a custom Manager, because it has a field"):
        define("HasObjects", {"objects": models.IntegerField()})
    with pytest.raises(TypeError, match="Proxy model 'TwoBases' has more than one non-abstract"):
        define("TwoBases", {"Meta": {"proxy": True}}, (Blog, Author))
    long_name = define("X" * 70, {})
    assert len(long_name._meta.db_table) <= 63
    assert repr(long_name._meta) == f"<Options for {'X' * 70}>"
    assert str(Blog._meta) == "queries.blog"
    assert Blog._meta.verbose_name_raw == "blog"
    assert str(DEFERRED) == "<Deferred field>"


def test_default_auto_field_settings() -> None:
    with override_settings(DEFAULT_AUTO_FIELD="fastjango.db.models.BigAutoField"):
        big = define("BigDefault", {})
    assert big._meta.pk.get_internal_type() == "BigAutoField"
    with override_settings(DEFAULT_AUTO_FIELD="django.db.models.SmallAutoField"):
        small = define("SmallDefault", {})
    assert small._meta.pk.get_internal_type() == "SmallAutoField"
    with override_settings(DEFAULT_AUTO_FIELD=""):
        with pytest.raises(ImproperlyConfigured, match="DEFAULT_AUTO_FIELD must not be empty"):
            define("EmptyDefault", {})
    with override_settings(DEFAULT_AUTO_FIELD="nowhere.Field"):
        with pytest.raises(ImproperlyConfigured, match="refers to the module 'nowhere.Field'"):
            define("MissingDefault", {})
    with override_settings(DEFAULT_AUTO_FIELD="fastjango.db.models.IntegerField"):
        with pytest.raises(ValueError, match="must subclass AutoField"):
            define("WrongDefault", {})


def test_options_api() -> None:
    opts = Entry._meta
    assert opts.get_base_chain(Blog) == [] and opts.get_parent_list() == []
    assert opts.get_ancestor_link(Blog) is None
    assert opts.get_path_to_parent(Blog) == [] and opts.get_path_from_parent(Blog) == []
    assert opts.swapped is None
    assert opts.can_migrate("default") and opts.can_migrate(connections["default"])
    unmanaged = define("Unmanaged", {"Meta": {"managed": False}})
    assert not unmanaged._meta.can_migrate("default")
    vendor_only = define("VendorOnly", {"Meta": {"required_db_vendor": "postgresql"}})
    assert not vendor_only._meta.can_migrate("default")
    featured = define("Featured", {"Meta": {"required_db_features": ["supports_transactions"]}})
    assert featured._meta.can_migrate("default")
    with override_settings(MODELAPI_SWAP="other.Thing"):
        swapped = define("Swappable", {"Meta": {"swappable": "MODELAPI_SWAP"}})
        assert swapped._meta.swapped == "other.Thing"
        with pytest.raises(AttributeError, match="Manager isn't available; 'modelapi.Swappable'"):
            swapped.objects  # noqa: B018
    with override_settings(MODELAPI_SWAP="modelapi.Swappable"):
        assert swapped._meta.swapped is None
    with override_settings(MODELAPI_SWAP="noseparator"):
        assert swapped._meta.swapped == "noseparator"
    named = define(
        "NamedManagers",
        {
            "people": models.Manager(),
            "others": models.Manager(),
            "Meta": {"default_manager_name": "others", "base_manager_name": "people"},
        },
    )
    assert named._default_manager.name == "others"
    assert named._base_manager.name == "people"
    broken = define("BrokenManagers", {"Meta": {"default_manager_name": "missing"}})
    with pytest.raises(ValueError, match="has no manager named 'missing'"):
        broken._meta.default_manager  # noqa: B018
    broken_base = define("BrokenBase", {"Meta": {"base_manager_name": "missing"}})
    with pytest.raises(ValueError, match="has no manager named 'missing'"):
        broken_base._meta.base_manager  # noqa: B018
    assert models.Model._meta if hasattr(models.Model, "_meta") else True


def test_instance_construction() -> None:
    blog = Blog("x", "name", "tag")  # type: ignore[call-arg]
    assert (blog.id, blog.name, blog.tagline) == ("x", "name", "tag")
    deferred = Blog(DEFERRED, "n", DEFERRED)  # type: ignore[call-arg]
    assert deferred.get_deferred_fields() == {"id", "tagline"}
    with pytest.raises(IndexError, match="Number of args exceeds number of fields"):
        Blog(1, 2, 3, 4)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="got both positional and keyword arguments for field"):
        Blog(1, id=2)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="got unexpected keyword arguments: 'colour'"):
        Blog(colour="red")
    keyword_deferred = Blog(name=DEFERRED, tagline="t")
    assert keyword_deferred.get_deferred_fields() == {"name"}
    entry = Entry(blog=DEFERRED, blog_id=None)
    assert entry.blog_id is None
    article = Article(title="t")
    assert article.pk is None
    place = Place(name="p", address="a")
    restaurant = Restaurant(place=place)
    assert restaurant.place is place
    assert Blog(name="a") != Author(name="a")
    assert Blog(name="a") != Blog(name="a")
    assert Blog(pk=1) == Blog(pk=1)
    assert Blog(pk=1).__eq__("x") is NotImplemented
    with pytest.raises(TypeError, match="Model instances without primary key value are unhash"):
        hash(Blog())


@pytest.mark.usefixtures("using")
def test_save_corners(using: str) -> None:
    blog = Blog.objects.create(name="b", tagline="")
    with CaptureQueriesContext(connections[using]) as ctx:
        blog.save(update_fields=[])
    assert len(ctx) == 0
    with pytest.raises(ValueError, match="The following fields do not exist in this model"):
        blog.save(update_fields=["nope"])
    with pytest.raises(ValueError, match="Cannot force both insert and updating"):
        blog.save(force_insert=True, force_update=True)
    gone = Blog.objects.create(name="gone", tagline="")
    Blog.objects.filter(pk=gone.pk).delete()
    gone.name = "x"
    with pytest.raises(DatabaseError, match="Save with update_fields did not affect any rows"):
        with transaction.atomic(using=using):
            gone.save(update_fields=["name"])
    with pytest.raises(DatabaseError, match="Forced update did not affect any rows"):
        with transaction.atomic(using=using):
            gone.save(force_update=True)
    deferred = Blog.objects.only("name").get(pk=blog.pk)
    deferred.name = "renamed"
    with CaptureQueriesContext(connections[using]) as ctx:
        deferred.save()
    assert "tagline" not in ctx.captured_queries[0]["sql"].split("SET")[-1]
    assert Blog.objects.get(pk=blog.pk).name == "renamed"
    only_pk = Blog.objects.only("id").get(pk=blog.pk)
    only_pk.save()
    fresh = UUIDModel(name="u")
    fresh.save()
    fresh.save()
    assert UUIDModel.objects.count() == 1
    stamped = Stamped.objects.create(name="s")
    stamped.save(update_fields=["name"])
    assert Everything._meta.get_field("char").pre_save(Everything(char="c"), False) == "c"


@pytest.mark.usefixtures("using")
def test_select_on_save(using: str) -> None:
    blog_like = Blog.objects.create(name="a", tagline="")
    Blog._meta.select_on_save = True
    try:
        blog_like.name = "b"
        with CaptureQueriesContext(connections[using]) as ctx:
            blog_like.save()
        assert ctx.captured_queries[0]["sql"].upper().startswith("SELECT")
        Blog.objects.filter(pk=blog_like.pk).delete()
        blog_like.save()
        assert Blog.objects.filter(pk=blog_like.pk).exists()
    finally:
        Blog._meta.select_on_save = False


@pytest.mark.usefixtures("using")
def test_refresh_from_db_variants(using: str) -> None:
    blog = Blog.objects.create(name="b", tagline="t")
    Entry.objects.create(blog=blog, headline="e", body_text="", pub_date="2020-01-01")
    fetched = Blog.objects.prefetch_related("entry_set").get(pk=blog.pk)
    Blog.objects.filter(pk=blog.pk).update(name="c")
    fetched.refresh_from_db(fields=["entry_set"])
    assert "entry_set" not in fetched._prefetched_objects_cache
    assert fetched.name == "b"
    fetched.refresh_from_db(fields=["name"])
    assert fetched.name == "c"
    fetched.refresh_from_db(from_queryset=Blog.objects.all(), using=using)
    with pytest.raises(ValueError, match='Found "__" in fields argument'):
        fetched.refresh_from_db(fields=["entry__headline"])
    entry = Entry.objects.select_related("blog").get()
    entry.refresh_from_db()
    assert entry.blog.name == "c"
    place = Place.objects.create(name="p", address="")
    Restaurant.objects.create(place=place)
    assert place.restaurant is not None
    place.refresh_from_db()
    with CaptureQueriesContext(connections[using]) as ctx:
        assert place.restaurant.place_id == place.pk
    assert len(ctx) == 1
    assert blog.serializable_value("name") == "b"
    assert entry.serializable_value("blog") == blog.pk
    assert (
        entry.serializable_value("not_a_field_but_attr")
        if hasattr(entry, "not_a_field_but_attr")
        else entry.serializable_value("pk") == entry.pk
    )


@pytest.mark.usefixtures("using")
def test_pickle_with_prefetched_objects() -> None:
    blog = Blog.objects.create(name="b", tagline="")
    Entry.objects.create(blog=blog, headline="e", body_text="", pub_date="2020-01-01")
    fetched = Blog.objects.prefetch_related("entry_set").get(pk=blog.pk)
    restored = pickle.loads(pickle.dumps(fetched))
    assert restored == fetched and restored._state.db == fetched._state.db
    assert "entry_set" in restored._prefetched_objects_cache


@pytest.mark.usefixtures("using")
def test_related_objects_must_be_saved_and_in_queries() -> None:
    unsaved = Blog(name="u", tagline="")
    with pytest.raises(ValueError, match="Model instances passed to related filters must be sa"):
        list(Entry.objects.filter(blog=unsaved))
    with pytest.raises(ValueError, match="get_next/get_previous cannot be used on unsaved"):
        Entry().get_next_by_pub_date()
    parent = Category.objects.create(name="p")
    child = Category(name="c", parent=parent)
    parent.pk, saved_pk = None, parent.pk
    with pytest.raises(ValueError, match="save\\(\\) prohibited to prevent data loss"):
        child.save()
    parent.pk = saved_pk
    child.save()
    person = Person(name="x")
    with pytest.raises(ValueError, match='needs to have a value for field "id"'):
        person.friends.all()


@pytest.mark.usefixtures("using")
def test_clean_fields_exclude_and_unique_checks() -> None:
    with pytest.raises(ValidationError) as info:
        Blog(name="x" * 200, tagline="").full_clean(exclude=["tagline"])
    assert list(info.value.message_dict) == ["name"]
    Blog(name="x" * 200).clean_fields(exclude=["name", "tagline"])
    unique, date_checks = Article()._get_unique_checks()
    assert (Article, ("id",)) in unique and date_checks == []
    assert Blog.check() == []
