"""Template engine backends: ``base.BaseEngine`` and the ``jinja2.Jinja2`` engine."""

from __future__ import annotations

__all__: list[str] = []
