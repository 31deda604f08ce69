"""Map URL paths to views and views back to paths.

``URLResolver.resolve()`` runs on every request, so matching is split in two:
``_match()`` walks the patterns without building error details or exceptions,
and the ``tried`` list that Django reports is computed only when it is asked
for (a 404, or ``ResolverMatch.tried``).
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Iterator
from functools import cached_property
from importlib import import_module
from pickle import PicklingError
from typing import Any, TypeAlias
from urllib.parse import quote

from fastjango.conf import settings
from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.urls.converters import Converter
from fastjango.urls.exceptions import NoReverseMatch, Resolver404
from fastjango.urls.patterns import RegexPattern, RoutePattern
from fastjango.urls.utils import get_callable
from fastjango.utils.regex_helper import normalize

__all__ = [
    "ResolverMatch",
    "RegexPattern",
    "RoutePattern",
    "URLEndpoint",
    "URLMount",
    "URLPattern",
    "URLResolver",
    "check_resolver",
    "flatten_patterns",
    "get_ns_resolver",
    "get_resolver",
    "validate_urlconf",
]

Pattern: TypeAlias = RoutePattern | RegexPattern

# What a successful _match() returns, innermost level first: (func, args, kwargs,
# url_name, app_names, namespaces, route, captured_kwargs, extra_kwargs, asgi_mount).
# A plain tuple: it is built once per level on every request.
_Hit: TypeAlias = tuple[
    Any,
    tuple[Any, ...],
    dict[str, Any],
    "str | None",
    tuple[str, ...],
    tuple[str, ...],
    str,
    dict[str, Any],
    dict[str, Any],
    "str | None",
]
# One reverse() candidate: (normalized forms, regex source, defaults, converters).
_ReverseEntry: TypeAlias = tuple[
    list[tuple[str, list[str]]], str, dict[str, Any], dict[str, Converter]
]

# Shared, never mutated: the kwargs of a prefix that captures nothing.
_NO_KWARGS: dict[str, Any] = {}

# Characters left unquoted in reversed URLs: RFC 3986 sub-delims plus pchar extras.
RFC3986_SUBDELIMS = "!$&'()*+,;="
_REVERSE_SAFE = RFC3986_SUBDELIMS + "/~:@"


class ResolverMatch:
    """The result of resolving a path: the view, its arguments and where it came from.

    Unpacks as ``func, args, kwargs = match``. ``asgi_mount`` (FastJango) is the
    matched prefix, e.g. ``"/api"``, when the path falls under an ``include()``d
    ASGI app, and None otherwise; a mount at the root gives ``""``.
    """

    def __init__(
        self,
        func: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        url_name: str | None = None,
        app_names: list[str | None] | None = None,
        namespaces: list[str | None] | None = None,
        route: str | None = None,
        tried: list[list[Any]] | None = None,
        captured_kwargs: dict[str, Any] | None = None,
        extra_kwargs: dict[str, Any] | None = None,
        asgi_mount: str | None = None,
    ) -> None:
        self.func = func
        self.args = args
        self.kwargs = kwargs
        self.url_name = url_name
        self.route = route
        self._tried = tried
        self._tried_from: tuple[URLResolver, str] | None = None
        self.captured_kwargs = captured_kwargs
        self.extra_kwargs = extra_kwargs
        self.asgi_mount = asgi_mount
        # Resolvers without an app_name or namespace pass empty values: drop them.
        self.app_names: list[str] = [x for x in app_names if x] if app_names else []
        self.namespaces: list[str] = [x for x in namespaces if x] if namespaces else []

    @property
    def app_name(self) -> str:
        """The application namespaces joined with ``:``, e.g. ``"shop:reviews"``."""
        return ":".join(self.app_names)

    @property
    def namespace(self) -> str:
        """The instance namespaces joined with ``:``."""
        return ":".join(self.namespaces)

    @property
    def tried(self) -> list[list[Any]] | None:
        """The patterns tried before (and including) the one that matched."""
        if self._tried is None and self._tried_from is not None:
            resolver, path = self._tried_from
            self._tried = resolver._collect_tried(path)
            self._tried_from = None
        return self._tried

    @tried.setter
    def tried(self, value: list[list[Any]] | None) -> None:
        self._tried = value
        self._tried_from = None

    @cached_property
    def _func_path(self) -> str:
        func = self.func
        func = getattr(func, "view_class", func)
        if not hasattr(func, "__name__"):
            # A callable instance, e.g. a mounted APIRouter.
            return f"{type(func).__module__}.{type(func).__name__}"
        return f"{func.__module__}.{func.__name__}"

    @cached_property
    def view_name(self) -> str:
        """The namespaced URL name, or the view's dotted path when it has no name."""
        return ":".join([*self.namespaces, self.url_name or self._func_path])

    def __getitem__(self, index: int) -> Any:
        return (self.func, self.args, self.kwargs)[index]

    def __iter__(self) -> Iterator[Any]:
        return iter((self.func, self.args, self.kwargs))

    def __repr__(self) -> str:
        func = repr(self.func) if isinstance(self.func, functools.partial) else self._func_path
        extras = ""
        if self.captured_kwargs:
            extras += f", captured_kwargs={self.captured_kwargs!r}"
        if self.extra_kwargs:
            extras += f", extra_kwargs={self.extra_kwargs!r}"
        if self.asgi_mount is not None:
            extras += f", asgi_mount={self.asgi_mount!r}"
        return (
            f"ResolverMatch(func={func}, args={self.args!r}, kwargs={self.kwargs!r}, "
            f"url_name={self.url_name!r}, app_names={self.app_names!r}, "
            f"namespaces={self.namespaces!r}, route={self.route!r}{extras})"
        )

    def __reduce_ex__(self, protocol: Any) -> Any:
        raise PicklingError(f"Cannot pickle {type(self).__qualname__}.")


