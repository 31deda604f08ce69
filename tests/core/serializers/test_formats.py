"""The serialization framework: formats, registry, natural keys, forward references."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fastjango.core import serializers
from fastjango.core.serializers import base
from fastjango.test.utils import override_settings
from tests.db.migrations.support import Project, project_at, run, sqlite_databases

MODELS = """
class PersonManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Person(models.Model):
    name = models.CharField(max_length=50, unique=True)
    friend = models.ForeignKey("self", null=True, on_delete=models.SET_NULL)
    likes = models.ManyToManyField("Thing")

    objects = PersonManager()

    def natural_key(self):
        return (self.name,)


class ThingManager(models.Manager):
    def get_by_natural_key(self, label):
        return self.get(label=label)


class Thing(models.Model):
    label = models.CharField(max_length=50, unique=True)

    objects = ThingManager()

    def natural_key(self):
        return (self.label,)

"""


@pytest.fixture
def people(tmp_path: Path) -> Iterator[Project]:
    root = tmp_path / "project"
    root.mkdir()
    with sqlite_databases(tmp_path), project_at(root) as project:
        project.app("people")
        project.orm_models("people", MODELS)
        project.install("people")
        run("makemigrations", interactive=False)
        run("migrate")
        yield project


def models() -> tuple[Any, Any]:
    from fastjango.apps import apps

    return apps.get_model("people", "Person"), apps.get_model("people", "Thing")


def test_forward_references_with_natural_keys(people: Project) -> None:
    Person, Thing = models()
    data = [
        {
            "model": "people.person",
            "fields": {"name": "Ann", "friend": ["Bob"], "likes": [["tea"]]},
        },
        {"model": "people.person", "fields": {"name": "Bob", "friend": None, "likes": []}},
        {"model": "people.thing", "fields": {"label": "tea"}},
    ]
    saved = []
    for obj in serializers.deserialize("python", data, handle_forward_references=True):
        obj.save()
        saved.append(obj)
    assert saved[0].deferred_fields
    for obj in saved:
        if obj.deferred_fields:
            obj.save_deferred_fields()
    ann_row = Person.objects.get(name="Ann")
    assert ann_row.friend.name == "Bob"
    assert [thing.label for thing in ann_row.likes.all()] == ["tea"]
    text = serializers.serialize(
        "json",
        Person.objects.order_by("name"),
        use_natural_foreign_keys=True,
        use_natural_primary_keys=True,
    )
    assert json.loads(text)[0] == {
        "model": "people.person",
        "fields": {"name": "Ann", "friend": ["Bob"], "likes": [["tea"]]},
    }


def test_forward_reference_that_never_arrives(people: Project) -> None:
    data = [{"model": "people.person", "pk": 1, "fields": {"name": "Ann", "friend": ["Zed"]}}]
    (obj,) = list(serializers.deserialize("python", data, handle_forward_references=True))
    obj.save()
    with pytest.raises(base.DeserializationError, match="people.person:pk=1"):
        obj.save_deferred_fields()
    data = [{"model": "people.person", "pk": 2, "fields": {"name": "B", "likes": [["nope"]]}}]
    (obj,) = list(serializers.deserialize("python", data, handle_forward_references=True))
    obj.save()
    with pytest.raises(base.DeserializationError, match="field likes"):
        obj.save_deferred_fields()


def test_bad_python_data(people: Project) -> None:
    with pytest.raises(base.DeserializationError, match="needs a 'model' key"):
        list(serializers.deserialize("python", [{"pk": 1}]))
    with pytest.raises(base.DeserializationError, match="must be an object"):
        list(serializers.deserialize("python", [{"model": "people.thing", "fields": []}]))
    with pytest.raises(base.DeserializationError, match=r"people.thing:pk=x\) field id"):
        list(
            serializers.deserialize("python", [{"model": "people.thing", "pk": "x", "fields": {}}])
        )
    with pytest.raises(base.DeserializationError, match="field likes"):
        list(
            serializers.deserialize(
                "python", [{"model": "people.person", "fields": {"name": "x", "likes": [["no"]]}}]
            )
        )
    assert (
        list(serializers.deserialize("python", [{"model": "no.where"}], ignorenonexistent=True))
        == []
    )


def test_json_streams_and_bytes(people: Project) -> None:
    Person, Thing = models()
    Thing.objects.create(label="tea")
    stream = io.StringIO()
    text = serializers.serialize("json", Thing.objects.all(), stream=stream, indent=2)
    assert text == stream.getvalue()
    assert text == (
        '[\n{\n  "model": "people.thing",\n  "pk": 1,\n  "fields": {\n'
        '    "label": "tea"\n  }\n}\n]\n'
    )
    objects = list(serializers.deserialize("json", text.encode()))
    assert objects[0].object.label == "tea"
    objects = list(serializers.deserialize("json", io.StringIO(text)))
    assert objects[0].object.pk == 1
    with pytest.raises(base.DeserializationError, match="Invalid model identifier"):
        list(serializers.deserialize("json", '[{"model": "x.y", "fields": {}}]'))


def test_sort_dependencies(people: Project) -> None:
    from fastjango.apps import apps

    Person, Thing = models()
    config = apps.get_app_config("people")
    # A person likes things (which have natural keys): things come first.
    assert serializers.sort_dependencies([(config, [Person, Thing])]) == [Thing, Person]
    Thing.natural_key.dependencies = ["people.person"]
    try:
        with pytest.raises(RuntimeError, match="Can't resolve dependencies"):
            serializers.sort_dependencies([(config, None)])
        assert len(serializers.sort_dependencies([(config, None)], allow_cycles=True)) == 2
    finally:
        del Thing.natural_key.dependencies


def test_registry() -> None:
    assert "json" in serializers.get_serializer_formats()
    with override_settings(SERIALIZATION_MODULES={"json2": "fastjango.core.serializers.json"}):
        serializers._serializers.clear()
        try:
            assert "json2" in serializers.get_public_serializer_formats()
            serializers.unregister_serializer("json2")
            assert "json2" not in serializers.get_serializer_formats()
            with pytest.raises(serializers.SerializerDoesNotExist):
                serializers.unregister_serializer("json2")
        finally:
            serializers._serializers.clear()
    serializers.register_serializer("json3", "fastjango.core.serializers.json")
    try:
        assert serializers.get_deserializer("json3") is serializers.get_deserializer("json")
    finally:
        serializers.unregister_serializer("json3")


def test_base_pieces() -> None:
    out = io.StringIO()
    bar = base.ProgressBar(out, 2)
    bar.update(1)
    bar.update(1)
    bar.update(2)
    assert out.getvalue().endswith("]\n") and out.getvalue().count("[") == 2
    base.ProgressBar(None, 1).update(1)
    error = base.DeserializationError.WithData(ValueError("bad"), "a.b", 3, "x")
    assert str(error) == "bad: (a.b:pk=3) field_value was 'x'"
    assert base.M2MDeserializationError(ValueError("v"), 5).pk == 5
    for name in ("start_serialization", "start_object", "handle_field", "handle_fk_field"):
        method = getattr(base.Serializer(), name)
        with pytest.raises(NotImplementedError):
            method(*([None] * (method.__code__.co_argcount - 1)))
    with pytest.raises(NotImplementedError):
        base.Serializer().handle_m2m_field(None, None)
    with pytest.raises(NotImplementedError):
        next(base.Deserializer("[]"))
    assert iter(base.Deserializer("x")) is not None
