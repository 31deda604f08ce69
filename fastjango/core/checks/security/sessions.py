"""Deployment checks of the session cookie flags (only when sessions are in use)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from fastjango.conf import settings
from fastjango.core.checks.messages import CheckMessage, Warning
from fastjango.core.checks.registry import Tags, register

if TYPE_CHECKING:
    from fastjango.apps.config import AppConfig

__all__ = ["check_session_cookie_httponly", "check_session_cookie_secure"]

SESSIONS_APP = "fastjango.contrib.sessions"
SESSION_MIDDLEWARE = "fastjango.contrib.sessions.middleware.SessionMiddleware"

_SECURE_WHY = (
    " Using a secure-only session cookie makes it more difficult for network traffic "
    "sniffers to hijack user sessions."
)
_HTTPONLY_WHY = (
    " Using an HttpOnly session cookie makes it more difficult for cross-site scripting "
    "attacks to hijack user sessions."
)

W010 = Warning(
    f"You have '{SESSIONS_APP}' in your INSTALLED_APPS, but you have not set "
    "SESSION_COOKIE_SECURE to True." + _SECURE_WHY,
    id="security.W010",
)
W011 = Warning(
    f"You have '{SESSION_MIDDLEWARE}' in your MIDDLEWARE, but you have not set "
    "SESSION_COOKIE_SECURE to True." + _SECURE_WHY,
    id="security.W011",
)
W012 = Warning("SESSION_COOKIE_SECURE is not set to True." + _SECURE_WHY, id="security.W012")
W013 = Warning(
    f"You have '{SESSIONS_APP}' in your INSTALLED_APPS, but you have not set "
    "SESSION_COOKIE_HTTPONLY to True." + _HTTPONLY_WHY,
    id="security.W013",
)
W014 = Warning(
    f"You have '{SESSION_MIDDLEWARE}' in your MIDDLEWARE, but you have not set "
    "SESSION_COOKIE_HTTPONLY to True." + _HTTPONLY_WHY,
    id="security.W014",
)
W015 = Warning("SESSION_COOKIE_HTTPONLY is not set to True." + _HTTPONLY_WHY, id="security.W015")

Messages = list[CheckMessage]
AppConfigs = Sequence["AppConfig"] | None


def _session_app() -> bool:
    return SESSIONS_APP in settings.INSTALLED_APPS


def _session_middleware() -> bool:
    return SESSION_MIDDLEWARE in settings.MIDDLEWARE


def _flag_warnings(app_warning: Warning, middleware_warning: Warning, both: Warning) -> Messages:
    found: Messages = []
    if _session_app():
        found.append(app_warning)
    if _session_middleware():
        found.append(middleware_warning)
    # App and middleware together get one combined warning, as in Django.
    return [both] if len(found) > 1 else found


@register(Tags.security, deploy=True)
def check_session_cookie_secure(app_configs: AppConfigs = None, **kwargs: Any) -> Messages:
    """Warn when sessions are used without SESSION_COOKIE_SECURE (W010-W012)."""
    if settings.SESSION_COOKIE_SECURE is True:
        return []
    return _flag_warnings(W010, W011, W012)


@register(Tags.security, deploy=True)
def check_session_cookie_httponly(app_configs: AppConfigs = None, **kwargs: Any) -> Messages:
    """Warn when sessions are used without SESSION_COOKIE_HTTPONLY (W013-W015)."""
    if settings.SESSION_COOKIE_HTTPONLY is True:
        return []
    return _flag_warnings(W013, W014, W015)
