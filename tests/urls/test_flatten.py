"""flatten_patterns(): every endpoint and mount with its absolute path format."""

from __future__ import annotations

import types
from typing import Any

import pytest

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.urls import get_resolver, include, path, re_path
from fastjango.urls.converters import IntConverter, SlugConverter
from fastjango.urls.resolvers import URLEndpoint, flatten_patterns
from tests.urls import urlconf_mount, views


def flat(urlconf: Any) -> dict[str, URLEndpoint]:
    return {e.route: e for e in flatten_patterns(get_resolver(urlconf))}


def module(*patterns: Any) -> types.ModuleType:
    urlconf = types.ModuleType("throwaway_urlconf")
    urlconf.urlpatterns = list(patterns)  # type: ignore[attr-defined]
    return urlconf


def test_endpoint_under_no_prefix() -> None:
    urlconf = module(path("books/<int:pk>/", views.empty_view, {"a": 1}, name="book"))
    (endpoint,) = flatten_patterns(get_resolver(urlconf))
    assert endpoint.path_format == "/books/{pk}/"
    assert endpoint.route == "books/<int:pk>/"
    assert dict(endpoint.converters) == {"pk": endpoint.converters["pk"]}
    assert isinstance(endpoint.converters["pk"], IntConverter)
    assert endpoint.pattern is urlconf.urlpatterns[0]
    assert endpoint.callback is views.empty_view
    assert endpoint.name == "book" and endpoint.qualified_name == "book"
    assert endpoint.namespace is None
    assert endpoint.default_args == {"a": 1}
    assert endpoint.is_mount is False
    assert endpoint.lookup_str == "tests.urls.views.empty_view"


def test_prefixes_namespaces_and_defaults_are_joined() -> None:
    urlconf = module(
        path(
            "library/<slug:branch>/",
            include(([path("books/<int:pk>/", views.empty_view, name="book")], "lib")),
            {"source": "lib"},
        ),
        path("plain/", include([path("<str:word>.html", views.empty_view)])),
    )
    endpoints = flat(urlconf)
    book = endpoints["library/<slug:branch>/books/<int:pk>/"]
    assert book.path_format == "/library/{branch}/books/{pk}/"
    assert set(book.converters) == {"branch", "pk"}
    assert isinstance(book.converters["branch"], SlugConverter)
    assert book.namespace == "lib"
    assert book.qualified_name == "lib:book"
    assert book.default_args == {"source": "lib"}
    word = endpoints["plain/<str:word>.html"]
    assert word.path_format == "/plain/{word}.html"
    assert word.qualified_name is None


@pytest.mark.parametrize(
    ("regex", "expected"),
    [
        (r"^articles/(?P<year>[0-9]{4})/$", "/articles/{year}/"),
        (r"^articles/([0-9]{4})/([0-9]{2})/$", "/articles/{_0}/{_1}/"),
        (r"^comments/(?:page-(?P<page_number>[0-9]+)/)?$", "/comments/page-{page_number}/"),
        (r"^blog/(?P<slug>[\w-]+)\.html$", "/blog/{slug}.html"),
        (r"^$", "/"),
        (r"^(?:a|b)/$", "/(?:a|b)/"),
        (r"^x(?#comment)/$", "/x(?#comment)/"),
    ],
)
def test_re_path_formats(regex: str, expected: str) -> None:
    (endpoint,) = flatten_patterns(get_resolver(module(re_path(regex, views.empty_view))))
    assert endpoint.path_format == expected
    assert endpoint.converters == {}


def test_mounts() -> None:
    endpoints = flat("tests.urls.urlconf_mount")
    api = endpoints["api/"]
    assert api.is_mount and api.pattern is None and api.name is None
    assert api.callback is urlconf_mount.router
    assert api.path_format == "/api"
    assert api.lookup_str == "fastapi.routing.APIRouter"
    assert endpoints["v1/raw/"].path_format == "/v1/raw"
    assert endpoints["<slug:tenant>/app/"].path_format == "/{tenant}/app"
    assert endpoints["<slug:tenant>/app/"].default_args == {"source": "tenant"}
    assert endpoints["^re-mount/"].path_format == "/re-mount"
    assert endpoints[""].path_format == ""
    assert endpoints["v1/x/"].path_format == "/v1/x/"
    assert not endpoints["v1/x/"].is_mount


def test_order_is_resolution_order() -> None:
    routes = [e.route for e in flatten_patterns(get_resolver("tests.urls.urlconf_namespaces"))]
    assert routes[:4] == [
        "author-polls/",
        "author-polls/<int:pk>/",
        "publisher-polls/",
        "publisher-polls/<int:pk>/",
    ]
    assert "outer/inner/leaf/<slug:slug>/" in routes


def test_an_invalid_entry_is_an_error() -> None:
    with pytest.raises(ImproperlyConfigured, match="Your URL pattern 'x/' is invalid"):
        list(flatten_patterns(get_resolver(module("x/"))))
