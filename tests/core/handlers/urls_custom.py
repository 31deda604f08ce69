"""Custom error handlers, including one rendering a TemplateResponse."""

from __future__ import annotations

from .urls import urlpatterns

handler400 = "tests.core.handlers.views.handler_400"
handler403 = "tests.core.handlers.views.handler_403"
handler404 = "tests.core.handlers.views.handler_404_template"
handler500 = "tests.core.handlers.views.handler_500"

__all__ = ["urlpatterns"]
