"""Every endpoint of a urlconf as one flat list: for OpenAPI, ``show_urls`` and friends.

Import ``flatten_patterns`` and ``URLEndpoint`` from ``fastjango.urls.resolvers``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.urls.converters import Converter
from fastjango.urls.patterns import _PARAMETER_RE, RoutePattern
from fastjango.urls.resolvers import Pattern, URLMount, URLPattern, URLResolver, _join_route
from fastjango.utils.regex_helper import normalize

__all__ = ["URLEndpoint", "flatten_patterns"]


@dataclass(frozen=True)
class URLEndpoint:
    """One endpoint (or ASGI mount) of a urlconf, with its include() prefixes applied.

    ``path_format`` is the absolute path in Starlette/OpenAPI style:
    ``books/<int:pk>/`` under ``library/`` gives ``"/library/books/{pk}/"``
    (re_path groups become ``{name}``, positional ones ``{_0}``, ``{_1}``, ...).
    For a mount it is the prefix without its trailing slash (``"/api"``, or
    ``""`` at the root), as ``APIRouter``/``Mount`` prefixes are written.
    ``route`` is the Django route, prefixes joined: ``"library/books/<int:pk>/"``.
    """

    path_format: str
    route: str
    converters: Mapping[str, Converter]
    pattern: URLPattern | None
    callback: Any
    name: str | None
    namespace: str | None
    default_args: Mapping[str, Any]
    is_mount: bool

    @property
    def qualified_name(self) -> str | None:
        """The name reverse() takes, e.g. ``"library:book-detail"``; None when unnamed."""
        if self.name is None:
            return None
        return f"{self.namespace}:{self.name}" if self.namespace else self.name

    @property
    def lookup_str(self) -> str:
        """The dotted path of the view (or of the mounted app's class)."""
        if self.pattern is not None:
            return self.pattern.lookup_str
        app_type = type(self.callback)
        return f"{app_type.__module__}.{app_type.__qualname__}"


def flatten_patterns(resolver: URLResolver) -> Iterator[URLEndpoint]:
    """Yield every endpoint and ASGI mount under ``resolver``, in resolution order."""
    yield from _walk(resolver, _format_piece(resolver.pattern), "", {}, {}, ())


def _walk(
    resolver: URLResolver,
    path_format: str,
    route: str,
    converters: dict[str, Converter],
    defaults: dict[str, Any],
    namespaces: tuple[str, ...],
) -> Iterator[URLEndpoint]:
    namespace = ":".join(namespaces) or None
    for entry in resolver.url_patterns:
        if not isinstance(entry, URLPattern | URLResolver | URLMount):
            raise ImproperlyConfigured(
                f"Your URL pattern {entry!r} is invalid. Ensure that urlpatterns is a list "
                "of path() and/or re_path() instances."
            )
        entry_format = path_format + _format_piece(entry.pattern)
        entry_route = _join_route(route, str(entry.pattern))
        entry_converters = {**converters, **entry.pattern.converters}
        if isinstance(entry, URLPattern):
            yield URLEndpoint(
                path_format=entry_format,
                route=entry_route,
                converters=entry_converters,
                pattern=entry,
                callback=entry.callback,
                name=entry.name,
                namespace=namespace,
                default_args={**defaults, **entry.default_args},
                is_mount=False,
            )
        elif isinstance(entry, URLMount):
            yield URLEndpoint(
                path_format=entry_format.removesuffix("/"),
                route=entry_route,
                converters=entry_converters,
                pattern=None,
                callback=entry.app,
                name=None,
                namespace=namespace,
                default_args={**defaults, **entry.default_kwargs},
                is_mount=True,
            )
        else:
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(
                entry,
                entry_format,
                entry_route,
                entry_converters,
                {**defaults, **entry.default_kwargs},
                inner,
            )


def _format_piece(pattern: Pattern) -> str:
    """Return a pattern's part of the path format, parameters as ``{name}``."""
    if isinstance(pattern, RoutePattern):
        return str(_PARAMETER_RE.sub(lambda found: "{" + found["parameter"] + "}", str(pattern)))
    source = pattern.regex.pattern
    try:
        forms = normalize(source)
    except ValueError:
        forms = [("", [])]
    if forms == [("", [])] and source.strip("^$"):
        # Not reversible (e.g. alternation): show the regex itself.
        return source.removeprefix("^").removesuffix("$")
    # The fullest form shows every parameter; on a tie the first (shortest) wins.
    fmt, params = max(forms, key=lambda form: len(form[1]))
    return fmt % {param: "{" + param + "}" for param in params}
