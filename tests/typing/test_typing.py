"""Run mypy --strict on typed_models.py and check what it infers (no plugin involved)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

api = pytest.importorskip("mypy.api")

MODULE = Path(__file__).with_name("typed_models.py")

EXPECTED = {
    "book": "tests.typing.typed_models.Book",
    "book.title": "str",
    "book.pub_date": "datetime.datetime",
    "book.pages": "int",
    "book.price": "decimal.Decimal",
    "book.rating": "float | None",
    "book.in_print": "bool",
    "book.author": "tests.typing.typed_models.Author",
    "book.editor": "tests.typing.typed_models.Author | None",
    "Book.objects.filter()": "fastjango.db.models.query.QuerySet[tests.typing.typed_models.Book]",
    "Book.objects.all().first()": "tests.typing.typed_models.Book | None",
    "Author().born": "datetime.date | None",
    "await Book.objects.aget(pk=1)": "tests.typing.typed_models.Book",
    "await Book.objects.filter().afirst()": "tests.typing.typed_models.Book | None",
    "await Book.objects.acount()": "int",
    "item": "tests.typing.typed_models.Book",
}


def test_models_are_typed_without_a_plugin() -> None:
    stdout, stderr, status = api.run(["--strict", "--no-color-output", str(MODULE)])
    assert status == 0, stdout + stderr
    revealed = dict(re.findall(r":(\d+): note: Revealed type is \"(.+)\"", stdout))
    lines = MODULE.read_text().splitlines()
    found = {}
    for number, type_name in revealed.items():
        match = re.search(r"reveal_type\((.*)\)\s*$", lines[int(number) - 1])
        assert match is not None
        found[match[1]] = type_name
    for expression, expected in EXPECTED.items():
        assert found[expression] == expected, expression
    assert found["Book.title"].startswith("fastjango.db.models.fields.CharField[")
