"""Small ASGI helpers shared by the built-in middleware.

Headers are handled in their raw ASGI form (a list of ``(name, value)`` byte
pairs) so nothing per request builds a mapping object; names are compared
lower-cased because the ASGI spec only recommends lower-case names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from starlette.types import Message, Scope, Send

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.utils.cache import patched_vary

__all__ = [
    "HTML_CONTENT_TYPE",
    "HeaderList",
    "HostValidator",
    "SecureChecker",
    "full_path",
    "get_header",
    "has_header",
    "path_info",
    "patch_vary_headers",
    "remove_header",
    "request_header",
    "send_response",
    "set_header",
    "set_headers",
    "start_headers",
]

HeaderList = list[tuple[bytes, bytes]]

# What Django's HttpResponse sends by default (DEFAULT_CHARSET is utf-8).
HTML_CONTENT_TYPE = b"text/html; charset=utf-8"

# Django's host_validation_re: a DNS name or a bracketed IPv6 literal, optional port.
_HOST_RE = re.compile(r"([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(:[0-9]+)?")
# The characters Django's escape_uri_path() and iri_to_uri() leave unquoted.
_PATH_SAFE = "/:@&+$,-_.!~*'()"
_QUERY_SAFE = "/#%[]=:;$&()+,!?*@'~"


def get_header(headers: Iterable[Sequence[bytes]], name: bytes) -> bytes | None:
    """Return the first value of header ``name`` (lower-case bytes), or None."""
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def has_header(headers: Iterable[Sequence[bytes]], name: bytes) -> bool:
    """Return whether header ``name`` (lower-case bytes) is present."""
    return any(key.lower() == name for key, _ in headers)


def remove_header(headers: HeaderList, name: bytes) -> None:
    """Delete every occurrence of header ``name`` in place."""
    headers[:] = [item for item in headers if item[0].lower() != name]


def set_header(headers: HeaderList, name: bytes, value: bytes) -> None:
    """Replace every occurrence of header ``name`` with one ``name: value``."""
    remove_header(headers, name)
    headers.append((name, value))


def set_headers(headers: HeaderList, items: HeaderList) -> None:
    """Replace every occurrence of each of ``items``' names with that item, in one pass."""
    names = {name for name, _ in items}
    headers[:] = [item for item in headers if item[0].lower() not in names]
    headers.extend(items)


def request_header(scope: Scope, name: bytes) -> bytes | None:
    """Return the first value of request header ``name`` (lower-case bytes), or None."""
    for key, value in scope["headers"]:
        if key == name:
            return value  # type: ignore[no-any-return]
    return None


def start_headers(message: Message) -> HeaderList:
    """Copy the headers of a response start message into a new list set on the message.

    Copying keeps the inner app's own list untouched: a response object that is
    sent twice (e.g. from a cache) must not collect our headers twice.
    """
    # Items may be 2-lists rather than tuples; they are replaced, never edited, so they are shared.
    headers: HeaderList = list(message.get("headers", ()))
    message["headers"] = headers
    return headers


def patch_vary_headers(headers: HeaderList, new_headers: Sequence[str]) -> None:
    """Merge every Vary header of ``headers`` into one that also names ``new_headers``."""
    values = [value.decode("latin-1") for key, value in headers if key.lower() == b"vary"]
    merged = patched_vary(", ".join(values) if values else None, new_headers)
    set_header(headers, b"vary", merged.encode("latin-1"))


def path_info(scope: Scope) -> str:
    """Return the request path without the script prefix (``root_path``), as Django's."""
    path: str = scope["path"]
    root_path: str = scope.get("root_path", "")
    if (
        root_path
        and path.startswith(root_path)
        and path[len(root_path) : len(root_path) + 1]
        in (
            "/",
            "",
        )
    ):
        path = path[len(root_path) :]
    return path or "/"


def full_path(scope: Scope, *, force_append_slash: bool = False) -> str:
    """Return the path plus query string, quoted as Django's ``get_full_path()``."""
    path: str = scope["path"]
    slash = "/" if force_append_slash and not path.endswith("/") else ""
    query: bytes = scope.get("query_string", b"")
    tail = "?" + quote(query, safe=_QUERY_SAFE) if query else ""
    return quote(path, safe=_PATH_SAFE) + slash + tail


