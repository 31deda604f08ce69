from __future__ import annotations

import inspect
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.http import HttpRequest, HttpResponse
from fastjango.template.response import TemplateResponse
from fastjango.test.utils import override_settings
from fastjango.views import View
from fastjango.views.generic import GenericViewError, RedirectView, TemplateView
from fastjango.views.generic.base import ContextMixin, TemplateResponseMixin
from tests.http.asgi import make_scope

JINJA2 = "fastjango.template.backends.jinja2.Jinja2"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def templates(tmp_path: Path) -> Iterator[Path]:
    with override_settings(TEMPLATES=[{"BACKEND": JINJA2, "DIRS": [str(tmp_path)]}]):
        yield tmp_path


def req(method: str = "GET", path: str = "/", query_string: bytes = b"") -> HttpRequest:
    return HttpRequest(make_scope(method=method, path=path, query_string=query_string))


class Simple(View):
    greeting = "hello"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponse(f"{self.greeting} {args} {sorted(kwargs.items())}")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponse("posted")


class AsyncSimple(View):
    async def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponse("async get")


def test_dispatch_to_handlers() -> None:
    view = Simple.as_view()
    assert not inspect.iscoroutinefunction(view)
    assert view(req(), 1, pk=2).content == b"hello (1,) [('pk', 2)]"
    assert view(req("POST")).content == b"posted"
    # HEAD falls back to GET.
    assert view(req("HEAD")).content.startswith(b"hello")
    assert Simple.as_view(greeting="hi")(req()).content.startswith(b"hi")