def _match_from_hit(hit: _Hit, tried_from: tuple[URLResolver, str] | None = None) -> ResolverMatch:
    # This runs on every request: skip __init__'s argument handling, since a hit
    # already holds only non-empty names.
    match: ResolverMatch = object.__new__(ResolverMatch)
    (
        match.func,
        match.args,
        match.kwargs,
        match.url_name,
        app_names,
        namespaces,
        match.route,
        match.captured_kwargs,
        extra,
        match.asgi_mount,
    ) = hit
    match.app_names = list(app_names)
    match.namespaces = list(namespaces)
    # A copy: at an endpoint this is the pattern's own default_args dict.
    match.extra_kwargs = dict(extra)
    match._tried = None
    match._tried_from = tried_from
    return match


class URLPattern:
    """An endpoint: a pattern and the view it calls."""

    def __init__(
        self,
        pattern: Pattern,
        callback: Callable[..., Any],
        default_args: dict[str, Any] | None = None,
        name: str | None = None,
    ) -> None:
        self.pattern = pattern
        self.callback = callback
        self.default_args = default_args or {}
        self.name = name
        self._route = str(pattern)
        # The path this endpoint matches when that is a plain string: most
        # endpoints, and checked here without calling into the pattern.
        static = getattr(pattern, "_static", None)
        self._exact: str | None = static[0] if static is not None and static[1] else None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.pattern.describe()}>"

    @cached_property
    def lookup_str(self) -> str:
        """The view's dotted path, e.g. ``"shop.views.detail"`` or ``"shop.views.BookView"``."""
        callback: Any = self.callback
        if isinstance(callback, functools.partial):
            callback = callback.func
        if hasattr(callback, "view_class"):
            callback = callback.view_class
        elif not hasattr(callback, "__name__"):
            return f"{callback.__module__}.{type(callback).__name__}"
        return f"{callback.__module__}.{callback.__qualname__}"

    def _match(self, path: str) -> _Hit | None:
        exact = self._exact
        if exact is not None:
            if path != exact:
                return None
            args: tuple[Any, ...] = ()
            captured: dict[str, Any] = {}
        else:
            found = self.pattern.match(path)
            if found is None:
                return None
            args, captured = found[1], found[2]
        defaults = self.default_args
        return (
            self.callback,
            args,
            {**captured, **defaults},
            self.pattern.name,
            (),
            (),
            self._route,
            captured,
            defaults,
            None,
        )

    def resolve(self, path: str) -> ResolverMatch | None:
        """Return the match for ``path``, or None; ``kwargs`` given to path() win."""
        hit = self._match(path)
        return None if hit is None else _match_from_hit(hit)


