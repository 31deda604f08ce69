"""Django's "URL dispatcher" and "django.urls utility functions" pages, end to end."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.http import Http404, HttpRequest
from fastjango.template.loader import get_template
from fastjango.test import Client, override_settings
from fastjango.urls import (
    NoReverseMatch,
    Resolver404,
    ResolverMatch,
    get_script_prefix,
    include,
    path,
    re_path,
    resolve,
    reverse,
    reverse_lazy,
)
from fastjango.views.generic import RedirectView
from tests.parity.urls import views

URLCONF = "tests.parity.urls.urlconf"
TEMPLATES = [
    {
        "BACKEND": "fastjango.template.backends.jinja2.Jinja2",
        "DIRS": [str(Path(__file__).resolve().parent.parent / "templates")],
        "OPTIONS": {"context_processors": ["fastjango.template.context_processors.request"]},
    }
]


@pytest.fixture(autouse=True)
def urlconf() -> Iterator[None]:
    with override_settings(ROOT_URLCONF=URLCONF, TEMPLATES=TEMPLATES, DEBUG=False):
        yield


@pytest.fixture
def client() -> Client:
    return Client(raise_request_exception=False)


def text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return str(response.content.decode())


# -- How Django processes a request ----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/articles/2005/03/", "kwargs={month=3, year=2005}"),
        ("/articles/2003/", "args=() kwargs={}"),
        ("/articles/2003/03/building-a-django-site/", "slug='building-a-django-site'"),
        ("/articles/2005/", "news-year-archive args=() kwargs={year=2005}"),
    ],
)
def test_example_urlconf(client: Client, url: str, expected: str) -> None:
    assert expected in text(client, url)


def test_what_does_not_match(client: Client) -> None:
    # No trailing slash (APPEND_SLASH needs CommonMiddleware), and a non-integer year.
    assert client.get("/articles/2003").status_code == 404
    assert client.get("/articles/abcd/").status_code == 404
    assert client.get("/articles/2003/03/building a site/").status_code == 404


def test_what_the_urlconf_searches_against(client: Client) -> None:
    # The query string and the method play no part.
    assert "year=2005" in text(client, "/articles/2005/?page=3")
    assert client.post("/articles/2005/").status_code == 200
    assert client.head("/articles/2005/").status_code == 200


def test_path_converters_and_custom_converter(client: Client) -> None:
    assert "kwargs={year=2020}" in text(client, "/yyyy/2020/")
    assert client.get("/yyyy/20/").status_code == 404
    assert reverse("yyyy-archive", args=[20]) == "/yyyy/0020/"
    assert reverse("yyyy-archive", kwargs={"year": 2020}) == "/yyyy/2020/"


def test_regular_expressions_pass_strings(client: Client) -> None:
    assert "kwargs={year='2003'}" in text(client, "/re/2003/")
    assert "kwargs={month='03', year='2003'}" in text(client, "/re/2003/03/")
    assert client.get("/re/03/").status_code == 404
    assert reverse("re-year", args=["2003"]) == "/re/2003/"


def test_nested_arguments(client: Client) -> None:
    # Unnamed nested groups are both passed positionally...
    assert "args=('page-2/', '2')" in text(client, "/blog/page-2/")
    assert "args=(None, None)" in text(client, "/blog/")
    # ...while a non-capturing outer group passes just the named one.
    assert "kwargs={page_number='2'}" in text(client, "/comments/page-2/")
    assert "kwargs={}" in text(client, "/comments/")
    assert reverse("comments", kwargs={"page_number": 2}) == "/comments/page-2/"
    assert reverse("comments") == "/comments/"


def test_default_view_arguments(client: Client) -> None:
    assert "kwargs={num=1}" in text(client, "/pages/")
    assert "kwargs={num=3}" in text(client, "/pages/page3/")


def test_extra_options_reach_the_view(client: Client) -> None:
    assert "kwargs={foo='bar', year=2005}" in text(client, "/opts/2005/")
    # A captured value and an extra option of the same name: the option wins.
    assert "kwargs={year=1999}" in text(client, "/override/2005/")


def test_including_other_urlconfs(client: Client) -> None:
    assert "credit-reports" in text(client, "/credit/reports/")
    assert "kwargs={id=7}" in text(client, "/credit/reports/7/")
    assert reverse("credit-reports") == "/credit/reports/"
    # The prefix's captured values reach every included view.
    assert "kwargs={page_id='42', page_slug='intro'}" in text(client, "/intro-42/history/")
    assert "kwargs={username='ada'}" in text(client, "/ada/blog/archive/")
    assert reverse("blog-archive", kwargs={"username": "ada"}) == "/ada/blog/archive/"
    assert reverse("wiki-history", args=["intro", "42"]) == "/intro-42/history/"
    # Extra options given to include() reach each included view.
    assert "kwargs={blog_id=3}" in text(client, "/opts-include/archive/")


def test_error_handlers_of_the_root_urlconf(client: Client) -> None:
    response = client.get("/nowhere/")
    assert response.status_code == 404
    assert response.content.startswith(b"custom 404 for /nowhere/")
    missing = client.get("/missing/")
    assert missing.content == b"custom 404 for /missing/: Question does not exist"


# -- Reverse resolution ----------------------------------------------------------------------


def test_reverse_in_python_code(client: Client) -> None:
    response = client.get("/redirect/")
    assert (response.status_code, response["Location"]) == (302, "/articles/2006/")
    assert reverse("news-year-archive", args=(2012,)) == "/articles/2012/"
    assert reverse(views.month_archive, args=(2012, 1)) == "/articles/2012/1/"
    with pytest.raises(NoReverseMatch):
        reverse("news-year-archive", args=("not-a-year",))
    with pytest.raises(ValueError, match="Don't mix"):
        reverse("news-year-archive", args=[1], kwargs={"year": 1})


def test_reversed_urls_are_quoted() -> None:
    assert reverse("cities", args=["Orléans"]) == "/cities/Orl%C3%A9ans/"


def test_reverse_query_and_fragment() -> None:
    url = reverse("news-year-archive", args=[2012], query={"q": "biscuits", "page": 2})
    assert url == "/articles/2012/?q=biscuits&page=2"
    url = reverse(
        "news-year-archive",
        args=[2012],
        query=[("color", "blue"), ("color", 1), ("none", None)],
        fragment="results",
    )
    assert url == "/articles/2012/?color=blue&color=1&none=None#results"
    spaced = reverse("news-year-archive", args=[2012], query={"has empty spaces": "also!"})
    assert spaced == "/articles/2012/?has+empty+spaces=also%21"
    assert reverse("news-year-archive", args=[2012], query={}) == "/articles/2012/"
    assert reverse("news-year-archive", args=[2012], fragment="") == "/articles/2012/#"


def test_reverse_lazy_in_class_attributes(client: Client) -> None:
    lazy = reverse_lazy("news-year-archive", args=[2012])
    view = RedirectView.as_view(url=lazy)
    request = HttpRequest()
    request.method = "GET"
    response = view(request)
    assert response["Location"] == "/articles/2012/"
    assert str(lazy) == "/articles/2012/"


def test_url_namespaces_and_current_app(client: Client) -> None:
    # Each instance answers with links into itself: reverse(current_app=...) in
    # the view and the url() global in the template.
    assert text(client, "/author-polls/") == ("/author-polls/1/ /author-polls/ /author-polls/2/")
    assert text(client, "/publisher-polls/") == (
        "/publisher-polls/1/ /publisher-polls/ /publisher-polls/2/"
    )
    # request.current_app wins over the namespace the URL matched in, as in {% url %}.
    request = HttpRequest()
    request.current_app = "author-polls"  # type: ignore[attr-defined]
    template = get_template("parity/polls_links.html")
    assert template.render({}, request).strip() == "/author-polls/ /author-polls/2/"
    # Outside a request the last deployed instance is the default.
    assert reverse("polls:index") == "/publisher-polls/"
    assert reverse("polls:index", current_app="author-polls") == "/author-polls/"
    assert reverse("author-polls:detail", args=[3]) == "/author-polls/3/"
    with pytest.raises(NoReverseMatch, match="'nope' is not a registered namespace"):
        reverse("nope:index")


# -- resolve() and ResolverMatch -------------------------------------------------------------


def test_resolve_and_resolver_match() -> None:
    match = resolve("/author-polls/7/")
    assert isinstance(match, ResolverMatch)
    assert match.func is views.show
    assert match.args == () and match.kwargs == {"pk": 7}
    assert match.url_name == "detail"
    assert match.route == "author-polls/<int:pk>/"
    assert (match.app_name, match.app_names) == ("polls", ["polls"])
    assert (match.namespace, match.namespaces) == ("author-polls", ["author-polls"])
    assert match.view_name == "author-polls:detail"
    assert match.captured_kwargs == {"pk": 7} and match.extra_kwargs == {}
    func, args, kwargs = resolve("/articles/2005/")
    assert (func, args, kwargs) == (views.year_archive, (), {"year": 2005})
    assert resolve("/cbv/1/").func.view_class is views.ShowView  # type: ignore[attr-defined]
    assert resolve("/opts/2005/").extra_kwargs == {"foo": "bar"}
    with pytest.raises(Resolver404):
        resolve("/nowhere/")
    assert issubclass(Resolver404, Http404)


def test_resolve_to_check_a_view_would_404() -> None:
    # The docs' example: call the resolved view to see whether it raises Http404.
    request = HttpRequest()
    request.method = "GET"
    view, args, kwargs = resolve("/missing/")
    kwargs["request"] = request
    with pytest.raises(Http404):
        view(*args, **kwargs)


def test_get_script_prefix() -> None:
    assert get_script_prefix() == "/"


# -- Bad URLconfs give Django's errors -------------------------------------------------------


def test_bad_patterns_raise_when_made() -> None:
    with pytest.raises(ImproperlyConfigured, match="invalid converter 'foo'"):
        path("<foo:bar>/", views.show)
    with pytest.raises(ImproperlyConfigured, match="isn't a valid Python identifier"):
        path("<int:2x>/", views.show)
    with pytest.raises(ImproperlyConfigured, match="cannot contain whitespace"):
        path("<int: year>/", views.show)
    with pytest.raises(TypeError, match="kwargs argument must be a dict"):
        path("a/", views.show, ["not", "a", "dict"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"pass ShowView.as_view\(\), not ShowView\(\)"):
        path("a/", views.ShowView())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="view must be a callable"):
        path("a/", "tests.parity.urls.views.show")  # type: ignore[arg-type]
    with pytest.raises(ImproperlyConfigured, match="without providing an app_name"):
        include([path("a/", views.show)], namespace="ns")
    with pytest.raises(ImproperlyConfigured, match="is not a valid regular expression"):
        re_path("(", views.show).pattern.regex  # noqa: B018


def test_route_and_name_must_be_strings() -> None:
    with pytest.raises(TypeError, match=r"route argument must be a string .* got int: 5"):
        path(5, views.show)
    with pytest.raises(TypeError, match="regex argument must be a string"):
        re_path(None, views.show)
    with pytest.raises(TypeError, match="name argument must be a string, but got int"):
        path("a/", views.show, name=5)  # type: ignore[arg-type]


def test_reverse_argument_types_are_checked() -> None:
    with pytest.raises(
        TypeError, match=r"args must be a list or tuple .* Did you mean args=\[2012\]"
    ):
        reverse("news-year-archive", args=2012)
    with pytest.raises(TypeError, match=r"Did you mean args=\['2012'\]"):
        reverse("news-year-archive", args="2012")
    with pytest.raises(TypeError, match="kwargs must be a dict"):
        reverse("news-year-archive", kwargs=[("year", 2012)])  # type: ignore[arg-type]
    assert reverse("news-year-archive", args=iter([2012])) == "/articles/2012/"
    with pytest.raises(NoReverseMatch, match="'nope' is not a valid view function or pattern"):
        reverse("nope")
