from __future__ import annotations

from fastjango.apps import AppConfig

__all__ = ["FailingReadyConfig"]


class FailingReadyConfig(AppConfig):
    name = "tests.apps.failing_ready_app"

    def ready(self) -> None:
        raise ValueError("ready() failed")
