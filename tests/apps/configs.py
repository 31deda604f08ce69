"""AppConfig classes named by dotted path in INSTALLED_APPS entries."""

from __future__ import annotations

from fastjango.apps import AppConfig

__all__ = [
    "BadNameConfig",
    "CustomPathConfig",
    "InvalidLabelConfig",
    "NoNameConfig",
    "NotAConfig",
    "PlainAppConfig",
    "RelabeledConfig",
]


class PlainAppConfig(AppConfig):
    name = "tests.apps.plain_app"


class RelabeledConfig(AppConfig):
    name = "tests.apps.plain_app"
    label = "relabeled"
    verbose_name = "Relabeled app"


class CustomPathConfig(AppConfig):
    name = "tests.apps.plain_app"
    label = "custom_path"
    path = "/somewhere/else"


class InvalidLabelConfig(AppConfig):
    name = "tests.apps.plain_app"
    label = "not-an-identifier"


class BadNameConfig(AppConfig):
    name = "tests.apps.there_is_no_such_app"


class NoNameConfig(AppConfig):
    pass


class NotAConfig:
    name = "tests.apps.plain_app"
