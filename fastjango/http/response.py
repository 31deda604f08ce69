"""The ``HttpResponse`` family; every response is also an ASGI app that sends itself."""

from __future__ import annotations

import datetime
import io
import json
import mimetypes
import os
import re
import sys
import time
import warnings
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator, Mapping
from email.header import Header
from http.client import responses
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import anyio
import anyio.to_thread
import orjson

from fastjango.core import signals
from fastjango.core.exceptions import DisallowedRedirect
from fastjango.core.serializers.json import DjangoJSONEncoder, _encode_special
from fastjango.http._settings import per_request_setting
from fastjango.utils.asyncio import async_to_sync, sync_to_async
from fastjango.utils.datastructures import CaseInsensitiveMapping
from fastjango.utils.encoding import iri_to_uri
from fastjango.utils.http import content_disposition_header, http_date

if TYPE_CHECKING:
    from starlette.types import Receive, Scope, Send

__all__ = [
    "BadHeaderError",
    "FileResponse",
    "Http404",
    "HttpResponse",
    "HttpResponseBadRequest",
    "HttpResponseBase",
    "HttpResponseForbidden",
    "HttpResponseGone",
    "HttpResponseNotAllowed",
    "HttpResponseNotFound",
    "HttpResponseNotModified",
    "HttpResponsePermanentRedirect",
    "HttpResponseRedirect",
    "HttpResponseRedirectBase",
    "HttpResponseServerError",
    "JsonResponse",
    "ResponseHeaders",
    "StreamingHttpResponse",
]

_charset_from_content_type_re = re.compile(r";\s*charset=(?P<charset>[^\s;]+)", re.I)
# Status codes whose responses never carry a body, so they get no Content-Length.
_NO_BODY_STATUS = frozenset({204, 304})
_DONE = object()
# Sync iterators step in the threadpool; file reads use bigger blocks to hop less often.
_ASGI_FILE_BLOCK = 64 * 1024
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


class BadHeaderError(ValueError):
    """A header value contains a newline (header injection)."""


class Http404(Exception):
    """Raise in a view to answer with the 404 page."""


class ResponseHeaders(CaseInsensitiveMapping[str]):
    """Response headers: case-insensitive, and values checked and encoded when set."""

    def __init__(self, data: Mapping[str, Any] | Iterable[tuple[str, Any]] | None) -> None:
        self._store = {}
        if data is not None and (
            isinstance(data, str | bytes) or not isinstance(data, Mapping | Iterable)
        ):
            raise TypeError(
                "headers must be a dict (or an iterable of (name, value) pairs), "
                f"not {type(data).__name__}."
            )
        if data:
            for header, value in self._unpack_items(data):
                self[header] = value

    def _convert_to_charset(self, value: Any, charset: str, mime_encode: bool = False) -> str:
        """Return ``value`` as a ``str`` that encodes in ``charset``; refuse newlines.

        With ``mime_encode``, a value outside ``charset`` is MIME-encoded
        (RFC 2047) instead of raising ``UnicodeError``.
        """
        try:
            if isinstance(value, str):
                value.encode(charset)
            elif isinstance(value, bytes):
                value = value.decode(charset)
            else:
                value = str(value)
                value.encode(charset)
            if "\n" in value or "\r" in value:
                raise BadHeaderError(f"Header values can't contain newlines (got {value!r})")
        except UnicodeError as e:
            newline = ("\n", "\r") if isinstance(value, str) else (b"\n", b"\r")
            if newline[0] in value or newline[1] in value:
                raise BadHeaderError(f"Header values can't contain newlines (got {value!r})") from e
            if mime_encode:
                value = Header(value, "utf-8", maxlinelen=sys.maxsize).encode()
            else:
                e.reason += f", HTTP response headers must be in {charset} format"  # type: ignore[attr-defined]
                raise
        return str(value)

    def __delitem__(self, key: str) -> None:
        self.pop(key)

    def __setitem__(self, key: str, value: Any) -> None:
        key = self._convert_to_charset(key, "ascii")
        value = self._convert_to_charset(value, "latin-1", mime_encode=True)
        self._store[key.lower()] = (key, value)

    def pop(self, key: str, default: Any = None) -> Any:
        return self._store.pop(key.lower(), default)

    def setdefault(self, key: str, value: Any) -> None:
        if key not in self:
            self[key] = value


