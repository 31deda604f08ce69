"""Start-up validation: check_resolver() lists every problem, validate_urlconf() raises."""

from __future__ import annotations

import types
from typing import Any

import pytest

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.test.utils import override_settings
from fastjango.urls import get_resolver, include, path, re_path
from fastjango.urls.resolvers import check_resolver, validate_urlconf
from tests.urls import views


def module(**attrs: Any) -> types.ModuleType:
    urlconf = types.ModuleType("throwaway_urlconf")
    for name, value in attrs.items():
        setattr(urlconf, name, value)
    return urlconf


def problems_of(urlconf: Any) -> list[Any]:
    return check_resolver(get_resolver(urlconf))


def test_a_good_urlconf_has_no_problems() -> None:
    for urlconf in (
        "tests.urls.urlconf_docs",
        "tests.urls.urlconf_namespaces",
        "tests.urls.urlconf_mount",
        "tests.urls.urlconf_handlers",
    ):
        assert problems_of(urlconf) == []
        validate_urlconf(urlconf)


def test_every_problem_of_the_broken_urlconf_is_listed() -> None:
    problems = problems_of("tests.urls.urlconf_broken")
    by_id: dict[str, list[str]] = {}
    for problem in problems:
        by_id.setdefault(problem.id, []).append(str(problem))
    assert by_id["urls.E101"] == [
        "Your URL pattern '^bad(/$' [name='bad-regex'] is invalid: \"^bad(/$\" is not a valid "
        "regular expression: missing ), unterminated subpattern at position 4"
    ]
    assert by_id["urls.E009"] == [
        "Your URL pattern 'cbv/' [name='cbv'] has an invalid view, pass BookView.as_view() "
        "instead of BookView."
    ]
    assert by_id["urls.E004"] == [
        "Your URL pattern 'admin/' is invalid. Ensure that urlpatterns is a list of path() "
        "and/or re_path() instances.",
        "Your URL pattern ('tuple/', " + repr(views.empty_view) + ") is invalid. Ensure that "
        "urlpatterns is a list of path() and/or re_path() instances.",
        "The URLconf 'tests.urls.urlconf_not_list' defines urlpatterns as a dict; it must be "
        "a list of path() and/or re_path() instances.",
    ]
    assert by_id["urls.E103"][0].startswith(
        "The included URLconf '<module 'tests.urls.urlconf_no_patterns' from "
    )
    assert by_id["urls.E103"][0].endswith(
        "does not appear to have any patterns in it. If you see the 'urlpatterns' variable "
        "with valid patterns in the file then the issue is probably caused by a circular "
        "import."
    )
    assert by_id["urls.E102"] == [
        "The URLconf 'tests.urls.does_not_exist' could not be imported: ModuleNotFoundError: "
        "No module named 'tests.urls.does_not_exist'"
    ]
    # Django allows a name twice (reverse() takes the last): a warning, not an error.
    assert by_id["urls.W104"] == [
        "URL name 'dup' is used by 'dup/a/<int:pk>/' and 'dup/b/<int:pk>/' with the same "
        "arguments (pk); reverse() can only reach 'dup/b/<int:pk>/'."
    ]
    assert by_id["urls.E008"] == [
        "The custom handler404 view 'tests.urls.views.missing_handler' could not be imported."
    ]
    assert by_id["urls.E007"] == [
        "The custom handler500 view 'tests.urls.views.bad_handler' does not take the correct "
        "number of arguments (request)."
    ]
    assert len(problems) == 10


def test_hints() -> None:
    problems = {p.id + str(p)[:30]: p for p in problems_of("tests.urls.urlconf_broken")}
    hints = [p.hint for p in problems.values() if p.hint]
    assert (
        "Try removing the string 'admin/'. The list of urlpatterns should not have a prefix "
        "string as the first element." in hints
    )
    assert "Try using path() instead of a tuple." in hints
    assert (
        "Could not import 'tests.urls.views.missing_handler'. View does not exist in module "
        "tests.urls.views." in hints
    )


def test_validate_urlconf_lists_every_problem() -> None:
    with pytest.raises(ImproperlyConfigured) as info:
        validate_urlconf("tests.urls.urlconf_broken")
    message = str(info.value)
    # Every error; the warning (a name used twice) doesn't stop start-up.
    assert message.startswith("The URLconf 'tests.urls.urlconf_broken' has 9 problem(s):\n  - ")
    assert message.count("\n  - ") == 9
    assert "URL name 'dup'" not in message
    assert "HINT: Try using path() instead of a tuple." in message
    assert isinstance(info.value.__cause__, ModuleNotFoundError)


def test_validate_urlconf_defaults_to_root_urlconf() -> None:
    with override_settings(ROOT_URLCONF="tests.urls.urlconf_import_error"):
        with pytest.raises(ImproperlyConfigured) as info:
            validate_urlconf()
    assert (
        "The URLconf 'tests.urls.urlconf_import_error' could not be imported: "
        "ModuleNotFoundError: No module named 'tests.urls.no_such_module'" in str(info.value)
    )


