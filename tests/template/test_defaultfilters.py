from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal
from typing import Any

import jinja2
import pytest

from fastjango.template import defaultfilters as f
from fastjango.template.backends.jinja2 import Jinja2
from fastjango.test.utils import override_settings
from fastjango.utils import timezone
from fastjango.utils.safestring import SafeData, SafeString, mark_safe


@pytest.fixture(scope="module")
def engine() -> Jinja2:
    return Jinja2({"NAME": "filters", "DIRS": [], "APP_DIRS": False, "OPTIONS": {}})


def render(engine: Jinja2, source: str, **context: Any) -> str:
    return str(engine.from_string(source).render(context))


# ---------------------------------------------------------------- strings


def test_addslashes(engine: Jinja2) -> None:
    assert f.addslashes("\"double\" 'single' \\") == "\\\"double\\\" \\'single\\' \\\\"
    assert render(engine, "{{ v|addslashes }}", v="it's") == "it\\&#39;s"
    assert isinstance(f.addslashes(mark_safe("'")), SafeData)


def test_capfirst(engine: Jinja2) -> None:
    assert f.capfirst("hello") == "Hello"
    assert f.capfirst("") == ""
    assert render(engine, "{{ v|capfirst }}", v="<b>") == "&lt;b&gt;"
    assert render(engine, "{{ v|capfirst }}", v=mark_safe("<b>x</b>")) == "<b>x</b>"


def test_cut() -> None:
    assert f.cut("a string to be mangled", "a") == " string to be mngled"
    assert isinstance(f.cut(mark_safe("&amp;x"), "x"), SafeData)
    assert not isinstance(f.cut(mark_safe("&amp;"), ";"), SafeData)


def test_escapejs_and_json_script(engine: Jinja2) -> None:
    assert render(engine, "{{ v|escapejs }}", v="</script>") == "\\u003C/script\\u003E"
    assert render(engine, "{{ v|json_script('d') }}", v={"a": "<"}) == (
        '<script id="d" type="application/json">{"a": "\\u003C"}</script>'
    )


@pytest.mark.parametrize(
    ("value", "arg", "expected"),
    [
        (7.7, -1, "7.7"),
        (7.0, -1, "7"),
        (0.7, -1, "0.7"),
        (0.07, -1, "0.1"),
        (0.007, -1, "0.0"),
        (0.0, -1, "0"),
        (7.7, 3, "7.700"),
        (6.000000, 3, "6.000"),
        (6.200000, 3, "6.200"),
        (6.200000, -3, "6.200"),
        (13.1031, -3, "13.103"),
        (11.1197, -2, "11.12"),
        (11.0000, -2, "11"),
        (11.000001, -2, "11.00"),
        (8.2798, 3, "8.280"),
        (5555.555, 2, "5555.56"),
        (001.3000, 2, "1.30"),
        (0.12345, 2, "0.12"),
        (Decimal("555.555"), 2, "555.56"),
        (Decimal("09.000"), -1, "9"),
        ("foo", -1, ""),
        (13.1031, "bar", "13.1031"),
        (18.125, 2, "18.13"),
        (-1.323297138040798e35, 2, "-132329713804079800000000000000000000.00"),
        (-0.01, -1, "0.0"),
        (-0.001, 2, "0.00"),
        (6666.6666, "2g", "6,666.67"),
        (66666.666, "-2g", "66,666.67"),
        (10000, "g", "10,000"),
        # "u" means the settings' formats, where NUMBER_GROUPING is 0.
        (10000, "gu", "10000"),
        (66666.6666, "2u", "66666.67"),
        ("1234", "ug", "1234"),
        (None, -1, ""),
        ("nan", -1, "nan"),
        ("1e" + "9" * 5, 2, "1e99999"),
        (Decimal("1e-300"), 2, "1E-300"),
    ],
)
def test_floatformat(value: Any, arg: Any, expected: str) -> None:
    assert f.floatformat(value, arg) == expected


def test_floatformat_in_templates(engine: Jinja2) -> None:
    assert render(engine, "{{ 34.23234|floatformat }} {{ 34.26|floatformat('3') }}") == (
        "34.2 34.260"
    )
    with override_settings(USE_THOUSAND_SEPARATOR=True):
        assert f.floatformat(66666.666, "2u") == "66666.67"
        assert f.floatformat(66666.666, 2) == "66,666.67"


def test_iriencode() -> None:
    assert f.iriencode("S\xf8r-Tr\xf8ndelag") == "S%C3%B8r-Tr%C3%B8ndelag"
    assert f.iriencode("fran\xe7ois & jill") == "fran%C3%A7ois%20&%20jill"


