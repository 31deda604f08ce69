"""The test client, with Django's API, driving the ASGI app in-process.

``Client`` and ``AsyncClient`` build their requests as the request factories do
(``fastjango.test._factory``), send them through the whole application, and return
the response the view made, as it went out on the wire, decorated as Django's
client decorates it (``templates``, ``context``, ``json()``, ``redirect_chain``...).
"""

from __future__ import annotations

import atexit
import json
import sys
import threading
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractContextManager
from contextvars import ContextVar
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from functools import partial
from http.cookies import Morsel, SimpleCookie
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from anyio.from_thread import BlockingPortal, start_blocking_portal
from starlette.types import ASGIApp, Message, Scope

from fastjango.conf import settings
from fastjango.core import signals
from fastjango.core.handlers.middleware import CAPTURED_ATTR, REQUEST_SCOPE_KEY, RESPONSE_HOOK_KEY
from fastjango.test._factory import (
    BOUNDARY,
    JSON_CONTENT_TYPE_RE,
    MULTIPART_CONTENT,
    AsyncRequestFactory,
    RequestFactory,
    _async_extra,
    _single_message_receive,
    encode_file,
    encode_multipart,
)
from fastjango.utils.functional import SimpleLazyObject

if TYPE_CHECKING:
    from fastjango.http import HttpResponseBase

__all__ = [
    "BOUNDARY",
    "MULTIPART_CONTENT",
    "AsyncClient",
    "AsyncRequestFactory",
    "Client",
    "RedirectCycleError",
    "RequestFactory",
    "encode_file",
    "encode_multipart",
]

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class RedirectCycleError(Exception):
    """The test client was redirected in a loop (or more than 20 times)."""

    def __init__(self, message: str, last_response: Any) -> None:
        super().__init__(message)
        self.last_response = last_response
        self.redirect_chain = last_response.redirect_chain


# -- what happened while a request ran ------------------------------------------


@dataclass
class _Recording:
    """Templates, contexts, the exception and the responses seen during one request."""

    templates: list[Any] = field(default_factory=list)
    contexts: list[Any] = field(default_factory=list)
    exc_info: tuple[type[BaseException], BaseException, TracebackType | None] | None = None
    sent: list[tuple[Any, Any]] = field(default_factory=list)

    def on_response(self, request: Any, response: Any) -> None:
        self.sent.append((request, response))


# The recording of the request running in this context (threads of sync views share it).
_recording: ContextVar[_Recording | None] = ContextVar("fastjango_test_recording", default=None)
_listeners_lock = threading.Lock()
_listening = 0
_UID = "fastjango.test.client"


def _on_template_rendered(sender: Any, **kwargs: Any) -> None:
    recording = _recording.get()
    if recording is not None:
        recording.templates.append(kwargs.get("template"))
        recording.contexts.append(kwargs.get("context"))


def _on_request_exception(sender: Any, **kwargs: Any) -> None:
    recording = _recording.get()
    exc = kwargs.get("exception") or sys.exc_info()[1]
    if recording is not None and exc is not None:
        recording.exc_info = (type(exc), exc, exc.__traceback__)


def _listen(delta: int) -> None:
    # The receivers are connected only while a request runs, so that templates
    # rendered outside the test client don't pay for the signal.
    from fastjango.test.signals import template_rendered

    global _listening
    with _listeners_lock:
        _listening += delta
        if _listening == delta == 1:
            template_rendered.connect(_on_template_rendered, weak=False, dispatch_uid=_UID)
            signals.got_request_exception.connect(
                _on_request_exception, weak=False, dispatch_uid=_UID
            )
        elif _listening == 0:
            template_rendered.disconnect(dispatch_uid=_UID)
            signals.got_request_exception.disconnect(dispatch_uid=_UID)


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
            # Stopped while the interpreter still runs: left to garbage collection at
            # exit, its clean-up would wait forever on the (frozen) loop thread.
            atexit.register(_close_portal)
        return _portal[0]


