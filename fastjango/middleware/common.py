"""``CommonMiddleware``: user-agent blocking, ``PREPEND_WWW`` and ``APPEND_SLASH``."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fastjango.conf import settings
from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.middleware._asgi import (
    HostValidator,
    SecureChecker,
    full_path,
    has_header,
    path_info,
    request_header,
    send_response,
    start_headers,
)
from fastjango.utils.http import escape_leading_slashes

__all__ = ["CommonMiddleware"]

# Statuses whose responses never carry a body, so Content-Length means nothing there.
_NO_BODY_STATUSES = frozenset({204, 304})


class CommonMiddleware:
    """Do Django's ``CommonMiddleware`` work.

    - Answer 403 to a ``User-Agent`` matching any of ``DISALLOWED_USER_AGENTS``, through
      ``handler403`` as Django's ``PermissionDenied("Forbidden user agent")`` does.
    - With ``PREPEND_WWW``, redirect (301) a host without ``www.`` to the ``www.`` one.
    - With ``APPEND_SLASH``, when the app answers 404 for a path without a
      trailing slash that does not resolve while the path with one does,
      send a 301 to the slash URL instead (keeping the query string). In
      ``DEBUG`` a POST, PUT or PATCH raises ``RuntimeError`` instead, because
      the redirect would lose the body. A view decorated with
      ``no_append_slash`` (``should_append_slash = False``) is never redirected to.
    - Add ``Content-Length`` to a single-message response that lacks it.

    A Host that ``ALLOWED_HOSTS`` rejects is not redirected: the handler answers 400.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.disallowed_user_agents = [
            _compile_user_agent(pattern) for pattern in settings.DISALLOWED_USER_AGENTS
        ]
        self.prepend_www = bool(settings.PREPEND_WWW)
        self.append_slash = bool(settings.APPEND_SLASH)
        self.debug = bool(settings.DEBUG)
        self.hosts = HostValidator(settings)
        self.is_secure = SecureChecker(settings.SECURE_PROXY_SSL_HEADER)
        self.root_urlconf: str | None = settings.ROOT_URLCONF
        self.is_valid_path: Callable[[str, Any], Any] | None = None
        if self.append_slash:
            from fastjango.urls import is_valid_path

            self.is_valid_path = is_valid_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.disallowed_user_agents:
            user_agent = request_header(scope, b"user-agent")
            if user_agent is not None:
                agent = user_agent.decode("latin-1")
                if any(regex.search(agent) for regex in self.disallowed_user_agents):
                    await self._forbidden(scope, receive, send)
                    return
        if self.prepend_www:
            secure = self.is_secure(scope)
            host = self.hosts.get_host(scope, secure)
            if host and not host.startswith("www."):
                # Add the slash in the same redirect, rather than in a second one.
                if self.should_redirect_with_slash(scope):
                    path = self.get_full_path_with_slash(scope)
                else:
                    path = full_path(scope)
                scheme = "https" if secure else "http"
                location = f"{scheme}://www.{host}{path}".encode("latin-1")
                await send_response(send, 301, [(b"location", location)])
                return

        responder = _CommonResponder(self, scope, send)
        await self.app(scope, receive, responder.send)
        if responder.error is not None:
            raise responder.error

    async def _forbidden(self, scope: Scope, receive: Receive, send: Send) -> None:
        # As Django's PermissionDenied would: handler403 (or 403.html) answers, and is logged.
        from fastjango.core.exceptions import PermissionDenied
        from fastjango.core.handlers.exception import aresponse_for_exception
        from fastjango.core.handlers.middleware import get_request
        from fastjango.core.handlers.middleware import send_response as send_django_response

        request = get_request(scope, receive)
        response = await aresponse_for_exception(request, PermissionDenied("Forbidden user agent"))
        await send_django_response(request, response, scope, receive, send)

    def should_redirect_with_slash(self, scope: Scope) -> bool:
        """Return whether the path lacks a slash that would make it resolve."""
        if self.is_valid_path is None:
            return False
        path = path_info(scope)
        if path.endswith("/"):
            return False
        # A middleware may have set request.urlconf, as in Django.
        urlconf = getattr(scope.get("fastjango.request"), "urlconf", None) or self.root_urlconf
        if self.is_valid_path(path, urlconf):
            return False
        match = self.is_valid_path(f"{path}/", urlconf)
        if not match:
            return False
        return bool(getattr(match.func, "should_append_slash", True))

    def get_full_path_with_slash(self, scope: Scope) -> str:
        """Return the full path with a slash appended; refuse to drop a body in DEBUG."""
        # "//host/path" would be a scheme-relative URL to another site.
        new_path = escape_leading_slashes(full_path(scope, force_append_slash=True))
        method = scope["method"]
        if self.debug and method in ("POST", "PUT", "PATCH"):
            host = self.hosts.raw_host(scope, self.is_secure(scope))
            raise RuntimeError(
                f"You called this URL via {method}, but the URL doesn't end in a slash and you "
                f"have APPEND_SLASH set. FastJango can't redirect to the slash URL while "
                f"keeping the {method} data. Change your form to point to {host}{new_path} "
                "(note the trailing slash), or set APPEND_SLASH=False in your settings."
            )
        return new_path


class _CommonResponder:
    """Per-request state for the response side of ``CommonMiddleware``."""

    __slots__ = ("_send", "error", "held", "middleware", "scope", "swallow")

    def __init__(self, middleware: CommonMiddleware, scope: Scope, send: Send) -> None:
        self.middleware = middleware
        self.scope = scope
        self._send = send
        self.held: Message | None = None
        self.swallow = False
        self.error: RuntimeError | None = None

    async def send(self, message: Message) -> None:
        if self.swallow:
            return
        if message["type"] == "http.response.start":
            await self._start(message)
            return
        held = self.held
        if held is not None:
            self.held = None
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                length = str(len(message.get("body", b""))).encode("latin-1")
                start_headers(held).append((b"content-length", length))
            await self._send(held)
        await self._send(message)

    async def _start(self, message: Message) -> None:
        status: int = message["status"]
        middleware = self.middleware
        if status == 404 and middleware.should_redirect_with_slash(self.scope):
            # The 404 is dropped; the redirect (or the DEBUG error) replaces it.
            self.swallow = True
            try:
                location = middleware.get_full_path_with_slash(self.scope)
            except RuntimeError as exc:
                # Raised once the app returns, so it surfaces as the debug page.
                self.error = exc
                return
            await send_response(self._send, 301, [(b"location", location.encode("latin-1"))])
            return
        headers = message.get("headers", ())
        if (
            status >= 200
            and status not in _NO_BODY_STATUSES
            and self.scope["method"] != "HEAD"
            and not has_header(headers, b"content-length")
            and not has_header(headers, b"transfer-encoding")
        ):
            # Only a single body message has a length known up front: wait for it.
            self.held = message
            return
        await self._send(message)


def _compile_user_agent(pattern: Any) -> re.Pattern[str]:
    if isinstance(pattern, re.Pattern):
        return pattern
    if isinstance(pattern, str):
        return re.compile(pattern)
    raise ImproperlyConfigured(
        f"DISALLOWED_USER_AGENTS must hold compiled regular expressions or strings, "
        f"not {pattern!r}."
    )
