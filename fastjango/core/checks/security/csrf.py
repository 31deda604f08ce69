"""Deployment check of the CSRF cookie (only when the CSRF middleware is in use)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from fastjango.conf import settings
from fastjango.core.checks.messages import CheckMessage, Warning
from fastjango.core.checks.registry import Tags, register

if TYPE_CHECKING:
    from fastjango.apps.config import AppConfig

__all__ = ["check_csrf_cookie_secure"]

CSRF_MIDDLEWARE = "fastjango.middleware.csrf.CsrfViewMiddleware"

W016 = Warning(
    f"You have '{CSRF_MIDDLEWARE}' in your MIDDLEWARE, but you have not set "
    "CSRF_COOKIE_SECURE to True. Using a secure-only CSRF cookie makes it more difficult "
    "for network traffic sniffers to steal the CSRF token.",
    id="security.W016",
)


@register(Tags.security, deploy=True)
def check_csrf_cookie_secure(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Warn when the CSRF middleware is on without CSRF_COOKIE_SECURE (W016)."""
    # With CSRF_USE_SESSIONS the token lives in the session, not in a cookie.
    passed = (
        getattr(settings, "CSRF_USE_SESSIONS", False)
        or CSRF_MIDDLEWARE not in settings.MIDDLEWARE
        or settings.CSRF_COOKIE_SECURE is True
    )
    return [] if passed else [W016]
