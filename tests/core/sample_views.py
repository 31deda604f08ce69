"""Views of every style, for the request-path tests."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from fastjango.core.exceptions import PermissionDenied, SuspiciousOperation
from fastjango.http import Http404, HttpRequest, HttpResponse, JsonResponse
from fastjango.views.decorators.api import endpoint
from fastjango.views.generic import View


def sync_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"sync {request.method} {request.path}")


async def async_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"async {request.method} {request.path}")


def echo_post(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"name": request.POST.get("name"), "body": len(request.body)})


async def async_echo_post(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"name": request.POST.get("name"), "body": len(request.body)})


def book_detail(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(
        {"pk": pk, "type": type(pk).__name__, "name": request.resolver_match.url_name}
    )


def raises_404(request: HttpRequest) -> HttpResponse:
    raise Http404("No such book")


def raises_403(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def raises_400(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("bad thing")


def raises_500(request: HttpRequest) -> HttpResponse:
    raise ValueError("boom in view")


def returns_none(request: HttpRequest) -> None:
    return None


async def returns_coroutine(request: HttpRequest) -> object:
    async def inner() -> HttpResponse:
        return HttpResponse()

    return inner()


class Greeting(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("hello from get")

    def post(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("hello from post")


class Item(BaseModel):
    name: str
    price: float


def api_item(item_id: int, q: str | None = None) -> dict[str, object]:
    return {"item_id": item_id, "q": q}


def untyped_item(pk):  # type: ignore[no-untyped-def]  # typed by the URL converter
    return {"pk": pk}


@endpoint(methods=["POST"], status_code=201)
async def create_item(item: Item) -> Item:
    return item


def get_token() -> str:
    return "token-123"


async def with_dependency(token: str = Depends(get_token)) -> dict[str, str]:
    return {"token": token}


async def starlette_style(request: Request) -> PlainTextResponse:
    return PlainTextResponse(f"starlette request {request.url.path}")


router = APIRouter()


@router.get("/ping")
async def ping() -> dict[str, str]:
    return {"ping": "pong"}


@router.get("/items/{item_id}")
async def router_item(item_id: int) -> dict[str, int]:
    return {"item_id": item_id}


async def sub_homepage(request: Request) -> PlainTextResponse:
    return PlainTextResponse(f"sub {request.url.path} root={request.scope['root_path']}")


sub_app = Starlette(routes=[Route("/", sub_homepage), Route("/page", sub_homepage)])


def custom_404(request: HttpRequest, exception: Exception) -> HttpResponse:
    return HttpResponse(f"custom 404: {exception}", status=404)


def api_returns_django_response(item_id: int) -> HttpResponse:
    response = HttpResponse(f"plain {item_id}", content_type="text/plain", status=202)
    response["X-From"] = "django"
    return response


async def missing_file_app(scope: object, receive: object, send: object) -> None:
    from starlette.exceptions import HTTPException

    raise HTTPException(status_code=404, detail="no such file")
