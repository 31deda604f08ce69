"""The URL dispatcher page's examples, in one URLconf."""

from __future__ import annotations

from fastjango.urls import include, path, re_path, register_converter

from . import views


class FourDigitYearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return "%04d" % value  # noqa: UP031 - the docs' example, verbatim


try:
    register_converter(FourDigitYearConverter, "parity_yyyy")
except ValueError:  # the module was imported before (another test run in this process)
    pass

extra_patterns = [
    path("reports/", views.show, name="credit-reports"),
    path("reports/<int:id>/", views.show),
    path("charge/", views.show),
]

wiki_patterns = [
    path("history/", views.show, name="wiki-history"),
    path("edit/", views.show),
    path("discuss/", views.show),
    path("permissions/", views.show),
]

blog_patterns = [
    path("", views.show, name="blog-index"),
    path("archive/", views.show, name="blog-archive"),
]

urlpatterns = [
    path("articles/2003/", views.special_case_2003),
    path("articles/<int:year>/", views.year_archive, name="news-year-archive"),
    path("articles/<int:year>/<int:month>/", views.month_archive),
    path("articles/<int:year>/<int:month>/<slug:slug>/", views.article_detail),
    path("yyyy/<parity_yyyy:year>/", views.year_archive, name="yyyy-archive"),
    re_path(r"^re/(?P<year>[0-9]{4})/$", views.show, name="re-year"),
    re_path(r"^re/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$", views.show),
    re_path(r"^blog/(page-([0-9]+)/)?$", views.show, name="blog-articles"),
    re_path(r"^comments/(?:page-(?P<page_number>[0-9]+)/)?$", views.show, name="comments"),
    path("pages/", views.page),
    path("pages/page<int:num>/", views.page),
    path("opts/<int:year>/", views.year_archive, {"foo": "bar"}),
    path("override/<int:year>/", views.year_archive, {"year": 1999}),
    path("credit/", include(extra_patterns)),
    path("<page_slug>-<page_id>/", include(wiki_patterns)),
    path("<username>/blog/", include(blog_patterns)),
    path("opts-include/", include((blog_patterns, "optblog")), {"blog_id": 3}),
    path("author-polls/", include("tests.parity.urls.polls_urls", namespace="author-polls")),
    path("publisher-polls/", include("tests.parity.urls.polls_urls", namespace="publisher-polls")),
    path("cities/<str:city>/", views.show, name="cities"),
    path("redirect/", views.redirect_to_year),
    path("missing/", views.missing),
    path("cbv/<int:pk>/", views.ShowView.as_view(), name="cbv"),
]

handler404 = "tests.parity.urls.views.my_custom_page_not_found_view"
handler500 = views.my_custom_error_view
handler403 = "tests.parity.urls.views.my_custom_permission_denied_view"
handler400 = "tests.parity.urls.views.my_custom_bad_request_view"
