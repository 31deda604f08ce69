"""An included module with app_name, used to test include() by module object."""

from __future__ import annotations

from fastjango.urls import path
from tests.urls import views

app_name = "app"

urlpatterns = [path("thing/", views.empty_view, name="thing")]
