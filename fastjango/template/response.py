"""Responses rendered late: ``SimpleTemplateResponse`` and ``TemplateResponse``.

The template and context stay on the response until it is rendered, so
decorators and middleware can still change them. The request handler
renders the response; if it reaches the ASGI layer unrendered, it renders
itself (in a worker thread, since context processors may do blocking I/O).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from fastjango.http import HttpResponse
from fastjango.template.loader import get_template, select_template
from fastjango.utils.asyncio import sync_to_async

if TYPE_CHECKING:
    from starlette.types import Receive, Scope, Send

    from fastjango.http import HttpRequest

__all__ = ["ContentNotRenderedError", "SimpleTemplateResponse", "TemplateResponse"]


class ContentNotRenderedError(Exception):
    """The response's content was needed before the response was rendered."""


class SimpleTemplateResponse(HttpResponse):
    """A response holding a template and a context, rendered on ``render()``."""

    rendering_attrs = ["template_name", "context_data", "_post_render_callbacks"]

    def __init__(
        self,
        template: Any,
        context: Any = None,
        content_type: str | None = None,
        status: int | None = None,
        charset: str | None = None,
        using: str | None = None,
        headers: Any = None,
    ) -> None:
        # template_name may be a name, a list of names or a template object.
        self.template_name = template
        self.context_data = context
        self.using = using
        self._post_render_callbacks: list[Callable[[Any], Any]] = []
        self._request: HttpRequest | None = None
        # HttpResponse sets content, which marks the response rendered: undo that.
        super().__init__("", content_type, status, charset=charset, headers=headers)
        self._is_rendered = False

    def __getstate__(self) -> dict[str, Any]:
        """Return the state to pickle: the rendered response without its template data."""
        if not self._is_rendered:
            raise ContentNotRenderedError(
                "The response content must be rendered before it can be pickled."
            )
        state = super().__getstate__()
        for attr in self.rendering_attrs:
            state.pop(attr, None)
        return state

    def resolve_template(self, template: Any) -> Any:
        """Return a template for a name, a list of names, or a template object."""
        if isinstance(template, list | tuple):
            return select_template(template, using=self.using)
        if isinstance(template, str):
            return get_template(template, using=self.using)
        return template

    def resolve_context(self, context: Any) -> Any:
        """Return the context to render with; override to adapt it."""
        return context

    @property
    def rendered_content(self) -> str:
        """Return the content rendered now with the current template and context."""
        template = self.resolve_template(self.template_name)
        context = self.resolve_context(self.context_data)
        return str(template.render(context, self._request))

    def add_post_render_callback(self, callback: Callable[[Any], Any]) -> None:
        """Call ``callback(response)`` after rendering (at once if already rendered)."""
        if self._is_rendered:
            callback(self)
        else:
            self._post_render_callbacks.append(callback)

    def render(self) -> Any:
        """Render the content unless already done, then run the post-render callbacks.

        Return the response, or the one a callback returned in its place.
        """
        result: Any = self
        if not self._is_rendered:
            self.content = self.rendered_content
            for callback in self._post_render_callbacks:
                replacement = callback(result)
                if replacement is not None:
                    result = replacement
        return result

    @property
    def is_rendered(self) -> bool:
        """Return whether the content has been rendered."""
        return self._is_rendered

    def __iter__(self) -> Iterator[bytes]:
        if not self._is_rendered:
            raise ContentNotRenderedError(
                "The response content must be rendered before it can be iterated over."
            )
        return super().__iter__()

    @property
    def content(self) -> bytes:
        """Return the rendered content; raise ``ContentNotRenderedError`` before ``render()``."""
        if not self._is_rendered:
            raise ContentNotRenderedError(
                "The response content must be rendered before it can be accessed."
            )
        return HttpResponse.content.fget(self)  # type: ignore[attr-defined,no-any-return]

    @content.setter
    def content(self, value: Any) -> None:
        HttpResponse.content.fset(self, value)  # type: ignore[attr-defined]
        self._is_rendered = True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = self if self._is_rendered else await sync_to_async(self.render)()
        if response is self:
            await super().__call__(scope, receive, send)
        else:
            await response(scope, receive, send)


class TemplateResponse(SimpleTemplateResponse):
    """A ``SimpleTemplateResponse`` that renders with the request (and its context processors)."""

    rendering_attrs = [*SimpleTemplateResponse.rendering_attrs, "_request"]

    def __init__(
        self,
        request: HttpRequest | None,
        template: Any,
        context: Any = None,
        content_type: str | None = None,
        status: int | None = None,
        charset: str | None = None,
        using: str | None = None,
        headers: Any = None,
    ) -> None:
        super().__init__(template, context, content_type, status, charset, using, headers=headers)
        self._request = request
