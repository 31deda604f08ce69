"""Django-style views, sync and async."""

from __future__ import annotations

import time

from bench.models import World

from benchmarks.apps.data import JSON_MESSAGE, PAGE
from fastjango.http import HttpRequest, HttpResponse, JsonResponse
from fastjango.shortcuts import render
from fastjango.views.decorators.cache import cache_page


def json_view(request: HttpRequest) -> JsonResponse:
    return JsonResponse(JSON_MESSAGE)


async def json_async(request: HttpRequest) -> JsonResponse:
    return JsonResponse(JSON_MESSAGE)


def db_view(request: HttpRequest) -> JsonResponse:
    rows = [world.as_dict() for world in World.objects.order_by("id")[:PAGE]]
    return JsonResponse(rows, safe=False)


async def db_async(request: HttpRequest) -> JsonResponse:
    rows = [world.as_dict() async for world in World.objects.order_by("id")[:PAGE]]
    return JsonResponse(rows, safe=False)


def html_view(request: HttpRequest) -> HttpResponse:
    rows = list(World.objects.order_by("id")[:PAGE])
    return render(request, "rows.html", {"rows": rows})


async def html_async(request: HttpRequest) -> HttpResponse:
    rows = [world async for world in World.objects.order_by("id")[:PAGE]]
    return render(request, "rows.html", {"rows": rows})


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
