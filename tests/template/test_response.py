from __future__ import annotations

import pickle
from collections.abc import Iterator
from typing import Any

import anyio
import pytest

from fastjango.http import HttpResponse
from fastjango.template import TemplateDoesNotExist
from fastjango.template.loader import get_template
from fastjango.template.response import (
    ContentNotRenderedError,
    SimpleTemplateResponse,
    TemplateResponse,
)
from fastjango.test.utils import override_settings

from .conftest import jinja2_settings


class _FakeRequest:
    path = "/page/"
    META: dict[str, str] = {}


def fake_request() -> Any:
    return _FakeRequest()


@pytest.fixture(autouse=True)
def templates() -> Iterator[None]:
    setting = jinja2_settings(context_processors=["tests.template.environment.extra_context"])
    with override_settings(TEMPLATES=setting):
        yield


def test_content_needs_rendering_first() -> None:
    response = SimpleTemplateResponse("hello.html", {"name": "x"})
    assert response.is_rendered is False
    with pytest.raises(ContentNotRenderedError, match="must be rendered before it can be accessed"):
        response.content  # noqa: B018
    with pytest.raises(ContentNotRenderedError, match="before it can be iterated over"):
        iter(response)
    with pytest.raises(ContentNotRenderedError, match="before it can be pickled"):
        pickle.dumps(response)
    assert response.render() is response
    assert response.is_rendered
    assert response.content == b"Hello x!"
    assert list(response) == [b"Hello x!"]


def test_render_happens_once_and_template_can_still_change_before() -> None:
    response = SimpleTemplateResponse("hello.html", {"name": "x"})
    response.template_name = "sub/nested.html"
    response.context_data = {"value": 4}
    response.render()
    response.context_data = {"value": 5}
    response.render()
    assert response.content == b"nested 4"
    assert response.rendered_content == "nested 5"


def test_setting_content_counts_as_rendered() -> None:
    response = SimpleTemplateResponse("hello.html")
    response.content = b"direct"
    assert response.is_rendered and response.content == b"direct"
    assert response.render() is response


def test_template_name_forms() -> None:
    assert SimpleTemplateResponse(
        ["missing.html", "hello.html"], {"name": "l"}
    ).render().content == (b"Hello l!")
    template = get_template("hello.html")
    assert SimpleTemplateResponse(template, {"name": "t"}).render().content == b"Hello t!"
    with pytest.raises(TemplateDoesNotExist):
        SimpleTemplateResponse("missing.html").render()


def test_resolve_context_can_be_overridden() -> None:
    class Upper(SimpleTemplateResponse):
        def resolve_context(self, context: Any) -> Any:
            return {key: value.upper() for key, value in context.items()}

    assert Upper("hello.html", {"name": "abc"}).render().content == b"Hello ABC!"


def test_post_render_callbacks() -> None:
    calls: list[str] = []
    response = SimpleTemplateResponse("hello.html", {"name": "c"})
    response.add_post_render_callback(lambda r: calls.append("first"))
    replacement = HttpResponse(b"replaced")
    response.add_post_render_callback(lambda r: replacement)
    response.add_post_render_callback(lambda r: calls.append(f"third got {r.content!r}"))
    assert response.render() is replacement
    assert calls == ["first", "third got b'replaced'"]
    response.add_post_render_callback(lambda r: calls.append("late"))
    assert calls[-1] == "late"


def test_constructor_arguments_reach_the_response() -> None:
    response = SimpleTemplateResponse(
        "hello.html",
        content_type="text/plain",
        status=201,
        headers={"X-Extra": "1"},
    )
    assert response.status_code == 201
    assert response["Content-Type"] == "text/plain"
    assert response["X-Extra"] == "1"
    latin = SimpleTemplateResponse("hello.html", {"name": "é"}, charset="latin-1").render()
    assert latin.content == "Hello é!".encode("latin-1")


def test_template_response_renders_with_the_request() -> None:
    request = fake_request()
    response = TemplateResponse(request, "request.html", {"extra": "mine"})
    assert response._request is request
    assert response.render().content == b"/page/|||from processor"


def test_pickling_a_rendered_response_drops_the_template_data() -> None:
    response = TemplateResponse(fake_request(), "hello.html", {"name": "p"})
    response.render()
    restored = pickle.loads(pickle.dumps(response))
    assert restored.content == b"Hello processor name!"
    assert restored.is_rendered
    for attr in ("template_name", "context_data", "_post_render_callbacks", "_request"):
        assert not hasattr(restored, attr)


def test_asgi_call_renders_first() -> None:
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    async def serve(response: Any) -> None:
        scope = {"type": "http", "method": "GET", "path": "/"}
        await response(scope, receive, send)

    response = TemplateResponse(fake_request(), "hello.html", {"name": "asgi"})
    anyio.run(serve, response)
    assert messages[0]["status"] == 200
    assert messages[1]["body"] == b"Hello processor name!"

    messages.clear()
    swapped = SimpleTemplateResponse("hello.html", {"name": "x"})
    swapped.add_post_render_callback(lambda r: HttpResponse(b"other", status=202))
    anyio.run(serve, swapped)
    assert messages[0]["status"] == 202 and messages[1]["body"] == b"other"

    messages.clear()
    rendered = SimpleTemplateResponse("hello.html", {"name": "y"}).render()
    anyio.run(serve, rendered)
    assert messages[1]["body"] == b"Hello y!"
