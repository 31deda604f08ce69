"""``XFrameOptionsMiddleware``: clickjacking protection through ``X-Frame-Options``."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fastjango.conf import settings
from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.middleware._asgi import HeaderList, start_headers

__all__ = ["XFRAME_EXEMPT_HEADER", "XFrameOptionsMiddleware"]

XFRAME_EXEMPT_HEADER = "X-FastJango-XFrame-Exempt"
"""Private response header that marks a response ``@xframe_options_exempt``.

Django's decorator sets an attribute on the response object, but an ASGI
middleware only sees the messages the response sends, so the decorator also
sets this header. ``XFrameOptionsMiddleware`` reads it and strips it before
the response leaves; without that middleware nothing needs the exemption.
"""

_EXEMPT = XFRAME_EXEMPT_HEADER.lower().encode("latin-1")


class XFrameOptionsMiddleware:
    """Set ``X-Frame-Options`` from the ``X_FRAME_OPTIONS`` setting (default ``DENY``).

    A response that already has the header keeps it; a response from a view
    decorated with ``@xframe_options_exempt`` gets none.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        value = getattr(settings, "X_FRAME_OPTIONS", "DENY")
        if not isinstance(value, str):
            raise ImproperlyConfigured(
                f"X_FRAME_OPTIONS must be 'DENY' or 'SAMEORIGIN', not {value!r}."
            )
        self.value = value.upper().encode("latin-1")

    def get_xframe_options_value(self, scope: Scope, headers: HeaderList) -> bytes:
        """Return the header value for this response; override to vary it per request."""
        return self.value

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_xframe(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = start_headers(message)
                exempt = False
                present = False
                for key, _ in headers:
                    name = key.lower()
                    if name == _EXEMPT:
                        exempt = True
                    elif name == b"x-frame-options":
                        present = True
                if exempt:
                    headers[:] = [item for item in headers if item[0].lower() != _EXEMPT]
                elif not present:
                    headers.append(
                        (b"x-frame-options", self.get_xframe_options_value(scope, headers))
                    )
            await send(message)

        await self.app(scope, receive, send_with_xframe)
