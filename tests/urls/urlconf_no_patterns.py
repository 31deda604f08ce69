"""A module that forgot its urlpatterns."""

from __future__ import annotations

patterns: list[object] = []