def _close_portal() -> None:  # pragma: no cover - runs at interpreter exit (a test checks)
    global _portal
    with _portal_lock:
        if _portal is not None:
            _portal[1].__exit__(None, None, None)
            _portal = None


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


def _cookie_expired(morsel: Morsel[str]) -> bool:
    max_age = morsel["max-age"]
    if max_age not in ("", None):
        try:
            return int(max_age) <= 0
        except ValueError:
            return False
    expires = morsel["expires"]
    if expires:
        import datetime

        try:
            when = parsedate_to_datetime(expires)
        except (TypeError, ValueError):
            return False
        return when <= datetime.datetime.now(tz=datetime.UTC)
    return False


class ClientMixin:
    """What ``Client`` and ``AsyncClient`` share: the app, cookies, response decoration."""

    cookies: SimpleCookie
    raise_request_exception: bool
    _app: tuple[object, ASGIApp] | None = None
    #: the application passed as ``app=`` (e.g. the project's ``asgi.application`` with
    #: FastAPI routes added to it); None: one built from the settings
    _given_app: ASGIApp | None = None
    _scope_for: Callable[[dict[str, Any]], tuple[Scope, bytes, dict[str, Any]]]

    @staticmethod
    def _checked_app(app: ASGIApp | None) -> ASGIApp | None:
        if app is not None and not callable(app):
            raise TypeError(
                f"Client(app=...) takes an ASGI application (e.g. mysite.asgi.application), "
                f"not {type(app).__name__}."
            )
        return app

    def _get_app(self) -> ASGIApp:
        if self._given_app is not None:
            return self._given_app
        # Rebuilt when settings change (override_settings swaps the wrapped settings), so
        # ROOT_URLCONF and MIDDLEWARE overrides take effect.
        wrapped = settings._wrapped
        if self._app is None or self._app[0] is not wrapped:
            from fastjango.core.asgi import get_asgi_application

            self._app = (wrapped, get_asgi_application(run_checks=False))
        return self._app[1]

    async def _arun(self, request: dict[str, Any]) -> Any:
        """Send one request through the app and return the decorated response."""
        app = self._get_app()
        scope, body, extra_meta = self._scope_for(request)
        recording = _Recording()
        scope[RESPONSE_HOOK_KEY] = recording.on_response
        receive = _single_message_receive(body)
        if extra_meta:
            # Keys no ASGI scope can carry (REMOTE_USER...) reach the view through META.
            from fastjango.core.handlers.middleware import get_request

            get_request(scope, receive).META.update(extra_meta)
        status = 500
        raw_headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []

        async def send(message: Message) -> None:
            nonlocal status, raw_headers
            if message["type"] == "http.response.start":
                status = message["status"]
                raw_headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        token = _recording.set(recording)
        _listen(1)
        try:
            await app(scope, receive, send)
        finally:
            _listen(-1)
            _recording.reset(token)
        if recording.exc_info is not None and self.raise_request_exception:
            raise recording.exc_info[1]
        response = _response_from(recording, status, raw_headers, chunks)
        http_request = _request_of(recording, response, scope, body)
        self._decorate(response, request, scope, http_request, recording)
        self._store_cookies(response)
        return response

    def _decorate(
        self,
        response: Any,
        request: dict[str, Any],
        scope: Scope,
        http_request: Any,
        recording: _Recording,
    ) -> None:
        response.client = self
        response.request = self._request_record(request, scope)
        response.asgi_request = response.wsgi_request = http_request
        response.templates = recording.templates
        contexts = recording.contexts
        if not contexts:
            response.context = None
        elif len(contexts) == 1:
            response.context = contexts[0]
        else:
            response.context = ContextList(contexts)
        response.exc_info = recording.exc_info
        response.json = partial(_parse_json, response)

        def resolve_path() -> Any:
            match = getattr(http_request, "resolver_match", None)
            if match is not None:
                return match
            from fastjango.urls import resolve

            path: str = scope["path"]
            root = scope.get("root_path", "")
            path = path[len(root) :] if root and path.startswith(root) else path
            return resolve(path, urlconf=getattr(http_request, "urlconf", None))

        response.resolver_match = SimpleLazyObject(resolve_path)

    def _request_record(self, request: dict[str, Any], scope: Scope) -> Any:
        return request

    def _store_cookies(self, response: Any) -> None:
        for key, morsel in response.cookies.items():
            if _cookie_expired(morsel):
                self.cookies.pop(key, None)
            else:
                self.cookies[key] = morsel

    def _next_redirect(
        self, response: Any, data: Any, content_type: str | None, extra: dict[str, Any]
    ) -> tuple[str, str, Any, str | None, dict[str, Any]] | None:
        """Return (method, path, data, content_type, extra) for following ``response``."""
        if response.status_code not in _REDIRECT_STATUSES:
            return None
        location = getattr(response, "url", None) or response.get("Location")
        if not location:
            return None
        response.redirect_chain.append((location, response.status_code))
        url = urlsplit(location)
        extra = dict(extra)
        if url.scheme:
            extra["wsgi.url_scheme"] = url.scheme
            extra["SERVER_PORT"] = "443" if url.scheme == "https" else "80"
        if url.hostname:
            extra["SERVER_NAME"] = url.hostname
        if url.port:
            extra["SERVER_PORT"] = str(url.port)
        path = url.path
        # RFC 3986 section 6.2.3: an empty path is "/".
        if not path and url.netloc:
            path = "/"
        if not path.startswith("/"):
            path = urljoin(response._fastjango_path_info, path)
        method = response._fastjango_method
        if response.status_code in (307, 308) and method not in ("GET", "HEAD"):
            # 307 and 308 repeat the request, method and body, at the new location.
            extra["QUERY_STRING"] = url.query
            return method.lower(), path, data, content_type, extra
        from fastjango.http import QueryDict

        return "get", path, QueryDict(url.query), None, extra

    def _check_cycle(self, response: Any, chain: list[tuple[str, int]]) -> None:
        response.redirect_chain = chain
        if chain[-1] in chain[:-1]:
            raise RedirectCycleError("Redirect loop detected.", last_response=response)
        if len(chain) > 20:
            # Firefox's network.http.redirection-limit: a loop with a growing URL.
            raise RedirectCycleError("Too many redirects.", last_response=response)


