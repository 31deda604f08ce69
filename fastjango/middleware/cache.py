"""The per-site cache: ``UpdateCacheMiddleware``, ``FetchFromCacheMiddleware``, ``CacheMiddleware``.

As in Django, put ``UpdateCacheMiddleware`` first in ``MIDDLEWARE`` and
``FetchFromCacheMiddleware`` last (or ``CacheMiddleware`` alone). They are pure
ASGI and cache at the message level, on the cache's async API: a GET or HEAD
whose page is cached is answered without reaching the app; otherwise a 200
response sent in a single body message is stored, keyed by URL and by the
request headers its ``Vary`` names. Never cached: other methods, responses
that set cookies, ``Cache-Control: private`` or ``max-age=0`` responses and
streamed bodies. Settings are read once, when the middleware is built.
"""

from __future__ import annotations

import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fastjango.conf import settings
from fastjango.core.exceptions import DisallowedHost
from fastjango.utils.cache import (
    _generate_cache_header_key,
    _generate_cache_key,
    _headerlist,
    aget_cache_key,
    max_age_of,
    patched_cache_control,
)
from fastjango.utils.http import http_date

__all__ = ["CacheMiddleware", "FetchFromCacheMiddleware", "UpdateCacheMiddleware"]

# The request object shared along the stack (docs/internals/request-path.md).
REQUEST_SCOPE_KEY = "fastjango.request"
# Fetch tells Update, through the scope, whether the response should be stored.
STATE_SCOPE_KEY = "fastjango.cache_state"


class _State:
    __slots__ = ("update_cache",)

    def __init__(self) -> None:
        self.update_cache = False


def _state(scope: Scope) -> _State:
    state = scope.get(STATE_SCOPE_KEY)
    if state is None:
        state = scope[STATE_SCOPE_KEY] = _State()
    return state


def _request(scope: Scope, receive: Receive) -> Any:
    request = scope.get(REQUEST_SCOPE_KEY)
    if request is None:
        from fastjango.http import HttpRequest

        request = scope[REQUEST_SCOPE_KEY] = HttpRequest(scope, receive)
    return request


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> str | None:
    for key, value in headers:
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _set_header(headers: list[tuple[bytes, bytes]], name: bytes, value: str) -> None:
    headers[:] = [(k, v) for k, v in headers if k.lower() != name]
    headers.append((name, value.encode("latin-1")))


