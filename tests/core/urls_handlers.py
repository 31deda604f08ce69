from __future__ import annotations

from fastjango.urls import include, path
from tests.core import sample_views as v

urlpatterns = [
    path("sync/", v.sync_view, name="sync"),
    path("async/", v.async_view, name="async"),
    path("echo/", v.echo_post),
    path("async-echo/", v.async_echo_post),
    path("books/<int:pk>/", v.book_detail, name="book-detail"),
    path("404/", v.raises_404),
    path("403/", v.raises_403),
    path("400/", v.raises_400),
    path("500/", v.raises_500),
    path("none/", v.returns_none),
    path("coroutine/", v.returns_coroutine),
    path("greeting/", v.Greeting.as_view(), name="greeting"),
    path("api/items/<int:item_id>", v.api_item, name="api-item"),
    path("api/untyped/<int:pk>", v.untyped_item),
    path("api/create", v.create_item),
    path("api/dep", v.with_dependency),
    path("starlette-style/", v.starlette_style),
    path("router/", include(v.router)),
    path("sub/", include(v.sub_app)),
    path("api/django-response/<int:item_id>", v.api_returns_django_response),
    path("files/", include(v.missing_file_app)),
]

handler404 = "tests.core.sample_views.custom_404"
