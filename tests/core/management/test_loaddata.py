"""loaddata: fixtures found by name, loaded in one transaction, bad ones explained."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fastjango.core.management.base import CommandError
from fastjango.test.utils import override_settings
from tests.core.management.fixtures_support import library_project, models
from tests.db.migrations.support import Project, run

GOOD: list[dict[str, Any]] = [
    {"model": "library.author", "pk": 1, "fields": {"name": "Ada", "born": "1815-12-10"}},
    {"model": "library.tag", "pk": 1, "fields": {"label": "red"}},
    {
        "model": "library.book",
        "pk": 1,
        "fields": {"title": "Notes", "price": "9.50", "author": 1, "tags": [1]},
    },
]


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Project]:
    with library_project(tmp_path) as project:
        (project.root / "library" / "fixtures").mkdir()
        yield project


def write(project: Project, name: str, data: Any) -> Path:
    path = project.root / "library" / "fixtures" / name
    text = data if isinstance(data, str) else json.dumps(data)
    if name.endswith(".gz"):
        with gzip.open(path, "wt") as handle:
            handle.write(text)
    else:
        path.write_text(text)
    return path


def counts() -> tuple[int, int, int]:
    Author, Tag, Book = models()
    return Author.objects.count(), Tag.objects.count(), Book.objects.count()


def test_load_by_name_from_the_app(library: Project) -> None:
    write(library, "books.json", GOOD)
    assert run("loaddata", "books").strip() == "Installed 3 object(s) from 1 fixture(s)"
    _, _, Book = models()
    book = Book.objects.get()
    assert book.author.name == "Ada"
    assert [tag.label for tag in book.tags.all()] == ["red"]
    out = run("loaddata", "books.json", verbosity=2)
    assert "Installing json fixture 'books' from" in out


def test_children_before_parents_and_natural_keys(library: Project) -> None:
    data = [
        {"model": "library.book", "pk": 2, "fields": {"title": "More", "author": 1}},
        {"model": "library.author", "fields": {"name": "Ada"}},
        {"model": "library.book", "pk": 1, "fields": {"title": "Notes", "author": ["Ada"]}},
    ]
    write(library, "natural.json", data)
    run("loaddata", "natural")
    _, _, Book = models()
    assert [book.author.name for book in Book.objects.order_by("pk")] == ["Ada", "Ada"]
    # Loading again updates the author found by its natural key.
    run("loaddata", "natural")
    assert counts() == (1, 0, 2)


def test_compressed_fixture_dirs_and_paths(library: Project, tmp_path: Path) -> None:
    write(library, "books.json.gz", GOOD)
    run("loaddata", "books")
    assert counts() == (1, 1, 1)
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "more.json").write_text(
        json.dumps([{"model": "library.tag", "pk": 2, "fields": {"label": "blue"}}])
    )
    with override_settings(FIXTURE_DIRS=[str(extra)]):
        run("loaddata", "more")
    run("loaddata", str(extra / "more.json"))
    assert counts() == (1, 2, 1)


def test_exclude_and_ignore_nonexistent(library: Project) -> None:
    data = [dict(GOOD[0]), GOOD[1]]
    data[0] = {**GOOD[0], "fields": {**GOOD[0]["fields"], "gone": 1}}
    write(library, "extra.json", data)
    with pytest.raises(CommandError, match="Author has no field named 'gone'"):
        run("loaddata", "extra")
    out = run("loaddata", "extra", "--ignorenonexistent", "-e", "library.tag")
    assert "Installed 1 object(s) (of 2) from 1 fixture(s)" in out
    assert counts() == (1, 0, 0)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            [
                GOOD[0],
                {
                    "model": "library.book",
                    "pk": 7,
                    "fields": {"title": "X", "price": "abc", "author": 1},
                },
            ],
            "(library.book:pk=7) field price: field_value was 'abc'",
        ),
        (
            [{"model": "library.nope", "pk": 1, "fields": {}}],
            "Invalid model identifier: 'library.nope'",
        ),
        (
            [{"model": "library.book", "pk": 1, "fields": {"title": "X", "author": 99}}],
            "has an invalid foreign key: library_book.author_id contains a value '99'",
        ),
        ("[{not json", "Invalid JSON"),
        ({"model": "library.tag"}, "A JSON fixture must be a list of objects."),
    ],
)
def test_broken_fixture_loads_nothing(library: Project, data: Any, expected: str) -> None:
    write(library, "good.json", [GOOD[1]])
    path = write(library, "broken.json", data)
    with pytest.raises(CommandError) as info:
        run("loaddata", "good", "broken")
    message = str(info.value)
    assert "\n" not in message
    assert info.value.returncode == 1
    assert expected in message
    assert str(path) in message or "Problem installing fixtures" in message
    assert counts() == (0, 0, 0)


def test_fixture_lookup_errors(library: Project, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No fixture named 'nothing' found."):
        run("loaddata", "nothing")
    write(library, "twice.json", GOOD)
    write(library, "twice.json.gz", GOOD)
    with pytest.raises(CommandError, match="Multiple fixtures named 'twice'"):
        run("loaddata", "twice")
    with pytest.raises(CommandError, match="yaml is not a known serialization format"):
        run("loaddata", "books.yaml")
    with pytest.raises(CommandError, match="--format must be specified"):
        run("loaddata", "-")
    with pytest.raises(CommandError, match="No installed app with label 'nope'"):
        run("loaddata", "twice", "--app", "nope")
    with pytest.raises(CommandError, match="Unknown model in excludes"):
        run("loaddata", "twice", "-e", "library.nope")
    with pytest.raises(CommandError, match="isn't in the DATABASES setting"):
        run("loaddata", "twice", "--database", "x")


def test_stdin_and_empty_fixture(library: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps([GOOD[1]])))
    run("loaddata", "-", "--format", "json")
    assert counts() == (0, 1, 0)
    write(library, "empty.json", [])
    with pytest.warns(RuntimeWarning, match="No fixture data found for 'empty'"):
        run("loaddata", "empty")


def test_zip_subfolders_and_app_filter(library: Project, tmp_path: Path) -> None:
    import zipfile

    folder = library.root / "library" / "fixtures" / "sets"
    folder.mkdir()
    with zipfile.ZipFile(folder / "one.json.zip", "w") as archive:
        archive.writestr("one.json", json.dumps([GOOD[1]]))
    run("loaddata", "sets/one", "--app", "library")
    assert counts() == (0, 1, 0)
    with zipfile.ZipFile(folder / "two.json.zip", "w") as archive:
        archive.writestr("a.json", "[]")
        archive.writestr("b.json", "[]")
    with pytest.raises(CommandError, match="must contain one file"):
        run("loaddata", "sets/two")


def test_fixture_dirs_must_be_sane(library: Project) -> None:
    app_dir = str(library.root / "library" / "fixtures")
    with override_settings(FIXTURE_DIRS=["/x", "/x"]):
        with pytest.raises(Exception, match="contains duplicates"):
            run("loaddata", "anything")
    with override_settings(FIXTURE_DIRS=[app_dir]):
        with pytest.raises(Exception, match="is a default fixture directory"):
            run("loaddata", "anything")


def test_excluded_app_and_save_errors(library: Project) -> None:
    write(library, "tags.json", [GOOD[1]])
    out = run("loaddata", "tags", "-e", "library")
    assert "Installed 0 object(s) (of 1) from 1 fixture(s)" in out
    same_name = [
        {"model": "library.author", "pk": 1, "fields": {"name": "Ada"}},
        {"model": "library.author", "pk": 2, "fields": {"name": "Ada"}},
    ]
    write(library, "twins.json", same_name)
    with pytest.raises(CommandError, match=r"could not load library.Author\(pk=2\)"):
        run("loaddata", "twins")
    assert counts() == (0, 0, 0)


def test_forward_reference_to_a_later_object(library: Project) -> None:
    data = [
        {"model": "library.book", "pk": 1, "fields": {"title": "T", "author": 1, "tags": [["x"]]}},
    ]
    write(library, "later.json", data)
    with pytest.raises(CommandError):
        run("loaddata", "later")
    assert counts() == (0, 0, 0)
