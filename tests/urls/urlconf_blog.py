"""An included urlconf: the blog of one user."""

from __future__ import annotations

from fastjango.urls import path
from tests.urls import views

urlpatterns = [
    path("", views.empty_view, name="blog-index"),
    path("<int:entry>/", views.empty_view, name="blog-entry"),
]
