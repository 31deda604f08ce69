from __future__ import annotations

import sys
import types
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import jinja2
import pytest

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from fastjango.template.backends import jinja2 as backend_module
from fastjango.template.backends.jinja2 import Jinja2, Template
from fastjango.test.signals import template_rendered
from fastjango.test.utils import override_settings
from fastjango.utils.safestring import SafeString, mark_safe

from .conftest import TEMPLATE_DIR
from .environment import MemoryBytecodeCache, ShoutExtension

Installed = Callable[..., AbstractContextManager[None]]


def make_engine(dirs: list[Any] | None = None, app_dirs: bool = False, **options: Any) -> Jinja2:
    return Jinja2(
        {
            "NAME": "test",
            "DIRS": [TEMPLATE_DIR] if dirs is None else dirs,
            "APP_DIRS": app_dirs,
            "OPTIONS": options,
        }
    )


class _FakeRequest:
    path = "/here/"
    META = {"REMOTE_ADDR": "127.0.0.1"}


def fake_request() -> Any:
    return _FakeRequest()


# ---------------------------------------------------------------- options


@override_settings(DEBUG=True)
def test_defaults() -> None:
    engine = make_engine()
    assert engine.env.autoescape is True
    assert engine.env.auto_reload is True  # DEBUG on (the decorator)
    assert engine.env.undefined is jinja2.DebugUndefined
    assert engine.from_string("{{ missing }}").render() == "{{ missing }}"
    with override_settings(DEBUG=False):
        quiet = make_engine()
    assert quiet.env.undefined is jinja2.Undefined
    assert quiet.env.auto_reload is False
    assert quiet.from_string("[{{ missing }}]").render() == "[]"


def test_environment_option_and_filters_on_custom_environments() -> None:
    engine = make_engine(environment="tests.template.environment.make_environment")
    template = engine.from_string("{{ greeting }} {{ x|date }} {{ 'a'|capfirst }} {{ url }}")
    # The project's own "date" filter wins; Django's other filters are added.
    assert template.render({"x": 1}).startswith("hi custom date A &lt;function url")


def test_environment_can_be_a_callable() -> None:
    engine = make_engine(environment=jinja2.Environment)
    assert engine.from_string("{{ 'x'|capfirst }}").render() == "X"


def test_environment_must_return_an_environment() -> None:
    with pytest.raises(ImproperlyConfigured, match="must return a jinja2.Environment"):
        make_engine(environment="tests.template.environment.not_an_environment")


@pytest.mark.parametrize(
    "environment",
    [
        "jinja2.Environment",
        "tests.template.environment.make_environment",
        "tests.template.environment.strict_signature",
    ],
)
def test_unknown_option_names_the_key(environment: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="Unknown option 'colour'"):
        make_engine(environment=environment, colour="blue")


def test_type_errors_from_the_factory_that_are_not_about_options_propagate() -> None:
    def broken(**options: Any) -> jinja2.Environment:
        raise TypeError("something else")

    with pytest.raises(TypeError, match="something else"):
        make_engine(environment=broken)


def test_factory_without_a_signature_is_called_as_is() -> None:
    class Factory:
        __signature__ = property(lambda self: (_ for _ in ()).throw(ValueError("no sig")))

        def __call__(self, **options: Any) -> jinja2.Environment:
            return jinja2.Environment(**options)

    engine = make_engine(environment=Factory())
    assert engine.from_string("ok").render() == "ok"


def test_jinja2_options_pass_through() -> None:
    engine = make_engine(
        autoescape=False,
        undefined="jinja2.StrictUndefined",
        trim_blocks=True,
        extensions=["jinja2.ext.do"],
        bytecode_cache="tests.template.environment.MemoryBytecodeCache",
    )
    assert engine.from_string("{{ '<b>' }}").render() == "<b>"
    assert engine.from_string("{% if 1 %}\nx{% endif %}").render() == "x"
    assert engine.from_string("{% set l = [] %}{% do l.append(1) %}{{ l }}").render() == "[1]"
    assert isinstance(engine.env.bytecode_cache, MemoryBytecodeCache)
    engine.get_template("hello.html")
    assert engine.env.bytecode_cache.store
    with pytest.raises(jinja2.UndefinedError):
        engine.from_string("{{ missing }}").render()


def test_cache_extension_is_added_when_available(monkeypatch: pytest.MonkeyPatch) -> None:
    path = "tests.template.environment.ShoutExtension"
    monkeypatch.setattr(backend_module, "CACHE_EXTENSION", path)
    engine = make_engine()
    assert engine.from_string("{{ 'a'|shout }}").render() == "A!"
    assert backend_module._with_cache_extension([path]) == [path]
    assert backend_module._with_cache_extension([ShoutExtension]) == [ShoutExtension]
    monkeypatch.setattr(backend_module, "CACHE_EXTENSION", "tests.template.no_such_module.Ext")
    assert backend_module._with_cache_extension(["jinja2.ext.do"]) == ["jinja2.ext.do"]


