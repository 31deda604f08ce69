"""The ``{% cache %}`` fragment-cache tag, as a Jinja2 extension.

``{% cache 500 sidebar request.user.username %}...{% endcache %}`` caches the
rendered block for 500 seconds (None: forever) under Django's key for the
fragment name and the vary-on values (``make_template_fragment_key``), so
``cache.delete(make_template_fragment_key("sidebar", [username]))``
invalidates it. The name may be a bare word, as in Django, or a quoted string.
``using="alias"`` picks the cache; otherwise it is ``template_fragments`` if
configured, else ``default``. In an async Jinja2 environment the tag uses the
cache's async API.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from jinja2 import TemplateRuntimeError, nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from markupsafe import Markup

from fastjango.core.cache.utils import make_template_fragment_key

__all__ = ["CacheExtension"]

FRAGMENT_CACHE_ALIAS = "template_fragments"


def _fragment_cache(using: Any) -> Any:
    from fastjango.core.cache import DEFAULT_CACHE_ALIAS, InvalidCacheBackendError, caches

    if using is not None:
        try:
            return caches[using]
        except InvalidCacheBackendError:
            raise TemplateRuntimeError(
                f"Invalid cache name specified for cache tag: {using!r}"
            ) from None
    return caches[FRAGMENT_CACHE_ALIAS if FRAGMENT_CACHE_ALIAS in caches else DEFAULT_CACHE_ALIAS]


def _expire_time(value: Any) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise TemplateRuntimeError(
            f'"cache" tag got a non-integer timeout value: {value!r}'
        ) from None


class CacheExtension(Extension):
    """Add ``{% cache timeout name [vary_on ...] [using="alias"] %}...{% endcache %}``."""

    tags = {"cache"}

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        usage = (
            "'cache' tag requires at least 2 arguments: "
            "{% cache timeout fragment_name [vary_on ...] %}"
        )
        if parser.stream.current.test("block_end"):
            parser.fail(usage, lineno)
        timeout = parser.parse_expression()
        if parser.stream.current.test("block_end"):
            parser.fail(usage, lineno)
        fragment_name: nodes.Expr
        if parser.stream.current.type == "name":
            # Django's fragment name is a bare word, never a variable.
            fragment_name = nodes.Const(next(parser.stream).value, lineno=lineno)
        else:
            fragment_name = parser.parse_expression()
        vary_on: list[nodes.Expr] = []
        using: nodes.Expr = nodes.Const(None, lineno=lineno)
        while not parser.stream.current.test("block_end"):
            if parser.stream.current.test("name:using") and parser.stream.look().test("assign"):
                next(parser.stream)
                next(parser.stream)
                using = parser.parse_expression()
            else:
                vary_on.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        method = "_render_async" if self.environment.is_async else "_render"
        call = self.call_method(
            method, [timeout, fragment_name, nodes.List(vary_on, lineno=lineno), using]
        )
        return nodes.CallBlock(call, [], [], body, lineno=lineno)

    def _render(
        self,
        timeout: Any,
        fragment_name: str,
        vary_on: list[Any],
        using: Any,
        caller: Callable[[], str],
    ) -> Markup:
        expire_time = _expire_time(timeout)
        cache = _fragment_cache(using)
        key = make_template_fragment_key(fragment_name, vary_on)
        value = cache.get(key)
        if value is None:
            value = str(caller())
            cache.set(key, value, expire_time)
        # The fragment was rendered (and escaped) by the template: it is safe markup.
        return Markup(value)

    async def _render_async(
        self,
        timeout: Any,
        fragment_name: str,
        vary_on: list[Any],
        using: Any,
        caller: Callable[[], Awaitable[str]],
    ) -> Markup:
        expire_time = _expire_time(timeout)
        cache = _fragment_cache(using)
        key = make_template_fragment_key(fragment_name, vary_on)
        value = await cache.aget(key)
        if value is None:
            value = str(await caller())
            await cache.aset(key, value, expire_time)
        return Markup(value)
