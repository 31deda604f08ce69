from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from fastjango.core.exceptions import ObjectDoesNotExist
from fastjango.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from fastjango.shortcuts import (
    aget_list_or_404,
    aget_object_or_404,
    get_list_or_404,
    get_object_or_404,
    redirect,
    render,
    resolve_url,
)
from fastjango.test.utils import override_settings
from fastjango.urls import NoReverseMatch, reverse_lazy
from tests.http.asgi import make_scope
from tests.views.urls_generic import article_detail

JINJA2 = "fastjango.template.backends.jinja2.Jinja2"


class Article:
    """A stand-in model: the ORM is duck-typed by the shortcuts."""

    class DoesNotExist(ObjectDoesNotExist):
        pass

    _meta = SimpleNamespace(object_name="Article")

    def __init__(self, pk: int, title: str) -> None:
        self.pk = pk
        self.title = title

    def get_absolute_url(self) -> str:
        return f"/articles/{self.pk}/"


ROWS = [Article(1, "a"), Article(2, "b"), Article(3, "b")]


class FakeQuerySet:
    model = Article

    def __init__(self, rows: list[Article]) -> None:
        self.rows = rows

    def _match(self, kwargs: dict[str, Any]) -> list[Article]:
        return [r for r in self.rows if all(getattr(r, k) == v for k, v in kwargs.items())]

    def get(self, **kwargs: Any) -> Article:
        found = self._match(kwargs)
        if not found:
            raise Article.DoesNotExist("Article matching query does not exist.")
        return found[0]

    async def aget(self, **kwargs: Any) -> Article:
        return self.get(**kwargs)

    def filter(self, **kwargs: Any) -> FakeQuerySet:
        return FakeQuerySet(self._match(kwargs))

    def all(self) -> FakeQuerySet:
        return self

    def __iter__(self) -> Iterator[Article]:
        return iter(self.rows)

    async def __aiter__(self) -> AsyncIterator[Article]:
        for row in self.rows:
            yield row


class Manager:
    def all(self) -> FakeQuerySet:
        return FakeQuerySet(ROWS)


class ArticleModel:
    """A model class: the shortcuts use its default manager."""

    _default_manager = Manager()


def test_get_object_or_404() -> None:
    assert get_object_or_404(ArticleModel, pk=2) is ROWS[1]
    assert get_object_or_404(FakeQuerySet(ROWS), title="b") is ROWS[1]
    with pytest.raises(Http404, match=r"^No Article matches the given query\.$"):
        get_object_or_404(ArticleModel, pk=99)


def test_get_list_or_404() -> None:
    assert get_list_or_404(ArticleModel, title="b") == ROWS[1:]
    with pytest.raises(Http404, match="No Article matches the given query."):
        get_list_or_404(FakeQuerySet(ROWS), title="zzz")


@pytest.mark.anyio
async def test_async_twins() -> None:
    assert await aget_object_or_404(ArticleModel, pk=3) is ROWS[2]
    with pytest.raises(Http404, match="No Article matches the given query."):
        await aget_object_or_404(ArticleModel, pk=99)
    assert await aget_list_or_404(ArticleModel, title="b") == ROWS[1:]
    with pytest.raises(Http404, match="No Article matches the given query."):
        await aget_list_or_404(FakeQuerySet([]))


@pytest.mark.anyio
async def test_wrong_first_argument() -> None:
    with pytest.raises(
        ValueError,
        match=(
            "First argument to get_object_or_404\\(\\) must be a Model, Manager, or QuerySet, "
            "not 'str'."
        ),
    ):
        get_object_or_404("Article", pk=1)
    with pytest.raises(ValueError, match="get_list_or_404\\(\\) .* not 'int'"):
        get_list_or_404(int)
    with pytest.raises(ValueError, match="aget_object_or_404\\(\\) .* not 'list'"):
        await aget_object_or_404([])
    with pytest.raises(ValueError, match="aget_list_or_404\\(\\) .* not 'object'"):
        await aget_list_or_404(object())


@override_settings(ROOT_URLCONF="tests.views.urls_generic")
def test_resolve_url() -> None:
    assert resolve_url(ROWS[0]) == "/articles/1/"
    assert resolve_url("article-detail", pk=5) == "/articles/5/"
    assert resolve_url("article-detail", 6) == "/articles/6/"
    assert resolve_url(article_detail, pk=7) == "/articles/7/"
    assert resolve_url(reverse_lazy("article-list")) == "/articles/"
    assert resolve_url("./relative/") == "./relative/"
    assert resolve_url("../up/") == "../up/"
    assert resolve_url("/plain/url/") == "/plain/url/"
    assert resolve_url("https://example.com") == "https://example.com"
    assert resolve_url("example.com") == "example.com"
    with pytest.raises(NoReverseMatch):
        resolve_url("no-such-view")

    def not_routed(request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    with pytest.raises(NoReverseMatch):
        resolve_url(not_routed)


@override_settings(ROOT_URLCONF="tests.views.urls_generic")
def test_redirect() -> None:
    response = redirect("article-detail", pk=1)
    assert isinstance(response, HttpResponseRedirect)
    assert (response.status_code, response.url) == (302, "/articles/1/")
    response = redirect(ROWS[1], permanent=True)
    assert isinstance(response, HttpResponsePermanentRedirect)
    assert (response.status_code, response.url) == (301, "/articles/2/")
    assert redirect("/x/", preserve_request=True).status_code == 307
    assert redirect("/x/", permanent=True, preserve_request=True).status_code == 308
    assert redirect("https://example.com/").url == "https://example.com/"


def test_render(tmp_path: Path) -> None:
    (tmp_path / "hello.html").write_text("Hello {{ name }} {{ request.path }}")
    templates = [{"BACKEND": JINJA2, "DIRS": [str(tmp_path)]}]
    request = HttpRequest(make_scope(path="/r/"))
    with override_settings(TEMPLATES=templates):
        response = render(request, "hello.html", {"name": "Ada"})
        assert type(response) is HttpResponse
        assert response.content == b"Hello Ada /r/"
        assert response["Content-Type"] == "text/html; charset=utf-8"
        response = render(
            request,
            ["missing.html", "hello.html"],
            {"name": "Bob"},
            content_type="text/plain",
            status=201,
            using="jinja2",
        )
        assert (response.status_code, response["Content-Type"]) == (201, "text/plain")
        assert response.content == b"Hello Bob /r/"