class URLMount:
    """An ASGI app (a FastAPI ``APIRouter``, Starlette app, ...) ``include()``d under a prefix.

    Every path under the prefix resolves to the app, which answers (or 404s)
    itself; the handler calls it with ``root_path`` extended by the prefix.
    """

    name = None

    def __init__(
        self, pattern: Pattern, app: Any, default_kwargs: dict[str, Any] | None = None
    ) -> None:
        self.pattern = pattern
        self.app = app
        self.default_kwargs = default_kwargs or {}
        self._route = str(pattern)

    def __repr__(self) -> str:
        app = self.app
        label = getattr(app, "__qualname__", None) or type(app).__qualname__
        return f"<{type(self).__name__} {self.pattern.describe()} -> {label}>"

    def _match(self, path: str) -> _Hit | None:
        found = self.pattern.match(path)
        if found is None:
            return None
        rest, args, captured = found
        defaults = self.default_kwargs
        prefix = path[: len(path) - len(rest)].removesuffix("/")
        kwargs = {**captured, **defaults}
        return (self.app, args, kwargs, None, (), (), self._route, captured, defaults, prefix)

    def resolve(self, path: str) -> ResolverMatch | None:
        """Return the match when ``path`` is under the mount's prefix, else None."""
        hit = self._match(path)
        return None if hit is None else _match_from_hit(hit)


class _ReverseDict:
    """Name or view -> reverse() candidates, the last-defined pattern first."""

    __slots__ = ("_data",)

    def __init__(self) -> None:
        self._data: dict[Any, list[_ReverseEntry]] = {}

    def appendlist(self, key: Any, entry: _ReverseEntry) -> None:
        self._data.setdefault(key, []).append(entry)

    def getlist(self, key: Any) -> list[_ReverseEntry]:
        return self._data.get(key, [])

    def lists(self) -> Iterator[tuple[Any, list[_ReverseEntry]]]:
        return iter(self._data.items())

    def __getitem__(self, key: Any) -> _ReverseEntry:
        return self._data[key][-1]

    def __contains__(self, key: Any) -> bool:
        return key in self._data

    def __iter__(self) -> Iterator[Any]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


class _ReverseData:
    """Everything reverse() needs from one resolver, built once."""

    __slots__ = (
        "app_dict",
        "callback_strs",
        "namespace_converters",
        "namespace_dict",
        "reverse_dict",
    )

    def __init__(self) -> None:
        self.reverse_dict = _ReverseDict()
        self.namespace_dict: dict[str, tuple[str, URLResolver]] = {}
        self.namespace_converters: dict[str, dict[str, Converter]] = {}
        self.app_dict: dict[str, list[str]] = {}
        self.callback_strs: set[str] = set()


