from __future__ import annotations

from fastjango.apps import AppConfig
from tests.apps.events import READY_CALLS

__all__ = ["ModelsBConfig"]


class ModelsBConfig(AppConfig):
    name = "tests.apps.models_app_b"

    def ready(self) -> None:
        assert self.apps is not None
        imported = [config.models_module is not None for config in self.apps.get_app_configs()]
        READY_CALLS.append((self.label, self.apps.models_ready, imported))
