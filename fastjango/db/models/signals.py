"""Model signals, sent as Django sends them.

A sender may be given as a model class or as the string ``"app_label.ModelName"``;
the string is resolved when that model is registered.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import partial
from typing import Any

from fastjango.dispatch import Signal

__all__ = [
    "ModelSignal",
    "class_prepared",
    "m2m_changed",
    "post_delete",
    "post_init",
    "post_migrate",
    "post_save",
    "pre_delete",
    "pre_init",
    "pre_migrate",
    "pre_save",
]

#: Sent when a model class is fully built (fields, manager, table).
class_prepared = Signal()


class ModelSignal(Signal):
    """A signal whose sender may be named ``"app_label.ModelName"``."""

    def _lazy_method(
        self, method: Callable[..., Any], apps: Any, receiver: Any, sender: Any, **kwargs: Any
    ) -> Any:
        from fastjango.db.models.utils import make_model_tuple

        partial_method = partial(method, receiver, **kwargs)
        if isinstance(sender, str):
            if apps is None:
                from fastjango.apps import apps as global_apps

                apps = global_apps
            apps.lazy_model_operation(partial_method, make_model_tuple(sender))
            return None
        return partial_method(sender)

    def connect(
        self,
        receiver: Callable[..., Any],
        sender: Any = None,
        weak: bool = True,
        dispatch_uid: Hashable | None = None,
        apps: Any = None,
    ) -> None:
        """Connect ``receiver``; ``sender`` may be a model or ``"app_label.ModelName"``."""
        self._lazy_method(
            super().connect, apps, receiver, sender, weak=weak, dispatch_uid=dispatch_uid
        )

    def disconnect(
        self,
        receiver: Callable[..., Any] | None = None,
        sender: Any = None,
        dispatch_uid: Hashable | None = None,
        apps: Any = None,
    ) -> bool:
        """Disconnect ``receiver``; return whether it was connected."""
        result = self._lazy_method(
            super().disconnect, apps, receiver, sender, dispatch_uid=dispatch_uid
        )
        return bool(result)


pre_init = ModelSignal(use_caching=True)
post_init = ModelSignal(use_caching=True)

pre_save = ModelSignal(use_caching=True)
post_save = ModelSignal(use_caching=True)

pre_delete = ModelSignal(use_caching=True)
post_delete = ModelSignal(use_caching=True)

m2m_changed = ModelSignal(use_caching=True)

pre_migrate = Signal()
post_migrate = Signal()
