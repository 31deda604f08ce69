"""A urlconf that includes a module that doesn't exist, so it fails to import."""

from __future__ import annotations

from fastjango.urls import include, path

urlpatterns = [path("gone/", include("tests.urls.no_such_module"))]