def test_linenumbers(engine: Jinja2) -> None:
    assert f.linenumbers("line 1\nline 2") == "1. line 1\n2. line 2"
    assert f.linenumbers("\n".join(["x"] * 10))[:6] == "01. x\n"
    assert f.linenumbers("<a>", autoescape=False) == "1. <a>"
    assert render(engine, "{{ v|linenumbers }}", v="<a>\nb") == "1. &lt;a&gt;\n2. b"
    assert render(
        engine, "{% autoescape false %}{{ v|linenumbers }}{% endautoescape %}", v="<a>"
    ) == ("1. <a>")


def test_make_list_and_slugify(engine: Jinja2) -> None:
    assert f.make_list("abc") == ["a", "b", "c"]
    assert f.make_list(1234) == ["1", "2", "3", "4"]
    assert render(engine, "{{ v|slugify }}", v=" Jack & Jill like numbers 1,2,3 ") == (
        "jack-jill-like-numbers-123"
    )


def test_stringformat() -> None:
    assert f.stringformat(1, "03d") == "001"
    assert f.stringformat([1, None], "s") == "[1, None]"
    assert f.stringformat((1, 2, 3), "s") == "(1, 2, 3)"
    assert f.stringformat(1, "z") == ""
    assert f.stringformat("x", "d") == ""


@pytest.mark.parametrize(
    ("name", "value", "arg", "expected"),
    [
        ("truncatechars", "Testing, testing", 7, "Testin…"),
        ("truncatechars", "Testing", "bad", "Testing"),
        (
            "truncatechars_html",
            "<p>one <a href='#'>two - three <br>four</a> five</p>",
            9,
            "<p>one <a href='#'>two …</a></p>",
        ),
        ("truncatechars_html", "abc", "x", "abc"),
        ("truncatewords", "A sentence with a few words in it", 5, "A sentence with a few …"),
        ("truncatewords", "A sentence", "x", "A sentence"),
        (
            "truncatewords_html",
            "<p>one <a href='#'>two - three <br>four</a> five</p>",
            4,
            "<p>one <a href='#'>two - three <br> …</a></p>",
        ),
    ],
)
def test_truncation(name: str, value: str, arg: Any, expected: str) -> None:
    assert getattr(f, name)(value, arg) == expected


def test_truncation_keeps_safe_input_safe(engine: Jinja2) -> None:
    html = mark_safe("<p>one two three</p>")
    assert render(engine, "{{ v|truncatewords_html(2) }}", v=html) == "<p>one two …</p>"
    assert render(engine, "{{ v|truncatewords_html(2) }}", v="<p>one two three</p>") == (
        "&lt;p&gt;one two …&lt;/p&gt;"
    )


def test_urlencode(engine: Jinja2) -> None:
    assert f.urlencode("fran\xe7ois & jill") == "fran%C3%A7ois%20%26%20jill"
    assert f.urlencode('/test&"/me?/') == "/test%26%22/me%3F/"
    assert f.urlencode("/test/me/", "") == "%2Ftest%2Fme%2F"
    assert f.urlencode({"a": "1 2", "b": "&"}) == "a=1+2&b=%26"
    assert render(engine, "{{ v|urlencode }}", v=[("q", "x y")]) == "q=x+y"


def test_urlize_filters(engine: Jinja2) -> None:
    assert render(engine, "{{ v|urlize }}", v="<go> www.example.com") == (
        '&lt;go&gt; <a href="http://www.example.com" rel="nofollow">www.example.com</a>'
    )
    assert render(engine, "{{ v|urlizetrunc(10) }}", v="http://example.com/long") == (
        '<a href="http://example.com/long" rel="nofollow">http://ex…</a>'
    )
    assert f.urlize("<b> a.com", autoescape=False).startswith("<b> ")


def test_wordcount_wordwrap_ljust_rjust(engine: Jinja2) -> None:
    assert f.wordcount("a b  c\nd") == 4
    assert render(engine, "{{ v|wordwrap(5) }}", v="this is a test") == "this\nis a\ntest"
    assert f.ljust("x", 3) == "x  " and f.rjust("x", "3") == "  x"


# ---------------------------------------------------------------- HTML


def test_escaping_filters(engine: Jinja2) -> None:
    assert render(engine, "{{ v|force_escape }}", v=mark_safe("<b>")) == "&lt;b&gt;"
    assert render(engine, "{{ v|escapeseq|join(',') }}", v=["<a>", mark_safe("<b>")]) == (
        "&lt;a&gt;,<b>"
    )
    assert render(engine, "{{ v|safeseq|join(',') }}", v=["<a>", "<b>"]) == "<a>,<b>"


