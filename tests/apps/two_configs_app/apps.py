from __future__ import annotations

from fastjango.apps import AppConfig

__all__ = ["FirstConfig", "SecondConfig"]


class FirstConfig(AppConfig):
    name = "tests.apps.two_configs_app"


class SecondConfig(AppConfig):
    name = "tests.apps.two_configs_app"
    label = "second"
