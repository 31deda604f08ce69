"""A root urlconf that sets every handlerXXX, as dotted paths and as callables."""

from __future__ import annotations

from fastjango.urls import path
from tests.urls import views

urlpatterns = [path("", views.empty_view)]

handler400 = "tests.urls.views.handler400"
handler403 = "tests.urls.views.handler403"
handler404 = views.handler404
handler500 = "tests.urls.views.handler500"
