from fastjango.test import Client
from fastjango.urls import reverse


def test_index_lists_questions():
    response = Client().get(reverse("polls:index"))
    assert response.status_code == 200
    assert b"What&#39;s new?" in response.content


def test_detail_and_404():
    client = Client()
    assert b"FastJango" in client.get(reverse("polls:detail", args=[1])).content
    assert client.get(reverse("polls:detail", args=[99])).status_code == 404


def test_api_is_typed_and_documented():
    client = Client()
    assert client.get("/polls/api/questions/2").json()["text"] == "Sync or async views?"
    schema = client.get("/openapi.json").json()
    assert "/polls/api/questions/{question_id}" in schema["paths"]


def test_root_redirects_to_the_polls():
    response = Client().get("/", follow=True)
    assert response.redirect_chain == [("/polls/", 302)]
    assert response.status_code == 200
