"""``@endpoint``: route options for a FastAPI-style view listed in ``urls.py``."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = ["endpoint"]

F = TypeVar("F", bound=Callable[..., Any])

_ALLOWED_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"})


def endpoint(methods: Sequence[str] | str = ("GET",), **route_options: Any) -> Callable[[F], F]:
    """Set the HTTP methods and FastAPI route options of a FastAPI-style view.

    A FastAPI-style view in ``path()`` answers GET unless decorated; every option
    that ``fastapi.routing.APIRoute`` takes (``response_model``, ``status_code``,
    ``tags``, ``summary``, ``dependencies``...) is passed through::

        @endpoint(methods=["POST"], status_code=201, response_model=BookOut)
        async def create_book(data: BookIn) -> BookOut: ...
    """
    if isinstance(methods, str):
        methods = [methods]
    normalized = [method.upper() for method in methods]
    unknown = sorted(set(normalized) - _ALLOWED_METHODS)
    if unknown:
        raise ValueError(
            f"Unknown HTTP method(s) {', '.join(unknown)} in @endpoint; use any of "
            f"{', '.join(sorted(_ALLOWED_METHODS))}."
        )
    if "path" in route_options or "endpoint" in route_options:
        raise TypeError("@endpoint takes no 'path' or 'endpoint': the urlconf gives those.")
    accepted = _route_options()
    not_options = sorted(set(route_options) - accepted)
    if not_options:
        raise TypeError(
            f"@endpoint got unknown route option(s) {', '.join(not_options)}; FastAPI's "
            "APIRoute takes: " + ", ".join(sorted(accepted)) + "."
        )

    def decorator(view: F) -> F:
        view.fastjango_endpoint = {"methods": normalized, **route_options}  # type: ignore[attr-defined]
        return view

    return decorator


def _route_options() -> set[str]:
    from fastapi.routing import APIRoute

    parameters = inspect.signature(APIRoute.__init__).parameters
    return {name for name in parameters if name not in ("self", "path", "endpoint", "methods")}
