"""``MiddlewareMixin``: Django's base for middleware with ``process_request``/``process_response``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fastjango.utils.asyncio import sync_to_async
from fastjango.utils.decorators import iscoroutinefunction, markcoroutinefunction

if TYPE_CHECKING:
    from fastjango.http import HttpRequest, HttpResponseBase

__all__ = ["MiddlewareMixin"]


class MiddlewareMixin:
    """Run ``process_request`` then the view then ``process_response``, sync or async."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[..., Any]) -> None:
        if get_response is None:
            raise ValueError("get_response must be provided.")
        self.get_response = get_response
        self._is_async = iscoroutinefunction(get_response)
        if self._is_async:
            markcoroutinefunction(self)

    def __repr__(self) -> str:
        name = getattr(self.get_response, "__qualname__", type(self.get_response).__qualname__)
        return f"<{type(self).__qualname__} get_response={name}>"

    def __call__(self, request: HttpRequest) -> Any:
        if self._is_async:
            return self.__acall__(request)
        response = None
        if hasattr(self, "process_request"):
            response = self.process_request(request)
        response = response or self.get_response(request)
        if hasattr(self, "process_response"):
            response = self.process_response(request, response)
        return response

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        response = None
        if hasattr(self, "process_request"):
            response = await sync_to_async(self.process_request)(request)
        response = response or await self.get_response(request)
        if hasattr(self, "process_response"):
            response = await sync_to_async(self.process_response)(request, response)
        return response  # type: ignore[no-any-return]
