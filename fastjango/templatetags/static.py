"""``static(path)``: the URL of a static file, as Django's ``{% static %}`` tag gives it."""

from __future__ import annotations

from urllib.parse import quote, urljoin

from fastjango.conf import settings
from fastjango.core.exceptions import ImproperlyConfigured

__all__ = ["get_media_prefix", "get_static_prefix", "static"]


def _prefix(setting: str) -> str:
    value = getattr(settings, setting, None) or ""
    value = str(value)
    if value and not value.endswith("/"):
        raise ImproperlyConfigured(f"If set, {setting} must end with a slash, got {value!r}.")
    return value


def get_static_prefix() -> str:
    """Return ``settings.STATIC_URL`` (a relative one gets the script prefix from settings)."""
    return _prefix("STATIC_URL")


def get_media_prefix() -> str:
    """Return ``settings.MEDIA_URL`` as a URL prefix."""
    return _prefix("MEDIA_URL")


def static(path: str) -> str:
    """Return the URL of the static file ``path``: ``STATIC_URL`` joined with it, quoted."""
    prefix = get_static_prefix()
    if not prefix:
        raise ImproperlyConfigured(
            f"static({path!r}) needs the STATIC_URL setting. Set STATIC_URL (for example "
            "STATIC_URL = 'static/') in your settings."
        )
    return urljoin(prefix, quote(str(path)))
