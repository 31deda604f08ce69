"""FastJango's built-in management commands, one module per command."""

from __future__ import annotations

__all__: list[str] = []