def test_real_cache_extension_when_the_cache_framework_ships_it() -> None:
    pytest.importorskip("fastjango.templatetags.cache")
    engine = make_engine()
    assert any(type(ext).__name__ == "CacheExtension" for ext in engine.env.extensions.values())


def test_globals_and_filters_are_installed_once_per_environment() -> None:
    engine = make_engine()
    assert engine.env.filters["capfirst"] is engine.env.filters["capfirst"]
    assert "url" in engine.env.globals and "static" in engine.env.globals
    assert engine.env.filters["urlize"] is not jinja2.filters.FILTERS["urlize"]


# ---------------------------------------------------------------- loading


def test_get_template_from_dirs() -> None:
    template = make_engine().get_template("hello.html")
    assert isinstance(template, Template)
    assert template.name == "hello.html"
    assert template.origin.name == str(TEMPLATE_DIR / "hello.html")
    assert template.origin.template_name == "hello.html"
    assert template.render({"name": "<World>"}) == "Hello &lt;World&gt;!"
    assert isinstance(template.render({"name": "x"}), SafeString)
    assert repr(template) == "<Template hello.html>"


def test_dirs_come_before_app_folders_and_apps_keep_their_order(
    installed_apps: Installed,
) -> None:
    with installed_apps("tests.template.app_a", "tests.template.app_b"):
        engine = make_engine(app_dirs=True)
        assert engine.get_template("shared.html").render() == "project shared"
        assert engine.get_template("app_b/only_b.html").render() == "only in b"
        apps_only = make_engine(dirs=[], app_dirs=True)
        assert apps_only.get_template("shared.html").render() == "app a shared"
    with installed_apps("tests.template.app_b", "tests.template.app_a"):
        assert make_engine(dirs=[], app_dirs=True).get_template("shared.html").render() == (
            "app b shared"
        )


def test_missing_template_names_every_path_tried(installed_apps: Installed, tmp_path: Path) -> None:
    with installed_apps("tests.template.app_a"):
        engine = make_engine(dirs=[tmp_path, TEMPLATE_DIR], app_dirs=True)
        with pytest.raises(TemplateDoesNotExist) as info:
            engine.get_template("nope/missing.html")
    error = info.value
    assert str(error) == "nope/missing.html"
    assert error.backend is engine
    tried = [origin.name for origin, reason in error.tried]
    assert tried == [
        str(tmp_path / "nope" / "missing.html"),
        str(TEMPLATE_DIR / "nope" / "missing.html"),
        str(Path(__file__).parent / "app_a" / "templates" / "nope" / "missing.html"),
    ]
    assert {reason for _, reason in error.tried} == {"Source does not exist"}
    assert error.tried[0][0].loader is engine
    assert any(str(tmp_path) in note for note in error.__notes__)


def test_custom_loader_gives_no_tried_paths() -> None:
    engine = make_engine(loader=jinja2.DictLoader({"a.html": "A"}))
    assert engine.get_template("a.html").render() == "A"
    with pytest.raises(TemplateDoesNotExist) as info:
        engine.get_template("b.html")
    assert info.value.tried == []


def test_syntax_error_carries_name_line_and_source() -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        make_engine().get_template("syntax_error.html")
    error = info.value
    assert error.template_name == "syntax_error.html"
    assert error.lineno == 2
    assert "syntax_error.html" in str(error) and "line 2" in str(error)
    debug = error.template_debug
    assert debug["line"] == 2
    assert debug["during"] == "{% for x in %}"
    assert debug["source_lines"][0] == (1, "line one")
    assert debug["name"] == str(TEMPLATE_DIR / "syntax_error.html")
    assert isinstance(error.__cause__, jinja2.TemplateSyntaxError)


def test_syntax_error_in_a_string_template() -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        make_engine().from_string("ok\n{% if %}")
    assert info.value.lineno == 2
    assert info.value.template_debug["during"] == "{% if %}"


def test_exception_info_without_source() -> None:
    exc = jinja2.TemplateSyntaxError("bad", 3, name="x.html", filename=None)
    info = backend_module.get_exception_info(exc)
    assert info["source_lines"] == [] and info["during"] == "" and info["line"] == 3


# ---------------------------------------------------------------- rendering


def test_inheritance_blocks_and_loop_else() -> None:
    template = make_engine().get_template("child.html")
    assert template.render({"items": ["a", "b"]}) == "<title>Child</title>1:a 2:b "
    assert template.render({"items": []}) == "<title>Child</title>empty"


def test_missing_extends_target_at_render_time() -> None:
    template = make_engine().get_template("extends_missing.html")
    with pytest.raises(TemplateDoesNotExist) as info:
        template.render()
    assert str(info.value) == "missing/base.html"
    assert info.value.tried[0][0].name == str(TEMPLATE_DIR / "missing" / "base.html")


