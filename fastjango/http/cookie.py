"""Cookie helpers: ``SimpleCookie`` and ``parse_cookie``."""

from __future__ import annotations

from http import cookies

__all__ = ["SimpleCookie", "parse_cookie"]

SimpleCookie = cookies.SimpleCookie


def parse_cookie(cookie: str) -> dict[str, str]:
    """Return the name/value pairs of a ``Cookie:`` header as a dict.

    Parsing is lenient as browsers are: a chunk without ``=`` is a value with
    an empty name, and a malformed chunk never hides the others.
    """
    cookiedict: dict[str, str] = {}
    for chunk in cookie.split(";"):
        if "=" in chunk:
            key, val = chunk.split("=", 1)
        else:
            # Browsers send a nameless cookie this way (Mozilla bug 169091).
            key, val = "", chunk
        key, val = key.strip(), val.strip()
        if key or val:
            cookiedict[key] = cookies._unquote(val)
    return cookiedict
