"""Import helpers: dotted paths and per-app module discovery."""

from __future__ import annotations

import copy
import importlib
import importlib.util
import os
import sys
from types import ModuleType
from typing import Any

__all__ = [
    "autodiscover_modules",
    "cached_import",
    "import_string",
    "module_dir",
    "module_has_submodule",
]


def cached_import(module_path: str, class_name: str) -> Any:
    """Return ``module_path.class_name``, importing the module only when needed."""
    module = sys.modules.get(module_path)
    spec = getattr(module, "__spec__", None)
    # A module still being initialized (a circular import) is imported properly.
    if module is None or spec is None or getattr(spec, "_initializing", False):
        module = importlib.import_module(module_path)
    return getattr(module, class_name)


def import_string(dotted_path: str) -> Any:
    """Import a dotted path and return the attribute or class it names.

    Raise ``ImportError`` naming the path when the module or attribute is missing.
    """
    try:
        module_path, class_name = dotted_path.rsplit(".", 1)
    except ValueError as err:
        raise ImportError(f"{dotted_path} doesn't look like a module path") from err
    try:
        return cached_import(module_path, class_name)
    except AttributeError as err:
        raise ImportError(
            f'Module "{module_path}" does not define a "{class_name}" attribute/class'
        ) from err


def autodiscover_modules(*module_names: str, register_to: Any = None) -> None:
    """Import ``<app>.<name>`` for every installed app that has such a module.

    An app without the module is skipped; an error raised while importing a
    module that exists propagates. ``register_to`` (e.g. an admin site) gets
    its ``_registry`` restored when an import fails, so a retry starts clean.
    """
    from fastjango.apps import apps

    for app_config in apps.get_app_configs():
        for module_name in module_names:
            before_import_registry = None
            if register_to is not None:
                before_import_registry = copy.copy(register_to._registry)
            try:
                importlib.import_module(f"{app_config.name}.{module_name}")
            except Exception:
                if register_to is not None:
                    register_to._registry = before_import_registry
                if app_config.module is not None and module_has_submodule(
                    app_config.module, module_name
                ):
                    raise


def module_has_submodule(package: ModuleType, module_name: str) -> bool:
    """Return whether ``package`` has a submodule ``module_name``, without importing it."""
    package_path = getattr(package, "__path__", None)
    if package_path is None:
        # A plain module, not a package, has no submodules.
        return False
    full_name = f"{package.__name__}.{module_name}"
    if full_name in sys.modules:
        return sys.modules[full_name] is not None
    try:
        return importlib.util.find_spec(full_name) is not None
    except ModuleNotFoundError:
        # A dotted module_name whose parent doesn't exist.
        return False


def module_dir(module: ModuleType) -> str:
    """Return the directory holding ``module``; raise ``ValueError`` if it has none or several."""
    paths = list(getattr(module, "__path__", []))
    if len(paths) == 1:
        return str(paths[0])
    filename = getattr(module, "__file__", None)
    if filename is not None:
        return os.path.dirname(str(filename))
    raise ValueError(f"Cannot determine directory containing {module}")
