from __future__ import annotations

import gzip
import zlib
from collections.abc import AsyncIterator

import pytest
from starlette.types import Receive, Scope, Send

from fastjango.middleware.gzip import (
    GZipMiddleware,
    acompress_sequence,
    compress_sequence,
    compress_string,
)

from ._apps import client, make_app, run_asgi, scope_for

pytestmark = pytest.mark.anyio

TEXT = b"The quick brown fox jumps over the lazy dog. " * 20
GZIP = {"Accept-Encoding": "gzip, deflate"}


def gunzip_header_name(data: bytes) -> bytes:
    """Return the FNAME field of a gzip member (b"" when there is none)."""
    assert data[:3] == b"\x1f\x8b\x08"
    if not data[3] & 0x08:
        return b""
    end = data.index(b"\x00", 10)
    return data[10:end]


async def test_compresses_when_client_accepts_gzip() -> None:
    async with client(GZipMiddleware(make_app(TEXT))) as c:
        response = await c.get("/", headers=GZIP)
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["vary"] == "Accept-Encoding"
    assert int(response.headers["content-length"]) < len(TEXT)
    assert response.content == TEXT  # httpx decodes it


async def test_raw_body_is_valid_gzip_with_random_file_name() -> None:
    names = set()
    for _ in range(20):
        messages = await run_asgi(
            GZipMiddleware(make_app(TEXT)),
            scope_for(headers=[("host", "testserver"), ("accept-encoding", "gzip")]),
        )
        body = messages[1]["body"]
        assert gzip.decompress(body) == TEXT
        names.add(gunzip_header_name(body))
        headers = dict(messages[0]["headers"])
        assert headers[b"content-length"] == str(len(body)).encode()
    assert len(names) > 1
    assert all(set(name) <= {ord("a")} and len(name) < 100 for name in names)


async def test_client_without_gzip_gets_identity_with_vary() -> None:
    async with client(GZipMiddleware(make_app(TEXT))) as c:
        response = await c.get("/", headers={"Accept-Encoding": "identity, br"})
    assert "content-encoding" not in response.headers
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.content == TEXT


async def test_gzip_is_matched_as_a_word() -> None:
    async with client(GZipMiddleware(make_app(TEXT))) as c:
        response = await c.get("/", headers={"Accept-Encoding": "xgzipx"})
    assert "content-encoding" not in response.headers


async def test_short_body_is_left_alone() -> None:
    body = b"x" * 199
    async with client(GZipMiddleware(make_app(body))) as c:
        response = await c.get("/", headers=GZIP)
    assert "content-encoding" not in response.headers
    assert "vary" not in response.headers
    assert response.content == body


async def test_incompressible_body_is_left_alone_but_varies() -> None:
    body = bytes(range(256)) * 1  # 256 bytes that do not shrink
    async with client(GZipMiddleware(make_app(body))) as c:
        response = await c.get("/", headers=GZIP)
    assert "content-encoding" not in response.headers
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.content == body


async def test_existing_content_encoding_is_left_alone() -> None:
    app = make_app(TEXT, headers=[("content-encoding", "br")])
    messages = await run_asgi(GZipMiddleware(app), scope_for(headers=[("accept-encoding", "gzip")]))
    headers = messages[0]["headers"]
    assert (b"content-encoding", b"br") in headers
    assert not any(name == b"vary" for name, _ in headers)
    assert messages[1]["body"] == TEXT


@pytest.mark.parametrize(
    ("status", "headers"), [(206, []), (200, [("content-range", "bytes 0-899/2000")])]
)
async def test_partial_responses_are_left_alone(
    status: int, headers: list[tuple[str, str]]
) -> None:
    async with client(GZipMiddleware(make_app(TEXT, status=status, headers=headers))) as c:
        response = await c.get("/", headers=GZIP)
    assert response.status_code == status
    assert "content-encoding" not in response.headers
    assert response.content == TEXT


async def test_vary_is_patched_not_duplicated() -> None:
    app = make_app(TEXT, headers=[("vary", "Cookie, accept-encoding")])
    async with client(GZipMiddleware(app)) as c:
        response = await c.get("/", headers=GZIP)
    assert response.headers.get_list("vary") == ["Cookie, accept-encoding"]

    app = make_app(TEXT, headers=[("vary", "Cookie"), ("vary", "Origin")])
    async with client(GZipMiddleware(app)) as c:
        response = await c.get("/", headers=GZIP)
    assert response.headers.get_list("vary") == ["Cookie, Origin, Accept-Encoding"]


