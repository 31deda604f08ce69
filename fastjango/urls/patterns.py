"""The two kinds of URL pattern: ``path()`` routes and ``re_path()`` regexes.

Each compiles its regex once, on first use, and matches with the least work it
can: a route without converters is a plain string comparison.
"""

from __future__ import annotations

import functools
import re
import string
from functools import cached_property
from typing import Any

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.urls.converters import Converter, get_converters
from fastjango.utils.regex_helper import _lazy_re_compile

__all__ = ["MatchResult", "RegexPattern", "RoutePattern"]

# (path left after the match, positional args, keyword args)
MatchResult = tuple[str, tuple[Any, ...], dict[str, Any]]

_PARAMETER_RE = _lazy_re_compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")
_WHITESPACE = frozenset(string.whitespace)
# Characters that make a regex more than a literal string (outside a class).
_REGEX_SPECIAL = frozenset(".^$*+?{}[]\\|()")


class _PatternBase:
    """What both pattern kinds share: a name, converters and a description."""

    name: str | None
    converters: dict[str, Converter]
    _is_endpoint: bool
    # (text, exact) when matching needs no regex: the path must equal ``text``
    # (exact) or start with it. None when a regex is needed.
    _static: tuple[str, bool] | None

    def _match_static(self, path: str) -> MatchResult | None:
        text, exact = self._static  # type: ignore[misc]
        if exact:
            return ("", (), {}) if path == text else None
        if path.startswith(text):
            return path[len(text) :], (), {}
        return None

    def describe(self) -> str:
        """Return the pattern quoted, with its name, for error messages."""
        description = f"'{self}'"
        if self.name:
            description += f" [name='{self.name}']"
        return description


class RegexPattern(_PatternBase):
    """A ``re_path()`` regex: named groups become kwargs, other groups positional args."""

    def __init__(self, regex: Any, name: str | None = None, is_endpoint: bool = False) -> None:
        self._regex = regex
        self._is_endpoint = is_endpoint
        self.name = name
        self.converters = {}
        source = str(regex)
        self._static = self._literal(source, is_endpoint)
        self._lead = self._literal_lead(source)

    @staticmethod
    def _literal_lead(source: str) -> str:
        """Return the literal text every match starts with ("" when unsure), e.g. "blog/"."""
        if not source.startswith("^") or "|" in source:
            return ""
        end = 1
        while end < len(source) and source[end] not in _REGEX_SPECIAL:
            end += 1
        lead = source[1:end]
        if end < len(source) and source[end] in "?*+{":
            lead = lead[:-1]  # the last character is quantified
        return lead

    @staticmethod
    def _literal(source: str, is_endpoint: bool) -> tuple[str, bool] | None:
        """Return the ``_static`` form of a regex that is an anchored literal, like ``^/``."""
        if not source.startswith("^"):
            return None
        text = source[1:]
        exact = text.endswith("$")
        if exact:
            # "$" outside fullmatch() also accepts a trailing newline: keep the regex.
            if not is_endpoint:
                return None
            text = text[:-1]
        if _REGEX_SPECIAL.isdisjoint(text):
            return text, exact
        return None

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The compiled regex; raise ``ImproperlyConfigured`` when it does not compile."""
        try:
            return re.compile(str(self._regex))
        except re.error as err:
            raise ImproperlyConfigured(
                f'"{self._regex}" is not a valid regular expression: {err}'
            ) from err

    @cached_property
    def _find(self) -> Any:
        regex = self.regex
        # An endpoint regex ending in "$" must match the whole path; "$" alone
        # would also accept a trailing newline.
        if self._is_endpoint and regex.pattern.endswith("$"):
            return regex.fullmatch
        return regex.search

    def match(self, path: str) -> MatchResult | None:
        """Return ``(rest of path, args, kwargs)`` when the regex matches, else None."""
        if self._static is not None:
            return self._match_static(path)
        if not path.startswith(self._lead):
            return None
        found = self._find(path)
        if found is None:
            return None
        groups = found.groupdict()
        if groups:
            # Any named group wins: unnamed groups are then ignored, as in Django.
            return path[found.end() :], (), {k: v for k, v in groups.items() if v is not None}
        return path[found.end() :], found.groups(), {}

    def __str__(self) -> str:
        return str(self._regex)


@functools.cache
def _route_to_regex(route: str, is_endpoint: bool) -> tuple[str, dict[str, Converter]]:
    """Return the regex source for a ``path()`` route and its converters by parameter.

    ``"books/<int:pk>/"`` gives ``"^books/(?P<pk>[0-9]+)/"`` (plus ``\\Z`` for an
    endpoint) and ``{"pk": IntConverter()}``.
    """
    converters_by_name = get_converters()
    parts = ["^"]
    converters: dict[str, Converter] = {}
    end = 0
    for found in _PARAMETER_RE.finditer(route):
        if not _WHITESPACE.isdisjoint(found[0]):
            raise ImproperlyConfigured(
                f"URL route {route!r} cannot contain whitespace in angle brackets <…>."
            )
        raw_converter, parameter = found.group("converter"), found.group("parameter")
        raw_converter = raw_converter or "str"
        if not parameter.isidentifier():
            raise ImproperlyConfigured(
                f"URL route {route!r} uses parameter name {parameter!r} which "
                "isn't a valid Python identifier."
            )
        try:
            converter = converters_by_name[raw_converter]
        except KeyError as err:
            raise ImproperlyConfigured(
                f"URL route {route!r} uses invalid converter {raw_converter!r}."
            ) from err
        converters[parameter] = converter
        parts.append(re.escape(route[end : found.start()]))
        parts.append(f"(?P<{parameter}>{converter.regex})")
        end = found.end()
    parts.append(re.escape(route[end:]))
    if is_endpoint:
        parts.append(r"\Z")
    return "".join(parts), converters


class RoutePattern(_PatternBase):
    """A ``path()`` route such as ``"books/<int:pk>/"``.

    An unknown converter, a parameter that is not an identifier or whitespace
    inside ``<...>`` raises ``ImproperlyConfigured`` here, when the urlconf loads.
    """

    def __init__(self, route: Any, name: str | None = None, is_endpoint: bool = False) -> None:
        self._route = route
        self._route_str = str(route)
        source, converters = _route_to_regex(self._route_str, is_endpoint)
        self._regex = source
        # Copied: the cached dict is shared by every pattern with this route.
        self.converters = dict(converters)
        self._is_endpoint = is_endpoint
        self.name = name
        self._static = None if converters else (self._route_str, is_endpoint)
        # The text before the first <parameter>: a cheap test before the regex.
        self._lead = self._route_str.partition("<")[0]

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The compiled regex (used when the route has converters, and by reverse())."""
        return re.compile(self._regex)

    def match(self, path: str) -> MatchResult | None:
        """Return ``(rest of path, (), kwargs)`` when the route matches, else None.

        A converter whose ``to_python`` raises ``ValueError`` makes it no match.
        """
        if self._static is not None:
            return self._match_static(path)
        if not path.startswith(self._lead):
            return None
        found = self.regex.search(path)
        if found is None:
            return None
        kwargs = found.groupdict()
        converters = self.converters
        for key, value in kwargs.items():
            try:
                kwargs[key] = converters[key].to_python(value)
            except ValueError:
                return None
        return path[found.end() :], (), kwargs

    def __str__(self) -> str:
        return self._route_str
