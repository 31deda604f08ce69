"""The pytest plugin: ``settings``, ``client``, ``async_client``, ``rf`` and ``async_rf`` fixtures.

Installed as a ``pytest11`` entry point, so it is active wherever FastJango is
installed. It does nothing until a settings module is named, by (first wins) the
``--fastjango-settings`` option, the ``FASTJANGO_SETTINGS_MODULE`` environment
variable, or the ``FASTJANGO_SETTINGS_MODULE`` ini option.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from fastjango.conf import ENVIRONMENT_VARIABLE

__all__ = ["SettingsWrapper"]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fastjango")
    group.addoption(
        "--fastjango-settings",
        "--fs",
        dest="fastjango_settings",
        default=None,
        help="Dotted path of the FastJango settings module to test with.",
    )
    parser.addini(ENVIRONMENT_VARIABLE, "FastJango settings module to test with.", default=None)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "fastjango_db: the test uses the database (comes with the ORM)"
    )
    module = (
        config.getoption("fastjango_settings")
        or os.environ.get(ENVIRONMENT_VARIABLE)
        or config.getini(ENVIRONMENT_VARIABLE)
    )
    if module:
        os.environ[ENVIRONMENT_VARIABLE] = str(module)
        import fastjango
        from fastjango.test.utils import setup_test_environment

        fastjango.setup()
        setup_test_environment()
        config.add_cleanup(_teardown_test_environment)


def _teardown_test_environment() -> None:
    from fastjango.test.utils import teardown_test_environment

    teardown_test_environment()


class SettingsWrapper:
    """Change settings for one test by assignment: ``settings.DEBUG = True``.

    Every change is undone when the test ends, and ``setting_changed`` is sent both
    ways, as with ``override_settings``.
    """

    def __init__(self) -> None:
        object.__setattr__(self, "_overrides", [])

    def __getattr__(self, name: str) -> Any:
        from fastjango.conf import settings

        return getattr(settings, name)

    def __setattr__(self, name: str, value: Any) -> None:
        from fastjango.test.utils import override_settings

        override = override_settings(**{name: value})
        override.enable()
        self._overrides.append(override)

    def __delattr__(self, name: str) -> None:
        from fastjango.conf import settings
        from fastjango.test.utils import override_settings

        override = override_settings()
        override.enable()
        self._overrides.append(override)
        delattr(settings, name)

    def finalize(self) -> None:
        """Undo every change, newest first."""
        for override in reversed(self._overrides):
            override.disable()
        self._overrides.clear()


@pytest.fixture
def settings() -> Iterator[SettingsWrapper]:
    """Settings that a test may change by assignment; restored afterwards."""
    wrapper = SettingsWrapper()
    yield wrapper
    wrapper.finalize()


@pytest.fixture
def client() -> Any:
    """A ``fastjango.test.Client``."""
    from fastjango.test import Client

    return Client()


@pytest.fixture
def async_client() -> Any:
    """A ``fastjango.test.AsyncClient``."""
    from fastjango.test import AsyncClient

    return AsyncClient()


@pytest.fixture
def rf() -> Any:
    """A ``fastjango.test.RequestFactory``."""
    from fastjango.test import RequestFactory

    return RequestFactory()


@pytest.fixture
def async_rf() -> Any:
    """A ``fastjango.test.AsyncRequestFactory``."""
    from fastjango.test import AsyncRequestFactory

    return AsyncRequestFactory()
