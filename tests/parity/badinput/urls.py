"""Views that touch every part of the request, for the malformed-request tests."""

from __future__ import annotations

from fastjango.http import HttpRequest, HttpResponse, JsonResponse
from fastjango.urls import path


def echo(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "GET": request.GET.dict(),
            "POST": request.POST.dict(),
            "FILES": sorted(request.FILES),
            "COOKIES": request.COOKIES,
            "path": request.path,
            "host": request.get_host(),
        }
    )


async def async_echo(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"GET": request.GET.dict(), "POST": request.POST.dict()})


def body(request: HttpRequest) -> HttpResponse:
    return HttpResponse(request.body)


def item(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse(str(pk))


urlpatterns = [
    path("echo/", echo),
    path("async-echo/", async_echo),
    path("body/", body),
    path("item/<int:pk>/", item),
]
