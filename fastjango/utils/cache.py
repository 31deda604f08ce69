"""HTTP caching helpers with Django's API: Cache-Control, Vary, ETags and page cache keys.

The header logic works on header values (plain strings), so the pure-ASGI
cache middleware and the ``HttpResponse``-level functions share it.
``aget_cache_key()`` and ``alearn_cache_key()`` are FastJango's async twins of
the Django functions, on the cache's async API.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from fastjango.conf import settings
from fastjango.utils.http import http_date, parse_etags, parse_http_date_safe, quote_etag
from fastjango.utils.timezone import get_current_timezone_name

if TYPE_CHECKING:
    from fastjango.core.cache.backends.base import BaseCache
    from fastjango.http import HttpRequest, HttpResponse, HttpResponseBase

__all__ = [
    "add_never_cache_headers",
    "aget_cache_key",
    "alearn_cache_key",
    "cc_delim_re",
    "get_cache_key",
    "get_conditional_response",
    "get_max_age",
    "has_vary_header",
    "learn_cache_key",
    "max_age_of",
    "patch_cache_control",
    "patch_response_headers",
    "patch_vary_headers",
    "patched_cache_control",
    "patched_vary",
    "set_response_etag",
    "vary_contains",
]

logger = logging.getLogger("fastjango.request")

cc_delim_re = re.compile(r"\s*,\s*")


# Header values.


def _directive(text: str) -> tuple[str, str | bool]:
    name, sep, value = text.partition("=")
    return name.strip().lower(), (value if sep else True)


def _directive_text(name: str, value: Any) -> str:
    return name if value is True else f"{name}={value}"


def patched_cache_control(current: str | None, **kwargs: Any) -> str:
    """Return the Cache-Control value ``current`` with the directives in ``kwargs`` merged in."""
    directives: dict[str, Any] = defaultdict(set)
    if current:
        for field in cc_delim_re.split(current):
            name, value = _directive(field)
            if name == "no-cache":
                # no-cache may name several fields; keep them all.
                directives[name].add(value)
            else:
                directives[name] = value
    # Of two max-ages (say a decorator's and a middleware's) the shorter wins.
    if "max-age" in directives and "max_age" in kwargs:
        try:
            kwargs["max_age"] = min(int(directives["max-age"]), kwargs["max_age"])
        except (TypeError, ValueError):
            pass
    # public and private exclude each other: the one asked for now wins.
    if "private" in directives and "public" in kwargs:
        del directives["private"]
    elif "public" in directives and "private" in kwargs:
        del directives["public"]
    for key, value in kwargs.items():
        name = key.replace("_", "-")
        if name == "no-cache":
            directives[name].add(value)
        else:
            directives[name] = value
    parts: list[str] = []
    for name, value in directives.items():
        if isinstance(value, set):
            # A bare no-cache covers every field-specific one.
            values = {True} if True in value else value
            parts.extend(_directive_text(name, v) for v in values)
        else:
            parts.append(_directive_text(name, value))
    return ", ".join(parts)


def max_age_of(cache_control: str | None) -> int | None:
    """Return the max-age of a Cache-Control value as an int, or None."""
    if not cache_control:
        return None
    directives = dict(_directive(field) for field in cc_delim_re.split(cache_control))
    try:
        return int(directives["max-age"])
    except (KeyError, TypeError, ValueError):
        return None


def patched_vary(current: str | None, newheaders: Iterable[str]) -> str:
    """Return the Vary value ``current`` plus ``newheaders``, keeping order, without repeats."""
    vary_headers = cc_delim_re.split(current) if current else []
    existing = {header.lower() for header in vary_headers}
    vary_headers += [header for header in newheaders if header.lower() not in existing]
    return "*" if "*" in vary_headers else ", ".join(vary_headers)


def vary_contains(vary: str | None, header_query: str) -> bool:
    """Return whether the Vary value names ``header_query`` (case-insensitively)."""
    if not vary:
        return False
    return header_query.lower() in {header.lower() for header in cc_delim_re.split(vary)}


# The response-level API.


def patch_cache_control(response: HttpResponseBase, **kwargs: Any) -> None:
    """Add or update Cache-Control directives: ``max_age=60`` gives ``max-age=60``.

    A True value gives a bare directive (``no_cache=True`` -> ``no-cache``).
    """
    response.headers["Cache-Control"] = patched_cache_control(
        response.get("Cache-Control"), **kwargs
    )


def get_max_age(response: HttpResponseBase) -> int | None:
    """Return the max-age of the response's Cache-Control header, or None."""
    return max_age_of(response.get("Cache-Control"))


def set_response_etag(response: HttpResponse) -> HttpResponse:
    """Set an ETag from the MD5 of the content of a non-streaming, non-empty response."""
    if not response.streaming and response.content:
        digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
        response.headers["ETag"] = quote_etag(digest)
    return response


