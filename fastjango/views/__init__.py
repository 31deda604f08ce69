"""Views: ``fastjango.views.View`` is the base class-based view, as in Django."""

from __future__ import annotations

from fastjango.views.generic.base import View

__all__ = ["View"]