async def send_response(send: Send, status: int, headers: HeaderList, body: bytes = b"") -> None:
    """Send a complete ``text/html`` response, as Django's ``HttpResponse`` defaults to."""
    headers = [
        (b"content-type", HTML_CONTENT_TYPE),
        *headers,
        (b"content-length", str(len(body)).encode("latin-1")),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class SecureChecker:
    """Tell whether a request is HTTPS, from the scope or ``SECURE_PROXY_SSL_HEADER``."""

    def __init__(self, proxy_ssl_header: Any) -> None:
        self.header: bytes | None = None
        self.secure_value = ""
        if proxy_ssl_header is None:
            return
        try:
            meta_name, secure_value = proxy_ssl_header
        except (TypeError, ValueError):
            raise ImproperlyConfigured(
                "The SECURE_PROXY_SSL_HEADER setting must be a tuple containing two values, "
                "e.g. ('HTTP_X_FORWARDED_PROTO', 'https')."
            ) from None
        if not isinstance(meta_name, str) or not meta_name.startswith("HTTP_"):
            raise ImproperlyConfigured(
                f"SECURE_PROXY_SSL_HEADER names {meta_name!r}; it must name a request header "
                "the way request.META does, e.g. 'HTTP_X_FORWARDED_PROTO'."
            )
        self.header = meta_name[5:].lower().replace("_", "-").encode("latin-1")
        self.secure_value = str(secure_value)

    def __call__(self, scope: Scope) -> bool:
        if self.header is not None:
            value = request_header(scope, self.header)
            if value is not None:
                # Proxies may append values ("https, http"); the first is the client's.
                first = value.decode("latin-1").split(",", 1)[0].strip()
                return first == self.secure_value
        return scope.get("scheme") in ("https", "wss")


class HostValidator:
    """Return the request's host when ``ALLOWED_HOSTS`` allows it, as ``request.get_host()``."""

    def __init__(self, settings: Any) -> None:
        allowed = list(settings.ALLOWED_HOSTS)
        for host in allowed:
            if not isinstance(host, str):
                raise ImproperlyConfigured(
                    f"ALLOWED_HOSTS must hold host names as strings, e.g. 'example.com' or "
                    f"'.example.com'; it holds {host!r}."
                )
        if settings.DEBUG and not allowed:
            allowed = [".localhost", "127.0.0.1", "[::1]"]
        self.allow_all = "*" in allowed
        self.exact = {host.lower() for host in allowed if host and not host.startswith(".")}
        self.suffixes = tuple(host.lower() for host in allowed if host.startswith("."))
        self.use_x_forwarded_host = bool(settings.USE_X_FORWARDED_HOST)
        self.use_x_forwarded_port = bool(settings.USE_X_FORWARDED_PORT)

    def raw_host(self, scope: Scope, secure: bool) -> str:
        """Return the host the client asked for, without validating it."""
        value = None
        if self.use_x_forwarded_host:
            value = request_header(scope, b"x-forwarded-host")
        if value is None:
            value = request_header(scope, b"host")
        if value is not None:
            return value.decode("latin-1")
        # No Host header: rebuild it from the server address, as PEP 3333 does.
        server = scope.get("server") or ("unknown", 0)
        name, port = str(server[0]), str(server[1])
        if self.use_x_forwarded_port:
            forwarded = request_header(scope, b"x-forwarded-port")
            if forwarded is not None:
                port = forwarded.decode("latin-1")
        return name if port == ("443" if secure else "80") else f"{name}:{port}"

    def get_host(self, scope: Scope, secure: bool) -> str | None:
        """Return the validated host (with port), or None if ``ALLOWED_HOSTS`` rejects it."""
        host = self.raw_host(scope, secure)
        match = _HOST_RE.fullmatch(host.lower())
        if match is None:
            return None
        domain = match[1].removesuffix(".")
        if not domain:
            return None
        if self.allow_all or domain in self.exact:
            return host
        for suffix in self.suffixes:
            if domain.endswith(suffix) or domain == suffix[1:]:
                return host
        return None
