"""Registers, then fails: autodiscover_modules() must undo the registration."""

from __future__ import annotations

from tests.apps.events import SITE

__all__: list[str] = []

SITE._registry[__name__] = True
raise ValueError("registrations failed")
