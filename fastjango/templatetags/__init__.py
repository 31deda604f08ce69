"""Template helpers: ``static``; the ``{% cache %}`` extension lives in ``cache``."""

from __future__ import annotations

__all__: list[str] = []
