"""resolve(): the matching rules of Django's "URL dispatcher" documentation."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from fastjango.http import Http404
from fastjango.urls import (
    Resolver404,
    ResolverMatch,
    get_resolver,
    include,
    is_valid_path,
    path,
    re_path,
    resolve,
    reverse_lazy,
)
from fastjango.urls.patterns import RegexPattern, RoutePattern
from fastjango.urls.resolvers import URLPattern, URLResolver
from tests.urls import views
from tests.urls.urlconf_mount import tenant_app

DOCS = "tests.urls.urlconf_docs"


def root(urlconf: list[Any]) -> URLResolver:
    """A root resolver over a list of patterns (get_resolver() caches by urlconf, lists can't)."""
    return URLResolver(RegexPattern(r"^/"), urlconf)


@pytest.mark.parametrize(
    ("url", "func", "kwargs"),
    [
        ("/articles/2005/03/", views.month_archive, {"year": 2005, "month": 3}),
        ("/articles/2003/", views.special_case_2003, {}),
        (
            "/articles/2003/03/building-a-django-site/",
            views.article_detail,
            {"year": 2003, "month": 3, "slug": "building-a-django-site"},
        ),
        ("/articles/2005/", views.year_archive, {"year": 2005}),
        ("/blog/", views.page, {}),
        ("/blog/page7/", views.page, {"num": 7}),
    ],
)
def test_path_examples_from_the_docs(url: str, func: Any, kwargs: dict[str, Any]) -> None:
    match = resolve(url, DOCS)
    assert match.func is func
    assert match.args == ()
    assert match.kwargs == kwargs
    assert all(type(match.kwargs[k]) is type(v) for k, v in kwargs.items())


@pytest.mark.parametrize("url", ["/articles/2003", "/articles/20x3/", "/articles/-1/", "articles/"])
def test_no_match(url: str) -> None:
    with pytest.raises(Resolver404):
        resolve(url, DOCS)
    assert is_valid_path(url, DOCS) is False


def test_first_match_wins() -> None:
    # "articles/2003/" also matches "articles/<int:year>/", which comes later.
    assert resolve("/articles/2003/", DOCS).url_name == "special-2003"


def test_re_path_named_groups_are_strings() -> None:
    match = resolve("/re/articles/2005/03/", DOCS)
    assert match.func is views.month_archive
    assert match.kwargs == {"year": "2005", "month": "03"}
    assert match.args == ()


def test_re_path_unnamed_groups_are_positional() -> None:
    match = resolve("/positional/2005/03/", DOCS)
    assert match.args == ("2005", "03")
    assert match.kwargs == {}


def test_re_path_named_groups_win_over_unnamed() -> None:
    match = resolve("/mixed/2005/03/", DOCS)
    assert match.args == ()
    assert match.kwargs == {"year": "2005"}


def test_nested_groups_positional_and_non_capturing() -> None:
    assert resolve("/blog/page-2/", DOCS).args == ("page-2/", "2")
    assert resolve("/comments/page-2/", DOCS).kwargs == {"page_number": "2"}
    # An optional named group that did not participate is left out.
    assert resolve("/comments/", DOCS).kwargs == {}


def test_re_path_without_dollar_matches_a_prefix() -> None:
    assert resolve("/no-dollar/and/more", DOCS).url_name == "no-dollar"


def test_endpoint_dollar_does_not_accept_a_trailing_newline() -> None:
    with pytest.raises(Resolver404):
        resolve("/re/articles/2005/\n", DOCS)


def test_extra_options_reach_the_view_and_override_captured_values() -> None:
    match = resolve("/extra/2005/", DOCS)
    assert match.kwargs == {"year": 2005, "foo": "bar"}
    assert match.captured_kwargs == {"year": 2005}
    assert match.extra_kwargs == {"foo": "bar"}
    assert resolve("/override/2005/", DOCS).kwargs == {"year": 1999}


def test_include_strips_the_prefix() -> None:
    match = resolve("/credit/reports/12/", DOCS)
    assert match.url_name == "credit-report"
    assert match.kwargs == {"id": 12}
    assert match.route == "credit/reports/<int:id>/"


def test_include_passes_captured_values_and_extra_options() -> None:
    match = resolve("/alice/blog/4/", DOCS)
    assert match.url_name == "blog-entry"
    assert match.kwargs == {"username": "alice", "blog_id": 3, "entry": 4}
    # Like Django: captured_kwargs are the endpoint's own captures.
    assert match.captured_kwargs == {"entry": 4}
    assert match.extra_kwargs == {"blog_id": 3}
    assert match.route == "<username>/blog/<int:entry>/"


def test_include_of_a_list_with_captured_prefix() -> None:
    match = resolve("/my-page-7/history/", DOCS)
    assert match.url_name == "wiki-history"
    assert match.kwargs == {"page_slug": "my-page", "page_id": 7}


def test_positional_args_of_an_include_prefix_are_kept_without_kwargs() -> None:
    inner = [re_path(r"^(\d+)/$", views.empty_view)]
    urlconf = [re_path(r"^(\w+)/", include(inner))]
    match = root(urlconf).resolve("/ab/12/")
    assert match.args == ("ab", "12")
    assert match.kwargs == {}


def test_positional_args_of_an_include_prefix_are_dropped_with_kwargs() -> None:
    inner = [path("<int:pk>/", views.empty_view)]
    urlconf = [re_path(r"^(\w+)/", include(inner))]
    match = root(urlconf).resolve("/ab/12/")
    assert match.args == ()
    assert match.kwargs == {"pk": 12}


def test_resolver_match_attributes() -> None:
    match = resolve("/articles/2005/03/", DOCS)
    assert match.url_name == "month-archive"
    assert match.view_name == "month-archive"
    assert match.route == "articles/<int:year>/<int:month>/"
    assert match.app_name == "" and match.app_names == []
    assert match.namespace == "" and match.namespaces == []
    assert match.asgi_mount is None
    func, args, kwargs = match
    assert (func, args, kwargs) == (views.month_archive, (), {"year": 2005, "month": 3})
    assert match[0] is views.month_archive


def test_view_name_falls_back_to_the_dotted_path() -> None:
    urlconf = [path("x/", views.empty_view)]
    assert root(urlconf).resolve("/x/").view_name == "tests.urls.views.empty_view"


def test_class_based_view_path_uses_view_class() -> None:
    match = resolve("/books/", DOCS)
    assert match.view_name == "books"
    assert repr(match).startswith("ResolverMatch(func=tests.urls.views.BookView, ")


def test_repr() -> None:
    match = resolve("/extra/2005/", DOCS)
    assert repr(match) == (
        "ResolverMatch(func=tests.urls.views.year_archive, args=(), "
        "kwargs={'year': 2005, 'foo': 'bar'}, url_name='extra', app_names=[], "
        "namespaces=[], route='extra/<int:year>/', captured_kwargs={'year': 2005}, "
        "extra_kwargs={'foo': 'bar'})"
    )
    partial_match = resolve("/partial/", DOCS)
    assert repr(partial_match).startswith("ResolverMatch(func=functools.partial(<function")


def test_resolver_match_cannot_be_pickled() -> None:
    with pytest.raises(pickle.PicklingError, match="Cannot pickle ResolverMatch."):
        pickle.dumps(resolve("/", DOCS))


def test_extra_kwargs_are_a_copy() -> None:
    resolve("/extra/2005/", DOCS).extra_kwargs["foo"] = "changed"  # type: ignore[index]
    assert resolve("/extra/2005/", DOCS).kwargs["foo"] == "bar"


def test_tried_on_success_lists_the_patterns_up_to_the_match() -> None:
    urlconf = [
        path("a/", views.empty_view),
        path("b/", include([path("c/", views.empty_view), path("d/", views.empty_view)])),
    ]
    resolver = root(urlconf)
    match = resolver.resolve("/b/d/")
    a, b = urlconf
    c, d = b.url_patterns  # type: ignore[union-attr]
    assert match.tried == [[a], [b, c], [b, d]]
    match.tried = None
    assert match.tried is None


def test_resolver404_args_hold_path_and_tried() -> None:
    urlconf = [
        path("a/", views.empty_view),
        path("b/", include([path("c/", views.empty_view)])),
        path("e/", include([])),
    ]
    with pytest.raises(Resolver404) as info:
        root(urlconf).resolve("/b/x/")
    a, b, e = urlconf
    (c,) = b.url_patterns  # type: ignore[union-attr]
    # A matched include with no patterns adds nothing, as in Django.
    assert info.value.args[0] == {"tried": [[a], [b, c], [e]], "path": "b/x/"}
    assert isinstance(info.value, Http404)


def test_resolver404_when_the_root_prefix_does_not_match() -> None:
    with pytest.raises(Resolver404) as info:
        resolve("no-leading-slash/", DOCS)
    assert info.value.args[0] == {"path": "no-leading-slash/"}


def test_resolve_accepts_a_lazy_string() -> None:
    assert resolve(reverse_lazy("year-archive", DOCS, args=[2001]), DOCS).kwargs == {"year": 2001}


def test_is_valid_path_returns_the_match() -> None:
    match = is_valid_path("/articles/2005/", DOCS)
    assert isinstance(match, ResolverMatch)
    assert match.kwargs == {"year": 2005}


def test_url_pattern_and_resolver_resolve_directly() -> None:
    pattern = path("x/<int:n>/", views.empty_view, name="x")
    assert isinstance(pattern, URLPattern)
    match = pattern.resolve("x/3/")
    assert match is not None and match.kwargs == {"n": 3}
    assert pattern.resolve("y/") is None
    include_resolver = path("p/", include([pattern]))
    assert isinstance(include_resolver, URLResolver)
    assert include_resolver.resolve("p/x/3/").route == "x/<int:n>/"


def test_repr_of_patterns_and_resolvers() -> None:
    resolver = get_resolver(DOCS)
    assert repr(resolver) == "<URLResolver 'tests.urls.urlconf_docs' (None:None) '^/'>"
    assert repr(path("x/", views.empty_view, name="x")) == "<URLPattern 'x/' [name='x']>"
    listed = URLResolver(resolver.pattern, [path("x/", views.empty_view)])
    assert repr(listed) == "<URLResolver <URLPattern list> (None:None) '^/'>"


def test_lookup_str() -> None:
    resolver = get_resolver(DOCS)
    by_name = {p.name: p for p in resolver.url_patterns if isinstance(p, URLPattern)}
    assert by_name["home"].lookup_str == "tests.urls.views.empty_view"
    assert by_name["books"].lookup_str == "tests.urls.views.BookView"
    assert by_name["partial"].lookup_str == "tests.urls.views.empty_view"
    instance = path("inst/", tenant_app)
    assert isinstance(instance, URLPattern)
    assert instance.lookup_str == "tests.urls.urlconf_mount.TenantApp"
    assert instance.resolve("inst/").view_name == "tests.urls.urlconf_mount.TenantApp"  # type: ignore[union-attr]


def test_get_resolver_is_cached_per_urlconf() -> None:
    assert get_resolver(DOCS) is get_resolver(DOCS)
    assert get_resolver(DOCS) is not get_resolver("tests.urls.urlconf_blog")


def test_default_urlconf_is_root_urlconf() -> None:
    from fastjango.test.utils import override_settings

    with override_settings(ROOT_URLCONF=DOCS):
        assert resolve("/articles/2003/").func is views.special_case_2003
        assert get_resolver() is get_resolver(DOCS)


@pytest.mark.parametrize(
    ("regex", "url", "matches"),
    [
        (r"^about/$", "/about/", True),
        (r"^about/$", "/about/x", False),
        (r"^about/", "/about/anything", True),
        (r"^ab?c/$", "/ac/", True),
        (r"^ab*c/$", "/abbbc/", True),
        (r"^ab{0,2}c/$", "/ac/", True),
        (r"^a\.b/$", "/a.b/", True),
        (r"^a\.b/$", "/axb/", False),
        # Django's rule: an endpoint ending in "$" must match all of the path...
        (r"^a|b/$", "/xb/", False),
        (r"b/$", "/xb/", False),
        # ...otherwise the regex is searched, so it can match anywhere.
        (r"^a|b/", "/xb/", True),
        (r"b/", "/xb/", True),
        (r"^(?i:AB)/$", "/ab/", True),
        (r"^$", "/", True),
        (r"^", "/anything", True),
    ],
)
def test_re_path_matching_rules(regex: str, url: str, matches: bool) -> None:
    resolver = root([re_path(regex, views.empty_view)])
    assert (resolver._match(url) is not None) is matches


@pytest.mark.parametrize(
    ("regex", "url", "matches"),
    [
        (r"^blog/", "/blog/x/", True),
        (r"^blog/", "/blogs/x/", False),
        (r"^blog/$", "/blog/x/", False),
        (r"^(?P<section>[a-z]+)/", "/news/x/", True),
    ],
)
def test_re_path_include_prefix_rules(regex: str, url: str, matches: bool) -> None:
    resolver = root([re_path(regex, include([path("x/", views.empty_view)]))])
    assert (resolver._match(url) is not None) is matches


def test_resolver_match_constructor_drops_empty_names() -> None:
    match = ResolverMatch(
        views.empty_view,
        (),
        {"a": 1},
        "name",
        app_names=[None, "shop", ""],
        namespaces=[None, "shop", "reviews"],
        route="x/",
    )
    assert match.app_names == ["shop"] and match.app_name == "shop"
    assert match.namespaces == ["shop", "reviews"] and match.namespace == "shop:reviews"
    assert match.view_name == "shop:reviews:name"
    assert match.tried is None
    assert match.captured_kwargs is None and match.extra_kwargs is None
    bare = ResolverMatch(views.empty_view, (), {})
    assert bare.app_names == [] and bare.namespaces == [] and bare.route is None


@pytest.mark.parametrize(
    ("pattern", "url", "expected"),
    [
        (RoutePattern("about/", is_endpoint=True), "about/", ("", (), {})),
        (RoutePattern("about/", is_endpoint=True), "about/x", None),
        (RoutePattern("blog/"), "blog/x", ("x", (), {})),
        (RoutePattern("blog/"), "news/x", None),
        (RoutePattern("<int:n>/"), "x/", None),
        (RegexPattern(r"^about/$", is_endpoint=True), "about/", ("", (), {})),
        (RegexPattern(r"^/"), "x", None),
        (RegexPattern(r"^(\d+)/"), "12/x", ("x", ("12",), {})),
    ],
)
def test_pattern_match(pattern: Any, url: str, expected: Any) -> None:
    assert pattern.match(url) == expected
