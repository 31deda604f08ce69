"""reverse() and reverse_lazy(): names, views, arguments, quoting, query and fragment."""

from __future__ import annotations

import types
from typing import Any

import pytest

from fastjango.urls import (
    NoReverseMatch,
    get_script_prefix,
    path,
    re_path,
    reverse,
    reverse_lazy,
    set_script_prefix,
)
from fastjango.utils.functional import Promise
from tests.urls import views

DOCS = "tests.urls.urlconf_docs"


def module(*patterns: Any) -> types.ModuleType:
    """A throwaway urlconf module (reverse() caches resolvers by urlconf, so it must hash)."""
    urlconf = types.ModuleType("throwaway_urlconf")
    urlconf.urlpatterns = list(patterns)  # type: ignore[attr-defined]
    return urlconf


@pytest.mark.parametrize(
    ("name", "args", "kwargs", "expected"),
    [
        ("home", None, None, "/"),
        ("special-2003", None, None, "/articles/2003/"),
        ("year-archive", [2005], None, "/articles/2005/"),
        ("year-archive", None, {"year": 2005}, "/articles/2005/"),
        ("month-archive", ("2005", "3"), None, "/articles/2005/3/"),
        ("article-detail", [2003, 3, "a-b"], None, "/articles/2003/3/a-b/"),
        ("re-year", ["2005"], None, "/re/articles/2005/"),
        ("re-month", None, {"year": "2005", "month": "03"}, "/re/articles/2005/03/"),
        ("positional", ["2005", "03"], None, "/positional/2005/03/"),
        ("blog-articles", None, None, "/blog/"),
        ("blog-articles", ["page-2/"], None, "/blog/page-2/"),
        ("comments", None, None, "/comments/"),
        ("comments", None, {"page_number": 2}, "/comments/page-2/"),
        ("blog-page", None, None, "/blog/"),
        ("blog-page", None, {"num": 2}, "/blog/page2/"),
        ("extra", None, {"year": 2005}, "/extra/2005/"),
        ("extra", None, {"year": 2005, "foo": "bar"}, "/extra/2005/"),
        ("override", None, {"year": 2005}, "/override/2005/"),
        ("credit-report", [7], None, "/credit/reports/7/"),
        ("blog-entry", None, {"username": "bob", "entry": 1}, "/bob/blog/1/"),
        ("wiki-edit", None, {"page_slug": "intro", "page_id": 3}, "/intro-3/edit/"),
        ("no-dollar", None, None, "/no-dollar"),
    ],
)
def test_reverse(name: str, args: Any, kwargs: Any, expected: str) -> None:
    assert reverse(name, DOCS, args=args, kwargs=kwargs) == expected


def test_a_default_that_is_contradicted_does_not_match() -> None:
    with pytest.raises(NoReverseMatch):
        reverse("extra", DOCS, kwargs={"year": 2005, "foo": "baz"})


def test_reverse_by_view_callable() -> None:
    assert reverse(views.special_case_2003, DOCS) == "/articles/2003/"
    assert reverse(views.article_detail, DOCS, args=[2003, 3, "x"]) == "/articles/2003/3/x/"


def test_the_last_pattern_with_a_name_wins() -> None:
    urlconf = module(
        path("first/", views.empty_view, name="dup"), path("second/", views.empty_view, name="dup")
    )
    assert reverse("dup", urlconf) == "/second/"


def test_args_and_kwargs_together_raise() -> None:
    with pytest.raises(
        ValueError, match=r"Don't mix \*args and \*\*kwargs in call to reverse\(\)!"
    ):
        reverse("year-archive", DOCS, args=[2005], kwargs={"year": 2005})


def test_unknown_name_message() -> None:
    with pytest.raises(NoReverseMatch) as info:
        reverse("nope", DOCS)
    assert str(info.value) == (
        "Reverse for 'nope' not found. 'nope' is not a valid view function or pattern name."
    )


def test_unknown_view_message_uses_its_dotted_name() -> None:
    with pytest.raises(NoReverseMatch) as info:
        reverse(views.handler500, DOCS)
    assert "Reverse for 'tests.urls.views.handler500' not found." in str(info.value)


def test_wrong_arguments_message() -> None:
    urlconf = module(path("places/<int:arg1>/", views.empty_view, name="places"))
    with pytest.raises(NoReverseMatch) as info:
        reverse("places", urlconf, args=(1, 2))
    assert str(info.value) == (
        "Reverse for 'places' with arguments '(1, 2)' not found. 1 pattern(s) tried: "
        "['places/(?P<arg1>[0-9]+)/\\\\Z']"
    )
    with pytest.raises(NoReverseMatch) as info:
        reverse("places", urlconf, kwargs={"arg2": 2})
    assert str(info.value).startswith(
        "Reverse for 'places' with keyword arguments '{'arg2': 2}' not found. 1 pattern(s) tried:"
    )
    with pytest.raises(NoReverseMatch) as info:
        reverse("places", urlconf)
    assert str(info.value).startswith("Reverse for 'places' with no arguments not found.")


