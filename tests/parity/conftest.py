"""Parity tests: Django's documented examples, run on FastJango with only the imports changed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fastjango.conf import settings
from fastjango.urls import clear_script_prefix, clear_url_caches, set_urlconf


@pytest.fixture(autouse=True)
def _fresh_url_state() -> Iterator[None]:
    # override_settings layers on the loaded settings: load them before any test uses it.
    assert settings.SECRET_KEY
    clear_url_caches()
    clear_script_prefix()
    set_urlconf(None)
    yield
    clear_url_caches()
    clear_script_prefix()
    set_urlconf(None)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
