"""Dummy backend: what ``connections["default"]`` is when ``DATABASES`` is empty."""

from __future__ import annotations

from typing import Any, NoReturn

from sqlalchemy.engine import URL

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.db.backends.base.base import BaseDatabaseWrapper

__all__ = ["DatabaseWrapper"]


def complain(*args: Any, **kwargs: Any) -> NoReturn:
    """Raise the error that explains how to configure DATABASES."""
    raise ImproperlyConfigured(
        "settings.DATABASES is improperly configured. Please supply the ENGINE value "
        "(e.g. 'fastjango.db.backends.sqlite3') or a URL. Check settings documentation "
        "for more details."
    )


class DatabaseWrapper(BaseDatabaseWrapper):
    """A wrapper that exists (so it can be listed and closed) but can't connect."""

    vendor = "dummy"
    display_name = "dummy"

    def get_engine_url(self, is_async: bool, database: str | None = None) -> URL:
        complain()

    def is_usable(self) -> bool:
        return False
