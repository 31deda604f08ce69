"""Build the ``MIDDLEWARE`` stack: pure ASGI middleware as it is, Django-style adapted."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fastjango.core.exceptions import ImproperlyConfigured, MiddlewareNotUsed
from fastjango.core.handlers.exception import aresponse_for_exception
from fastjango.utils.asyncio import async_to_sync, run_in_threadpool
from fastjango.utils.decorators import iscoroutinefunction
from fastjango.utils.module_loading import import_string

if TYPE_CHECKING:
    from fastjango.http import HttpRequest, HttpResponseBase

__all__ = [
    "CAPTURED_ATTR",
    "REQUEST_SCOPE_KEY",
    "RESPONSE_HOOK_KEY",
    "DjangoMiddlewareAdapter",
    "Hook",
    "MiddlewareHooks",
    "build_middleware_stack",
    "capture_response",
    "get_request",
    "send_response",
]

logger = logging.getLogger("fastjango.request")

GetResponse = Callable[["HttpRequest"], Awaitable["HttpResponseBase"]]

REQUEST_SCOPE_KEY = "fastjango.request"
# Set by the test client: called with (request, response) for every HttpResponse sent.
RESPONSE_HOOK_KEY = "fastjango.response_hook"
# Marks a response rebuilt from ASGI messages by capture_response().
CAPTURED_ATTR = "_fastjango_captured"


def get_request(scope: Scope, receive: Receive) -> HttpRequest:
    """Return the request for this scope, making it once and sharing it along the stack."""
    request: HttpRequest | None = scope.get(REQUEST_SCOPE_KEY)
    if request is None:
        from fastjango.http import HttpRequest

        request = HttpRequest(scope, receive)
        scope[REQUEST_SCOPE_KEY] = request
    return request


async def send_response(
    request: HttpRequest | None,
    response: HttpResponseBase,
    scope: Scope,
    receive: Receive,
    send: Send,
) -> None:
    """Send ``response`` over ASGI, first showing it to the test client if one listens."""
    hook = scope.get(RESPONSE_HOOK_KEY)
    if hook is not None:
        hook(request, response)
    closers = getattr(response, "_resource_closers", None)
    if request is not None and closers is not None:
        # Uploaded files and a body spooled to disk are released with the response.
        closers.append(request.close)
    await response(scope, receive, send)


class Hook(NamedTuple):
    """A ``process_*`` method and whether it must be awaited (else it runs in a thread)."""

    func: Callable[..., Any]
    is_async: bool

    async def __call__(self, *args: Any) -> Any:
        if self.is_async:
            return await self.func(*args)
        return await run_in_threadpool(self.func, *args)


@dataclass
class MiddlewareHooks:
    """The Django-style ``process_*`` hooks, in the order the dispatcher calls them."""

    view: list[Hook] = field(default_factory=list)
    template_response: list[Hook] = field(default_factory=list)
    exception: list[Hook] = field(default_factory=list)


def _hook(method: Callable[..., Any]) -> Hook:
    return Hook(method, iscoroutinefunction(method))


def _is_async_callable(obj: Any) -> bool:
    return iscoroutinefunction(obj) or inspect.iscoroutinefunction(
        getattr(obj, "__call__", None)  # noqa: B004 - instances with an async __call__
    )


def _first_parameter(factory: Any) -> str | None:
    try:
        parameters = list(inspect.signature(factory).parameters.values())
    except (TypeError, ValueError):
        return None
    return parameters[0].name if parameters else None


def _is_asgi_middleware(factory: Any, path: str) -> bool:
    first = _first_parameter(factory)
    if first == "app":
        return True
    if first == "get_response" or any(
        hasattr(factory, hook)
        for hook in ("process_request", "process_response", "process_view", "process_exception")
    ):
        return False
    raise ImproperlyConfigured(
        f"Cannot tell what kind of middleware {path!r} in MIDDLEWARE is: an ASGI middleware "
        "takes the inner app as its first argument, named 'app'; a Django-style middleware "
        "takes 'get_response'. Rename its first parameter accordingly."
    )


def _django_path_alias(path: str) -> str:
    # Ported settings name Django's built-ins; ours live at the same paths under fastjango.
    if path.startswith("django."):
        return "fastjango." + path.removeprefix("django.")
    return path


class DjangoMiddlewareAdapter:
    """Run a Django-style middleware factory (``get_response`` in, callable out) as ASGI."""

    def __init__(
        self, app: ASGIApp, factory: Any, inner_get_response: GetResponse | None = None
    ) -> None:
        self.app = app
        self.name = getattr(factory, "__qualname__", repr(factory))
        get_response: Any = inner_get_response or self._call_inner_app
        async_capable = getattr(factory, "async_capable", False)
        sync_capable = getattr(factory, "sync_capable", True)
        if not async_capable and not sync_capable:
            raise RuntimeError(
                f"Middleware {self.name} must have at least one of sync_capable/async_capable set "
                "to True."
            )
        self.is_async = bool(async_capable)
        if not self.is_async:
            # A sync-only middleware runs in a worker thread; it reaches the async
            # inner layers through the event loop that owns the request.
            get_response = async_to_sync(get_response)
        self.instance = factory(get_response)
        if self.instance is None:
            raise ImproperlyConfigured(f"Middleware factory {self.name} returned None.")
        if self.is_async and not _is_async_callable(self.instance):
            raise ImproperlyConfigured(
                f"Middleware {self.name} is async_capable, so it gets an async get_response, but "
                "what it returned is not a coroutine function. Make its __call__ async (or mark "
                "it with markcoroutinefunction), or set async_capable = False."
            )

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        """Call the middleware; turn what it raises into a response, as Django does."""
        try:
            if self.is_async:
                response = await self.instance(request)
            else:
                response = await run_in_threadpool(self.instance, request)
        except Exception as exc:
            return await aresponse_for_exception(request, exc)
        if response is None:
            raise ValueError(
                f"{self.name} didn't return an HttpResponse object. It returned None instead."
            )
        return response  # type: ignore[no-any-return]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = get_request(scope, receive)
        response = await self.get_response_async(request)
        await send_response(request, response, scope, receive, send)

    async def _call_inner_app(self, request: HttpRequest) -> HttpResponseBase:
        return await capture_response(self.app, request)


async def capture_response(app: ASGIApp, request: HttpRequest) -> HttpResponseBase:
    """Run the ASGI ``app`` for ``request`` and return what it sends as an ``HttpResponse``.

    Used where a Django-style middleware sits outside plain ASGI code: the body is
    collected in memory, so streaming responses lose their streaming there.
    """
    from fastjango.http import HttpResponse

    status = 200
    raw_headers: list[tuple[bytes, bytes]] = []
    body: list[bytes] = []

    async def collect(message: Message) -> None:
        nonlocal status, raw_headers
        if message["type"] == "http.response.start":
            status = message["status"]
            raw_headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            body.append(message.get("body", b""))

    # The body may have been read already (process_view hooks see request.POST): the
    # inner app then gets it replayed.
    receive = request._replay_receive if request._receive is not None else _empty_body
    await app(request.scope, receive, collect)
    response = HttpResponse(b"".join(body), status=status)
    del response.headers["Content-Type"]
    keep_length = request.method == "HEAD"
    for raw_name, raw_value in raw_headers:
        name, value = raw_name.decode("latin-1"), raw_value.decode("latin-1")
        lower = name.lower()
        if lower == "set-cookie":
            response.cookies.load(value)
        elif lower == "content-length" and not keep_length:
            continue
        elif name in response.headers:
            response.headers[name] = f"{response.headers[name]}, {value}"
        else:
            response.headers[name] = value
    setattr(response, CAPTURED_ATTR, True)
    return response


async def _empty_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def build_middleware_stack(
    inner: ASGIApp, middleware: list[str], core_get_response: GetResponse | None
) -> tuple[ASGIApp, MiddlewareHooks]:
    """Wrap ``inner`` in ``middleware`` (outermost first) and collect the ``process_*`` hooks.

    ``core_get_response`` is how a Django-style middleware right around ``inner``
    calls it without going through ASGI messages; None when it must go through them.
    """
    hooks = MiddlewareHooks()
    app = inner
    get_response: GetResponse | None = core_get_response
    for raw_path in reversed(middleware):
        path = _django_path_alias(raw_path)
        try:
            factory = import_string(path)
        except ImportError as err:
            raise ImproperlyConfigured(
                f"MIDDLEWARE entry {raw_path!r} could not be imported: {err}. Fix or remove it "
                "in your MIDDLEWARE setting."
            ) from err
        try:
            if _is_asgi_middleware(factory, raw_path):
                app = factory(app)
                get_response = None
                continue
            adapter = DjangoMiddlewareAdapter(app, factory, get_response)
        except MiddlewareNotUsed as exc:
            if str(exc):
                logger.debug("MiddlewareNotUsed(%r): %s", raw_path, exc)
            else:
                logger.debug("MiddlewareNotUsed: %r", raw_path)
            continue
        instance = adapter.instance
        if hasattr(instance, "process_view"):
            hooks.view.insert(0, _hook(instance.process_view))
        if hasattr(instance, "process_template_response"):
            hooks.template_response.append(_hook(instance.process_template_response))
        if hasattr(instance, "process_exception"):
            hooks.exception.append(_hook(instance.process_exception))
        app = adapter
        get_response = adapter.get_response_async
    return app, hooks
