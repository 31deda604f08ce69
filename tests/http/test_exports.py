from __future__ import annotations

import importlib

import pytest

MODULES = [
    "fastjango.http",
    "fastjango.http.cookie",
    "fastjango.http.multipartparser",
    "fastjango.http.request",
    "fastjango.http.response",
    "fastjango.core.files",
    "fastjango.core.files.base",
    "fastjango.core.files.uploadedfile",
    "fastjango.core.files.uploadhandler",
    "fastjango.core.serializers",
    "fastjango.core.serializers.json",
    "fastjango.shortcuts",
    "fastjango.utils.datastructures",
    "fastjango.utils.http",
    "fastjango.views",
    "fastjango.views.defaults",
    "fastjango.views.decorators.http",
    "fastjango.views.generic",
    "fastjango.views.generic.base",
]

# Everything django.http exports is importable from fastjango.http.
DJANGO_HTTP = {
    "SimpleCookie",
    "parse_cookie",
    "HttpHeaders",
    "HttpRequest",
    "QueryDict",
    "RawPostDataException",
    "UnreadablePostError",
    "HttpResponse",
    "HttpResponseBase",
    "StreamingHttpResponse",
    "HttpResponseRedirect",
    "HttpResponsePermanentRedirect",
    "HttpResponseNotModified",
    "HttpResponseBadRequest",
    "HttpResponseForbidden",
    "HttpResponseNotFound",
    "HttpResponseNotAllowed",
    "HttpResponseGone",
    "HttpResponseServerError",
    "Http404",
    "BadHeaderError",
    "JsonResponse",
    "FileResponse",
}


@pytest.mark.parametrize("name", MODULES)
def test_all_names_exist(name: str) -> None:
    module = importlib.import_module(name)
    for attr in module.__all__:
        assert hasattr(module, attr), f"{name}.{attr}"


def test_django_http_names() -> None:
    import fastjango.http

    assert set(fastjango.http.__all__) == DJANGO_HTTP


def test_views_reexport_view() -> None:
    import fastjango.views
    from fastjango.views.generic.base import View

    assert fastjango.views.View is View
