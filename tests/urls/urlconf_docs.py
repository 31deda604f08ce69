"""The examples of Django's "URL dispatcher" documentation."""

from __future__ import annotations

from fastjango.urls import include, path, re_path
from tests.urls import views

extra_patterns = [
    path("reports/", views.empty_view, name="credit-reports"),
    path("reports/<int:id>/", views.empty_view, name="credit-report"),
    path("charge/", views.empty_view, name="credit-charge"),
]

urlpatterns = [
    path("articles/2003/", views.special_case_2003, name="special-2003"),
    path("articles/<int:year>/", views.year_archive, name="year-archive"),
    path("articles/<int:year>/<int:month>/", views.month_archive, name="month-archive"),
    path(
        "articles/<int:year>/<int:month>/<slug:slug>/",
        views.article_detail,
        name="article-detail",
    ),
    re_path(r"^re/articles/(?P<year>[0-9]{4})/$", views.year_archive, name="re-year"),
    re_path(
        r"^re/articles/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$",
        views.month_archive,
        name="re-month",
    ),
    re_path(r"^positional/([0-9]{4})/([0-9]{2})/$", views.month_archive, name="positional"),
    re_path(r"^mixed/(?P<year>[0-9]{4})/([0-9]{2})/$", views.month_archive, name="mixed"),
    path("blog/", views.page, name="blog-page"),
    path("blog/page<int:num>/", views.page, name="blog-page"),
    re_path(r"^blog/(page-([0-9]+)/)?$", views.blog_articles, name="blog-articles"),
    re_path(r"^comments/(?:page-(?P<page_number>[0-9]+)/)?$", views.comments, name="comments"),
    path("extra/<int:year>/", views.year_archive, {"foo": "bar"}, name="extra"),
    path("override/<int:year>/", views.year_archive, {"year": 1999}, name="override"),
    path("credit/", include(extra_patterns)),
    path("<username>/blog/", include("tests.urls.urlconf_blog"), {"blog_id": 3}),
    path(
        "<page_slug>-<int:page_id>/",
        include(
            [
                path("history/", views.empty_view, name="wiki-history"),
                path("edit/", views.empty_view, name="wiki-edit"),
            ]
        ),
    ),
    path("books/", views.BookView.as_view(), name="books"),
    path("partial/", views.partial_view, name="partial"),
    path("async/", views.async_view, name="async"),
    path("quoting/<path:rest>/", views.empty_view, name="quoting"),
    path("str/<str:value>/", views.empty_view, name="str"),
    re_path(r"^special/(?P<chars>.+)/$", views.empty_view, name="special"),
    re_path(r"^percent/100%/$", views.empty_view, name="percent"),
    re_path(r"^no-dollar", views.empty_view, name="no-dollar"),
    path("", views.empty_view, name="home"),
]
