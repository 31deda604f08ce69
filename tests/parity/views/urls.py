"""The views of "Writing views", "Class-based views", "View decorators" and the shortcuts."""

from __future__ import annotations

import asyncio
import datetime
from typing import Any

from fastjango.core.exceptions import PermissionDenied
from fastjango.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotFound,
)
from fastjango.shortcuts import redirect, render
from fastjango.urls import path
from fastjango.utils.decorators import method_decorator
from fastjango.views.decorators.clickjacking import (
    xframe_options_deny,
    xframe_options_exempt,
    xframe_options_sameorigin,
)
from fastjango.views.decorators.common import no_append_slash
from fastjango.views.decorators.gzip import gzip_page
from fastjango.views.decorators.http import (
    condition,
    etag,
    last_modified,
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)
from fastjango.views.generic import RedirectView, TemplateView, View

LAST_CHANGE = datetime.datetime(2024, 1, 2, 3, 4, 5)


def current_datetime(request: HttpRequest) -> HttpResponse:
    now = datetime.datetime(2024, 1, 1, 12, 0)
    html = '<html lang="en"><body>It is now %s.</body></html>' % now  # noqa: UP031
    return HttpResponse(html)


async def async_current_datetime(request: HttpRequest) -> HttpResponse:
    now = datetime.datetime(2024, 1, 1, 12, 0)
    html = '<html lang="en"><body>It is now %s.</body></html>' % now  # noqa: UP031
    return HttpResponse(html)


def my_view(request: HttpRequest) -> HttpResponse:
    if request.GET.get("foo"):
        return HttpResponseNotFound("<h1>Page not found</h1>")
    return HttpResponse("<h1>Page was found</h1>")


def created(request: HttpRequest) -> HttpResponse:
    # Return a "created" (201) response code.
    return HttpResponse(status=201)


def detail(request: HttpRequest, poll_id: int) -> HttpResponse:
    polls = {1: "What's up?"}
    try:
        poll = polls[poll_id]
    except KeyError:
        raise Http404("Poll does not exist") from None
    return render(request, "parity/poll.html", {"poll": poll})


