"""dumpdata and the serializers: JSON out, and back in."""

from __future__ import annotations

import datetime
import decimal
import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fastjango.core import serializers
from fastjango.core.management.base import CommandError
from tests.core.management.fixtures_support import library_project, models
from tests.db.migrations.support import Project, run


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Project]:
    with library_project(tmp_path) as project:
        Author, Tag, Book = models()
        ada = Author.objects.create(name="Ada", born=datetime.date(1815, 12, 10))
        red = Tag.objects.create(label="red")
        blue = Tag.objects.create(label="blue")
        book = Book.objects.create(
            title="Notes",
            price=decimal.Decimal("9.50"),
            author=ada,
            published=datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
        )
        book.tags.set([red, blue])
        yield project


def dump(*args: str, **options: Any) -> Any:
    return json.loads(run("dumpdata", *args, **options))


def test_dump_all(library: Project) -> None:
    data = dump()
    assert [item["model"] for item in data] == [
        "library.author",
        "library.tag",
        "library.tag",
        "library.book",
    ]
    book = data[-1]
    assert book["pk"] == 1
    assert book["fields"] == {
        "title": "Notes",
        "price": "9.50",
        "author": 1,
        "tags": [1, 2],
        "published": "2024-01-02T03:04:05Z",
    }
    assert data[0]["fields"] == {"name": "Ada", "born": "1815-12-10"}


def test_dump_one_model_pks_and_indent(library: Project) -> None:
    text = run("dumpdata", "library.tag", "--pks", "2", "--indent", "2")
    assert text.startswith('[\n{\n  "model": "library.tag",\n  "pk": 2,')
    assert json.loads(text) == [{"model": "library.tag", "pk": 2, "fields": {"label": "blue"}}]


def test_natural_keys(library: Project) -> None:
    data = dump("library", "--natural-foreign", "--natural-primary")
    author = next(item for item in data if item["model"] == "library.author")
    assert "pk" not in author
    book = next(item for item in data if item["model"] == "library.book")
    assert book["fields"]["author"] == ["Ada"]


def test_exclude_and_output_file(library: Project, tmp_path: Path) -> None:
    data = dump("-e", "library.book", "-e", "library.tag")
    assert {item["model"] for item in data} == {"library.author"}
    target = tmp_path / "out.json.gz"
    run("dumpdata", "library.author", "-o", str(target))
    with gzip.open(target, "rt") as handle:
        assert json.load(handle)[0]["fields"]["name"] == "Ada"
    plain = tmp_path / "out.json"
    run("dumpdata", "library.author", "--output", str(plain))
    assert json.loads(plain.read_text())[0]["model"] == "library.author"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nope",), "Unknown application: nope"),
        (("library.nope",), "Unknown model: library.nope"),
        (("-e", "nope"), "No installed app with label 'nope'."),
        (("-e", "library.nope"), "Unknown model in excludes: library.nope"),
        (("library", "--pks", "1"), "You can only use --pks option with one model"),
        (("--format", "yaml"), "Unknown serialization format: yaml"),
        (("--database", "other"), "The database 'other' isn't in the DATABASES setting."),
    ],
)
def test_bad_input(library: Project, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError) as info:
        run("dumpdata", *args)
    assert str(info.value) == message


def test_serializer_api_round_trip(library: Project) -> None:
    Author, Tag, Book = models()
    text = serializers.serialize("json", Book.objects.all())
    python = serializers.serialize("python", Book.objects.all(), fields=["title"])
    assert python == [{"model": "library.book", "pk": 1, "fields": {"title": "Notes"}}]
    Book.objects.all().delete()
    objects = list(serializers.deserialize("json", text))
    assert repr(objects[0]) == "<DeserializedObject: library.Book(pk=1)>"
    for obj in objects:
        obj.save()
    book = Book.objects.get()
    assert book.price == decimal.Decimal("9.50")
    assert sorted(tag.label for tag in book.tags.all()) == ["blue", "red"]
    assert "json" in serializers.get_public_serializer_formats()
    assert "python" not in serializers.get_public_serializer_formats()
    with pytest.raises(serializers.SerializerDoesNotExist):
        serializers.get_serializer("yaml")


def test_progress_bar_and_errors(library: Project, tmp_path: Path) -> None:
    import io

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Terminal()
    run("dumpdata", "library", "-o", str(tmp_path / "all.json.bz2"), stdout=out)
    assert out.getvalue().endswith("]\n")
    Author, Tag, Book = models()
    from fastjango.db import connections

    connections["default"].execute("DROP TABLE library_book_tags")
    with pytest.raises(CommandError, match="Unable to serialize database"):
        run("dumpdata", "library.book")


def test_excluded_apps_and_unmanaged_models(library: Project) -> None:
    assert dump("library", "-e", "library") == []
    assert dump("-e", "library") == []
