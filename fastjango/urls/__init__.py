"""URL routing with Django's API: ``path``, ``re_path``, ``include``, ``reverse``, ``resolve``.

Importing this package loads no urlconf: ROOT_URLCONF is imported on the first
``resolve()``/``reverse()`` (or at start-up validation).
"""

from __future__ import annotations

from fastjango.urls.base import (
    clear_script_prefix,
    clear_url_caches,
    get_script_prefix,
    get_urlconf,
    is_valid_path,
    resolve,
    reverse,
    reverse_lazy,
    set_script_prefix,
    set_urlconf,
)
from fastjango.urls.conf import include, path, re_path
from fastjango.urls.converters import register_converter
from fastjango.urls.exceptions import NoReverseMatch, Resolver404
from fastjango.urls.resolvers import (
    ResolverMatch,
    URLMount,
    URLPattern,
    URLResolver,
    get_ns_resolver,
    get_resolver,
)
from fastjango.urls.utils import get_callable, get_mod_func

__all__ = [
    "NoReverseMatch",
    "Resolver404",
    "ResolverMatch",
    "URLMount",
    "URLPattern",
    "URLResolver",
    "clear_script_prefix",
    "clear_url_caches",
    "get_callable",
    "get_mod_func",
    "get_ns_resolver",
    "get_resolver",
    "get_script_prefix",
    "get_urlconf",
    "include",
    "is_valid_path",
    "path",
    "re_path",
    "register_converter",
    "resolve",
    "reverse",
    "reverse_lazy",
    "set_script_prefix",
    "set_urlconf",
]
