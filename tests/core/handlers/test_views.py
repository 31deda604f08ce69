"""Telling view styles apart, and typing URL parameters for FastAPI."""

from __future__ import annotations

import functools
import inspect
import uuid
from typing import Any

import anyio
from starlette.requests import Request

from fastjango.core.handlers.views import ViewStyle, fastapi_endpoint, view_style
from fastjango.http import HttpRequest, HttpResponse
from fastjango.urls.converters import IntConverter, StringConverter, UUIDConverter
from fastjango.utils.decorators import markcoroutinefunction
from fastjango.views.generic import View


def sync_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


async def async_view(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse()


def starlette_view(request: Request) -> None:
    return None


def keyword_only(*, request: HttpRequest) -> None:
    return None


def typed(pk: int, q: str | None = None) -> dict[str, Any]:
    return {"pk": pk}


class Callable:
    async def __call__(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse()


class Hello(View):
    async def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse()


def test_view_styles() -> None:
    assert view_style(sync_view) is ViewStyle.SYNC
    assert view_style(async_view) is ViewStyle.ASYNC
    assert view_style(Callable()) is ViewStyle.ASYNC
    assert view_style(Hello.as_view()) is ViewStyle.ASYNC
    assert view_style(starlette_view) is ViewStyle.FASTAPI
    assert view_style(keyword_only) is ViewStyle.FASTAPI
    assert view_style(typed) is ViewStyle.FASTAPI
    assert view_style(max) is ViewStyle.SYNC  # no signature: called as Django would


def test_marked_sync_wrapper_of_an_async_view_is_async() -> None:
    @functools.wraps(async_view)
    def wrapper(request: HttpRequest, pk: int) -> Any:
        return async_view(request, pk)

    assert view_style(wrapper) is ViewStyle.SYNC
    assert view_style(markcoroutinefunction(wrapper)) is ViewStyle.ASYNC


def test_starlette_request_annotations_in_every_form() -> None:
    def view(request):  # type: ignore[no-untyped-def]
        return None

    for annotation in (Request, "Request", "'starlette.requests.Request'", "WebSocket"):
        view.__annotations__ = {"request": annotation}
        assert view_style(view) is ViewStyle.FASTAPI, annotation
    view.__annotations__ = {"request": HttpRequest}
    assert view_style(view) is ViewStyle.SYNC


def untyped(pk, slug, ident):  # type: ignore[no-untyped-def]
    return {"pk": pk, "slug": slug, "ident": str(ident)}


async def untyped_async(pk):  # type: ignore[no-untyped-def]
    return {"pk": pk}


class HexConverter:
    regex = "[0-9a-f]+"

    def to_python(self, value: str) -> bytes:
        return bytes.fromhex(value)


class BrokenHints:
    regex = "x"

    def to_python(self, value: NotAType) -> AlsoMissing:  # type: ignore[name-defined]  # noqa: F821
        return value


def test_fastapi_endpoint_types_parameters_from_converters() -> None:
    converters = {
        "pk": IntConverter(),
        "slug": StringConverter(),
        "ident": UUIDConverter(),
    }
    wrapped = fastapi_endpoint(untyped, converters)
    assert wrapped is not untyped
    annotations = {n: p.annotation for n, p in inspect.signature(wrapped).parameters.items()}
    assert annotations == {"pk": int, "slug": str, "ident": uuid.UUID}
    assert wrapped(1, "a", "b") == {"pk": 1, "slug": "a", "ident": "b"}
    assert anyio.run(fastapi_endpoint(untyped_async, {"pk": IntConverter()}), 3) == {"pk": 3}


def test_fastapi_endpoint_with_custom_converters() -> None:
    def view(data, other):  # type: ignore[no-untyped-def]
        return data

    wrapped = fastapi_endpoint(view, {"data": HexConverter(), "other": BrokenHints()})
    annotations = {n: p.annotation for n, p in inspect.signature(wrapped).parameters.items()}
    assert annotations == {"data": bytes, "other": str}


def test_fastapi_endpoint_keeps_typed_signatures() -> None:
    def view(pk, q=None):  # type: ignore[no-untyped-def]
        return pk

    view.__annotations__ = {"pk": int, "q": str}
    wrapped = fastapi_endpoint(view, {"pk": IntConverter()})
    # Every FastAPI-style view is wrapped (to hand over Django responses), and the
    # wrapper shows FastAPI the very same signature.
    assert inspect.signature(wrapped) == inspect.signature(view)
    assert wrapped(5) == 5
    assert fastapi_endpoint(max, {}) is max  # no signature to read: left alone
    assert fastapi_endpoint(typed, {"pk": IntConverter()}) is not typed  # string annotations


def test_fastapi_endpoint_resolves_string_annotations() -> None:
    def view(pk: int) -> dict[str, int]:  # annotations are strings in this module
        return {"pk": pk}

    wrapped = fastapi_endpoint(view, {})
    assert wrapped.__annotations__ == {"pk": int, "return": dict[str, int]}


def test_endpoint_decorator_options() -> None:
    import pytest

    from fastjango.views.decorators.api import endpoint

    @endpoint("post", status_code=201, tags=["books"])
    def create() -> None:
        return None

    assert create.fastjango_endpoint == {  # type: ignore[attr-defined]
        "methods": ["POST"],
        "status_code": 201,
        "tags": ["books"],
    }
    with pytest.raises(ValueError, match="Unknown HTTP method"):
        endpoint(["FETCH"])
    with pytest.raises(TypeError, match="no 'path' or 'endpoint'"):
        endpoint(path="/x")
    with pytest.raises(TypeError, match="unknown route option.*stauts_code"):
        endpoint(stauts_code=201)
