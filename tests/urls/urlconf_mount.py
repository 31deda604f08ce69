"""FastAPI routers and raw ASGI apps include()d next to ordinary views."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from fastjango.urls import include, path, re_path
from tests.urls import views

router = APIRouter()


@router.get("/items/{item_id}")
async def read_item(item_id: int) -> dict[str, int]:
    return {"item_id": item_id}


async def raw_app(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})


class TenantApp:
    """A callable object, the way most ASGI apps are written."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await raw_app(scope, receive, send)


tenant_app = TenantApp()


async def catch_all(scope: Any, receive: Any, send: Any) -> None:
    await raw_app(scope, receive, send)


urlpatterns = [
    path("api/", include(router)),
    path(
        "v1/",
        include([path("raw/", include(raw_app)), path("x/", views.empty_view, name="v1-x")]),
    ),
    path("<slug:tenant>/app/", include(tenant_app), {"source": "tenant"}),
    re_path(r"^re-mount/", include(raw_app)),
    path("view/", views.empty_view, name="view"),
    path("", include(catch_all)),
]
