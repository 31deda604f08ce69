from __future__ import annotations

from fastjango.apps import AppConfig

__all__ = ["ExplicitOnlyConfig"]


class ExplicitOnlyConfig(AppConfig):
    default = False
    name = "tests.apps.not_default_app"
    label = "explicit_only"