def permission_denied_view(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def response_error_handler(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return HttpResponse("Error handler content", status=403)


def returns_none(request: HttpRequest) -> Any:
    return None


async def returns_coroutine(request: HttpRequest) -> Any:
    return current_datetime_async_unawaited(request)


async def current_datetime_async_unawaited(request: HttpRequest) -> HttpResponse:
    return HttpResponse("never")


class MyView(View):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponse("Hello, World!")


class AsyncView(View):
    async def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        await asyncio.sleep(0)
        return HttpResponse("Hello async world!")


class GreetingView(View):
    greeting = "Good Day"

    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse(self.greeting)


class MorningGreetingView(GreetingView):
    greeting = "Morning to ya"


class HomePageView(TemplateView):
    template_name = "parity/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["latest_articles"] = ["first", "second"]
        return context


class ArticleCounterRedirectView(RedirectView):
    permanent = False
    query_string = True
    pattern_name = "article-detail"

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str | None:
        COUNTERS[kwargs["pk"]] = COUNTERS.get(kwargs["pk"], 0) + 1
        return super().get_redirect_url(*args, **kwargs)


COUNTERS: dict[int, int] = {}


@method_decorator(xframe_options_sameorigin, name="dispatch")
class ProtectedView(TemplateView):
    template_name = "parity/home.html"


@require_http_methods(["GET", "POST"])
def get_or_post(request: HttpRequest) -> HttpResponse:
    return HttpResponse(request.method)


@require_GET
def only_get(request: HttpRequest) -> HttpResponse:
    return HttpResponse("get")


@require_POST
async def only_post(request: HttpRequest) -> HttpResponse:
    return HttpResponse("post")


@require_safe
def safe_only(request: HttpRequest) -> HttpResponse:
    return HttpResponse("safe")


def latest_entry(request: HttpRequest, blog_id: int) -> datetime.datetime:
    return LAST_CHANGE


def entry_etag(request: HttpRequest, blog_id: int) -> str:
    return f"blog-{blog_id}-v1"


@condition(etag_func=entry_etag, last_modified_func=latest_entry)
def front_page(request: HttpRequest, blog_id: int) -> HttpResponse:
    return HttpResponse(f"front page of {blog_id}")


@etag(entry_etag)
def etag_only(request: HttpRequest, blog_id: int) -> HttpResponse:
    return HttpResponse(f"{request.method} {blog_id}")


@last_modified(latest_entry)
async def modified_only(request: HttpRequest, blog_id: int) -> HttpResponse:
    return HttpResponse("modified")


@gzip_page
def big_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("x" * 1000)


@xframe_options_deny
def deny(request: HttpRequest) -> HttpResponse:
    return HttpResponse("deny")


@xframe_options_exempt
def exempt(request: HttpRequest) -> HttpResponse:
    return HttpResponse("exempt")


@no_append_slash
def sensitive(request: HttpRequest) -> HttpResponse:
    return HttpResponse("sensitive")


@no_append_slash
async def async_sensitive(request: HttpRequest) -> HttpResponse:
    return HttpResponse("async sensitive")


def normal(request: HttpRequest) -> HttpResponse:
    return HttpResponse("normal")


def render_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "parity/index.html",
        {"foo": "bar"},
        content_type="application/xhtml+xml",
        status=203,
    )


def render_list(request: HttpRequest) -> HttpResponse:
    return render(request, ["parity/missing.html", "parity/index.html"], {"foo": "list"})


class Article:
    def __init__(self, pk: int) -> None:
        self.pk = pk

    def get_absolute_url(self) -> str:
        return f"/details/{self.pk}/"


def redirect_object(request: HttpRequest) -> HttpResponse:
    return redirect(Article(7))


def redirect_name(request: HttpRequest) -> HttpResponse:
    return redirect("article-detail", pk=8)


def redirect_url(request: HttpRequest) -> HttpResponse:
    return redirect("/some/url/")


def redirect_absolute(request: HttpRequest) -> HttpResponse:
    return redirect("https://example.com/", permanent=True)


def redirect_preserving(request: HttpRequest) -> HttpResponse:
    return redirect("/some/url/", preserve_request=True)


urlpatterns = [
    path("now/", current_datetime),
    path("async-now/", async_current_datetime),
    path("my-view/", my_view),
    path("created/", created),
    path("polls/<int:poll_id>/", detail),
    path("403/", permission_denied_view),
    path("none/", returns_none),
    path("coroutine/", returns_coroutine),
    path("mine/", MyView.as_view(), name="my-view"),
    path("async-cbv/", AsyncView.as_view()),
    path("greeting/", GreetingView.as_view()),
    path("morning/", MorningGreetingView.as_view()),
    path("evening/", GreetingView.as_view(greeting="G'evening")),
    path("about/", TemplateView.as_view(template_name="parity/about.html")),
    path("home/<int:pk>/", HomePageView.as_view()),
    path("protected/", ProtectedView.as_view()),
    path("counter/<int:pk>/", ArticleCounterRedirectView.as_view(), name="article-counter"),
    path("details/<int:pk>/", MyView.as_view(), name="article-detail"),
    path(
        "go-to-django/",
        RedirectView.as_view(url="https://www.djangoproject.com/"),
        name="go-to-django",
    ),
    path("go/<int:pk>/", RedirectView.as_view(url="/details/%(pk)s/?off=100%%")),
    path("gone/", RedirectView.as_view()),
    path("permanent/", RedirectView.as_view(url="/x/", permanent=True)),
    path("get-or-post/", get_or_post),
    path("only-get/", only_get),
    path("only-post/", only_post),
    path("safe/", safe_only),
    path("blog/<int:blog_id>/", front_page),
    path("etag/<int:blog_id>/", etag_only),
    path("modified/<int:blog_id>/", modified_only),
    path("big/", big_page),
    path("deny/", deny),
    path("exempt/", exempt),
    path("sensitive/", sensitive),
    path("async-sensitive/", async_sensitive),
    path("normal/", normal),
    path("render/", render_view),
    path("render-list/", render_list),
    path("redirect-object/", redirect_object),
    path("redirect-name/", redirect_name),
    path("redirect-url/", redirect_url),
    path("redirect-absolute/", redirect_absolute),
    path("redirect-preserving/", redirect_preserving),
]

handler403 = response_error_handler
