"""Imported by the registry's models phase; models will be declared here."""

from __future__ import annotations

__all__: list[str] = []
