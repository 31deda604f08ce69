"""View decorators that add to the Vary header: ``vary_on_headers``, ``vary_on_cookie``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastjango.utils.cache import patch_vary_headers
from fastjango.views.decorators.cache import _patching

__all__ = ["vary_on_cookie", "vary_on_headers"]

ViewT = TypeVar("ViewT", bound=Callable[..., Any])


def vary_on_headers(*headers: str) -> Callable[[ViewT], ViewT]:
    """Add ``headers`` to the Vary header of the view's response.

    Caches then keep one copy of the page per value of those request headers:
    ``@vary_on_headers("User-Agent", "Accept-Language")``.
    """

    def decorator(view_func: ViewT) -> ViewT:
        return _patching(
            view_func,
            "vary_on_headers",
            lambda response: patch_vary_headers(response, headers),
            check=False,
        )

    return decorator


def vary_on_cookie(view_func: ViewT) -> ViewT:
    """Add Cookie to the Vary header of the view's response (one cached copy per cookie)."""
    return _patching(
        view_func,
        "vary_on_cookie",
        lambda response: patch_vary_headers(response, ("Cookie",)),
        check=False,
    )
