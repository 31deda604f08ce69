"""Turn an exception raised while handling a request into the response Django would send.

``response_for_exception`` may block (error views render templates, receivers of
``got_request_exception`` may do I/O): async code calls ``aresponse_for_exception``,
which runs it in the threadpool, as Django does.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from fastjango.conf import settings
from fastjango.core import signals
from fastjango.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
)
from fastjango.utils.asyncio import run_in_threadpool

if TYPE_CHECKING:
    from fastjango.http import HttpRequest, HttpResponseBase

__all__ = [
    "aresponse_for_exception",
    "get_exception_response",
    "handle_uncaught_exception",
    "log_response",
    "response_for_exception",
]

request_logger = logging.getLogger("fastjango.request")
security_logger_prefix = "fastjango.security."


def response_for_exception(request: HttpRequest, exc: BaseException) -> HttpResponseBase:
    """Return the response for ``exc``: 404, 403, 400 or 500, through the urlconf's handlers."""
    from fastjango.http import Http404
    from fastjango.http.multipartparser import MultiPartParserError, TooManyFilesSent

    response: HttpResponseBase
    if isinstance(exc, Http404):
        if settings.DEBUG:
            from fastjango.views import debug

            response = debug.technical_404_response(request, exc)
        else:
            response = get_exception_response(request, 404, exc)
    elif isinstance(exc, PermissionDenied):
        response = get_exception_response(request, 403, exc)
        log_response(f"Forbidden (Permission denied): {request.path}", request, response, exc)
    elif isinstance(exc, MultiPartParserError):
        response = get_exception_response(request, 400, exc)
        log_response(
            f"Bad request (Unable to parse request body): {request.path}", request, response, exc
        )
    elif isinstance(exc, BadRequest):
        response = _debug_or_handler_400(request, exc)
        log_response(f"{exc}: {request.path}", request, response, exc)
    elif isinstance(exc, SuspiciousOperation):
        if isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
            # Reading POST again would raise again: the error page must not try.
            request._mark_post_parse_error()
        logging.getLogger(security_logger_prefix + type(exc).__name__).error(
            str(exc), exc_info=exc, extra={"status_code": 400, "request": request}
        )
        response = _debug_or_handler_400(request, exc)
    else:
        signals.got_request_exception.send(sender=None, request=request, exception=exc)
        response = handle_uncaught_exception(request, exc)
        log_response(f"{response.reason_phrase}: {request.path}", request, response, exc)
    return _rendered(response)


async def aresponse_for_exception(request: HttpRequest, exc: BaseException) -> HttpResponseBase:
    """Return ``response_for_exception(request, exc)``, computed in the threadpool."""
    return await run_in_threadpool(response_for_exception, request, exc)


def _debug_or_handler_400(request: HttpRequest, exc: BaseException) -> HttpResponseBase:
    if settings.DEBUG:
        from fastjango.views import debug

        return debug.technical_500_response(
            request, type(exc), exc, exc.__traceback__, status_code=400
        )
    return get_exception_response(request, 400, exc)


def get_exception_response(
    request: HttpRequest, status_code: int, exception: BaseException
) -> HttpResponseBase:
    """Return what the ``handlerXXX`` view (or the default one) answers for ``status_code``.

    A handler that fails is reported like any uncaught exception: 500.
    """
    try:
        callback = _error_handler(request, status_code)
        response: HttpResponseBase = callback(request, exception=exception)
        return _rendered(response)
    except Exception as err:
        signals.got_request_exception.send(sender=None, request=request, exception=err)
        return handle_uncaught_exception(request, err)


def _error_handler(request: HttpRequest, status_code: int | str) -> Any:
    from fastjango.urls import get_resolver, get_urlconf
    from fastjango.views import defaults

    urlconf = getattr(request, "urlconf", None) or get_urlconf()
    if urlconf or settings.ROOT_URLCONF:
        handler = get_resolver(urlconf).resolve_error_handler(status_code)
        if handler is not None:
            return handler
    return {
        400: defaults.bad_request,
        403: defaults.permission_denied,
        404: defaults.page_not_found,
        500: defaults.server_error,
    }[int(status_code)]


def handle_uncaught_exception(request: HttpRequest, exc: BaseException) -> HttpResponseBase:
    """Return the 500 response: the debug page when ``DEBUG``, else ``handler500``.

    With ``DEBUG_PROPAGATE_EXCEPTIONS`` the exception is re-raised instead, for
    the server (or a test) to see.
    """
    if settings.DEBUG_PROPAGATE_EXCEPTIONS:
        raise exc
    if settings.DEBUG:
        from fastjango.views import debug

        return debug.technical_500_response(request, type(exc), exc, exc.__traceback__)
    from fastjango.views import defaults

    try:
        response: HttpResponseBase = _error_handler(request, 500)(request)
        return _rendered(response)
    except Exception:
        # The project's own 500 view failed: the built-in page can't.
        request_logger.exception("handler500 failed while reporting an error")
        return defaults.server_error(request)


def _rendered(response: HttpResponseBase) -> HttpResponseBase:
    render = getattr(response, "render", None)
    if callable(render) and not getattr(response, "is_rendered", True):
        rendered: HttpResponseBase = render()
        return rendered
    return response


def log_response(
    message: str,
    request: HttpRequest | None,
    response: HttpResponseBase,
    exception: BaseException | None = None,
) -> None:
    """Log a 4xx (warning) or 5xx (error) response once, on ``fastjango.request``."""
    if getattr(response, "_has_been_logged", False):
        return
    if response.status_code >= 500:
        level = logging.ERROR
    elif response.status_code >= 400:
        level = logging.WARNING
    else:
        level = logging.INFO
    exc_info = (
        (type(exception), exception, exception.__traceback__)
        if exception is not None and level == logging.ERROR
        else None
    )
    request_logger.log(
        level,
        message,
        exc_info=exc_info,
        extra={"status_code": response.status_code, "request": request},
    )
    response._has_been_logged = True  # type: ignore[attr-defined]
