"""Deployment check that async safety has not been switched off."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from fastjango.core.checks.messages import CheckMessage, Error
from fastjango.core.checks.registry import Tags, register

if TYPE_CHECKING:
    from fastjango.apps.config import AppConfig

__all__ = ["check_async_unsafe"]

E001 = Error(
    "You should not set the FASTJANGO_ALLOW_ASYNC_UNSAFE environment variable in "
    "deployment. This disables async safety protection.",
    id="async.E001",
)


@register(Tags.async_support, deploy=True)
def check_async_unsafe(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Fail when FASTJANGO_ALLOW_ASYNC_UNSAFE is set (E001)."""
    return [E001] if os.environ.get("FASTJANGO_ALLOW_ASYNC_UNSAFE") else []