class URLResolver:
    """A pattern whose matches continue into a list of patterns: ``include()`` and the root."""

    def __init__(
        self,
        pattern: Pattern,
        urlconf_name: Any,
        default_kwargs: dict[str, Any] | None = None,
        app_name: str | None = None,
        namespace: str | None = None,
    ) -> None:
        self.pattern = pattern
        # A dotted module path, a module (or any object) with ``urlpatterns``, or
        # the list of patterns itself.
        self.urlconf_name = urlconf_name
        self.callback = None
        self.default_kwargs = default_kwargs or {}
        self.namespace = namespace
        self.app_name = app_name
        self._route = str(pattern)
        # The prefix when it is a plain string (e.g. "^/" at the root, "blog/"):
        # checked here without calling into the pattern.
        static = getattr(pattern, "_static", None)
        self._prefix: str | None = static[0] if static is not None and not static[1] else None
        self._reverse_data: _ReverseData | None = None
        self._local = threading.local()

    def __repr__(self) -> str:
        if isinstance(self.urlconf_name, list) and self.urlconf_name:
            urlconf_repr = f"<{type(self.urlconf_name[0]).__name__} list>"
        else:
            urlconf_repr = repr(self.urlconf_name)
        return (
            f"<{type(self).__name__} {urlconf_repr} ({self.app_name}:{self.namespace}) "
            f"{self.pattern.describe()}>"
        )

    @cached_property
    def urlconf_module(self) -> Any:
        """The urlconf: imported on first use when named by a dotted path."""
        if isinstance(self.urlconf_name, str):
            return import_module(self.urlconf_name)
        return self.urlconf_name

    @cached_property
    def url_patterns(self) -> Any:
        """The urlconf's ``urlpatterns`` (or the urlconf itself when it is the list)."""
        patterns = getattr(self.urlconf_module, "urlpatterns", self.urlconf_module)
        try:
            iter(patterns)
        except TypeError as err:
            raise ImproperlyConfigured(
                f"The included URLconf '{self.urlconf_name}' does not appear to have any "
                "patterns in it. If you see the 'urlpatterns' variable with valid patterns "
                "in the file then the issue is probably caused by a circular import."
            ) from err
        return patterns

    # -- resolving -----------------------------------------------------------------

    def _match(self, path: str) -> _Hit | None:
        prefix = self._prefix
        if prefix is not None:
            if not path.startswith(prefix):
                return None
            new_path = path[len(prefix) :]
            args: tuple[Any, ...] = ()
            kwargs: dict[str, Any] = _NO_KWARGS
        else:
            found = self.pattern.match(path)
            if found is None:
                return None
            new_path, args, kwargs = found
        for child in self.url_patterns:
            hit: _Hit | None = child._match(new_path)
            if hit is not None:
                break
        else:
            return None
        func, sub_args, sub_kwargs, name, app_names, namespaces, route, captured, extra, mount = hit
        defaults = self.default_kwargs
        if kwargs or defaults:
            sub_kwargs = {**kwargs, **defaults, **sub_kwargs}
            if defaults:
                extra = {**defaults, **extra}
        # With any keyword argument, positional ones from the prefix are dropped.
        if args and not sub_kwargs:
            sub_args = args + sub_args
        if isinstance(child, URLResolver):
            route = _join_route(child._route, route)
        if self.app_name:
            app_names = (self.app_name, *app_names)
        if self.namespace:
            namespaces = (self.namespace, *namespaces)
        if mount is not None:
            consumed = path[: len(path) - len(new_path)]
            mount = consumed + mount if mount else consumed.removesuffix("/")
        return (
            func,
            sub_args,
            sub_kwargs,
            name,
            app_names,
            namespaces,
            route,
            captured,
            extra,
            mount,
        )

    def resolve(self, path: Any) -> ResolverMatch:
        """Return the ``ResolverMatch`` for ``path`` or raise ``Resolver404``."""
        if type(path) is not str:
            path = str(path)  # e.g. a reverse_lazy() proxy
        hit = self._match(path)
        if hit is None:
            found = self.pattern.match(path)
            if found is None:
                raise Resolver404({"path": path})
            raise Resolver404({"tried": self._collect_tried(path), "path": found[0]})
        return _match_from_hit(hit, (self, path))

    def _collect_tried(self, path: str) -> list[list[Any]] | None:
        """Return Django's ``tried`` list for ``path``, or None when the prefix doesn't match.

        Each entry is the chain of patterns, outermost first, ending with a
        pattern that was tried; the matching one, if any, comes last.
        """
        found = self.pattern.match(path)
        if found is None:
            return None
        new_path = found[0]
        tried: list[list[Any]] = []
        for child in self.url_patterns:
            if isinstance(child, URLResolver):
                sub_tried = child._collect_tried(new_path)
                if sub_tried is None:
                    tried.append([child])
                    continue
                tried.extend([child, *chain] for chain in sub_tried)
            else:
                tried.append([child])
            if child._match(new_path) is not None:
                break
        return tried

    def resolve_error_handler(self, view_type: int | str) -> Callable[..., Any] | None:
        """Return the urlconf's ``handler<view_type>`` view, or None when it defines none."""
        callback = getattr(self.urlconf_module, f"handler{view_type}", None)
        if not callback:
            return None
        return get_callable(callback)

    # -- reversing -----------------------------------------------------------------

    def _populate(self) -> _ReverseData:
        data = self._reverse_data
        if data is not None:
            return data
        if getattr(self._local, "populating", False):
            raise ImproperlyConfigured(
                f"reverse() was called while the URLconf {self.urlconf_name!r} was still "
                "loading (for example at import time of a urls.py or of a module it "
                "imports). Use reverse_lazy() there instead."
            )
        self._local.populating = True
        try:
            data = self._build_reverse_data()
        finally:
            self._local.populating = False
        self._reverse_data = data
        return data

    def _build_reverse_data(self) -> _ReverseData:
        data = _ReverseData()
        lookups = data.reverse_dict
        # Walk backwards so that, for a name used twice, the last pattern is tried
        # first: Django's documented rule.
        for child in reversed(self.url_patterns):
            if isinstance(child, URLMount):
                continue
            prefix = child.pattern.regex.pattern.removeprefix("^")
            if isinstance(child, URLPattern):
                data.callback_strs.add(child.lookup_str)
                entry: _ReverseEntry = (
                    normalize(child.pattern.regex.pattern),
                    prefix,
                    child.default_args,
                    child.pattern.converters,
                )
                lookups.appendlist(child.callback, entry)
                if child.name is not None:
                    lookups.appendlist(child.name, entry)
                continue
            sub = child._populate()
            if child.app_name:
                namespace: str = child.namespace
                data.app_dict.setdefault(child.app_name, []).append(namespace)
                data.namespace_dict[namespace] = (prefix, child)
                data.namespace_converters[namespace] = dict(child.pattern.converters)
            else:
                converters = {**self.pattern.converters, **child.pattern.converters}
                for key, entries in sub.reverse_dict.lists():
                    for _forms, sub_pattern, defaults, sub_converters in entries:
                        joined = prefix + sub_pattern
                        lookups.appendlist(
                            key,
                            (
                                normalize(joined),
                                joined,
                                {**defaults, **child.default_kwargs},
                                {**converters, **sub_converters},
                            ),
                        )
                for namespace, (ns_prefix, ns_resolver) in sub.namespace_dict.items():
                    data.namespace_dict[namespace] = (prefix + ns_prefix, ns_resolver)
                    data.namespace_converters[namespace] = {
                        **sub.namespace_converters[namespace],
                        **child.pattern.converters,
                    }
                for app_name, namespaces in sub.app_dict.items():
                    data.app_dict.setdefault(app_name, []).extend(namespaces)
            data.callback_strs.update(sub.callback_strs)
        return data

    @property
    def reverse_dict(self) -> _ReverseDict:
        """Name or view -> the candidates reverse() tries, last-defined first."""
        return self._populate().reverse_dict

    @property
    def namespace_dict(self) -> dict[str, tuple[str, URLResolver]]:
        """Instance namespace -> (regex prefix, its resolver)."""
        return self._populate().namespace_dict

    @property
    def app_dict(self) -> dict[str, list[str]]:
        """Application namespace -> its instance namespaces, last-deployed first."""
        return self._populate().app_dict

    def _namespace_converters(self, namespace: str) -> dict[str, Converter]:
        return self._populate().namespace_converters[namespace]

    def _is_callback(self, name: str) -> bool:
        return name in self._populate().callback_strs

    def reverse(self, lookup_view: Any, *args: Any, **kwargs: Any) -> str:
        """Return the path (without the script prefix) for a name or view."""
        return self._reverse_with_prefix(lookup_view, "", *args, **kwargs)

    def _reverse_with_prefix(
        self, lookup_view: Any, _prefix: str, *args: Any, **kwargs: Any
    ) -> str:
        if args and kwargs:
            raise ValueError("Don't mix *args and **kwargs in call to reverse()!")
        possibilities = self._populate().reverse_dict.getlist(lookup_view)
        for forms, pattern, defaults, converters in possibilities:
            for result, params in forms:
                if args:
                    if len(args) != len(params):
                        continue
                    candidate_subs: dict[str, Any] = dict(zip(params, args, strict=True))
                else:
                    if set(kwargs).symmetric_difference(params).difference(defaults):
                        continue
                    # A default not captured by the pattern must not be contradicted.
                    if any(k not in params and kwargs.get(k, v) != v for k, v in defaults.items()):
                        continue
                    candidate_subs = kwargs
                text_subs = _to_url(candidate_subs, converters)
                if text_subs is None:
                    continue
                # Check the unquoted URL against the pattern, then quote it.
                candidate = (_prefix.replace("%", "%%") + result) % text_subs
                if _prefixed_regex(_prefix, pattern).search(candidate):
                    return _escape_leading_slashes(quote(candidate, safe=_REVERSE_SAFE))
        raise NoReverseMatch(_no_reverse_message(lookup_view, args, kwargs, possibilities))


