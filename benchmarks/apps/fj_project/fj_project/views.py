"""Django-style views, sync and async."""

from __future__ import annotations

from fastjango.shortcuts import render

from benchmarks.apps.data import JSON_MESSAGE, ROWS
from fastjango.http import HttpRequest, HttpResponse, JsonResponse


def json_view(request: HttpRequest) -> JsonResponse:
    return JsonResponse(JSON_MESSAGE)


async def json_async(request: HttpRequest) -> JsonResponse:
    return JsonResponse(JSON_MESSAGE)


def html_view(request: HttpRequest) -> HttpResponse:
    return render(request, "rows.html", {"rows": ROWS})


async def html_async(request: HttpRequest) -> HttpResponse:
    return render(request, "rows.html", {"rows": ROWS})
