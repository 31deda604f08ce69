from django.urls import path

from django_project import views

urlpatterns = [
    path("json", views.json_view),
    path("db", views.db_view),
    path("html", views.html_view),
]
