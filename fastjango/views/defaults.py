"""Django's default error views: 404, 500, 400 and 403.

Each renders its template (``404.html`` and so on) when one exists, and a plain
built-in page otherwise. The root urlconf's ``handler404``, ``handler500``,
``handler400`` and ``handler403`` default to them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from fastjango.http import (
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from fastjango.utils.html import escape

if TYPE_CHECKING:
    from fastjango.http import HttpRequest

__all__ = [
    "ERROR_400_TEMPLATE_NAME",
    "ERROR_403_TEMPLATE_NAME",
    "ERROR_404_TEMPLATE_NAME",
    "ERROR_500_TEMPLATE_NAME",
    "ERROR_PAGE_TEMPLATE",
    "bad_request",
    "page_not_found",
    "permission_denied",
    "server_error",
]

ERROR_404_TEMPLATE_NAME = "404.html"
ERROR_403_TEMPLATE_NAME = "403.html"
ERROR_400_TEMPLATE_NAME = "400.html"
ERROR_500_TEMPLATE_NAME = "500.html"
ERROR_PAGE_TEMPLATE = """
<!doctype html>
<html lang="en">
<head>
  <title>%(title)s</title>
</head>
<body>
  <h1>%(title)s</h1><p>%(details)s</p>
</body>
</html>
"""


def _get_template(template_name: str, default_name: str) -> Any:
    """Return the template, or ``None`` if the default one does not exist.

    A missing custom template name is an error and re-raises.
    """
    from fastjango.template import TemplateDoesNotExist
    from fastjango.template.loader import get_template

    try:
        return get_template(template_name)
    except TemplateDoesNotExist:
        if template_name != default_name:
            raise
        return None


def _builtin_page(title: str, details: str = "") -> str:
    return ERROR_PAGE_TEMPLATE % {"title": escape(title), "details": escape(details)}


def page_not_found(
    request: HttpRequest,
    exception: BaseException | None,
    template_name: str = ERROR_404_TEMPLATE_NAME,
) -> HttpResponseNotFound:
    """Render the 404 page.

    The template gets ``request_path`` (quoted) and ``exception``: the
    exception's message when it is a string, else its class name (never the
    resolver's ``tried`` patterns).
    """
    exception_repr = type(exception).__name__
    try:
        message = exception.args[0]  # type: ignore[union-attr]
    except (AttributeError, IndexError):
        pass
    else:
        if isinstance(message, str):
            exception_repr = message
    # A server may pass undecodable bytes through as surrogates: percent-encode them.
    request_path = quote(request.path, errors="surrogateescape")
    context = {"request_path": request_path, "exception": exception_repr}
    template = _get_template(template_name, ERROR_404_TEMPLATE_NAME)
    if template is None:
        body = _builtin_page("Not Found", "The requested resource was not found on this server.")
    else:
        body = template.render(context, request)
    return HttpResponseNotFound(body)


def server_error(
    request: HttpRequest, template_name: str = ERROR_500_TEMPLATE_NAME
) -> HttpResponseServerError:
    """Render the 500 page; its template gets an empty context, so nothing can fail again."""
    template = _get_template(template_name, ERROR_500_TEMPLATE_NAME)
    if template is None:
        return HttpResponseServerError(_builtin_page("Server Error (500)"))
    return HttpResponseServerError(template.render())


def bad_request(
    request: HttpRequest,
    exception: BaseException | None,
    template_name: str = ERROR_400_TEMPLATE_NAME,
) -> HttpResponseBadRequest:
    """Render the 400 page; the exception is not shown, so nothing sensitive leaks."""
    template = _get_template(template_name, ERROR_400_TEMPLATE_NAME)
    if template is None:
        return HttpResponseBadRequest(_builtin_page("Bad Request (400)"))
    return HttpResponseBadRequest(template.render())


def permission_denied(
    request: HttpRequest,
    exception: BaseException | None,
    template_name: str = ERROR_403_TEMPLATE_NAME,
) -> HttpResponseForbidden:
    """Render the 403 page; its template gets ``exception`` as a string."""
    template = _get_template(template_name, ERROR_403_TEMPLATE_NAME)
    if template is None:
        return HttpResponseForbidden(_builtin_page("403 Forbidden"))
    return HttpResponseForbidden(
        template.render(request=request, context={"exception": str(exception)})
    )