def patch_response_headers(response: HttpResponseBase, cache_timeout: int | None = None) -> None:
    """Set Expires (unless present) and max-age for ``cache_timeout`` seconds.

    The default timeout is ``CACHE_MIDDLEWARE_SECONDS``.
    """
    if cache_timeout is None:
        cache_timeout = settings.CACHE_MIDDLEWARE_SECONDS
    cache_timeout = max(cache_timeout, 0)  # a negative max-age is meaningless
    if not response.has_header("Expires"):
        response.headers["Expires"] = http_date(time.time() + cache_timeout)
    patch_cache_control(response, max_age=cache_timeout)


def add_never_cache_headers(response: HttpResponseBase) -> None:
    """Make the response uncacheable by browsers and proxies."""
    patch_response_headers(response, cache_timeout=-1)
    patch_cache_control(response, no_cache=True, no_store=True, must_revalidate=True, private=True)


def patch_vary_headers(response: HttpResponseBase, newheaders: Iterable[str]) -> None:
    """Add headers to the response's Vary header, keeping the existing ones and their order."""
    response.headers["Vary"] = patched_vary(response.get("Vary"), newheaders)


def has_vary_header(response: HttpResponseBase, header_query: str) -> bool:
    """Return whether the response's Vary header names ``header_query``."""
    return vary_contains(response.get("Vary"), header_query)


# Conditional requests (RFC 9110 section 13.2.2).


def _if_match_passes(target_etag: str | None, etags: list[str]) -> bool:
    if not target_etag:
        return False  # no ETag: nothing can match
    if etags == ["*"]:
        return True  # an ETag, even weak, means there is a current representation
    if target_etag.startswith("W/"):
        return False  # a weak ETag never matches strongly
    return target_etag in etags


def _if_none_match_passes(target_etag: str | None, etags: list[str]) -> bool:
    if not target_etag:
        return True
    if etags == ["*"]:
        return False
    # A weak comparison: ignore the weakness markers.
    target = target_etag.removeprefix("W/")
    return target not in (etag.removeprefix("W/") for etag in etags)


def _not_modified(response: HttpResponseBase | None) -> HttpResponseBase:
    from fastjango.http import HttpResponseNotModified

    new_response = HttpResponseNotModified()
    if response is not None:
        # The headers RFC 9110 section 15.4.5 asks a 304 to repeat, and Last-Modified.
        for header in (
            "Cache-Control",
            "Content-Location",
            "Date",
            "ETag",
            "Expires",
            "Last-Modified",
            "Vary",
        ):
            if header in response.headers:
                new_response.headers[header] = response.headers[header]
        # A Set-Cookie must reach the client whether the answer is 200 or 304.
        new_response.cookies = response.cookies
    return new_response


def _precondition_failed(request: HttpRequest) -> HttpResponseBase:
    from fastjango.http import HttpResponse

    response = HttpResponse(status=412)
    logger.warning("Precondition Failed: %s", request.path, extra={"status_code": 412})
    return response


def get_conditional_response(
    request: HttpRequest,
    etag: str | None = None,
    last_modified: int | None = None,
    response: HttpResponseBase | None = None,
) -> HttpResponseBase | None:
    """Answer a conditional request: a 304 or 412 response, else ``response`` unchanged."""
    # Only a successful response can turn into a conditional one.
    if response is not None and not (200 <= response.status_code < 300):
        return response
    meta = request.META
    if_match_etags = parse_etags(meta.get("HTTP_IF_MATCH", ""))
    if_unmodified_since = meta.get("HTTP_IF_UNMODIFIED_SINCE")
    unmodified_since = if_unmodified_since and parse_http_date_safe(if_unmodified_since)
    if_none_match_etags = parse_etags(meta.get("HTTP_IF_NONE_MATCH", ""))
    if_modified_since = meta.get("HTTP_IF_MODIFIED_SINCE")
    modified_since = if_modified_since and parse_http_date_safe(if_modified_since)

    # 1. If-Match.
    if if_match_etags and not _if_match_passes(etag, if_match_etags):
        return _precondition_failed(request)
    # 2. If-Unmodified-Since, only without If-Match.
    if (
        not if_match_etags
        and unmodified_since
        and not (last_modified and last_modified <= unmodified_since)
    ):
        return _precondition_failed(request)
    # 3. If-None-Match.
    if if_none_match_etags and not _if_none_match_passes(etag, if_none_match_etags):
        if request.method in ("GET", "HEAD"):
            return _not_modified(response)
        return _precondition_failed(request)
    # 4. If-Modified-Since, only without If-None-Match, only for GET and HEAD.
    if (
        not if_none_match_etags
        and modified_since
        and last_modified
        and last_modified <= modified_since
        and request.method in ("GET", "HEAD")
    ):
        return _not_modified(response)
    # 5. If-Range is not supported; 6. no condition applies.
    return response


# Page cache keys.

_language_getter: Callable[[], str | None] | None = None


