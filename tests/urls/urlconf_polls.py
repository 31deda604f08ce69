"""A reusable app's urls with an application namespace, as in Django's polls tutorial."""

from __future__ import annotations

from fastjango.urls import path
from tests.urls import views

app_name = "polls"

urlpatterns = [
    path("", views.empty_view, name="index"),
    path("<int:pk>/", views.empty_view, name="detail"),
]
