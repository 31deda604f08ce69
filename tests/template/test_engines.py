from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.template import engines
from fastjango.template.backends.base import BaseEngine
from fastjango.template.backends.jinja2 import Jinja2
from fastjango.template.utils import EngineHandler, InvalidTemplateEngineError
from fastjango.test.utils import override_settings

from .conftest import JINJA2, TEMPLATE_DIR, jinja2_settings

Installed = Callable[..., AbstractContextManager[None]]


def test_empty_templates_setting_means_one_jinja2_engine_over_app_folders(
    installed_apps: Installed,
) -> None:
    with override_settings(TEMPLATES=[]), installed_apps("tests.template.app_a"):
        [engine] = engines.all()
        assert isinstance(engine, Jinja2)
        assert engine.name == "jinja2"
        assert engine.app_dirs is True
        assert engine.template_dirs == (str(Path(__file__).parent / "app_a" / "templates"),)
        assert engine.get_template("app_a/page.html").render({"value": 1}) == "app a page 1"


def test_django_jinja2_backend_path_is_accepted() -> None:
    setting = [{"BACKEND": "django.template.backends.jinja2.Jinja2", "DIRS": [TEMPLATE_DIR]}]
    with override_settings(TEMPLATES=setting):
        engine = engines["jinja2"]
        assert type(engine) is Jinja2
        assert engines.templates["jinja2"]["BACKEND"] == JINJA2


@pytest.mark.parametrize(
    "backend",
    [
        "django.template.backends.django.DjangoTemplates",
        "fastjango.template.backends.django.DjangoTemplates",
    ],
)
def test_django_template_language_backend_is_rejected_with_a_fix(backend: str) -> None:
    with override_settings(TEMPLATES=[{"BACKEND": backend}]):
        with pytest.raises(ImproperlyConfigured) as info:
            engines.all()
    message = str(info.value)
    assert "Jinja2" in message
    assert JINJA2 in message
    assert "docs/templates.md" in message


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ([{"DIRS": []}], "Invalid BACKEND for a template engine: None"),
        ([{"BACKEND": "nodots"}], "Invalid BACKEND for a template engine: 'nodots'"),
        (["not a dict"], "must be a dict"),
        (
            [{"BACKEND": JINJA2}, {"BACKEND": JINJA2}],
            "Template engine aliases aren't unique, duplicates: jinja2",
        ),
    ],
)
def test_bad_settings(setting: list[object], message: str) -> None:
    with override_settings(TEMPLATES=setting), pytest.raises(ImproperlyConfigured, match=message):
        engines.all()


def test_unknown_alias() -> None:
    with override_settings(TEMPLATES=jinja2_settings()):
        with pytest.raises(InvalidTemplateEngineError, match="Could not find config for 'nope'"):
            engines["nope"]


def test_engines_are_built_once_and_reset_when_settings_change() -> None:
    with override_settings(TEMPLATES=jinja2_settings()):
        engine = engines["jinja2"]
        assert engines["jinja2"] is engine
        assert engines.all() == [engine]
        env = engine.env  # type: ignore[attr-defined]
        engine.get_template("hello.html").render({"name": "a"})
        assert engines["jinja2"].env is env  # type: ignore[attr-defined]
        with override_settings(TEMPLATES=[{**jinja2_settings()[0], "NAME": "other"}]):
            assert list(engines) == ["other"]
            assert engines["other"] is not engine
        assert engines["jinja2"] is not engine  # rebuilt after the override ended
    with override_settings(DEBUG=False, TEMPLATES=jinja2_settings()):
        assert engines["jinja2"].env.auto_reload is False  # type: ignore[attr-defined]


def test_several_engines_keep_their_order() -> None:
    first = {**jinja2_settings()[0], "NAME": "first"}
    second = {"BACKEND": JINJA2, "NAME": "second", "DIRS": [TEMPLATE_DIR / "sub"]}
    handler = EngineHandler([first, second])
    assert [engine.name for engine in handler.all()] == ["first", "second"]


def test_base_engine_contract(tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfigured, match="Unknown parameters: OPTIONS"):
        BaseEngine({"NAME": "x", "OPTIONS": {}})
    engine = BaseEngine({"NAME": "x", "DIRS": [tmp_path], "APP_DIRS": False})
    assert engine.template_dirs == (str(tmp_path),)
    with pytest.raises(ImproperlyConfigured, match="doesn't support loading templates"):
        engine.app_dirname  # noqa: B018
    with pytest.raises(NotImplementedError):
        engine.from_string("")
    with pytest.raises(NotImplementedError):
        engine.get_template("x")
    assert list(engine.iter_template_filenames("a/b.html")) == [str(tmp_path / "a" / "b.html")]
    assert list(engine.iter_template_filenames("../escape.html")) == []


def test_concurrent_first_use_builds_one_engine() -> None:
    import threading
    import time

    handler = EngineHandler(jinja2_settings())
    results: list[BaseEngine] = []
    with handler._lock:
        worker = threading.Thread(target=lambda: results.append(handler["jinja2"]))
        worker.start()
        time.sleep(0.05)  # let the worker miss the fast path and wait for the lock
        built_meanwhile = Jinja2({"NAME": "jinja2", "DIRS": [TEMPLATE_DIR]})
        handler._engines["jinja2"] = built_meanwhile
    worker.join()
    assert results == [built_meanwhile]
