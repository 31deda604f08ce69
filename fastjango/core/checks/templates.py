"""Template checks (tag ``templates``): every engine in TEMPLATES can be built."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from fastjango.core.checks.messages import CheckMessage, Error
from fastjango.core.checks.registry import Tags, register
from fastjango.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from fastjango.apps.config import AppConfig

__all__ = ["check_templates"]


@register(Tags.templates)
def check_templates(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Fail when a TEMPLATES entry can't be turned into an engine (E101).

    Django builds the engines when checks run, so a broken TEMPLATES setting
    shows at start-up rather than at the first render; this check does the same
    and reports the problem instead of crashing.
    """
    from fastjango.template import engines

    try:
        engines.all()
    except (ImproperlyConfigured, ImportError) as err:
        return [Error(f"The TEMPLATES setting is invalid: {err}", id="templates.E101")]
    return []
