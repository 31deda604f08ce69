"""``ConditionalGetMiddleware``: ETags and 304/412 answers to conditional GETs, as Django's."""

from __future__ import annotations

import hashlib

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fastjango.middleware._asgi import (
    HTML_CONTENT_TYPE,
    HeaderList,
    get_header,
    start_headers,
)
from fastjango.utils.cache import cc_delim_re
from fastjango.utils.http import parse_etags, parse_http_date_safe

__all__ = ["ConditionalGetMiddleware"]

_CONDITIONAL_HEADERS = frozenset(
    {b"if-match", b"if-none-match", b"if-modified-since", b"if-unmodified-since"}
)
# The headers RFC 9110 section 15.4.5 says a 304 must repeat, plus Last-Modified and cookies.
_NOT_MODIFIED_KEEP = frozenset(
    {
        b"cache-control",
        b"content-location",
        b"date",
        b"etag",
        b"expires",
        b"last-modified",
        b"vary",
        b"set-cookie",
    }
)


def _strip_weak(etag: str) -> str:
    return etag[2:] if etag.startswith("W/") else etag


class _Preconditions:
    """The conditional request headers of one GET, parsed once."""

    __slots__ = ("if_match", "if_modified_since", "if_none_match", "if_unmodified_since")

    def __init__(self, scope: Scope) -> None:
        found: dict[bytes, bytes] = {}
        for key, value in scope["headers"]:
            if key in _CONDITIONAL_HEADERS and key not in found:
                found[key] = value
        self.if_match = parse_etags(_text(found.get(b"if-match")))
        self.if_none_match = parse_etags(_text(found.get(b"if-none-match")))
        self.if_unmodified_since = _date(found.get(b"if-unmodified-since"))
        self.if_modified_since = _date(found.get(b"if-modified-since"))

    def evaluate(self, etag: str | None, last_modified: int | None) -> int | None:
        """Return 412 or 304 when the preconditions say so, else None (RFC 9110 13.2.2)."""
        if self.if_match and not _if_match_passes(etag, self.if_match):
            return 412
        if (
            not self.if_match
            and self.if_unmodified_since is not None
            and not (last_modified is not None and last_modified <= self.if_unmodified_since)
        ):
            return 412
        if self.if_none_match:
            if not _if_none_match_passes(etag, self.if_none_match):
                return 304
        elif (
            self.if_modified_since is not None
            and last_modified is not None
            and last_modified <= self.if_modified_since
        ):
            return 304
        return None


def _text(value: bytes | None) -> str:
    return value.decode("latin-1") if value is not None else ""


def _date(value: bytes | None) -> int | None:
    return parse_http_date_safe(value.decode("latin-1")) if value is not None else None


def _if_match_passes(etag: str | None, etags: list[str]) -> bool:
    if not etag:
        return False
    if etags == ["*"]:
        return True
    # If-Match uses the strong comparison: a weak ETag never matches.
    return not etag.startswith("W/") and etag in etags


def _if_none_match_passes(etag: str | None, etags: list[str]) -> bool:
    if not etag:
        return True
    if etags == ["*"]:
        return False
    # If-None-Match uses the weak comparison.
    target = _strip_weak(etag)
    return all(_strip_weak(candidate) != target for candidate in etags)


class ConditionalGetMiddleware:
    """Answer conditional GET requests from the response's ``ETag`` and ``Last-Modified``.

    As in Django, only GET requests are handled. A non-streaming response
    without an ETag gets one (the quoted MD5 of its body) unless its
    ``Cache-Control`` says ``no-store``; a 2xx response is then replaced by a
    304 (``If-None-Match``, ``If-Modified-Since``) or a 412 (``If-Match``,
    ``If-Unmodified-Since``). A streaming response (more than one body
    message) is never buffered.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, _ConditionalResponder(scope, send).send)


class _ConditionalResponder:
    """Per-request state: the held start message and whether the rest is swallowed."""

    __slots__ = ("_send", "conditional", "held", "replaced", "scope")

    def __init__(self, scope: Scope, send: Send) -> None:
        self.scope = scope
        self.conditional = any(key in _CONDITIONAL_HEADERS for key, _ in scope["headers"])
        self._send = send
        self.held: Message | None = None
        self.replaced = False

    async def send(self, message: Message) -> None:
        if self.replaced:
            # The 304/412 has gone out; the rest of the original body is dropped.
            return
        kind = message["type"]
        if kind == "http.response.start":
            headers = start_headers(message)
            if get_header(headers, b"etag") is None and _needs_etag(headers):
                self.held = message  # the ETag needs the body
                return
            await self._answer(message)
            return
        held = self.held
        if held is not None:
            self.held = None
            if (
                kind == "http.response.body"
                and not message.get("more_body", False)
                and message.get("body")
            ):
                digest = hashlib.md5(message["body"], usedforsecurity=False).hexdigest()
                held["headers"].append((b"etag", f'"{digest}"'.encode("latin-1")))
            await self._answer(held)
            if self.replaced:
                return
        await self._send(message)

    async def _answer(self, start: Message) -> None:
        """Send ``start``, or the 304/412 that replaces it."""
        status: int = start["status"]
        if not self.conditional or not 200 <= status < 300:
            await self._send(start)
            return
        headers: HeaderList = start["headers"]
        etag_value = get_header(headers, b"etag")
        etag = etag_value.decode("latin-1") if etag_value is not None else None
        last_modified = _date(get_header(headers, b"last-modified"))
        outcome = None
        if etag or last_modified is not None:
            outcome = _Preconditions(self.scope).evaluate(etag, last_modified)
        if outcome == 304:
            kept = [(key, value) for key, value in headers if key.lower() in _NOT_MODIFIED_KEEP]
            await self._replace(304, kept)
        elif outcome == 412:
            await self._replace(
                412, [(b"content-type", HTML_CONTENT_TYPE), (b"content-length", b"0")]
            )
        else:
            await self._send(start)

    async def _replace(self, status: int, headers: HeaderList) -> None:
        self.replaced = True
        await self._send({"type": "http.response.start", "status": status, "headers": headers})
        await self._send({"type": "http.response.body", "body": b""})


def _needs_etag(headers: HeaderList) -> bool:
    cache_control = get_header(headers, b"cache-control")
    if cache_control is None:
        return True
    directives = cc_delim_re.split(cache_control.decode("latin-1"))
    return all(directive.lower() != "no-store" for directive in directives)