def test_a_value_the_pattern_refuses_does_not_match() -> None:
    with pytest.raises(NoReverseMatch):
        reverse("year-archive", DOCS, args=["abc"])
    with pytest.raises(NoReverseMatch):
        reverse("re-year", DOCS, args=["20055"])
    with pytest.raises(NoReverseMatch):
        reverse("str", DOCS, args=[""])


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("special", ["~@+\\$*|"], "/special/~@+%5C$*%7C/"),
        ("special", ["some resource"], "/special/some%20resource/"),
        ("special", ["10% complete"], "/special/10%25%20complete/"),
        ("special", ["a?b#c"], "/special/a%3Fb%23c/"),
        ("str", ["Ω"], "/str/%CE%A9/"),
        ("quoting", ["a/b c"], "/quoting/a/b%20c/"),
        ("percent", [], "/percent/100%25/"),
    ],
)
def test_values_are_quoted(name: str, args: list[Any], expected: str) -> None:
    assert reverse(name, DOCS, args=args) == expected


def test_no_scheme_relative_urls() -> None:
    urlconf = module(path("<path:rest>", views.empty_view, name="rest"))
    assert reverse("rest", urlconf, args=["/example.com"]) == "/%2Fexample.com"


def test_script_prefix() -> None:
    assert get_script_prefix() == "/"
    set_script_prefix("/mysite")
    assert get_script_prefix() == "/mysite/"
    assert reverse("year-archive", DOCS, args=[2005]) == "/mysite/articles/2005/"


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("/{{invalid}}/", "/%7B%7Binvalid%7D%7D/articles/2003/"),
        ("/bogus)/", "/bogus)/articles/2003/"),
        ("/%7Eme/", "/%257Eme/articles/2003/"),
    ],
)
def test_script_prefix_is_escaped(prefix: str, expected: str) -> None:
    set_script_prefix(prefix)
    assert reverse("special-2003", DOCS) == expected


def test_query_and_fragment() -> None:
    url = reverse("home", DOCS, query={"q": "biscuits", "page": 2}, fragment="results")
    assert url == "/?q=biscuits&page=2#results"
    pairs = [("color", "blue"), ("color", 1), ("none", None)]
    assert reverse("home", DOCS, query=pairs) == "/?color=blue&color=1&none=None"
    assert reverse("home", DOCS, query={"a": [1, 2], "b": "x y"}) == "/?a=1&a=2&b=x+y"
    assert reverse("home", DOCS, query={}) == "/"
    assert reverse("home", DOCS, fragment="") == "/#"
    assert reverse("home", DOCS, query={"x": "é"}) == "/?x=%C3%A9"


def test_query_object_with_urlencode_is_used_as_is() -> None:
    class QueryDictLike:
        def urlencode(self) -> str:
            return "a=1&a=2"

    assert reverse("home", DOCS, query=QueryDictLike()) == "/?a=1&a=2"


def test_reverse_lazy() -> None:
    lazy_url = reverse_lazy("year-archive", DOCS, args=[2005])
    assert str(lazy_url) == "/articles/2005/"
    # Evaluated on use, so it follows the current script prefix.
    set_script_prefix("/later/")
    assert lazy_url == "/later/articles/2005/"
    assert isinstance(lazy_url, Promise)


def test_reverse_an_unnamed_pattern_by_view() -> None:
    urlconf = module(path("unnamed/<int:n>/", views.page))
    assert reverse(views.page, urlconf, args=[2]) == "/unnamed/2/"


def test_reverse_for_a_partial_view() -> None:
    assert reverse("partial", DOCS) == "/partial/"


def test_reverse_empty_and_disjunctive_regexes() -> None:
    urlconf = module(
        re_path(r"^$", views.empty_view, name="root"),
        re_path(r"^(?:a|b)/$", views.empty_view, name="alt"),
    )
    assert reverse("root", urlconf) == "/"
    # Alternation has no single reverse form, as in Django.
    with pytest.raises(NoReverseMatch):
        reverse("alt", urlconf)


def test_reverse_while_the_urlconf_loads_is_a_clear_error() -> None:
    from fastjango.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match=r"Use reverse_lazy\(\) there instead"):
        reverse("x", "tests.urls.urlconf_reverse_at_import")


def test_reverse_dict_namespace_dict_and_app_dict() -> None:
    from fastjango.urls import get_resolver

    resolver = get_resolver(DOCS)
    reverse_dict = resolver.reverse_dict
    assert "blog-page" in reverse_dict and views.page in reverse_dict
    assert len(reverse_dict) == len(list(reverse_dict))
    # Like Django's MultiValueDict: the item is the last candidate, the first-defined pattern.
    assert reverse_dict["blog-page"][1] == "blog/\\Z"
    assert [entry[1] for entry in reverse_dict.getlist("blog-page")] == [
        "blog/page(?P<num>[0-9]+)/\\Z",
        "blog/\\Z",
    ]
    namespaces = get_resolver("tests.urls.urlconf_namespaces")
    assert namespaces.app_dict["polls"] == ["polls", "publisher-polls", "author-polls"]
    prefix, polls_resolver = namespaces.namespace_dict["author-polls"]
    assert prefix == "author\\-polls/"
    assert polls_resolver.namespace == "author-polls"


def test_resolver_reverse_has_no_prefix() -> None:
    from fastjango.urls import get_resolver

    assert get_resolver(DOCS).reverse("year-archive", 2005) == "articles/2005/"
    assert get_resolver(DOCS)._is_callback("tests.urls.views.year_archive")
    assert not get_resolver(DOCS)._is_callback("tests.urls.views.nope")
