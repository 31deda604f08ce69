import datetime

import pytest

from fastjango.test import Client
from fastjango.urls import reverse
from fastjango.utils import timezone

from .models import Choice, Question

pytestmark = pytest.mark.fastjango_db


def make_question(text="What's new?", days=0):
    question = Question.objects.create(
        question_text=text, pub_date=timezone.now() + datetime.timedelta(days=days)
    )
    for choice in ("Not much", "The sky"):
        question.choice_set.create(choice_text=choice)
    return question


def test_was_published_recently():
    assert make_question(days=0).was_published_recently()
    assert not make_question(days=30).was_published_recently()


def test_index_lists_questions_escaped():
    make_question("Is <b>bold</b> escaped?")
    response = Client().get(reverse("polls:index"))
    assert response.status_code == 200
    assert b"Is &lt;b&gt;bold&lt;/b&gt; escaped?" in response.content


def test_detail_and_404():
    question = make_question()
    client = Client()
    assert b"The sky" in client.get(reverse("polls:detail", args=[question.id])).content
    assert client.get(reverse("polls:detail", args=[question.id + 100])).status_code == 404


def test_vote_through_the_api():
    question = make_question()
    choice = question.choice_set.get(choice_text="The sky")
    client = Client()
    url = reverse("polls:api-vote", args=[question.id])
    response = client.post(url, {"choice_id": choice.id}, content_type="application/json")
    assert response.status_code == 200
    assert {c["choice_text"]: c["votes"] for c in response.json()["choices"]} == {
        "Not much": 0,
        "The sky": 1,
    }
    assert Choice.objects.get(pk=choice.id).votes == 1
    wrong = client.post(url, {"choice_id": 9999}, content_type="application/json")
    assert wrong.status_code == 404


def test_api_is_typed_and_documented():
    schema = Client().get("/openapi.json").json()
    assert "/polls/api/questions/{question_id}/vote" in schema["paths"]


def test_root_redirects_to_the_polls():
    response = Client().get("/", follow=True)
    assert response.redirect_chain == [("/polls/", 302)]
    assert response.status_code == 200
