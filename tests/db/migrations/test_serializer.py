"""Python values written into migration files."""

from __future__ import annotations

import datetime
import decimal
import enum
import uuid
from typing import Any

import pytest

from fastjango.db.migrations import RunPython
from fastjango.db.migrations.serializer import Code, serialize
from fastjango.utils import timezone


class Color(enum.Enum):
    RED = "r"


def module_function() -> int:
    return 1


@pytest.mark.parametrize(
    ("value", "source", "imports"),
    [
        (None, "None", set()),
        (True, "True", set()),
        (3, "3", set()),
        ("x'y", '"x\'y"', set()),
        (b"ab", "b'ab'", set()),
        (1.5, "1.5", set()),
        (float("nan"), 'float("nan")', set()),
        (float("inf"), 'float("inf")', set()),
        (decimal.Decimal("1.10"), 'decimal.Decimal("1.10")', {"import decimal"}),
        (
            uuid.UUID("12345678123456781234567812345678"),
            'uuid.UUID("12345678-1234-5678-1234-567812345678")',
            {"import uuid"},
        ),
        (datetime.date(2024, 1, 2), "datetime.date(2024, 1, 2)", {"import datetime"}),
        (datetime.time(1, 2), "datetime.time(1, 2)", {"import datetime"}),
        (datetime.timedelta(days=1), "datetime.timedelta(days=1)", {"import datetime"}),
        (
            datetime.datetime(2024, 1, 2, 3, 4),
            "datetime.datetime(2024, 1, 2, 3, 4)",
            {"import datetime"},
        ),
        (
            datetime.datetime(2024, 1, 2, 3, 4, tzinfo=datetime.UTC),
            "datetime.datetime(2024, 1, 2, 3, 4, tzinfo=datetime.UTC)",
            {"import datetime"},
        ),
        ([1, "a"], "[1, 'a']", set()),
        ((1,), "(1,)", set()),
        ({2, 1}, "{1, 2}", set()),
        (set(), "set()", set()),
        (frozenset(), "frozenset()", set()),
        (frozenset({1}), "frozenset({1})", set()),
        ({"a": decimal.Decimal(1)}, "{'a': decimal.Decimal(\"1\")}", {"import decimal"}),
        (Color.RED, f"{__name__}.Color.RED", {f"import {__name__}"}),
        (module_function, f"{__name__}.module_function", {f"import {__name__}"}),
        (len, "len", set()),
        (datetime.datetime.now, "datetime.datetime.now", {"import datetime"}),
        (timezone.now, "timezone.now", {"from fastjango.utils import timezone"}),
        (RunPython.noop, "migrations.RunPython.noop", {"from fastjango.db import migrations"}),
        (Code("x + 1", frozenset({"import x"})), "x + 1", {"import x"}),
    ],
)
def test_serialize(value: Any, source: str, imports: set[str]) -> None:
    assert serialize(value) == (source, imports)


def test_values_that_cant_be_written() -> None:
    with pytest.raises(ValueError, match="lambdas and local functions"):
        serialize(lambda: 1)

    def local() -> None:
        return None

    with pytest.raises(ValueError, match="lambdas and local functions"):
        serialize(local)
    with pytest.raises(ValueError, match="Cannot serialize <object"):
        serialize(object())
