"""Instance and application namespaces, nested namespaces and captured prefixes."""

from __future__ import annotations

from fastjango.urls import include, path, re_path
from tests.urls import views

inner_patterns = (
    [
        path("leaf/<slug:slug>/", views.empty_view, name="leaf"),
    ],
    "inner",
)

outer_patterns = (
    [
        path("", views.empty_view, name="outer-index"),
        path("inner/", include(inner_patterns)),
    ],
    "outer",
)

urlpatterns = [
    path("author-polls/", include("tests.urls.urlconf_polls", namespace="author-polls")),
    path("publisher-polls/", include("tests.urls.urlconf_polls", namespace="publisher-polls")),
    path("polls/", include("tests.urls.urlconf_polls")),
    path("outer/", include(outer_patterns)),
    path(
        "<int:tenant>/shop/",
        include(([path("<slug:item>/", views.empty_view, name="item")], "shop")),
    ),
    path(
        "group/<slug:group>/",
        include(
            [
                path(
                    "sub/",
                    include(([path("<int:pk>/", views.empty_view, name="member")], "members")),
                ),
            ]
        ),
    ),
    re_path(
        r"^re-ns/(?P<code>[a-z]+)/",
        include(([path("view/", views.empty_view, name="view")], "re-ns")),
    ),
    path("default-kwargs/", include(([path("x/", views.empty_view, name="x")], "dk")), {"k": 1}),
]