def _parse_json(response: Any, **extra: Any) -> Any:
    if not hasattr(response, "_json"):
        content_type = response.get("Content-Type")
        if not JSON_CONTENT_TYPE_RE.match(content_type or ""):
            raise ValueError(f'Content-Type header is "{content_type}", not "application/json"')
        response._json = json.loads(response.content.decode(response.charset), **extra)
    return response._json


def _response_from(
    recording: _Recording, status: int, raw_headers: list[tuple[bytes, bytes]], chunks: list[bytes]
) -> HttpResponseBase:
    """Return the response the view made (as it went on the wire), or one built from the wire."""
    from fastjango.http import HttpResponse, StreamingHttpResponse
    from fastjango.http.response import ResponseHeaders

    response: Any = None
    for _, sent in reversed(recording.sent):
        # Responses rebuilt by capture_response() stand for the one made further in.
        response = sent
        if not getattr(sent, CAPTURED_ATTR, False):
            break
    if response is None or response.status_code != status:
        # Pure ASGI middleware answered in its own way (a redirect, a cached page...).
        has_length = any(name.lower() == b"content-length" for name, _ in raw_headers)
        if has_length or not any(chunks):
            response = HttpResponse(status=status)
        else:
            response = StreamingHttpResponse(status=status)
    response.headers = ResponseHeaders({})
    response.cookies = SimpleCookie()
    for raw_name, raw_value in raw_headers:
        name, value = raw_name.decode("latin-1"), raw_value.decode("latin-1")
        if name.lower() == "set-cookie":
            response.cookies.load(value)
        elif name in response.headers:
            response.headers[name] = f"{response.headers[name]}, {value}"
        else:
            response.headers[name] = value
    if response.streaming:
        parts = [chunk for chunk in chunks if chunk]
        response.streaming_content = _replay(parts) if response.is_async else parts
    else:
        response.content = b"".join(chunks)
    typed: HttpResponseBase = response
    return typed


