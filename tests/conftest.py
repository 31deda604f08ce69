from __future__ import annotations

import os

import pytest

os.environ.setdefault("FASTJANGO_SETTINGS_MODULE", "tests.settings")

import fastjango

fastjango.setup()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
