"""The request factories: Django's way of describing a request, turned into an ASGI scope.

Requests are described as WSGI environ keys (``PATH_INFO``, ``QUERY_STRING``,
``HTTP_ACCEPT``, ``REMOTE_ADDR``, ``SERVER_NAME``...), as in Django. As in Django,
``AsyncRequestFactory`` takes headers as extra keyword arguments without the
``HTTP_`` prefix, and its lower-case ``defaults`` go straight into the scope.
Import these from ``fastjango.test`` or ``fastjango.test.client``.
"""

from __future__ import annotations

import json
import mimetypes
import os
import re
from collections.abc import Mapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import anyio
from starlette.types import Message, Receive, Scope

from fastjango.conf import settings
from fastjango.utils.http import urlencode

__all__ = [
    "BOUNDARY",
    "CONTENT_TYPE_RE",
    "JSON_CONTENT_TYPE_RE",
    "MULTIPART_CONTENT",
    "AsyncRequestFactory",
    "RequestFactory",
    "encode_file",
    "encode_multipart",
]

BOUNDARY = "BoUnDaRyStRiNg"
MULTIPART_CONTENT = f"multipart/form-data; boundary={BOUNDARY}"
CONTENT_TYPE_RE = re.compile(r".*; charset=([\w-]+);?")
JSON_CONTENT_TYPE_RE = re.compile(r"^application\/(.+\+)?json")
# Environ keys the scope carries itself; any other key reaches request.META as it is.
_SCOPE_KEYS = frozenset(
    {
        "PATH_INFO",
        "REQUEST_METHOD",
        "QUERY_STRING",
        "SCRIPT_NAME",
        "SERVER_NAME",
        "SERVER_PORT",
        "SERVER_PROTOCOL",
        "REMOTE_ADDR",
        "CONTENT_TYPE",
        "CONTENT_LENGTH",
        "wsgi.url_scheme",
        "wsgi.input",
        "wsgi.version",
        "wsgi.errors",
        "wsgi.multiprocess",
        "wsgi.multithread",
        "wsgi.run_once",
    }
)


def _to_bytes(value: Any, charset: str | None = None) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, memoryview | bytearray):
        return bytes(value)
    return str(value).encode(charset or settings.DEFAULT_CHARSET)


def _is_file(thing: Any) -> bool:
    return hasattr(thing, "read") and callable(thing.read)


def encode_multipart(boundary: str, data: Mapping[str, Any]) -> bytes:
    """Encode ``data`` (values, lists of values, files) as a multipart/form-data body."""
    lines: list[bytes] = []
    for key, value in data.items():
        if value is None:
            raise TypeError(
                f"Cannot encode None for key '{key}' as POST data. Did you mean to pass an "
                "empty string or omit the value?"
            )
        items = value if isinstance(value, list | tuple) else [value]
        for item in items:
            if _is_file(item):
                lines.extend(encode_file(boundary, key, item))
                continue
            if item is None:
                raise TypeError(
                    f"Cannot encode None for key '{key}' as POST data. Did you mean to pass "
                    "an empty string or omit the value?"
                )
            lines.extend(
                [
                    f"--{boundary}".encode(),
                    f'Content-Disposition: form-data; name="{key}"'.encode(),
                    b"",
                    _to_bytes(item),
                ]
            )
    lines.extend([f"--{boundary}--".encode(), b""])
    return b"\r\n".join(lines)


def encode_file(boundary: str, key: str, file: Any) -> list[bytes]:
    """Return the multipart lines for one file: its name, guessed content type and content."""
    filename = os.path.basename(getattr(file, "name", "") or "")
    content_type = getattr(file, "content_type", None)
    if content_type is None and filename:
        content_type = mimetypes.guess_type(filename)[0]
    content_type = content_type or "application/octet-stream"
    if hasattr(file, "seek"):
        file.seek(0)
    content = file.read()
    return [
        f"--{boundary}".encode(),
        f'Content-Disposition: form-data; name="{key}"; filename="{filename}"'.encode(),
        f"Content-Type: {content_type}".encode(),
        b"",
        _to_bytes(content),
    ]