def _active_language() -> str:
    global _language_getter
    if _language_getter is None:
        try:
            translation = importlib.import_module("fastjango.utils.translation")
        except ImportError:
            # Without the translation framework the active language is LANGUAGE_CODE.
            _language_getter = lambda: None  # noqa: E731
        else:
            _language_getter = translation.get_language
    return _language_getter() or settings.LANGUAGE_CODE


def _i18n_cache_key_suffix(request: Any, cache_key: str) -> str:
    if settings.USE_I18N:
        # LocaleMiddleware sets request.LANGUAGE_CODE; otherwise the active language.
        cache_key += f".{getattr(request, 'LANGUAGE_CODE', None) or _active_language()}"
    if settings.USE_TZ:
        cache_key += f".{get_current_timezone_name()}"
    return cache_key


def _url_digest(request: Any) -> str:
    url: str = request.build_absolute_uri()
    return hashlib.md5(url.encode("ascii", "backslashreplace"), usedforsecurity=False).hexdigest()


def _generate_cache_key(request: Any, method: str, headerlist: list[str], key_prefix: str) -> str:
    """Return the page key: the URL, the method and the values of the headers it varies on."""
    ctx = hashlib.md5(usedforsecurity=False)
    for header in headerlist:
        value = request.META.get(header)
        if value is not None:
            ctx.update(value.encode())
    cache_key = (
        f"views.decorators.cache.cache_page.{key_prefix}.{method}."
        f"{_url_digest(request)}.{ctx.hexdigest()}"
    )
    return _i18n_cache_key_suffix(request, cache_key)


def _generate_cache_header_key(key_prefix: str, request: Any) -> str:
    """Return the key under which the URL's list of varying headers is kept."""
    cache_key = f"views.decorators.cache.cache_header.{key_prefix}.{_url_digest(request)}"
    return _i18n_cache_key_suffix(request, cache_key)


def _headerlist(vary: str | None) -> list[str]:
    """Return the META names of the request headers a Vary value names, sorted."""
    if not vary:
        return []
    # With i18n on, the key already holds the language: varying on the raw
    # Accept-Language would only store the same page under more keys.
    skip_accept_language = settings.USE_I18N
    headerlist = []
    for header in cc_delim_re.split(vary):
        name = header.upper().replace("-", "_")
        if name != "ACCEPT_LANGUAGE" or not skip_accept_language:
            headerlist.append("HTTP_" + name)
    return sorted(headerlist)


def _resolve(key_prefix: str | None, cache: BaseCache | None) -> tuple[str, BaseCache]:
    if key_prefix is None:
        key_prefix = settings.CACHE_MIDDLEWARE_KEY_PREFIX
    if cache is None:
        from fastjango.core.cache import caches

        cache = caches[settings.CACHE_MIDDLEWARE_ALIAS]
    return key_prefix, cache


def get_cache_key(
    request: HttpRequest,
    key_prefix: str | None = None,
    method: str = "GET",
    cache: BaseCache | None = None,
) -> str | None:
    """Return the page cache key for the request, or None if the URL's headers aren't known yet."""
    key_prefix, cache = _resolve(key_prefix, cache)
    headerlist = cache.get(_generate_cache_header_key(key_prefix, request))
    if headerlist is None:
        return None
    return _generate_cache_key(request, method, headerlist, key_prefix)


async def aget_cache_key(
    request: HttpRequest,
    key_prefix: str | None = None,
    method: str = "GET",
    cache: BaseCache | None = None,
) -> str | None:
    """Async ``get_cache_key()``."""
    key_prefix, cache = _resolve(key_prefix, cache)
    headerlist = await cache.aget(_generate_cache_header_key(key_prefix, request))
    if headerlist is None:
        return None
    return _generate_cache_key(request, method, headerlist, key_prefix)


def learn_cache_key(
    request: HttpRequest,
    response: HttpResponseBase,
    cache_timeout: float | None = None,
    key_prefix: str | None = None,
    cache: BaseCache | None = None,
) -> str:
    """Remember which headers the response varies on for its URL; return its page key."""
    key_prefix, cache = _resolve(key_prefix, cache)
    if cache_timeout is None:
        cache_timeout = settings.CACHE_MIDDLEWARE_SECONDS
    headerlist = _headerlist(response.get("Vary"))
    cache.set(_generate_cache_header_key(key_prefix, request), headerlist, cache_timeout)
    return _generate_cache_key(request, str(request.method), headerlist, key_prefix)


async def alearn_cache_key(
    request: HttpRequest,
    response: HttpResponseBase,
    cache_timeout: float | None = None,
    key_prefix: str | None = None,
    cache: BaseCache | None = None,
) -> str:
    """Async ``learn_cache_key()``."""
    key_prefix, cache = _resolve(key_prefix, cache)
    if cache_timeout is None:
        cache_timeout = settings.CACHE_MIDDLEWARE_SECONDS
    headerlist = _headerlist(response.get("Vary"))
    await cache.aset(_generate_cache_header_key(key_prefix, request), headerlist, cache_timeout)
    return _generate_cache_key(request, str(request.method), headerlist, key_prefix)