def test_syntax_error_in_an_included_template_at_render_time() -> None:
    template = make_engine().get_template("include_syntax_error.html")
    with pytest.raises(TemplateSyntaxError) as info:
        template.render()
    assert info.value.template_name == "syntax_error.html"


@override_settings(DEBUG=True)
def test_context_kinds() -> None:
    template = make_engine().from_string("{{ a }}")

    class DjangoStyleContext:
        def flatten(self) -> dict[str, Any]:
            return {"a": "flat"}

    assert template.render(None) == "{{ a }}"
    assert template.render({"a": 1}) == "1"
    assert template.render(types.MappingProxyType({"a": 2})) == "2"
    assert template.render(DjangoStyleContext()) == "flat"
    with pytest.raises(TypeError, match="context must be a dict rather than list"):
        template.render([("a", 1)])
    context = {"a": 1}
    template.render(context, request=fake_request())
    assert context == {"a": 1}, "the caller's dict is not modified"


def test_request_csrf_and_context_processors() -> None:
    engine = make_engine(
        context_processors=[
            "tests.template.environment.extra_context",
            "fastjango.template.context_processors.debug",
        ]
    )
    template = engine.get_template("request.html")
    # Without a request: no processors, empty CSRF values.
    assert template.render({"extra": "mine"}) == "|||mine"
    # With one: the processors run and their values win, as in Django.
    assert template.render({"extra": "mine"}, fake_request()) == "/here/|||from processor"


@override_settings(DEBUG=True)
def test_csrf_values_come_from_the_csrf_middleware_module(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    module = types.ModuleType("fastjango.middleware.csrf")
    module.get_token = lambda request: "tok<en>"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fastjango.middleware.csrf", module)
    rendered = make_engine().get_template("request.html").render({}, fake_request())
    assert rendered == (
        '/here/|tok&lt;en&gt;|<input type="hidden" name="csrfmiddlewaretoken" '
        'value="tok&lt;en&gt;">|{{ extra }}'
    )


def test_template_rendered_signal() -> None:
    seen: list[tuple[Any, dict[str, Any]]] = []

    def receiver(sender: Any, template: Any, context: dict[str, Any], **kwargs: Any) -> None:
        seen.append((template, context))

    template = make_engine().get_template("hello.html")
    template_rendered.connect(receiver, dispatch_uid="test-template-rendered")
    try:
        template.render({"name": "x"})
    finally:
        template_rendered.disconnect(dispatch_uid="test-template-rendered")
    template.render({"name": "y"})
    assert len(seen) == 1
    assert seen[0][0] is template
    assert seen[0][1]["name"] == "x"


def test_safe_strings_are_not_escaped_twice() -> None:
    template = make_engine().from_string("{{ a }}{{ b }}")
    assert template.render({"a": mark_safe("<b>"), "b": "<i>"}) == "<b>&lt;i&gt;"


@pytest.fixture
def urlconf() -> Iterator[None]:
    pytest.importorskip("fastjango.urls")
    with override_settings(ROOT_URLCONF="tests.template.urls"):
        yield


def test_url_global(urlconf: None) -> None:
    template = make_engine().from_string(
        "{{ url('item', 5) }} {{ url('item', pk=7) }} {{ url('items') }}"
    )
    assert template.render() == "/items/5/ /items/7/ /items/"


def test_static_global() -> None:
    with override_settings(STATIC_URL="/static/"):
        assert make_engine().from_string("{{ static('css/a b.css') }}").render() == (
            "/static/css/a%20b.css"
        )


def test_engines_handler_uses_this_backend(templates_settings: None) -> None:
    assert engines["jinja2"].get_template("hello.html").render({"name": "n"}) == "Hello n!"


def test_exception_info_reads_the_file_when_jinja2_has_no_source() -> None:
    path = TEMPLATE_DIR / "syntax_error.html"
    exc = jinja2.TemplateSyntaxError("bad", 2, name="syntax_error.html", filename=str(path))
    info = backend_module.get_exception_info(exc)
    assert info["during"] == "{% for x in %}"
    assert info["total"] == 3


@override_settings(DEBUG=True)
def test_extended_and_included_templates_are_reported_while_listened_to() -> None:
    names: list[str | None] = []
    contexts: list[dict[str, Any]] = []

    def receiver(sender: Any, template: Any, context: dict[str, Any], **kwargs: Any) -> None:
        names.append(template.name)
        contexts.append(context)

    engine = make_engine()
    template_rendered.connect(receiver, dispatch_uid="test-sub-templates")
    try:
        assert engine.get_template("includer.html").render({"names": ["a", "b"]}) == (
            "Hello {{ name }}!Hello {{ name }}!"
        )
        engine.get_template("child.html").render({"items": []})
    finally:
        template_rendered.disconnect(dispatch_uid="test-sub-templates")
    assert names == ["includer.html", "hello.html", "hello.html", "child.html", "base.html"]
    assert contexts[1]["names"] == ["a", "b"]
    names.clear()
    engine.get_template("child.html").render({"items": []})
    assert names == []
