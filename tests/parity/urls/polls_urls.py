"""The docs' ``polls`` app: an application namespace deployed as two instances."""

from __future__ import annotations

from fastjango.urls import path

from . import views

app_name = "polls"
urlpatterns = [
    path("", views.polls_index, name="index"),
    path("<int:pk>/", views.show, name="detail"),
]
