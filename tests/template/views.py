"""Views and URLs rendering templates, for the end-to-end template tests."""

from __future__ import annotations

from typing import Any

from fastjango.shortcuts import render
from fastjango.template.response import TemplateResponse
from fastjango.urls import path


def hello(request: Any) -> Any:
    return render(request, "hello.html", {"name": request.GET.get("name", "you")})


async def child(request: Any) -> Any:
    return TemplateResponse(request, "child.html", {"items": ["x", "y"]})


def with_request(request: Any) -> Any:
    return TemplateResponse(request, "request.html", {"extra": "view"})


urlpatterns = [
    path("hello/", hello, name="hello"),
    path("child/", child, name="child"),
    path("request/", with_request, name="request"),
]
