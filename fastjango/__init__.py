"""FastJango: Django's structure and batteries on FastAPI, Starlette and SQLAlchemy."""

from __future__ import annotations

__all__ = ["VERSION", "__version__", "get_version", "setup"]

VERSION = (0, 1, 0, "final", 0)
__version__ = "0.1.0"


def get_version() -> str:
    """Return the version as a string, e.g. ``"0.1.0"``."""
    return __version__


def setup(set_prefix: bool = True) -> None:
    """Configure settings and populate the app registry, as ``django.setup()`` does."""
    from fastjango.apps import apps
    from fastjango.conf import settings
    from fastjango.utils.log import configure_logging

    del set_prefix  # accepted for Django compatibility; there is no script prefix to set
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    apps.populate(settings.INSTALLED_APPS)
