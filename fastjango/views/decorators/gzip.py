"""``gzip_page``: gzip one view's responses, under ``GZipMiddleware``'s rules."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from fastjango.middleware.gzip import (
    MIN_SIZE,
    GZipMiddleware,
    acompress_sequence,
    compress_sequence,
    compress_string,
    re_accepts_gzip,
)
from fastjango.utils.cache import patch_vary_headers

__all__ = ["gzip_page"]

ViewT = TypeVar("ViewT", bound=Callable[..., Any])


def gzip_page(view_func: ViewT) -> ViewT:
    """Compress the view's response when the client accepts gzip, as ``GZipMiddleware`` does."""
    if inspect.iscoroutinefunction(view_func):

        @functools.wraps(view_func)
        async def async_view(request: Any, *args: Any, **kwargs: Any) -> Any:
            return _gzip_response(request, await view_func(request, *args, **kwargs))

        return async_view  # type: ignore[return-value]

    @functools.wraps(view_func)
    def sync_view(request: Any, *args: Any, **kwargs: Any) -> Any:
        return _gzip_response(request, view_func(request, *args, **kwargs))

    return sync_view  # type: ignore[return-value]


def _gzip_response(request: Any, response: Any) -> Any:
    headers = response.headers
    if not response.streaming and len(response.content) < MIN_SIZE:
        return response
    # Ranges refer to the uncompressed bytes; the middleware leaves these alone too.
    if "Content-Encoding" in headers or "Content-Range" in headers or response.status_code == 206:
        return response
    patch_vary_headers(response, ("Accept-Encoding",))
    if not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        return response

    max_random_bytes = GZipMiddleware.max_random_bytes
    if response.streaming:
        if getattr(response, "is_async", False):
            response.streaming_content = acompress_sequence(
                response.streaming_content, max_random_bytes=max_random_bytes
            )
        else:
            response.streaming_content = compress_sequence(
                response.streaming_content, max_random_bytes=max_random_bytes
            )
        if "Content-Length" in headers:
            del headers["Content-Length"]
    else:
        compressed = compress_string(response.content, max_random_bytes=max_random_bytes)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        headers["Content-Length"] = str(len(compressed))

    etag = headers.get("ETag")
    if etag and etag.startswith('"'):
        headers["ETag"] = "W/" + etag
    headers["Content-Encoding"] = "gzip"
    return response