class HttpResponseBase:
    """What every response shares: status, headers, cookies, charset, closing.

    Use ``HttpResponse`` or ``StreamingHttpResponse``; this class has no body.
    """

    status_code = 200
    streaming = False

    def __init__(
        self,
        content_type: str | None = None,
        status: int | None = None,
        reason: str | None = None,
        charset: str | None = None,
        headers: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
    ) -> None:
        self.headers = ResponseHeaders(headers)
        self._charset = charset
        if "Content-Type" not in self.headers:
            if content_type is None:
                content_type = f"text/html; charset={self.charset}"
            self.headers["Content-Type"] = content_type
        elif content_type:
            raise ValueError(
                "'headers' must not contain 'Content-Type' when the "
                "'content_type' parameter is provided."
            )
        self._resource_closers: list[Callable[[], Any]] = []
        # The request handler sets this; request_finished is sent with it as sender.
        self._handler_class: Any = None
        self.cookies: SimpleCookie = SimpleCookie()
        self.closed = False
        if status is not None:
            try:
                self.status_code = int(status)
            except (ValueError, TypeError):
                raise TypeError("HTTP status code must be an integer.") from None
            if not 100 <= self.status_code <= 599:
                raise ValueError("HTTP status code must be an integer from 100 to 599.")
        self._reason_phrase = reason

    @property
    def reason_phrase(self) -> str:
        """Return the reason phrase: the one given, or the standard one for the status."""
        if self._reason_phrase is not None:
            return self._reason_phrase
        return responses.get(self.status_code, "Unknown Status Code")

    @reason_phrase.setter
    def reason_phrase(self, value: str) -> None:
        self._reason_phrase = value

    @property
    def charset(self) -> str:
        """Return the charset: the one given, the one in Content-Type, or DEFAULT_CHARSET."""
        if self._charset is not None:
            return self._charset
        # Not stored back: the Content-Type may change later.
        if content_type := self.headers.get("Content-Type"):
            if matched := _charset_from_content_type_re.search(content_type):
                return matched["charset"].replace('"', "")
        charset: str = per_request_setting("DEFAULT_CHARSET")
        return charset

    @charset.setter
    def charset(self, value: str) -> None:
        self._charset = value

    def serialize_headers(self) -> bytes:
        """Return the headers as they would appear in an HTTP/1.1 message."""
        return b"\r\n".join(
            key.encode("ascii") + b": " + value.encode("latin-1")
            for key, value in self.headers.items()
        )

    __bytes__ = serialize_headers

    @property
    def _content_type_for_repr(self) -> str:
        if "Content-Type" in self.headers:
            return f', "{self.headers["Content-Type"]}"'
        return ""

    def __setitem__(self, header: str, value: Any) -> None:
        self.headers[header] = value

    def __delitem__(self, header: str) -> None:
        del self.headers[header]

    def __getitem__(self, header: str) -> str:
        return self.headers[header]

    def has_header(self, header: str) -> bool:
        """Return whether the header is set (case-insensitive)."""
        return header in self.headers

    __contains__ = has_header

    def items(self) -> Iterable[tuple[str, str]]:
        return self.headers.items()

    def get(self, header: str, alternate: str | None = None) -> str | None:
        return self.headers.get(header, alternate)

    def setdefault(self, key: str, value: Any) -> None:
        """Set a header unless it is already set."""
        self.headers.setdefault(key, value)

    def set_cookie(
        self,
        key: str,
        value: str = "",
        max_age: int | float | datetime.timedelta | None = None,
        expires: str | datetime.datetime | None = None,
        path: str | None = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: str | None = None,
    ) -> None:
        """Set a cookie.

        ``expires`` is a UTC ``datetime`` (naive ones are taken as UTC) or a
        preformatted string; ``max_age`` is seconds or a ``timedelta`` and sets
        ``expires`` too. ``expires`` as a datetime and ``max_age`` together are
        refused.
        """
        if not isinstance(key, str):
            raise TypeError(f"The cookie name must be a string, not {type(key).__name__}.")
        self.cookies[key] = value
        if expires is not None:
            if isinstance(expires, datetime.datetime):
                if expires.utcoffset() is None:
                    expires = expires.replace(tzinfo=datetime.UTC)
                delta = expires - datetime.datetime.now(tz=datetime.UTC)
                # A fraction of a second is lost on the way to Max-Age; round it back up.
                delta += datetime.timedelta(seconds=1)
                expires = None
                if max_age is not None:
                    raise ValueError("'expires' and 'max_age' can't be used together.")
                max_age = max(0, delta.days * 86400 + delta.seconds)
            else:
                self.cookies[key]["expires"] = expires
        else:
            self.cookies[key]["expires"] = ""
        if max_age is not None:
            if isinstance(max_age, datetime.timedelta):
                max_age = max_age.total_seconds()
            elif not isinstance(max_age, int | float) or isinstance(max_age, bool):
                raise TypeError(
                    f"max_age must be a number of seconds or a timedelta, not {max_age!r}."
                )
            self.cookies[key]["max-age"] = int(max_age)
            # Old browsers only know Expires; send both.
            if not expires:
                self.cookies[key]["expires"] = http_date(time.time() + max_age)
        if path is not None:
            self.cookies[key]["path"] = path
        if domain is not None:
            self.cookies[key]["domain"] = domain
        if secure:
            self.cookies[key]["secure"] = True
        if httponly:
            self.cookies[key]["httponly"] = True
        if samesite:
            if not isinstance(samesite, str) or samesite.lower() not in ("lax", "none", "strict"):
                raise ValueError('samesite must be "lax", "none", or "strict".')
            self.cookies[key]["samesite"] = samesite

    def set_signed_cookie(self, key: str, value: Any, salt: str = "", **kwargs: Any) -> None:
        """Set a cookie signed with ``SECRET_KEY``; read it with ``request.get_signed_cookie()``.

        Pass the same ``salt`` to both; other arguments are ``set_cookie()``'s.
        """
        from fastjango.core import signing

        signed = signing.get_cookie_signer(salt=key + salt).sign(value)
        self.set_cookie(key, signed, **kwargs)

    def delete_cookie(
        self, key: str, path: str = "/", domain: str | None = None, samesite: str | None = None
    ) -> None:
        """Make the browser drop a cookie by sending it already expired."""
        # Browsers ignore an insecure Set-Cookie for __Secure-/__Host- names or SameSite=None.
        secure = key.startswith(("__Secure-", "__Host-")) or bool(
            samesite and samesite.lower() == "none"
        )
        self.set_cookie(
            key,
            max_age=0,
            path=path,
            domain=domain,
            secure=secure,
            expires="Thu, 01 Jan 1970 00:00:00 GMT",
            samesite=samesite,
        )

    def make_bytes(self, value: Any) -> bytes:
        """Return ``value`` as bytes, encoding text with the response charset."""
        return _to_bytes(value, self.charset)

    # -- closing --------------------------------------------------------------------------

    def _close_resources(self) -> None:
        for closer in self._resource_closers:
            try:
                closer()
            except Exception:
                # A failing closer must not keep the others from running.
                pass
        self._resource_closers.clear()
        self.closed = True

    def close(self) -> None:
        """Release the response's resources and send ``request_finished``, as Django does.

        Sending a response over ASGI releases its resources itself, without the
        signal: the outermost request handler sends ``request_finished`` once
        per request.
        """
        self._close_resources()
        signals.request_finished.send(sender=self._handler_class)

    # -- file-like API --------------------------------------------------------------------

    def write(self, content: Any) -> None:
        raise OSError(f"This {type(self).__name__} instance is not writable")

    def flush(self) -> None:
        """Do nothing; responses are file-like."""

    def tell(self) -> int:
        raise OSError(f"This {type(self).__name__} instance cannot tell its position")

    def readable(self) -> bool:
        return False

    def seekable(self) -> bool:
        return False

    def writable(self) -> bool:
        return False

    def writelines(self, lines: Iterable[Any]) -> None:
        raise OSError(f"This {type(self).__name__} instance is not writable")

    # -- ASGI -----------------------------------------------------------------------------

    def _asgi_headers(self) -> list[tuple[bytes, bytes]]:
        """Return the raw ASGI header list, with one ``set-cookie`` per cookie."""
        # The store is keyed by the lowercased name, which is what ASGI (and HTTP/2) wants.
        headers = [
            (name.encode("ascii"), value.encode("latin-1"))
            for name, (_, value) in self.headers._store.items()
        ]
        for cookie in self.cookies.values():
            headers.append((b"set-cookie", cookie.output(header="").strip().encode("latin-1")))
        return headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send this response over ASGI."""
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": self.status_code,
                    "headers": self._asgi_headers(),
                }
            )
            await send({"type": "http.response.body", "body": b""})
        finally:
            self._close_resources()


def _to_bytes(value: Any, charset: str) -> bytes:
    if isinstance(value, bytes):
        # bytes() of an exact bytes object is the object itself; subclasses get converted.
        return bytes(value)
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, str):
        return value.encode(charset)
    return str(value).encode(charset)


class HttpResponse(HttpResponseBase):
    """A response whose content is held in memory as bytes."""

    streaming = False
    non_picklable_attrs = frozenset(
        ["resolver_match", "client", "request", "templates", "wsgi_request"]
    )

    def __init__(self, content: Any = b"", *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.content = content

    def __getstate__(self) -> dict[str, Any]:
        obj_dict = self.__dict__.copy()
        for attr in self.non_picklable_attrs:
            obj_dict.pop(attr, None)
        return obj_dict

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} status_code={self.status_code}{self._content_type_for_repr}>"
        )

    def serialize(self) -> bytes:
        """Return the headers and content as an HTTP/1.1 message without the status line."""
        return self.serialize_headers() + b"\r\n\r\n" + self.content

    __bytes__ = serialize

    @property
    def content(self) -> bytes:
        """Return the content as bytes; set it from bytes, str or an iterable of them."""
        return b"".join(self._container)

    @content.setter
    def content(self, value: Any) -> None:
        # An iterator is consumed now, so that the content can be read more than once.
        if hasattr(value, "__iter__") and not isinstance(value, bytes | memoryview | str):
            content = b"".join(self.make_bytes(chunk) for chunk in value)
            if hasattr(value, "close"):
                try:
                    value.close()
                except Exception:
                    pass
        else:
            content = self.make_bytes(value)
        # A list, so that write() can append.
        self._container = [content]

    @property
    def text(self) -> str:
        """Return the content decoded with the response charset."""
        return self.content.decode(self.charset or "utf-8")

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._container)

    def write(self, content: Any) -> None:
        self._container.append(self.make_bytes(content))

    def tell(self) -> int:
        return len(self.content)

    def getvalue(self) -> bytes:
        return self.content

    def writable(self) -> bool:
        return True

    def writelines(self, lines: Iterable[Any]) -> None:
        for line in lines:
            self.write(line)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Send this response over ASGI, with its Content-Length."""
        try:
            container = self._container
            body = container[0] if len(container) == 1 else b"".join(container)
            headers = self._asgi_headers()
            if (
                "content-length" not in self.headers._store
                and self.status_code not in _NO_BODY_STATUS
                and self.status_code >= 200
            ):
                headers.append((b"content-length", b"%d" % len(body)))
            await send(
                {"type": "http.response.start", "status": self.status_code, "headers": headers}
            )
            if scope.get("method") == "HEAD":
                body = b""
            await send({"type": "http.response.body", "body": body})
        finally:
            self._close_resources()


