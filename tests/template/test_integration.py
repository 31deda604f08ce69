from __future__ import annotations

from collections.abc import Iterator

import pytest

from fastjango.test import Client
from fastjango.test.utils import override_settings

from .conftest import jinja2_settings


@pytest.fixture
def client() -> Iterator[Client]:
    setting = jinja2_settings(context_processors=["fastjango.template.context_processors.request"])
    with override_settings(TEMPLATES=setting, ROOT_URLCONF="tests.template.views"):
        yield Client()


def test_render_shortcut_through_the_app(client: Client) -> None:
    response = client.get("/hello/?name=<Ann>")
    assert response.status_code == 200
    assert response.content == b"Hello &lt;Ann&gt;!"
    assert [t.name for t in response.templates] == ["hello.html"]
    assert response.context["name"] == "<Ann>"


def test_template_response_from_an_async_view(client: Client) -> None:
    response = client.get("/child/")
    assert response.content == b"<title>Child</title>1:x 2:y "
    # Like Django, the templates it extends are reported too.
    assert [t.name for t in response.templates] == ["child.html", "base.html"]
    assert response.context["items"] == ["x", "y"]


def test_request_reaches_the_template(client: Client) -> None:
    response = client.get("/request/")
    assert response.content.startswith(b"/request/|")
    assert response.context["request"].path == "/request/"
