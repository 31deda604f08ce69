from __future__ import annotations

from fastjango.http import HttpRequest, HttpResponse
from fastjango.urls import path


def keyerror(request: HttpRequest) -> HttpResponse:
    raise KeyError("missing")


urlpatterns = [path("keyerror/", keyerror)]
