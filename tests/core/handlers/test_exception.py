"""Exceptions to responses: handlerXXX views, failing handlers, DEBUG pages, signals, logs."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from fastjango.core import signals
from fastjango.core.handlers.exception import (
    get_exception_response,
    handle_uncaught_exception,
    log_response,
    response_for_exception,
)
from fastjango.http import Http404, HttpRequest, HttpResponse
from fastjango.test import Client, RequestFactory, override_settings


@pytest.fixture
def quiet(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    with caplog.at_level(logging.CRITICAL + 1):
        yield caplog


@pytest.fixture
def client() -> Client:
    return Client(raise_request_exception=False)


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    ("kind", "status", "needle"),
    [
        ("404", 404, b"Not Found"),
        ("403", 403, b"403 Forbidden"),
        ("400", 400, b"Bad Request (400)"),
        ("bad", 400, b"Bad Request (400)"),
        ("multipart", 400, b"Bad Request (400)"),
        ("toobig", 400, b"Bad Request (400)"),
        ("500", 500, b"Server Error (500)"),
    ],
)
def test_default_handlers(
    client: Client, quiet: Any, kind: str, status: int, needle: bytes
) -> None:
    with override_settings(TEMPLATES=[]):
        response = client.get(f"/raise/{kind}/")
    assert response.status_code == status
    assert needle in response.content


@override_settings(DEBUG=False, ROOT_URLCONF="tests.core.handlers.urls_custom")
def test_custom_handlers_and_a_template_response_handler(client: Client, quiet: Any) -> None:
    assert client.get("/raise/403/").content == b"custom 403: not yours"
    assert client.get("/raise/400/").content == b"custom 400: SuspiciousOperation"
    assert client.get("/raise/bad/").content == b"custom 400: BadRequest"
    assert client.get("/raise/500/").content == b"custom 500"
    missing = client.get("/nowhere/")
    assert missing.status_code == 404
    assert missing.content == b"<h1>/nowhere/ not here</h1>"


@override_settings(DEBUG=False, ROOT_URLCONF="tests.core.handlers.urls_failing")
def test_handlers_that_fail_themselves(quiet: pytest.LogCaptureFixture) -> None:
    received: list[BaseException] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        received.append(kwargs["exception"])

    signals.got_request_exception.connect(receiver)
    try:
        client = Client(raise_request_exception=False)
        missing = client.get("/nowhere/")
        assert missing.status_code == 500
        assert b"Server Error (500)" in missing.content  # the built-in page: handler500 fails
        assert [type(e) for e in received] == [RuntimeError]
        failing_500 = client.get("/raise/500/")
        assert failing_500.status_code == 500
        assert b"Server Error (500)" in failing_500.content
        # The test client raises what went wrong last: the failing handler.
        with pytest.raises(RuntimeError, match="the handler failed too"):
            Client().get("/nowhere/")
    finally:
        signals.got_request_exception.disconnect(receiver)


@override_settings(DEBUG=True)
def test_debug_pages(client: Client, quiet: Any) -> None:
    html = {"Accept": "text/html"}
    suspicious = client.get("/raise/400/", headers=html)
    assert suspicious.status_code == 400
    assert b"SuspiciousOperation at /raise/400/" in suspicious.content
    bad = client.get("/raise/bad/", headers=html)
    assert bad.status_code == 400
    assert b"BadRequest at /raise/bad/" in bad.content
    not_found = client.get("/raise/404/", headers=html)
    assert b"no such thing" in not_found.content
    assert b"Raised by: <code>tests.core.handlers.views.raise_kind</code>" in not_found.content
    chained = client.get("/raise/chained/", headers=html)
    assert b"RuntimeError at /raise/chained/" in chained.content
    assert b"Which happened while handling KeyError" in chained.content


@override_settings(DEBUG=True)
def test_debug_500_cleanses_locals_and_settings(client: Client, quiet: Any) -> None:
    with override_settings(API_SECRET_VALUE="do-not-show"):
        response = client.get("/secret-local/", headers={"Accept": "text/html"})
    content = response.content
    assert b"hide-me-please" not in content
    assert b"show-me" in content
    assert b"do-not-show" not in content
    assert b"API_SECRET_VALUE" in content
    assert b"tests-only-secret-key" not in content


def test_got_request_exception_with_an_async_receiver(client: Client, quiet: Any) -> None:
    received: list[str] = []

    async def receiver(sender: Any, **kwargs: Any) -> None:
        received.append(type(kwargs["exception"]).__name__)

    signals.got_request_exception.connect(receiver)
    try:
        assert client.get("/async-raise/").status_code == 500
    finally:
        signals.got_request_exception.disconnect(receiver)
    assert received == ["LookupError"]


def test_debug_propagate_exceptions(quiet: Any) -> None:
    with override_settings(DEBUG_PROPAGATE_EXCEPTIONS=True):
        client = Client(raise_request_exception=False)
        with pytest.raises(ValueError, match="boom in view"):
            client.get("/raise/500/")


def test_response_for_exception_outside_the_stack(quiet: Any) -> None:
    request = RequestFactory().get("/somewhere/")
    with override_settings(DEBUG=False, ROOT_URLCONF=None):
        response = response_for_exception(request, Http404("gone"))
        assert response.status_code == 404
        assert handle_uncaught_exception(request, ValueError("x")).status_code == 500
        assert get_exception_response(request, 403, PermissionError()).status_code == 403


def test_request_data_too_big_marks_post_unreadable(quiet: Any) -> None:
    from fastjango.core.exceptions import RequestDataTooBig

    request = RequestFactory().post("/", {"a": "1"})
    with override_settings(DEBUG=False):
        response = response_for_exception(request, RequestDataTooBig("too big"))
    assert response.status_code == 400
    assert dict(request.POST) == {}


def test_log_response_levels_and_once(caplog: pytest.LogCaptureFixture) -> None:
    request = HttpRequest()
    with caplog.at_level(logging.INFO, logger="fastjango.request"):
        ok = HttpResponse(status=302)
        log_response("moved", request, ok)
        log_response("moved again", request, ok)
        try:
            raise ValueError("x")
        except ValueError as exc:
            log_response("failed", request, HttpResponse(status=503), exc)
        log_response("missing", request, HttpResponse(status=404))
    levels = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert levels == [("INFO", "moved"), ("ERROR", "failed"), ("WARNING", "missing")]
    assert caplog.records[1].exc_info is not None
    assert caplog.records[2].exc_info is None


@override_settings(DEBUG=False)
def test_a_failing_error_page_gets_the_last_resort_page(
    monkeypatch: pytest.MonkeyPatch, quiet: Any
) -> None:
    from fastjango.core.handlers import asgi

    def explode(request: Any, exc: BaseException) -> Any:
        raise RuntimeError("even the error page failed")

    client = Client(raise_request_exception=False)
    client.get("/")  # build the app first
    app = client._get_app()
    monkeypatch.setattr(asgi, "aresponse_for_exception", _async(explode))

    async def failing_app(scope: Any, receive: Any, send: Any) -> None:
        raise OSError("disk on fire")

    handler = app.build_middleware_stack()  # type: ignore[attr-defined]
    handler.app = failing_app
    app.middleware_stack = handler  # type: ignore[attr-defined]
    response = client.get("/")
    assert response.status_code == 500
    assert b"Server Error (500)" in response.content


def _async(func: Any) -> Any:
    async def wrapper(*args: Any) -> Any:
        return func(*args)

    return wrapper
