from __future__ import annotations

from fastjango.apps import AppConfig

__all__ = ["ChosenConfig", "OtherConfig"]


class OtherConfig(AppConfig):
    name = "tests.apps.default_config_app"
    label = "other"


class ChosenConfig(AppConfig):
    default = True
    name = "tests.apps.default_config_app"
    label = "chosen"
