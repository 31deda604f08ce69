"""Views that answer with what they were called with, so tests can see the arguments."""

from __future__ import annotations

from typing import Any

from fastjango.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from fastjango.shortcuts import render
from fastjango.urls import reverse
from fastjango.views.generic import View


def show(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Echo the view's arguments, e.g. ``args=() kwargs={'year': 2003}``."""
    items = ", ".join(f"{key}={value!r}" for key, value in sorted(kwargs.items()))
    return HttpResponse(f"{request.resolver_match.view_name} args={args!r} kwargs={{{items}}}")


def special_case_2003(request: HttpRequest) -> HttpResponse:
    return show(request)


def year_archive(request: HttpRequest, year: int, **extra: Any) -> HttpResponse:
    return show(request, year=year, **extra)


def month_archive(request: HttpRequest, year: int, month: int) -> HttpResponse:
    return show(request, year=year, month=month)


def article_detail(request: HttpRequest, year: int, month: int, slug: str) -> HttpResponse:
    return show(request, year=year, month=month, slug=slug)


def page(request: HttpRequest, num: int = 1) -> HttpResponse:
    return show(request, num=num)


def redirect_to_year(request: HttpRequest) -> HttpResponseRedirect:
    year = 2006
    return HttpResponseRedirect(reverse("news-year-archive", args=(year,)))


def polls_index(request: HttpRequest) -> HttpResponse:
    # The docs' way to stay inside the current instance namespace.
    detail = reverse("polls:detail", args=[1], current_app=request.resolver_match.namespace)
    rendered = render(request, "parity/polls_links.html")
    return HttpResponse(f"{detail} {rendered.content.decode().strip()}")


def my_custom_page_not_found_view(request: HttpRequest, exception: Exception) -> HttpResponse:
    return HttpResponse(f"custom 404 for {request.path}: {exception}", status=404)


def my_custom_error_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("custom 500", status=500)


def my_custom_permission_denied_view(request: HttpRequest, exception: Exception) -> HttpResponse:
    return HttpResponse("custom 403", status=403)


def my_custom_bad_request_view(request: HttpRequest, exception: Exception) -> HttpResponse:
    return HttpResponse("custom 400", status=400)


def missing(request: HttpRequest) -> HttpResponse:
    raise Http404("Question does not exist")


class ShowView(View):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return show(request, *args, **kwargs)
