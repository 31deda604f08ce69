"""View decorators for HTTP caching: ``cache_page``, ``never_cache``, ``cache_control``.

Each works on sync and async Django-style views (``request`` first, an
``HttpResponse`` back). ``cache_page`` caches with the sync cache API around a
sync view and the async API around an async one, under the same keys as the
cache middleware.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from fastjango.conf import settings
from fastjango.utils.cache import (
    add_never_cache_headers,
    aget_cache_key,
    alearn_cache_key,
    get_cache_key,
    get_max_age,
    learn_cache_key,
    patch_cache_control,
    patch_response_headers,
)

if TYPE_CHECKING:
    from fastjango.core.cache.backends.base import BaseCache
    from fastjango.http import HttpRequest, HttpResponseBase

__all__ = ["cache_control", "cache_page", "never_cache"]

ViewT = TypeVar("ViewT", bound=Callable[..., Any])

# What a cached page is stored as, by this decorator and the cache middleware alike:
# (status, [(name, value), ...] as ASGI header bytes, body). Plain data, so any
# backend can hold it and either side can serve what the other stored.
CachedPage = tuple[int, list[tuple[bytes, bytes]], bytes]


def _check_request(request: Any, decorator_name: str) -> None:
    if not hasattr(request, "META"):
        raise TypeError(
            f"{decorator_name} didn't receive an HttpRequest. If you are decorating a "
            "classmethod, be sure to use @method_decorator."
        )


def _patching(
    view_func: ViewT, name: str, patch: Callable[[Any], None], check: bool = True
) -> ViewT:
    """Wrap a sync or async view so ``patch`` edits its response."""
    if inspect.iscoroutinefunction(view_func):

        @functools.wraps(view_func)
        async def async_view(request: Any, *args: Any, **kwargs: Any) -> Any:
            if check:
                _check_request(request, name)
            response = await view_func(request, *args, **kwargs)
            patch(response)
            return response

        return async_view  # type: ignore[return-value]

    @functools.wraps(view_func)
    def sync_view(request: Any, *args: Any, **kwargs: Any) -> Any:
        if check:
            _check_request(request, name)
        response = view_func(request, *args, **kwargs)
        patch(response)
        return response

    return sync_view  # type: ignore[return-value]


def cache_control(**kwargs: Any) -> Callable[[ViewT], ViewT]:
    """Add Cache-Control directives to the view's response: ``@cache_control(max_age=3600)``."""

    def decorator(view_func: ViewT) -> ViewT:
        return _patching(
            view_func, "cache_control", lambda response: patch_cache_control(response, **kwargs)
        )

    return decorator


def never_cache(view_func: ViewT) -> ViewT:
    """Make the view's response uncacheable by browsers and proxies."""
    return _patching(view_func, "never_cache", add_never_cache_headers)


def page_from_response(response: HttpResponseBase) -> CachedPage:
    """Return what the page cache stores for a rendered, non-streaming response."""
    headers = [
        (name.lower().encode("latin-1"), value.encode("latin-1"))
        for name, value in response.items()
    ]
    content: bytes = getattr(response, "content", b"")
    return response.status_code, headers, content


def response_from_page(page: CachedPage) -> HttpResponseBase:
    """Rebuild an ``HttpResponse`` from a cached page."""
    from fastjango.http import HttpResponse

    status, headers, body = page
    response = HttpResponse(body, status=status)
    for name, value in headers:
        if name != b"content-length":  # the response computes its own
            response.headers[name.decode("latin-1")] = value.decode("latin-1")
    return response