class _CacheMiddlewareBase:
    def __init__(
        self,
        app: ASGIApp,
        *,
        cache_timeout: float | None = None,
        page_timeout: float | None = None,
        key_prefix: str | None = None,
        cache_alias: str | None = None,
    ) -> None:
        self.app = app
        self.cache_timeout = (
            settings.CACHE_MIDDLEWARE_SECONDS if cache_timeout is None else cache_timeout
        )
        self.page_timeout = page_timeout
        self.key_prefix = settings.CACHE_MIDDLEWARE_KEY_PREFIX if key_prefix is None else key_prefix
        self.cache_alias = settings.CACHE_MIDDLEWARE_ALIAS if cache_alias is None else cache_alias

    @property
    def cache(self) -> Any:
        from fastjango.core.cache import caches

        # Looked up per use (a dict lookup), so a test's CACHES override is seen.
        return caches[self.cache_alias]

    # Fetching.

    async def _serve_from_cache(self, scope: Scope, receive: Receive, send: Send) -> bool:
        """Send the cached page for the request and return True, or return False on a miss."""
        state = _state(scope)
        state.update_cache = False
        method = scope.get("method", "GET")
        if method not in ("GET", "HEAD"):
            return False
        request = _request(scope, receive)
        cache = self.cache
        try:
            key = await aget_cache_key(request, self.key_prefix, "GET", cache=cache)
        except DisallowedHost:
            return False  # not ours to answer; the app rejects the host
        page = None
        if key is not None:
            page = await cache.aget(key)
            if page is None and method == "HEAD":
                head_key = await aget_cache_key(request, self.key_prefix, "HEAD", cache=cache)
                page = None if head_key is None else await cache.aget(head_key)
        if page is None:
            state.update_cache = True
            return False
        status, headers, body = page
        await send({"type": "http.response.start", "status": status, "headers": list(headers)})
        await send({"type": "http.response.body", "body": b"" if method == "HEAD" else body})
        return True

    # Storing.

    def _timeout(self, status: int, headers: list[tuple[bytes, bytes]]) -> float | None:
        """Return how long to cache the response for, or None to leave it alone."""
        if status not in (200, 304):
            return None
        if any(name.lower() == b"set-cookie" for name, _ in headers):
            return None  # someone's own response: never serve it to others
        cache_control = _header(headers, b"cache-control")
        if cache_control and "private" in cache_control:
            return None
        timeout = self.page_timeout
        if timeout is None:
            timeout = max_age_of(cache_control)
            if timeout is None:
                timeout = self.cache_timeout
            elif timeout == 0:
                return None
        return timeout

    async def _store(
        self, scope: Scope, status: int, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> None:
        """Patch the caching headers (in place) and store a complete response."""
        timeout = self._timeout(status, headers)
        if timeout is None:
            return
        max_age = max(int(timeout), 0)
        if _header(headers, b"expires") is None:
            headers.append((b"expires", http_date(time.time() + max_age).encode("latin-1")))
        cache_control = patched_cache_control(_header(headers, b"cache-control"), max_age=max_age)
        _set_header(headers, b"cache-control", cache_control)
        request = scope.get(REQUEST_SCOPE_KEY)
        if not timeout or status != 200 or request is None:
            return
        cache = self.cache
        headerlist = _headerlist(_header(headers, b"vary"))
        try:
            header_key = _generate_cache_header_key(self.key_prefix, request)
            key = _generate_cache_key(request, str(request.method), headerlist, self.key_prefix)
        except DisallowedHost:
            return
        await cache.aset(header_key, headerlist, timeout)
        await cache.aset(key, (status, list(headers), body), timeout)

    def _updating_send(self, scope: Scope, state: _State, send: Send) -> Send:
        start: Message | None = None
        passing = False

        async def updating_send(message: Message) -> None:
            nonlocal start, passing
            if passing:
                await send(message)
            elif message["type"] == "http.response.start":
                if not state.update_cache:
                    passing = True
                    await send(message)
                else:
                    # Hold the start until the body shows whether the response is whole.
                    start = message
            elif start is not None and message["type"] == "http.response.body":
                passing = True
                if not message.get("more_body", False):
                    headers = list(start["headers"])
                    await self._store(scope, start["status"], headers, message.get("body", b""))
                    start = {**start, "headers": headers}
                # else: streamed; sent as it comes and not cached.
                await send(start)
                await send(message)
            else:
                await send(message)

        return updating_send


class UpdateCacheMiddleware(_CacheMiddlewareBase):
    """Store responses in the cache; goes first in ``MIDDLEWARE``.

    It stores only what ``FetchFromCacheMiddleware`` (last in ``MIDDLEWARE``)
    looked up and missed.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, self._updating_send(scope, _state(scope), send))


class FetchFromCacheMiddleware(_CacheMiddlewareBase):
    """Answer GET and HEAD requests from the cache; goes last in ``MIDDLEWARE``."""

    def __init__(
        self, app: ASGIApp, *, key_prefix: str | None = None, cache_alias: str | None = None
    ) -> None:
        super().__init__(app, key_prefix=key_prefix, cache_alias=cache_alias)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not await self._serve_from_cache(scope, receive, send):
            await self.app(scope, receive, send)


class CacheMiddleware(_CacheMiddlewareBase):
    """Fetch and update in one middleware, for a site or (with arguments) one app."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if await self._serve_from_cache(scope, receive, send):
            return
        await self.app(scope, receive, self._updating_send(scope, _state(scope), send))
