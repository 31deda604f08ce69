"""Serialization formats (``dumpdata``/``loaddata``); ``json.DjangoJSONEncoder`` for now."""

from __future__ import annotations

__all__: list[str] = []
