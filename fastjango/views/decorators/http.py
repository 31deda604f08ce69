"""View decorators about HTTP: allowed methods and conditional GET (ETag, Last-Modified).

Each works on sync and async views alike.
"""

from __future__ import annotations

import datetime
import functools
import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from fastjango.http import HttpResponse, HttpResponseNotAllowed
from fastjango.utils.cache import get_conditional_response
from fastjango.utils.decorators import iscoroutinefunction
from fastjango.utils.http import http_date, quote_etag

if TYPE_CHECKING:
    from fastjango.http import HttpRequest, HttpResponseBase

__all__ = [
    "condition",
    "etag",
    "last_modified",
    "require_GET",
    "require_POST",
    "require_http_methods",
    "require_safe",
]

logger = logging.getLogger("fastjango.request")

V = TypeVar("V", bound=Callable[..., Any])


def require_http_methods(request_method_list: Sequence[str]) -> Callable[[V], V]:
    """Answer 405 Not Allowed unless the request method is in ``request_method_list``.

    ``@require_http_methods(["GET", "POST"])``; methods are upper case.
    """

    def decorator(func: V) -> V:
        def not_allowed(request: HttpRequest) -> HttpResponse | None:
            if request.method in request_method_list:
                return None
            response = HttpResponseNotAllowed(request_method_list)
            logger.warning(
                "Method Not Allowed (%s): %s",
                request.method,
                request.path,
                extra={"status_code": 405, "request": request},
            )
            return response

        if iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_inner(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
                if (response := not_allowed(request)) is not None:
                    return response
                return await func(request, *args, **kwargs)

            return async_inner  # type: ignore[return-value]

        @functools.wraps(func)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if (response := not_allowed(request)) is not None:
                return response
            return func(request, *args, **kwargs)

        return inner  # type: ignore[return-value]

    return decorator


require_GET = require_http_methods(["GET"])
require_GET.__doc__ = "Decorator to require that a view only accepts the GET method."

require_POST = require_http_methods(["POST"])
require_POST.__doc__ = "Decorator to require that a view only accepts the POST method."

require_safe = require_http_methods(["GET", "HEAD"])
require_safe.__doc__ = "Decorator to require that a view only accepts safe methods: GET and HEAD."


def condition(
    etag_func: Callable[..., Any] | None = None,
    last_modified_func: Callable[..., Any] | None = None,
) -> Callable[[V], V]:
    """Answer conditional requests from a resource's ETag and last-modified time.

    Both functions get the view's arguments; ``etag_func`` returns the ETag
    (quoted or not) and ``last_modified_func`` a ``datetime`` (naive is UTC),
    or ``None``. When the request's If-None-Match/If-Modified-Since match,
    the view is skipped for a 304; a failed If-Match/If-Unmodified-Since gives
    412. GET and HEAD responses get ETag and Last-Modified headers. On an async
    view the two functions may be coroutine functions too.
    """

    def decorator(func: V) -> V:
        def precondition(
            request: HttpRequest, res_etag: str | None, res_last_modified: Any
        ) -> tuple[HttpResponseBase | None, str | None, int | None]:
            last_modified: int | None = None
            if res_last_modified:
                if res_last_modified.utcoffset() is None:
                    res_last_modified = res_last_modified.replace(tzinfo=datetime.UTC)
                last_modified = int(res_last_modified.timestamp())
            etag_value = quote_etag(res_etag) if res_etag is not None else None
            response = get_conditional_response(request, etag_value, last_modified)
            return response, etag_value, last_modified

        def add_headers(
            request: HttpRequest,
            response: HttpResponseBase,
            res_etag: str | None,
            res_last_modified: int | None,
        ) -> None:
            # Only safe methods carry validators; an unsafe one changed the resource.
            if request.method in ("GET", "HEAD"):
                if res_last_modified and not response.has_header("Last-Modified"):
                    response.headers["Last-Modified"] = http_date(res_last_modified)
                if res_etag:
                    response.headers.setdefault("ETag", res_etag)

        if iscoroutinefunction(func):

            async def compute(func_: Callable[..., Any] | None, *args: Any, **kw: Any) -> Any:
                if func_ is None:
                    return None
                result = func_(*args, **kw)
                return await result if iscoroutinefunction(func_) else result

            @functools.wraps(func)
            async def async_inner(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
                response, res_etag, res_last_modified = precondition(
                    request,
                    await compute(etag_func, request, *args, **kwargs),
                    await compute(last_modified_func, request, *args, **kwargs),
                )
                if response is None:
                    response = await func(request, *args, **kwargs)
                add_headers(request, response, res_etag, res_last_modified)
                return response

            return async_inner  # type: ignore[return-value]

        @functools.wraps(func)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            response, res_etag, res_last_modified = precondition(
                request,
                etag_func(request, *args, **kwargs) if etag_func else None,
                last_modified_func(request, *args, **kwargs) if last_modified_func else None,
            )
            if response is None:
                response = func(request, *args, **kwargs)
            add_headers(request, response, res_etag, res_last_modified)
            return response

        return inner  # type: ignore[return-value]

    return decorator


def etag(etag_func: Callable[..., Any]) -> Callable[[V], V]:
    """``condition(etag_func=etag_func)``."""
    return condition(etag_func=etag_func)


def last_modified(last_modified_func: Callable[..., Any]) -> Callable[[V], V]:
    """``condition(last_modified_func=last_modified_func)``."""
    return condition(last_modified_func=last_modified_func)
