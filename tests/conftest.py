from __future__ import annotations

import os

import pytest

os.environ.setdefault("FASTJANGO_SETTINGS_MODULE", "tests.settings")

import fastjango  # noqa: E402 - settings must be named first

fastjango.setup()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