class StreamingHttpResponse(HttpResponseBase):
    """A response whose content comes from a sync or async iterator, sent as it is produced.

    Sync iterators are advanced in the threadpool so the event loop never blocks.
    """

    streaming = True
    is_async: bool

    def __init__(
        self, streaming_content: Iterable[Any] | AsyncIterable[Any] = (), *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.streaming_content = streaming_content

    def __repr__(self) -> str:
        return (
            f"<{type(self).__qualname__} status_code={self.status_code}"
            f"{self._content_type_for_repr}>"
        )

    @property
    def content(self) -> bytes:
        raise AttributeError(
            f"This {type(self).__name__} instance has no `content` attribute. Use "
            "`streaming_content` instead."
        )

    @property
    def text(self) -> str:
        raise AttributeError(
            f"This {type(self).__name__} instance has no `text` attribute. Use "
            "`streaming_content` instead."
        )

    @property
    def streaming_content(self) -> Any:
        """Return the content as an iterator (or async iterator) of bytes; it runs once."""
        if self.is_async:
            # Bind the iterator now, in case streaming_content is replaced later.
            iterator = self._iterator
            charset = self.charset

            async def awrapper() -> AsyncIterator[bytes]:
                async for part in iterator:
                    yield _to_bytes(part, charset)

            return awrapper()
        return map(self.make_bytes, self._iterator)

    @streaming_content.setter
    def streaming_content(self, value: Iterable[Any] | AsyncIterable[Any]) -> None:
        self._set_streaming_content(value)

    def _set_streaming_content(self, value: Any) -> None:
        # Keep one iterator, so the content can never be iterated twice.
        try:
            self._iterator: Any = iter(value)
            self.is_async = False
        except TypeError:
            self._iterator = aiter(value)
            self.is_async = True
        if hasattr(value, "close"):
            self._resource_closers.append(value.close)

    def __iter__(self) -> Iterator[bytes]:
        try:
            return iter(self.streaming_content)
        except TypeError:
            warnings.warn(
                "StreamingHttpResponse must consume asynchronous iterators in order to serve "
                "them synchronously. Use a synchronous iterator instead.",
                Warning,
                stacklevel=2,
            )

            async def to_list(iterator: Any) -> list[Any]:
                return [chunk async for chunk in iterator]

            return map(self.make_bytes, iter(async_to_sync(to_list)(self._iterator)))

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for part in self.streaming_content:
                yield part
        except TypeError:
            warnings.warn(
                "StreamingHttpResponse must consume synchronous iterators in order to serve "
                "them asynchronously. Use an asynchronous iterator instead.",
                Warning,
                stacklevel=2,
            )
            for part in await sync_to_async(list)(self.streaming_content):
                yield part

    def getvalue(self) -> bytes:
        return b"".join(self.streaming_content)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Stream this response over ASGI; stop early when the client disconnects."""
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": self.status_code,
                    "headers": self._asgi_headers(),
                }
            )
            if scope.get("method") == "HEAD":
                await send({"type": "http.response.body", "body": b""})
                return
            spec_version = scope.get("asgi", {}).get("spec_version", "2.0")
            if tuple(map(int, spec_version.split("."))) >= (2, 4):
                # Servers on ASGI 2.4+ raise OSError from send() once the client has gone.
                await self._stream_body(send)
            else:
                async with anyio.create_task_group() as task_group:
                    task_group.start_soon(_cancel_on_disconnect, receive, task_group.cancel_scope)
                    await self._stream_body(send)
                    task_group.cancel_scope.cancel()
        finally:
            # An async generator stopped early (disconnect, error) runs its cleanup now.
            if self.is_async and hasattr(self._iterator, "aclose"):
                await self._iterator.aclose()
            self._close_resources()

    async def _stream_body(self, send: Send) -> None:
        charset = self.charset
        if self.is_async:
            async for part in self._iterator:
                chunk = _to_bytes(part, charset)
                if chunk:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
        else:
            iterator = self._asgi_sync_iterator()
            while (part := await anyio.to_thread.run_sync(next, iterator, _DONE)) is not _DONE:
                chunk = _to_bytes(part, charset)
                if chunk:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    def _asgi_sync_iterator(self) -> Iterator[Any]:
        return iter(self._iterator)


async def _cancel_on_disconnect(receive: Receive, cancel_scope: anyio.CancelScope) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            cancel_scope.cancel()
            return


class FileResponse(StreamingHttpResponse):
    """A streaming response for a file-like object, sent in blocks.

    Content-Length, Content-Type (guessed from the name) and Content-Disposition
    are set from the file unless given; ``as_attachment`` makes browsers download it.
    """

    block_size = 4096

    def __init__(
        self, *args: Any, as_attachment: bool = False, filename: str = "", **kwargs: Any
    ) -> None:
        self.as_attachment = as_attachment
        self.filename = filename
        self._no_explicit_content_type = kwargs.get("content_type") is None
        super().__init__(*args, **kwargs)

    def _set_streaming_content(self, value: Any) -> None:
        if isinstance(value, str | bytes | os.PathLike):
            # A path would be streamed as its own characters.
            raise TypeError(
                f"FileResponse needs an open file, e.g. FileResponse(open(path, 'rb')), not "
                f"{type(value).__name__} {value!r}."
            )
        if not hasattr(value, "read"):
            self.file_to_stream = None
            super()._set_streaming_content(value)
            return
        self.file_to_stream = filelike = value
        if hasattr(filelike, "close"):
            self._resource_closers.append(filelike.close)
        blocks = iter(lambda: filelike.read(self.block_size), b"")
        self.set_headers(filelike)
        super()._set_streaming_content(blocks)

    def _asgi_sync_iterator(self) -> Iterator[Any]:
        filelike = self.file_to_stream
        if filelike is None:
            return iter(self._iterator)
        block_size = max(self.block_size, _ASGI_FILE_BLOCK)
        return iter(lambda: filelike.read(block_size), b"")

    def set_headers(self, filelike: Any) -> None:
        """Set Content-Length, Content-Type and Content-Disposition from ``filelike``."""
        filename = getattr(filelike, "name", "")
        filename = filename if isinstance(filename, str) else ""
        seekable = hasattr(filelike, "seek") and (
            not hasattr(filelike, "seekable") or filelike.seekable()
        )
        if hasattr(filelike, "tell"):
            if seekable:
                initial_position = filelike.tell()
                filelike.seek(0, io.SEEK_END)
                self.headers["Content-Length"] = filelike.tell() - initial_position
                filelike.seek(initial_position)
            elif hasattr(filelike, "getbuffer"):
                self.headers["Content-Length"] = filelike.getbuffer().nbytes - filelike.tell()
            elif os.path.exists(filename):
                self.headers["Content-Length"] = os.path.getsize(filename) - filelike.tell()
        elif seekable:
            self.headers["Content-Length"] = sum(
                iter(lambda: len(filelike.read(self.block_size)), 0)
            )
            filelike.seek(-int(self.headers["Content-Length"]), io.SEEK_END)

        filename = os.path.basename(self.filename or filename)
        if self._no_explicit_content_type:
            if filename:
                content_type, encoding = mimetypes.guess_type(filename)
                # Never announce the compression as a Content-Encoding: browsers would
                # decompress the download.
                content_type = {
                    "br": "application/x-brotli",
                    "bzip2": "application/x-bzip",
                    "compress": "application/x-compress",
                    "gzip": "application/gzip",
                    "xz": "application/x-xz",
                }.get(encoding or "", content_type)
                self.headers["Content-Type"] = content_type or "application/octet-stream"
            else:
                self.headers["Content-Type"] = "application/octet-stream"
        if content_disposition := content_disposition_header(self.as_attachment, filename):
            self.headers["Content-Disposition"] = content_disposition


class HttpResponseRedirectBase(HttpResponse):
    """A redirect to ``redirect_to``; schemes outside ``allowed_schemes`` are refused."""

    allowed_schemes = ["http", "https", "ftp"]
    status_code_preserve_request: int

    def __init__(
        self, redirect_to: Any, preserve_request: bool = False, *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self["Location"] = iri_to_uri(redirect_to)
        parsed = urlsplit(str(redirect_to))
        if preserve_request:
            self.status_code = self.status_code_preserve_request
        if parsed.scheme and parsed.scheme not in self.allowed_schemes:
            raise DisallowedRedirect(f"Unsafe redirect to URL with protocol '{parsed.scheme}'")

    @property
    def url(self) -> str:
        """Return the redirect target (the Location header)."""
        return self["Location"]

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} status_code={self.status_code}"
            f'{self._content_type_for_repr}, url="{self.url}">'
        )


class HttpResponseRedirect(HttpResponseRedirectBase):
    """A 302 redirect (307 with ``preserve_request=True``)."""

    status_code = 302
    status_code_preserve_request = 307


class HttpResponsePermanentRedirect(HttpResponseRedirectBase):
    """A 301 redirect (308 with ``preserve_request=True``)."""

    status_code = 301
    status_code_preserve_request = 308


class HttpResponseNotModified(HttpResponse):
    """A 304 response: no body and no Content-Type."""

    status_code = 304

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self["content-type"]

    @property
    def content(self) -> bytes:
        return b"".join(self._container)

    @content.setter
    def content(self, value: Any) -> None:
        if value:
            raise AttributeError("You cannot set content to a 304 (Not Modified) response")
        self._container = []


class HttpResponseBadRequest(HttpResponse):
    status_code = 400


class HttpResponseNotFound(HttpResponse):
    status_code = 404


class HttpResponseForbidden(HttpResponse):
    status_code = 403


class HttpResponseNotAllowed(HttpResponse):
    """A 405 response listing the permitted methods in its Allow header."""

    status_code = 405

    def __init__(self, permitted_methods: Iterable[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if isinstance(permitted_methods, str):
            # ", ".join("GET") would announce "G, E, T".
            raise TypeError(
                f"permitted_methods must be a list of methods such as ['GET', 'POST'], "
                f"not the string {permitted_methods!r}."
            )
        self["Allow"] = ", ".join(permitted_methods)

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} [{self['Allow']}] status_code={self.status_code}"
            f"{self._content_type_for_repr}>"
        )


class HttpResponseGone(HttpResponse):
    status_code = 410


class HttpResponseServerError(HttpResponse):
    status_code = 500


class JsonResponse(HttpResponse):
    """A JSON response.

    ``data`` must be a dict unless ``safe=False``. With the default encoder
    and no ``json_dumps_params`` it is encoded by orjson, compactly, with
    DjangoJSONEncoder's formats for dates, times, durations, decimals, UUIDs
    and lazy strings; otherwise ``json.dumps(data, cls=encoder, **json_dumps_params)``.
    """

    def __init__(
        self,
        data: Any,
        encoder: type[json.JSONEncoder] = DjangoJSONEncoder,
        safe: bool = True,
        json_dumps_params: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        if safe and not isinstance(data, dict):
            raise TypeError(
                "In order to allow non-dict objects to be serialized set the safe parameter to "
                "False."
            )
        kwargs.setdefault("content_type", "application/json")
        content: str | bytes
        if encoder is DjangoJSONEncoder and json_dumps_params is None:
            try:
                content = orjson.dumps(data, default=_encode_special, option=_ORJSON_OPTIONS)
            except orjson.JSONEncodeError:
                # Non-str keys, huge ints, errors: json gives Django's exact result or message.
                content = json.dumps(data, cls=encoder)
        else:
            content = json.dumps(data, cls=encoder, **(json_dumps_params or {}))
        super().__init__(content=content, **kwargs)
