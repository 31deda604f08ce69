from __future__ import annotations

import sys
import types
from typing import Any

import pytest

from fastjango.template import context_processors
from fastjango.test.utils import override_settings
from fastjango.utils import timezone


class FakeRequest:
    def __init__(self, remote_addr: str = "127.0.0.1") -> None:
        self.META = {"REMOTE_ADDR": remote_addr}


def test_request() -> None:
    request = FakeRequest()
    assert context_processors.request(request) == {"request": request}


@override_settings(DEBUG=True)
def test_debug_only_for_internal_ips_with_debug_on() -> None:
    request = FakeRequest()
    assert context_processors.debug(request) == {}
    with override_settings(INTERNAL_IPS=["127.0.0.1"]):
        extras = context_processors.debug(request)
        assert extras["debug"] is True
        # Evaluated lazily, from every connection's query log.
        assert isinstance(list(extras["sql_queries"]), list)
        assert context_processors.debug(FakeRequest("10.0.0.1")) == {}
        with override_settings(DEBUG=False):
            assert context_processors.debug(request) == {}


@override_settings(DEBUG=True)
def test_debug_sql_queries_come_from_the_connections(monkeypatch: pytest.MonkeyPatch) -> None:
    class Connection:
        queries = [{"sql": "SELECT 1", "time": "0.001"}]

    class Connections:
        def __iter__(self) -> Any:
            return iter(["default", "other"])

        def __getitem__(self, alias: str) -> Connection:
            return Connection()

    module = types.ModuleType("fastjango.db")
    module.connections = Connections()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fastjango.db", module)
    with override_settings(INTERNAL_IPS=["127.0.0.1"]):
        queries = context_processors.debug(FakeRequest())["sql_queries"]
        assert len(queries) == 2
        assert [q["sql"] for q in queries] == ["SELECT 1", "SELECT 1"]


def test_static_media_tz() -> None:
    with override_settings(STATIC_URL="/static/", MEDIA_URL="/media/"):
        assert context_processors.static(FakeRequest()) == {"STATIC_URL": "/static/"}
        assert context_processors.media(FakeRequest()) == {"MEDIA_URL": "/media/"}
    with timezone.override("Europe/Paris"):
        assert context_processors.tz(FakeRequest()) == {"TIME_ZONE": "Europe/Paris"}


def test_csrf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fastjango.middleware.csrf", None)
    token = context_processors.csrf(FakeRequest())["csrf_token"]
    assert str(token) == "" and not token
    module = types.ModuleType("fastjango.middleware.csrf")
    module.get_token = lambda request: "abc"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fastjango.middleware.csrf", module)
    fresh = context_processors.csrf(FakeRequest())["csrf_token"]
    assert fresh == "abc" and len(fresh) == 3 and bool(fresh)
    assert hash(fresh) == hash("abc")
    assert repr(fresh) == "<CsrfToken>"


def test_i18n_lite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fastjango.utils.translation", None)
    extras = context_processors.i18n(FakeRequest())
    assert extras["LANGUAGE_CODE"] == "en-us"
    assert extras["LANGUAGE_BIDI"] is False
    assert extras["LANGUAGES"]
    with override_settings(LANGUAGE_CODE="ar", LANGUAGES=[("ar", "Arabic")]):
        assert context_processors.i18n(FakeRequest()) == {
            "LANGUAGES": [("ar", "Arabic")],
            "LANGUAGE_CODE": "ar",
            "LANGUAGE_BIDI": True,
        }


def test_i18n_uses_the_translation_module_when_present(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("fastjango.utils.translation")
    module.get_language = lambda: "he"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fastjango.utils.translation", module)
    extras = context_processors.i18n(FakeRequest())
    assert extras["LANGUAGE_CODE"] == "he" and extras["LANGUAGE_BIDI"] is True
