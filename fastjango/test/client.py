"""The test client and request factory, with Django's API, driving the ASGI app in-process."""

from __future__ import annotations

import json
import mimetypes
import os
import threading
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AbstractContextManager
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlencode, urljoin, urlsplit

import anyio
from anyio.from_thread import BlockingPortal, start_blocking_portal
from starlette.types import ASGIApp, Message, Receive, Scope

from fastjango.conf import settings
from fastjango.core import signals
from fastjango.core.handlers.middleware import REQUEST_SCOPE_KEY
from fastjango.utils.functional import SimpleLazyObject

if TYPE_CHECKING:
    from fastjango.http import HttpRequest, HttpResponse

__all__ = [
    "BOUNDARY",
    "MULTIPART_CONTENT",
    "AsyncClient",
    "AsyncRequestFactory",
    "Client",
    "RedirectCycleError",
    "RequestFactory",
    "encode_multipart",
]

BOUNDARY = "BoUnDaRyStRiNg"
MULTIPART_CONTENT = f"multipart/form-data; boundary={BOUNDARY}"


class RedirectCycleError(Exception):
    """The test client was redirected in a loop (or more than 20 times)."""

    def __init__(self, message: str, last_response: Any) -> None:
        super().__init__(message)
        self.last_response = last_response
        self.redirect_chain = last_response.redirect_chain


