"""Functions for use in URLconfs: ``path()``, ``re_path()`` and ``include()``."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from types import ModuleType
from typing import Any

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.urls.patterns import RegexPattern, RoutePattern
from fastjango.urls.resolvers import URLMount, URLPattern, URLResolver
from fastjango.utils.functional import Promise

__all__ = ["include", "path", "re_path"]

# What include() returns: (urlconf module or patterns or ASGI app, app_name, namespace).
IncludeResult = tuple[Any, str | None, str | None]


def include(arg: Any, namespace: str | None = None) -> IncludeResult:
    """Include another URLconf under a ``path()``/``re_path()`` prefix.

    ``arg`` is a dotted module path, a module, a list of patterns, or a
    ``(patterns, app_name)`` tuple; the included module's ``app_name`` sets the
    application namespace and ``namespace`` the instance namespace. FastJango
    also takes an ASGI app, such as a FastAPI ``APIRouter``, and mounts it: every
    path under the prefix goes to the app.
    """
    app_name = None
    if isinstance(arg, tuple):
        try:
            urlconf_module, app_name = arg
        except ValueError:
            if namespace:
                raise ImproperlyConfigured(
                    "Cannot override the namespace for a dynamic module that provides a namespace."
                ) from None
            raise ImproperlyConfigured(
                f"Passing a {len(arg)}-tuple to include() is not supported. Pass a 2-tuple "
                "containing the list of patterns and app_name, and provide the namespace "
                "argument to include() instead."
            ) from None
    else:
        urlconf_module = arg

    if _is_asgi_app(urlconf_module):
        if app_name or namespace:
            raise ImproperlyConfigured(
                f"include() of the ASGI application {urlconf_module!r} takes no app_name or "
                "namespace: its routes are not reversible with reverse(). Remove them, and "
                "use the app's own URL building (e.g. APIRouter.url_path_for())."
            )
        return (urlconf_module, None, None)

    if isinstance(urlconf_module, str):
        urlconf_module = import_module(urlconf_module)
    app_name = getattr(urlconf_module, "app_name", app_name)
    if namespace and not app_name:
        raise ImproperlyConfigured(
            "Specifying a namespace in include() without providing an app_name is not "
            "supported. Set the app_name attribute in the included module, or pass a 2-tuple "
            "containing the list of patterns and app_name instead."
        )
    return (urlconf_module, app_name, namespace or app_name)


def _is_asgi_app(obj: Any) -> bool:
    """Return whether include() should mount ``obj`` rather than read patterns from it."""
    return (
        callable(obj)
        and not isinstance(obj, str | list | tuple | ModuleType)
        and not hasattr(obj, "urlpatterns")
    )


def path(
    route: Any,
    view: Callable[..., Any] | IncludeResult | list[Any],
    kwargs: dict[str, Any] | None = None,
    name: str | None = None,
) -> URLPattern | URLResolver | URLMount:
    """Return a URL pattern for a ``"books/<int:pk>/"`` route to a view or an ``include()``.

    ``kwargs`` are passed to the view (and override captured values); ``name``
    is what ``reverse()`` and ``{{ url() }}`` look up.
    """
    return _path(route, view, kwargs, name, RoutePattern)


def re_path(
    route: Any,
    view: Callable[..., Any] | IncludeResult | list[Any],
    kwargs: dict[str, Any] | None = None,
    name: str | None = None,
) -> URLPattern | URLResolver | URLMount:
    """Return a URL pattern for a regular expression, as ``path()`` does for a route.

    Named groups are passed as keyword arguments, other groups as positional ones.
    """
    return _path(route, view, kwargs, name, RegexPattern)


def _path(
    route: Any,
    view: Any,
    kwargs: dict[str, Any] | None,
    name: str | None,
    pattern_class: type[RoutePattern] | type[RegexPattern],
) -> URLPattern | URLResolver | URLMount:
    if kwargs is not None and not isinstance(kwargs, dict):
        raise TypeError(f"kwargs argument must be a dict, but got {type(kwargs).__name__}.")
    if not isinstance(route, str | Promise):
        raise TypeError(
            f"{pattern_class.__name__.removesuffix('Pattern').lower()} argument must be a string "
            f"(e.g. 'articles/<int:year>/'), but got {type(route).__name__}: {route!r}."
        )
    if name is not None and not isinstance(name, str):
        raise TypeError(f"name argument must be a string, but got {type(name).__name__}.")
    if isinstance(view, list | tuple):
        pattern = pattern_class(route, is_endpoint=False)
        urlconf_module, app_name, namespace = view
        if _is_asgi_app(urlconf_module):
            return URLMount(pattern, urlconf_module, kwargs)
        return URLResolver(pattern, urlconf_module, kwargs, app_name=app_name, namespace=namespace)
    if callable(view):
        pattern = pattern_class(route, name=name, is_endpoint=True)
        return URLPattern(pattern, view, kwargs, name)
    if hasattr(type(view), "as_view"):
        cls_name = type(view).__name__
        raise TypeError(f"view must be a callable, pass {cls_name}.as_view(), not {cls_name}().")
    raise TypeError("view must be a callable or a list/tuple in the case of include().")
