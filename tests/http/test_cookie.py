from __future__ import annotations

import pytest

from fastjango.http import SimpleCookie, parse_cookie


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", {}),
        ("a=1", {"a": "1"}),
        ("a=1; b=two; c", {"a": "1", "b": "two", "": "c"}),
        ('quoted="a\\"b"', {"quoted": 'a"b'}),
        ("  spaced  =  value  ; ;", {"spaced": "value"}),
        ("eq=a=b", {"eq": "a=b"}),
        (
            'keebler=E=mc2; L="Loves"; fudge=\\012;',
            {"keebler": "E=mc2", "L": "Loves", "fudge": "\\012"},
        ),
        ('q="\\012"', {"q": "\n"}),
        ("csrftoken=1; sessionid=2; csrftoken=3", {"csrftoken": "3", "sessionid": "2"}),
        ("bad[name]=1; good=2", {"bad[name]": "1", "good": "2"}),
    ],
)
def test_parse_cookie(header: str, expected: dict[str, str]) -> None:
    assert parse_cookie(header) == expected


def test_simple_cookie_is_the_stdlib_one() -> None:
    cookie = SimpleCookie()
    cookie["a"] = "b"
    assert cookie.output() == "Set-Cookie: a=b"
