"""HTML compared by meaning: the parser behind assertHTMLEqual and assertInHTML."""

from __future__ import annotations

import pytest

from fastjango.test.html import Element, HTMLParseError, RootElement, parse_html


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("<p>a  b</p>", "<p>\n a b \n</p>"),
        ('<a href="/x" id="y">x</a>', "<a id='y' href='/x'>x</a>"),
        ('<div class="b  a"></div>', '<div class="a b"></div>'),
        ("<input checked>", '<input checked="checked">'),
        ("<input checked>", '<input checked="">'),
        ("<input foo>", '<input foo="">'),
        ("<br>", "<br/>"),
        ("<br>", "<br></br>"),
        ("<p>&amp; &lt;</p>", "<p>&#38; &#60;</p>"),
        ("<p>a<!-- comment --></p>", "<p>a</p>"),
        ("<div><p>x</div>", "<div><p>x</p></div>"),
        ("<span>open", "<span>open</span>"),
    ],
)
def test_equal(first: str, second: str) -> None:
    assert parse_html(first) == parse_html(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("<p>a</p>", "<p>b</p>"),
        ("<p>a</p>", "<div>a</div>"),
        ('<p class="a"></p>', "<p></p>"),
        ('<input value="1">', '<input value="2">'),
        ("<p>a</p><p>b</p>", "<p>b</p><p>a</p>"),
    ],
)
def test_not_equal(first: str, second: str) -> None:
    assert parse_html(first) != parse_html(second)


def test_parse_shapes_and_rendering() -> None:
    single = parse_html("<p class='x'>Hi &amp; bye</p>")
    assert isinstance(single, Element) and not isinstance(single, RootElement)
    assert str(single) == '<p class="x">Hi &amp; bye</p>'
    fragment = parse_html("<b>a</b> and <i>b</i>")
    assert isinstance(fragment, RootElement)
    assert str(fragment) == "<b>a</b>and<i>b</i>"
    assert str(parse_html("<input disabled><br>")) == "<input disabled><br>"
    text = parse_html("just text")
    assert isinstance(text, RootElement)
    assert text.children == ["just text"]
    assert (single == "not an element") is False
    assert hash(parse_html("<p>a</p>")) == hash(parse_html("<p>b</p>"))


def test_count_elements_text_and_sequences() -> None:
    page = parse_html("<div><p>One</p><p>Two</p><p>One</p><span><p>One</p></span></div>")
    assert page.count(parse_html("<p>One</p>")) == 3
    assert page.count("One") == 3
    assert page.count(parse_html("One")) == 3
    assert page.count(parse_html("<p>One</p><p>Two</p>")) == 1
    assert page.count(parse_html("<p>Two</p><p>Two</p>")) == 0
    assert page.count(RootElement()) == 0
    assert parse_html("<p>One</p>") in page
    assert "Two" in page
    assert 3 not in page


def test_unexpected_end_tag() -> None:
    with pytest.raises(HTMLParseError, match=r"Unexpected end tag `div` \(Line 1, Column 8\)"):
        parse_html("<p>a</p></div>")