class PageCache:
    """The per-view page cache behind ``cache_page``: fetch before the view, store after."""

    def __init__(self, page_timeout: float | None, cache_alias: str, key_prefix: str) -> None:
        self.page_timeout = page_timeout
        self.cache_alias = cache_alias
        self.key_prefix = key_prefix

    @property
    def cache(self) -> BaseCache:
        from fastjango.core.cache import caches

        return caches[self.cache_alias]

    # Fetching.

    def fetch(self, request: HttpRequest) -> HttpResponseBase | None:
        """Return the cached response for the request, or None (and mark it for storing)."""
        request._cache_update_cache = False  # type: ignore[attr-defined]
        if request.method not in ("GET", "HEAD"):
            return None
        cache = self.cache
        page = None
        key = get_cache_key(request, self.key_prefix, "GET", cache=cache)
        if key is not None:
            page = cache.get(key)
            if page is None and request.method == "HEAD":
                head_key = get_cache_key(request, self.key_prefix, "HEAD", cache=cache)
                page = None if head_key is None else cache.get(head_key)
        if page is None:
            request._cache_update_cache = True  # type: ignore[attr-defined]
            return None
        return response_from_page(page)

    async def afetch(self, request: HttpRequest) -> HttpResponseBase | None:
        """Async ``fetch()``."""
        request._cache_update_cache = False  # type: ignore[attr-defined]
        if request.method not in ("GET", "HEAD"):
            return None
        cache = self.cache
        page = None
        key = await aget_cache_key(request, self.key_prefix, "GET", cache=cache)
        if key is not None:
            page = await cache.aget(key)
            if page is None and request.method == "HEAD":
                head_key = await aget_cache_key(request, self.key_prefix, "HEAD", cache=cache)
                page = None if head_key is None else await cache.aget(head_key)
        if page is None:
            request._cache_update_cache = True  # type: ignore[attr-defined]
            return None
        return response_from_page(page)

    # Storing.

    def _timeout(self, request: HttpRequest, response: HttpResponseBase) -> float | None:
        """Return how long to cache the response for, or None to leave it alone."""
        if not getattr(request, "_cache_update_cache", False):
            return None
        if response.streaming or response.status_code not in (200, 304):
            return None
        # A response that sets a cookie is someone's own: never serve it to others.
        if response.cookies:
            return None
        if "private" in (response.get("Cache-Control") or ""):
            return None
        timeout = self.page_timeout
        if timeout is None:
            # max-age, then the default; max-age=0 means "don't cache".
            timeout = get_max_age(response)
            if timeout is None:
                timeout = settings.CACHE_MIDDLEWARE_SECONDS
            elif timeout == 0:
                return None
        return timeout

    def update(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        """Set the caching headers on the response and store it; return it."""
        timeout = self._timeout(request, response)
        if timeout is None:
            return response
        patch_response_headers(response, int(timeout))
        if timeout and response.status_code == 200:
            cache = self.cache
            key = learn_cache_key(request, response, timeout, self.key_prefix, cache=cache)
            if _is_unrendered(response):
                response.add_post_render_callback(  # type: ignore[attr-defined]
                    lambda rendered: cache.set(key, page_from_response(rendered), timeout)
                )
            else:
                cache.set(key, page_from_response(response), timeout)
        return response

    async def aupdate(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        """Async ``update()``."""
        timeout = self._timeout(request, response)
        if timeout is None:
            return response
        patch_response_headers(response, int(timeout))
        if timeout and response.status_code == 200:
            cache = self.cache
            key = await alearn_cache_key(request, response, timeout, self.key_prefix, cache=cache)
            if _is_unrendered(response):
                # Rendering happens later, in a worker thread: store with the sync API then.
                response.add_post_render_callback(  # type: ignore[attr-defined]
                    lambda rendered: cache.set(key, page_from_response(rendered), timeout)
                )
            else:
                await cache.aset(key, page_from_response(response), timeout)
        return response


def _is_unrendered(response: Any) -> bool:
    return callable(getattr(response, "render", None)) and not getattr(
        response, "is_rendered", True
    )


def cache_page(
    timeout: float | None, *, cache: str | None = None, key_prefix: str | None = None
) -> Callable[[ViewT], ViewT]:
    """Cache the view's GET/HEAD responses for ``timeout`` seconds, per URL and Vary headers.

    ``cache`` names the ``CACHES`` alias (default ``"default"``); ``key_prefix``
    separates this view's entries from others on the same URLs.
    """
    if not (
        timeout is None or (isinstance(timeout, int | float) and not isinstance(timeout, bool))
    ):
        raise TypeError(f"cache_page() takes the timeout in seconds as a number, got {timeout!r}.")

    def decorator(view_func: ViewT) -> ViewT:
        page_cache = PageCache(timeout, cache or "default", key_prefix or "")

        if inspect.iscoroutinefunction(view_func):

            @functools.wraps(view_func)
            async def async_view(request: Any, *args: Any, **kwargs: Any) -> Any:
                _check_request(request, "cache_page")
                cached = await page_cache.afetch(request)
                if cached is not None:
                    return cached
                response = await view_func(request, *args, **kwargs)
                return await page_cache.aupdate(request, response)

            return async_view  # type: ignore[return-value]

        @functools.wraps(view_func)
        def sync_view(request: Any, *args: Any, **kwargs: Any) -> Any:
            _check_request(request, "cache_page")
            cached = page_cache.fetch(request)
            if cached is not None:
                return cached
            response = view_func(request, *args, **kwargs)
            return page_cache.update(request, response)

        return sync_view  # type: ignore[return-value]

    return decorator
