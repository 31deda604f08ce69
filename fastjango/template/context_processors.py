"""Built-in context processors, with Django's names.

List them in ``TEMPLATES[...]["OPTIONS"]["context_processors"]``; they run
when a template is rendered with a request.
"""

from __future__ import annotations

import itertools
from typing import Any

from fastjango.conf import settings
from fastjango.template._optional import import_optional
from fastjango.template.globals import CsrfToken
from fastjango.utils import timezone
from fastjango.utils.functional import lazy

__all__ = ["csrf", "debug", "i18n", "media", "request", "static", "tz"]

# Django's default LANGUAGES_BIDI.
_LANGUAGES_BIDI = ("he", "ar", "ar-dz", "ckb", "fa", "ug", "ur")


def csrf(request: Any) -> dict[str, Any]:
    """Return ``csrf_token``, fetched only if the template uses it."""
    return {"csrf_token": CsrfToken(request)}


def _sql_queries() -> list[Any]:
    db = import_optional("fastjango.db")
    if db is None:
        return []
    connections = db.connections
    return list(
        itertools.chain.from_iterable(
            getattr(connections[alias], "queries", []) for alias in connections
        )
    )


def debug(request: Any) -> dict[str, Any]:
    """Return ``debug`` and ``sql_queries`` when ``DEBUG`` is on and the client is internal.

    The client is internal when ``REMOTE_ADDR`` is in ``INTERNAL_IPS``;
    ``sql_queries`` is read only if the template uses it.
    """
    meta = getattr(request, "META", {})
    if settings.DEBUG and meta.get("REMOTE_ADDR") in settings.INTERNAL_IPS:
        return {"debug": True, "sql_queries": lazy(_sql_queries, list)()}
    return {}


def request(request: Any) -> dict[str, Any]:
    """Return ``request``."""
    return {"request": request}


def static(request: Any) -> dict[str, Any]:
    """Return ``STATIC_URL``."""
    return {"STATIC_URL": settings.STATIC_URL}


def media(request: Any) -> dict[str, Any]:
    """Return ``MEDIA_URL``."""
    return {"MEDIA_URL": settings.MEDIA_URL}


def tz(request: Any) -> dict[str, Any]:
    """Return ``TIME_ZONE``, the name of the current time zone."""
    return {"TIME_ZONE": timezone.get_current_timezone_name()}


def i18n(request: Any) -> dict[str, Any]:
    """Return ``LANGUAGES``, ``LANGUAGE_CODE`` and ``LANGUAGE_BIDI``.

    The active language comes from ``fastjango.utils.translation`` when it is
    available, else from ``settings.LANGUAGE_CODE``.
    """
    translation = import_optional("fastjango.utils.translation")
    language_code = (translation and translation.get_language()) or settings.LANGUAGE_CODE
    bidi_languages = getattr(settings, "LANGUAGES_BIDI", _LANGUAGES_BIDI)
    return {
        "LANGUAGES": getattr(settings, "LANGUAGES", [(settings.LANGUAGE_CODE, "English")]),
        "LANGUAGE_CODE": language_code,
        "LANGUAGE_BIDI": language_code.split("-")[0] in bidi_languages,
    }