def test_linebreaks_filters(engine: Jinja2) -> None:
    assert render(engine, "{{ v|linebreaks }}", v="<a>\nb\n\nc") == (
        "<p>&lt;a&gt;<br>b</p>\n\n<p>c</p>"
    )
    assert render(engine, "{{ v|linebreaks }}", v=mark_safe("<a>\nb")) == "<p><a><br>b</p>"
    assert render(engine, "{{ v|linebreaksbr }}", v="<a>\r\nb") == "&lt;a&gt;<br>b"
    assert f.linebreaksbr("<a>\nb", autoescape=False) == "<a><br>b"


def test_striptags(engine: Jinja2) -> None:
    value = 'some <b>html</b> with <script>alert("x")</script> disallowed <img /> tags'
    assert f.striptags(value) == 'some html with alert("x") disallowed  tags'
    assert render(engine, "{{ v|striptags }}", v="<b>a &amp; b</b>") == "a &amp;amp; b"
    assert render(engine, "{{ v|striptags }}", v=mark_safe("<b>a &amp; b</b>")) == "a &amp; b"


def test_unordered_list(engine: Jinja2) -> None:
    assert f.unordered_list(["item 1", "item 2"]) == "\t<li>item 1</li>\n\t<li>item 2</li>"
    nested = ["States", ["Kansas", ["Lawrence", "Topeka"], "Illinois"]]
    assert f.unordered_list(nested) == (
        "\t<li>States\n\t<ul>\n\t\t<li>Kansas\n\t\t<ul>\n\t\t\t<li>Lawrence</li>\n"
        "\t\t\t<li>Topeka</li>\n\t\t</ul>\n\t\t</li>\n\t\t<li>Illinois</li>\n\t</ul>\n\t</li>"
    )
    assert f.unordered_list(["a", ("b",)]) == "\t<li>a\n\t<ul>\n\t\t<li>b</li>\n\t</ul>\n\t</li>"
    assert f.unordered_list(["a", ["b"], "c", ["d"]]).count("<ul>") == 2
    assert f.unordered_list([]) == ""
    assert render(engine, "{{ v|unordered_list }}", v=["<a>"]) == "\t<li>&lt;a&gt;</li>"
    assert f.unordered_list(["<a>"], autoescape=False) == "\t<li><a></li>"


# ---------------------------------------------------------------- numbers and logic


def test_add() -> None:
    assert f.add("1", 2) == 3
    assert f.add([1], [2]) == [1, 2]
    assert f.add("a", "b") == "ab"
    assert f.add(object(), 1) == ""


def test_get_digit() -> None:
    assert f.get_digit(123, 1) == 3
    assert f.get_digit(123, 3) == 1
    assert f.get_digit(123, 4) == 0
    assert f.get_digit(123, 0) == 123
    assert f.get_digit("xyz", 0) == "xyz"


def test_divisibleby_default_if_none_yesno(engine: Jinja2) -> None:
    assert f.divisibleby(4, 2) is True and f.divisibleby(4, 3) is False
    assert f.default_if_none(None, "d") == "d" and f.default_if_none(0, "d") == 0
    assert f.yesno(True) == "yes" and f.yesno(False) == "no" and f.yesno(None) == "maybe"
    assert f.yesno(None, "certainly,get out of town") == "get out of town"
    assert f.yesno(True, "a,b,c,d") == "a" and f.yesno(None, "a,b,c,d") == "b"
    assert f.yesno(True, "certainly") is True
    assert render(engine, "{{ v|yesno('y,n') }}", v=0) == "n"


@pytest.mark.parametrize(
    ("value", "arg", "expected"),
    [
        (1, "s", ""),
        (2, "s", "s"),
        (0, "es", "es"),
        ("1", "s", ""),
        (1.0, "y,ies", "y"),
        (2, "y,ies", "ies"),
        ([1], "s", ""),
        ([1, 2], "s", "s"),
        ("x", "s", ""),
        (object(), "s", ""),
        (2, "a,b,c", ""),
    ],
)
def test_pluralize(value: Any, arg: str, expected: str) -> None:
    assert f.pluralize(value, arg) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1023, "1023\xa0bytes"),
        (1, "1\xa0byte"),
        (1024, "1.0\xa0KB"),
        (10 * 1024, "10.0\xa0KB"),
        (1024 * 1024 - 1, "1024.0\xa0KB"),
        (1024 * 1024 * 50, "50.0\xa0MB"),
        (1024**3, "1.0\xa0GB"),
        (1024**4, "1.0\xa0TB"),
        (1024**5 * 2000, "2000.0\xa0PB"),
        (-100, "-100\xa0bytes"),
        (-1024 * 1024 * 50, "-50.0\xa0MB"),
        ("", "0\xa0bytes"),
        (None, "0\xa0bytes"),
    ],
)
def test_filesizeformat(value: Any, expected: str) -> None:
    assert f.filesizeformat(value) == expected


