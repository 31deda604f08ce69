"""Application and instance namespaces, current_app and nested namespaces."""

from __future__ import annotations

import types

import pytest

from fastjango.urls import NoReverseMatch, include, path, resolve, reverse
from tests.urls import views

NS = "tests.urls.urlconf_namespaces"


@pytest.mark.parametrize(
    ("viewname", "current_app", "expected"),
    [
        ("author-polls:index", None, "/author-polls/"),
        ("publisher-polls:index", None, "/publisher-polls/"),
        # The application namespace picks the current instance...
        ("polls:index", "author-polls", "/author-polls/"),
        ("polls:index", "publisher-polls", "/publisher-polls/"),
        # ...else the default instance, the one named like the application.
        ("polls:index", None, "/polls/"),
        ("polls:index", "not-an-instance", "/polls/"),
        ("polls:detail", "author-polls", "/author-polls/3/"),
        # An instance namespace is taken as given, whatever current_app says.
        ("publisher-polls:index", "author-polls", "/publisher-polls/"),
    ],
)
def test_reverse_with_namespaces(viewname: str, current_app: str | None, expected: str) -> None:
    args = [3] if viewname.endswith("detail") else None
    assert reverse(viewname, NS, args=args, current_app=current_app) == expected


def test_without_a_default_instance_the_last_deployed_wins() -> None:
    urlconf = types.ModuleType("two_instances")
    urlconf.urlpatterns = [  # type: ignore[attr-defined]
        path("author-polls/", include("tests.urls.urlconf_polls", namespace="author-polls")),
        path("publisher-polls/", include("tests.urls.urlconf_polls", namespace="publisher-polls")),
    ]
    assert reverse("polls:index", urlconf) == "/publisher-polls/"
    assert reverse("polls:index", urlconf, current_app="author-polls") == "/author-polls/"


def test_nested_namespaces() -> None:
    assert reverse("outer:outer-index", NS) == "/outer/"
    assert reverse("outer:inner:leaf", NS, kwargs={"slug": "x"}) == "/outer/inner/leaf/x/"
    assert reverse("outer:inner:leaf", NS, args=["y"], current_app="outer:inner") == (
        "/outer/inner/leaf/y/"
    )


def test_unknown_namespaces() -> None:
    with pytest.raises(NoReverseMatch, match="^'nope' is not a registered namespace$"):
        reverse("nope:index", NS)
    with pytest.raises(
        NoReverseMatch, match="^'missing' is not a registered namespace inside 'outer'$"
    ):
        reverse("outer:missing:leaf", NS)
    with pytest.raises(NoReverseMatch, match="Reverse for 'nope' not found"):
        reverse("author-polls:nope", NS)


def test_namespace_under_a_captured_prefix() -> None:
    assert reverse("shop:item", NS, kwargs={"tenant": 5, "item": "hat"}) == "/5/shop/hat/"
    assert reverse("shop:item", NS, args=[5, "hat"]) == "/5/shop/hat/"
    with pytest.raises(NoReverseMatch):
        reverse("shop:item", NS, kwargs={"tenant": "five", "item": "hat"})


def test_namespace_inside_a_non_namespaced_include_keeps_outer_converters() -> None:
    url = reverse("members:member", NS, kwargs={"group": "g-1", "pk": 3})
    assert url == "/group/g-1/sub/3/"
    with pytest.raises(NoReverseMatch):
        reverse("members:member", NS, kwargs={"group": "g.1", "pk": 3})


def test_namespace_under_a_regex_prefix() -> None:
    assert reverse("re-ns:view", NS, kwargs={"code": "abc"}) == "/re-ns/abc/view/"


def test_namespaced_include_with_default_kwargs() -> None:
    assert reverse("dk:x", NS) == "/default-kwargs/x/"
    assert resolve("/default-kwargs/x/", NS).kwargs == {"k": 1}


def test_resolve_reports_namespaces() -> None:
    match = resolve("/author-polls/3/", NS)
    assert match.app_name == "polls" and match.app_names == ["polls"]
    assert match.namespace == "author-polls" and match.namespaces == ["author-polls"]
    assert match.view_name == "author-polls:detail"
    assert match.url_name == "detail"
    nested = resolve("/outer/inner/leaf/x/", NS)
    assert nested.namespaces == ["outer", "inner"]
    assert nested.app_names == ["outer", "inner"]
    assert nested.namespace == "outer:inner"
    assert nested.view_name == "outer:inner:leaf"
    assert nested.route == "outer/inner/leaf/<slug:slug>/"


def test_reverse_round_trips_a_resolved_match() -> None:
    match = resolve("/7/shop/boots/", NS)
    assert reverse(match.view_name, NS, kwargs=match.kwargs) == "/7/shop/boots/"


def test_include_by_module_object_and_instance_namespace() -> None:
    from tests.urls import urlconf_app

    urlconf = types.ModuleType("by_module")
    urlconf.urlpatterns = [  # type: ignore[attr-defined]
        path("one/", include(urlconf_app, namespace="one")),
        path("two/", include(urlconf_app)),
        path("view/", views.empty_view, name="view"),
    ]
    assert reverse("one:thing", urlconf) == "/one/thing/"
    assert reverse("app:thing", urlconf) == "/two/thing/"
    assert reverse("app:thing", urlconf, current_app="one") == "/one/thing/"
    assert resolve("/one/thing/", urlconf).namespaces == ["one"]