def test_view_function_attributes() -> None:
    def marked(self: Any, request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    class Marked(Simple):
        """The docstring."""

        def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            return super().dispatch(request, *args, **kwargs)

    Marked.dispatch.csrf_exempt = True  # type: ignore[attr-defined]
    view = Marked.as_view(greeting="x")
    assert view.view_class is Marked
    assert view.view_initkwargs == {"greeting": "x"}
    assert view.__doc__ == "The docstring."
    assert view.__module__ == __name__
    assert view.csrf_exempt is True
    assert list(inspect.signature(view).parameters)[0] == "request"


def test_as_view_validates_init_kwargs() -> None:
    with pytest.raises(
        TypeError,
        match="The method name get is not accepted as a keyword argument to Simple",
    ):
        Simple.as_view(get=None)
    with pytest.raises(
        TypeError,
        match=(
            r"Simple\(\) received an invalid keyword 'nope'. as_view only accepts arguments "
            "that are already attributes of the class."
        ),
    ):
        Simple.as_view(nope=1)
    with pytest.raises(AttributeError, match="only on the class, not on instances"):
        Simple().as_view()


def test_setup_must_call_super() -> None:
    class Forgetful(Simple):
        def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
            pass

    with pytest.raises(AttributeError, match="Did you override setup\\(\\) and forget"):
        Forgetful.as_view()(req())


def test_setup_sets_request_args_kwargs() -> None:
    view = Simple()
    request = req()
    view.setup(request, 1, a=2)
    assert (view.request, view.args, view.kwargs) == (request, (1,), {"a": 2})
    assert view.head == view.get


def test_method_not_allowed(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="fastjango.request"):
        response = Simple.as_view()(req("DELETE", path="/x/"))
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST, HEAD, OPTIONS"
    assert "Method Not Allowed (DELETE): /x/" in caplog.text
    assert Simple.as_view()(req("BREW")).status_code == 405


def test_options() -> None:
    response = Simple.as_view()(req("OPTIONS"))
    assert response.status_code == 200
    assert response["Allow"] == "GET, POST, HEAD, OPTIONS"
    assert response["Content-Length"] == "0"


def test_view_is_async() -> None:
    assert not Simple.view_is_async
    assert AsyncSimple.view_is_async
    assert not View.view_is_async

    class Mixed(View):
        def get(self, request: HttpRequest) -> HttpResponse:
            return HttpResponse()

        async def post(self, request: HttpRequest) -> HttpResponse:
            return HttpResponse()

    with pytest.raises(
        ImproperlyConfigured, match="Mixed HTTP handlers must either be all sync or all async."
    ):
        Mixed.view_is_async  # noqa: B018
    with pytest.raises(ImproperlyConfigured):
        Mixed.as_view()


@pytest.mark.anyio
async def test_async_views() -> None:
    view = AsyncSimple.as_view()
    assert inspect.iscoroutinefunction(view)
    assert (await view(req())).content == b"async get"
    not_allowed = await view(req("POST"))
    assert not_allowed.status_code == 405
    assert not_allowed["Allow"] == "GET, HEAD, OPTIONS"
    options = await view(req("OPTIONS"))
    assert options["Allow"] == "GET, HEAD, OPTIONS"

    class ShortCircuit(AsyncSimple):
        def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if request.GET.get("deny"):
                return HttpResponse("denied", status=403)
            return super().dispatch(request, *args, **kwargs)

    view = ShortCircuit.as_view()
    assert (await view(req(query_string=b"deny=1"))).status_code == 403
    assert (await view(req())).content == b"async get"


def test_context_mixin() -> None:
    mixin = ContextMixin()
    assert mixin.get_context_data(a=1) == {"a": 1, "view": mixin}
    mixin.extra_context = {"b": 2, "view": "overridden"}
    assert mixin.get_context_data() == {"b": 2, "view": "overridden"}


def test_template_view_renders(templates: Path) -> None:
    (templates / "page.html").write_text("{{ title }} {{ pk }} {{ view.__class__.__name__ }}")

    class Page(TemplateView):
        template_name = "page.html"
        extra_context = {"title": "Hello"}

    response = Page.as_view()(req(), pk=7)
    assert isinstance(response, TemplateResponse)
    assert response.template_name == ["page.html"]
    assert response.context_data["pk"] == 7
    assert response.render().content == b"Hello 7 Page"

    (templates / "plain.html").write_text("{{ title }} {{ view.__class__.__name__ }}")
    response = TemplateView.as_view(
        template_name="plain.html", content_type="text/plain", extra_context={"title": "T"}
    )(req())
    assert response["Content-Type"] == "text/plain"
    assert response.render().content == b"T TemplateView"


def test_template_response_mixin_needs_a_template_name() -> None:
    with pytest.raises(
        ImproperlyConfigured, match="requires either a definition of 'template_name'"
    ):
        TemplateView.as_view()(req())
    assert TemplateResponseMixin.response_class is TemplateResponse

    class Custom(TemplateResponseMixin):
        response_class = dict

    mixin = Custom()
    mixin.request = req()
    mixin.template_name = "x.html"
    assert mixin.render_to_response({"a": 1}, status=201) == {
        "request": mixin.request,
        "template": ["x.html"],
        "context": {"a": 1},
        "using": None,
        "content_type": None,
        "status": 201,
    }


def test_redirect_view_to_url() -> None:
    response = RedirectView.as_view(url="/new/%(slug)s/")(req(), slug="abc")
    assert (response.status_code, response.url) == (302, "/new/abc/")
    response = RedirectView.as_view(url="/new/", permanent=True)(req())
    assert response.status_code == 301
    with_query = RedirectView.as_view(url="/new/", query_string=True)
    assert with_query(req(query_string=b"a=1&b=2")).url == "/new/?a=1&b=2"
    assert with_query(req()).url == "/new/"
    assert RedirectView.as_view(url="/new/")(req(query_string=b"a=1")).url == "/new/"
    for method in ("HEAD", "POST", "OPTIONS", "DELETE", "PUT", "PATCH"):
        assert RedirectView.as_view(url="/new/")(req(method)).status_code == 302


@override_settings(ROOT_URLCONF="tests.views.urls_generic")
def test_redirect_view_to_pattern_name() -> None:
    view = RedirectView.as_view(pattern_name="article-detail")
    assert view(req(), pk=3).url == "/articles/3/"
    assert RedirectView.as_view(pattern_name="article-list")(req()).url == "/articles/"


def test_redirect_view_gone(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="fastjango.request"):
        response = RedirectView.as_view()(req(path="/old/"))
    assert response.status_code == 410
    assert "Gone: /old/" in caplog.text


def test_public_names() -> None:
    import fastjango.views.generic as generic

    assert generic.View is View
    assert issubclass(GenericViewError, Exception)
