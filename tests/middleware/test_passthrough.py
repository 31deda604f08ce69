from __future__ import annotations

from typing import Any

import pytest
from starlette.types import Message, Receive, Scope, Send

from fastjango.middleware.clickjacking import XFrameOptionsMiddleware
from fastjango.middleware.cors import CorsMiddleware
from fastjango.middleware.gzip import GZipMiddleware
from fastjango.middleware.http import ConditionalGetMiddleware
from fastjango.middleware.security import SecurityMiddleware
from fastjango.test.utils import override_settings

pytestmark = pytest.mark.anyio

MIDDLEWARE: list[Any] = [
    SecurityMiddleware,
    XFrameOptionsMiddleware,
    GZipMiddleware,
    ConditionalGetMiddleware,
    CorsMiddleware,
]


@pytest.mark.parametrize("middleware_class", MIDDLEWARE)
@pytest.mark.parametrize("scope_type", ["lifespan", "websocket"])
async def test_non_http_scopes_pass_straight_through(
    middleware_class: Any, scope_type: str
) -> None:
    seen: list[tuple[Scope, Receive, Send]] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append((scope, receive, send))
        await send({"type": "websocket.accept"})

    async def receive() -> Message:
        return {"type": f"{scope_type}.startup"}

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    with override_settings(
        SECURE_SSL_REDIRECT=True, CORS_ALLOW_ALL_ORIGINS=True, SECURE_HSTS_SECONDS=10
    ):
        middleware = middleware_class(app)
    scope = {"type": scope_type, "path": "/", "headers": [], "scheme": "ws"}
    await middleware(scope, receive, send)
    assert seen == [(scope, receive, send)]
    assert sent == [{"type": "websocket.accept"}]
