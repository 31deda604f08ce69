from __future__ import annotations

import sys
import types

import pytest

from fastjango.template import context_processors
from fastjango.template._optional import import_optional
from fastjango.template.globals import CsrfInput, CsrfToken, get_csrf_token


class FakeRequest:
    META: dict[str, str] = {}


def test_import_optional() -> None:
    assert import_optional("fastjango.template.loader") is sys.modules["fastjango.template.loader"]
    assert import_optional("fastjango.no_such_module") is None


def test_import_optional_does_not_hide_broken_modules() -> None:
    with pytest.raises(ModuleNotFoundError, match="fastjango_missing_dependency_for_tests"):
        import_optional("tests.template.broken_module")


def test_without_the_csrf_module(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fastjango.middleware.csrf", None)
    assert get_csrf_token(FakeRequest()) == ""
    assert get_csrf_token(None) == ""
    assert str(CsrfInput(FakeRequest())) == ""
    token = CsrfToken(FakeRequest())
    assert token == "" and token == CsrfToken(None) and not token and len(token) == 0


def test_csrf_input_with_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("fastjango.middleware.csrf")
    module.get_token = lambda request: "abc"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fastjango.middleware.csrf", module)
    field = CsrfInput(FakeRequest())
    assert field.__html__() == ('<input type="hidden" name="csrfmiddlewaretoken" value="abc">')


def test_processors_without_db_or_translation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fastjango.db", None)
    monkeypatch.setitem(sys.modules, "fastjango.utils.translation", None)
    assert context_processors._sql_queries() == []
    extras = context_processors.i18n(FakeRequest())
    assert extras["LANGUAGE_CODE"] == "en-us"
    assert extras["LANGUAGE_BIDI"] is False
