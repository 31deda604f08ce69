"""A urlconf with one of each problem start-up validation must report."""

from __future__ import annotations

from typing import Any

from fastjango.urls import include, path, re_path
from fastjango.urls.patterns import RoutePattern
from fastjango.urls.resolvers import URLResolver
from tests.urls import views

urlpatterns: list[Any] = [
    re_path(r"^bad(/$", views.empty_view, name="bad-regex"),
    path("cbv/", views.BookView, name="cbv"),
    "admin/",
    ("tuple/", views.empty_view),
    path("no-patterns/", include("tests.urls.urlconf_no_patterns")),
    path("not-a-list/", include("tests.urls.urlconf_not_list")),
    URLResolver(RoutePattern("missing/"), "tests.urls.does_not_exist"),
    path("dup/a/<int:pk>/", views.empty_view, name="dup"),
    path("dup/b/<int:pk>/", views.empty_view, name="dup"),
    path("ok/", views.empty_view, name="ok"),
    path("ok/<int:pk>/", views.empty_view, name="ok"),
    path("polls-a/", include("tests.urls.urlconf_polls", namespace="a")),
    path("polls-b/", include("tests.urls.urlconf_polls", namespace="b")),
]

handler404 = "tests.urls.views.missing_handler"
handler500 = views.bad_handler
