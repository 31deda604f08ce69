from __future__ import annotations

from fastjango.apps import AppConfig

__all__ = ["ReentrantConfig"]


class ReentrantConfig(AppConfig):
    name = "tests.apps.reentrant_app"

    def ready(self) -> None:
        assert self.apps is not None
        self.apps.populate(["tests.apps.plain_app"])
