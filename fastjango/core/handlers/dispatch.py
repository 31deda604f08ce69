"""The innermost ASGI app: resolve the URL, then run the view the way its style asks.

Django-style views (first parameter ``request``) get an ``HttpRequest`` and return an
``HttpResponse``; FastAPI-style views run as the ``APIRoute`` registered for them at
start-up (so they are in the OpenAPI schema); ``include()``d ASGI apps and
``APIRouter``s are mounted. What no urlconf pattern matches falls through to the
FastAPI app's own routes (``/docs``, ``/openapi.json``, ``@app.get`` routes).

With ``ATOMIC_REQUESTS`` on for a database, each Django-style view is wrapped in
``transaction.atomic()`` for it once, at start-up (``non_atomic_requests`` exempts
a view, as in Django).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fastapi.middleware.asyncexitstack import AsyncExitStackMiddleware
from fastapi.routing import APIRoute, APIRouter
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.routing import Match
from starlette.types import ASGIApp, Receive, Scope, Send

from fastjango.conf import settings
from fastjango.core.exceptions import DisallowedHost
from fastjango.core.handlers.exception import aresponse_for_exception
from fastjango.core.handlers.middleware import (
    Hook,
    MiddlewareHooks,
    capture_response,
    get_request,
    send_response,
)
from fastjango.core.handlers.views import ViewStyle, fastapi_endpoint, view_style
from fastjango.utils.asyncio import run_in_threadpool

if TYPE_CHECKING:
    from fastapi import FastAPI

    from fastjango.http import HttpRequest, HttpResponseBase
    from fastjango.urls import ResolverMatch, URLResolver

__all__ = ["URLDispatcher"]

_MAX_CACHED_HOSTS = 256


class URLDispatcher:
    """Dispatch HTTP requests through the urlconf; everything else to the FastAPI router."""

    def __init__(self, app: FastAPI, resolver: URLResolver) -> None:
        self.app = app
        self.resolver = resolver
        self.hooks = MiddlewareHooks()
        # (id(view), joined route) -> the APIRoute that runs a FastAPI-style view.
        self._api_routes: dict[tuple[int, str], APIRoute] = {}
        self._route_apps: dict[int, ASGIApp] = {}
        self._mount_apps: dict[tuple[int, str], ASGIApp] = {}
        self._own_routes: set[int] = set()
        self._mounts: dict[int, ASGIApp] = {}
        # id(view) -> whether a Django-style view is ``async def``.
        self._is_async: dict[int, bool] = {}
        # ATOMIC_REQUESTS: the aliases it is on for, and id(view) -> the wrapped view.
        self._atomic_aliases = _atomic_request_aliases()
        self._atomic_views: dict[int, Callable[..., Any]] = {}
        # Host header values already validated against ALLOWED_HOSTS (never a bad one).
        self._allowed_hosts: set[tuple[bytes, ...]] = set()
        self._host_headers = (
            (b"x-forwarded-host", b"host") if settings.USE_X_FORWARDED_HOST else (b"host",)
        )
        self._router_app: ASGIApp = app.router
        self._register_routes()

    # -- start-up ------------------------------------------------------------

    def _register_routes(self) -> None:
        from fastjango.urls.resolvers import flatten_patterns

        for entry in flatten_patterns(self.resolver):
            target = entry.callback
            if entry.is_mount:
                if isinstance(target, APIRouter):
                    # The router's routes join the app's router, prefixed, so they are
                    # in the OpenAPI schema; requests under the prefix go there.
                    self.app.include_router(target, prefix=entry.path_format.rstrip("/"))
                    self._mounts[id(target)] = self._fastapi_app
                continue
            style = view_style(target)
            if style is not ViewStyle.FASTAPI:
                self._is_async[id(target)] = style is ViewStyle.ASYNC
                if self._atomic_aliases:
                    self._make_atomic(target, style is ViewStyle.ASYNC)
                continue
            options: dict[str, Any] = dict(getattr(target, "fastjango_endpoint", {}))
            options.setdefault("methods", ["GET"])
            options.setdefault("name", entry.name)
            route = APIRoute(
                entry.path_format, fastapi_endpoint(target, entry.converters), **options
            )
            self.app.router.routes.append(route)
            self._own_routes.add(id(route))
            self._api_routes[(id(target), entry.route)] = route

    def finalize(self) -> None:
        """Wrap the FastAPI router in FastAPI's exception handling (when the stack is built)."""
        self._route_apps.clear()
        self._mount_apps.clear()
        self._router_app = self._with_fastapi_handling(self.app.router)

    def _with_fastapi_handling(self, app: ASGIApp) -> ASGIApp:
        # FastAPI's exception handlers and exit stack wrap its routes, as in FastAPI; a
        # 500 is FastJango's to render.
        handlers = {
            key: value
            for key, value in self.app.exception_handlers.items()
            if key not in (500, Exception)
        }
        return ExceptionMiddleware(
            AsyncExitStackMiddleware(app), handlers=handlers, debug=self.app.debug
        )

    def _fastapi_app(self, scope: Scope, receive: Receive, send: Send) -> Any:
        return self._router_app(scope, receive, send)

    # -- per request ---------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._router_app(scope, receive, send)
            return
        try:
            self._check_host(scope, None, receive)
            match = self._resolve(scope, self.resolver)
        except Exception as exc:
            if _is_not_found(exc) and self._router_matches(scope):
                await self._router_app(scope, receive, send)
                return
            request = get_request(scope, receive)
            response = await aresponse_for_exception(request, exc)
            await send_response(request, response, scope, receive, send)
            return
        mount = match.asgi_mount
        if mount is not None:
            await self._call_mount(match, mount, scope, receive, send)
            return
        route = self._api_routes.get((id(match.func), match.route or ""))
        if route is not None and not self.hooks.view:
            await self._call_api_route(route, match, scope, receive, send)
            return
        request = get_request(scope, receive)
        request.resolver_match = match
        try:
            response = await self._get_response_for_match(request, match, route)
        except Exception as exc:
            response = await aresponse_for_exception(request, exc)
        await send_response(request, response, scope, receive, send)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        """Return the response for ``request``; the entry point for Django-style middleware.

        A middleware may set ``request.urlconf`` to resolve with another urlconf, as in
        Django (FastAPI-style views are only served from ``ROOT_URLCONF``).
        """
        from fastjango.urls import get_resolver, get_urlconf, set_urlconf

        scope = request.scope
        urlconf = getattr(request, "urlconf", None)
        previous_urlconf = get_urlconf() if urlconf is not None else None
        try:
            if urlconf is not None:
                set_urlconf(urlconf)
            resolver = get_resolver(urlconf) if urlconf is not None else self.resolver
            try:
                self._check_host(scope, request, None)
                match = self._resolve(scope, resolver)
            except Exception as exc:
                if _is_not_found(exc) and self._router_matches(scope):
                    return await capture_response(self._router_app, request)
                return await aresponse_for_exception(request, exc)
            request.resolver_match = match
            if match.asgi_mount is not None:
                mount_app = self._mount_app(match, match.asgi_mount)
                return await capture_response(mount_app, request)
            route = self._api_routes.get((id(match.func), match.route or ""))
            try:
                return await self._get_response_for_match(request, match, route)
            except Exception as exc:
                return await aresponse_for_exception(request, exc)
        finally:
            if urlconf is not None:
                set_urlconf(previous_urlconf)

    def _check_host(
        self, scope: Scope, request: HttpRequest | None, receive: Receive | None
    ) -> None:
        host_headers = self._host_headers
        key = tuple(value for name, value in scope["headers"] if name in host_headers)
        if key in self._allowed_hosts:
            return
        if request is None:
            assert receive is not None  # the ASGI entry point has both
            request = get_request(scope, receive)
        # Raises DisallowedHost for a host that isn't allowed; only allowed ones are
        # cached. Without a Host header the host comes from the server address, which
        # the key doesn't hold: that case is checked every time.
        request.get_host()
        if key and len(self._allowed_hosts) < _MAX_CACHED_HOSTS:
            self._allowed_hosts.add(key)

    def _resolve(self, scope: Scope, resolver: URLResolver) -> ResolverMatch:
        path: str = scope["path"]
        root_path: str = scope.get("root_path", "")
        if root_path and path.startswith(root_path):
            path = path[len(root_path) :] or "/"
        return resolver.resolve(path)

    def _router_matches(self, scope: Scope) -> bool:
        for route in self.app.router.routes:
            if id(route) in self._own_routes:
                continue
            match, _ = route.matches(scope)
            if match is not Match.NONE:
                return True
        return False

    def _mount_app(self, match: ResolverMatch, mount: str) -> ASGIApp:
        target: ASGIApp = match.func
        shared = self._mounts.get(id(target))
        if shared is not None:
            return shared
        key = (id(target), mount)
        built = self._mount_apps.get(key)
        if built is not None:
            return built
        prefix = mount.rstrip("/")

        async def mounted(scope: Scope, receive: Receive, send: Send) -> None:
            # Starlette's Mount convention: the path stays whole, root_path grows.
            root_path = scope.get("root_path", "")
            child_scope = dict(scope)
            child_scope["root_path"] = root_path + prefix
            child_scope["app_root_path"] = scope.get("app_root_path", root_path)
            await target(child_scope, receive, send)

        # A mounted app may raise Starlette's HTTPException (StaticFiles does for a
        # missing file): answer it as a Starlette app would, not with a 500.
        built = self._mount_apps[key] = self._with_fastapi_handling(mounted)
        return built

    async def _call_mount(
        self, match: ResolverMatch, mount: str, scope: Scope, receive: Receive, send: Send
    ) -> None:
        await self._mount_app(match, mount)(scope, receive, send)

    def _prepare_api_scope(self, route: APIRoute, scope: Scope, kwargs: dict[str, Any]) -> ASGIApp:
        scope["path_params"] = dict(kwargs)
        scope["endpoint"] = route.endpoint
        scope["route"] = route
        app = self._route_apps.get(id(route))
        if app is None:
            app = self._route_apps[id(route)] = self._with_fastapi_handling(route.handle)
        return app

    async def _call_api_route(
        self, route: APIRoute, match: ResolverMatch, scope: Scope, receive: Receive, send: Send
    ) -> None:
        await self._prepare_api_scope(route, scope, match.kwargs)(scope, receive, send)

    async def _get_response_for_match(
        self, request: HttpRequest, match: ResolverMatch, route: APIRoute | None
    ) -> HttpResponseBase:
        """Run the view hooks, the view and the template-response hooks, in Django's order.

        Raise what they raise, after ``process_exception`` hooks had their chance.
        """
        callback, args, kwargs = match.func, match.args, match.kwargs
        hooks = self.hooks
        if route is None or hooks.view:
            # Before process_view: hooks such as CSRF's read request.POST.
            await request._aread_body()
        response: Any = None
        for hook in hooks.view:
            response = await hook(request, callback, args, kwargs)
            if response is not None:
                break
        if response is None:
            try:
                if route is not None:
                    app = self._prepare_api_scope(route, request.scope, kwargs)
                    response = await capture_response(app, request)
                else:
                    response = await self._call_view(request, callback, args, kwargs)
            except Exception as exc:
                response = await self._process_exception(request, exc)
                if response is None:
                    raise
        if _is_template_response(response):
            for hook in hooks.template_response:
                response = await hook(request, response)
                _check_response(response, None, f"{_owner_name(hook)}.process_template_response")
            if not response.is_rendered:
                try:
                    # Rendering may touch lazy querysets: off the event loop, as Django does.
                    response = await run_in_threadpool(response.render)
                except Exception as exc:
                    response = await self._process_exception(request, exc)
                    if response is None:
                        raise
        return response  # type: ignore[no-any-return]

    async def _call_view(
        self,
        request: HttpRequest,
        callback: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> HttpResponseBase:
        is_async = self._is_async.get(id(callback))
        if is_async is None:
            # A view that start-up didn't see (a per-request urlconf).
            is_async = self._is_async[id(callback)] = view_style(callback) is ViewStyle.ASYNC
            if self._atomic_aliases:
                self._make_atomic(callback, is_async)
        if self._atomic_views:
            callback = self._atomic_views.get(id(callback), callback)
        if is_async:
            response = await callback(request, *args, **kwargs)
            _check_response(response, callback)
            return response  # type: ignore[no-any-return]
        render_now = not self.hooks.template_response
        return await run_in_threadpool(_run_sync_view, callback, request, args, kwargs, render_now)

    def _make_atomic(self, view: Callable[..., Any], is_async: bool) -> None:
        wrapped = _atomic_view(view, is_async, self._atomic_aliases)
        if wrapped is not view:
            self._atomic_views[id(view)] = wrapped

    async def _process_exception(
        self, request: HttpRequest, exc: Exception
    ) -> HttpResponseBase | None:
        for hook in self.hooks.exception:
            response = await hook(request, exc)
            if response is not None:
                return response  # type: ignore[no-any-return]
        return None


def _atomic_request_aliases() -> tuple[str, ...]:
    # Read from the raw setting: a bad DATABASES entry is the database layer's to report.
    databases = getattr(settings, "DATABASES", None)
    if not isinstance(databases, dict):
        return ()
    return tuple(
        alias
        for alias, options in databases.items()
        if isinstance(options, dict) and options.get("ATOMIC_REQUESTS")
    )


def _atomic_view(
    view: Callable[..., Any], is_async: bool, aliases: tuple[str, ...]
) -> Callable[..., Any]:
    """Return ``view`` run inside ``atomic()`` for each of ``aliases`` it isn't exempt from.

    Like ``transaction.make_view_atomic``, but async views are told by the
    dispatcher's view style, so ``as_view()`` of an async class-based view and
    async callable objects get an async wrapper too.
    """
    from fastjango.db import transaction

    exempt: set[str] = getattr(view, "_non_atomic_requests", set())
    wrapped = view
    for alias in aliases:
        if alias in exempt:
            continue
        block = transaction.atomic(using=alias)
        wrapped = _async_atomic(wrapped, block) if is_async else _sync_atomic(wrapped, block)
    if wrapped is not view:
        functools.update_wrapper(wrapped, view)
    return wrapped


def _sync_atomic(view: Callable[..., Any], block: Any) -> Callable[..., Any]:
    def atomic_view(*args: Any, **kwargs: Any) -> Any:
        with block:
            return view(*args, **kwargs)

    return atomic_view


def _async_atomic(view: Callable[..., Any], block: Any) -> Callable[..., Any]:
    async def atomic_view(*args: Any, **kwargs: Any) -> Any:
        async with block:
            return await view(*args, **kwargs)

    return atomic_view


def _run_sync_view(
    callback: Callable[..., Any],
    request: HttpRequest,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    render_now: bool,
) -> Any:
    # One thread hop for the view and, when no hook wants it unrendered, its rendering.
    response = callback(request, *args, **kwargs)
    _check_response(response, callback)
    if render_now and _is_template_response(response) and not response.is_rendered:
        response = response.render()
    return response


def _is_template_response(response: Any) -> bool:
    render = getattr(response, "render", None)
    return callable(render)


def _view_name(callback: Any) -> str:
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return f"The view {view_class.__module__}.{view_class.__qualname__}"
    name = getattr(callback, "__qualname__", None)
    if name is not None:
        return f"The view {callback.__module__}.{name}"
    cls = type(callback)
    return f"The view {cls.__module__}.{cls.__qualname__}.__call__"


def _owner_name(hook: Hook) -> str:
    owner = getattr(hook.func, "__self__", None)
    return type(owner).__qualname__ if owner is not None else hook.func.__qualname__


def _check_response(response: Any, callback: Any, name: str | None = None) -> None:
    if response is not None and not inspect.iscoroutine(response):
        return
    name = name or _view_name(callback)
    if response is None:
        raise ValueError(f"{name} didn't return an HttpResponse object. It returned None instead.")
    response.close()
    raise ValueError(
        f"{name} didn't return an HttpResponse object. It returned an unawaited coroutine "
        "instead. You may need to add an 'await' into your view."
    )


def _is_not_found(exc: Exception) -> bool:
    from fastjango.urls import Resolver404

    return isinstance(exc, Resolver404) and not isinstance(exc, DisallowedHost)
