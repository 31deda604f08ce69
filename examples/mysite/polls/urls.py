from fastjango.urls import path

from . import views

app_name = "polls"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:question_id>/", views.detail, name="detail"),
    path("<int:question_id>/results/", views.results, name="results"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("api/questions", views.api_questions, name="api-questions"),
    path("api/questions/<int:question_id>", views.api_question, name="api-question"),
    path("api/questions/<int:question_id>/vote", views.api_vote, name="api-vote"),
]
