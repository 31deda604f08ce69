from __future__ import annotations

import pytest

from fastjango.conf import settings


@pytest.fixture(autouse=True, scope="session")
def _settings_loaded() -> None:
    # override_settings layers on the loaded settings, so load them before any test uses it.
    assert settings.configured or settings.SECRET_KEY


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
