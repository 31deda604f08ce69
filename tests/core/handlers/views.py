"""Views for the request handler tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from fastjango.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from fastjango.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from fastjango.http.multipartparser import MultiPartParserError
from fastjango.template.response import TemplateResponse
from fastjango.urls import get_script_prefix, reverse
from fastjango.views.decorators.api import endpoint

TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATES = [
    {
        "BACKEND": "fastjango.template.backends.jinja2.Jinja2",
        "DIRS": [TEMPLATE_DIR],
        "OPTIONS": {},
    }
]

# What the views saw, for tests to inspect.
seen: list[Any] = []


def index(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        f"{get_script_prefix()}|{reverse('index')}|{request.path}|{request.path_info}"
    )


def echo(request: HttpRequest) -> JsonResponse:
    body = request.body  # first: a multipart POST can't be read raw once parsed
    return JsonResponse(
        {
            "method": request.method,
            "path": request.path,
            "GET": {k: request.GET.getlist(k) for k in request.GET},
            "POST": {k: request.POST.getlist(k) for k in request.POST},
            "FILES": {k: request.FILES[k].read().decode() for k in request.FILES},
            "body": body.decode("latin-1"),
            "content_type": request.content_type,
            "headers": dict(request.headers),
            "meta": {
                k: v for k, v in request.META.items() if isinstance(v, str | int) and k.isupper()
            },
            "cookies": request.COOKIES,
            "secure": request.is_secure(),
            "host": request.get_host(),
        }
    )


def template_view(request: HttpRequest) -> TemplateResponse:
    return TemplateResponse(request, "page.html", {"word": request.GET.get("word", "sync")})


async def async_template_view(request: HttpRequest) -> TemplateResponse:
    return TemplateResponse(request, "child.html", {"word": "async"})


def broken_template_view(request: HttpRequest) -> TemplateResponse:
    return TemplateResponse(request, "broken.html", {})


def stream(request: HttpRequest) -> StreamingHttpResponse:
    def chunks() -> Iterator[bytes]:
        yield b"one,"
        yield b"two"

    return StreamingHttpResponse(chunks(), content_type="text/plain")


def async_stream(request: HttpRequest) -> StreamingHttpResponse:
    async def chunks() -> AsyncIterator[str]:
        yield "a"
        yield "b"

    return StreamingHttpResponse(chunks(), content_type="text/plain")


def redirect_n(request: HttpRequest, n: int) -> HttpResponse:
    if n <= 0:
        return HttpResponseRedirect("/echo/?done=1")
    return HttpResponseRedirect(f"/redirect/{n - 1}/")


def redirect_loop(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect("/loop/")


def redirect_growing(request: HttpRequest, n: int) -> HttpResponse:
    return HttpResponseRedirect(f"/grow/{n + 1}/")


def redirect_relative(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect("../echo/")


def redirect_absolute(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect("https://testserver/echo/?x=1")


def redirect_other_host(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect("http://elsewhere.example:8080/echo/")


def redirect_307(request: HttpRequest) -> HttpResponse:
    response = HttpResponseRedirect("/echo/?kept=1")
    response.status_code = 307
    return response


def redirect_308(request: HttpRequest) -> HttpResponse:
    response = HttpResponsePermanentRedirect("/echo/")
    response.status_code = 308
    return response


def redirect_to_404(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect("/nowhere/")


def set_cookies(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("set")
    response.set_cookie("flavour", "ginger")
    response.set_cookie("size", "large", max_age=3600)
    return response


def delete_cookie(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("deleted")
    response.delete_cookie("flavour")
    response.set_cookie("size", "small", expires="Thu, 01 Jan 1970 00:00:00 GMT")
    return response


def raise_kind(request: HttpRequest, kind: str) -> HttpResponse:
    errors: dict[str, Exception] = {
        "404": Http404("no such thing"),
        "403": PermissionDenied("not yours"),
        "400": SuspiciousOperation("smells"),
        "bad": BadRequest("malformed"),
        "multipart": MultiPartParserError("broken multipart"),
        "toobig": RequestDataTooBig("way too big"),
        "500": ValueError("boom in view"),
        "chained": _chained(),
    }
    raise errors[kind]


def _chained() -> Exception:
    try:
        try:
            raise KeyError("first")
        except KeyError as exc:
            raise RuntimeError("second") from exc
    except RuntimeError as exc:
        return exc


async def async_raise(request: HttpRequest) -> HttpResponse:
    raise LookupError("async boom")


def secret_local(request: HttpRequest) -> HttpResponse:
    api_token = "-".join(["hide", "me", "please"])  # noqa: F841 - a local the page cleanses
    visible_value = "show-me"  # noqa: F841
    raise ValueError("with locals")


def returns_string(request: HttpRequest) -> Any:
    seen.append(request)
    return None


class Item(BaseModel):
    name: str
    price: float


class ItemOut(BaseModel):
    name: str


def api_item(item_id: int) -> dict[str, Any]:
    if item_id == 0:
        raise HTTPException(status_code=418, detail="teapot")
    if item_id == 13:
        raise ValueError("unlucky")
    return {"item_id": item_id}


@endpoint(methods=["POST"], response_model=ItemOut, status_code=201)
async def api_create(item: Item) -> Any:
    return {"name": item.name, "secret": "not in the model"}


def token() -> str:
    return "tok"


async def api_dep(value: str = Depends(token)) -> dict[str, str]:
    return {"value": value}


router = APIRouter()


@router.get("/ping")
async def ping() -> dict[str, str]:
    return {"ping": "pong"}


async def sub_page(request: Request) -> PlainTextResponse:
    return PlainTextResponse(f"{request.scope['root_path']}|{request.url.path}")


sub_app = Starlette(routes=[Route("/page", sub_page)])


def handler_404_template(request: HttpRequest, exception: Exception) -> TemplateResponse:
    return TemplateResponse(request, "404.html", {"request_path": request.path}, status=404)


def handler_failing(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    raise RuntimeError("the handler failed too")


def handler_403(request: HttpRequest, exception: Exception) -> HttpResponse:
    return HttpResponse(f"custom 403: {exception}", status=403)


def handler_400(request: HttpRequest, exception: Exception) -> HttpResponse:
    return HttpResponse(f"custom 400: {type(exception).__name__}", status=400)


def handler_500(request: HttpRequest) -> HttpResponse:
    return HttpResponse("custom 500", status=500)


def alt_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("from the other urlconf")


class NoneView:
    """A callable instance that forgets to return."""

    def __call__(self, request: HttpRequest) -> None:
        return None


class NoneClassView:
    @classmethod
    def as_view(cls) -> Any:
        def view(request: HttpRequest) -> None:
            return None

        view.view_class = cls  # type: ignore[attr-defined]
        return view
