"""A small URLconf with a namespace, a class-based view and a mounted ASGI app."""

from __future__ import annotations

from typing import Any

from fastjango.http import HttpResponse
from fastjango.urls import include, path, re_path
from fastjango.views.generic import View


def home(request: Any) -> HttpResponse:
    return HttpResponse("home")


def book_detail(request: Any, pk: int) -> HttpResponse:
    return HttpResponse(str(pk))


class AboutView(View):
    def get(self, request: Any) -> HttpResponse:
        return HttpResponse("about")


async def mounted_app(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


class MountedApp:
    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await mounted_app(scope, receive, send)


books = (
    [
        path("<int:pk>/", book_detail, name="book-detail"),
        re_path(r"^archive/(?P<year>[0-9]{4})/$", book_detail, name="archive"),
    ],
    "books",
)

urlpatterns = [
    path("", home, name="home"),
    path("about/", AboutView.as_view()),
    path("library/books/", include(books)),
    path("asgi/", include(MountedApp())),
]
