"""State the sample apps record, so tests can see what ran and when."""

from __future__ import annotations

from typing import Any

__all__ = ["DISCOVERED", "READY_CALLS", "SITE", "Site"]

READY_CALLS: list[tuple[str, bool, list[bool]]] = []
DISCOVERED: list[str] = []


class Site:
    """Stands in for an admin site: something modules register things into."""

    def __init__(self) -> None:
        self._registry: dict[str, Any] = {}


SITE = Site()
