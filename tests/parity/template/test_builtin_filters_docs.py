"""Django's "Built-in template filters", each documented example in Jinja2's call syntax.

``{{ value|filter:"arg" }}`` in Django is ``{{ value|filter("arg") }}`` here.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from fastjango.template import Template
from fastjango.test import override_settings
from fastjango.utils import timezone
from fastjango.utils.safestring import mark_safe

STATES = ["States", ["Kansas", ["Lawrence", "Topeka"], "Illinois"]]
PEOPLE = [
    {"name": "zed", "age": 19},
    {"name": "amy", "age": 22},
    {"name": "joe", "age": 31},
]
BOOKS = [
    {"title": "1984", "author": {"name": "George", "age": 45}},
    {"title": "Timequake", "author": {"name": "Kurt", "age": 75}},
    {"title": "Alice", "author": {"name": "Lewis", "age": 33}},
]
NOW = datetime.datetime(2006, 6, 1, 8, 0)
DOCS_EXAMPLES: list[tuple[str, dict[str, Any], str]] = [
    ("{{ value|add(2) }}", {"value": 4}, "6"),
    ("{{ first|add(second) }}", {"first": [1, 2, 3], "second": [4, 5, 6]}, "[1, 2, 3, 4, 5, 6]"),
    ('{{ value|add("2") }}', {"value": "4"}, "6"),
    ("{{ value|addslashes }}", {"value": "I'm using Django"}, "I\\&#39;m using Django"),
    ("{{ value|capfirst }}", {"value": "django"}, "Django"),
    ('"{{ value|center(15) }}"', {"value": "Django"}, '"     Django    "'),
    ('{{ value|cut(" ") }}', {"value": "String with spaces"}, "Stringwithspaces"),
    ('{{ value|date("D d M Y") }}', {"value": NOW}, "Thu 01 Jun 2006"),
    ("{{ value|date }}", {"value": NOW}, "June 1, 2006"),
    ('{{ value|date("SHORT_DATE_FORMAT") }}', {"value": NOW}, "06/01/2006"),
    (
        '{{ value|date("D d M Y") }} {{ value|time("H:i") }}',
        {"value": NOW},
        "Thu 01 Jun 2006 08:00",
    ),
    ('{{ value|default("nothing", true) }}', {"value": ""}, "nothing"),
    ('{{ value|default_if_none("nothing") }}', {"value": None}, "nothing"),
    ('{{ value|default_if_none("nothing") }}', {"value": ""}, ""),
    (
        '{% for p in value|dictsort("name") %}{{ p.name }} {% endfor %}',
        {"value": PEOPLE},
        "amy joe zed ",
    ),
    (
        '{% for book in books|dictsort("author.age") %}{{ book.title }} ({{ book.author.name }})'
        "{% endfor %}",
        {"books": BOOKS},
        "Alice (Lewis)1984 (George)Timequake (Kurt)",
    ),
    (
        "{{ value|dictsort(0) }}",
        {"value": [("a", "42"), ("c", "string"), ("b", "foo")]},
        "[(&#39;a&#39;, &#39;42&#39;), (&#39;b&#39;, &#39;foo&#39;), "
        "(&#39;c&#39;, &#39;string&#39;)]",
    ),
    (
        '{% for p in value|dictsortreversed("age") %}{{ p.name }} {% endfor %}',
        {"value": PEOPLE},
        "joe amy zed ",
    ),
    ('{{ value|divisibleby("3") }}', {"value": 21}, "True"),
    ("{{ value|escape }}", {"value": "<b>"}, "&lt;b&gt;"),
    (
        "{{ value|escapejs }}",
        {"value": "testing\r\njavascript 'string\" <b>escaping</b>"},
        "testing\\u000D\\u000Ajavascript \\u0027string\\u0022 "
        "\\u003Cb\\u003Eescaping\\u003C/b\\u003E",
    ),
    (
        '{{ my_list|escapeseq|join(", ") }}',
        {"my_list": ["<a>", mark_safe("<b>")]},
        "&lt;a&gt;, <b>",
    ),
    ("{{ value|filesizeformat }}", {"value": 123456789}, "117.7\xa0MB"),
    ("{{ value|first }}", {"value": ["a", "b", "c"]}, "a"),
    ("{{ value|floatformat }}", {"value": 34.23234}, "34.2"),
    ("{{ value|floatformat }}", {"value": 34.00000}, "34"),
    ("{{ value|floatformat }}", {"value": 34.26000}, "34.3"),
    ("{{ value|floatformat(3) }}", {"value": 34.23234}, "34.232"),
    ("{{ value|floatformat(3) }}", {"value": 34.00000}, "34.000"),
    ('{{ value|floatformat("0") }}', {"value": 39.56000}, "40"),
    ('{{ value|floatformat("-3") }}', {"value": 34.23234}, "34.232"),
    ('{{ value|floatformat("-3") }}', {"value": 34.00000}, "34"),
    ('{{ value|floatformat("2g") }}', {"value": 34232.34}, "34,232.34"),
    ('{{ value|floatformat("-3g") }}', {"value": 34232.00}, "34,232"),
    ('{{ value|floatformat("2u") }}', {"value": 34232.34}, "34232.34"),
    ("{{ value|force_escape }}", {"value": mark_safe("<b>")}, "&lt;b&gt;"),
    ('{{ value|get_digit("2") }}', {"value": 123456789}, "8"),
    ("{{ value|iriencode }}", {"value": "?test=I ♥ Django"}, "?test=I%20%E2%99%A5%20Django"),
    ('{{ value|join(" // ") }}', {"value": ["a", "b", "c"]}, "a // b // c"),
    (
        '{{ value|json_script("hello-data") }}',
        {"value": {"hello": "world"}},
        '<script id="hello-data" type="application/json">{"hello": "world"}</script>',
    ),
    ("{{ value|last }}", {"value": ["a", "b", "c", "d"]}, "d"),
    ("{{ value|length }}", {"value": ["a", "b", "c", "d"]}, "4"),
    ("{{ value|length }}", {"value": "abcd"}, "4"),
    ("{{ value|linebreaks }}", {"value": "Joel\nis a slug"}, "<p>Joel<br>is a slug</p>"),
    ("{{ value|linebreaksbr }}", {"value": "Joel\nis a slug"}, "Joel<br>is a slug"),
    ("{{ value|linenumbers }}", {"value": "one\ntwo\nthree"}, "1. one\n2. two\n3. three"),
    ('"{{ value|ljust("10") }}"', {"value": "Django"}, '"Django    "'),
    ("{{ value|lower }}", {"value": "Totally LOVING this Album!"}, "totally loving this album!"),
    ("{{ value|make_list|join(',') }}", {"value": "Joel"}, "J,o,e,l"),
    ("{{ value|make_list|join(',') }}", {"value": 123}, "1,2,3"),
    ("{{ value|phone2numeric }}", {"value": "800-COLLECT"}, "800-2655328"),
    ("You have {{ n }} message{{ n|pluralize }}.", {"n": 1}, "You have 1 message."),
    ("You have {{ n }} message{{ n|pluralize }}.", {"n": 2}, "You have 2 messages."),
    ('You have {{ n }} walrus{{ n|pluralize("es") }}.', {"n": 2}, "You have 2 walruses."),
    ('You have {{ n }} cherr{{ n|pluralize("y,ies") }}.', {"n": 1}, "You have 1 cherry."),
    ('You have {{ n }} cherr{{ n|pluralize("y,ies") }}.', {"n": 2}, "You have 2 cherries."),
    ("{{ value|pluralize }}", {"value": [1, 2]}, "s"),
    ('"{{ value|rjust("10") }}"', {"value": "Django"}, '"    Django"'),
    ("{{ var|safe|escape }}", {"var": "<b>"}, "<b>"),
    ('{{ some_list|safeseq|join(", ") }}', {"some_list": ["<b>", "<i>"]}, "<b>, <i>"),
    ('{{ some_list|slice(":2")|join(",") }}', {"some_list": ["a", "b", "c"]}, "a,b"),
    ('{{ value|slice("1:-1") }}', {"value": "abcde"}, "bcd"),
    ("{{ value|slugify }}", {"value": " Joel is a slug "}, "joel-is-a-slug"),
    ('{{ value|stringformat("E") }}', {"value": 10}, "1.000000E+01"),
    (
        "{{ value|striptags }}",
        {"value": "<b>Joel</b> <button>is</button> a <span>slug</span>"},
        "Joel is a slug",
    ),
    ('{{ value|time("H:i") }}', {"value": NOW}, "08:00"),
    # Django's "H\h i\m": a Jinja2 string literal needs its backslashes doubled.
    ('{{ value|time("H\\\\h i\\\\m") }}', {"value": NOW}, "08h 00m"),
    ('{{ value|time("TIME_FORMAT") }}', {"value": NOW}, "8 a.m."),
    ("{{ value|time }}", {"value": datetime.time(13, 30)}, "1:30 p.m."),
    (
        "{{ blog_date|timesince(comment_date) }}",
        {"blog_date": datetime.datetime(2006, 6, 1), "comment_date": NOW},
        "8\xa0hours",
    ),
    (
        "{{ conference_date|timeuntil(from_date) }}",
        {
            "conference_date": datetime.datetime(2006, 6, 29),
            "from_date": datetime.datetime(2006, 6, 22),
        },
        "1\xa0week",
    ),
    ("{{ value|title }}", {"value": "my FIRST post"}, "My First Post"),
    ("{{ value|truncatechars(7) }}", {"value": "Joel is a slug"}, "Joel i…"),
    (
        "{{ value|truncatechars_html(7) }}",
        {"value": mark_safe("<p>Joel is a slug</p>")},
        "<p>Joel i…</p>",
    ),
    ("{{ value|truncatewords(2) }}", {"value": "Joel is a slug"}, "Joel is …"),
    (
        "{{ value|truncatewords_html(2) }}",
        {"value": mark_safe("<p>Joel is a slug</p>")},
        "<p>Joel is …</p>",
    ),
    (
        "{{ var|unordered_list }}",
        {"var": STATES},
        "\t<li>States\n\t<ul>\n\t\t<li>Kansas\n\t\t<ul>\n\t\t\t<li>Lawrence</li>\n"
        "\t\t\t<li>Topeka</li>\n\t\t</ul>\n\t\t</li>\n\t\t<li>Illinois</li>\n\t</ul>\n\t</li>",
    ),
    ("{{ value|upper }}", {"value": "Joel is a slug"}, "JOEL IS A SLUG"),
    (
        "{{ value|urlencode }}",
        {"value": "https://www.example.org/foo?a=b&c=d"},
        "https%3A//www.example.org/foo%3Fa%3Db%26c%3Dd",
    ),
    (
        '{{ value|urlencode("") }}',
        {"value": "https://www.example.org/"},
        "https%3A%2F%2Fwww.example.org%2F",
    ),
    (
        "{{ value|urlize }}",
        {"value": "Check out www.djangoproject.com"},
        'Check out <a href="http://www.djangoproject.com" rel="nofollow">www.djangoproject.com</a>',
    ),
    (
        "{{ value|urlize }}",
        {"value": "Send questions to foo@example.com"},
        'Send questions to <a href="mailto:foo@example.com">foo@example.com</a>',
    ),
    (
        "{{ value|urlizetrunc(15) }}",
        {"value": "Check out www.djangoproject.com"},
        'Check out <a href="http://www.djangoproject.com" rel="nofollow">www.djangoproj…</a>',
    ),
    ("{{ value|wordcount }}", {"value": "Joel is a slug"}, "4"),
    ("{{ value|wordwrap(5) }}", {"value": "Joel is a slug"}, "Joel\nis a\nslug"),
    ('{{ value|yesno("yeah,no,maybe") }}', {"value": True}, "yeah"),
    ('{{ value|yesno("yeah,no,maybe") }}', {"value": False}, "no"),
    ('{{ value|yesno("yeah,no,maybe") }}', {"value": None}, "maybe"),
    ('{{ value|yesno("yeah,no") }}', {"value": None}, "no"),
    ("{{ value|intcomma }}", {"value": 4500000}, "4,500,000"),
    ("{{ value|ordinal }}", {"value": 3}, "3rd"),
    ("{{ value|apnumber }}", {"value": 3}, "three"),
]


@pytest.mark.parametrize(("source", "context", "expected"), DOCS_EXAMPLES)
def test_documented_example(source: str, context: dict[str, Any], expected: str) -> None:
    assert Template(source).render(context) == expected


@pytest.mark.parametrize(
    ("source", "context", "expected"),
    [
        # Django's filters fail silently on bad input.
        ('{{ value|add("x") }}', {"value": 4}, ""),
        ('{{ value|date("Y") }}', {"value": "not a date"}, ""),
        ('{{ value|date("Y") }}', {"value": ""}, ""),
        ('{{ value|time("H") }}', {"value": None}, ""),
        ("{{ value|floatformat }}", {"value": "abc"}, ""),
        ('{{ value|get_digit("x") }}', {"value": 123}, "123"),
        ('{{ value|dictsort("name") }}', {"value": [1, 2]}, ""),
        ('{{ value|dictsort("_private") }}', {"value": PEOPLE}, ""),
        ('{{ value|slice("a:b") }}', {"value": "abc"}, "abc"),
        ('{{ value|pluralize("y,ies,extra") }}', {"value": 2}, ""),
        ('{{ value|yesno("one") }}', {"value": True}, "True"),
        ("{{ value|filesizeformat }}", {"value": "x"}, "0\xa0bytes"),
        ("{{ value|timesince }}", {"value": ""}, ""),
    ],
)
def test_bad_input_fails_silently(source: str, context: dict[str, Any], expected: str) -> None:
    assert Template(source).render(context) == expected


def test_jinja2_uses_of_dictsort_and_slice_still_work() -> None:
    assert Template("{{ d|dictsort|list }}").render({"d": {"b": 1, "a": 2}}) == (
        "[(&#39;a&#39;, 2), (&#39;b&#39;, 1)]"
    )
    assert Template('{{ d|dictsort(by="value")|first }}').render({"d": {"b": 1, "a": 2}}) == (
        "(&#39;b&#39;, 1)"
    )
    assert Template("{{ items|slice(2)|list }}").render({"items": [1, 2, 3]}) == ("[[1, 2], [3]]")
    assert Template('{{ value|slice(":3") }}').render({"value": mark_safe("<b>x")}) == "<b>"


def test_date_filters_convert_to_the_current_time_zone() -> None:
    aware = datetime.datetime(2006, 6, 1, 8, 0, tzinfo=datetime.UTC)
    with timezone.override("America/Chicago"):
        assert Template('{{ value|date("H:i T") }}').render({"value": aware}) == "03:00 CDT"
    with override_settings(USE_TZ=False):
        assert Template('{{ value|date("H:i") }}').render({"value": aware}) == "08:00"


def test_autoescape_and_safe_strings() -> None:
    # Filters producing HTML escape their input first (and their output is safe).
    assert Template("{{ value|linebreaksbr }}").render({"value": "<b>\nx"}) == "&lt;b&gt;<br>x"
    assert (
        Template("{% autoescape false %}{{ value|linebreaksbr }}{% endautoescape %}").render(
            {"value": "<b>\nx"}
        )
        == "<b><br>x"
    )
    assert Template("{{ value|urlize }}").render({"value": "<x> http://a.b"}) == (
        '&lt;x&gt; <a href="http://a.b" rel="nofollow">http://a.b</a>'
    )
    # Django's escapes are written &quot; and &#x27; by escape(); Jinja2 writes &#34; and &#39;.
    assert Template("{{ value }}").render({"value": "\"'"}) == "&#34;&#39;"
