"""
URL configuration for mysite project.

The `urlpatterns` list routes URLs to views.
Examples:
Function views
    1. Add an import:  from my_app import views
    2. Add a URL to urlpatterns:  path("", views.home, name="home")
Class-based views
    1. Add an import:  from other_app.views import Home
    2. Add a URL to urlpatterns:  path("", Home.as_view(), name="home")
Including another URLconf
    1. Import the include() function: from fastjango.urls import include, path
    2. Add a URL to urlpatterns:  path("blog/", include("blog.urls"))
Including a FastAPI router
    1. Import it:  from api.routes import router
    2. Add a URL to urlpatterns:  path("api/", include(router))
"""

from fastjango.urls import include, path
from fastjango.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="polls:index"), name="home"),
    path("polls/", include("polls.urls")),
]
