"""A urlconf that calls reverse() on itself while it is being loaded."""

from __future__ import annotations

from fastjango.urls import path, reverse
from tests.urls import views

urlpatterns = [path("x/", views.empty_view, name="x")]

X_URL = reverse("x", "tests.urls.urlconf_reverse_at_import")
