"""Helpers to build ASGI scopes, receive channels and requests by hand."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

from fastjango.http import HttpRequest

Message = dict[str, Any]


def make_scope(
    method: str = "GET",
    path: str = "/",
    query_string: bytes = b"",
    headers: Sequence[tuple[bytes, bytes]] = ((b"host", b"testserver"),),
    root_path: str = "",
    server: tuple[str, int] | None = ("testserver", 80),
    client: tuple[str, int] | None = ("127.0.0.1", 50000),
    scheme: str = "http",
) -> dict[str, Any]:
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": scheme,
        "path": path,
        "raw_path": path.encode(),
        "root_path": root_path,
        "query_string": query_string,
        "headers": list(headers),
    }
    if server is not None:
        scope["server"] = server
    if client is not None:
        scope["client"] = client
    return scope


def receive_from(
    chunks: Iterable[bytes], disconnect_early: bool = False
) -> Callable[[], Awaitable[Message]]:
    """Return a receive channel sending ``chunks`` as the body, then a disconnect."""
    pending = list(chunks)
    messages: list[Message] = []
    for i, chunk in enumerate(pending):
        more = i < len(pending) - 1 or disconnect_early
        messages.append({"type": "http.request", "body": chunk, "more_body": more})
    if not messages and not disconnect_early:
        messages.append({"type": "http.request", "body": b"", "more_body": False})

    async def receive() -> Message:
        if messages:
            return messages.pop(0)
        return {"type": "http.disconnect"}

    return receive


def body_headers(
    body: bytes, content_type: str | None = None, chunked: bool = False
) -> list[tuple[bytes, bytes]]:
    headers = [(b"host", b"testserver")]
    if content_type is not None:
        headers.append((b"content-type", content_type.encode("latin-1")))
    if chunked:
        headers.append((b"transfer-encoding", b"chunked"))
    else:
        headers.append((b"content-length", str(len(body)).encode()))
    return headers


async def read_request(
    body: bytes,
    content_type: str | None = None,
    method: str = "POST",
    chunk_size: int | None = None,
    chunked: bool = False,
    **scope_kwargs: Any,
) -> HttpRequest:
    """Build a request with ``body`` and read its body, as the request handler does."""
    scope = make_scope(
        method=method, headers=body_headers(body, content_type, chunked), **scope_kwargs
    )
    size = chunk_size or max(len(body), 1)
    chunks = [body[i : i + size] for i in range(0, len(body), size)] or [b""]
    request = HttpRequest(scope, receive_from(chunks))
    await request._aread_body()
    return request


def multipart_body(
    fields: Sequence[tuple[str, str]] = (),
    files: Sequence[tuple[str, str, bytes, str]] = (),
    boundary: str = "BoUnDaRy",
) -> tuple[bytes, str]:
    """Encode ``fields`` and ``(name, filename, content, content type)`` files."""
    parts: list[bytes] = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for name, filename, content, content_type in files:
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"
