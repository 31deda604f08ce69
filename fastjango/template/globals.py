"""The globals every FastJango Jinja2 environment has: ``url()``, ``static()``, CSRF values."""

from __future__ import annotations

from typing import Any

import jinja2
from jinja2.runtime import Context

from fastjango.template._optional import import_optional
from fastjango.templatetags.static import static
from fastjango.utils.html import format_html
from fastjango.utils.module_loading import import_string

__all__ = ["CsrfInput", "CsrfToken", "get_csrf_token", "static", "url"]


@jinja2.pass_context
def url(context: Context, viewname: Any, *args: Any, **kwargs: Any) -> str:
    """Return the URL of a view, as ``{% url %}``: ``url('polls:detail', poll.pk)``.

    Positional arguments fill the pattern's positional groups and keyword
    arguments its named ones, through ``fastjango.urls.reverse``. As with
    ``{% url %}``, an application namespace resolves to the instance serving
    the current request (``request.current_app``, else the namespace the
    request's URL matched in).
    """
    reverse = import_string("fastjango.urls.reverse")
    return str(
        reverse(
            viewname,
            args=args or None,
            kwargs=kwargs or None,
            current_app=_current_app(context.get("request")),
        )
    )


def _current_app(request: Any) -> str | None:
    if request is None:
        return None
    current_app = getattr(request, "current_app", None)
    if current_app is None:
        current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
    return current_app or None


def get_csrf_token(request: Any) -> str:
    """Return the request's CSRF token, or ``""`` when CSRF protection is not available."""
    if request is None:
        return ""
    csrf = import_optional("fastjango.middleware.csrf")
    if csrf is None:
        return ""
    return str(csrf.get_token(request))


class CsrfToken:
    """The CSRF token of a request, fetched on first use (so unused, it costs nothing)."""

    __slots__ = ("_request", "_token")

    def __init__(self, request: Any) -> None:
        self._request = request
        self._token: str | None = None

    def _get(self) -> str:
        if self._token is None:
            self._token = get_csrf_token(self._request)
        return self._token

    def __str__(self) -> str:
        return self._get()

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    def __bool__(self) -> bool:
        return bool(str(self))

    def __len__(self) -> int:
        return len(str(self))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CsrfToken):
            return str(self) == str(other)
        return str(self) == other

    def __hash__(self) -> int:
        return hash(str(self))


class CsrfInput(CsrfToken):
    """The hidden ``csrfmiddlewaretoken`` form field, safe HTML, built on first use."""

    __slots__ = ()

    def __str__(self) -> str:
        token = self._get()
        if not token:
            return ""
        return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)

    def __html__(self) -> str:
        return str(self)
