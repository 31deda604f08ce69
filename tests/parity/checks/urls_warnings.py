"""A URLconf with every slip Django's URL checks warn about."""

from __future__ import annotations

from fastjango.http import HttpRequest, HttpResponse
from fastjango.urls import include, path, re_path


def view(request: HttpRequest) -> HttpResponse:  # pragma: no cover - never requested
    return HttpResponse()


polls = ([path("", view, name="index")], "polls")

urlpatterns = [
    path("/leading-slash/", view),
    path("^regex-route/$", view),
    path("(?P<year>[0-9]+)/", view),
    re_path(r"^included$", include([path("x/", view)])),
    path("colon/", view, name="app:name"),
    path("a/", include(polls, namespace="polls")),
    path("b/", include(polls, namespace="polls")),
    path("fine/", include([path("nested/", view)])),
    re_path(r"^\/escaped/$", view),
]
