"""A urlconf that names an unknown converter, so it fails to import."""

from __future__ import annotations

from fastjango.urls import path
from tests.urls import views

urlpatterns = [path("<nope:x>/", views.empty_view)]
