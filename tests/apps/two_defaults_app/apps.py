from __future__ import annotations

from fastjango.apps import AppConfig

__all__ = ["FirstDefault", "SecondDefault"]


class FirstDefault(AppConfig):
    default = True
    name = "tests.apps.two_defaults_app"


class SecondDefault(AppConfig):
    default = True
    name = "tests.apps.two_defaults_app"
