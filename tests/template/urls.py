"""URLs reversed by the template tests' ``url()`` global."""

from __future__ import annotations

from typing import Any

from fastjango.urls import path


def item(request: Any, pk: int) -> None:
    raise AssertionError("never called")


def items(request: Any) -> None:
    raise AssertionError("never called")


urlpatterns = [
    path("items/", items, name="items"),
    path("items/<int:pk>/", item, name="item"),
]
