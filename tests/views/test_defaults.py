from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fastjango.core.exceptions import PermissionDenied, SuspiciousOperation
from fastjango.http import Http404, HttpRequest
from fastjango.template import TemplateDoesNotExist
from fastjango.test.utils import override_settings
from fastjango.views.defaults import (
    ERROR_PAGE_TEMPLATE,
    bad_request,
    page_not_found,
    permission_denied,
    server_error,
)
from tests.http.asgi import make_scope

JINJA2 = "fastjango.template.backends.jinja2.Jinja2"


@pytest.fixture
def templates(tmp_path: Path) -> Iterator[Path]:
    with override_settings(TEMPLATES=[{"BACKEND": JINJA2, "DIRS": [str(tmp_path)]}]):
        yield tmp_path


def req(path: str = "/missing/") -> HttpRequest:
    return HttpRequest(make_scope(path=path))


def test_builtin_pages_without_templates(templates: Path) -> None:
    response = page_not_found(req(), Http404("nothing here"))
    assert response.status_code == 404
    assert b"<title>Not Found</title>" in response.content
    assert b"The requested resource was not found on this server." in response.content
    assert b"nothing here" not in response.content

    error = server_error(req())
    assert error.status_code == 500
    assert error.content.decode() == ERROR_PAGE_TEMPLATE % {
        "title": "Server Error (500)",
        "details": "",
    }
    bad = bad_request(req(), SuspiciousOperation("secret detail"))
    assert bad.status_code == 400
    assert b"Bad Request (400)" in bad.content and b"secret" not in bad.content
    denied = permission_denied(req(), PermissionDenied("no"))
    assert denied.status_code == 403
    assert b"403 Forbidden" in denied.content


def test_custom_templates(templates: Path) -> None:
    (templates / "404.html").write_text("404 {{ request_path }} {{ exception }}")
    (templates / "500.html").write_text("500 page")
    (templates / "400.html").write_text("400 page")
    (templates / "403.html").write_text("403 {{ exception }}")

    response = page_not_found(req("/caf\xe9 x/"), Http404("No Book matches the given query."))
    assert response.content == b"404 /caf%C3%A9%20x/ No Book matches the given query."
    # A non-string argument (the resolver's "tried" dict) shows only the class name.
    response = page_not_found(req(), Http404({"tried": [], "path": "x"}))
    assert response.content == b"404 /missing/ Http404"
    assert page_not_found(req(), Http404()).content == b"404 /missing/ Http404"
    assert page_not_found(req(), None).content == b"404 /missing/ NoneType"
    assert server_error(req()).content == b"500 page"
    assert bad_request(req(), None).content == b"400 page"
    assert permission_denied(req(), PermissionDenied("Go away")).content == b"403 Go away"


def test_missing_custom_template_names_raise(templates: Path) -> None:
    with pytest.raises(TemplateDoesNotExist):
        page_not_found(req(), Http404(), template_name="custom404.html")
    with pytest.raises(TemplateDoesNotExist):
        server_error(req(), template_name="custom500.html")
    with pytest.raises(TemplateDoesNotExist):
        bad_request(req(), None, template_name="custom400.html")
    with pytest.raises(TemplateDoesNotExist):
        permission_denied(req(), None, template_name="custom403.html")
