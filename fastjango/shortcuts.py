"""Shortcuts: render, redirect, get_object_or_404, get_list_or_404 and resolve_url."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from fastjango.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from fastjango.utils.functional import Promise

if TYPE_CHECKING:
    from fastjango.http import HttpRequest

__all__ = [
    "aget_list_or_404",
    "aget_object_or_404",
    "get_list_or_404",
    "get_object_or_404",
    "redirect",
    "render",
    "resolve_url",
]


def render(
    request: HttpRequest | None,
    template_name: str | Sequence[str],
    context: dict[str, Any] | None = None,
    content_type: str | None = None,
    status: int | None = None,
    using: str | None = None,
) -> HttpResponse:
    """Render a template (the first existing one, given a list) into an ``HttpResponse``."""
    from fastjango.template.loader import render_to_string

    content = render_to_string(template_name, context, request, using=using)
    return HttpResponse(content, content_type, status)


def redirect(
    to: Any, *args: Any, permanent: bool = False, preserve_request: bool = False, **kwargs: Any
) -> HttpResponseRedirect | HttpResponsePermanentRedirect:
    """Redirect to a model's ``get_absolute_url()``, a view name (with arguments) or a URL.

    ``permanent`` gives a 301 instead of a 302; ``preserve_request`` keeps the
    method and body (307/308).
    """
    redirect_class = HttpResponsePermanentRedirect if permanent else HttpResponseRedirect
    return redirect_class(resolve_url(to, *args, **kwargs), preserve_request=preserve_request)


def _get_queryset(klass: Any) -> Any:
    # A model class (or anything with a default manager) gives its manager's queryset.
    if hasattr(klass, "_default_manager"):
        return klass._default_manager.all()
    return klass


def _class_name(klass: Any) -> str:
    return klass.__name__ if isinstance(klass, type) else type(klass).__name__


def _not_found(queryset: Any) -> Http404:
    return Http404(f"No {queryset.model._meta.object_name} matches the given query.")


def get_object_or_404(klass: Any, *args: Any, **kwargs: Any) -> Any:
    """Return ``klass``'s object matching the lookups, or raise ``Http404``.

    ``klass`` is a model, a manager or a queryset; the lookups are ``get()``'s.
    """
    queryset = _get_queryset(klass)
    if not hasattr(queryset, "get"):
        raise ValueError(
            "First argument to get_object_or_404() must be a Model, Manager, or QuerySet, "
            f"not '{_class_name(klass)}'."
        )
    try:
        return queryset.get(*args, **kwargs)
    except queryset.model.DoesNotExist:
        raise _not_found(queryset) from None


async def aget_object_or_404(klass: Any, *args: Any, **kwargs: Any) -> Any:
    """Async ``get_object_or_404()``, with ``aget()``."""
    queryset = _get_queryset(klass)
    if not hasattr(queryset, "aget"):
        raise ValueError(
            "First argument to aget_object_or_404() must be a Model, Manager, or QuerySet, "
            f"not '{_class_name(klass)}'."
        )
    try:
        return await queryset.aget(*args, **kwargs)
    except queryset.model.DoesNotExist:
        raise _not_found(queryset) from None


def get_list_or_404(klass: Any, *args: Any, **kwargs: Any) -> list[Any]:
    """Return the list of ``klass``'s objects matching the filters; raise ``Http404`` if empty."""
    queryset = _get_queryset(klass)
    if not hasattr(queryset, "filter"):
        raise ValueError(
            "First argument to get_list_or_404() must be a Model, Manager, or QuerySet, "
            f"not '{_class_name(klass)}'."
        )
    obj_list = list(queryset.filter(*args, **kwargs))
    if not obj_list:
        raise _not_found(queryset)
    return obj_list


async def aget_list_or_404(klass: Any, *args: Any, **kwargs: Any) -> list[Any]:
    """Async ``get_list_or_404()``, iterating the queryset with ``async for``."""
    queryset = _get_queryset(klass)
    if not hasattr(queryset, "filter"):
        raise ValueError(
            "First argument to aget_list_or_404() must be a Model, Manager, or QuerySet, "
            f"not '{_class_name(klass)}'."
        )
    obj_list = [obj async for obj in queryset.filter(*args, **kwargs)]
    if not obj_list:
        raise _not_found(queryset)
    return obj_list


def resolve_url(to: Any, *args: Any, **kwargs: Any) -> str:
    """Return a URL for ``to``: a model (``get_absolute_url()``), a view name or a URL.

    A view name or view function is reversed with ``args``/``kwargs``; a
    string that does not reverse but looks like a URL (has ``/`` or ``.``) is
    returned as is; ``./`` and ``../`` paths are returned untouched.
    """
    from fastjango.urls import NoReverseMatch, reverse

    if hasattr(to, "get_absolute_url"):
        url: str = to.get_absolute_url()
        return url
    if isinstance(to, Promise):
        # urlsplit() and friends choke on lazy strings.
        to = str(to)
    if isinstance(to, str) and to.startswith(("./", "../")):
        return to
    if not isinstance(to, str) and not callable(to):
        raise TypeError(
            "redirect() and resolve_url() take a URL, a URL pattern name, a view, or an "
            f"object with get_absolute_url(), not {type(to).__name__}: {to!r}."
        )
    try:
        return reverse(to, args=args, kwargs=kwargs)
    except NoReverseMatch:
        if callable(to):
            raise
        if "/" not in to and "." not in to:
            raise
    return str(to)
