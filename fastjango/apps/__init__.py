"""The application registry: ``INSTALLED_APPS`` as ``AppConfig`` objects."""

from fastjango.apps.config import AppConfig
from fastjango.apps.registry import Apps, apps

__all__ = ["AppConfig", "Apps", "apps"]