def _to_bytes(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    return str(value).encode(settings.DEFAULT_CHARSET)


def encode_multipart(boundary: str, data: Mapping[str, Any]) -> bytes:
    """Encode ``data`` (values, lists of values, files) as a multipart/form-data body."""
    lines: list[bytes] = []

    def is_file(thing: Any) -> bool:
        return hasattr(thing, "read") and callable(thing.read)

    for key, value in data.items():
        if value is None:
            raise TypeError(
                f"Cannot encode None for key '{key}' as POST data. Did you mean to pass an "
                "empty string or omit the value?"
            )
        items = value if isinstance(value, list | tuple) else [value]
        for item in items:
            if is_file(item):
                lines.extend(_encode_file(boundary, key, item))
            else:
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


def _encode_file(boundary: str, key: str, file: Any) -> list[bytes]:
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


class RequestFactory:
    """Build ``HttpRequest`` objects for calling views directly, as Django's does."""

    def __init__(
        self,
        *,
        headers: Mapping[str, str] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **defaults: Any,
    ) -> None:
        self.defaults = dict(defaults)
        self.headers = dict(headers or {})
        self.query_params = dict(query_params or {})
        self.cookies: SimpleCookie = SimpleCookie()

    # -- building the request --------------------------------------------------

    def _encode_data(self, data: Any, content_type: str | None) -> bytes:
        if content_type is None:
            return b""
        if content_type == MULTIPART_CONTENT:
            return encode_multipart(BOUNDARY, data or {})
        if isinstance(data, dict | list | tuple) and _is_json(content_type):
            from fastjango.core.serializers.json import DjangoJSONEncoder

            return json.dumps(data, cls=DjangoJSONEncoder).encode()
        if data is None:
            return b""
        if isinstance(data, dict | list | tuple) and content_type.startswith(
            "application/x-www-form-urlencoded"
        ):
            return urlencode(data, doseq=True).encode()
        return _to_bytes(data)

    def _scope(
        self,
        method: str,
        path: str,
        *,
        body: bytes = b"",
        content_type: str | None = None,
        secure: bool = False,
        headers: Mapping[str, str] | None = None,
        query_params: Mapping[str, Any] | None = None,
        query_string: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> Scope:
        parsed = urlsplit(str(path))
        extra = {**self.defaults, **(extra or {})}
        merged_query = {**self.query_params, **(query_params or {})}
        if query_string is None:
            query_string = parsed.query
            if merged_query:
                encoded = urlencode(merged_query, doseq=True)
                query_string = f"{query_string}&{encoded}" if query_string else encoded
        if "QUERY_STRING" in extra:
            query_string = extra.pop("QUERY_STRING")
        secure = secure or extra.pop("wsgi.url_scheme", "http") == "https"
        server_name = str(extra.pop("SERVER_NAME", "testserver"))
        server_port = int(extra.pop("SERVER_PORT", "443" if secure else "80"))
        remote_addr = str(extra.pop("REMOTE_ADDR", "127.0.0.1"))
        header_list: list[tuple[bytes, bytes]] = []
        all_headers: dict[str, str] = {}
        for key, value in extra.items():
            if key.startswith("HTTP_"):
                all_headers[key[5:].replace("_", "-").lower()] = str(value)
            elif key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                all_headers[key.replace("_", "-").lower()] = str(value)
        for key, value in {**self.headers, **(headers or {})}.items():
            all_headers[key.lower()] = str(value)
        host = server_name
        if (secure and server_port != 443) or (not secure and server_port != 80):
            host = f"{server_name}:{server_port}"
        all_headers.setdefault("host", host)
        if content_type is not None:
            all_headers.setdefault("content-type", content_type)
        if body or content_type is not None:
            all_headers["content-length"] = str(len(body))
        cookie_header = "; ".join(
            f"{morsel.key}={morsel.coded_value}" for morsel in self.cookies.values()
        )
        if cookie_header and "cookie" not in all_headers:
            all_headers["cookie"] = cookie_header
        for key, value in all_headers.items():
            header_list.append((key.encode("latin-1"), value.encode("latin-1")))
        raw_path = parsed.path or "/"
        return {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": method.upper(),
            "scheme": "https" if secure else "http",
            "path": _unquote_path(raw_path),
            "raw_path": raw_path.encode("latin-1", "backslashreplace"),
            "query_string": query_string.encode("latin-1"),
            "root_path": str(extra.get("SCRIPT_NAME", "")),
            "headers": header_list,
            "client": (remote_addr, 50000),
            "server": (server_name, server_port),
            "state": {},
        }

    def _build(self, method: str, path: str, **kwargs: Any) -> tuple[Scope, bytes]:
        data = kwargs.pop("data", None)
        content_type = kwargs.pop("content_type", None)
        if method in ("GET", "HEAD") and data:
            encoded = urlencode(data, doseq=True) if not isinstance(data, str) else data
            parsed = urlsplit(path)
            query = f"{parsed.query}&{encoded}" if parsed.query else encoded
            path = parsed._replace(query=query).geturl()
            body = b""
        else:
            body = self._encode_data(data, content_type)
        extra = kwargs.pop("extra", {})
        scope = self._scope(
            method, path, body=body, content_type=content_type, extra=extra, **kwargs
        )
        return scope, body

    def request(self, **request: Any) -> HttpRequest:
        """Return an ``HttpRequest`` for a dict of WSGI-style keys (``PATH_INFO``...)."""
        path = request.pop("PATH_INFO", "/")
        method = request.pop("REQUEST_METHOD", "GET")
        body = request.pop("wsgi.input", b"")
        scope = self._scope(method, path, body=body, extra=request)
        return self._make_request(scope, body)

    def _make_request(self, scope: Scope, body: bytes) -> HttpRequest:
        from fastjango.http import HttpRequest

        request = HttpRequest(scope, _single_message_receive(body))
        request._set_body(body)
        return request

    def generic(
        self,
        method: str,
        path: str,
        data: Any = "",
        content_type: str | None = "application/octet-stream",
        secure: bool = False,
        *,
        headers: Mapping[str, str] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """Build (or, on a client, send) a request with any method and a raw body."""
        body = _to_bytes(data) if data else b""
        scope = self._scope(
            method,
            path,
            body=body,
            content_type=content_type if body else None,
            secure=secure,
            headers=headers,
            query_params=query_params,
            extra=extra,
        )
        return self._dispatch(scope, body)

    def _dispatch(self, scope: Scope, body: bytes) -> Any:
        return self._make_request(scope, body)

    def _method(
        self,
        method: str,
        path: str,
        data: Any = None,
        content_type: str | None = None,
        secure: bool = False,
        headers: Mapping[str, str] | None = None,
        query_params: Mapping[str, Any] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> tuple[Scope, bytes]:
        return self._build(
            method,
            path,
            data=data,
            content_type=content_type,
            secure=secure,
            headers=headers,
            query_params=query_params,
            extra=dict(extra or {}),
        )

    def get(
        self,
        path: str,
        data: Any = None,
        secure: bool = False,
        *,
        headers: Mapping[str, str] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """GET ``path``; ``data`` becomes the query string."""
        return self._dispatch(
            *self._method("GET", path, data, None, secure, headers, query_params, extra)
        )

    def head(
        self,
        path: str,
        data: Any = None,
        secure: bool = False,
        *,
        headers: Mapping[str, str] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """HEAD ``path``."""
        return self._dispatch(
            *self._method("HEAD", path, data, None, secure, headers, query_params, extra)
        )

    def post(
        self,
        path: str,
        data: Any = None,
        content_type: str = MULTIPART_CONTENT,
        secure: bool = False,
        *,
        headers: Mapping[str, str] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """POST ``data``: a dict is multipart-encoded, or JSON with a JSON content type."""
        return self._dispatch(
            *self._method(
                "POST", path, data or {}, content_type, secure, headers, query_params, extra
            )
        )

    def _body_method(
        self,
        method: str,
        path: str,
        data: Any,
        content_type: str,
        secure: bool,
        headers: Mapping[str, str] | None,
        query_params: Mapping[str, Any] | None,
        extra: Mapping[str, Any],
    ) -> Any:
        return self._dispatch(
            *self._method(
                method,
                path,
                data if data is not None else "",
                content_type,
                secure,
                headers,
                query_params,
                extra,
            )
        )

    def put(
        self,
        path: str,
        data: Any = "",
        content_type: str = "application/octet-stream",
        secure: bool = False,
        *,
        headers: Mapping[str, str] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """PUT a raw body (or JSON for a JSON content type)."""
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
        headers: Mapping[str, str] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """PATCH a raw body (or JSON for a JSON content type)."""
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
        headers: Mapping[str, str] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """DELETE ``path``."""
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
        headers: Mapping[str, str] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """OPTIONS ``path``."""
        return self._body_method(
            "OPTIONS", path, data, content_type, secure, headers, query_params, extra
        )

    def trace(
        self,
        path: str,
        data: Any = "",
        secure: bool = False,
        *,
        headers: Mapping[str, str] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """TRACE ``path``."""
        return self._dispatch(
            *self._method("TRACE", path, data or None, None, secure, headers, query_params, extra)
        )


class AsyncRequestFactory(RequestFactory):
    """Django's ``AsyncRequestFactory``: the same requests, for calling async views."""


def _is_json(content_type: str) -> bool:
    media_type = content_type.split(";")[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


def _unquote_path(path: str) -> str:
    return unquote(path)


def _single_message_receive(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            await anyio.sleep_forever()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


# -- running requests ---------------------------------------------------------

_portal_lock = threading.Lock()
_portal: tuple[BlockingPortal, AbstractContextManager[BlockingPortal]] | None = None


def _shared_portal() -> BlockingPortal:
    # One event loop thread serves every sync Client of the process, so pooled async
    # resources (database and cache connections) stay bound to a single loop.
    global _portal
    with _portal_lock:
        if _portal is None:
            manager = start_blocking_portal()
            _portal = (manager.__enter__(), manager)
        return _portal[0]


class _ClientMixin:
    """What ``Client`` and ``AsyncClient`` share: the app, cookies, response decoration."""

    cookies: SimpleCookie
    raise_request_exception: bool
    _app: tuple[object, ASGIApp] | None

    if TYPE_CHECKING:

        def _scope(self, method: str, path: str, **kwargs: Any) -> Scope: ...

    def _get_app(self) -> ASGIApp:
        wrapped = settings._wrapped
        if self._app is None or self._app[0] is not wrapped:
            from fastjango.core.asgi import get_asgi_application

            self._app = (wrapped, get_asgi_application(run_checks=False))
        return self._app[1]

    async def _arun(self, scope: Scope, body: bytes) -> HttpResponse:
        from fastjango.http import HttpResponse, StreamingHttpResponse

        app = self._get_app()
        status = 500
        raw_headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []
        templates: list[Any] = []
        contexts: list[Any] = []
        exc_info: list[BaseException] = []
        streaming = False

        def on_template(sender: Any, **kwargs: Any) -> None:
            templates.append(kwargs.get("template"))
            contexts.append(kwargs.get("context"))

        def on_exception(sender: Any, **kwargs: Any) -> None:
            exception = kwargs.get("exception")
            if exception is not None:
                exc_info.append(exception)

        async def send(message: Message) -> None:
            nonlocal status, raw_headers, streaming
            if message["type"] == "http.response.start":
                status = message["status"]
                raw_headers = list(message.get("headers", []))
                streaming = not any(name.lower() == b"content-length" for name, _ in raw_headers)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        template_signal = _template_rendered_signal()
        uid = f"test-client-{id(send)}"
        if template_signal is not None:
            template_signal.connect(on_template, weak=False, dispatch_uid=uid)
        signals.got_request_exception.connect(on_exception, weak=False, dispatch_uid=uid)
        try:
            await app(scope, _single_message_receive(body), send)
        finally:
            if template_signal is not None:
                template_signal.disconnect(dispatch_uid=uid)
            signals.got_request_exception.disconnect(dispatch_uid=uid)

        if exc_info and self.raise_request_exception:
            raise exc_info[0]
        response: HttpResponse
        content = b"".join(chunks)
        if streaming and content:
            response = StreamingHttpResponse(iter([content]), status=status)
        else:
            response = HttpResponse(content, status=status)
        del response.headers["Content-Type"]
        for raw_name, raw_value in raw_headers:
            name, value = raw_name.decode("latin-1"), raw_value.decode("latin-1")
            if name.lower() == "set-cookie":
                response.cookies.load(value)
            elif name in response.headers:
                response.headers[name] = f"{response.headers[name]}, {value}"
            else:
                response.headers[name] = value
        self._store_cookies(response)
        request = scope.get(REQUEST_SCOPE_KEY)
        _decorate(response, self, scope, request, templates, contexts)
        response._request_body = body  # type: ignore[attr-defined]
        return response

    def _store_cookies(self, response: HttpResponse) -> None:
        for key, morsel in response.cookies.items():
            if morsel["max-age"] == "0" or (morsel.value == "" and morsel["expires"]):
                self.cookies.pop(key, None)
            else:
                self.cookies[key] = morsel

    def _redirect_target(
        self, response: HttpResponse, scope: Scope
    ) -> tuple[str, str, dict[str, Any]] | None:
        if not 300 <= response.status_code < 400 or "Location" not in response:
            return None
        base = f"{scope['scheme']}://testserver{scope['path']}"
        url = urljoin(base, response["Location"])
        parsed = urlsplit(url)
        options: dict[str, Any] = {"secure": parsed.scheme == "https"}
        if parsed.hostname and parsed.hostname != "testserver":
            options["SERVER_NAME"] = parsed.hostname
        if parsed.port:
            options["SERVER_PORT"] = str(parsed.port)
        path = parsed.path or "/"
        if parsed.query:
            path += "?" + parsed.query
        method = scope["method"] if response.status_code in (307, 308) else "GET"
        return method, path, options

    def _redirect_request(
        self, response: Any, method: str, path: str, options: dict[str, Any]
    ) -> tuple[Scope, bytes]:
        secure = options.pop("secure")
        if method in ("GET", "HEAD"):
            return self._scope(method, path, secure=secure, extra=options), b""
        # 307 and 308 repeat the request, body and all, at the new location.
        body: bytes = response._request_body
        content_type = dict(response.request["headers"]).get(b"content-type")
        return (
            self._scope(
                method,
                path,
                body=body,
                content_type=content_type.decode("latin-1") if content_type else None,
                secure=secure,
                extra=options,
            ),
            body,
        )


def _template_rendered_signal() -> Any:
    try:
        from fastjango.test.signals import template_rendered
    except ImportError:  # pragma: no cover - the template package ships it
        return None
    return template_rendered


class ContextList(list[Any]):
    """The contexts of every template rendered; look keys up across all of them."""

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            for subcontext in self:
                if subcontext is not None and key in subcontext:
                    return subcontext[key]
            raise KeyError(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        """Return ``key`` from the first context that has it, else ``default``."""
        try:
            return self.__getitem__(key)
        except KeyError:
            return default

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            return any(c is not None and key in c for c in self)
        return super().__contains__(key)

    def keys(self) -> set[str]:
        """Return every key of every context."""
        return {k for c in self if c is not None for k in c}


def _decorate(
    response: Any,
    client: Any,
    scope: Scope,
    request: Any,
    templates: list[Any],
    contexts: list[Any],
) -> None:
    response.client = client
    response.request = scope
    response.asgi_request = response.wsgi_request = request
    response.templates = templates
    if not contexts:
        response.context = None
    elif len(contexts) == 1:
        response.context = contexts[0]
    else:
        response.context = ContextList(contexts)
    response.redirect_chain = []

    def json_method(**kwargs: Any) -> Any:
        content_type = response.get("Content-Type", "")
        if not _is_json(content_type):
            raise ValueError(f'Content-Type header is "{content_type}", not "application/json"')
        return json.loads(response.content.decode(response.charset), **kwargs)

    response.json = json_method

    def resolve_path() -> Any:
        from fastjango.urls import resolve

        path = scope["path"]
        root = scope.get("root_path", "")
        return resolve(path[len(root) :] if root and path.startswith(root) else path)

    response.resolver_match = SimpleLazyObject(resolve_path)


class Client(_ClientMixin, RequestFactory):
    """Django's test client: sends requests through the whole app, keeps cookies."""

    def __init__(
        self,
        enforce_csrf_checks: bool = False,
        raise_request_exception: bool = True,
        *,
        headers: Mapping[str, str] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **defaults: Any,
    ) -> None:
        super().__init__(headers=headers, query_params=query_params, **defaults)
        self.enforce_csrf_checks = enforce_csrf_checks
        self.raise_request_exception = raise_request_exception
        self._app = None

    def _dispatch(self, scope: Scope, body: bytes) -> Any:
        return _shared_portal().call(self._arun, scope, body)

    def _follow(self, response: Any) -> Any:
        redirect_chain: list[tuple[str, int]] = []
        while True:
            target = self._redirect_target(response, response.request)
            if target is None:
                break
            method, path, options = target
            redirect_chain.append((response["Location"], response.status_code))
            if len(redirect_chain) > 20 or (
                len(redirect_chain) > 1 and redirect_chain[-1] in redirect_chain[:-1]
            ):
                response.redirect_chain = redirect_chain
                raise RedirectCycleError("Redirect loop detected.", last_response=response)
            scope, body = self._redirect_request(response, method, path, options)
            response = self._dispatch(scope, body)
        response.redirect_chain = redirect_chain
        return response

    def request(self, **request: Any) -> Any:  # type: ignore[override]
        """Send a request given as WSGI-style keys, and return the response."""
        path = request.pop("PATH_INFO", "/")
        method = request.pop("REQUEST_METHOD", "GET")
        body = request.pop("wsgi.input", b"")
        return self._dispatch(self._scope(method, path, body=body, extra=request), body)


def _with_follow(name: str) -> Callable[..., Any]:
    def method(self: Any, path: str, *args: Any, follow: bool = False, **kwargs: Any) -> Any:
        response = getattr(RequestFactory, name)(self, path, *args, **kwargs)
        if follow:
            return self._follow(response)
        return response

    method.__name__ = name
    method.__doc__ = getattr(RequestFactory, name).__doc__
    return method


def _with_follow_async(name: str) -> Callable[..., Awaitable[Any]]:
    async def method(self: Any, path: str, *args: Any, follow: bool = False, **kwargs: Any) -> Any:
        response = await getattr(RequestFactory, name)(self, path, *args, **kwargs)
        if follow:
            return await self._afollow(response)
        return response

    method.__name__ = name
    method.__doc__ = getattr(RequestFactory, name).__doc__
    return method


for _name in ("get", "post", "head", "put", "patch", "delete", "options", "trace", "generic"):
    setattr(Client, _name, _with_follow(_name))


class AsyncClient(_ClientMixin, AsyncRequestFactory):
    """Django's ``AsyncClient``: ``await client.get(...)`` on the running event loop."""

    def __init__(
        self,
        enforce_csrf_checks: bool = False,
        raise_request_exception: bool = True,
        *,
        headers: Mapping[str, str] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **defaults: Any,
    ) -> None:
        super().__init__(headers=headers, query_params=query_params, **defaults)
        self.enforce_csrf_checks = enforce_csrf_checks
        self.raise_request_exception = raise_request_exception
        self._app = None

    def _dispatch(self, scope: Scope, body: bytes) -> Any:
        return self._arun(scope, body)

    async def _afollow(self, response: Any) -> Any:
        redirect_chain: list[tuple[str, int]] = []
        while True:
            target = self._redirect_target(response, response.request)
            if target is None:
                break
            method, path, options = target
            redirect_chain.append((response["Location"], response.status_code))
            if len(redirect_chain) > 20 or (
                len(redirect_chain) > 1 and redirect_chain[-1] in redirect_chain[:-1]
            ):
                response.redirect_chain = redirect_chain
                raise RedirectCycleError("Redirect loop detected.", last_response=response)
            scope, body = self._redirect_request(response, method, path, options)
            response = await self._arun(scope, body)
        response.redirect_chain = redirect_chain
        return response

    async def request(self, **request: Any) -> Any:  # type: ignore[override]
        """Send a request given as WSGI-style keys, and return the response."""
        path = request.pop("PATH_INFO", "/")
        method = request.pop("REQUEST_METHOD", "GET")
        body = request.pop("wsgi.input", b"")
        return await self._arun(self._scope(method, path, body=body, extra=request), body)


for _name in ("get", "post", "head", "put", "patch", "delete", "options", "trace", "generic"):
    setattr(AsyncClient, _name, _with_follow_async(_name))

del _name
