"""Logging set-up from the ``LOGGING`` and ``LOGGING_CONFIG`` settings, as Django does."""

from __future__ import annotations

import logging
import logging.config
from typing import Any

from fastjango.utils.module_loading import import_string

__all__ = ["DEFAULT_LOGGING", "RequireDebugFalse", "RequireDebugTrue", "configure_logging"]

# FastJango's own loggers print to the console while DEBUG is on; a project's
# LOGGING is applied on top of this, as Django applies its DEFAULT_LOGGING.
DEFAULT_LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "fastjango.utils.log.RequireDebugFalse"},
        "require_debug_true": {"()": "fastjango.utils.log.RequireDebugTrue"},
    },
    "formatters": {
        "fastjango.server": {"format": "[{asctime}] {message}", "style": "{"},
    },
    "handlers": {
        "console": {
            "level": "INFO",
            "filters": ["require_debug_true"],
            "class": "logging.StreamHandler",
        },
    },
    "loggers": {
        "fastjango": {"handlers": ["console"], "level": "INFO"},
    },
}


class RequireDebugFalse(logging.Filter):
    """Pass records only while ``DEBUG`` is off."""

    def filter(self, record: logging.LogRecord) -> bool:
        from fastjango.conf import settings

        return not settings.DEBUG


class RequireDebugTrue(logging.Filter):
    """Pass records only while ``DEBUG`` is on."""

    def filter(self, record: logging.LogRecord) -> bool:
        from fastjango.conf import settings

        return bool(settings.DEBUG)


def configure_logging(logging_config: str | None, logging_settings: dict[str, Any]) -> None:
    """Apply ``DEFAULT_LOGGING``, then the project's ``LOGGING`` through ``LOGGING_CONFIG``.

    ``LOGGING_CONFIG = None`` leaves logging alone, as in Django.
    """
    if not logging_config:
        return
    configure = import_string(logging_config)
    logging.config.dictConfig(DEFAULT_LOGGING)
    if logging_settings:
        configure(logging_settings)
