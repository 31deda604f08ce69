"""Path converters: the ``<int:pk>`` part of a ``path()`` route."""

from __future__ import annotations

import functools
import uuid
from typing import Any, Protocol, runtime_checkable

__all__ = [
    "DEFAULT_CONVERTERS",
    "REGISTERED_CONVERTERS",
    "Converter",
    "IntConverter",
    "PathConverter",
    "SlugConverter",
    "StringConverter",
    "UUIDConverter",
    "get_converters",
    "register_converter",
]


@runtime_checkable
class Converter(Protocol):
    """What a path converter provides: a regex, ``to_python`` and ``to_url``.

    ``to_python`` raising ``ValueError`` means the path does not match this
    pattern (the resolver tries the next one); ``to_url`` raising ``ValueError``
    means the value cannot be reversed into this pattern.
    """

    regex: str

    def to_python(self, value: str) -> Any: ...

    def to_url(self, value: Any) -> str: ...


class IntConverter:
    """Match zero or any positive integer; the view gets an ``int``."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: Any) -> str:
        return str(value)


class StringConverter:
    """Match any non-empty string without a ``/``."""

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: Any) -> str:
        return value  # type: ignore[no-any-return]


class UUIDConverter:
    """Match a lowercase, dashed UUID; the view gets a ``uuid.UUID``."""

    regex = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

    def to_python(self, value: str) -> uuid.UUID:
        return uuid.UUID(value)

    def to_url(self, value: Any) -> str:
        return str(value)


class SlugConverter(StringConverter):
    """Match ASCII letters, digits, hyphens and underscores."""

    regex = "[-a-zA-Z0-9_]+"


class PathConverter(StringConverter):
    """Match any non-empty string, ``/`` included."""

    regex = ".+"


DEFAULT_CONVERTERS: dict[str, Converter] = {
    "int": IntConverter(),
    "path": PathConverter(),
    "slug": SlugConverter(),
    "str": StringConverter(),
    "uuid": UUIDConverter(),
}

REGISTERED_CONVERTERS: dict[str, Converter] = {}


def register_converter(converter: type[Any], type_name: str) -> None:
    """Register a converter class under ``type_name`` for use in ``path()`` routes.

    Raise ``ValueError`` when the name is taken (Django 6.0 behaviour; 5.x only
    warned) and ``TypeError`` when the class lacks ``regex``, ``to_python`` or
    ``to_url``.
    """
    if type_name in REGISTERED_CONVERTERS or type_name in DEFAULT_CONVERTERS:
        raise ValueError(f"Converter {type_name!r} is already registered.")
    instance = converter()
    missing = [
        attr
        for attr in ("regex", "to_python", "to_url")
        if not hasattr(instance, attr) or (attr == "regex" and not isinstance(instance.regex, str))
    ]
    if missing:
        raise TypeError(
            f"Converter {converter.__qualname__} must define a 'regex' string and "
            f"'to_python' and 'to_url' methods; it lacks {', '.join(map(repr, missing))}."
        )
    REGISTERED_CONVERTERS[type_name] = instance
    get_converters.cache_clear()
    # Routes already compiled keep their converters; new routes must see this one.
    from fastjango.urls.patterns import _route_to_regex

    _route_to_regex.cache_clear()


@functools.cache
def get_converters() -> dict[str, Converter]:
    """Return every converter by name: the built-in ones and the registered ones."""
    return {**DEFAULT_CONVERTERS, **REGISTERED_CONVERTERS}
