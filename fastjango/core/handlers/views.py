"""Tell a Django-style view from a FastAPI-style one, and prepare the latter for FastAPI."""

from __future__ import annotations

import enum
import functools
import inspect
import typing
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from starlette.responses import Response as StarletteResponse
from starlette.types import Receive, Scope, Send

from fastjango.utils.decorators import iscoroutinefunction

__all__ = ["ViewStyle", "fastapi_endpoint", "view_style"]


class ViewStyle(enum.Enum):
    """How the dispatcher calls a view."""

    SYNC = "sync"  # Django-style ``def view(request, ...)``: runs in the threadpool
    ASYNC = "async"  # Django-style ``async def view(request, ...)``: runs on the loop
    FASTAPI = "fastapi"  # typed parameters, Depends, Pydantic bodies: runs as an APIRoute


def _is_starlette_request(annotation: Any) -> bool:
    from starlette.requests import HTTPConnection

    if isinstance(annotation, str):
        name = annotation.strip("'\"").rsplit(".", 1)[-1]
        return name in {"Request", "HTTPConnection", "WebSocket"}
    return isinstance(annotation, type) and issubclass(annotation, HTTPConnection)


def _is_async(view: Callable[..., Any]) -> bool:
    # Honours markcoroutinefunction(), which decorators of async views use.
    return iscoroutinefunction(view) or iscoroutinefunction(
        getattr(view, "__call__", None)  # noqa: B004 - callable instances
    )


def view_style(view: Callable[..., Any]) -> ViewStyle:
    """Return the style of ``view``: Django-style views take ``request`` first."""
    if getattr(view, "view_class", None) is not None:
        return ViewStyle.ASYNC if _is_async(view) else ViewStyle.SYNC
    try:
        parameters = list(inspect.signature(view).parameters.values())
    except (TypeError, ValueError):
        return ViewStyle.ASYNC if _is_async(view) else ViewStyle.SYNC
    if (
        parameters
        and parameters[0].name == "request"
        and parameters[0].kind
        in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        and not _is_starlette_request(parameters[0].annotation)
    ):
        return ViewStyle.ASYNC if _is_async(view) else ViewStyle.SYNC
    return ViewStyle.FASTAPI


def _converter_type(converter: Any) -> Any:
    name = type(converter).__name__
    if name == "IntConverter":
        return int
    if name == "UUIDConverter":
        return uuid.UUID
    try:
        hints = typing.get_type_hints(converter.to_python)
    except Exception:
        return str
    return hints.get("return", str)


def fastapi_endpoint(view: Callable[..., Any], converters: Mapping[str, Any]) -> Callable[..., Any]:
    """Return ``view``, with URL parameters it leaves unannotated typed from their converters.

    ``<int:pk>`` thus reaches FastAPI (and the OpenAPI schema) as ``pk: int``. The view
    itself is never modified; a thin wrapper carries the completed signature.
    """
    try:
        signature = inspect.signature(view, eval_str=True)
    except (NameError, TypeError, ValueError):
        return view
    parameters = []
    for parameter in signature.parameters.values():
        if parameter.name in converters and parameter.annotation is inspect.Parameter.empty:
            parameter = parameter.replace(annotation=_converter_type(converters[parameter.name]))
        parameters.append(parameter)
    # A FastAPI-style view may still return a Django HttpResponse: FastAPI sends
    # Starlette Responses as they are, so the wrapper hands it over as one.
    return_annotation = signature.return_annotation
    if _is_http_response_class(return_annotation):
        return_annotation = StarletteResponse
    wrapper: Callable[..., Any]
    if inspect.iscoroutinefunction(view):

        @functools.wraps(view)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            return _as_starlette(await view(*args, **kwargs))

        wrapper = async_wrapper
    else:

        @functools.wraps(view)
        def sync_wrapper(*args: Any, **kwargs: Any) -> Any:
            return _as_starlette(view(*args, **kwargs))

        wrapper = sync_wrapper
    target: Any = wrapper
    target.__signature__ = signature.replace(
        parameters=parameters, return_annotation=return_annotation
    )
    # FastAPI would re-evaluate string annotations in the wrapper's module: give it real ones.
    wrapper.__annotations__ = {
        p.name: p.annotation for p in parameters if p.annotation is not inspect.Parameter.empty
    }
    if return_annotation is not inspect.Signature.empty:
        wrapper.__annotations__["return"] = return_annotation
    return wrapper


class _DjangoResponse(StarletteResponse):
    """A Django-style response returned by a FastAPI-style view, sent as it is."""

    def __init__(self, response: Any) -> None:
        super().__init__(status_code=response.status_code)
        self.django_response = response

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.django_response(scope, receive, send)
        if self.background is not None:
            await self.background()


def _as_starlette(result: Any) -> Any:
    from fastjango.http import HttpResponseBase

    if isinstance(result, HttpResponseBase):
        return _DjangoResponse(result)
    return result


def _is_http_response_class(annotation: Any) -> bool:
    from fastjango.http import HttpResponseBase

    return isinstance(annotation, type) and issubclass(annotation, HttpResponseBase)
