"""Small helpers shared by the ORM's modules."""

from __future__ import annotations

import functools
from collections import namedtuple
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

__all__ = [
    "AltersData",
    "create_namedtuple_class",
    "make_model_tuple",
    "resolve_callables",
    "unpickle_named_row",
]


def make_model_tuple(model: Any) -> tuple[str, str]:
    """Return ``(app_label, model_name)`` for a model class or ``"app_label.ModelName"``."""
    try:
        if isinstance(model, tuple):
            return model
        if isinstance(model, str):
            app_label, model_name = model.split(".")
            return app_label, model_name.lower()
        return model._meta.app_label, model._meta.model_name
    except (ValueError, AttributeError):
        raise ValueError(
            f"Invalid model reference '{model}'. String model references must be of the "
            "form 'app_label.ModelName'."
        ) from None


def resolve_callables(mapping: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """Yield the items of ``mapping``, calling the values that are callable."""
    for key, value in mapping.items():
        yield key, value() if callable(value) else value


def unpickle_named_row(names: tuple[str, ...], values: Iterable[Any]) -> Any:
    """Rebuild a ``values_list(named=True)`` row when unpickling."""
    return create_namedtuple_class(*names)(*values)


@functools.lru_cache
def create_namedtuple_class(*names: str) -> type[tuple[Any, ...]]:
    """Return a ``Row`` namedtuple class with ``names`` (cached, picklable)."""

    def __reduce__(self: tuple[Any, ...]) -> tuple[Any, ...]:
        return unpickle_named_row, (names, tuple(self))

    base = namedtuple("Row", names)  # type: ignore[misc]
    return type("Row", (base,), {"__reduce__": __reduce__, "__slots__": ()})


class AltersData:
    """Mark the methods that change data, so templates never call them."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        for fn_name, fn in vars(cls).items():
            if callable(fn) and not hasattr(fn, "alters_data"):
                for base in cls.__bases__:
                    base_fn = getattr(base, fn_name, None)
                    if base_fn is not None and getattr(base_fn, "alters_data", False):
                        fn.alters_data = True
                        break
        super().__init_subclass__(**kwargs)
