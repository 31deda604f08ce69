"""A second URLconf, selected per request through ``request.urlconf``."""

from __future__ import annotations

from typing import Any

from fastjango.urls import path


def view(request: Any) -> Any:
    raise AssertionError("the middleware tests never call views")


urlpatterns = [path("other/", view)]
