"""The request path end to end: dispatcher, view styles, errors, OpenAPI."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.test import AsyncClient, Client, override_settings

URLCONF = "tests.core.urls_handlers"


@pytest.fixture(autouse=True)
def urlconf() -> Iterator[None]:
    with override_settings(ROOT_URLCONF=URLCONF):
        yield


@pytest.fixture
def client() -> Client:
    return Client(raise_request_exception=False)


def test_sync_and_async_django_views(client: Client) -> None:
    assert client.get("/sync/").content == b"sync GET /sync/"
    assert client.get("/async/").content == b"async GET /async/"


@pytest.mark.anyio
async def test_async_client() -> None:
    client = AsyncClient()
    response = await client.get("/async/")
    assert response.status_code == 200
    assert response.content == b"async GET /async/"


@pytest.mark.parametrize("url", ["/echo/", "/async-echo/"])
def test_body_is_read_before_the_view(client: Client, url: str) -> None:
    response = client.post(url, {"name": "Ada"}, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert response.json() == {"name": "Ada", "body": len(b"name=Ada")}


def test_converters_reach_the_view_typed(client: Client) -> None:
    assert client.get("/books/7/").json() == {"pk": 7, "type": "int", "name": "book-detail"}


def test_class_based_view_dispatch_and_405(client: Client) -> None:
    assert client.get("/greeting/").content == b"hello from get"
    assert client.post("/greeting/").content == b"hello from post"
    response = client.put("/greeting/")
    assert response.status_code == 405
    assert set(response["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_fastapi_style_view(client: Client) -> None:
    response = client.get("/api/items/5", {"q": "x"})
    assert response.status_code == 200
    assert response.json() == {"item_id": 5, "q": "x"}


def test_fastapi_style_view_with_body_and_status(client: Client) -> None:
    response = client.post(
        "/api/create", {"name": "pen", "price": 1.5}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json() == {"name": "pen", "price": 1.5}
    invalid = client.post("/api/create", {"name": "pen"}, content_type="application/json")
    assert invalid.status_code == 422
    assert invalid.json()["detail"][0]["loc"] == ["body", "price"]


def test_fastapi_style_view_answers_get_only_by_default(client: Client) -> None:
    response = client.post("/api/items/5")
    assert response.status_code == 405


def test_fastapi_dependencies_work(client: Client) -> None:
    assert client.get("/api/dep").json() == {"token": "token-123"}


def test_starlette_request_annotation_means_fastapi_style(client: Client) -> None:
    assert client.get("/starlette-style/").content == b"starlette request /starlette-style/"


def test_included_api_router(client: Client) -> None:
    assert client.get("/router/ping").json() == {"ping": "pong"}
    assert client.get("/router/items/3").json() == {"item_id": 3}


def test_mounted_asgi_app_gets_root_path(client: Client) -> None:
    response = client.get("/sub/page")
    assert response.status_code == 200
    assert response.content == b"sub /sub/page root=/sub"


def test_openapi_lists_fastapi_views_with_typed_converters(client: Client) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    assert "/api/items/{item_id}" in paths
    assert "/router/ping" in paths
    params = {p["name"]: p for p in paths["/api/untyped/{pk}"]["get"]["parameters"]}
    assert params["pk"]["schema"]["type"] == "integer"
    assert "post" in paths["/api/create"]
    # Django-style views are not API operations.
    assert "/sync/" not in paths


def test_docs_page(client: Client) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_docs_can_be_turned_off(client: Client) -> None:
    with override_settings(DOCS_URL=None, OPENAPI_URL=None):
        assert Client(raise_request_exception=False).get("/docs").status_code == 404


@override_settings(DEBUG=False)
def test_error_statuses_without_debug(client: Client) -> None:
    assert client.get("/403/").status_code == 403
    assert client.get("/400/").status_code == 400
    response = client.get("/500/")
    assert response.status_code == 500
    assert b"boom in view" not in response.content
    assert b"Traceback" not in response.content


@override_settings(DEBUG=False)
def test_handler404_from_the_urlconf(client: Client) -> None:
    response = client.get("/404/")
    assert response.status_code == 404
    assert response.content == b"custom 404: No such book"
    assert client.get("/nowhere/").status_code == 404


@override_settings(DEBUG=True)
def test_debug_404_lists_patterns(client: Client) -> None:
    response = client.get("/nowhere/", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert b"books/&lt;int:pk&gt;/" in response.content
    assert b"DEBUG = True" in response.content


@override_settings(DEBUG=True)
def test_debug_500_page_shows_traceback_and_hides_secrets(client: Client) -> None:
    response = client.get("/500/", headers={"Accept": "text/html"})
    assert response.status_code == 500
    assert b"ValueError" in response.content
    assert b"boom in view" in response.content
    assert b"raises_500" in response.content
    assert b"tests-only-secret-key" not in response.content


@override_settings(DEBUG=True)
def test_debug_500_plain_text_for_non_html_clients(client: Client) -> None:
    response = client.get("/500/", headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/plain")
    assert b"ValueError at /500/" in response.content


def test_test_client_reraises_view_exceptions() -> None:
    with pytest.raises(ValueError, match="boom in view"):
        Client().get("/500/")


def test_view_returning_none(client: Client) -> None:
    with pytest.raises(ValueError, match="didn't return an HttpResponse object. It returned None"):
        Client().get("/none/")


def test_view_returning_a_coroutine(client: Client) -> None:
    with pytest.raises(ValueError, match="unawaited coroutine"):
        Client().get("/coroutine/")


def test_disallowed_host_is_400(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.CRITICAL):
        response = client.get("/sync/", headers={"Host": "evil.example.com"})
    assert response.status_code == 400


@override_settings(ALLOWED_HOSTS=["*"])
def test_allowed_hosts_wildcard(client: Client) -> None:
    assert client.get("/sync/", headers={"Host": "anything.example"}).status_code == 200


def test_head_request_has_no_body(client: Client) -> None:
    response = client.head("/sync/")
    assert response.status_code == 200
    assert response.content == b""


def test_missing_root_urlconf_is_a_clear_error() -> None:
    from fastjango.core.asgi import get_asgi_application

    with (
        override_settings(ROOT_URLCONF=None),
        pytest.raises(ImproperlyConfigured, match="ROOT_URLCONF"),
    ):
        get_asgi_application()


def test_app_is_a_fastapi_app() -> None:
    from fastapi import FastAPI

    from fastjango.core.asgi import get_asgi_application

    app = get_asgi_application()
    assert isinstance(app, FastAPI)

    @app.get("/added-later")
    async def added_later() -> dict[str, bool]:
        return {"ok": True}

    import httpx

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            return await c.get("/added-later")

    import anyio

    assert anyio.run(call).json() == {"ok": True}


def test_fastapi_style_view_may_return_a_django_response(client: Client) -> None:
    response = client.get("/api/django-response/4")
    assert response.status_code == 202
    assert response.content == b"plain 4"
    assert response["X-From"] == "django"
    assert response["Content-Type"] == "text/plain"


def test_http_exception_from_a_mounted_app_is_answered(client: Client) -> None:
    response = client.get("/files/anything.css")
    assert response.status_code == 404
    assert response.json() == {"detail": "no such file"}
