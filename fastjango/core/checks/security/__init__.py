"""Deployment security checks, run by ``check --deploy``."""

from __future__ import annotations

__all__: list[str] = []
