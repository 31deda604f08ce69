"""The DEBUG pages: technical 500 and 404, the welcome page, cleansing."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from fastjango.test import Client, RequestFactory, override_settings
from fastjango.urls import Resolver404
from fastjango.views.debug import (
    CLEANSED_SUBSTITUTE,
    cleanse_setting,
    default_urlconf,
    technical_404_response,
    technical_500_response,
)

rf = RequestFactory()
# Built, so that the source lines shown on the page don't contain it.
COOKIE = "-".join(["cookie", "value", "9f3"])
HTML = {"Accept": "text/html"}


class Point(tuple[int, int]):
    """A tuple subclass whose constructor takes two arguments."""

    def __new__(cls, x: int, y: int) -> Point:
        return super().__new__(cls, (x, y))


def test_cleanse_setting() -> None:
    assert cleanse_setting("SECRET_KEY", "x") == CLEANSED_SUBSTITUTE
    assert cleanse_setting("DATABASES", {"default": {"PASSWORD": "p", "NAME": "db"}}) == {
        "default": {"PASSWORD": CLEANSED_SUBSTITUTE, "NAME": "db"}
    }
    assert cleanse_setting("ITEMS", [{"api_key": 1}, 2]) == [{"api_key": CLEANSED_SUBSTITUTE}, 2]
    assert cleanse_setting("PAIR", Point(1, 2)) == (1, 2)
    assert cleanse_setting(3, "not a name") == "not a name"


def _exc_info() -> tuple[Any, Any, Any]:
    try:
        try:
            raise KeyError("inner")
        except KeyError as inner:
            raise ValueError("outer <b>") from inner
    except ValueError:
        return sys.exc_info()


def test_technical_500_html() -> None:
    request = rf.get("/page/?password=x&q=1", headers=HTML, HTTP_COOKIE="sessionid=" + COOKIE)
    request.POST  # noqa: B018 - parsed: the page shows it
    response = technical_500_response(request, *_exc_info())
    assert response.status_code == 500
    content = response.content.decode()
    assert "ValueError at /page/" in content
    assert "outer &lt;b&gt;" in content
    assert "Which happened while handling KeyError" in content
    assert COOKIE not in content  # cookie values are never shown
    assert CLEANSED_SUBSTITUTE in content
    assert "<h3>POST</h3>" in content


def test_technical_500_plain_text_and_no_exception() -> None:
    request = rf.get("/x/", headers={"Accept": "application/json"})
    text = technical_500_response(request, *_exc_info(), status_code=400)
    assert text.status_code == 400
    assert text["Content-Type"].startswith("text/plain")
    assert text.content.startswith(b"ValueError at /x/\nouter <b>")
    report = technical_500_response(rf.get("/", headers=HTML), None, None, None)
    assert b"Report at /" in report.content
    assert b"No exception message supplied" in report.content
    json_request = rf.get("/", headers={"Accept": "application/json"})
    only_value = technical_500_response(json_request, None, ValueError("v"), None)
    assert only_value.content.startswith(b"ValueError at /\nv")


def test_technical_500_survives_broken_reprs_and_requests() -> None:
    class BadRepr:
        def __repr__(self) -> str:
            raise RuntimeError("no repr")

    def failing() -> None:
        __traceback_hide__ = False
        local = BadRepr()  # noqa: F841
        huge = "x" * 10_000  # noqa: F841
        raise OSError("io")

    def hidden() -> None:
        __traceback_hide__ = True
        failing()

    try:
        hidden()
    except OSError:
        info = sys.exc_info()
    request = rf.post("/up/", "garbage", content_type="multipart/form-data; boundary=zz")
    request.META["HTTP_ACCEPT"] = "text/html"
    content = technical_500_response(request, *info).content.decode()
    assert "unrepresentable BadRepr" in content
    assert "trimmed 10002 bytes string" in content
    assert ", in hidden</h3>" not in content
    assert ", in failing</h3>" in content


def test_technical_500_when_the_request_itself_is_broken() -> None:
    class Broken:
        path = "/b/"
        method = "GET"
        path_info = "/b/"

        def accepts(self, media_type: str) -> bool:
            raise ValueError("no headers")

        def __getattr__(self, name: str) -> Any:
            raise RuntimeError(name)

    content = technical_500_response(Broken(), *_exc_info()).content  # type: ignore[arg-type]
    assert b"ValueError at /b/" in content


def test_technical_404_lists_patterns_and_handles_text_clients() -> None:
    tried = [[type("P", (), {"pattern": "books/<int:pk>/"})()], ["plain"]]
    error = Resolver404({"tried": tried, "path": "nothing/here"})
    page = technical_404_response(rf.get("/nothing/here", headers=HTML), error)
    assert page.status_code == 404
    assert b"books/&lt;int:pk&gt;/" in page.content
    assert b"The current path, <code>nothing/here</code>" in page.content
    text = technical_404_response(rf.get("/nothing/here", HTTP_ACCEPT="text/plain"), error)
    assert text["Content-Type"].startswith("text/plain")
    assert b"books/<int:pk>/\nplain\nThe current path, nothing/here" in text.content


def test_technical_404_raised_by_a_view_and_without_a_message() -> None:
    from fastjango.http import Http404

    request = rf.get("/x/", HTTP_ACCEPT="application/json")
    text = technical_404_response(request, Http404("gone fishing"))
    assert b"gone fishing" in text.content
    html = technical_404_response(rf.get("/x/", headers=HTML), Http404())
    assert b"No URL pattern matched." in html.content


@override_settings(DEBUG=True)
def test_empty_urlconf_shows_the_welcome_page_on_any_path() -> None:
    with override_settings(ROOT_URLCONF="tests.urls_empty"):
        client = Client()
        for path in ("/", "/anything/"):
            response = client.get(path)
            assert response.status_code == 200
            assert b"The install worked successfully!" in response.content
        assert b"/docs" in client.get("/").content
    with override_settings(ROOT_URLCONF="tests.urls_empty", DEBUG=False):
        assert Client().get("/").status_code == 404


def test_welcome_page_without_api_docs() -> None:
    with override_settings(DOCS_URL=None):
        assert b"API docs" not in default_urlconf(rf.get("/")).content


@pytest.mark.parametrize("urlconf", ["tests.core.urls_handlers", None])
def test_urlconf_name_on_the_404_page(urlconf: str | None) -> None:
    import types

    request = rf.get("/nope/", headers=HTML)
    if urlconf is None:
        request.urlconf = types.ModuleType("custom_urls")
    error = Resolver404({"tried": [["x"]], "path": "nope/"})
    with override_settings(ROOT_URLCONF=urlconf or "tests.urls_empty"):
        content = technical_404_response(request, error).content
    assert (urlconf or "custom_urls").encode() in content


def test_suppressed_context_and_raised_by_in_text() -> None:
    from fastjango.http import Http404
    from fastjango.urls import ResolverMatch

    try:
        try:
            raise KeyError("hidden")
        except KeyError:
            raise ValueError("shown") from None
    except ValueError:
        info = sys.exc_info()
    content = technical_500_response(rf.get("/", headers=HTML), *info).content
    assert b"<h3>Which happened" not in content
    request = rf.get("/x/", HTTP_ACCEPT="text/plain")
    request.resolver_match = ResolverMatch(test_cleanse_setting, (), {})
    text = technical_404_response(request, Http404("nope")).content
    assert b"Raised by: tests.views.test_debug.test_cleanse_setting" in text
