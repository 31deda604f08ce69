"""The URL system's exceptions, with Django's names."""

from __future__ import annotations

from fastjango.http import Http404

__all__ = ["NoReverseMatch", "Resolver404"]


class Resolver404(Http404):
    """No URL pattern matched; ``args[0]`` is ``{"path": ..., "tried": [...]}``."""


class NoReverseMatch(Exception):
    """``reverse()`` found no pattern for the name and arguments given."""