async def test_vary_star_stays_star() -> None:
    async with client(GZipMiddleware(make_app(TEXT, headers=[("vary", "*")]))) as c:
        response = await c.get("/", headers=GZIP)
    assert response.headers["vary"] == "*"


async def test_strong_etag_is_weakened() -> None:
    async with client(GZipMiddleware(make_app(TEXT, headers=[("etag", '"abc"')]))) as c:
        response = await c.get("/", headers=GZIP)
    assert response.headers["etag"] == 'W/"abc"'


async def test_weak_etag_is_kept() -> None:
    async with client(GZipMiddleware(make_app(TEXT, headers=[("etag", 'W/"abc"')]))) as c:
        response = await c.get("/", headers=GZIP)
    assert response.headers["etag"] == 'W/"abc"'


async def test_uncompressed_response_keeps_strong_etag() -> None:
    async with client(GZipMiddleware(make_app(TEXT, headers=[("etag", '"abc"')]))) as c:
        response = await c.get("/", headers={"Accept-Encoding": "identity"})
    assert response.headers["etag"] == '"abc"'


async def test_streaming_is_compressed_chunk_by_chunk() -> None:
    chunks = [TEXT[:300], TEXT[300:600], TEXT[600:]]
    app = make_app(chunks, headers=[("etag", '"s"')])
    messages = await run_asgi(GZipMiddleware(app), scope_for(headers=[("accept-encoding", "gzip")]))
    start, *bodies = messages
    headers = dict(start["headers"])
    assert headers[b"content-encoding"] == b"gzip"
    assert headers[b"vary"] == b"Accept-Encoding"
    assert headers[b"etag"] == b'W/"s"'
    assert b"content-length" not in headers
    assert [m["more_body"] for m in bodies] == [True, True, False]
    # Each chunk is decodable as soon as it arrives.
    decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    assert decoder.decompress(bodies[0]["body"]) == chunks[0]
    assert decoder.decompress(bodies[1]["body"]) == chunks[1]
    assert decoder.decompress(bodies[2]["body"]) == chunks[2]
    assert decoder.eof
    assert gzip.decompress(b"".join(m["body"] for m in bodies)) == TEXT


async def test_short_streaming_response_is_still_compressed() -> None:
    async with client(GZipMiddleware(make_app([b"a", b"b"]))) as c:
        response = await c.get("/", headers=GZIP)
    assert response.headers["content-encoding"] == "gzip"
    assert response.content == b"ab"


async def test_streaming_without_gzip_passes_through() -> None:
    messages = await run_asgi(GZipMiddleware(make_app([b"a" * 300, b"b"])), scope_for())
    assert [m.get("body") for m in messages[1:]] == [b"a" * 300, b"b"]
    assert dict(messages[0]["headers"])[b"vary"] == b"Accept-Encoding"


async def test_large_body_is_compressed_off_the_loop() -> None:
    body = b"abcdefgh" * (40 * 1024)  # 320 KiB
    async with client(GZipMiddleware(make_app(body))) as c:
        response = await c.get("/", headers=GZIP)
    assert response.headers["content-encoding"] == "gzip"
    assert response.content == body


async def test_head_with_empty_body_is_left_alone() -> None:
    app = make_app(b"", headers=[("content-length", str(len(TEXT)))], content_length=False)
    async with client(GZipMiddleware(app)) as c:
        response = await c.head("/", headers=GZIP)
    assert response.headers["content-length"] == str(len(TEXT))
    assert "content-encoding" not in response.headers


async def test_other_messages_flush_the_held_start() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.pathsend", "path": "/tmp/x"})

    messages = await run_asgi(GZipMiddleware(app), scope_for(headers=[("accept-encoding", "gzip")]))
    assert [m["type"] for m in messages] == ["http.response.start", "http.response.pathsend"]


async def test_body_without_start_is_forwarded() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.body", "body": b"x"})

    messages = await run_asgi(GZipMiddleware(app), scope_for())
    assert messages == [{"type": "http.response.body", "body": b"x"}]


def test_compress_string_round_trips() -> None:
    assert gzip.decompress(compress_string(TEXT)) == TEXT
    assert gunzip_header_name(compress_string(TEXT)) == b""
    assert gzip.decompress(compress_string(TEXT, max_random_bytes=50)) == TEXT


def test_compress_sequence_round_trips() -> None:
    out = list(compress_sequence([b"ab", b"", b"cd"], max_random_bytes=10))
    assert gzip.decompress(b"".join(out)) == b"abcd"


async def test_acompress_sequence_round_trips() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"ab"
        yield b"cd"

    out = [chunk async for chunk in acompress_sequence(chunks())]
    assert gzip.decompress(b"".join(out)) == b"abcd"
