"""Generic class-based views."""

from __future__ import annotations

from fastjango.views.generic.base import RedirectView, TemplateView, View

__all__ = ["GenericViewError", "RedirectView", "TemplateView", "View"]


class GenericViewError(Exception):
    """A problem in a generic view."""
