"""``@endpoint``: route options for a FastAPI-style view listed in ``urls.py``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = ["endpoint"]

F = TypeVar("F", bound=Callable[..., Any])

_ALLOWED_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"})


def endpoint(methods: Sequence[str] = ("GET",), **route_options: Any) -> Callable[[F], F]:
    """Set the HTTP methods and FastAPI route options of a FastAPI-style view.

    A FastAPI-style view in ``path()`` answers GET unless decorated; every option
    that ``fastapi.routing.APIRoute`` takes (``response_model``, ``status_code``,
    ``tags``, ``summary``, ``dependencies``...) is passed through::

        @endpoint(methods=["POST"], status_code=201, response_model=BookOut)
        async def create_book(data: BookIn) -> BookOut: ...
    """
    normalized = [method.upper() for method in methods]
    unknown = sorted(set(normalized) - _ALLOWED_METHODS)
    if unknown:
        raise ValueError(
            f"Unknown HTTP method(s) {', '.join(unknown)} in @endpoint; use any of "
            f"{', '.join(sorted(_ALLOWED_METHODS))}."
        )
    if "path" in route_options or "endpoint" in route_options:
        raise TypeError("@endpoint takes no 'path' or 'endpoint': the urlconf gives those.")

    def decorator(view: F) -> F:
        view.fastjango_endpoint = {"methods": normalized, **route_options}  # type: ignore[attr-defined]
        return view

    return decorator
