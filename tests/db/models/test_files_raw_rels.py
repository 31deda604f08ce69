"""FileField names, raw() querysets, and reverse relation (``ForeignObjectRel``) objects."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from fastjango.core.exceptions import ImproperlyConfigured, SynchronousOnlyOperation
from fastjango.db import models
from tests.db.models.models_fields import Everything
from tests.db.models.models_queries import Author, Blog, Entry
from tests.db.models.models_relations import Group, Person

DAY = datetime.date(2020, 1, 1)


def test_file_fields_store_names(using: str) -> None:
    obj = Everything(file="uploads/a.txt", image="")
    assert repr(obj.file) == "<FieldFile: uploads/a.txt>"
    assert obj.file == "uploads/a.txt" and obj.file == Everything(file="uploads/a.txt").file
    assert hash(obj.file) == hash("uploads/a.txt")
    assert bool(obj.file) and not bool(obj.image)
    for attribute in ("url", "path", "size"):
        with pytest.raises(ImproperlyConfigured, match="needs a file storage backend"):
            getattr(obj.file, attribute)
    for call in (lambda: obj.file.open(), lambda: obj.file.save("b.txt", b""), obj.file.delete):
        with pytest.raises(ImproperlyConfigured, match="needs a file storage backend"):
            call()
    obj.save()
    fetched = Everything.objects.get(pk=obj.pk)
    assert fetched.file.name == "uploads/a.txt" and fetched.image.name == ""
    assert Everything.objects.filter(file="uploads/a.txt").count() == 1
    deferred = Everything.objects.defer("file").get(pk=obj.pk)
    assert deferred.file.name == "uploads/a.txt"
    field = Everything._meta.get_field("file")
    assert field.value_to_string(fetched) == "uploads/a.txt"
    assert field.deconstruct()[3] == {"blank": True, "upload_to": "uploads/"}
    assert field.get_prep_value(None) is None
    assert field.generate_filename(obj, "dir/name.txt") == "uploads/name.txt"
    dated = models.FileField(upload_to="%Y")
    assert dated.generate_filename(obj, "x.txt") == f"{datetime.date.today().year}/x.txt"
    called = models.FileField(upload_to=lambda instance, name: f"custom/{name}")
    assert called.generate_filename(obj, "x.txt") == "custom/x.txt"
    image = models.ImageField(width_field="w", height_field="h")
    assert image.deconstruct()[3]["width_field"] == "w"
    assert image.get_internal_type() == "ImageField"
    assert Everything.file.field is field


def test_raw_query_variants(using: str) -> None:
    blog = Blog.objects.create(name="b", tagline="t")
    Entry.objects.create(blog=blog, headline="e", body_text="", pub_date=DAY)
    raw = Blog.objects.raw("SELECT * FROM queries_blog WHERE name = %s", ["b"])
    assert repr(raw) == "<RawQuerySet: SELECT * FROM queries_blog WHERE name = %s>"
    assert bool(raw) and raw[0] == blog and len(raw[0:1]) == 1
    assert raw.columns == ["id", "name", "tagline"]
    assert set(raw.model_fields) == {"id", "name", "tagline"}
    named = Blog.objects.raw("SELECT * FROM queries_blog WHERE name = %(name)s", {"name": "b"})
    assert list(named) == [blog]
    assert list(Blog.objects.raw("SELECT * FROM queries_blog WHERE name LIKE 'b%%'")) == [blog]
    with pytest.raises(KeyError, match="The raw query needs a parameter named 'missing'"):
        list(Blog.objects.raw("SELECT * FROM queries_blog WHERE name = %(missing)s", {}))
    with pytest.raises(IndexError, match="placeholder"):
        list(Blog.objects.raw("SELECT * FROM queries_blog WHERE name = %s", []))
    with pytest.raises(TypeError, match="has 1 placeholder\\(s\\) but 2 parameter\\(s\\)"):
        list(Blog.objects.raw("SELECT * FROM queries_blog WHERE name = %s", ["b", "c"]))
    prefetched = Blog.objects.raw("SELECT * FROM queries_blog").prefetch_related("entry_set")
    assert [len(b.entry_set.all()) for b in prefetched] == [1]
    cleared = prefetched.prefetch_related(None)
    assert cleared._prefetch_related_lookups == ()
    assert list(raw.using(using)) == [blog]
    assert list(raw.iterator()) == [blog]


@pytest.mark.anyio
async def test_raw_queries_async(ausing: str) -> None:
    blog = await Blog.objects.acreate(name="b", tagline="t")
    await Entry.objects.acreate(blog=blog, headline="e", body_text="", pub_date=DAY)
    raw = Blog.objects.raw("SELECT * FROM queries_blog").prefetch_related("entry_set")
    found = [b async for b in raw]
    assert len(found[0].entry_set.all()) == 1
    with pytest.raises(SynchronousOnlyOperation, match="async for"):
        list(Blog.objects.raw("SELECT * FROM queries_blog"))


def test_reverse_relation_objects() -> None:
    rel = Blog._meta.get_field("entry")
    assert rel.remote_field is Entry._meta.get_field("blog")
    assert rel.target_field == Entry._meta.pk
    assert rel.get_internal_type() == "ForeignKey"
    assert rel.get_lookup("exact") is not None and "in" in rel.get_lookups()
    assert rel.get_transform("nope") is None
    assert rel.db_type == Entry._meta.get_field("blog").db_type
    assert repr(rel) == "<ManyToOneRel: queries.entry>"
    assert hash(rel) == hash(Blog._meta.get_field("entry"))
    assert rel.accessor_name == "entry_set"
    assert rel.get_related_field() == Blog._meta.pk
    m2m_rel = Person._meta.get_field("groups")
    assert m2m_rel.get_accessor_name() == "groups"
    symmetric = Person._meta.get_field("friends").remote_field
    assert symmetric.get_accessor_name() is None
    with pytest.raises(ValueError, match="Can't supply a through model and db_constraint=False"):
        models.ManyToManyField(Person, through="relations.Membership", db_constraint=False)
    with pytest.raises(ValueError, match="Cannot specify through_fields without a through model"):
        models.ManyToManyField(Person, through_fields=("a", "b"))
    assert Group._meta.get_field("members").remote_field.through._meta.model_name == "membership"


@pytest.mark.usefixtures("using")
def test_reverse_relation_choices() -> None:
    blog = Blog.objects.create(name="b", tagline="")
    Entry.objects.create(blog=blog, headline="e", body_text="", pub_date=DAY)
    rel: Any = Blog._meta.get_field("entry")
    choices = rel.get_choices(ordering=["headline"])
    assert choices[0] == ("", "---------") and choices[1][1] == "e"
    assert rel.get_choices(include_blank=False, limit_choices_to={"headline": "x"}) == []
    assert Author._meta.get_field("entry").get_choices(blank_choice=[(None, "-")])[0] == (
        None,
        "-",
    )
