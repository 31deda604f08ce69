"""Serialization formats, as Django's: ``serialize("json", queryset)`` and ``deserialize``.

Built in are "json" and "python"; ``SERIALIZATION_MODULES`` (format name to
module path) or ``register_serializer()`` add more. A format module
provides ``Serializer`` and ``Deserializer``. ``dumpdata`` and ``loaddata``
are built on this.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from types import ModuleType
from typing import Any

from fastjango.core.serializers.base import (
    DeserializationError,
    SerializationError,
    SerializerDoesNotExist,
)

__all__ = [
    "BUILTIN_SERIALIZERS",
    "DeserializationError",
    "SerializationError",
    "SerializerDoesNotExist",
    "deserialize",
    "get_deserializer",
    "get_public_serializer_formats",
    "get_serializer",
    "get_serializer_formats",
    "register_serializer",
    "serialize",
    "sort_dependencies",
    "unregister_serializer",
]

BUILTIN_SERIALIZERS = {
    "json": "fastjango.core.serializers.json",
    "python": "fastjango.core.serializers.python",
}

_serializers: dict[str, ModuleType] = {}


def register_serializer(
    format: str, serializer_module: str, serializers: dict[str, ModuleType] | None = None
) -> None:
    """Register a format's module (dotted path) under ``format``."""
    if serializers is None and not _serializers:
        _load_serializers()
    module = importlib.import_module(serializer_module)
    target = _serializers if serializers is None else serializers
    target[format] = module


def unregister_serializer(format: str) -> None:
    """Remove a format; raise ``SerializerDoesNotExist`` if it isn't registered."""
    if not _serializers:
        _load_serializers()
    if format not in _serializers:
        raise SerializerDoesNotExist(format)
    del _serializers[format]


def _load_serializers() -> None:
    from fastjango.conf import settings

    found: dict[str, ModuleType] = {}
    for format, path in BUILTIN_SERIALIZERS.items():
        register_serializer(format, path, found)
    for format, path in (getattr(settings, "SERIALIZATION_MODULES", None) or {}).items():
        register_serializer(format, path, found)
    _serializers.update(found)


def _module(format: str) -> ModuleType:
    if not _serializers:
        _load_serializers()
    try:
        return _serializers[format]
    except KeyError:
        raise SerializerDoesNotExist(format) from None


def get_serializer(format: str) -> type[Any]:
    """Return the ``Serializer`` class of a format."""
    serializer: type[Any] = _module(format).Serializer
    return serializer


def get_serializer_formats() -> list[str]:
    """Return every registered format."""
    if not _serializers:
        _load_serializers()
    return list(_serializers)


def get_public_serializer_formats() -> list[str]:
    """Return the formats meant for files (not "python")."""
    if not _serializers:
        _load_serializers()
    return [
        name
        for name, module in _serializers.items()
        if not getattr(module.Serializer, "internal_use_only", False)
    ]


def get_deserializer(format: str) -> Any:
    """Return the ``Deserializer`` of a format."""
    return _module(format).Deserializer


def serialize(format: str, queryset: Iterable[Any], **options: Any) -> Any:
    """Serialize model instances in ``format``; return the result."""
    serializer = get_serializer(format)()
    return serializer.serialize(queryset, **options)


def deserialize(format: str, stream_or_string: Any, **options: Any) -> Any:
    """Return an iterator of ``DeserializedObject``s read in ``format``."""
    return get_deserializer(format)(stream_or_string, **options)


def sort_dependencies(
    app_list: Iterable[tuple[Any, Iterable[Any] | None]], allow_cycles: bool = False
) -> list[Any]:
    """Order models so that those natural keys refer to come first.

    ``app_list`` holds ``(app_config, models or None for all)``. A model
    depends on the models its ``natural_key.dependencies`` name and on the
    models with natural keys that its foreign keys and many-to-many fields
    point at. With ``allow_cycles`` a loop is broken instead of raising.
    """
    from fastjango.apps import apps

    models: list[Any] = []
    for app_config, model_list in app_list:
        chosen = model_list if model_list is not None else app_config.get_models()
        for model in chosen:
            if model not in models:
                models.append(model)
    needs: dict[Any, list[Any]] = {}
    for model in models:
        deps: list[Any] = []
        natural = getattr(model, "natural_key", None)
        for label in getattr(natural, "dependencies", []):
            deps.append(apps.get_model(label))
        for field in [*model._meta.fields, *model._meta.many_to_many]:
            remote = getattr(field, "remote_field", None)
            if remote is None or remote.model is model:
                continue
            through = getattr(remote, "through", None)
            if through is not None and not through._meta.auto_created:
                continue
            if hasattr(remote.model, "natural_key"):
                deps.append(remote.model)
        needs[model] = deps
    result: list[Any] = []
    remaining = list(models)
    while remaining:
        ready = [m for m in remaining if all(d not in remaining or d is m for d in needs[m])]
        if not ready:
            if not allow_cycles:
                cycle = ", ".join(sorted(m._meta.label for m in remaining))
                raise RuntimeError(
                    f"Can't resolve dependencies for {cycle} in serialized app list."
                )
            ready = [remaining[0]]
        for model in ready:
            result.append(model)
            remaining.remove(model)
    return result
