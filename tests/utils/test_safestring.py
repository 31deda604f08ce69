from __future__ import annotations

import pickle

import jinja2
from markupsafe import Markup, escape

from fastjango.utils.functional import lazystr
from fastjango.utils.safestring import SafeData, SafeString, SafeText, _plain_str, mark_safe


def test_mark_safe_returns_safe_string_that_is_markup() -> None:
    s = mark_safe("<b>x</b>")
    assert isinstance(s, SafeString)
    assert isinstance(s, SafeData)
    assert isinstance(s, Markup)
    assert s == "<b>x</b>"
    assert SafeText is SafeString


def test_mark_safe_leaves_objects_with_html_alone() -> None:
    markup = Markup("<i>")
    assert mark_safe(markup) is markup
    safe = mark_safe("<b>")
    assert mark_safe(safe) is safe


def test_jinja2_autoescape_respects_safe_string() -> None:
    env = jinja2.Environment(autoescape=True)
    template = env.from_string("{{ a }}|{{ b }}")
    assert template.render(a=mark_safe("<b>"), b="<b>") == "<b>|&lt;b&gt;"
    assert escape(mark_safe("<i>")) == "<i>"


def test_adding_follows_django() -> None:
    safe = mark_safe("<b>")
    plain = safe + "<i>"
    assert plain == "<b><i>"
    assert not isinstance(plain, SafeData)
    both = safe + mark_safe("<i>")
    assert isinstance(both, SafeString) and both == "<b><i>"
    left = "<i>" + safe
    assert left == "<i><b>" and not isinstance(left, SafeData)
    markup_left = Markup("<m>") + safe
    assert isinstance(markup_left, SafeString) and markup_left == "<m><b>"
    assert isinstance(safe + Markup("<m>"), SafeString)


def test_str_keeps_safe_and_slicing_does_not() -> None:
    safe = mark_safe("&amp;")
    assert str(safe) is safe
    assert type(safe[0:2]) is str
    assert repr(safe) == "SafeString('&amp;')"


def test_mark_safe_decorates_callables() -> None:
    @mark_safe
    def make() -> str:
        return "<p>"

    assert isinstance(make(), SafeString)
    assert make.__name__ == "make"


def test_mark_safe_of_lazy_string_stays_lazy() -> None:
    calls: list[int] = []

    def build() -> str:
        calls.append(1)
        return "<em>"

    lazy_value = lazystr(type("L", (), {"__str__": lambda self: build()})())
    result = mark_safe(lazy_value)
    assert calls == []
    assert str(result) == "<em>"


def test_pickle_round_trip() -> None:
    safe = mark_safe("<b>")
    loaded = pickle.loads(pickle.dumps(safe))
    assert isinstance(loaded, SafeString) and loaded == "<b>"


def test_plain_str_drops_safety() -> None:
    assert type(_plain_str(mark_safe("x"))) is str
    assert _plain_str(5) == "5"
    assert type(_plain_str(Markup("y"))) is str


def test_safedata_html_protocol() -> None:
    class Safe(SafeData):
        pass

    value = Safe()
    assert value.__html__() is value
