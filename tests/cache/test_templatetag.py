"""The ``{% cache %}`` fragment tag (a Jinja2 extension) and ``make_template_fragment_key``."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import jinja2
import pytest

from fastjango.core.cache import caches
from fastjango.core.cache.utils import make_template_fragment_key
from fastjango.templatetags.cache import CacheExtension
from fastjango.test.utils import override_settings

pytestmark = pytest.mark.anyio


@pytest.fixture
def fragment_caches(request: pytest.FixtureRequest) -> Iterator[None]:
    name = f"frag-{uuid.uuid4().hex}"
    with override_settings(
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": name,
            },
            "other": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": f"{name}-other",
            },
        }
    ):
        yield


def environment(**options: Any) -> jinja2.Environment:
    return jinja2.Environment(extensions=[CacheExtension], autoescape=True, **options)


def test_make_template_fragment_key() -> None:
    # Django's keys, so a ported project's invalidation code keeps working.
    assert make_template_fragment_key("a.fragment") == (
        "template.cache.a.fragment.d41d8cd98f00b204e9800998ecf8427e"
    )
    assert make_template_fragment_key("fragment", ["a", "b"]) == (
        "template.cache.fragment.d6e7a7288d38d4cf78b2f82cc7f50bba"
    )
    assert make_template_fragment_key("test", ["x", "y", "z"]) == (
        "template.cache.test.9650df9e19633bf061a181a85d966e32"
    )


def test_fragment_is_cached_per_vary_on_values(fragment_caches: None) -> None:
    template = environment().from_string(
        "{% cache 500 sidebar user.name %}<b>{{ count }}</b>{{ '<tag>' }}{% endcache %}"
    )
    assert template.render(user={"name": "ann"}, count=1) == "<b>1</b>&lt;tag&gt;"
    assert template.render(user={"name": "ann"}, count=2) == "<b>1</b>&lt;tag&gt;"
    assert template.render(user={"name": "bob"}, count=3) == "<b>3</b>&lt;tag&gt;"
    key = make_template_fragment_key("sidebar", ["ann"])
    assert caches["default"].get(key) == "<b>1</b>&lt;tag&gt;"
    caches["default"].delete(key)
    assert template.render(user={"name": "ann"}, count=4) == "<b>4</b>&lt;tag&gt;"


def test_quoted_name_timeout_none_and_using(fragment_caches: None) -> None:
    template = environment().from_string(
        '{% cache None "quoted" using="other" %}{{ n }}{% endcache %}'
        "{% cache timeout 'dynamic' a b %}{{ n }}{% endcache %}"
    )
    assert template.render(n=1, timeout="60", a=1, b=2) == "11"
    assert template.render(n=2, timeout="60", a=1, b=2) == "11"
    assert caches["other"].get(make_template_fragment_key("quoted")) == "1"
    assert caches["default"].get(make_template_fragment_key("quoted")) is None
    assert caches["default"].get(make_template_fragment_key("dynamic", [1, 2])) == "1"


def test_template_fragments_cache_is_preferred(fragment_caches: None) -> None:
    with override_settings(
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
            "template_fragments": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "fragments-preferred",
            },
        }
    ):
        template = environment().from_string("{% cache 60 f %}{{ n }}{% endcache %}")
        assert template.render(n=1) == "1"
        assert template.render(n=2) == "1"
        assert caches["template_fragments"].get(make_template_fragment_key("f")) == "1"


def test_zero_timeout_does_not_cache(fragment_caches: None) -> None:
    template = environment().from_string("{% cache 0 f %}{{ n }}{% endcache %}")
    assert template.render(n=1) == "1"
    assert template.render(n=2) == "2"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{% cache %}x{% endcache %}", "requires at least 2 arguments"),
        ("{% cache 500 %}x{% endcache %}", "requires at least 2 arguments"),
        ("{% cache 500 f %}x", "endcache"),
    ],
)
def test_syntax_errors(source: str, message: str) -> None:
    with pytest.raises(jinja2.TemplateSyntaxError, match=message):
        environment().from_string(source)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{% cache 'soon' f %}x{% endcache %}", "non-integer timeout value: 'soon'"),
        ('{% cache 5 f using="nope" %}x{% endcache %}', "Invalid cache name"),
    ],
)
def test_render_errors(source: str, message: str, fragment_caches: None) -> None:
    with pytest.raises(jinja2.TemplateRuntimeError, match=message):
        environment().from_string(source).render()


async def test_async_environment_uses_the_async_api(fragment_caches: None) -> None:
    template = environment(enable_async=True).from_string(
        "{% cache 60 f x %}<i>{{ n }}</i>{% endcache %}"
    )
    assert await template.render_async(x=1, n=1) == "<i>1</i>"
    assert await template.render_async(x=1, n=2) == "<i>1</i>"
    assert await caches["default"].aget(make_template_fragment_key("f", [1])) == "<i>1</i>"


def test_the_template_engine_loads_the_tag(fragment_caches: None) -> None:
    backends = pytest.importorskip("fastjango.template.backends.jinja2")
    engine = backends.Jinja2({"NAME": "jinja2", "DIRS": [], "APP_DIRS": False, "OPTIONS": {}})
    template = engine.from_string("{% cache 60 f %}{{ n }}{% endcache %}")
    assert template.render({"n": 1}) == "1"
    assert template.render({"n": 2}) == "1"
