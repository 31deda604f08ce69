from __future__ import annotations

import pytest

from fastjango.core.exceptions import SuspiciousFileOperation
from fastjango.utils.functional import lazystr
from fastjango.utils.safestring import mark_safe
from fastjango.utils.text import (
    Truncator,
    add_truncation_text,
    camel_case_to_spaces,
    capfirst,
    format_lazy,
    get_text_list,
    get_valid_filename,
    normalize_newlines,
    phone2numeric,
    slugify,
    smart_split,
    unescape_string_literal,
    wrap,
)


def test_capfirst() -> None:
    assert capfirst("hello world") == "Hello world"
    assert capfirst("") == ""
    assert capfirst(None) is None
    assert capfirst(7) == "7"
    assert str(capfirst(lazystr("lazy"))) == "Lazy"
    assert capfirst(mark_safe("ab")) == "Ab"


def test_wrap() -> None:
    assert wrap("this is a long paragraph of text", 10) == "this is a\nlong\nparagraph\nof text"
    assert wrap("short\n\n   \nkeep\n", 20) == "short\n\n   \nkeep\n"
    assert wrap("averyveryverylongword x", 5) == "averyveryverylongword\nx"


def test_add_truncation_text() -> None:
    assert add_truncation_text("abc") == "abc…"
    assert add_truncation_text("abc", "...") == "abc..."
    assert add_truncation_text("abc...", "...") == "abc..."
    assert add_truncation_text("abc", "[%(truncated_text)s]") == "[abc]"


@pytest.mark.parametrize(
    ("num", "truncate", "expected"),
    [
        (100, None, "The quick brown fox jumped over the lazy dog."),
        (45, None, "The quick brown fox jumped over the lazy dog."),
        (44, None, "The quick brown fox jumped over the lazy do…"),
        (10, None, "The quick…"),
        (10, "...", "The qui..."),
        (1, "...", "..."),
        (0, None, ""),
        ("12", None, "The quick b…"),
    ],
)
def test_truncator_chars(num: int | str, truncate: str | None, expected: str) -> None:
    text = "The quick brown fox jumped over the lazy dog."
    assert Truncator(text).chars(num, truncate) == expected


def test_truncator_chars_ignores_combining_characters() -> None:
    # "e" + combining acute accent counts as one character.
    assert Truncator("ce\u0301cile dupont").chars(7) == "cécile…"
    assert Truncator("o\u0308o\u0308o\u0308o\u0308").chars(4) == "öööö"


def test_truncator_words() -> None:
    text = "The quick brown fox jumped over the lazy dog."
    assert Truncator(text).words(4) == "The quick brown fox…"
    assert Truncator(text).words(4, truncate=" …") == "The quick brown fox …"
    assert Truncator(text).words(4, "[snip]") == "The quick brown fox[snip]"
    assert Truncator("a  b\nc").words(5) == "a b c"
    assert Truncator(text).words(0) == ""
    assert str(Truncator(text)) == text


def test_truncator_html_words() -> None:
    html = '<p id="par"><strong><em>The quick brown fox jumped over the lazy dog.</em></strong></p>'
    assert Truncator(html).words(4, html=True, truncate=" …") == (
        '<p id="par"><strong><em>The quick brown fox …</em></strong></p>'
    )
    assert Truncator(html).words(100, html=True) == html
    assert Truncator("<p>one two</p><p>three</p>").words(2, html=True) == ("<p>one two</p><p>…</p>")
    assert Truncator("<br>one <img src='x'/> two three").words(2, html=True) == (
        "<br>one <img src='x'/> two…"
    )
    assert Truncator("a b c").words(0, html=True) == ""


