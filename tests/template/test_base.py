from __future__ import annotations

import pytest

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.template import Origin, Template, TemplateSyntaxError, engines
from fastjango.test.utils import override_settings

from .conftest import JINJA2, TEMPLATE_DIR, jinja2_settings


def test_template_from_a_string_uses_the_first_jinja2_engine(templates_settings: None) -> None:
    template = Template("Hi {{ name|upper }} {{ 3|ordinal }}")
    assert template.render({"name": "ann"}) == "Hi ANN 3rd"
    assert template.engine is engines["jinja2"]
    assert template.origin.name == "<unknown source>"
    assert template.origin.loader is engines["jinja2"]
    assert repr(template) == '<Template template_string="Hi {{ name|upper }} ...">'


def test_template_with_a_named_engine() -> None:
    setting = [{"BACKEND": JINJA2, "NAME": "other", "DIRS": [TEMPLATE_DIR]}]
    with override_settings(TEMPLATES=setting):
        template = Template("{% include 'hello.html' %}", name="inline", engine="other")
        assert template.name == "inline"
        assert template.render({"name": "x"}) == "Hello x!"
        direct = Template("{{ 1 }}", engine=engines["other"], origin=Origin("here"))
        assert direct.origin.name == "here"


def test_template_syntax_error(templates_settings: None) -> None:
    with pytest.raises(TemplateSyntaxError):
        Template("{% endfor %}")


def test_template_needs_a_jinja2_engine() -> None:
    class NotJinja2:
        name = "other"

    from fastjango.template import utils

    with override_settings(TEMPLATES=jinja2_settings()):
        utils.engines._engines["jinja2"] = NotJinja2()  # type: ignore[assignment]
        with pytest.raises(ImproperlyConfigured, match="needs a Jinja2 engine"):
            Template("x")


def test_origin() -> None:
    origin = Origin("/a/b.html", "b.html")
    assert str(origin) == "/a/b.html"
    assert repr(origin) == "<Origin name='/a/b.html'>"
    assert origin == Origin("/a/b.html")
    assert origin != "/a/b.html"
    assert hash(origin) == hash(Origin("/a/b.html"))
    assert origin.loader_name is None
    with override_settings(TEMPLATES=jinja2_settings()):
        engine = engines["jinja2"]
        assert Origin("x", loader=engine).loader_name == (
            "fastjango.template.backends.jinja2.Jinja2"
        )