def test_no_root_urlconf() -> None:
    with override_settings(ROOT_URLCONF=None):
        with pytest.raises(
            ImproperlyConfigured, match="No URLconf is configured. Set ROOT_URLCONF"
        ):
            validate_urlconf()


def test_a_bad_converter_is_reported_as_an_import_failure() -> None:
    with pytest.raises(ImproperlyConfigured) as info:
        validate_urlconf("tests.urls.urlconf_bad_converter")
    assert (
        "could not be imported: ImproperlyConfigured: URL route '<nope:x>/' uses invalid "
        "converter 'nope'." in str(info.value)
    )


def test_same_name_with_different_arguments_is_fine() -> None:
    urlconf = module(
        urlpatterns=[
            path("blog/", views.page, name="page"),
            path("blog/page<int:num>/", views.page, name="page"),
            re_path(r"^c/(?:page-(?P<n>[0-9]+)/)?$", views.empty_view, name="c"),
            path("c/all/<int:year>/", views.empty_view, name="c"),
        ]
    )
    assert problems_of(urlconf) == []


def test_same_name_in_different_namespaces_is_fine() -> None:
    urlconf = module(
        urlpatterns=[
            path("a/", include("tests.urls.urlconf_polls", namespace="a")),
            path("b/", include("tests.urls.urlconf_polls", namespace="b")),
            path("", views.empty_view, name="index"),
        ]
    )
    assert problems_of(urlconf) == []


def test_duplicates_across_includes_and_optional_groups() -> None:
    urlconf = module(
        urlpatterns=[
            re_path(r"^c/(?:page-(?P<n>[0-9]+)/)?$", views.empty_view, name="c"),
            path("x/", include([path("c/", views.empty_view, name="c")])),
            path("polls/", include("tests.urls.urlconf_polls")),
            path("more-polls/", include(([path("", views.empty_view, name="index")], "polls"))),
        ]
    )
    problems = [str(p) for p in problems_of(urlconf)]
    assert problems == [
        "URL name 'c' is used by '^c/(?:page-(?P<n>[0-9]+)/)?$' and 'x/c/' with the same "
        "arguments (no arguments); reverse() can only reach 'x/c/'.",
        "URL name 'index' in namespace 'polls' is used by 'polls/' and 'more-polls/' with the "
        "same arguments (no arguments); reverse() can only reach 'more-polls/'.",
        # Django's urls.W005 too: the instance namespace 'polls' is deployed twice.
        "URL namespace 'polls' isn't unique. You may not be able to reverse all URLs in this "
        "namespace",
    ]


def test_handler_checks() -> None:
    def handler_with_kwargs(request: Any, exception: Any = None, **kwargs: Any) -> None:
        return None

    urlconf = module(
        urlpatterns=[],
        handler400=handler_with_kwargs,
        handler403="tests.urls.views.handler403",
        handler404=42,
        handler500=max,  # no signature to check
    )
    problems = problems_of(urlconf)
    assert [(p.id, str(p)) for p in problems] == [
        ("urls.E008", "The custom handler404 view '42' could not be imported.")
    ]
    assert problems[0].hint == "'42' is not a callable or a dot-notation path"


def test_resolve_error_handler() -> None:
    resolver = get_resolver("tests.urls.urlconf_handlers")
    assert resolver.resolve_error_handler(400) is views.handler400
    assert resolver.resolve_error_handler(403) is views.handler403
    assert resolver.resolve_error_handler(404) is views.handler404
    assert resolver.resolve_error_handler("500") is views.handler500
    assert get_resolver("tests.urls.urlconf_docs").resolve_error_handler(404) is None


def test_an_entry_of_another_type_has_no_hint() -> None:
    (problem,) = problems_of(module(urlpatterns=[42]))
    assert problem.id == "urls.E004"
    assert problem.hint is None


def test_unreadable_include_is_skipped_by_the_name_check() -> None:
    urlconf = module(
        urlpatterns=[
            path("a/", include([re_path(r"^(?P<x>", views.empty_view, name="a")])),
            re_path(r"^(?#not reversible)b/$", views.empty_view, name="b"),
            path("b/", views.empty_view, name="b"),
        ]
    )
    problems = problems_of(urlconf)
    assert [p.id for p in problems] == ["urls.E101"]


def test_a_module_included_twice_reports_its_problems_once() -> None:
    bad = ([re_path(r"^(unclosed/$", views.empty_view)], "bad")
    urlconf = module(
        urlpatterns=[
            path("one/", include(bad, namespace="one")),
            path("two/", include(bad, namespace="two")),
        ]
    )
    assert [p.id for p in problems_of(urlconf)] == ["urls.E101"]
