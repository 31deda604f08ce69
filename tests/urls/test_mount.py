"""FastJango's include() of ASGI apps: FastAPI routers and plain ASGI callables."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.middleware.asyncexitstack import AsyncExitStackMiddleware

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.urls import URLMount, include, path, resolve, reverse
from tests.urls import urlconf_mount, views

MOUNT = "tests.urls.urlconf_mount"


def test_include_of_an_asgi_app_makes_a_mount() -> None:
    (first, *_rest) = urlconf_mount.urlpatterns
    assert isinstance(first, URLMount)
    assert first.app is urlconf_mount.router
    assert repr(first) == "<URLMount 'api/' -> APIRouter>"
    assert include(urlconf_mount.raw_app) == (urlconf_mount.raw_app, None, None)


@pytest.mark.parametrize(
    ("url", "app", "mount", "kwargs"),
    [
        ("/api/items/3", urlconf_mount.router, "/api", {}),
        ("/api/", urlconf_mount.router, "/api", {}),
        ("/v1/raw/anything/below", urlconf_mount.raw_app, "/v1/raw", {}),
        (
            "/acme/app/x",
            urlconf_mount.tenant_app,
            "/acme/app",
            {"tenant": "acme", "source": "tenant"},
        ),
        ("/re-mount/y", urlconf_mount.raw_app, "/re-mount", {}),
        ("/anything/else", urlconf_mount.catch_all, "", {}),
        ("/", urlconf_mount.catch_all, "", {}),
    ],
)
def test_resolving_under_a_mount(url: str, app: Any, mount: str, kwargs: dict[str, Any]) -> None:
    match = resolve(url, MOUNT)
    assert match.func is app
    assert match.asgi_mount == mount
    assert match.kwargs == kwargs
    assert match.url_name is None


def test_ordinary_matches_have_no_mount() -> None:
    match = resolve("/v1/x/", MOUNT)
    assert match.func is views.empty_view
    assert match.asgi_mount is None
    assert resolve("/view/", MOUNT).asgi_mount is None


def test_mount_match_details() -> None:
    match = resolve("/acme/app/x", MOUNT)
    assert match.route == "<slug:tenant>/app/"
    assert match.captured_kwargs == {"tenant": "acme"}
    assert match.extra_kwargs == {"source": "tenant"}
    assert match.view_name == "tests.urls.urlconf_mount.TenantApp"
    assert repr(match).endswith(", asgi_mount='/acme/app')")
    assert resolve("/api/items/3", MOUNT).view_name == "fastapi.routing.APIRouter"


def test_mount_in_tried_and_mount_resolve() -> None:
    mount = path("api/", include(urlconf_mount.raw_app))
    assert isinstance(mount, URLMount)
    assert mount.resolve("other/") is None
    direct = mount.resolve("api/x")
    assert direct is not None and direct.asgi_mount == "api"
    match = resolve("/view/", MOUNT)
    assert [chain[-1] for chain in match.tried or []][0] is urlconf_mount.urlpatterns[0]


def test_mounts_are_not_reversible() -> None:
    assert reverse("view", MOUNT) == "/view/"
    assert reverse("v1-x", MOUNT) == "/v1/x/"


def test_mount_takes_no_namespace() -> None:
    with pytest.raises(ImproperlyConfigured, match="takes no app_name or namespace"):
        include(urlconf_mount.router, namespace="api")
    with pytest.raises(ImproperlyConfigured, match="takes no app_name or namespace"):
        include((urlconf_mount.raw_app, "api"))


def test_an_object_with_urlpatterns_is_a_urlconf_not_a_mount() -> None:
    class Urls:
        urlpatterns = [path("x/", views.empty_view, name="x")]

        def __call__(self) -> None:
            raise AssertionError("not an ASGI app")

    resolver = path("p/", include(Urls()))
    assert not isinstance(resolver, URLMount)


@pytest.mark.anyio
async def test_asgi_mount_follows_starlettes_root_path_convention() -> None:
    """Calling the router with root_path=asgi_mount reaches the route under the prefix."""
    url = "/api/items/42"
    match = resolve(url, MOUNT)
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": url,
        "raw_path": url.encode(),
        "root_path": match.asgi_mount,
        "query_string": b"",
        "headers": [],
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 1234),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        sent.append(message)

    # Inside the FastAPI app FastJango builds, FastAPI's own middleware sets this up.
    await AsyncExitStackMiddleware(match.func)(scope, receive, send)
    assert sent[0]["status"] == 200
    assert json.loads(sent[1]["body"]) == {"item_id": 42}
