"""``get_asgi_application()``: a project's settings turned into one FastAPI app."""

from __future__ import annotations

import contextlib
import gc
import logging
import sys
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

import fastjango
from fastjango.conf import settings
from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.core.handlers.asgi import ASGIHandler
from fastjango.core.handlers.dispatch import URLDispatcher
from fastjango.core.handlers.middleware import build_middleware_stack
from fastjango.utils.asyncio import run_in_threadpool

__all__ = ["FastJangoApp", "get_asgi_application"]

logger = logging.getLogger("fastjango.server")

_start_up_frozen = False


def _freeze_start_up_objects() -> None:
    """Move what start-up made (modules, apps, URL patterns...) out of the cyclic GC's sight.

    They live as long as the process, yet each full collection walked all of
    them again: 35-55 ms pauses, every few hundred milliseconds under load,
    which made the p99 latency. Done once per process, after a collection so
    that no garbage is kept.
    """
    global _start_up_frozen
    if _start_up_frozen:
        return
    _start_up_frozen = True
    gc.collect()
    gc.freeze()


Lifespan = Callable[[FastAPI], contextlib.AbstractAsyncContextManager[Any]]


class FastJangoApp(FastAPI):
    """A FastAPI app whose requests go through ``MIDDLEWARE`` and ``ROOT_URLCONF``.

    Everything FastAPI offers still works on it: ``include_router``, ``@app.get``,
    ``add_middleware`` (innermost, inside ``MIDDLEWARE``), exception handlers.
    """

    dispatcher: URLDispatcher
    _telemetry_off: bool | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # FastAPI asks its native telemetry whether it is on (environment variables)
        # on every request; the answer can't change while the process runs, so ask
        # once. With telemetry on, FastAPI's own path runs unchanged.
        telemetry_off = self._telemetry_off
        if telemetry_off is None:
            telemetry = getattr(self, "_native_telemetry", None)
            telemetry_off = self._telemetry_off = telemetry is None or not telemetry.enabled()
        if not telemetry_off or scope["type"] == "lifespan":
            await super().__call__(scope, receive, send)
            return
        if self.root_path:
            scope["root_path"] = self.root_path
        scope["app"] = self
        if self.middleware_stack is None:
            self.middleware_stack = self.build_middleware_stack()
        await self.middleware_stack(scope, receive, send)

    def build_middleware_stack(self) -> ASGIApp:
        self.dispatcher.finalize()
        app: ASGIApp = self.dispatcher
        for cls, args, kwargs in reversed(self.user_middleware):
            app = cls(app, *args, **kwargs)
        # Django-style middleware next to the dispatcher calls it directly, unless
        # add_middleware() put plain ASGI middleware in between.
        core = None if self.user_middleware else self.dispatcher.get_response_async
        app, hooks = build_middleware_stack(app, list(settings.MIDDLEWARE), core)
        self.dispatcher.hooks = hooks
        return ASGIHandler(app)


async def _close_resources() -> None:
    # Only what was used gets closed: importing the cache or the ORM here would
    # defeat their laziness.
    cache = sys.modules.get("fastjango.core.cache")
    if cache is not None and hasattr(cache, "aclose_caches"):
        await cache.aclose_caches()
    db = sys.modules.get("fastjango.db")
    if db is not None and hasattr(db, "connections"):
        close_all = getattr(db.connections, "aclose_all", None)
        if close_all is not None:
            await close_all()


def _run_start_up_checks() -> None:
    try:
        from fastjango.core import checks
    except ImportError:  # pragma: no cover - checks ship with the package
        return
    messages = checks.run_checks(include_deployment_checks=False)
    serious = [m for m in messages if m.is_serious() and not m.is_silenced()]
    for message in messages:
        if not message.is_silenced() and message not in serious:
            logger.warning("%s", message)
    if serious:
        raise checks.SystemCheckError(
            "System check identified some issues:\n" + "\n".join(str(m) for m in serious)
        )


def get_asgi_application(
    *, lifespan: Lifespan | None = None, run_checks: bool = True, **fastapi_options: Any
) -> FastJangoApp:
    """Return the project's ASGI application, built once from settings.

    Populates the app registry, validates ``ROOT_URLCONF`` (errors surface here, not
    at the first request), and wraps everything in ``MIDDLEWARE``. ``lifespan`` is a
    FastAPI lifespan of the project's own, run inside FastJango's; other keyword
    arguments go to ``FastAPI()``.
    """
    fastjango.setup()
    from fastjango.urls import get_resolver
    from fastjango.urls.resolvers import validate_urlconf

    if not settings.ROOT_URLCONF:
        raise ImproperlyConfigured(
            "The ROOT_URLCONF setting must name your project's URLconf module, e.g. "
            "ROOT_URLCONF = 'mysite.urls'."
        )
    validate_urlconf(settings.ROOT_URLCONF)

    @contextlib.asynccontextmanager
    async def fastjango_lifespan(app: FastAPI) -> AsyncIterator[Any]:
        if run_checks:
            # Checks may import modules or touch the disk: off the event loop.
            await run_in_threadpool(_run_start_up_checks)
        try:
            if lifespan is not None:
                async with lifespan(app) as state:
                    _freeze_start_up_objects()
                    yield state
            else:
                _freeze_start_up_objects()
                yield None
        finally:
            await _close_resources()

    options: dict[str, Any] = {
        "title": settings.API_TITLE,
        "version": settings.API_VERSION,
        "docs_url": settings.DOCS_URL,
        "redoc_url": settings.REDOC_URL,
        "openapi_url": settings.OPENAPI_URL,
        "debug": False,  # FastJango renders its own debug pages
        "redirect_slashes": False,  # APPEND_SLASH is CommonMiddleware's job, as in Django
    }
    options.update(fastapi_options)
    app = FastJangoApp(lifespan=fastjango_lifespan, **options)
    app.dispatcher = URLDispatcher(app, get_resolver(settings.ROOT_URLCONF))
    return app
