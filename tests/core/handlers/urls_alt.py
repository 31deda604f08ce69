"""A second urlconf, chosen per request by a middleware setting request.urlconf."""

from __future__ import annotations

from fastjango.urls import path

from . import views as v

urlpatterns = [path("alt/", v.alt_view)]
