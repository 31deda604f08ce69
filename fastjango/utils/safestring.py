"""Strings marked safe for HTML output: ``mark_safe``, ``SafeString``, ``SafeData``.

``SafeString`` subclasses ``markupsafe.Markup``, so Jinja2's autoescaping and
any library that honours the ``__html__`` protocol leave it alone. Where
Django and Markup disagree, the Python API follows Django: adding a plain
string to a safe one gives a plain (unsafe) string, and ``str()`` of a safe
string stays safe.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from fastjango.utils.functional import Promise, keep_lazy

__all__ = ["SafeData", "SafeString", "SafeText", "mark_safe"]


class SafeData:
    """Mixin for values that may be output in HTML without escaping."""

    __slots__ = ()

    def __html__(self) -> Any:
        """Return this value: it is already safe, as the ``__html__`` protocol expects."""
        return self


class SafeString(Markup, SafeData):
    """A ``str`` marked safe for HTML output."""

    __slots__ = ()

    def __add__(self, rhs: str) -> Any:  # type: ignore[override]
        # Django's rule: safe + safe stays safe; safe + plain is a plain str (it
        # is escaped later), where Markup would escape the plain part now.
        joined = str.__add__(str.__str__(self), rhs)
        return SafeString(joined) if hasattr(rhs, "__html__") else joined

    def __radd__(self, lhs: str) -> Any:  # type: ignore[override]
        joined = str.__add__(str.__str__(lhs), str.__str__(self))
        return SafeString(joined) if hasattr(lhs, "__html__") else joined

    def __str__(self) -> SafeString:
        return self

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str.__repr__(self)})"

    def __getitem__(self, key: Any) -> str:  # type: ignore[override]
        # A slice may cut an entity or a tag in half, so it is not safe (Django).
        return str.__getitem__(str.__str__(self), key)


SafeText = SafeString
"""Django's old name for ``SafeString``."""


def _safety_decorator(
    safety_marker: Callable[[Any], Any], func: Callable[..., Any]
) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return safety_marker(func(*args, **kwargs))

    return wrapper


@keep_lazy(SafeString)
def _mark_safe_lazy(s: Any) -> Any:
    return mark_safe(str(s))


def mark_safe(s: Any) -> Any:
    """Mark a string as safe for HTML output and return it.

    Objects with ``__html__`` come back unchanged; a callable is decorated so
    that its result is marked safe. The caller vouches for the content: never
    pass user input here.
    """
    if hasattr(s, "__html__"):
        return s
    if isinstance(s, Promise):
        return _mark_safe_lazy(s)
    if callable(s):
        return _safety_decorator(mark_safe, s)
    return SafeString(s)


def _plain_str(value: Any) -> str:
    """Return ``value`` as an exact ``str``, dropping any safe marking.

    String methods on a ``Markup`` escape their arguments, so text processing
    must run on a plain ``str`` and mark the result safe afterwards.
    """
    text = str(value)
    return text if type(text) is str else str.__str__(text)
