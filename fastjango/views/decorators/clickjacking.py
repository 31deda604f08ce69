"""View decorators that control ``X-Frame-Options`` per view, as Django's."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from fastjango.middleware.clickjacking import XFRAME_EXEMPT_HEADER

__all__ = ["xframe_options_deny", "xframe_options_exempt", "xframe_options_sameorigin"]

ViewT = TypeVar("ViewT", bound=Callable[..., Any])


def _patching_response(view_func: ViewT, patch: Callable[[Any], None]) -> ViewT:
    """Wrap a sync or async view so ``patch`` edits the response it returns."""
    if inspect.iscoroutinefunction(view_func):

        @functools.wraps(view_func)
        async def async_view(*args: Any, **kwargs: Any) -> Any:
            response = await view_func(*args, **kwargs)
            patch(response)
            return response

        return async_view  # type: ignore[return-value]

    @functools.wraps(view_func)
    def sync_view(*args: Any, **kwargs: Any) -> Any:
        response = view_func(*args, **kwargs)
        patch(response)
        return response

    return sync_view  # type: ignore[return-value]


def _deny(response: Any) -> None:
    if "X-Frame-Options" not in response.headers:
        response.headers["X-Frame-Options"] = "DENY"


def _sameorigin(response: Any) -> None:
    if "X-Frame-Options" not in response.headers:
        response.headers["X-Frame-Options"] = "SAMEORIGIN"


def _exempt(response: Any) -> None:
    response.xframe_options_exempt = True
    # The middleware sees only ASGI messages, so the mark travels as a header it strips.
    response.headers[XFRAME_EXEMPT_HEADER] = "1"


def xframe_options_deny(view_func: ViewT) -> ViewT:
    """Send ``X-Frame-Options: DENY`` with the view's response unless it sets the header."""
    return _patching_response(view_func, _deny)


def xframe_options_sameorigin(view_func: ViewT) -> ViewT:
    """Send ``X-Frame-Options: SAMEORIGIN`` with the view's response unless it sets the header."""
    return _patching_response(view_func, _sameorigin)


def xframe_options_exempt(view_func: ViewT) -> ViewT:
    """Keep ``XFrameOptionsMiddleware`` from adding ``X-Frame-Options`` to the view's response."""
    return _patching_response(view_func, _exempt)
