"""Wrong arguments give Django's exception, with a message that says what to pass."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest

from fastjango.core.exceptions import DisallowedRedirect
from fastjango.http import (
    FileResponse,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
)
from fastjango.shortcuts import redirect, render, resolve_url
from fastjango.template import TemplateDoesNotExist
from fastjango.template.loader import get_template, render_to_string, select_template
from fastjango.template.utils import InvalidTemplateEngineError
from fastjango.test import RequestFactory, override_settings

TEMPLATE_DIR = str(Path(__file__).resolve().parent.parent / "templates")


@pytest.fixture(autouse=True)
def templates() -> Iterator[None]:
    engine = {"BACKEND": "fastjango.template.backends.jinja2.Jinja2", "DIRS": [TEMPLATE_DIR]}
    with override_settings(TEMPLATES=[engine]):
        yield


def test_http_response_arguments() -> None:
    with pytest.raises(TypeError, match="HTTP status code must be an integer"):
        HttpResponse(status="abc")
    with pytest.raises(ValueError, match="HTTP status code must be an integer from 100 to 599"):
        HttpResponse(status=600)
    with pytest.raises(TypeError, match="headers must be a dict .* not str"):
        HttpResponse(headers="Age: 1")
    with pytest.raises(TypeError, match="headers must be a dict .* not int"):
        HttpResponse(headers=5)
    with pytest.raises(ValueError, match="has length 1; 2 is required"):
        HttpResponse(headers=[("only-a-name",)])
    with pytest.raises(ValueError, match="must not contain 'Content-Type'"):
        HttpResponse(content_type="text/plain", headers={"content-type": "text/csv"})
    with pytest.raises(LookupError, match="unknown encoding: bogus"):
        HttpResponse("é", charset="bogus")
    with pytest.raises(UnicodeError, match="HTTP response headers must be in ascii format"):
        HttpResponse()["Naïve"] = "x"


def test_json_response_arguments() -> None:
    with pytest.raises(TypeError, match="set the safe parameter to False"):
        JsonResponse([1])
    with pytest.raises(TypeError, match="is not JSON serializable"):
        JsonResponse({"when": object()})
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
        JsonResponse({}, json_dumps_params={"bogus": 1})
    loop: dict[str, object] = {}
    loop["self"] = loop
    with pytest.raises(ValueError, match="Circular reference detected"):
        JsonResponse(loop)


def test_set_cookie_arguments() -> None:
    response = HttpResponse()
    with pytest.raises(TypeError, match="cookie name must be a string, not NoneType"):
        response.set_cookie(None)  # type: ignore[arg-type]
    with pytest.raises(Exception, match="Illegal key"):
        response.set_cookie("a b", "c")
    with pytest.raises(TypeError, match="max_age must be a number of seconds or a timedelta"):
        response.set_cookie("a", max_age="abc")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match='samesite must be "lax", "none", or "strict"'):
        response.set_cookie("a", samesite="always")
    with pytest.raises(ValueError, match='samesite must be "lax", "none", or "strict"'):
        response.set_cookie("a", samesite=1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'expires' and 'max_age' can't be used together"):
        response.set_cookie("a", expires=datetime.datetime(2099, 1, 1), max_age=1)
    response.set_cookie("a", "line\nbreak")  # quoted, never a header injection
    assert "\n" not in response.cookies["a"].output()


def test_redirect_arguments() -> None:
    with pytest.raises(DisallowedRedirect, match="Unsafe redirect to URL with protocol 'data'"):
        HttpResponseRedirect("data:text/html,<script>")
    assert HttpResponseRedirect("/a\r\nSet-Cookie: x=1")["Location"] == "/a%0D%0ASet-Cookie:%20x=1"
    with pytest.raises(TypeError, match="take a URL, a URL pattern name, a view, or an object"):
        redirect(None)
    with pytest.raises(TypeError, match="not int: 5"):
        resolve_url(5)
    with pytest.raises(TypeError, match="not the string 'GET'"):
        HttpResponseNotAllowed("GET")


def test_file_response_needs_a_file(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match=r"FileResponse\(open\(path, 'rb'\)\), not str"):
        FileResponse(str(tmp_path / "report.pdf"))
    with pytest.raises(TypeError, match="not PosixPath"):
        FileResponse(tmp_path / "report.pdf")


def test_render_arguments() -> None:
    request = RequestFactory().get("/")
    with pytest.raises(TypeError, match="A template name must be a string .* not None"):
        render(request, None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="context must be a dict rather than list"):
        render(request, "parity/index.html", [1, 2])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="HTTP status code must be an integer"):
        render(request, "parity/index.html", status="ok")  # type: ignore[arg-type]
    with pytest.raises(TemplateDoesNotExist, match="nope.html"):
        render(request, "nope.html")
    with pytest.raises(TemplateDoesNotExist, match="No template names provided"):
        render(request, [])
    with pytest.raises(InvalidTemplateEngineError, match="Could not find config for 'nope'"):
        render(request, "parity/index.html", using="nope")
    with pytest.raises(TypeError, match="takes an iterable of template names but got a string"):
        select_template("parity/index.html")
    with pytest.raises(TypeError, match="A template name must be a string"):
        get_template(["parity/index.html"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="context must be a dict rather than tuple"):
        render_to_string("parity/index.html", (("foo", 1),))


def test_querydict_arguments() -> None:
    with pytest.raises(AttributeError, match="This QueryDict instance is immutable"):
        QueryDict("a=1").update({"a": "2"})
    with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=2):
        with pytest.raises(Exception, match="DATA_UPLOAD_MAX_NUMBER_FIELDS"):
            QueryDict("a=1&b=2&c=3")
