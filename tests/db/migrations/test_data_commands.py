"""dumpdata, flush and loaddata on every backend."""

from __future__ import annotations

import datetime
import decimal
import json

import pytest

from fastjango.core.management.base import CommandError
from tests.core.management.fixtures_support import LIBRARY, models
from tests.db.migrations.support import Project, run


def test_dump_flush_load_round_trip(project: Project, backend: str, tmp_path: object) -> None:
    project.app("library")
    project.orm_models("library", LIBRARY)
    project.install("library")
    run("makemigrations", interactive=False)
    run("migrate")
    Author, Tag, Book = models()
    ada = Author.objects.create(name="Ada", born=datetime.date(1815, 12, 10))
    tags = [Tag.objects.create(label=label) for label in ("red", "blue")]
    book = Book.objects.create(
        title="Notes",
        price=decimal.Decimal("9.50"),
        author=ada,
        published=datetime.datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=datetime.UTC),
    )
    book.tags.set(tags)
    dumped = run("dumpdata", "library", "--indent", "2")

    run("flush", interactive=False)
    assert (Author.objects.count(), Tag.objects.count(), Book.objects.count()) == (0, 0, 0)

    fixtures = project.root / "library" / "fixtures"
    fixtures.mkdir()
    (fixtures / "library.json").write_text(dumped)
    assert "Installed 4 object(s) from 1 fixture(s)" in run("loaddata", "library")
    again = Book.objects.get()
    assert again.price == decimal.Decimal("9.50")
    assert again.published == datetime.datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=datetime.UTC)
    assert sorted(tag.label for tag in again.tags.all()) == ["blue", "red"]
    assert run("dumpdata", "library", "--indent", "2") == dumped
    # New rows get fresh ids after a load (PostgreSQL's sequences are moved on).
    assert Tag.objects.create(label="green").pk == 3

    broken = json.loads(dumped)
    broken.append({"model": "library.book", "pk": 9, "fields": {"title": "X", "author": 42}})
    (fixtures / "broken.json").write_text(json.dumps(broken))
    run("flush", interactive=False)
    with pytest.raises(CommandError, match="invalid foreign key"):
        run("loaddata", "broken")
    assert (Author.objects.count(), Tag.objects.count(), Book.objects.count()) == (0, 0, 0)
