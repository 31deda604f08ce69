"""normalize(): the forms a URL regex reverses to, as Django's tests expect them."""

from __future__ import annotations

import re

import pytest

from fastjango.utils.regex_helper import _lazy_re_compile, normalize


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("", [("", [])]),
        (r"^$", [("", [])]),
        (r"\\\^\$\.\|\?\*\+\(\)\[", [("\\^$.|?*+()[", [])]),
        (r"(.*)x", [("%(_0)sx", ["_0"])]),
        (r"(?:non-capturing)", [("non-capturing", [])]),
        (
            r"(?P<first_group_name>.*)-(?P<second_group_name>.*)",
            [
                (
                    "%(first_group_name)s-%(second_group_name)s",
                    ["first_group_name", "second_group_name"],
                )
            ],
        ),
        (
            r"(?P<first_group_name>.*)-(?P=first_group_name)",
            [("%(first_group_name)s-%(first_group_name)s", ["first_group_name"])],
        ),
        (r"^blog/(page-([0-9]+)/)?$", [("blog/", []), ("blog/%(_0)s", ["_0"])]),
        (
            r"^comments/(?:page-(?P<page_number>[0-9]+)/)?$",
            [("comments/", []), ("comments/page-%(page_number)s/", ["page_number"])],
        ),
        (r"^a(?:b)?c$", [("ac", [])]),
        (r"^x{3}y+z*$", [("xxxy", [])]),
        (r"^x{2,5}?y{,3}$", [("xx", [])]),
        (r"^a+?b*?c??d$", [("ad", [])]),
        (r"^\d\D\s\S\w\W\b\B\A\Z$", [("0x xx!", [])]),
        (r"^[^/]+/[abc]/[\d]$", [("^/a/0", [])]),
        (r"^[\]x]$", [("]", [])]),
        (r"^.$", [(".", [])]),
        (r"^(?=look)ahead(?!not)(?<=behind)(?<!x)$", [("ahead", [])]),
        (r"^100%/(?P<p>%+)/\%$", [("100%%/%(p)s/%%", ["p"])]),
        (r"^[%]$", [("%%", [])]),
        (r"^a|b$", [("", [])]),
        (r"^(?:a|b)$", [("", [])]),
        (r"^(?P<kind>a|b)/$", [("%(kind)s/", ["kind"])]),
        (r"^(a(b)c)(\()$", [("%(_0)s%(_1)s", ["_0", "_1"])]),
        (r"^()x$", [("%(_0)sx", ["_0"])]),
        (
            r"^(?:(?P<a>\d+)/(?:(?P<b>\d+)/)?)?$",
            [("", []), ("%(a)s/", ["a"]), ("%(a)s/%(b)s/", ["a", "b"])],
        ),
        (r"^(?P<a>\d)(?:/x)*(?P<b>\d)?$", [("%(a)s", ["a"]), ("%(a)s%(b)s", ["a", "b"])]),
        (r"*a", [("a", [])]),
        (r"^ab+", [("ab", [])]),
        (r"a)b", [("ab", [])]),
        ("trailing\\", [("trailing\\", [])]),
    ],
)
def test_normalize(pattern: str, expected: list[tuple[str, list[str]]]) -> None:
    assert normalize(pattern) == expected


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (r"(?i)x", "Non-reversible reg-exp portion: '(?i'"),
        (r"(?#comment)x", "Non-reversible reg-exp portion: '(?#'"),
        (r"(?P>x)", "Non-reversible reg-exp portion: '(?P>'"),
    ],
)
def test_non_reversible_constructs(pattern: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        normalize(pattern)


def test_forms_reverse_what_the_regex_matches() -> None:
    pattern = r"^articles/(?P<year>[0-9]{4})/(?:(?P<slug>[\w-]+)/)?$"
    regex = re.compile(pattern)
    values = {"year": "2024", "slug": "hello-world"}
    for fmt, params in normalize(pattern):
        assert regex.fullmatch(fmt % {p: values[p] for p in params})


def test_lazy_re_compile() -> None:
    lazy = _lazy_re_compile(r"^a+$", re.IGNORECASE)
    assert lazy.match("AAA")
    compiled = re.compile("x")
    assert _lazy_re_compile(compiled).pattern == "x"
    with pytest.raises(ValueError, match="flags must be empty"):
        _lazy_re_compile(compiled, re.IGNORECASE).match("x")
