from __future__ import annotations

import gzip
from collections.abc import AsyncIterator
from typing import Any

import pytest

from fastjango.http import HttpRequest, HttpResponse, StreamingHttpResponse
from fastjango.views.decorators.gzip import gzip_page

pytestmark = pytest.mark.anyio

TEXT = b"The quick brown fox jumps over the lazy dog. " * 20


def request(accept_encoding: str | None = "gzip, deflate") -> HttpRequest:
    req = HttpRequest()
    if accept_encoding is not None:
        req.META["HTTP_ACCEPT_ENCODING"] = accept_encoding
    return req


def test_compresses_content() -> None:
    @gzip_page
    def view(req: HttpRequest) -> HttpResponse:
        """Kept."""
        response = HttpResponse(TEXT)
        response["ETag"] = '"v1"'
        return response

    response = view(request())
    assert view.__doc__ == "Kept."
    assert response["Content-Encoding"] == "gzip"
    assert response["Vary"] == "Accept-Encoding"
    assert response["ETag"] == 'W/"v1"'
    assert response["Content-Length"] == str(len(response.content))
    assert gzip.decompress(response.content) == TEXT


def test_client_without_gzip() -> None:
    response = gzip_page(lambda req: HttpResponse(TEXT))(request("br"))
    assert not response.has_header("Content-Encoding")
    assert response["Vary"] == "Accept-Encoding"
    assert response.content == TEXT
    assert gzip_page(lambda req: HttpResponse(TEXT))(request(None)).content == TEXT


@pytest.mark.parametrize(
    "make",
    [
        lambda: HttpResponse(b"short"),
        lambda: HttpResponse(TEXT, headers={"Content-Encoding": "br"}),
        lambda: HttpResponse(TEXT, status=206),
        lambda: HttpResponse(TEXT, headers={"Content-Range": "bytes 0-9/99"}),
    ],
)
def test_left_alone(make: Any) -> None:
    response = gzip_page(lambda req: make())(request())
    assert response.get("Content-Encoding") in (None, "br")
    assert not response.has_header("Vary")


def test_incompressible_content_is_left_alone() -> None:
    body = bytes(range(256))
    response = gzip_page(lambda req: HttpResponse(body))(request())
    assert response.content == body
    assert not response.has_header("Content-Encoding")


def test_streaming_response() -> None:
    @gzip_page
    def view(req: HttpRequest) -> StreamingHttpResponse:
        return StreamingHttpResponse(iter([TEXT[:100], TEXT[100:]]))

    response = view(request())
    assert response["Content-Encoding"] == "gzip"
    assert not response.has_header("Content-Length")
    assert gzip.decompress(b"".join(response.streaming_content)) == TEXT


async def test_async_view_and_async_streaming() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield TEXT[:100]
        yield TEXT[100:]

    @gzip_page
    async def view(req: HttpRequest) -> StreamingHttpResponse:
        return StreamingHttpResponse(chunks())

    response = await view(request())
    assert response["Content-Encoding"] == "gzip"
    data = b"".join([chunk async for chunk in response.streaming_content])
    assert gzip.decompress(data) == TEXT


def test_streaming_response_drops_content_length() -> None:
    @gzip_page
    def view(req: HttpRequest) -> StreamingHttpResponse:
        response = StreamingHttpResponse(iter([TEXT]))
        response["Content-Length"] = str(len(TEXT))
        return response

    response = view(request())
    assert not response.has_header("Content-Length")
    assert gzip.decompress(b"".join(response.streaming_content)) == TEXT
