"""Helpers for turning dotted paths into views."""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib import import_module
from typing import Any

from fastjango.core.exceptions import ViewDoesNotExist
from fastjango.utils.module_loading import module_has_submodule

__all__ = ["get_callable", "get_mod_func"]


@functools.cache
def get_callable(lookup_view: Any) -> Callable[..., Any]:
    """Return ``lookup_view`` if callable, else import the dotted path it names.

    Raise ``ImportError`` or ``ViewDoesNotExist`` saying what is wrong with the path.
    """
    if callable(lookup_view):
        return lookup_view  # type: ignore[no-any-return]
    if not isinstance(lookup_view, str):
        raise ViewDoesNotExist(f"'{lookup_view}' is not a callable or a dot-notation path")
    mod_name, func_name = get_mod_func(lookup_view)
    if not func_name:
        raise ImportError(f"Could not import '{lookup_view}'. The path must be fully qualified.")
    try:
        module = import_module(mod_name)
    except ImportError:
        parent, submodule = get_mod_func(mod_name)
        if submodule and not module_has_submodule(import_module(parent), submodule):
            raise ViewDoesNotExist(
                f"Could not import '{lookup_view}'. Parent module {mod_name} does not exist."
            ) from None
        raise
    try:
        view = getattr(module, func_name)
    except AttributeError:
        raise ViewDoesNotExist(
            f"Could not import '{lookup_view}'. View does not exist in module {mod_name}."
        ) from None
    if not callable(view):
        raise ViewDoesNotExist(f"Could not import '{mod_name}.{func_name}'. View is not callable.")
    return view  # type: ignore[no-any-return]


def get_mod_func(callback: str) -> tuple[str, str]:
    """Split ``"pkg.views.detail"`` into ``("pkg.views", "detail")``; no dot: ``(callback, "")``."""
    dot = callback.rfind(".")
    if dot == -1:
        return callback, ""
    return callback[:dot], callback[dot + 1 :]
