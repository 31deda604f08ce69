"""Constants shared by the ORM's modules."""

from __future__ import annotations

from enum import Enum

__all__ = ["LOOKUP_SEP", "OnConflict"]

#: Separates field names and lookups in a keyword lookup: ``author__name__iexact``.
LOOKUP_SEP = "__"


class OnConflict(Enum):
    """What ``bulk_create()`` does when a row conflicts with an existing one."""

    IGNORE = "ignore"
    UPDATE = "update"
