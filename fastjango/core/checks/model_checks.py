"""Model checks (tag ``models``): each installed model's own ``check()``, as Django runs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import chain
from typing import TYPE_CHECKING, Any

from fastjango.core.checks.messages import CheckMessage
from fastjango.core.checks.registry import Tags, register

if TYPE_CHECKING:
    from fastjango.apps.config import AppConfig

__all__ = ["check_all_models"]


@register(Tags.models)
def check_all_models(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Run ``Model.check()`` for every model of the given (or every installed) app."""
    from fastjango.apps import apps

    models: Iterable[Any]
    if app_configs is None:
        models = apps.get_models()
    else:
        models = chain.from_iterable(app_config.get_models() for app_config in app_configs)
    errors: list[CheckMessage] = []
    for model in models:
        errors.extend(model.check(**kwargs))
    return errors
