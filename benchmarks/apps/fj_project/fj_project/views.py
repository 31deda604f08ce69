"""Django-style views, sync and async."""

from __future__ import annotations

import time

from benchmarks.apps.data import JSON_MESSAGE, ROWS
from fastjango.http import HttpRequest, HttpResponse, JsonResponse
from fastjango.shortcuts import render
from fastjango.views.decorators.cache import cache_page


def json_view(request: HttpRequest) -> JsonResponse:
    return JsonResponse(JSON_MESSAGE)


async def json_async(request: HttpRequest) -> JsonResponse:
    return JsonResponse(JSON_MESSAGE)


def html_view(request: HttpRequest) -> HttpResponse:
    return render(request, "rows.html", {"rows": ROWS})


async def html_async(request: HttpRequest) -> HttpResponse:
    return render(request, "rows.html", {"rows": ROWS})


def _compute(milliseconds: float) -> str:
    # Burn this thread's CPU for the given time: the stand-in for an expensive page.
    deadline = time.thread_time() + milliseconds / 1000
    n = 0
    while time.thread_time() < deadline:
        n += 1
    return "computed"


def slow_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_compute(20))


slow_cached_locmem = cache_page(60)(slow_view)
slow_cached_redis = cache_page(60, cache="redis", key_prefix="bench")(slow_view)
