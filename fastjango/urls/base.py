"""``resolve()``, ``reverse()`` and the per-request URL state (script prefix, urlconf).

The script prefix and the request's urlconf live in context variables, so
concurrent async requests (and the threads their sync views run in) each see
their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from typing import Any
from urllib.parse import urlencode

from fastjango.urls.exceptions import NoReverseMatch, Resolver404
from fastjango.urls.resolvers import (
    ResolverMatch,
    _get_cached_resolver,
    _prefixed_regex,
    get_ns_resolver,
    get_resolver,
)
from fastjango.urls.utils import get_callable
from fastjango.utils.functional import lazy

__all__ = [
    "clear_script_prefix",
    "clear_url_caches",
    "get_script_prefix",
    "get_urlconf",
    "is_valid_path",
    "resolve",
    "reverse",
    "reverse_lazy",
    "set_script_prefix",
    "set_urlconf",
]

_script_prefix: ContextVar[str] = ContextVar("fastjango_script_prefix", default="/")
_urlconf: ContextVar[Any] = ContextVar("fastjango_urlconf", default=None)


def resolve(path: Any, urlconf: Any = None) -> ResolverMatch:
    """Return the ``ResolverMatch`` for ``path``; raise ``Resolver404`` when nothing matches."""
    if urlconf is None:
        urlconf = _urlconf.get()
    return get_resolver(urlconf).resolve(path)


def reverse(
    viewname: str | Callable[..., Any],
    urlconf: Any = None,
    args: Any = None,
    kwargs: dict[str, Any] | None = None,
    current_app: str | None = None,
    *,
    query: Any = None,
    fragment: str | None = None,
) -> str:
    """Return the URL path for a pattern name (``"ns:name"``) or view, with the script prefix.

    Give the pattern's arguments as ``args`` or ``kwargs``, not both. ``query``
    (a mapping, ``QueryDict`` or iterable of pairs) is encoded after ``?`` and
    ``fragment`` appended after ``#``. Raise ``NoReverseMatch`` when no pattern
    fits.
    """
    if urlconf is None:
        urlconf = _urlconf.get()
    resolver = get_resolver(urlconf)
    args = _checked_args(args)
    if kwargs is None:
        kwargs = {}
    elif not isinstance(kwargs, Mapping):
        raise TypeError(
            f"reverse() kwargs must be a dict of the pattern's arguments, not "
            f"{type(kwargs).__name__}: {kwargs!r}."
        )
    prefix = _script_prefix.get()

    if not isinstance(viewname, str):
        view: Any = viewname
    else:
        *path, view = viewname.split(":")
        current_path = current_app.split(":")[::-1] if current_app else None
        resolved_path: list[str] = []
        ns_pattern = ""
        ns_converters: dict[str, Any] = {}
        for ns in path:
            current_ns = current_path.pop() if current_path else None
            # An application namespace resolves to one of its instances: the
            # current one if it is an instance of it, else the default instance
            # (named like the app), else the last one deployed.
            app_list = resolver.app_dict.get(ns)
            if app_list is not None:
                if current_ns and current_ns in app_list:
                    ns = current_ns
                elif ns not in app_list:
                    ns = app_list[0]
            if ns != current_ns:
                current_path = None
            try:
                extra, sub_resolver = resolver.namespace_dict[ns]
            except KeyError:
                if resolved_path:
                    raise NoReverseMatch(
                        f"{ns!r} is not a registered namespace inside '{':'.join(resolved_path)}'"
                    ) from None
                raise NoReverseMatch(f"{ns!r} is not a registered namespace") from None
            ns_converters.update(resolver._namespace_converters(ns))
            resolved_path.append(ns)
            ns_pattern += extra
            resolver = sub_resolver
        if ns_pattern:
            resolver = get_ns_resolver(ns_pattern, resolver, tuple(ns_converters.items()))

    url = resolver._reverse_with_prefix(view, prefix, *args, **kwargs)
    if query is not None:
        encode = getattr(query, "urlencode", None)
        query_string = encode() if callable(encode) else urlencode(query, doseq=True)
        if query_string:
            url += "?" + query_string
    if fragment is not None:
        url += "#" + fragment
    return url


reverse_lazy = lazy(reverse, str)


def _checked_args(args: Any) -> Any:
    if args is None:
        return ()
    if isinstance(args, str | bytes) or not isinstance(args, Iterable):
        # A lone value (args=5, args="slug") is a common slip: say what to pass instead.
        raise TypeError(
            f"reverse() args must be a list or tuple of the pattern's arguments, not "
            f"{type(args).__name__}: {args!r}. Did you mean args=[{args!r}]?"
        )
    return args


def clear_url_caches() -> None:
    """Forget every cached resolver and imported view (after changing urlconfs at runtime)."""
    get_callable.cache_clear()
    _get_cached_resolver.cache_clear()
    get_ns_resolver.cache_clear()
    _prefixed_regex.cache_clear()


def set_script_prefix(prefix: str) -> None:
    """Set the prefix ``reverse()`` puts in front of paths, for the current context."""
    if not prefix.endswith("/"):
        prefix += "/"
    _script_prefix.set(prefix)


def get_script_prefix() -> str:
    """Return the current script prefix; ``"/"`` unless the app is served under one."""
    return _script_prefix.get()


def clear_script_prefix() -> None:
    """Reset the script prefix of the current context to ``"/"``."""
    _script_prefix.set("/")


def set_urlconf(urlconf_name: Any) -> None:
    """Use ``urlconf_name`` instead of ROOT_URLCONF in the current context; None resets it."""
    _urlconf.set(urlconf_name or None)


def get_urlconf(default: Any = None) -> Any:
    """Return the urlconf set with ``set_urlconf()`` for this context, else ``default``."""
    urlconf = _urlconf.get()
    return default if urlconf is None else urlconf


def is_valid_path(path: str, urlconf: Any = None) -> ResolverMatch | bool:
    """Return the ``ResolverMatch`` when ``path`` resolves, else False."""
    try:
        return resolve(path, urlconf)
    except Resolver404:
        return False