def _header_items(environ: Mapping[str, Any]) -> list[tuple[bytes, bytes]]:
    headers: list[tuple[bytes, bytes]] = []
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name = key[5:].replace("_", "-").lower()
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            name = key.replace("_", "-").lower()
        else:
            continue
        if name == "cookie" and not value:
            continue
        headers.append((name.encode("latin-1"), str(value).encode("latin-1")))
    return headers


def _read_input(value: Any) -> bytes:
    if _is_file(value):
        return _to_bytes(value.read())
    return _to_bytes(value) if value else b""


def _environ_to_scope(
    environ: Mapping[str, Any], scope_defaults: Mapping[str, Any]
) -> tuple[Scope, bytes, dict[str, Any]]:
    """Return the ASGI scope, the body, and the keys only ``request.META`` can hold."""
    scheme = str(environ.get("wsgi.url_scheme", "http"))
    server_name = str(environ.get("SERVER_NAME", "testserver"))
    server_port = int(environ.get("SERVER_PORT") or (443 if scheme == "https" else 80))
    script_name = str(environ.get("SCRIPT_NAME", "") or "").rstrip("/")
    path_info = str(environ.get("PATH_INFO", "/") or "/")
    body = _read_input(environ.get("wsgi.input", b""))
    headers = _header_items(environ)
    if body and "CONTENT_LENGTH" not in environ:
        headers.append((b"content-length", str(len(body)).encode("latin-1")))
    path = script_name + path_info
    protocol = str(environ.get("SERVER_PROTOCOL", "HTTP/1.1"))
    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": protocol.removeprefix("HTTP/"),
        "method": str(environ.get("REQUEST_METHOD", "GET")).upper(),
        "scheme": scheme,
        "path": path,
        "raw_path": quote(path, safe="/:@&+$,;=!~*'()%").encode("ascii"),
        "query_string": str(environ.get("QUERY_STRING", "")).encode("utf-8"),
        "root_path": script_name,
        "headers": headers,
        "client": (str(environ.get("REMOTE_ADDR", "127.0.0.1")), 0),
        "server": (server_name, server_port),
        "state": {},
    }
    scope.update(scope_defaults)
    extra_meta = {
        key: value
        for key, value in environ.items()
        if key not in _SCOPE_KEYS and not key.startswith("HTTP_")
    }
    return scope, body, extra_meta


def _get_path(url: str) -> str:
    # The path as the application sees it: percent-decoded, as a URL parser gives it.
    return unquote(urlsplit(url).path) or "/"


