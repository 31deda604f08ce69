"""``MiddlewareMixin``: Django's base for ``process_request``/``process_response`` middleware."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fastjango.utils.asyncio import sync_to_async
from fastjango.utils.decorators import iscoroutinefunction, markcoroutinefunction

if TYPE_CHECKING:
    from fastjango.http import HttpRequest, HttpResponseBase

__all__ = ["MiddlewareMixin"]


class MiddlewareMixin:
    """Run ``process_request``, then the inner layers, then ``process_response``.

    Given an async ``get_response`` the instance is async (``async_mode``) and runs
    sync hooks in the threadpool; ``async def`` hooks are awaited as they are.
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[..., Any]) -> None:
        if get_response is None:
            raise ValueError("get_response must be provided.")
        self.get_response = get_response
        # With an async get_response no thread is held for the whole request.
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            # Marked here, switched in __call__: dunder methods can't be swapped per instance.
            markcoroutinefunction(self)
        super().__init__()

    def __repr__(self) -> str:
        name = getattr(self.get_response, "__qualname__", type(self.get_response).__name__)
        return f"<{type(self).__qualname__} get_response={name}>"

    def __call__(self, request: HttpRequest) -> Any:
        if self.async_mode:
            return self.__acall__(request)
        response = None
        if hasattr(self, "process_request"):
            response = self.process_request(request)
        response = response or self.get_response(request)
        if hasattr(self, "process_response"):
            response = self.process_response(request, response)
        return response

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        """Do what ``__call__`` does, for an async ``get_response``."""
        response = None
        if hasattr(self, "process_request"):
            response = await _call_hook(self.process_request, request)
        response = response or await self.get_response(request)
        if hasattr(self, "process_response"):
            response = await _call_hook(self.process_response, request, response)
        return response  # type: ignore[no-any-return]


async def _call_hook(hook: Callable[..., Any], *args: Any) -> Any:
    if iscoroutinefunction(hook):
        return await hook(*args)
    return await sync_to_async(hook)(*args)
