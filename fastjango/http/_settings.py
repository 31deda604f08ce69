"""Settings that requests and responses read every time, remembered once read."""

from __future__ import annotations

from typing import Any

from fastjango.conf import settings
from fastjango.core.signals import setting_changed

__all__ = ["per_request_setting"]

# Reading through the lazy settings object costs about a microsecond (its
# __getattribute__ is Python code); these are read for every request or response.
_NAMES = frozenset(
    {
        "DATA_UPLOAD_MAX_MEMORY_SIZE",
        "DEFAULT_CHARSET",
        "FILE_UPLOAD_MAX_MEMORY_SIZE",
        "FORCE_SCRIPT_NAME",
    }
)
_cache: dict[str, Any] = {}


def per_request_setting(name: str) -> Any:
    """Return ``settings.<name>``, read once and again after ``setting_changed`` for it."""
    try:
        return _cache[name]
    except KeyError:
        value = getattr(settings, name)
        if name in _NAMES:
            _cache[name] = value
        return value


def _forget(*, setting: str, **kwargs: Any) -> None:
    _cache.pop(setting, None)


setting_changed.connect(_forget, dispatch_uid="fastjango.http.settings")
