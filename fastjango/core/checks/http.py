"""Request-handling checks (tag ``http``): settings read on every request, checked at start-up.

Django reads these settings per request and fails there (a 500, or worse, a
setting silently ignored); FastJango reports a wrong type before the first
request instead.
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from fastjango.conf import settings
from fastjango.core.checks.messages import CheckMessage, Error
from fastjango.core.checks.registry import register

if TYPE_CHECKING:
    from fastjango.apps.config import AppConfig

__all__ = [
    "HTTP_TAG",
    "check_allowed_hosts_entries",
    "check_default_charset",
    "check_proxy_ssl_header",
    "check_upload_limits",
]

HTTP_TAG = "http"

_LIMITS = (
    ("DATA_UPLOAD_MAX_MEMORY_SIZE", True),
    ("DATA_UPLOAD_MAX_NUMBER_FIELDS", True),
    ("DATA_UPLOAD_MAX_NUMBER_FILES", True),
    ("FILE_UPLOAD_MAX_MEMORY_SIZE", False),
)

AppConfigs = Sequence["AppConfig"] | None


@register(HTTP_TAG)
def check_allowed_hosts_entries(
    app_configs: AppConfigs = None, **kwargs: Any
) -> list[CheckMessage]:
    """Fail when an ALLOWED_HOSTS entry is not a string (E001)."""
    return [
        Error(
            f"ALLOWED_HOSTS must hold host names as strings; it holds {host!r}.",
            hint="Write each host as a string, e.g. 'example.com' or '.example.com'.",
            id="http.E001",
        )
        for host in settings.ALLOWED_HOSTS
        if not isinstance(host, str)
    ]


@register(HTTP_TAG)
def check_upload_limits(app_configs: AppConfigs = None, **kwargs: Any) -> list[CheckMessage]:
    """Fail when a DATA_UPLOAD_* or FILE_UPLOAD_MAX_MEMORY_SIZE limit isn't a count (E002)."""
    errors: list[CheckMessage] = []
    for name, nullable in _LIMITS:
        value = getattr(settings, name)
        if value is None and nullable:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            allowed = "a non-negative integer" + (" or None (no limit)" if nullable else "")
            errors.append(Error(f"{name} must be {allowed}, not {value!r}.", id="http.E002"))
    return errors


@register(HTTP_TAG)
def check_default_charset(app_configs: AppConfigs = None, **kwargs: Any) -> list[CheckMessage]:
    """Fail when DEFAULT_CHARSET names no codec Python knows (E003)."""
    charset = settings.DEFAULT_CHARSET
    try:
        codecs.lookup(charset)
    except (LookupError, TypeError):
        return [
            Error(
                f"DEFAULT_CHARSET is {charset!r}, which is not a known character encoding.",
                hint="Use an encoding name such as 'utf-8'.",
                id="http.E003",
            )
        ]
    return []


@register(HTTP_TAG)
def check_proxy_ssl_header(app_configs: AppConfigs = None, **kwargs: Any) -> list[CheckMessage]:
    """Fail when SECURE_PROXY_SSL_HEADER is not None or a (header, value) pair (E004)."""
    header = settings.SECURE_PROXY_SSL_HEADER
    if header is None:
        return []
    if (
        isinstance(header, list | tuple)
        and len(header) == 2
        and all(isinstance(part, str) for part in header)
        and header[0].startswith("HTTP_")
    ):
        return []
    return [
        Error(
            f"SECURE_PROXY_SSL_HEADER must be None or a tuple of a request.META header name "
            f"and its secure value, not {header!r}.",
            hint="For example ('HTTP_X_FORWARDED_PROTO', 'https').",
            id="http.E004",
        )
    ]
