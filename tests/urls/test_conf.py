"""path(), re_path() and include(): what they build and the errors they raise."""

from __future__ import annotations

import pytest

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.urls import URLPattern, URLResolver, include, path, re_path
from fastjango.urls.patterns import RegexPattern, RoutePattern
from tests.urls import urlconf_app, urlconf_polls, views


def test_path_builds_an_endpoint() -> None:
    pattern = path("books/<int:pk>/", views.empty_view, {"a": 1}, name="book")
    assert isinstance(pattern, URLPattern)
    assert isinstance(pattern.pattern, RoutePattern)
    assert pattern.callback is views.empty_view
    assert pattern.default_args == {"a": 1}
    assert pattern.name == pattern.pattern.name == "book"
    assert str(pattern.pattern) == "books/<int:pk>/"


def test_re_path_builds_an_endpoint() -> None:
    pattern = re_path(r"^books/(?P<pk>\d+)/$", views.empty_view, name="book")
    assert isinstance(pattern, URLPattern)
    assert isinstance(pattern.pattern, RegexPattern)
    assert pattern.pattern.regex.pattern == r"^books/(?P<pk>\d+)/$"
    assert pattern.default_args == {}


def test_path_with_include_builds_a_resolver() -> None:
    resolver = path("polls/", include("tests.urls.urlconf_polls"), {"x": 1})
    assert isinstance(resolver, URLResolver)
    assert resolver.urlconf_name is urlconf_polls
    assert resolver.app_name == resolver.namespace == "polls"
    assert resolver.default_kwargs == {"x": 1}


@pytest.mark.parametrize(
    ("arg", "namespace", "expected"),
    [
        ("tests.urls.urlconf_polls", None, (urlconf_polls, "polls", "polls")),
        ("tests.urls.urlconf_polls", "mine", (urlconf_polls, "polls", "mine")),
        (urlconf_app, None, (urlconf_app, "app", "app")),
        (([], "tuple-app"), None, ([], "tuple-app", "tuple-app")),
        (([], "tuple-app"), "inst", ([], "tuple-app", "inst")),
        ([], None, ([], None, None)),
    ],
)
def test_include_forms(arg: object, namespace: str | None, expected: object) -> None:
    assert include(arg, namespace=namespace) == expected


def test_include_imports_a_dotted_path() -> None:
    with pytest.raises(ModuleNotFoundError):
        include("tests.urls.no_such_module")


def test_include_namespace_without_app_name() -> None:
    with pytest.raises(
        ImproperlyConfigured,
        match=r"^Specifying a namespace in include\(\) without providing an app_name is not "
        r"supported\. Set the app_name attribute in the included module, or pass a 2-tuple "
        r"containing the list of patterns and app_name instead\.$",
    ):
        include([path("x/", views.empty_view)], namespace="ns")


def test_include_tuple_of_the_wrong_length() -> None:
    with pytest.raises(
        ImproperlyConfigured,
        match=r"^Passing a 3-tuple to include\(\) is not supported\. Pass a 2-tuple containing "
        r"the list of patterns and app_name, and provide the namespace argument to include\(\) "
        r"instead\.$",
    ):
        include(([], "app", "ns"))
    with pytest.raises(
        ImproperlyConfigured,
        match="^Cannot override the namespace for a dynamic module that provides a namespace.$",
    ):
        include(([], "app", "ns"), namespace="other")


def test_view_must_be_callable() -> None:
    with pytest.raises(
        TypeError, match=r"^view must be a callable or a list/tuple in the case of include\(\)\.$"
    ):
        path("x/", "tests.urls.views.empty_view")  # type: ignore[arg-type]


def test_view_instance_instead_of_as_view() -> None:
    class View:
        @classmethod
        def as_view(cls) -> object:
            return cls

    with pytest.raises(
        TypeError, match=r"^view must be a callable, pass View\.as_view\(\), not View\(\)\.$"
    ):
        path("x/", View())  # type: ignore[arg-type]


def test_kwargs_must_be_a_dict() -> None:
    with pytest.raises(TypeError, match="^kwargs argument must be a dict, but got str.$"):
        path("x/", views.empty_view, "name")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="^kwargs argument must be a dict, but got list.$"):
        re_path("x/", views.empty_view, [("a", 1)])  # type: ignore[arg-type]


def test_lazy_route_is_accepted() -> None:
    from fastjango.utils.functional import lazystr

    pattern = path(lazystr("lazy/"), views.empty_view)
    assert isinstance(pattern, URLPattern)
    assert pattern.resolve("lazy/") is not None
