"""Path converters: the built-in ones, register_converter() and their error rules."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.urls import NoReverseMatch, URLResolver, path, register_converter
from fastjango.urls.converters import (
    REGISTERED_CONVERTERS,
    Converter,
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
    UUIDConverter,
    get_converters,
)
from fastjango.urls.patterns import RegexPattern, _route_to_regex
from tests.urls import views


def root(urlconf: list[Any]) -> URLResolver:
    return URLResolver(RegexPattern(r"^/"), urlconf)


class FourDigitYearConverter:
    """The custom converter of Django's documentation."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:04d}"


class EvenConverter:
    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        if int(value) % 2:
            raise ValueError("odd")
        return int(value)

    def to_url(self, value: int) -> str:
        if value % 2:
            raise ValueError("odd")
        return str(value)


@pytest.fixture
def registered() -> Iterator[None]:
    """Register the test converters, and unregister them afterwards."""
    register_converter(FourDigitYearConverter, "yyyy")
    register_converter(EvenConverter, "even")
    yield
    for name in ("yyyy", "even"):
        REGISTERED_CONVERTERS.pop(name, None)
    get_converters.cache_clear()
    _route_to_regex.cache_clear()


@pytest.mark.parametrize(
    ("converter", "regex"),
    [
        (IntConverter, "[0-9]+"),
        (StringConverter, "[^/]+"),
        (SlugConverter, "[-a-zA-Z0-9_]+"),
        (PathConverter, ".+"),
        (UUIDConverter, "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
    ],
)
def test_default_converter_regexes(converter: type[Any], regex: str) -> None:
    assert converter.regex == regex
    assert isinstance(converter(), Converter)


def test_default_converters_by_name() -> None:
    # Other urlconfs imported in the same process may have registered their own.
    assert {"int", "path", "slug", "str", "uuid"} <= set(get_converters())
    assert (
        not set(get_converters())
        - set(REGISTERED_CONVERTERS)
        - {
            "int",
            "path",
            "slug",
            "str",
            "uuid",
        }
    )


def test_to_python_and_to_url() -> None:
    value = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert IntConverter().to_python("42") == 42
    assert IntConverter().to_url(42) == "42"
    assert UUIDConverter().to_python(str(value)) == value
    assert UUIDConverter().to_url(value) == str(value)
    assert StringConverter().to_python("a b") == "a b"
    assert SlugConverter().to_url("a-b") == "a-b"


def test_each_default_converter_resolves() -> None:
    value = "abcdef01-1234-5678-9abc-def012345678"
    resolver = root(
        [
            path("int/<int:v>/", views.empty_view),
            path("str/<str:v>/", views.empty_view),
            path("bare/<v>/", views.empty_view),
            path("slug/<slug:v>/", views.empty_view),
            path("uuid/<uuid:v>/", views.empty_view),
            path("path/<path:v>/", views.empty_view),
        ]
    )
    assert resolver.resolve("/int/7/").kwargs == {"v": 7}
    assert resolver.resolve("/str/a b/").kwargs == {"v": "a b"}
    assert resolver.resolve("/bare/x/").kwargs == {"v": "x"}
    assert resolver.resolve("/slug/a-b_c/").kwargs == {"v": "a-b_c"}
    assert resolver.resolve(f"/uuid/{value}/").kwargs == {"v": uuid.UUID(value)}
    assert resolver.resolve("/path/a/b/c/").kwargs == {"v": "a/b/c"}
    for bad in ("/int/x/", "/str/a/b/", "/slug/a.b/", f"/uuid/{value.upper()}/"):
        assert resolver._match(bad) is None


@pytest.mark.usefixtures("registered")
def test_custom_converter_from_the_docs() -> None:
    resolver = root([path("articles/<yyyy:year>/", views.year_archive, name="year")])
    assert resolver.resolve("/articles/2005/").kwargs == {"year": 2005}
    assert resolver._match("/articles/205/") is None
    assert resolver.reverse("year", year=5) == "articles/0005/"


@pytest.mark.usefixtures("registered")
def test_to_python_value_error_means_try_the_next_pattern() -> None:
    resolver = root(
        [
            path("n/<even:n>/", views.page, name="even"),
            path("n/<int:n>/", views.empty_view, name="any"),
        ]
    )
    assert resolver.resolve("/n/4/").url_name == "even"
    assert resolver.resolve("/n/5/").url_name == "any"


@pytest.mark.usefixtures("registered")
def test_to_url_value_error_means_no_match_in_reverse() -> None:
    resolver = root(
        [
            path("odd-or-even/<int:n>/", views.empty_view, name="n"),
            path("even/<even:n>/", views.empty_view, name="n"),
        ]
    )
    # The last pattern is tried first; its converter refuses odd numbers.
    assert resolver.reverse("n", n=4) == "even/4/"
    assert resolver.reverse("n", n=3) == "odd-or-even/3/"
    only_even = root([path("even/<even:n>/", views.empty_view, name="e")])
    with pytest.raises(NoReverseMatch):
        only_even.reverse("e", n=3)


@pytest.mark.usefixtures("registered")
def test_registering_a_taken_name_is_an_error() -> None:
    with pytest.raises(ValueError, match="Converter 'yyyy' is already registered."):
        register_converter(FourDigitYearConverter, "yyyy")
    with pytest.raises(ValueError, match="Converter 'int' is already registered."):
        register_converter(FourDigitYearConverter, "int")


def test_registering_an_incomplete_converter_is_an_error() -> None:
    class NoRegex:
        def to_python(self, value: str) -> str:
            return value

    with pytest.raises(TypeError, match="must define a 'regex' string.*'regex', 'to_url'"):
        register_converter(NoRegex, "noregex")
    assert "noregex" not in get_converters()


def test_unknown_converter_fails_when_the_pattern_is_made() -> None:
    with pytest.raises(
        ImproperlyConfigured, match=r"URL route 'x/<nope:v>/' uses invalid converter 'nope'\."
    ):
        path("x/<nope:v>/", views.empty_view)


def test_parameter_must_be_an_identifier() -> None:
    with pytest.raises(
        ImproperlyConfigured,
        match="URL route 'x/<int:2v>/' uses parameter name '2v' which isn't a valid Python "
        "identifier.",
    ):
        path("x/<int:2v>/", views.empty_view)


def test_no_whitespace_in_angle_brackets() -> None:
    with pytest.raises(ImproperlyConfigured, match="cannot contain whitespace in angle brackets"):
        path("x/<int: v>/", views.empty_view)


def test_route_regex() -> None:
    source, converters = _route_to_regex("books/<int:pk>/<slug>.html", True)
    assert source == r"^books/(?P<pk>[0-9]+)/(?P<slug>[^/]+)\.html\Z"
    assert set(converters) == {"pk", "slug"}
    assert _route_to_regex("books/", False) == ("^books/", {})
