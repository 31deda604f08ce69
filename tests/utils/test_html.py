from __future__ import annotations

import datetime
import decimal
import json

import pytest

from fastjango.core.exceptions import SuspiciousOperation
from fastjango.utils.functional import lazystr
from fastjango.utils.html import (
    avoid_wrapping,
    conditional_escape,
    escape,
    escapejs,
    format_html,
    format_html_join,
    html_safe,
    json_script,
    linebreaks,
    smart_urlquote,
    strip_spaces_between_tags,
    strip_tags,
    urlize,
)
from fastjango.utils.safestring import SafeData, SafeString, mark_safe


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("&", "&amp;"),
        ("<", "&lt;"),
        (">", "&gt;"),
        ('"', "&quot;"),
        ("'", "&#x27;"),
        ("<b>&amp;</b>", "&lt;b&gt;&amp;amp;&lt;/b&gt;"),
        (5, "5"),
    ],
)
def test_escape(value: object, expected: str) -> None:
    result = escape(value)
    assert result == expected
    assert isinstance(result, SafeString)


def test_escape_escapes_safe_strings_again() -> None:
    assert escape(mark_safe("&amp;")) == "&amp;amp;"


def test_escape_lazy() -> None:
    assert str(escape(lazystr("<"))) == "&lt;"


def test_conditional_escape() -> None:
    assert conditional_escape("<") == "&lt;"
    safe = mark_safe("<b>")
    assert conditional_escape(safe) is safe
    assert conditional_escape(lazystr("<x>")) == "&lt;x&gt;"


def test_format_html() -> None:
    result = format_html("<a href='{}'>{name}</a>", "/x?a=1&b=2", name=mark_safe("<b>n</b>"))
    assert result == "<a href='/x?a=1&amp;b=2'><b>n</b></a>"
    assert isinstance(result, SafeString)


def test_format_html_needs_arguments() -> None:
    with pytest.raises(TypeError, match="args or kwargs must be provided"):
        format_html("<br>")


def test_format_html_join() -> None:
    rows = [("a", "<1>"), ("b", "2")]
    result = format_html_join("\n", "<li>{}: {}</li>", rows)
    assert result == "<li>a: &lt;1&gt;</li>\n<li>b: 2</li>"
    by_name = format_html_join(mark_safe("<br>"), "{x}", [{"x": "&"}, {"x": "y"}])
    assert by_name == "&amp;<br>y"
    assert isinstance(by_name, SafeString)


def test_linebreaks() -> None:
    assert linebreaks("a\nb\r\n\r\nc") == "<p>a<br>b</p>\n\n<p>c</p>"
    assert linebreaks("<x>\ny", autoescape=True) == "<p>&lt;x&gt;<br>y</p>"
    assert linebreaks("<x>") == "<p><x></p>"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<p>Hello <b>world</b></p>", "Hello world"),
        ("a &amp; b <br/>", "a &amp; b "),
        ("&#39;x&#39;", "&#39;x&#39;"),
        ("<<b>script>alert(1)<</b>/script>", "alert(1)"),
        ("no tags", "no tags"),
        ("a < b > c", "a < b > c"),
    ],
)
def test_strip_tags(value: str, expected: str) -> None:
    assert strip_tags(value) == expected


def test_strip_tags_gives_up_on_hostile_nesting() -> None:
    # Each pass peels one layer off "<<<b>b>b>", so deep nesting means many passes.
    assert strip_tags("<" * 10 + "b>" * 10) == ""
    with pytest.raises(SuspiciousOperation):
        strip_tags("<" * 60 + "b>" * 60)


def test_strip_spaces_between_tags() -> None:
    assert strip_spaces_between_tags("<p> <b>x</b>\n </p>") == "<p><b>x</b></p>"


def test_escapejs() -> None:
    assert escapejs("\\ ' \" < > & = - ; `\n\u2028") == (
        "\\u005C \\u0027 \\u0022 \\u003C \\u003E \\u0026 \\u003D \\u002D \\u003B "
        "\\u0060\\u000A\\u2028"
    )
    assert isinstance(escapejs("x"), SafeString)


