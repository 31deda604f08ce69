"""Import helpers: dotted paths and per-app module discovery."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType
from typing import Any

__all__ = ["cached_import", "import_string", "module_has_submodule"]


def cached_import(module_path: str, class_name: str) -> Any:
    """Return ``module_path.class_name``, importing the module only when needed."""
    module = sys.modules.get(module_path)
    spec = getattr(module, "__spec__", None)
    if module is None or getattr(spec, "_initializing", False):
        module = importlib.import_module(module_path)
    return getattr(module, class_name)


def import_string(dotted_path: str) -> Any:
    """Import a dotted path and return the attribute or class it names.

    Raise ``ImportError`` naming the path when the module or attribute is missing.
    """
    try:
        module_path, class_name = dotted_path.rsplit(".", 1)
    except ValueError as err:
        raise ImportError(f"{dotted_path!r} doesn't look like a module path") from err
    try:
        return cached_import(module_path, class_name)
    except AttributeError as err:
        raise ImportError(
            f'Module "{module_path}" does not define a "{class_name}" attribute/class'
        ) from err


def module_has_submodule(package: ModuleType, module_name: str) -> bool:
    """Return whether ``package`` has a submodule ``module_name``, without importing it."""
    full_name = f"{package.__name__}.{module_name}"
    if full_name in sys.modules:
        return True
    package_path = getattr(package, "__path__", None)
    if package_path is None:
        return False
    try:
        return importlib.util.find_spec(full_name) is not None
    except ModuleNotFoundError:
        return False
