"""``GZipMiddleware``: compress responses for clients that accept gzip, as Django's."""

from __future__ import annotations

import functools
import re
import secrets
import struct
import zlib
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fastjango.middleware._asgi import (
    HeaderList,
    get_header,
    has_header,
    patch_vary_headers,
    remove_header,
    request_header,
    set_header,
    start_headers,
)

__all__ = [
    "GZipMiddleware",
    "acompress_sequence",
    "compress_sequence",
    "compress_string",
    "re_accepts_gzip",
]

re_accepts_gzip = re.compile(r"\bgzip\b")
_ACCEPTS_GZIP = re.compile(rb"\bgzip\b")

# Django's threshold: smaller bodies are not worth compressing.
MIN_SIZE = 200
# Compressing bodies this large inline would stall the event loop for too long.
_THREAD_MIN_SIZE = 128 * 1024
_LEVEL = 6


class _GzipStream:
    """Incremental gzip writer whose member header carries a random-length file name.

    The random name is Django's "Heal the BREACH" mitigation: it makes the
    compressed length unpredictable, so it leaks less about secrets in the body.
    """

    def __init__(self, max_random_bytes: int | None) -> None:
        self._compressor = zlib.compressobj(_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
        self._crc = 0
        self._size = 0
        # ID1 ID2, CM=deflate, FLG, MTIME=0 (reproducible output), XFL=0, OS=unknown.
        if max_random_bytes:
            name = b"a" * secrets.randbelow(max_random_bytes)
            self._header = b"\x1f\x8b\x08\x08\x00\x00\x00\x00\x00\xff" + name + b"\x00"
        else:
            self._header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"

    def compress(self, data: bytes, *, final: bool) -> bytes:
        """Return the gzip bytes for ``data``; ``final`` closes the member."""
        out = self._header + self._compressor.compress(data)
        self._header = b""
        self._crc = zlib.crc32(data, self._crc)
        self._size += len(data)
        if final:
            return out + self._compressor.flush() + struct.pack("<II", self._crc, self._size)
        # A sync flush lets the client decode each chunk of a stream as it arrives.
        return out + self._compressor.flush(zlib.Z_SYNC_FLUSH)


def compress_string(s: bytes, *, max_random_bytes: int | None = None) -> bytes:
    """Return ``s`` gzip-compressed."""
    return _GzipStream(max_random_bytes).compress(s, final=True)


def compress_sequence(
    sequence: Iterable[bytes], *, max_random_bytes: int | None = None
) -> Iterator[bytes]:
    """Yield the gzip stream of ``sequence``, one flushed chunk per item."""
    stream = _GzipStream(max_random_bytes)
    for item in sequence:
        yield stream.compress(item, final=False)
    yield stream.compress(b"", final=True)


async def acompress_sequence(
    sequence: AsyncIterable[bytes], *, max_random_bytes: int | None = None
) -> AsyncIterator[bytes]:
    """Asynchronously yield the gzip stream of ``sequence``, one flushed chunk per item."""
    stream = _GzipStream(max_random_bytes)
    async for item in sequence:
        yield stream.compress(item, final=False)
    yield stream.compress(b"", final=True)


class GZipMiddleware:
    """Compress response bodies with gzip when the client accepts it.

    As in Django: bodies under 200 bytes, responses that already have a
    ``Content-Encoding`` and compressed bodies that would not be shorter are
    sent as they are; ``Vary: Accept-Encoding`` is added to the rest; a strong
    ETag is made weak. A streaming response (more than one body message) is
    compressed as a stream, chunk by chunk, without buffering. Partial
    responses (206, or a ``Content-Range``) are never compressed, because the
    range refers to the uncompressed bytes.
    """

    max_random_bytes = 100

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        accept = request_header(scope, b"accept-encoding")
        accepts = accept is not None and _ACCEPTS_GZIP.search(accept) is not None
        responder = _GZipResponder(send, accepts, self.max_random_bytes)
        await self.app(scope, receive, responder.send)


class _GZipResponder:
    """Per-request state: hold the start message until the first body shows what to do."""

    __slots__ = ("_send", "accepts", "max_random_bytes", "passthrough", "start", "stream")

    def __init__(self, send: Send, accepts: bool, max_random_bytes: int) -> None:
        self._send = send
        self.accepts = accepts
        self.max_random_bytes = max_random_bytes
        self.start: Message | None = None
        self.passthrough = False
        self.stream: _GzipStream | None = None

    async def send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            headers = message.get("headers", ())
            if (
                message["status"] == 206
                or has_header(headers, b"content-encoding")
                or has_header(headers, b"content-range")
            ):
                self.passthrough = True
                await self._send(message)
            else:
                self.start = message
            return
        if kind != "http.response.body" or self.passthrough:
            await self._flush_start()
            await self._send(message)
            return
        body: bytes = message.get("body", b"")
        more_body: bool = message.get("more_body", False)
        if self.stream is not None:
            message["body"] = self.stream.compress(body, final=not more_body)
            await self._send(message)
            return
        start = self.start
        if start is None:  # a body without a start: let the server report it
            await self._send(message)
            return
        self.start = None
        if more_body:
            await self._start_stream(start, message, body)
        elif len(body) >= MIN_SIZE:
            await self._compress_whole(start, message, body)
        else:
            await self._send(start)
            await self._send(message)

    async def _flush_start(self) -> None:
        if self.start is not None:
            start, self.start = self.start, None
            self.passthrough = True
            await self._send(start)

    async def _compress_whole(self, start: Message, message: Message, body: bytes) -> None:
        headers = start_headers(start)
        patch_vary_headers(headers, ("Accept-Encoding",))
        if self.accepts:
            compress = functools.partial(compress_string, max_random_bytes=self.max_random_bytes)
            if len(body) >= _THREAD_MIN_SIZE:
                compressed = await anyio.to_thread.run_sync(compress, body)
            else:
                compressed = compress(body)
            if len(compressed) < len(body):
                set_header(headers, b"content-length", str(len(compressed)).encode("latin-1"))
                _mark_gzipped(headers)
                message["body"] = compressed
        await self._send(start)
        await self._send(message)

    async def _start_stream(self, start: Message, message: Message, body: bytes) -> None:
        headers = start_headers(start)
        patch_vary_headers(headers, ("Accept-Encoding",))
        if self.accepts:
            # The compressed length is unknown until the stream ends.
            remove_header(headers, b"content-length")
            _mark_gzipped(headers)
            self.stream = _GzipStream(self.max_random_bytes)
            message["body"] = self.stream.compress(body, final=False)
        else:
            self.passthrough = True
        await self._send(start)
        await self._send(message)


def _mark_gzipped(headers: HeaderList) -> None:
    # A strong ETag promises byte-identical bodies, which the compressed one is not.
    etag = get_header(headers, b"etag")
    if etag is not None and etag.startswith(b'"'):
        set_header(headers, b"etag", b"W/" + etag)
    set_header(headers, b"content-encoding", b"gzip")
