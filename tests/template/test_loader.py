from __future__ import annotations

from pathlib import Path

import pytest

from fastjango.template import TemplateDoesNotExist
from fastjango.template.loader import get_template, render_to_string, select_template
from fastjango.test.utils import override_settings

from .conftest import JINJA2, TEMPLATE_DIR

TWO_ENGINES = [
    {"BACKEND": JINJA2, "NAME": "main", "DIRS": [TEMPLATE_DIR]},
    {"BACKEND": JINJA2, "NAME": "sub", "DIRS": [TEMPLATE_DIR / "sub"]},
]


@pytest.fixture(autouse=True)
def two_engines() -> object:
    with override_settings(TEMPLATES=TWO_ENGINES):
        yield


def test_get_template_tries_each_engine() -> None:
    assert get_template("hello.html").render({"name": "a"}) == "Hello a!"
    assert get_template("nested.html").render({"value": 2}) == "nested 2"
    assert get_template("nested.html").backend.name == "sub"


def test_get_template_using_one_engine() -> None:
    with pytest.raises(TemplateDoesNotExist) as info:
        get_template("nested.html", using="main")
    assert [getattr(error.backend, "name", None) for error in info.value.chain] == ["main"]


def test_get_template_missing_everywhere_chains_each_engine() -> None:
    with pytest.raises(TemplateDoesNotExist) as info:
        get_template("missing.html")
    error = info.value
    assert str(error) == "missing.html"
    assert [getattr(e.backend, "name", None) for e in error.chain] == ["main", "sub"]
    tried = [origin.name for e in error.chain for origin, _ in e.tried]
    assert tried == [str(TEMPLATE_DIR / "missing.html"), str(TEMPLATE_DIR / "sub" / "missing.html")]
    notes = "\n".join(error.__notes__)
    assert str(Path(TEMPLATE_DIR / "sub" / "missing.html")) in notes
    assert "engine 'main'" in notes


def test_select_template_returns_the_first_that_exists() -> None:
    template = select_template(["missing.html", "nested.html", "hello.html"])
    assert template.name == "nested.html"


def test_select_template_missing_lists_every_name() -> None:
    with pytest.raises(TemplateDoesNotExist) as info:
        select_template(["a.html", "b.html"])
    assert str(info.value) == "a.html, b.html"
    assert len(info.value.chain) == 4


def test_select_template_needs_a_list() -> None:
    with pytest.raises(TypeError, match="Use get_template\\(\\)"):
        select_template("hello.html")
    with pytest.raises(TemplateDoesNotExist, match="No template names provided"):
        select_template([])


def test_render_to_string() -> None:
    assert render_to_string("hello.html", {"name": "b"}) == "Hello b!"
    assert render_to_string(["missing.html", "hello.html"], {"name": "c"}) == "Hello c!"
    assert render_to_string(("nested.html",), {"value": 3}, using="sub") == "nested 3"


def test_does_not_exist_note_for_an_engine_error_without_paths() -> None:
    inner = TemplateDoesNotExist("x.html")
    outer = TemplateDoesNotExist("x.html", chain=[inner])
    assert outer.__notes__ == ["an engine: x.html"]
