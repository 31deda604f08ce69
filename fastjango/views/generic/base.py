"""Class-based views: ``View``, ``TemplateView``, ``RedirectView`` and their mixins."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.http import (
    HttpResponse,
    HttpResponseGone,
    HttpResponseNotAllowed,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from fastjango.utils.decorators import classonlymethod
from fastjango.utils.functional import classproperty

if TYPE_CHECKING:
    from fastjango.http import HttpRequest

__all__ = ["ContextMixin", "RedirectView", "TemplateResponseMixin", "TemplateView", "View"]

logger = logging.getLogger("fastjango.request")


async def _awaitable(value: Any) -> Any:
    return value


class ContextMixin:
    """Provide ``get_context_data()``: the view's kwargs, ``view`` and ``extra_context``."""

    extra_context: dict[str, Any] | None = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("view", self)
        if self.extra_context is not None:
            kwargs.update(self.extra_context)
        return kwargs


class View:
    """The base class-based view: dispatch each HTTP method to the method of that name.

    Handlers (``get``, ``post``...) must be all sync or all async; ``as_view()``
    returns a coroutine function for an async view.
    """

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options", "trace"]

    def __init__(self, **kwargs: Any) -> None:
        # Set by as_view() from its initkwargs; validated there.
        for key, value in kwargs.items():
            setattr(self, key, value)

    @classproperty
    def view_is_async(cls: type[View]) -> bool:
        """Return whether the handlers are async; raise if sync and async are mixed."""
        handlers = [
            getattr(cls, method)
            for method in cls.http_method_names
            if method != "options" and hasattr(cls, method)
        ]
        if not handlers:
            return False
        is_async = inspect.iscoroutinefunction(handlers[0])
        if not all(inspect.iscoroutinefunction(h) == is_async for h in handlers[1:]):
            raise ImproperlyConfigured(
                f"{cls.__qualname__} HTTP handlers must either be all sync or all async."
            )
        return is_async

    @classonlymethod
    def as_view(cls: type[View], /, **initkwargs: Any) -> Callable[..., Any]:
        """Return the view function: a new instance per request, then ``dispatch()``."""
        for key in initkwargs:
            if key in cls.http_method_names:
                raise TypeError(
                    f"The method name {key} is not accepted as a keyword argument to "
                    f"{cls.__name__}()."
                )
            if not hasattr(cls, key):
                raise TypeError(
                    f"{cls.__name__}() received an invalid keyword {key!r}. as_view only "
                    "accepts arguments that are already attributes of the class."
                )

        def make(request: HttpRequest, args: tuple[Any, ...], kwargs: dict[str, Any]) -> View:
            self = cls(**initkwargs)
            self.setup(request, *args, **kwargs)
            if not hasattr(self, "request"):
                raise AttributeError(
                    f"{cls.__name__} instance has no 'request' attribute. Did you override "
                    "setup() and forget to call super()?"
                )
            return self

        view: Any
        if cls.view_is_async:

            async def async_view(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
                response = make(request, args, kwargs).dispatch(request, *args, **kwargs)
                # A mixin's sync dispatch() may answer directly instead of awaiting a handler.
                if inspect.isawaitable(response):
                    response = await response
                return response

            view = async_view
        else:

            def sync_view(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
                return make(request, args, kwargs).dispatch(request, *args, **kwargs)

            view = sync_view

        view.view_class = cls
        view.view_initkwargs = initkwargs
        # __name__ and __qualname__ stay as they are: view_class names the view reliably.
        view.__doc__ = cls.__doc__
        view.__module__ = cls.__module__
        view.__annotations__ = cls.dispatch.__annotations__
        # Carry attributes that decorators set on dispatch (e.g. csrf_exempt).
        view.__dict__.update(cls.dispatch.__dict__)
        result: Callable[..., Any] = view
        return result

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        """Initialise ``request``, ``args`` and ``kwargs`` on the instance."""
        if hasattr(self, "get") and not hasattr(self, "head"):
            self.head = self.get
        self.request = request
        self.args = args
        self.kwargs = kwargs

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        """Call the handler for the request's method, or ``http_method_not_allowed``."""
        method = (request.method or "").lower()
        if method in self.http_method_names:
            handler = getattr(self, method, self.http_method_not_allowed)
        else:
            handler = self.http_method_not_allowed
        return handler(request, *args, **kwargs)

    def http_method_not_allowed(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        """Answer 405 with an Allow header listing the methods this view has."""
        logger.warning(
            "Method Not Allowed (%s): %s",
            request.method,
            request.path,
            extra={"status_code": 405, "request": request},
        )
        response = HttpResponseNotAllowed(self._allowed_methods())
        if self.view_is_async:
            return _awaitable(response)
        return response

    def options(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        """Answer an OPTIONS request with the allowed methods."""
        response = HttpResponse()
        response.headers["Allow"] = ", ".join(self._allowed_methods())
        response.headers["Content-Length"] = "0"
        if self.view_is_async:
            return _awaitable(response)
        return response

    def _allowed_methods(self) -> list[str]:
        return [m.upper() for m in self.http_method_names if hasattr(self, m)]


class _LazyTemplateResponse:
    # TemplateResponse is imported on first use, keeping the template engine out of
    # `import fastjango.views`; a subclass may still set response_class to anything.
    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        from fastjango.template.response import TemplateResponse

        return TemplateResponse


class TemplateResponseMixin:
    """Render a template into a ``TemplateResponse`` (``response_class``)."""

    template_name: str | None = None
    template_engine: str | None = None
    response_class: Any = _LazyTemplateResponse()
    content_type: str | None = None
    request: HttpRequest

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> Any:
        """Return a response rendering ``get_template_names()`` with ``context``."""
        response_kwargs.setdefault("content_type", self.content_type)
        return self.response_class(
            request=self.request,
            template=self.get_template_names(),
            context=context,
            using=self.template_engine,
            **response_kwargs,
        )

    def get_template_names(self) -> list[str]:
        """Return the template names to try, in order: ``[template_name]`` by default."""
        if self.template_name is None:
            raise ImproperlyConfigured(
                "TemplateResponseMixin requires either a definition of 'template_name' or an "
                "implementation of 'get_template_names()'"
            )
        return [self.template_name]


class TemplateView(TemplateResponseMixin, ContextMixin, View):
    """Render a template; the URL's keyword arguments are in the context."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context)


class RedirectView(View):
    """Redirect to ``url`` (``%``-formatted with the URL kwargs) or to ``pattern_name``.

    Answer 410 Gone when there is nowhere to go.
    """

    permanent = False
    url: str | None = None
    pattern_name: str | None = None
    query_string = False

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str | None:
        """Return the URL to redirect to, or ``None`` for a 410 Gone."""
        if self.url:
            url = self.url % kwargs
        elif self.pattern_name:
            from fastjango.urls import reverse

            url = reverse(self.pattern_name, args=args, kwargs=kwargs)
        else:
            return None
        query = self.request.META.get("QUERY_STRING", "")
        if query and self.query_string:
            url = f"{url}?{query}"
        return url

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        url = self.get_redirect_url(*args, **kwargs)
        if url:
            if self.permanent:
                return HttpResponsePermanentRedirect(url)
            return HttpResponseRedirect(url)
        logger.warning("Gone: %s", request.path, extra={"status_code": 410, "request": request})
        return HttpResponseGone()

    def head(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.get(request, *args, **kwargs)

    def options(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.get(request, *args, **kwargs)

    def delete(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.get(request, *args, **kwargs)

    def put(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.get(request, *args, **kwargs)

    def patch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.get(request, *args, **kwargs)
