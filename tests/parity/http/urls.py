"""Views written as the "Request and response objects" page writes them."""

from __future__ import annotations

import csv
from typing import Any

from fastjango.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from fastjango.urls import path


def describe(request: HttpRequest, band: str) -> JsonResponse:
    return JsonResponse(
        {
            "scheme": request.scheme,
            "method": request.method,
            "path": request.path,
            "path_info": request.path_info,
            "full_path": request.get_full_path(),
            "full_path_info": request.get_full_path_info(),
            "host": request.get_host(),
            "port": request.get_port(),
            "absolute": request.build_absolute_uri(),
            "absolute_bands": request.build_absolute_uri("/bands/"),
            "absolute_other": request.build_absolute_uri("https://example2.com/bands/"),
            "absolute_relative": request.build_absolute_uri("../x/"),
            "secure": request.is_secure(),
            "GET": dict(request.GET.lists()),
            "content_type": request.content_type,
            "content_params": request.content_params,
            "user_agent": request.headers.get("user-agent"),
            "meta_user_agent": request.META.get("HTTP_USER_AGENT"),
            "remote_addr": request.META.get("REMOTE_ADDR"),
            "query_string": request.META.get("QUERY_STRING"),
            "url_name": request.resolver_match.url_name,
        }
    )


def form(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "POST": dict(request.POST.lists()),
            "FILES": {
                name: [(f.name, f.size, f.read().decode()) for f in files]
                for name, files in request.FILES.lists()
            },
        }
    )


def raw(request: HttpRequest) -> HttpResponse:
    lines = list(request)
    return JsonResponse({"lines": [line.decode() for line in lines]})


def set_name(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("set")
    response.set_signed_cookie("name", "Tony")
    response.set_signed_cookie("salted", "Tony", salt="name-salt")
    return response


def read_name(request: HttpRequest) -> HttpResponse:
    values: dict[str, Any] = {
        "name": request.get_signed_cookie("name", None),
        "salted": request.get_signed_cookie("salted", None, salt="name-salt"),
        "wrong_salt": request.get_signed_cookie("salted", None),
        "missing": request.get_signed_cookie("nonexistent-cookie", False),
    }
    return JsonResponse(values)


class Echo:
    """An object that implements just the write method of the file-like interface."""

    def write(self, value: str) -> str:
        return value


def some_streaming_csv_view(request: HttpRequest) -> StreamingHttpResponse:
    rows = ([f"Row {idx}", str(idx)] for idx in range(3))
    pseudo_buffer = Echo()
    writer = csv.writer(pseudo_buffer)
    return StreamingHttpResponse(
        (writer.writerow(row) for row in rows),
        content_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="somefilename.csv"'},
    )


async def async_stream(request: HttpRequest) -> StreamingHttpResponse:
    async def chunks() -> Any:
        for word in ("a", "b", "c"):
            yield word

    return StreamingHttpResponse(chunks())


def download(request: HttpRequest) -> FileResponse:
    return FileResponse(open(request.GET["path"], "rb"), as_attachment=True, filename="report.pdf")


urlpatterns = [
    path("music/bands/<slug:band>/", describe, name="describe"),
    path("form/", form),
    path("raw/", raw),
    path("set-name/", set_name),
    path("read-name/", read_name),
    path("csv/", some_streaming_csv_view),
    path("astream/", async_stream),
    path("download/", download),
]
