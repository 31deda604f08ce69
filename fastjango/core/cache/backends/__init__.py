"""Cache backends: each ``CACHES`` entry's ``BACKEND`` names a class in one of these modules."""

from __future__ import annotations

__all__: list[str] = []
