"""Helpers for keys built outside the cache API: ``make_template_fragment_key``."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

__all__ = ["TEMPLATE_FRAGMENT_KEY_TEMPLATE", "make_template_fragment_key"]

TEMPLATE_FRAGMENT_KEY_TEMPLATE = "template.cache.%s.%s"


def make_template_fragment_key(fragment_name: str, vary_on: Iterable[Any] | None = None) -> str:
    """Return the cache key the ``{% cache %}`` tag uses for a fragment and its vary-on values.

    Delete that key to invalidate one cached fragment.
    """
    hasher = hashlib.md5(usedforsecurity=False)
    if vary_on is not None:
        for arg in vary_on:
            hasher.update(str(arg).encode())
            hasher.update(b":")
    return TEMPLATE_FRAGMENT_KEY_TEMPLATE % (fragment_name, hasher.hexdigest())
