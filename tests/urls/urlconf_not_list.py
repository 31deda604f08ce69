"""A urlconf whose urlpatterns is not a list."""

from __future__ import annotations

urlpatterns = {"home/": "tests.urls.views.empty_view"}