def test_json_script() -> None:
    value = {"a": "</script><b>&", "d": datetime.date(2024, 1, 2), "n": decimal.Decimal("1.5")}
    result = json_script(value, "data")
    assert result.startswith('<script id="data" type="application/json">')
    body = result.removeprefix('<script id="data" type="application/json">').removesuffix(
        "</script>"
    )
    assert "<" not in body and "&" not in body
    assert json.loads(body) == {"a": "</script><b>&", "d": "2024-01-02", "n": "1.5"}
    assert json_script([1]) == '<script type="application/json">[1]</script>'
    assert json_script("x", encoder=json.JSONEncoder) == (
        '<script type="application/json">"x"</script>'
    )


def test_smart_urlquote() -> None:
    assert smart_urlquote("http://example.com/a b") == "http://example.com/a%20b"
    assert smart_urlquote("http://example.com/a%20b") == "http://example.com/a%20b"
    assert smart_urlquote("http://ex.com/?q=a b&x=%26") == "http://ex.com/?q=a+b&x=%26"
    assert smart_urlquote("http://öbb.at/") == "http://xn--bb-eka.at/"
    assert smart_urlquote("http://[bad/") == "http://[bad/"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "see http://example.com.",
            'see <a href="http://example.com" rel="nofollow">http://example.com</a>.',
        ),
        (
            "(www.example.com)",
            '(<a href="http://www.example.com" rel="nofollow">www.example.com</a>)',
        ),
        ("mail me@example.com", 'mail <a href="mailto:me@example.com">me@example.com</a>'),
        (
            "djangoproject.org/x,",
            '<a href="http://djangoproject.org/x" rel="nofollow">djangoproject.org/x</a>,',
        ),
        ("nothing here", "nothing here"),
        ("a.b @x x@ a@b@c x@.com", "a.b @x x@ a@b@c x@.com"),
        (
            "[https://ex.com/a_(b)]",
            '[<a href="https://ex.com/a_(b)" rel="nofollow">https://ex.com/a_(b)</a>]',
        ),
    ],
)
def test_urlize(text: str, expected: str) -> None:
    assert urlize(text, nofollow=True) == expected


def test_urlize_autoescape_and_trim() -> None:
    result = urlize("<b> http://example.com/very/long/path", trim_url_limit=15, autoescape=True)
    assert result == ('&lt;b&gt; <a href="http://example.com/very/long/path">http://example…</a>')
    # Safe input is linked but not escaped again.
    safe_input = mark_safe("<b>http://x.com</b>")
    assert urlize(safe_input, autoescape=True) == '<b><a href="http://x.com">http://x.com</a></b>'
    assert urlize(mark_safe("<i>&</i>"), autoescape=True) == "<i>&</i>"
    assert urlize("x@ex.com.", autoescape=True) == '<a href="mailto:x@ex.com">x@ex.com</a>.'


def test_urlize_keeps_entities() -> None:
    # The ";" of a real entity stays in the link; other trailing ";" are punctuation.
    assert urlize("http://a.com/&lt;;") == '<a href="http://a.com/%3C">http://a.com/&lt;</a>;'
    assert urlize("http://a.com/&b;.") == '<a href="http://a.com/&amp;b">http://a.com/&b</a>;.'
    assert urlize("go http://a.com/&amp;x;;") == (
        'go <a href="http://a.com/&amp;x">http://a.com/&amp;x</a>;;'
    )


def test_urlize_bad_idn_email_is_left_alone() -> None:
    assert urlize("me@" + "a" * 70 + ".com") == "me@" + "a" * 70 + ".com"


def test_avoid_wrapping() -> None:
    assert avoid_wrapping("10 KB") == "10\xa0KB"


def test_html_safe() -> None:
    @html_safe
    class Thing:
        def __str__(self) -> str:
            return "<b>thing</b>"

    thing = Thing()
    assert isinstance(str(thing), SafeData)
    assert thing.__html__() == "<b>thing</b>"  # type: ignore[attr-defined]
    assert conditional_escape(thing) == "<b>thing</b>"

    with pytest.raises(ValueError, match="defines __html__"):

        @html_safe
        class WithHtml:
            def __html__(self) -> str:
                return ""

            def __str__(self) -> str:
                return ""

    with pytest.raises(ValueError, match="doesn't define __str__"):

        @html_safe
        class NoStr:
            pass


def test_strip_tags_keeps_character_references() -> None:
    assert strip_tags("<b>&#39;x&#x27;</b>") == "&#39;x&#x27;"


def test_smart_urlquote_leaves_an_invalid_host_to_the_browser() -> None:
    host = "a" * 64 + ".com"
    assert smart_urlquote(f"http://{host}/ x") == f"http://{host}/%20x"
