"""Import parts of FastJango the template layer uses when they are installed."""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["import_optional"]


def import_optional(name: str) -> ModuleType | None:
    """Return the module ``name``, or None if it does not exist.

    Only the module itself being absent counts: an import error inside it
    propagates, so a broken module is never mistaken for a missing one.
    """
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return None
