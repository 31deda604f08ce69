"""Tiny ASGI apps and a direct ASGI runner for the middleware tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["client", "make_app", "run_asgi", "scope_for"]


def make_app(
    body: bytes | Sequence[bytes] = b"ok",
    *,
    status: int = 200,
    headers: Sequence[tuple[str, str]] = (("content-type", "text/plain"),),
    content_length: bool = True,
) -> ASGIApp:
    """Return an app that answers every request the same way.

    A sequence of chunks is sent as a streaming response (one body message each,
    ``more_body`` on all but the last) without Content-Length.
    """
    streaming = not isinstance(body, bytes)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        raw = [(name.encode(), value.encode()) for name, value in headers]
        if not streaming and content_length:
            raw.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": raw})
        if streaming:
            chunks = list(body)
            for index, chunk in enumerate(chunks):
                more = index < len(chunks) - 1
                await send({"type": "http.response.body", "body": chunk, "more_body": more})
        else:
            await send({"type": "http.response.body", "body": body})

    return app


def client(app: ASGIApp, **kwargs: Any) -> httpx.AsyncClient:
    """Return an httpx client that talks to ``app`` in-process."""
    kwargs.setdefault("base_url", "http://testserver")
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), **kwargs)


def scope_for(
    path: str = "/",
    *,
    method: str = "GET",
    headers: Sequence[tuple[str, str]] = (("host", "testserver"),),
    scheme: str = "http",
    query_string: bytes = b"",
    root_path: str = "",
) -> Scope:
    """Return an HTTP scope as a server would build it."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": scheme,
        "path": path,
        "raw_path": path.encode(),
        "root_path": root_path,
        "query_string": query_string,
        "headers": [(name.lower().encode(), value.encode()) for name, value in headers],
        "server": ("testserver", 443 if scheme == "https" else 80),
        "client": ("127.0.0.1", 12345),
    }


async def run_asgi(app: ASGIApp, scope: Scope) -> list[Message]:
    """Call ``app`` with ``scope`` and return every message it sent."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent
