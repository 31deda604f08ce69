"""``CorsMiddleware``: Cross-Origin Resource Sharing with django-cors-headers' settings."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fastjango.conf import settings
from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.middleware._asgi import (
    HeaderList,
    patch_vary_headers,
    path_info,
    request_header,
    send_response,
    set_headers,
    start_headers,
)

__all__ = ["CorsMiddleware"]

# Origins a browser sends from contexts without a host: sandboxed pages and
# (Chrome on Android) local files. They are allowed only by being listed as they are.
_SPECIAL_ORIGINS = ("null", "file://")
_ORIGIN_CACHE_SIZE = 1024


def _setting(name: str, old_name: str) -> tuple[str, Any]:
    """Return the setting in use and its value, falling back to django-cors-headers' old name."""
    if not settings.is_overridden(name):
        old = getattr(settings, old_name, None)
        if old is not None:
            return old_name, old
    return name, getattr(settings, name)


def _strings(name: str, value: Any) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ImproperlyConfigured(f"{name} should be a sequence of strings, not {value!r}.")
    for item in value:
        if not isinstance(item, str):
            raise ImproperlyConfigured(f"{name} should be a sequence of strings; {item!r} is not.")
    return list(value)


def _bool(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ImproperlyConfigured(f"{name} should be a bool, not {value!r}.")
    return value


def _regex(name: str, value: Any) -> re.Pattern[str]:
    if isinstance(value, re.Pattern):
        return value
    if isinstance(value, str):
        return re.compile(value)
    raise ImproperlyConfigured(f"{name} should hold strings or compiled regexes, not {value!r}.")


class CorsMiddleware:
    """Add CORS headers to the responses of the URLs ``CORS_URLS_REGEX`` matches.

    Settings as django-cors-headers names them: ``CORS_ALLOWED_ORIGINS``,
    ``CORS_ALLOWED_ORIGIN_REGEXES``, ``CORS_ALLOW_ALL_ORIGINS`` (or the old
    ``CORS_ORIGIN_WHITELIST``, ``CORS_ORIGIN_REGEX_WHITELIST``,
    ``CORS_ORIGIN_ALLOW_ALL``), ``CORS_ALLOW_CREDENTIALS``, ``CORS_ALLOW_METHODS``,
    ``CORS_ALLOW_HEADERS``, ``CORS_EXPOSE_HEADERS``, ``CORS_PREFLIGHT_MAX_AGE``
    and ``CORS_ALLOW_PRIVATE_NETWORK``. A preflight request (``OPTIONS`` with
    ``Access-Control-Request-Method``) is answered here with an empty 200.
    Every response on a CORS URL gets ``Vary: origin``. A bad setting raises
    ``ImproperlyConfigured`` when the middleware is built.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        name, origins = _setting("CORS_ALLOWED_ORIGINS", "CORS_ORIGIN_WHITELIST")
        self.allowed_origins: set[tuple[str, str]] = set()
        self.allowed_special: set[str] = set()
        for origin in _strings(name, origins):
            if origin in _SPECIAL_ORIGINS:
                self.allowed_special.add(origin)
                continue
            self.allowed_origins.add(_parse_allowed_origin(name, origin))

        name, regexes = _setting("CORS_ALLOWED_ORIGIN_REGEXES", "CORS_ORIGIN_REGEX_WHITELIST")
        if isinstance(regexes, str) or not isinstance(regexes, Sequence):
            raise ImproperlyConfigured(
                f"{name} should be a sequence of strings and/or compiled regexes."
            )
        self.origin_regexes = [_regex(name, regex) for regex in regexes]

        name, allow_all = _setting("CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL")
        self.allow_all = _bool(name, allow_all)
        self.allow_credentials = _bool("CORS_ALLOW_CREDENTIALS", settings.CORS_ALLOW_CREDENTIALS)
        self.allow_private_network = _bool(
            "CORS_ALLOW_PRIVATE_NETWORK", settings.CORS_ALLOW_PRIVATE_NETWORK
        )
        self.urls_regex = _regex("CORS_URLS_REGEX", settings.CORS_URLS_REGEX)

        max_age = settings.CORS_PREFLIGHT_MAX_AGE
        if isinstance(max_age, bool) or not isinstance(max_age, int) or max_age < 0:
            raise ImproperlyConfigured(
                f"CORS_PREFLIGHT_MAX_AGE should be an integer greater than or equal to zero, "
                f"not {max_age!r}."
            )
        self.preflight_headers: HeaderList = [
            (b"access-control-allow-headers", _joined("CORS_ALLOW_HEADERS")),
            (b"access-control-allow-methods", _joined("CORS_ALLOW_METHODS")),
        ]
        if max_age:
            self.preflight_headers.append((b"access-control-max-age", str(max_age).encode()))
        expose = _joined("CORS_EXPOSE_HEADERS")
        self.expose_headers = [(b"access-control-expose-headers", expose)] if expose else []
        self._origin_cache: dict[str, bool] = {}

    def origin_allowed(self, origin: str) -> bool:
        """Return whether ``origin`` is in the allowed origins or matches an allowed regex."""
        allowed = self._origin_cache.get(origin)
        if allowed is None:
            allowed = self._check_origin(origin)
            # Clients come from few origins; the bound keeps junk Origin headers from piling up.
            if len(self._origin_cache) < _ORIGIN_CACHE_SIZE:
                self._origin_cache[origin] = allowed
        return allowed

    def _check_origin(self, origin: str) -> bool:
        if origin in self.allowed_special:
            return True
        try:
            url = urlsplit(origin)
        except ValueError:
            return False
        if (url.scheme, url.netloc) in self.allowed_origins:
            return True
        return any(regex.match(origin) for regex in self.origin_regexes)

    def cors_headers(self, scope: Scope, origin: str) -> HeaderList:
        """Return the ``Access-Control-*`` headers for a request from ``origin``."""
        if not self.allow_all and not self.origin_allowed(origin):
            return []
        if self.allow_all and not self.allow_credentials:
            allow_origin = b"*"
        else:
            allow_origin = origin.encode("latin-1")
        headers: HeaderList = [(b"access-control-allow-origin", allow_origin)]
        if self.allow_credentials:
            headers.append((b"access-control-allow-credentials", b"true"))
        headers.extend(self.expose_headers)
        if scope["method"] == "OPTIONS":
            headers.extend(self.preflight_headers)
            if (
                self.allow_private_network
                and request_header(scope, b"access-control-request-private-network") == b"true"
            ):
                headers.append((b"access-control-allow-private-network", b"true"))
        return headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.urls_regex.match(path_info(scope)):
            await self.app(scope, receive, send)
            return
        raw_origin = request_header(scope, b"origin")
        origin = raw_origin.decode("latin-1") if raw_origin else ""
        extra = self.cors_headers(scope, origin) if origin else []

        if (
            scope["method"] == "OPTIONS"
            and request_header(scope, b"access-control-request-method") is not None
        ):
            await send_response(send, 200, [(b"vary", b"origin"), *extra])
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = start_headers(message)
                patch_vary_headers(headers, ("origin",))
                if extra:
                    set_headers(headers, extra)
            await send(message)

        await self.app(scope, receive, send_with_cors)


def _parse_allowed_origin(name: str, origin: str) -> tuple[str, str]:
    """Return (scheme, netloc) of an allowed origin; it must be ``scheme://host[:port]``."""
    url = urlsplit(origin)
    if not url.scheme or not url.netloc:
        raise ImproperlyConfigured(
            f"Origin {origin!r} in {name} is missing a scheme or host: write it as "
            "scheme://host[:port], e.g. 'https://example.com'."
        )
    for part in ("path", "query", "fragment"):
        if getattr(url, part):
            raise ImproperlyConfigured(
                f"Origin {origin!r} in {name} should not have a {part}: write it as "
                "scheme://host[:port], e.g. 'https://example.com'."
            )
    return url.scheme, url.netloc


def _joined(name: str) -> bytes:
    return ", ".join(_strings(name, getattr(settings, name))).encode("latin-1")
