"""Built-in pure-ASGI middleware, with the names and behaviour of Django's ``django.middleware``."""

from __future__ import annotations

__all__: list[str] = []
