"""Django's "Writing views", class-based base views, "View decorators" and shortcuts pages."""

from __future__ import annotations

import gzip
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.http import HttpRequest, HttpResponse
from fastjango.shortcuts import get_list_or_404, get_object_or_404, redirect, render, resolve_url
from fastjango.template.loader import render_to_string
from fastjango.test import Client, RequestFactory, override_settings
from fastjango.views.generic import TemplateView, View
from tests.parity.views import urls

TEMPLATE_DIR = str(Path(__file__).resolve().parent.parent / "templates")
SETTINGS = {
    "ROOT_URLCONF": "tests.parity.views.urls",
    "DEBUG": False,
    "TEMPLATES": [{"BACKEND": "fastjango.template.backends.jinja2.Jinja2", "DIRS": [TEMPLATE_DIR]}],
    "MIDDLEWARE": [
        "fastjango.middleware.common.CommonMiddleware",
        "fastjango.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
}


@pytest.fixture(autouse=True)
def configured() -> Iterator[None]:
    with override_settings(**SETTINGS):
        yield


@pytest.fixture
def client() -> Client:
    return Client(raise_request_exception=False)


# -- Writing views ---------------------------------------------------------------------------


def test_a_simple_view_sync_and_async(client: Client) -> None:
    expected = b'<html lang="en"><body>It is now 2024-01-01 12:00:00.</body></html>'
    assert client.get("/now/").content == expected
    assert client.get("/async-now/").content == expected


def test_returning_errors(client: Client) -> None:
    assert client.get("/my-view/").content == b"<h1>Page was found</h1>"
    not_found = client.get("/my-view/", {"foo": "1"})
    assert (not_found.status_code, not_found.content) == (404, b"<h1>Page not found</h1>")
    assert client.get("/created/").status_code == 201


def test_http404_uses_the_404_template(client: Client) -> None:
    assert client.get("/polls/1/").content.strip() == b"What&#39;s up?"
    response = client.get("/polls/2/")
    assert response.status_code == 404
    assert response.content.strip() == b"<h1>Not found: /polls/2/ (Poll does not exist)</h1>"


def test_http404_with_debug_shows_the_technical_page(client: Client) -> None:
    with override_settings(DEBUG=True):
        response = client.get("/polls/2/")
    assert response.status_code == 404
    assert b"Poll does not exist" in response.content


def test_customizing_error_views(client: Client) -> None:
    # The docs' example: handler403 in the root URLconf.
    response = client.get("/403/")
    assert response.status_code == 403
    assert response.content == b"Error handler content"


def test_a_view_must_return_a_response(client: Client) -> None:
    with pytest.raises(ValueError, match=r"returns_none didn't return an HttpResponse object"):
        Client().get("/none/")
    with pytest.raises(ValueError, match="unawaited coroutine"):
        Client().get("/coroutine/")
    assert client.get("/none/").status_code == 500


# -- Class-based views: View, TemplateView, RedirectView -------------------------------------


def test_view_dispatch(client: Client) -> None:
    assert client.get("/mine/").content == b"Hello, World!"
    assert client.get("/async-cbv/").content == b"Hello async world!"
    head = client.head("/mine/")
    assert head.status_code == 200 and head.content == b""
    options = client.options("/mine/")
    assert (options.status_code, options["Allow"]) == (200, "GET, HEAD, OPTIONS")
    assert options["Content-Length"] == "0"
    not_allowed = client.post("/mine/")
    assert (not_allowed.status_code, not_allowed["Allow"]) == (405, "GET, HEAD, OPTIONS")
    assert client.generic("PROPFIND", "/mine/").status_code == 405


def test_405_is_logged(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="fastjango.request"):
        client.delete("/mine/")
    assert "Method Not Allowed (DELETE): /mine/" in caplog.text


def test_class_attributes_and_as_view_arguments(client: Client) -> None:
    assert client.get("/greeting/").content == b"Good Day"
    assert client.get("/morning/").content == b"Morning to ya"
    assert client.get("/evening/").content == b"G'evening"
    with pytest.raises(TypeError, match="received an invalid keyword 'salutation'"):
        urls.GreetingView.as_view(salutation="hi")
    with pytest.raises(TypeError, match="method name get is not accepted"):
        urls.GreetingView.as_view(get="x")
    with pytest.raises(AttributeError):
        urls.GreetingView().as_view  # noqa: B018 - only callable on the class


def test_view_attributes() -> None:
    view = urls.MyView.as_view()
    assert view.view_class is urls.MyView
    assert view.view_initkwargs == {}
    assert urls.AsyncView.view_is_async is True
    assert urls.MyView.view_is_async is False
    request = RequestFactory().get("/")
    instance = urls.MyView()
    instance.setup(request, 1, a=2)
    assert (instance.request, instance.args, instance.kwargs) == (request, (1,), {"a": 2})


def test_mixing_sync_and_async_handlers_is_an_error() -> None:
    class Mixed(View):
        def get(self, request: HttpRequest) -> HttpResponse:
            return HttpResponse()

        async def post(self, request: HttpRequest) -> HttpResponse:
            return HttpResponse()

    with pytest.raises(ImproperlyConfigured, match="must either be all sync or all async"):
        Mixed.as_view()


def test_setup_must_call_super() -> None:
    class Forgetful(View):
        def setup(self, request: HttpRequest, *args: object, **kwargs: object) -> None:
            pass

        def get(self, request: HttpRequest) -> HttpResponse:
            return HttpResponse()

    with pytest.raises(AttributeError, match="Did you override setup"):
        Forgetful.as_view()(RequestFactory().get("/"))


def test_template_view(client: Client) -> None:
    assert client.get("/about/").content == b"About us"
    response = client.get("/home/5/")
    assert response.content == b"<p>HomePageView 5 first, second</p>"
    assert response.context["latest_articles"] == ["first", "second"]
    assert response.context["pk"] == 5
    assert isinstance(response.context["view"], urls.HomePageView)
    with pytest.raises(ImproperlyConfigured, match="requires either a definition of"):
        TemplateView.as_view()(RequestFactory().get("/")).render()


def test_template_view_extra_context_and_response_class() -> None:
    view = TemplateView.as_view(template_name="parity/index.html", extra_context={"foo": "xc"})
    response = view(RequestFactory().get("/"))
    assert response.template_name == ["parity/index.html"]
    assert response.context_data["foo"] == "xc"
    assert response.render().content == b"foo=xc"


def test_redirect_view(client: Client) -> None:
    response = client.get("/counter/3/", {"ref": "home"})
    assert response.status_code == 302
    assert response["Location"] == "/details/3/?ref=home"
    assert urls.COUNTERS[3] >= 1
    go = client.get("/go-to-django/")
    assert go["Location"] == "https://www.djangoproject.com/"
    # The url is %-formatted with the URL's keyword arguments; "%%" is a literal "%".
    assert client.get("/go/4/")["Location"] == "/details/4/?off=100%"
    assert client.get("/permanent/").status_code == 301
    for method in ("post", "put", "patch", "delete", "options", "head"):
        assert getattr(client, method)("/go-to-django/").status_code == 302
    assert client.get("/gone/").status_code == 410


def test_decorating_a_class_based_view(client: Client) -> None:
    assert client.get("/protected/")["X-Frame-Options"] == "SAMEORIGIN"


# -- View decorators -------------------------------------------------------------------------


def test_allowed_http_methods(client: Client) -> None:
    assert client.get("/get-or-post/").content == b"GET"
    assert client.post("/get-or-post/").content == b"POST"
    refused = client.put("/get-or-post/")
    assert (refused.status_code, refused["Allow"]) == (405, "GET, POST")
    assert client.post("/only-get/").status_code == 405
    assert client.post("/only-post/").content == b"post"
    assert client.get("/only-post/").status_code == 405
    assert client.head("/safe/").status_code == 200
    assert client.post("/safe/")["Allow"] == "GET, HEAD"


def test_conditional_view_processing(client: Client) -> None:
    response = client.get("/blog/1/")
    assert response.content == b"front page of 1"
    assert response["ETag"] == '"blog-1-v1"'
    assert response["Last-Modified"] == "Tue, 02 Jan 2024 03:04:05 GMT"
    not_modified = client.get("/blog/1/", headers={"If-None-Match": '"blog-1-v1"'})
    assert (not_modified.status_code, not_modified.content) == (304, b"")
    since = client.get("/blog/1/", headers={"If-Modified-Since": response["Last-Modified"]})
    assert since.status_code == 304
    older = client.get("/blog/1/", headers={"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"})
    assert older.status_code == 200
    # A failed If-Match on an unsafe method: 412, and the view never runs.
    mismatch = client.put("/etag/1/", headers={"If-Match": '"blog-1-v0"'})
    assert mismatch.status_code == 412
    matched = client.put("/etag/1/", headers={"If-Match": '"blog-1-v1"'})
    assert matched.content == b"PUT 1" and "ETag" not in matched
    assert client.get("/modified/1/")["Last-Modified"] == "Tue, 02 Jan 2024 03:04:05 GMT"


def test_gzip_page(client: Client) -> None:
    response = client.get("/big/", headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert response["Vary"] == "Accept-Encoding"
    assert gzip.decompress(response.content) == b"x" * 1000
    plain = client.get("/big/")
    assert "Content-Encoding" not in plain and plain.content == b"x" * 1000


def test_xframe_options_decorators(client: Client) -> None:
    assert client.get("/deny/")["X-Frame-Options"] == "DENY"
    assert "X-Frame-Options" not in client.get("/exempt/")
    assert client.get("/normal/")["X-Frame-Options"] == "DENY"


def test_no_append_slash(client: Client) -> None:
    assert client.get("/normal").status_code == 301
    assert client.get("/normal")["Location"] == "/normal/"
    assert client.get("/sensitive").status_code == 404
    assert client.get("/async-sensitive").status_code == 404
    assert client.get("/sensitive/").content == b"sensitive"
    assert client.get("/async-sensitive/").content == b"async sensitive"
    assert urls.sensitive.should_append_slash is False  # type: ignore[attr-defined]


# -- Shortcuts -------------------------------------------------------------------------------


def test_render(client: Client) -> None:
    response = client.get("/render/")
    assert (response.status_code, response.content) == (203, b"foo=bar")
    assert response["Content-Type"] == "application/xhtml+xml"
    assert client.get("/render-list/").content == b"foo=list"
    # render() is render_to_string() in an HttpResponse.
    request = RequestFactory().get("/")
    rendered = render(request, "parity/index.html", {"foo": "bar"})
    assert rendered.content.decode() == render_to_string("parity/index.html", {"foo": "bar"})
    assert render(None, "parity/index.html").content == b"foo="


def test_redirect(client: Client) -> None:
    assert client.get("/redirect-object/")["Location"] == "/details/7/"
    assert client.get("/redirect-name/")["Location"] == "/details/8/"
    assert client.get("/redirect-url/")["Location"] == "/some/url/"
    absolute = client.get("/redirect-absolute/")
    assert (absolute.status_code, absolute["Location"]) == (301, "https://example.com/")
    assert client.get("/redirect-preserving/").status_code == 307
    assert redirect("/x/", permanent=True, preserve_request=True).status_code == 308


def test_resolve_url() -> None:
    assert resolve_url("article-detail", pk=1) == "/details/1/"
    assert resolve_url(urls.normal) == "/normal/"
    assert resolve_url("../up/") == "../up/"
    assert resolve_url("https://example.com/") == "https://example.com/"
    with pytest.raises(Exception, match="Reverse for 'no-such-view' not found"):
        resolve_url("no-such-view")


def test_get_object_or_404_needs_a_model_manager_or_queryset() -> None:
    with pytest.raises(ValueError, match="must be a Model, Manager, or QuerySet, not 'str'"):
        get_object_or_404("Article", pk=1)
    with pytest.raises(ValueError, match="must be a Model, Manager, or QuerySet, not 'int'"):
        get_list_or_404(5)
