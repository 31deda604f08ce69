"""The main urlconf of the request handler tests."""

from __future__ import annotations

from fastjango.urls import include, path

from . import views as v

urlpatterns = [
    path("", v.index, name="index"),
    path("echo/", v.echo, name="echo"),
    path("template/", v.template_view, name="template"),
    path("async-template/", v.async_template_view),
    path("broken-template/", v.broken_template_view),
    path("stream/", v.stream),
    path("astream/", v.async_stream),
    path("redirect/<int:n>/", v.redirect_n),
    path("loop/", v.redirect_loop),
    path("grow/<int:n>/", v.redirect_growing),
    path("relative/here/", v.redirect_relative),
    path("absolute/", v.redirect_absolute),
    path("other-host/", v.redirect_other_host),
    path("r307/", v.redirect_307),
    path("r308/", v.redirect_308),
    path("to-404/", v.redirect_to_404),
    path("cookies/set/", v.set_cookies),
    path("cookies/delete/", v.delete_cookie),
    path("raise/<str:kind>/", v.raise_kind),
    path("async-raise/", v.async_raise),
    path("secret-local/", v.secret_local),
    path("none/", v.returns_string),
    path("none-instance/", v.NoneView()),
    path("none-class/", v.NoneClassView.as_view()),
    path("api/items/<int:item_id>", v.api_item),
    path("api/create", v.api_create),
    path("api/dep", v.api_dep),
    path("router/", include(v.router)),
    path("sub/", include(v.sub_app)),
]