async def _replay(parts: list[bytes]) -> AsyncIterator[bytes]:
    # An async streaming response stays async for the test that reads it.
    for part in parts:
        yield part


def _request_of(recording: _Recording, response: Any, scope: Scope, body: bytes) -> Any:
    for request, sent in recording.sent:
        if request is not None and sent is response:
            return request
    request = scope.get(REQUEST_SCOPE_KEY)
    if request is None:
        # FastAPI-style views never needed one; build it as the view would have seen it.
        from fastjango.http import HttpRequest

        request = HttpRequest(scope, _single_message_receive(body))
        request._set_body(body)
    return request


class Client(ClientMixin, RequestFactory):
    """Django's test client: sends requests through the whole app and keeps cookies.

    ``enforce_csrf_checks`` is accepted for Django compatibility; CSRF checks follow
    the project's middleware. With ``raise_request_exception`` (the default) an
    exception raised by a view is raised in the test instead of giving a 500.
    ``app`` (a FastJango extension) sends the requests to that ASGI application,
    e.g. the project's ``asgi.application`` with FastAPI routes added to it;
    by default an application is built from the settings.
    """

    def __init__(
        self,
        enforce_csrf_checks: bool = False,
        raise_request_exception: bool = True,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        app: ASGIApp | None = None,
        **defaults: Any,
    ) -> None:
        super().__init__(headers=headers, query_params=query_params, **defaults)
        self.enforce_csrf_checks = enforce_csrf_checks
        self.raise_request_exception = raise_request_exception
        self.exc_info: Any = None
        self.extra: dict[str, Any] | None = None
        self.headers: Mapping[str, Any] | None = None
        self._app = None
        self._given_app = self._checked_app(app)

    def request(self, **request: Any) -> Any:
        """Send a request given as environ keys and return the response."""
        response = _shared_portal().call(self._arun, request)
        response._fastjango_method = str(request.get("REQUEST_METHOD", "GET")).upper()
        response._fastjango_path_info = request.get("PATH_INFO", "/")
        return response

    def _follow(
        self,
        response: Any,
        data: Any = "",
        content_type: str | None = None,
        headers: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        response.redirect_chain = []
        while True:
            chain = response.redirect_chain
            target = self._next_redirect(response, data, content_type, extra)
            if target is None:
                return response
            method, path, data, content_type, extra = target
            send = getattr(self, method)
            if method == "get":
                response = send(path, data, headers=headers, **extra)
            else:
                response = send(path, data, content_type, headers=headers, **extra)
            self._check_cycle(response, chain)

    def get(  # type: ignore[override]
        self,
        path: str,
        data: Any = None,
        follow: bool = False,
        secure: bool = False,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """Request ``path`` with GET; ``data`` becomes the query string."""
        self.extra, self.headers = extra, headers
        response = super().get(
            path, data, secure, headers=headers, query_params=query_params, **extra
        )
        return self._follow(response, data, None, headers, **extra) if follow else response

    def head(  # type: ignore[override]
        self,
        path: str,
        data: Any = None,
        follow: bool = False,
        secure: bool = False,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """Request ``path`` with HEAD."""
        self.extra, self.headers = extra, headers
        response = super().head(
            path, data, secure, headers=headers, query_params=query_params, **extra
        )
        return self._follow(response, data, None, headers, **extra) if follow else response

    def trace(  # type: ignore[override]
        self,
        path: str,
        data: Any = "",
        follow: bool = False,
        secure: bool = False,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """Request ``path`` with TRACE; ``data`` becomes the query string."""
        self.extra, self.headers = extra, headers
        response = self._query_method("TRACE", path, data, secure, headers, query_params, extra)
        return self._follow(response, data, None, headers, **extra) if follow else response

    def post(  # type: ignore[override]
        self,
        path: str,
        data: Any = None,
        content_type: str = MULTIPART_CONTENT,
        follow: bool = False,
        secure: bool = False,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """Send ``data`` with POST (multipart, or JSON with a JSON content type)."""
        self.extra, self.headers = extra, headers
        response = super().post(
            path, data, content_type, secure, headers=headers, query_params=query_params, **extra
        )
        return self._follow(response, data, content_type, headers, **extra) if follow else response

    def _with_body(
        self,
        method: str,
        path: str,
        data: Any,
        content_type: str,
        follow: bool,
        secure: bool,
        headers: Mapping[str, Any] | None,
        query_params: Mapping[str, Any] | None,
        extra: dict[str, Any],
    ) -> Any:
        self.extra, self.headers = extra, headers
        response = getattr(RequestFactory, method)(
            self,
            path,
            data,
            content_type,
            secure,
            headers=headers,
            query_params=query_params,
            **extra,
        )
        return self._follow(response, data, content_type, headers, **extra) if follow else response

    def put(  # type: ignore[override]
        self,
        path: str,
        data: Any = "",
        content_type: str = "application/octet-stream",
        follow: bool = False,
        secure: bool = False,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """Send a resource with PUT."""
        return self._with_body(
            "put", path, data, content_type, follow, secure, headers, query_params, extra
        )

    def patch(  # type: ignore[override]
        self,
        path: str,
        data: Any = "",
        content_type: str = "application/octet-stream",
        follow: bool = False,
        secure: bool = False,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """Send a resource with PATCH."""
        return self._with_body(
            "patch", path, data, content_type, follow, secure, headers, query_params, extra
        )

    def delete(  # type: ignore[override]
        self,
        path: str,
        data: Any = "",
        content_type: str = "application/octet-stream",
        follow: bool = False,
        secure: bool = False,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """Send a DELETE request."""
        return self._with_body(
            "delete", path, data, content_type, follow, secure, headers, query_params, extra
        )

    def options(  # type: ignore[override]
        self,
        path: str,
        data: Any = "",
        content_type: str = "application/octet-stream",
        follow: bool = False,
        secure: bool = False,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """Send an OPTIONS request."""
        return self._with_body(
            "options", path, data, content_type, follow, secure, headers, query_params, extra
        )


class AsyncClient(ClientMixin, AsyncRequestFactory):
    """Django's ``AsyncClient``: ``await client.get(...)`` on the running event loop.

    Extra keyword arguments of a request are headers without the ``HTTP_`` prefix
    (``ACCEPT="application/json"``), and lower-case ``defaults`` go into the scope.
    """

    def __init__(
        self,
        enforce_csrf_checks: bool = False,
        raise_request_exception: bool = True,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        app: ASGIApp | None = None,
        **defaults: Any,
    ) -> None:
        super().__init__(headers=headers, query_params=query_params, **defaults)
        self.enforce_csrf_checks = enforce_csrf_checks
        self.raise_request_exception = raise_request_exception
        self.exc_info: Any = None
        self.extra: dict[str, Any] | None = None
        self.headers: Mapping[str, Any] | None = None
        self._app = None
        self._given_app = self._checked_app(app)

    def _request_record(self, request: dict[str, Any], scope: Scope) -> Any:
        return scope

    async def request(self, **request: Any) -> Any:
        """Send a request given as environ keys and return the response."""
        response = await self._arun(request)
        response._fastjango_method = str(request.get("REQUEST_METHOD", "GET")).upper()
        response._fastjango_path_info = request.get("PATH_INFO", "/")
        return response

    async def _follow(
        self,
        response: Any,
        data: Any = "",
        content_type: str | None = None,
        headers: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        response.redirect_chain = []
        while True:
            chain = response.redirect_chain
            target = self._next_redirect(response, data, content_type, _http_keys(extra))
            if target is None:
                return response
            method, path, data, content_type, extra = target
            send = getattr(self, method)
            if method == "get":
                response = await send(path, data, headers=headers, **extra)
            else:
                response = await send(path, data, content_type, headers=headers, **extra)
            self._check_cycle(response, chain)

    async def _send(
        self,
        method: str,
        args: tuple[Any, ...],
        follow: bool,
        data: Any,
        content_type: str | None,
        headers: Mapping[str, Any] | None,
        query_params: Mapping[str, Any] | None,
        extra: dict[str, Any],
    ) -> Any:
        self.extra, self.headers = extra, headers
        response = await getattr(AsyncRequestFactory, method)(
            self, *args, headers=headers, query_params=query_params, **extra
        )
        if follow:
            return await self._follow(response, data, content_type, headers, **extra)
        return response

    async def get(  # type: ignore[override]
        self,
        path: str,
        data: Any = None,
        follow: bool = False,
        secure: bool = False,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """Request ``path`` with GET; ``data`` becomes the query string."""
        return await self._send(
            "get", (path, data, secure), follow, data, None, headers, query_params, extra
        )

    async def head(  # type: ignore[override]
        self,
        path: str,
        data: Any = None,
        follow: bool = False,
        secure: bool = False,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """Request ``path`` with HEAD."""
        return await self._send(
            "head", (path, data, secure), follow, data, None, headers, query_params, extra
        )

    async def trace(  # type: ignore[override]
        self,
        path: str,
        data: Any = "",
        follow: bool = False,
        secure: bool = False,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """Request ``path`` with TRACE; ``data`` becomes the query string."""
        self.extra, self.headers = extra, headers
        response = await self._query_method(
            "TRACE", path, data, secure, headers, query_params, extra
        )
        if follow:
            return await self._follow(response, data, None, headers, **extra)
        return response

    async def post(  # type: ignore[override]
        self,
        path: str,
        data: Any = None,
        content_type: str = MULTIPART_CONTENT,
        follow: bool = False,
        secure: bool = False,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """Send ``data`` with POST (multipart, or JSON with a JSON content type)."""
        return await self._send(
            "post",
            (path, data, content_type, secure),
            follow,
            data,
            content_type,
            headers,
            query_params,
            extra,
        )

    async def put(  # type: ignore[override]
        self,
        path: str,
        data: Any = "",
        content_type: str = "application/octet-stream",
        follow: bool = False,
        secure: bool = False,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """Send a resource with PUT."""
        return await self._send(
            "put",
            (path, data, content_type, secure),
            follow,
            data,
            content_type,
            headers,
            query_params,
            extra,
        )

    async def patch(  # type: ignore[override]
        self,
        path: str,
        data: Any = "",
        content_type: str = "application/octet-stream",
        follow: bool = False,
        secure: bool = False,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """Send a resource with PATCH."""
        return await self._send(
            "patch",
            (path, data, content_type, secure),
            follow,
            data,
            content_type,
            headers,
            query_params,
            extra,
        )

    async def delete(  # type: ignore[override]
        self,
        path: str,
        data: Any = "",
        content_type: str = "application/octet-stream",
        follow: bool = False,
        secure: bool = False,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """Send a DELETE request."""
        return await self._send(
            "delete",
            (path, data, content_type, secure),
            follow,
            data,
            content_type,
            headers,
            query_params,
            extra,
        )

    async def options(  # type: ignore[override]
        self,
        path: str,
        data: Any = "",
        content_type: str = "application/octet-stream",
        follow: bool = False,
        secure: bool = False,
        *,
        headers: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> Any:
        """Send an OPTIONS request."""
        return await self._send(
            "options",
            (path, data, content_type, secure),
            follow,
            data,
            content_type,
            headers,
            query_params,
            extra,
        )


def _http_keys(extra: Mapping[str, Any]) -> dict[str, Any]:
    # Redirects add environ keys (SERVER_NAME...); the async client's own are headers.
    return _async_extra(extra)
