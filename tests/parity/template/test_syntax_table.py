"""docs/templates.md's "From Django template syntax to Jinja2" table, row by row.

Each Jinja2 form must give what the Django form gives in Django.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fastjango.template import Template, TemplateDoesNotExist, TemplateSyntaxError
from fastjango.template.loader import get_template, render_to_string, select_template
from fastjango.template.response import TemplateResponse
from fastjango.test import RequestFactory, override_settings
from fastjango.urls import path

TEMPLATE_DIR = str(Path(__file__).resolve().parent.parent / "templates")


def archive(request: Any, year: int = 0) -> None:  # pragma: no cover - only reversed
    return None


urlpatterns = [
    path("polls/<int:pk>/", archive, name="detail"),
    path("archive/<int:year>/", archive, name="archive"),
]


@pytest.fixture(autouse=True)
def configured() -> Iterator[None]:
    with override_settings(
        ROOT_URLCONF=__name__,
        STATIC_URL="/static/",
        TEMPLATES=[
            {"BACKEND": "fastjango.template.backends.jinja2.Jinja2", "DIRS": [TEMPLATE_DIR]}
        ],
    ):
        yield


def render(source: str, **context: Any) -> str:
    return Template(source).render(context)


class Business:
    class employees:
        @staticmethod
        def count() -> int:
            return 12

    def get_absolute_url(self) -> str:
        return "/business/1/"


@pytest.mark.parametrize(
    ("source", "context", "expected"),
    [
        ("{{ user.name }}", {"user": {"name": "Ada"}}, "Ada"),
        ('{{ items|join(", ") }}', {"items": ["a", "b"]}, "a, b"),
        ("{{ url('detail', 5) }}", {}, "/polls/5/"),
        ("{{ url('archive', year=2024) }}", {}, "/archive/2024/"),
        ("{% set the_url = url('detail', 1) %}[{{ the_url }}]", {}, "[/polls/1/]"),
        ("{{ static('css/site.css') }}", {}, "/static/css/site.css"),
        ("{% for x in items %}{{ x }}{% else %}empty{% endfor %}", {"items": []}, "empty"),
        (
            "{% for x in items %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}"
            "{{ loop.first }}{{ loop.last }} {% endfor %}",
            {"items": "ab"},
            "102TrueFalse 211FalseTrue ",
        ),
        (
            "{% for row in rows %}{% set outer = loop %}{% for c in row %}"
            "{{ outer.index }}{{ c }}{% endfor %}{% endfor %}",
            {"rows": ["ab", "c"]},
            "1a1b2c",
        ),
        (
            "{% for x in items %}{{ loop.cycle('odd', 'even') }} {% endfor %}",
            {"items": "abc"},
            "odd even odd ",
        ),
        ("{% if a and not b %}yes{% elif b %}b{% else %}no{% endif %}", {"a": 1, "b": 0}, "yes"),
        ("{% if x in items %}in{% endif %}", {"x": 2, "items": [1, 2]}, "in"),
        (
            "{% with total = business.employees.count() %}{{ total }}{% endwith %}",
            {"business": Business()},
            "12",
        ),
        ("{{ obj.get_absolute_url() }}", {"obj": Business()}, "/business/1/"),
        ("a{# a comment #}b", {}, "ab"),
        ("{% autoescape false %}{{ html }}{% endautoescape %}", {"html": "<b>"}, "<b>"),
        ("{{ html|safe }}", {"html": "<b>"}, "<b>"),
        ("{{ html }}", {"html": "<b>"}, "&lt;b&gt;"),
        ("{% filter trim %}  x  {% endfilter %}", {}, "x"),
        ("{% raw %}{{ not rendered }}{% endraw %}", {}, "{{ not rendered }}"),
        ("{{ n|intcomma }}", {"n": 1234567}, "1,234,567"),
        ('{{ value|default("none", true) }}', {"value": 0}, "none"),
        ('{{ value|default("none") }}', {"value": 0}, "0"),
    ],
)
def test_table_row(source: str, context: dict[str, Any], expected: str) -> None:
    assert render(source, **context) == expected


def test_extends_block_super_include_and_with() -> None:
    assert render_to_string("parity/child.html", {"items": ["a", "b"]}) == (
        "<title>Site - Child</title>[1:a][2:b]"
    )
    assert render_to_string("parity/child.html", {"items": []}) == (
        "<title>Site - Child</title>none"
    )


def test_csrf_input_and_token_without_csrf_protection() -> None:
    request = RequestFactory().get("/")
    assert get_template("parity/index.html").render({"foo": "x"}, request) == "foo=x"
    assert Template("[{{ csrf_input }}][{{ csrf_token }}]").render({}, request) == "[][]"


def test_loader_functions() -> None:
    template = get_template("parity/index.html")
    assert template.render({"foo": "bar"}) == "foo=bar"
    assert (
        select_template(["parity/missing.html", "parity/index.html"]).render({"foo": 1}) == "foo=1"
    )
    with pytest.raises(TemplateDoesNotExist) as excinfo:
        get_template("parity/missing.html")
    assert excinfo.value.chain and excinfo.value.chain[0].tried
    with pytest.raises(TemplateDoesNotExist, match="parity/a.html, parity/b.html"):
        select_template(["parity/a.html", "parity/b.html"])
    with pytest.raises(TemplateSyntaxError):
        Template("{% if %}")


def test_template_response_is_rendered_late() -> None:
    request = RequestFactory().get("/")
    response = TemplateResponse(request, "parity/index.html", {"foo": "early"})
    response.context_data["foo"] = "late"
    response.template_name = "parity/child.html"
    response.context_data["items"] = ["z"]
    assert response.render().content == b"<title>Site - Child</title>[1:z]"
