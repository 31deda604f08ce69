"""Write Python values as source code for migration files (with the imports they need)."""

from __future__ import annotations

import datetime
import decimal
import enum
import math
import uuid
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Code", "serialize"]


@dataclass(frozen=True)
class Code:
    """Source code written into a migration as it is, with the imports it needs."""

    source: str
    imports: frozenset[str] = field(default_factory=frozenset)


def serialize(value: Any) -> tuple[str, set[str]]:
    """Return ``(source, imports)`` that rebuild ``value`` in a migration file.

    Raise ``ValueError`` naming the type for values that can't be written
    (lambdas, local functions, arbitrary objects).
    """
    if isinstance(value, Code):
        return value.source, set(value.imports)
    if value is None or isinstance(value, bool | int | str | bytes):
        return repr(value), set()
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return f'float("{value}")', set()
        return repr(value), set()
    if isinstance(value, enum.Enum):
        return _reference(type(value), f".{value.name}")
    if isinstance(value, decimal.Decimal):
        return f'decimal.Decimal("{value}")', {"import decimal"}
    if isinstance(value, uuid.UUID):
        return f'uuid.UUID("{value}")', {"import uuid"}
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None and value.utcoffset() == datetime.timedelta(0):
            value = value.astimezone(datetime.UTC).replace(tzinfo=None)
            args = repr(value).removeprefix("datetime.datetime(").removesuffix(")")
            return f"datetime.datetime({args}, tzinfo=datetime.UTC)", {"import datetime"}
        return repr(value), {"import datetime"}
    if isinstance(value, datetime.date | datetime.time | datetime.timedelta):
        return repr(value), {"import datetime"}
    if isinstance(value, list | tuple | set | frozenset):
        imports: set[str] = set()
        items = []
        for item in value:
            source, needed = serialize(item)
            items.append(source)
            imports |= needed
        if isinstance(value, list):
            return f"[{', '.join(items)}]", imports
        if isinstance(value, tuple):
            return f"({', '.join(items)}{',' if len(items) == 1 else ''})", imports
        if not items:
            return ("set()" if isinstance(value, set) else "frozenset()"), imports
        inner = "{" + ", ".join(sorted(items)) + "}"
        return (inner if isinstance(value, set) else f"frozenset({inner})"), imports
    if isinstance(value, dict):
        imports = set()
        pairs = []
        for key, item in value.items():
            key_source, key_imports = serialize(key)
            item_source, item_imports = serialize(item)
            pairs.append(f"{key_source}: {item_source}")
            imports |= key_imports | item_imports
        return "{" + ", ".join(pairs) + "}", imports
    if isinstance(value, type) or callable(value):
        return _reference(value, "")
    raise ValueError(
        f"Cannot serialize {value!r} ({type(value).__name__}) into a migration: use a literal, "
        "a date/time, a Decimal, a UUID, an enum member, or a module-level function."
    )


def _reference(obj: Any, suffix: str) -> tuple[str, set[str]]:
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    # A bound method of a class (datetime.datetime.now) is reached through its class.
    owner = getattr(obj, "__self__", None)
    if isinstance(owner, type) and not isinstance(obj, type):
        module = owner.__module__
        qualname = f"{owner.__qualname__}.{obj.__name__}"
    if not module or not qualname or "<" in qualname:
        raise ValueError(
            f"Cannot serialize {obj!r} into a migration: lambdas and local functions can't be "
            "imported. Use a module-level function."
        )
    if module == "builtins":
        return f"{qualname}{suffix}", set()
    if module == "fastjango.db.migrations.operations":
        return f"migrations.{qualname}{suffix}", {"from fastjango.db import migrations"}
    if module.startswith("fastjango.utils.timezone"):
        return f"timezone.{qualname}{suffix}", {"from fastjango.utils import timezone"}
    return f"{module}.{qualname}{suffix}", {f"import {module}"}
