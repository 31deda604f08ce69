"""Django's "Django Utils" page (and "Unicode data"), for the modules FastJango has."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest

from fastjango.test import override_settings
from fastjango.utils import dateformat, dateparse, formats, text, timezone
from fastjango.utils.datastructures import MultiValueDict, MultiValueDictKeyError
from fastjango.utils.encoding import (
    escape_uri_path,
    filepath_to_uri,
    force_bytes,
    force_str,
    iri_to_uri,
    is_protected_type,
    smart_bytes,
    smart_str,
    uri_to_iri,
)
from fastjango.utils.functional import cached_property, classproperty, keep_lazy_text, lazy
from fastjango.utils.html import (
    conditional_escape,
    escape,
    format_html,
    format_html_join,
    html_safe,
    json_script,
    strip_tags,
    urlize,
)
from fastjango.utils.http import (
    base36_to_int,
    content_disposition_header,
    http_date,
    int_to_base36,
    parse_http_date,
    parse_http_date_safe,
    url_has_allowed_host_and_scheme,
    urlencode,
    urlsafe_base64_decode,
    urlsafe_base64_encode,
)
from fastjango.utils.module_loading import import_string
from fastjango.utils.safestring import SafeString, mark_safe
from fastjango.utils.timesince import timesince, timeuntil

# -- functional ------------------------------------------------------------------------------


def test_cached_property() -> None:
    calls: list[int] = []

    class Person:
        @cached_property
        def friends(self) -> list[str]:
            calls.append(1)
            return ["ada"]

    person = Person()
    assert person.friends == ["ada"] and person.friends == ["ada"]
    assert len(calls) == 1
    del person.friends  # the next access computes again
    assert person.friends == ["ada"] and len(calls) == 2


def test_classproperty_and_lazy() -> None:
    class Config:
        @classproperty
        def name(cls: Any) -> str:
            return str(cls.__name__).lower()

    assert Config.name == "config"
    lazy_upper = lazy(str.upper, str)
    value = lazy_upper("hi")
    assert str(value) == "HI"

    @keep_lazy_text
    def shout(value: str) -> str:
        return value.upper() + "!"

    assert shout("a") == "A!"
    assert str(shout(lazy(lambda: "b", str)())) == "B!"


def test_import_string() -> None:
    validation_error = import_string("fastjango.core.exceptions.ValidationError")
    assert validation_error.__name__ == "ValidationError"
    with pytest.raises(ImportError, match="doesn't look like a module path"):
        import_string("nodots")
    with pytest.raises(ImportError, match='does not define a "Nope" attribute'):
        import_string("fastjango.core.exceptions.Nope")


# -- html and safestring ---------------------------------------------------------------------


def test_format_html_and_join() -> None:
    assert (
        format_html("{} <b>{}</b> {}", mark_safe("<a>"), "<i>", "&") == "<a> <b>&lt;i&gt;</b> &amp;"
    )
    assert format_html("<a href='{url}'>{name}</a>", url="/x?a=1&b=2", name="<me>") == (
        "<a href='/x?a=1&amp;b=2'>&lt;me&gt;</a>"
    )
    users = [("Ada", "Lovelace"), ("Alan", "<Turing>")]
    assert format_html_join("\n", "<li>{} {}</li>", ((f, last) for f, last in users)) == (
        "<li>Ada Lovelace</li>\n<li>Alan &lt;Turing&gt;</li>"
    )
    books = [{"id": 1, "title": "<T>"}]
    assert format_html_join("\n", '<li data-id="{id}">{title}</li>', books) == (
        '<li data-id="1">&lt;T&gt;</li>'
    )
    with pytest.raises(TypeError, match="args or kwargs must be provided"):
        format_html("<b>no arguments</b>")


def test_escaping() -> None:
    assert escape("<a href=\"x\">'&'</a>") == (
        "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;/a&gt;"
    )
    assert escape(mark_safe("<b>")) == "&lt;b&gt;"  # escape() always escapes
    assert conditional_escape(mark_safe("<b>")) == "<b>"
    assert conditional_escape("<b>") == "&lt;b&gt;"
    assert strip_tags("<b>Joel</b> <button>is</button> a <span>slug</span>") == ("Joel is a slug")
    assert json_script({"hello": "world</script>&"}, "hello-data") == (
        '<script id="hello-data" type="application/json">'
        '{"hello": "world\\u003C/script\\u003E\\u0026"}</script>'
    )
    assert urlize("Check out www.djangoproject.com") == (
        'Check out <a href="http://www.djangoproject.com">www.djangoproject.com</a>'
    )


def test_html_safe_and_safestring() -> None:
    @html_safe
    class Link:
        def __str__(self) -> str:
            return "<a>"

    assert Link().__html__() == "<a>"  # type: ignore[attr-defined]
    assert conditional_escape(Link()) == "<a>"
    mystr = mark_safe("<b>Hello World</b>   ")
    assert type(mystr) is SafeString
    assert type(mystr + mark_safe("x")) is SafeString
    assert type(mystr + "x") is str  # as in Django: escaped later as a whole
    assert mystr[:3] == "<b>" and type(mystr[:3]) is str
    # Documented difference (docs/templates.md): other string methods follow markupsafe,
    # keeping the result safe and escaping their arguments; Django returns a plain str.
    assert mystr.strip() == "<b>Hello World</b>" and hasattr(mystr.strip(), "__html__")
    assert mark_safe("<b>%s</b>") % "<i>" == "<b>&lt;i&gt;</b>"


# -- http and encoding -----------------------------------------------------------------------


def test_http_helpers() -> None:
    assert urlencode({"a": [1, 2], "b": "c"}, doseq=True) == "a=1&a=2&b=c"
    assert urlencode(MultiValueDict({"a": ["1", "2"]}), doseq=True) == "a=1&a=2"
    with pytest.raises(TypeError, match="Cannot encode None for key 'a'"):
        urlencode({"a": None})
    assert http_date(0) == "Thu, 01 Jan 1970 00:00:00 GMT"
    for form in (
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
    ):
        assert parse_http_date(form) == 784111777
    with pytest.raises(ValueError, match="is not in a valid HTTP date format"):
        parse_http_date("garbage")
    assert parse_http_date_safe("garbage") is None
    assert int_to_base36(35) == "z" and base36_to_int("z") == 35
    with pytest.raises(ValueError, match="Base36 input too large"):
        base36_to_int("1" * 14)
    assert urlsafe_base64_encode(b"\xff\xfe") == "__4"
    assert urlsafe_base64_decode("__4") == b"\xff\xfe"
    assert content_disposition_header(True, "ü.txt") == "attachment; filename*=utf-8''%C3%BC.txt"
    assert content_disposition_header(False, "a.txt") == 'inline; filename="a.txt"'
    assert url_has_allowed_host_and_scheme("/next/", allowed_hosts=None)
    assert not url_has_allowed_host_and_scheme("//evil.com/", allowed_hosts={"example.com"})
    assert not url_has_allowed_host_and_scheme(
        "http://example.com/", allowed_hosts={"example.com"}, require_https=True
    )


def test_encoding() -> None:
    assert uri_to_iri("/%E2%99%A5%E2%99%A5/?utf8=%E2%9C%93") == "/♥♥/?utf8=✓"
    assert iri_to_uri("/♥♥/?utf8=✓") == "/%E2%99%A5%E2%99%A5/?utf8=%E2%9C%93"
    assert quote("Paris & Orléans") == "Paris%20%26%20Orl%C3%A9ans"
    # The docs' example, verbatim.
    assert iri_to_uri("/favorites/François/%s" % quote("Paris & Orléans")) == (  # noqa: UP031
        "/favorites/Fran%C3%A7ois/Paris%20%26%20Orl%C3%A9ans"
    )
    assert escape_uri_path("/a b/?c") == "/a%20b/%3Fc"
    assert filepath_to_uri("dir\\file name.txt") == "dir/file%20name.txt"
    assert force_str(b"caf\xc3\xa9") == "café"
    assert force_bytes("café") == b"caf\xc3\xa9"
    assert smart_str(1) == "1" and smart_bytes(1) == b"1"
    assert force_str(None, strings_only=True) is None
    assert is_protected_type(datetime.date.today()) and not is_protected_type("x")


# -- text ------------------------------------------------------------------------------------


def test_text_helpers() -> None:
    assert text.slugify(" Joel is a slug ") == "joel-is-a-slug"
    assert text.slugify("你好 World", allow_unicode=True) == "你好-world"
    assert text.slugify("Déjà vu") == "deja-vu"
    assert str(text.format_lazy("{}/{}", "a", "b")) == "a/b"
    assert text.Truncator("The quick brown fox").chars(10) == "The quick…"
    assert text.Truncator("The quick brown fox").words(2) == "The quick…"
    assert text.Truncator("<p>The quick brown fox</p>").words(2, html=True) == ("<p>The quick…</p>")
    assert text.get_text_list(["a", "b", "c", "d"]) == "a, b, c or d"
    assert text.get_text_list(["a", "b"], "and") == "a and b"
    assert text.capfirst("hello") == "Hello"
    assert text.get_valid_filename("john's portrait in 2004.jpg") == "johns_portrait_in_2004.jpg"
    assert list(text.smart_split(r'This is "a person\'s" test.')) == [
        "This",
        "is",
        '"a person\\\'s"',
        "test.",
    ]
    assert text.phone2numeric("0800 flowers") == "0800 3569377"


# -- timezone, dates and formats -------------------------------------------------------------


def test_timezone_helpers() -> None:
    assert timezone.is_aware(timezone.now())
    naive = datetime.datetime(2020, 6, 1, 12, 0)
    aware = timezone.make_aware(naive)
    assert aware.tzinfo is not None and timezone.is_naive(naive)
    assert timezone.make_naive(aware) == naive
    paris = ZoneInfo("Europe/Paris")
    assert timezone.localtime(aware, paris).hour == 14
    assert timezone.localdate(aware, paris) == datetime.date(2020, 6, 1)
    with pytest.raises(ValueError, match="make_aware expects a naive datetime"):
        timezone.make_aware(aware)
    with pytest.raises(ValueError, match="cannot be applied to a naive datetime"):
        timezone.make_naive(naive)
    assert str(timezone.get_fixed_timezone(-300)) == "-0500"
    assert timezone.get_fixed_timezone(datetime.timedelta(hours=1)).utcoffset(None) == (
        datetime.timedelta(hours=1)
    )
    with timezone.override("Europe/Paris"):
        assert timezone.get_current_timezone_name() == "Europe/Paris"
        assert timezone.localtime(aware).hour == 14
    assert timezone.get_current_timezone_name() == "UTC"
    timezone.activate(paris)
    try:
        assert timezone.get_current_timezone() == paris
    finally:
        timezone.deactivate()


def test_dates_and_formats() -> None:
    moment = datetime.datetime(2003, 10, 7, 11, 39, 5)
    assert dateformat.format(moment, "jS F Y H:i") == "7th October 2003 11:39"
    assert dateformat.format(moment, r"\Y\e\s Y") == "Yes 2003"
    assert dateformat.time_format(datetime.time(13, 5), "P") == "1:05 p.m."
    assert formats.date_format(moment) == "Oct. 7, 2003"
    assert formats.date_format(moment, "SHORT_DATE_FORMAT") == "10/07/2003"
    assert formats.number_format(1234567.891, 2, force_grouping=True) == "1,234,567.89"
    with override_settings(DATE_FORMAT="Y-m-d"):
        assert formats.date_format(moment) == "2003-10-07"
    with pytest.raises(TypeError, match="may not contain time-related format specifiers"):
        dateformat.format(datetime.date(2003, 10, 7), "H")
    now = datetime.datetime(2020, 1, 1)
    assert timesince(now - datetime.timedelta(days=17, hours=6), now) == "2\xa0weeks, 3\xa0days"
    assert timesince(now - datetime.timedelta(days=17), now, depth=1) == "2\xa0weeks"
    assert timeuntil(now + datetime.timedelta(days=1), now) == "1\xa0day"


def test_multivaluedict() -> None:
    d = MultiValueDict({"name": ["Adrian", "Simon"], "position": ["Developer"]})
    assert d["name"] == "Simon"
    assert d.getlist("name") == ["Adrian", "Simon"]
    assert d.getlist("doesnotexist") == [] and d.getlist("doesnotexist", ["x"]) == ["x"]
    with pytest.raises(MultiValueDictKeyError):
        d["lastname"]
    d.appendlist("name", "Jacob")
    assert d.dict() == {"name": "Jacob", "position": "Developer"}


# -- dateparse -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2012-04-23", datetime.date(2012, 4, 23)),
        ("2012-4-9", datetime.date(2012, 4, 9)),
        ("20120423", datetime.date(2012, 4, 23)),
        ("2012423", None),
        ("not a date", None),
    ],
)
def test_parse_date(value: str, expected: datetime.date | None) -> None:
    assert dateparse.parse_date(value) == expected


def test_parse_date_refuses_impossible_dates() -> None:
    with pytest.raises(ValueError):
        dateparse.parse_date("2012-02-30")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("09:15:00", datetime.time(9, 15)),
        ("10:10", datetime.time(10, 10)),
        ("10:20:30.400", datetime.time(10, 20, 30, 400000)),
        ("10:20:30,400", datetime.time(10, 20, 30, 400000)),
        ("4:8:16", datetime.time(4, 8, 16)),
        ("00:05:23+04:00", datetime.time(0, 5, 23)),  # the offset is dropped
        ("091500", datetime.time(9, 15)),
        ("10:20:30.4000001", datetime.time(10, 20, 30, 400000)),
        ("9", None),
    ],
)
def test_parse_time(value: str, expected: datetime.time | None) -> None:
    assert dateparse.parse_time(value) == expected


def test_parse_time_refuses_impossible_times() -> None:
    with pytest.raises(ValueError):
        dateparse.parse_time("25:50")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2012-04-23T09:15:00", datetime.datetime(2012, 4, 23, 9, 15)),
        ("2012-4-9 4:8:16", datetime.datetime(2012, 4, 9, 4, 8, 16)),
        (
            "2012-04-23T09:15:00Z",
            datetime.datetime(2012, 4, 23, 9, 15, tzinfo=datetime.UTC),
        ),
        (
            "2012-4-9 4:8:16-0320",
            datetime.datetime(2012, 4, 9, 4, 8, 16, tzinfo=timezone.get_fixed_timezone(-200)),
        ),
        (
            "2012-04-23T10:20:30.400+02:30",
            datetime.datetime(
                2012, 4, 23, 10, 20, 30, 400000, tzinfo=timezone.get_fixed_timezone(150)
            ),
        ),
        (
            "2012-04-23T10:20:30,400-02",
            datetime.datetime(
                2012, 4, 23, 10, 20, 30, 400000, tzinfo=timezone.get_fixed_timezone(-120)
            ),
        ),
        (
            "2012-04-23T10:20:30.400 +0230",
            datetime.datetime(
                2012, 4, 23, 10, 20, 30, 400000, tzinfo=timezone.get_fixed_timezone(150)
            ),
        ),
        ("2012-4-9 4:8:16Z", datetime.datetime(2012, 4, 9, 4, 8, 16, tzinfo=datetime.UTC)),
        ("20120423091500", None),
        ("nonsense", None),
    ],
)
def test_parse_datetime(value: str, expected: datetime.datetime | None) -> None:
    assert dateparse.parse_datetime(value) == expected


def test_parse_datetime_refuses_impossible_datetimes() -> None:
    with pytest.raises(ValueError):
        dateparse.parse_datetime("2012-02-30 09:50")
    with pytest.raises(ValueError):
        dateparse.parse_datetime("2012-04-56T09:15:90")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("30", datetime.timedelta(seconds=30)),
        ("15:30", datetime.timedelta(minutes=15, seconds=30)),
        ("10:15:30", datetime.timedelta(hours=10, minutes=15, seconds=30)),
        ("4 15:30", datetime.timedelta(days=4, minutes=15, seconds=30)),
        ("4 10:15:30", datetime.timedelta(days=4, hours=10, minutes=15, seconds=30)),
        ("15:30.1", datetime.timedelta(minutes=15, seconds=30, milliseconds=100)),
        ("15:30,000001", datetime.timedelta(minutes=15, seconds=30, microseconds=1)),
        ("-4 15:30", datetime.timedelta(days=-4, minutes=15, seconds=30)),
        ("-172800", datetime.timedelta(days=-2)),
        ("-15:30", datetime.timedelta(minutes=-15, seconds=-30)),
        ("-1:15:30", datetime.timedelta(hours=-1, minutes=-15, seconds=-30)),
        (str(datetime.timedelta(days=3, hours=4, seconds=6)), datetime.timedelta(3, 14406)),
        ("1 day 0:00:01", datetime.timedelta(days=1, seconds=1)),
        ("3 days 04:05:06", datetime.timedelta(days=3, hours=4, minutes=5, seconds=6)),
        ("-1 day -0:00:01", datetime.timedelta(days=-1, seconds=-1)),
        ("-4 days -15:00:30", datetime.timedelta(days=-4, hours=-15, seconds=-30)),
        ("P4Y", None),
        ("P4W", None),
        ("P4D", datetime.timedelta(days=4)),
        ("-P1D", datetime.timedelta(days=-1)),
        ("P0.5D", datetime.timedelta(hours=12)),
        ("PT5H", datetime.timedelta(hours=5)),
        ("PT5M", datetime.timedelta(minutes=5)),
        ("PT5S", datetime.timedelta(seconds=5)),
        ("PT0.000005S", datetime.timedelta(microseconds=5)),
        ("P4DT1H15M20S", datetime.timedelta(days=4, hours=1, minutes=15, seconds=20)),
        ("-P4DT1H", datetime.timedelta(days=-4, hours=-1)),
        ("nonsense", None),
    ],
)
def test_parse_duration(value: str, expected: datetime.timedelta | None) -> None:
    assert dateparse.parse_duration(value) == expected
