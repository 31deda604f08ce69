from fastjango.urls import path
from fj_project import views

urlpatterns = [
    path("json", views.json_view),
    path("json-async", views.json_async),
    path("db", views.db_view),
    path("db-async", views.db_async),
    path("html", views.html_view),
    path("html-async", views.html_async),
    path("slow", views.slow_view),
    path("slow-locmem", views.slow_cached_locmem),
    path("slow-redis", views.slow_cached_redis),
]
