"""``no_append_slash``: keep ``CommonMiddleware`` from redirecting to a view, as Django's."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["no_append_slash"]

ViewT = TypeVar("ViewT", bound=Callable[..., Any])


def no_append_slash(view_func: ViewT) -> ViewT:
    """Mark a view so that ``APPEND_SLASH`` never redirects a slash-less URL to it.

    Use it on views whose URL must be requested exactly as written, such as
    an API endpoint that answers 404 to a missing slash.
    """
    wrapper: Any
    if inspect.iscoroutinefunction(view_func):

        @functools.wraps(view_func)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            return await view_func(*args, **kwargs)

        wrapper = async_wrapper
    else:

        @functools.wraps(view_func)
        def sync_wrapper(*args: Any, **kwargs: Any) -> Any:
            return view_func(*args, **kwargs)

        wrapper = sync_wrapper
    # CommonMiddleware reads this attribute from the view the slash URL resolves to.
    wrapper.should_append_slash = False
    result: ViewT = wrapper
    return result
