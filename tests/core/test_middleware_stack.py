"""MIDDLEWARE: Django-style middleware (sync, async, mixin, hooks) beside pure ASGI ones."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.test import Client, override_settings
from tests.core import sample_middleware as mw

P = "tests.core.sample_middleware."


@pytest.fixture(autouse=True)
def reset_calls() -> Iterator[None]:
    mw.calls.clear()
    with override_settings(ROOT_URLCONF="tests.core.urls_handlers"):
        yield
        for override in reversed(_active):
            override.disable()
        _active.clear()


_active: list[override_settings] = []


def make_client(*middleware: str) -> Client:
    """A client for an app with ``middleware``; the override ends with the test."""
    override = override_settings(MIDDLEWARE=[P + name for name in middleware])
    override.enable()
    _active.append(override)
    return Client(raise_request_exception=False)


def test_django_style_middleware_order_and_headers() -> None:
    client = make_client("function_middleware", "ClassMiddleware", "async_capable_middleware")
    response = client.get("/sync/")
    assert response.content == b"sync GET /sync/"
    assert response["X-Function"] == response["X-Class"] == response["X-Async"] == "yes"
    assert mw.calls == [
        "function:before",
        "class:before",
        "async:before",
        "process_view:sync_view",
        "function:after",
    ]


def test_process_view_can_short_circuit() -> None:
    client = make_client("ClassMiddleware")
    response = client.get("/sync/", {"short": "1"})
    assert response.content == b"short-circuited by process_view"


def test_process_exception_turns_errors_into_responses() -> None:
    with override_settings(ROOT_URLCONF="tests.core.urls_errors"):
        client = make_client("ClassMiddleware")
        response = client.get("/keyerror/")
    assert response.status_code == 418
    assert response.content == b"handled KeyError('missing')"


def test_middleware_mixin_sync_and_async_paths() -> None:
    client = make_client("MixinMiddleware")
    assert client.get("/async/")["X-Mixin"] == "yes"
    blocked = client.get("/async/", {"block": "1"})
    assert blocked.status_code == 403
    assert blocked.content == b"blocked"
    assert "X-Mixin" in blocked


def test_middleware_not_used_is_skipped() -> None:
    client = make_client("unused_middleware", "function_middleware")
    assert client.get("/sync/")["X-Function"] == "yes"


def test_exception_in_middleware_becomes_500() -> None:
    with override_settings(DEBUG=False):
        client = make_client("failing_middleware")
        response = client.get("/sync/", {"fail": "1"})
    assert response.status_code == 500


def test_pure_asgi_between_django_style_middleware() -> None:
    client = make_client("function_middleware", "PureASGIMiddleware", "ClassMiddleware")
    response = client.get("/sync/")
    assert response["X-Function"] == response["X-Class"] == response["X-Asgi"] == "yes"
    # FastAPI-style routes also pass through Django-style middleware.
    api = client.get("/api/items/3")
    assert api.json() == {"item_id": 3, "q": None}
    assert api["X-Function"] == "yes"


def test_django_paths_in_middleware_are_read_as_fastjango() -> None:
    with override_settings(MIDDLEWARE=["django.middleware.clickjacking.XFrameOptionsMiddleware"]):
        response = Client().get("/sync/")
    assert response["X-Frame-Options"] == "DENY"


def test_unknown_middleware_is_a_clear_error() -> None:
    with override_settings(MIDDLEWARE=["tests.core.sample_middleware.Nope"]):
        with pytest.raises(ImproperlyConfigured, match="could not be imported"):
            Client().get("/sync/")


def test_ambiguous_middleware_is_a_clear_error() -> None:
    with override_settings(MIDDLEWARE=[P + "AmbiguousMiddleware"]):
        with pytest.raises(ImproperlyConfigured, match="'get_response'"):
            Client().get("/sync/")
