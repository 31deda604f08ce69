"""Views for the built-in middleware parity tests."""

from __future__ import annotations

from collections.abc import Iterator

from fastjango.http import HttpRequest, HttpResponse, StreamingHttpResponse
from fastjango.urls import path


def page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<p>" + "page " * 100 + "</p>")


def small(request: HttpRequest) -> HttpResponse:
    return HttpResponse("small")


def with_etag(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("x" * 300)
    response["ETag"] = '"v1"'
    return response


def with_headers(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("own headers")
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Content-Type-Options"] = "custom"
    return response


def stream(request: HttpRequest) -> StreamingHttpResponse:
    def chunks() -> Iterator[bytes]:
        for _ in range(50):
            yield b"chunk of streamed text "

    return StreamingHttpResponse(chunks())


def echo_host(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"{request.get_host()} {request.scheme}")


urlpatterns = [
    path("page/", page),
    path("small/", small),
    path("etag/", with_etag),
    path("own/", with_headers),
    path("stream/", stream),
    path("host/", echo_host),
    path("exempt/page/", page),
]