def _to_url(subs: dict[str, Any], converters: dict[str, Converter]) -> dict[str, str] | None:
    """Return the values as URL text; None when a converter's ``to_url`` rejects one."""
    text: dict[str, str] = {}
    for key, value in subs.items():
        converter = converters.get(key)
        if converter is None:
            text[key] = str(value)
            continue
        try:
            text[key] = converter.to_url(value)
        except ValueError:
            return None
    return text


def _no_reverse_message(
    lookup_view: Any, args: tuple[Any, ...], kwargs: dict[str, Any], possibilities: list[Any]
) -> str:
    module = getattr(lookup_view, "__module__", None)
    name = getattr(lookup_view, "__name__", None)
    view = f"{module}.{name}" if module is not None and name is not None else lookup_view
    patterns = [pattern for _, pattern, _, _ in possibilities]
    if not patterns:
        return (
            f"Reverse for '{view}' not found. '{view}' is not a valid view function or "
            "pattern name."
        )
    if args:
        arg_msg = f"arguments '{args}'"
    elif kwargs:
        arg_msg = f"keyword arguments '{kwargs}'"
    else:
        arg_msg = "no arguments"
    return (
        f"Reverse for '{view}' with {arg_msg} not found. {len(patterns)} pattern(s) "
        f"tried: {patterns}"
    )


