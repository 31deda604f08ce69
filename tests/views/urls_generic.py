"""A urlconf for the generic view, decorator and shortcut tests."""

from __future__ import annotations

from typing import Any

from fastjango.http import HttpRequest, HttpResponse
from fastjango.urls import path


def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse(f"article {pk}")


def article_list(request: HttpRequest, *args: Any) -> HttpResponse:
    return HttpResponse("articles")


urlpatterns = [
    path("articles/", article_list, name="article-list"),
    path("articles/<int:pk>/", article_detail, name="article-detail"),
]
