from __future__ import annotations

from fastjango.apps import AppConfig

__all__ = ["OneConfig"]


class OneConfig(AppConfig):
    name = "tests.apps.one_config_app"
    verbose_name = "One config"