class RequestFactory:
    """Build ``HttpRequest`` objects for calling views directly, as Django's does.

    ``headers`` and ``query_params`` given here apply to every request; other
    keyword arguments are environ keys (``HTTP_USER_AGENT``, ``REMOTE_ADDR``...).
    """

    def __init__(
        self,
        *,
        json_encoder: type[json.JSONEncoder] | None = None,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **defaults: Any,
    ) -> None:
        if json_encoder is None:
            from fastjango.core.serializers.json import DjangoJSONEncoder

            json_encoder = DjangoJSONEncoder
        self.json_encoder = json_encoder
        self.defaults: dict[str, Any] = dict(defaults)
        self.cookies: SimpleCookie = SimpleCookie()
        if headers:
            self.defaults.update(self._header_names(headers))
        self._default_query = urlencode(query_params, doseq=True) if query_params else ""

    def _header_names(self, headers: Mapping[str, Any]) -> dict[str, Any]:
        from fastjango.http.request import HttpHeaders

        return HttpHeaders.to_wsgi_names(headers)

    def _scope_defaults(self) -> dict[str, Any]:
        return {}

    def _environ_defaults(self) -> dict[str, Any]:
        return self.defaults

    def _base_environ(self, **request: Any) -> dict[str, Any]:
        """Return the environ for a request: defaults, cookies, then ``request``'s keys."""
        cookie = "; ".join(
            sorted(f"{morsel.key}={morsel.coded_value}" for morsel in self.cookies.values())
        )
        environ: dict[str, Any] = {
            "HTTP_COOKIE": cookie,
            "PATH_INFO": "/",
            "REMOTE_ADDR": "127.0.0.1",
            "REQUEST_METHOD": "GET",
            "SCRIPT_NAME": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            **self._environ_defaults(),
            **request,
        }
        if not environ.get("QUERY_STRING"):
            environ["QUERY_STRING"] = self._default_query
        return environ

    def _scope_for(self, request: dict[str, Any]) -> tuple[Scope, bytes, dict[str, Any]]:
        return _environ_to_scope(self._base_environ(**request), self._scope_defaults())

    def request(self, **request: Any) -> Any:
        """Return an ``HttpRequest`` for a dict of environ keys (``PATH_INFO``...)."""
        from fastjango.http import HttpRequest

        scope, body, extra_meta = self._scope_for(request)
        http_request = HttpRequest(scope, _single_message_receive(body))
        http_request._set_body(body)
        if extra_meta:
            http_request.META.update(extra_meta)
        return http_request

    # -- bodies ----------------------------------------------------------------

    def _encode_data(self, data: Any, content_type: str) -> bytes:
        if content_type == MULTIPART_CONTENT:
            return encode_multipart(BOUNDARY, data)
        if isinstance(data, Mapping | list | tuple) and content_type.startswith(
            "application/x-www-form-urlencoded"
        ):
            # Django wants the caller to urlencode; accepting a dict here costs nothing.
            return urlencode(data, doseq=True).encode("ascii")
        match = CONTENT_TYPE_RE.match(content_type)
        return _to_bytes(data, match[1] if match else None)

    def _encode_json(self, data: Any, content_type: str | None) -> Any:
        """Return ``data`` as JSON text if the content type is JSON and it is a dict or list."""
        if (
            content_type
            and JSON_CONTENT_TYPE_RE.match(content_type)
            and isinstance(data, dict | list | tuple)
        ):
            return json.dumps(data, cls=self.json_encoder)
        return data

    # -- the HTTP methods ------------------------------------------------------

    def get(
        self,
        path: str,
        data: Any = None,
        secure: bool = False,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """Make a GET request; ``data`` (or ``query_params``) becomes the query string."""
        return self._query_method("GET", path, data, secure, headers, query_params, extra)

    def head(
        self,
        path: str,
        data: Any = None,
        secure: bool = False,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """Make a HEAD request; ``data`` (or ``query_params``) becomes the query string."""
        return self._query_method("HEAD", path, data, secure, headers, query_params, extra)

    def trace(
        self,
        path: str,
        secure: bool = False,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """Make a TRACE request."""
        return self.generic(
            "TRACE", path, secure=secure, headers=headers, query_params=query_params, **extra
        )

    def _query_method(
        self,
        method: str,
        path: str,
        data: Any,
        secure: bool,
        headers: Mapping[str, Any] | None,
        query_params: Mapping[str, Any] | None,
        extra: dict[str, Any],
    ) -> Any:
        if query_params and data:
            raise ValueError("query_params and data arguments are mutually exclusive.")
        return self.generic(
            method,
            path,
            secure=secure,
            headers=headers,
            query_params=data or query_params or {},
            **extra,
        )

    def post(
        self,
        path: str,
        data: Any = None,
        content_type: str = MULTIPART_CONTENT,
        secure: bool = False,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """Make a POST request: a dict is multipart-encoded, or JSON with a JSON content type."""
        data = self._encode_json({} if data is None else data, content_type)
        body = self._encode_data(data, content_type)
        return self.generic(
            "POST",
            path,
            body,
            content_type,
            secure=secure,
            headers=headers,
            query_params=query_params,
            **extra,
        )

    def _body_method(
        self,
        method: str,
        path: str,
        data: Any,
        content_type: str,
        secure: bool,
        headers: Mapping[str, Any] | None,
        query_params: Mapping[str, Any] | None,
        extra: dict[str, Any],
        encode_json: bool = True,
    ) -> Any:
        if encode_json:
            data = self._encode_json(data, content_type)
        if isinstance(data, Mapping | list | tuple) and content_type.startswith(
            "application/x-www-form-urlencoded"
        ):
            data = urlencode(data, doseq=True)
        return self.generic(
            method,
            path,
            data,
            content_type,
            secure=secure,
            headers=headers,
            query_params=query_params,
            **extra,
        )

    def put(
        self,
        path: str,
        data: Any = "",
        content_type: str = "application/octet-stream",
        secure: bool = False,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """Make a PUT request with a raw body (JSON-encoded for a JSON content type)."""
        return self._body_method(
            "PUT", path, data, content_type, secure, headers, query_params, extra
        )

    def patch(
        self,
        path: str,
        data: Any = "",
        content_type: str = "application/octet-stream",
        secure: bool = False,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """Make a PATCH request with a raw body (JSON-encoded for a JSON content type)."""
        return self._body_method(
            "PATCH", path, data, content_type, secure, headers, query_params, extra
        )

    def delete(
        self,
        path: str,
        data: Any = "",
        content_type: str = "application/octet-stream",
        secure: bool = False,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """Make a DELETE request, with an optional body."""
        return self._body_method(
            "DELETE", path, data, content_type, secure, headers, query_params, extra
        )

    def options(
        self,
        path: str,
        data: Any = "",
        content_type: str = "application/octet-stream",
        secure: bool = False,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """Make an OPTIONS request, with an optional body."""
        return self._body_method(
            "OPTIONS", path, data, content_type, secure, headers, query_params, extra, False
        )

    def generic(
        self,
        method: str,
        path: str,
        data: Any = "",
        content_type: str | None = "application/octet-stream",
        secure: bool = False,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """Make a request with any method and a raw body."""
        url = str(path)  # reverse_lazy() gives a lazy string
        body = _to_bytes(data) if data else b""
        environ: dict[str, Any] = {
            "PATH_INFO": _get_path(url),
            "REQUEST_METHOD": method.upper(),
            "SERVER_PORT": "443" if secure else "80",
            "wsgi.url_scheme": "https" if secure else "http",
        }
        if body:
            environ["CONTENT_LENGTH"] = str(len(body))
            environ["CONTENT_TYPE"] = content_type or "application/octet-stream"
            environ["wsgi.input"] = body
        extra = self._extra_environ(extra)
        if headers:
            extra.update(self._header_names(headers))
        if query_params:
            extra["QUERY_STRING"] = urlencode(query_params, doseq=True)
        environ.update(extra)
        if not environ.get("QUERY_STRING"):
            environ["QUERY_STRING"] = urlsplit(url).query
        return self.request(**environ)

    def _extra_environ(self, extra: dict[str, Any]) -> dict[str, Any]:
        return dict(extra)


def _is_scope_key(key: str) -> bool:
    # ASGI scope keys ("client", "root_path"...) as opposed to environ keys.
    return key.islower() and "." not in key


def _async_extra(extra: Mapping[str, Any]) -> dict[str, Any]:
    # Django's async clients take headers without the HTTP_ prefix (ACCEPT="..."); the
    # environ keys the sync client takes are understood too.
    environ: dict[str, Any] = {}
    for key, value in extra.items():
        if key.startswith(("HTTP_", "wsgi.")) or key in _SCOPE_KEYS:
            environ[key] = value
        else:
            environ["HTTP_" + key.upper().replace("-", "_")] = value
    return environ


class AsyncRequestFactory(RequestFactory):
    """Django's ``AsyncRequestFactory``: requests for calling async views.

    Extra keyword arguments of a request are headers (``ACCEPT="text/html"``); the
    factory's lower-case ``defaults`` are set in the ASGI scope.
    """

    def _scope_defaults(self) -> dict[str, Any]:
        return {k: v for k, v in self.defaults.items() if _is_scope_key(k)}

    def _environ_defaults(self) -> dict[str, Any]:
        return {k: v for k, v in self.defaults.items() if not _is_scope_key(k)}

    def _base_environ(self, **request: Any) -> dict[str, Any]:
        environ = super()._base_environ(**request)
        # Django's async factory always names the host.
        environ.setdefault("HTTP_HOST", environ.get("SERVER_NAME", "testserver"))
        return environ

    def _extra_environ(self, extra: dict[str, Any]) -> dict[str, Any]:
        return _async_extra(extra)


def _single_message_receive(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            await anyio.sleep_forever()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
