"""Views that read and write the database, sync and async, for the test tools' tests."""

from __future__ import annotations

from fastjango.db import transaction
from fastjango.http import HttpRequest, HttpResponse
from fastjango.urls import path
from fastjango.views import View

from .models import Person


def count(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(Person.objects.count()))


async def acount(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(await Person.objects.acount()))


def create(request: HttpRequest, name: str) -> HttpResponse:
    Person.objects.create(name=name)
    if name.startswith("fail"):
        raise ValueError(f"failing after creating {name}")
    return HttpResponse(str(transaction.get_connection().in_atomic_block))


async def acreate(request: HttpRequest, name: str) -> HttpResponse:
    await Person.objects.acreate(name=name)
    if name.startswith("fail"):
        raise ValueError(f"failing after creating {name}")
    return HttpResponse(str(transaction.get_connection().in_atomic_block))


@transaction.non_atomic_requests
def create_outside(request: HttpRequest, name: str) -> HttpResponse:
    return create(request, name)


class CreateView(View):
    async def get(self, request: HttpRequest, name: str) -> HttpResponse:
        return await acreate(request, name)


urlpatterns = [
    path("count/", count),
    path("acount/", acount),
    path("create/<str:name>/", create),
    path("acreate/<str:name>/", acreate),
    path("outside/<str:name>/", create_outside),
    path("cbv/<str:name>/", CreateView.as_view()),
]
