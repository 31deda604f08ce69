"""URLs for the end-to-end cache middleware test."""

from __future__ import annotations

from typing import Any

from fastjango.http import HttpResponse
from fastjango.urls import path
from fastjango.views.decorators.cache import cache_page

CALLS: list[str] = []


def site(request: Any) -> HttpResponse:
    CALLS.append("site")
    return HttpResponse(f"site {len(CALLS)}")


@cache_page(60)
def decorated_sync(request: Any) -> HttpResponse:
    CALLS.append("sync")
    return HttpResponse(f"sync {len(CALLS)}")


@cache_page(60, key_prefix="async")
async def decorated_async(request: Any) -> HttpResponse:
    CALLS.append("async")
    return HttpResponse(f"async {len(CALLS)}")


urlpatterns = [
    path("site/", site),
    path("decorated-sync/", decorated_sync),
    path("decorated-async/", decorated_async),
]