def test_phone2numeric(engine: Jinja2) -> None:
    assert render(engine, "{{ v|phone2numeric }}", v="0800 flowers") == "0800 3569377"


# ---------------------------------------------------------------- dates


def test_date_filter(engine: Jinja2) -> None:
    value = datetime.datetime(2024, 3, 5, 14, 30)
    assert f.date(value) == "March 5, 2024"
    assert f.date(value, "SHORT_DATE_FORMAT") == "03/05/2024"
    assert render(engine, '{{ v|date("Y-m-d H:i") }}', v=value) == "2024-03-05 14:30"
    assert f.date(None) == "" and f.date("") == ""
    assert f.date("not a date", "Y") == ""
    assert f.date(datetime.time(10, 30), "H:i") == "10:30"
    with pytest.raises(TypeError):
        f.date(datetime.date(2024, 1, 1), "H")


def test_date_filter_converts_aware_datetimes_to_the_current_timezone() -> None:
    value = datetime.datetime(2024, 7, 1, 22, 30, tzinfo=datetime.UTC)
    with timezone.override("Europe/Paris"):
        assert f.date(value, "Y-m-d H:i e") == "2024-07-02 00:30 CEST"
        assert f.time(value, "H:i T") == "00:30 CEST"
    with timezone.override("Europe/Paris"), override_settings(USE_TZ=False):
        assert f.date(value, "H:i") == "22:30"


def test_time_filter(engine: Jinja2) -> None:
    assert f.time(datetime.time(13, 0)) == "1 p.m."
    assert f.time(datetime.time(13, 5), "H:i") == "13:05"
    assert render(engine, '{{ v|time("H") }}', v=datetime.datetime(2024, 1, 1, 9)) == "09"
    assert f.time(None) == "" and f.time("x", "H") == ""
    assert f.time(datetime.date(2024, 1, 1), "H") == ""


def test_timesince_and_timeuntil_filters() -> None:
    base = datetime.datetime(2024, 1, 1, 12)
    assert f.timesince_filter(base, base + datetime.timedelta(days=2)) == "2\xa0days"
    assert f.timeuntil_filter(base + datetime.timedelta(hours=3), base) == "3\xa0hours"
    assert f.timesince_filter(None) == "" and f.timeuntil_filter("") == ""
    naive_past = datetime.datetime.now() - datetime.timedelta(minutes=5, seconds=1)
    assert f.timesince_filter(naive_past) == "5\xa0minutes"
    aware = datetime.datetime(2024, 1, 1, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
    assert f.timesince_filter(aware, base) == ""  # naive vs aware: Django gives ""
    assert f.timeuntil_filter(aware, base) == ""


# ---------------------------------------------------------------- humanize


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (100, "100"),
        (1000, "1,000"),
        (10123, "10,123"),
        (-1234567.25, "-1,234,567.25"),
        ("100", "100"),
        ("1000", "1,000"),
        (Decimal("1234.5"), "1,234.5"),
        ("-1234.5", "-1,234.5"),
        ("abc", "abc"),
        (None, "None"),
        (mark_safe("12345.6"), "12,345.6"),
    ],
)
def test_intcomma(value: Any, expected: str) -> None:
    from fastjango.template.humanize import intcomma

    assert intcomma(value) == expected


def test_intcomma_without_l10n_keeps_safety() -> None:
    from fastjango.template.humanize import intcomma

    assert intcomma(1234567, use_l10n=False) == "1,234,567"
    assert isinstance(intcomma(mark_safe("1234x"), use_l10n=False), SafeString)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (101, "101st"),
        (102, "102nd"),
        (111, "111th"),
        ("21", "21st"),
        (-1, "-1"),
        ("x", "x"),
    ],
)
def test_ordinal(engine: Jinja2, value: Any, expected: str) -> None:
    assert render(engine, "{{ v|ordinal }}", v=value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, "one"), (5, "five"), ("9", "nine"), (10, 10), (0, 0), ("x", "x")],
)
def test_apnumber(value: Any, expected: Any) -> None:
    from fastjango.template.humanize import apnumber

    assert apnumber(value) == expected


# ---------------------------------------------------------------- registration


def test_install_replaces_only_jinja2_builtins() -> None:
    env = jinja2.Environment()
    env.filters["slugify"] = own = lambda value: "mine"
    f.install(env)
    assert env.filters["slugify"] is own
    assert env.filters["urlize"] is f.FILTERS["urlize"]
    assert env.filters["filesizeformat"] is f.filesizeformat
    assert env.filters["default"] is jinja2.filters.FILTERS["default"]
    assert env.filters["title"] is jinja2.filters.FILTERS["title"]


def test_every_filter_is_registered(engine: Jinja2) -> None:
    for name in f.FILTERS:
        assert name in engine.env.filters
    assert len(f.FILTERS) >= 44