@functools.lru_cache(maxsize=1024)
def _prefixed_regex(prefix: str, pattern: str) -> re.Pattern[str]:
    return re.compile(f"^{re.escape(prefix)}{pattern}")


def _escape_leading_slashes(url: str) -> str:
    # "//host/..." would be read as a scheme-relative URL to another host.
    if url.startswith("//"):
        return "/%2F" + url[2:]
    return url


def _join_route(route1: str, route2: str) -> str:
    """Join two routes, dropping the leading ``^`` of the second."""
    if not route1:
        return route2
    return route1 + route2.removeprefix("^")


def get_resolver(urlconf: Any = None) -> URLResolver:
    """Return the (cached) root resolver for ``urlconf``, by default ``settings.ROOT_URLCONF``."""
    if urlconf is None:
        urlconf = settings.ROOT_URLCONF
    return _get_cached_resolver(urlconf)


@functools.cache
def _get_cached_resolver(urlconf: Any = None) -> URLResolver:
    return URLResolver(RegexPattern(r"^/"), urlconf)


@functools.cache
def get_ns_resolver(
    ns_pattern: str, resolver: URLResolver, converters: tuple[tuple[str, Converter], ...]
) -> URLResolver:
    """Return a root resolver for the patterns of a namespace found under ``ns_pattern``.

    It lets reverse() fill in parameters captured by the namespace's prefixes.
    """
    pattern = RegexPattern(ns_pattern)
    pattern.converters = dict(converters)
    ns_resolver = URLResolver(pattern, resolver.url_patterns)
    return URLResolver(RegexPattern(r"^/"), [ns_resolver])


# Start-up tooling lives in their own modules, which need the classes above.
from fastjango.urls._checks import check_resolver, validate_urlconf  # noqa: E402
from fastjango.urls._flatten import URLEndpoint, flatten_patterns  # noqa: E402
