"""Error handlers that fail themselves."""

from __future__ import annotations

from .urls import urlpatterns

handler404 = "tests.core.handlers.views.handler_failing"
handler500 = "tests.core.handlers.views.handler_failing"

__all__ = ["urlpatterns"]
