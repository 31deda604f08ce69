"""Every URL test starts with empty caches and the default script prefix and urlconf."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fastjango.urls import clear_script_prefix, clear_url_caches, set_urlconf


@pytest.fixture(autouse=True)
def _fresh_url_state() -> Iterator[None]:
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
