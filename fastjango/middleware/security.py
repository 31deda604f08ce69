"""``SecurityMiddleware``: HTTPS redirect, HSTS and the security response headers."""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fastjango.conf import settings
from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.middleware._asgi import (
    HeaderList,
    HostValidator,
    SecureChecker,
    full_path,
    send_response,
    start_headers,
)

__all__ = ["SecurityMiddleware"]


class SecurityMiddleware:
    """Apply the ``SECURE_*`` settings, as Django's ``SecurityMiddleware`` does.

    Plain-HTTP requests are redirected (301) to HTTPS when ``SECURE_SSL_REDIRECT``
    is on, unless the path matches ``SECURE_REDIRECT_EXEMPT``. Responses get
    ``X-Content-Type-Options``, ``Referrer-Policy``, ``Cross-Origin-Opener-Policy``
    and (on HTTPS only) ``Strict-Transport-Security``; a header the view set
    itself is never overwritten.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.is_secure = SecureChecker(settings.SECURE_PROXY_SSL_HEADER)
        self.hosts = HostValidator(settings)
        self.redirect = bool(settings.SECURE_SSL_REDIRECT)
        self.redirect_host: str | None = settings.SECURE_SSL_HOST or None
        self.redirect_exempt = _compile_exempt(settings.SECURE_REDIRECT_EXEMPT)

        headers: HeaderList = []
        if settings.SECURE_CONTENT_TYPE_NOSNIFF:
            headers.append((b"x-content-type-options", b"nosniff"))
        policy = settings.SECURE_REFERRER_POLICY
        if policy:
            # A comma-separated string or a sequence: browsers use the last one they know.
            if isinstance(policy, str):
                policy = ",".join(value.strip() for value in policy.split(","))
            elif isinstance(policy, list | tuple | set | frozenset) and all(
                isinstance(value, str) for value in policy
            ):
                policy = ",".join(policy)
            else:
                raise ImproperlyConfigured(
                    "SECURE_REFERRER_POLICY must be a string such as 'same-origin', a "
                    f"comma-separated string or a list of strings, not {policy!r}."
                )
            headers.append((b"referrer-policy", policy.encode("latin-1")))
        coop = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY
        if coop:
            headers.append((b"cross-origin-opener-policy", str(coop).encode("latin-1")))
        self.headers = headers

        seconds = settings.SECURE_HSTS_SECONDS
        if not isinstance(seconds, int) or isinstance(seconds, bool) or seconds < 0:
            raise ImproperlyConfigured(
                "SECURE_HSTS_SECONDS must be a whole number of seconds (0 turns HSTS off), "
                f"not {seconds!r}."
            )
        self.secure_headers = list(headers)
        if seconds:
            hsts = f"max-age={seconds}"
            if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
                hsts += "; includeSubDomains"
            if settings.SECURE_HSTS_PRELOAD:
                hsts += "; preload"
            self.secure_headers.append((b"strict-transport-security", hsts.encode("latin-1")))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        secure = self.is_secure(scope)
        extra = self.secure_headers if secure else self.headers
        if extra:
            send = _adding_headers(send, extra)

        if self.redirect and not secure:
            path = scope["path"].lstrip("/")
            if not any(pattern.search(path) for pattern in self.redirect_exempt):
                # A Host that ALLOWED_HOSTS rejects is left to the handler (400).
                host = self.redirect_host or self.hosts.get_host(scope, secure)
                if host is not None:
                    location = f"https://{host}{full_path(scope)}".encode("latin-1")
                    await send_response(send, 301, [(b"location", location)])
                    return

        await self.app(scope, receive, send)


def _compile_exempt(patterns: object) -> list[re.Pattern[str]]:
    if isinstance(patterns, str) or not isinstance(patterns, list | tuple):
        raise ImproperlyConfigured(
            f"SECURE_REDIRECT_EXEMPT must be a list of regular expressions, not {patterns!r}."
        )
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except (re.error, TypeError) as err:
            raise ImproperlyConfigured(
                f"SECURE_REDIRECT_EXEMPT holds {pattern!r}, which is not a valid regular "
                f"expression: {err}."
            ) from err
    return compiled


def _adding_headers(send: Send, extra: HeaderList) -> Send:
    """Wrap ``send`` to add each of ``extra`` the response does not already have."""

    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = start_headers(message)
            present = {key.lower() for key, _ in headers}
            headers.extend(item for item in extra if item[0] not in present)
        await send(message)

    return send_with_headers