def test_truncator_html_chars() -> None:
    html = '<p id="par"><strong><em>The quick brown fox jumped over the lazy dog.</em></strong></p>'
    assert Truncator(html).chars(10, html=True) == (
        '<p id="par"><strong><em>The quick…</em></strong></p>'
    )
    assert Truncator(html).chars(45, html=True) == html
    assert Truncator("<p>a &amp; b c d</p>").chars(4, html=True) == "<p>a &amp;…</p>"
    # Unbalanced end tags are written out and otherwise ignored.
    assert Truncator("<b>abc</i>def ghi").chars(5, html=True) == "<b>abc</i>d…</b>"


def test_truncator_html_limits_input_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Truncator, "MAX_LENGTH_HTML", 10)
    assert Truncator("<p>" + "x" * 50).chars(100, html=True) == "<p>xxxxxxx"


def test_get_valid_filename() -> None:
    assert get_valid_filename("john's portrait in 2004.jpg") == "johns_portrait_in_2004.jpg"
    for bad in ("$.$.$", "..", ""):
        with pytest.raises(SuspiciousFileOperation, match="Could not derive file name"):
            get_valid_filename(bad)


def test_get_text_list() -> None:
    assert get_text_list(["a", "b", "c", "d"]) == "a, b, c or d"
    assert get_text_list(["a", "b", "c"], "and") == "a, b and c"
    assert get_text_list(["a", "b"], "and") == "a and b"
    assert get_text_list(["a"]) == "a"
    assert get_text_list([]) == ""


def test_normalize_newlines() -> None:
    assert normalize_newlines("a\r\nb\rc\n") == "a\nb\nc\n"


def test_phone2numeric() -> None:
    assert phone2numeric("0800 FLOWERS") == "0800 3569377"


def test_smart_split() -> None:
    assert list(smart_split(r'This is "a person\'s" test.')) == [
        "This",
        "is",
        '"a person\\\'s"',
        "test.",
    ]
    assert list(smart_split("a key='b c' d")) == ["a", "key='b c'", "d"]


def test_unescape_string_literal() -> None:
    assert unescape_string_literal('"abc"') == "abc"
    assert unescape_string_literal("'\\'ab\\' c'") == "'ab' c"
    with pytest.raises(ValueError, match="Not a string literal"):
        unescape_string_literal("abc")


@pytest.mark.parametrize(
    ("value", "allow_unicode", "expected"),
    [
        ("Hello, World!", False, "hello-world"),
        ("  spam & eggs  ", False, "spam-eggs"),
        (
            "Jack & Jill like numbers 1,2,3 and 4 and silly characters ?%.$!/",
            False,
            "jack-jill-like-numbers-123-and-4-and-silly-characters",
        ),
        ("Un \xe9l\xe9phant \xe0 l'or\xe9e du bois", False, "un-elephant-a-loree-du-bois"),
        (
            "Un \xe9l\xe9phant \xe0 l'or\xe9e du bois",
            True,
            "un-\xe9l\xe9phant-\xe0-lor\xe9e-du-bois",
        ),
        ("__strip__dashes--", False, "strip__dashes"),
    ],
)
def test_slugify(value: str, allow_unicode: bool, expected: str) -> None:
    assert slugify(value, allow_unicode=allow_unicode) == expected


def test_camel_case_to_spaces() -> None:
    assert camel_case_to_spaces("CamelCaseHTTPServer") == "camel case http server"


def test_format_lazy() -> None:
    lazy = format_lazy("{} {name}", "hello", name=lazystr("world"))
    assert str(lazy) == "hello world"


def test_truncator_html_edge_cases() -> None:
    # Text held back by the parser (a trailing "&x") is truncated when the parser closes.
    assert Truncator("abcdef &x").chars(4, html=True) == "abc…"
    # End tags of void elements are dropped.
    assert Truncator("a</br> b c").words(1, html=True) == "a…"


def test_truncator_chars_with_combining_marks_that_do_not_compose() -> None:
    text = "x\u0301" * 5
    assert Truncator(text).chars(5) == text
    assert Truncator(text).chars(4) == "x\u0301" * 3 + "…"
