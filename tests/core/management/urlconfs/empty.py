"""A URLconf without patterns."""

from __future__ import annotations

urlpatterns: list[object] = []
