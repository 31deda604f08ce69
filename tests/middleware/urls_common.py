"""URLconf for the CommonMiddleware APPEND_SLASH tests."""

from __future__ import annotations

from typing import Any

from fastjango.urls import path, re_path


def view(request: Any) -> Any:
    raise AssertionError("the middleware tests never call views")


def no_slash_view(request: Any) -> Any:
    raise AssertionError("the middleware tests never call views")


# What Django's @no_append_slash sets.
no_slash_view.should_append_slash = False  # type: ignore[attr-defined]

urlpatterns = [
    path("slash/", view),
    path("noslash", view),
    path("no-append/", no_slash_view),
    re_path(r"^(.+)/security/$", view),
]
