"""Registers itself when imported, as admin.py modules do."""

from __future__ import annotations

from tests.apps.events import DISCOVERED, SITE

__all__: list[str] = []

DISCOVERED.append(__name__)
SITE._registry[__name__] = True
