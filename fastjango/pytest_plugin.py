"""The pytest plugin: ``settings``, ``client``, ``async_client``, ``rf`` and ``async_rf`` fixtures.

Installed as a ``pytest11`` entry point, so it is loaded wherever FastJango is
installed, but it does nothing (no fixtures, no markers, no settings) until a
settings module is named, by (first wins) the ``--fastjango-settings`` (``--fs``)
option, the ``FASTJANGO_SETTINGS_MODULE`` environment variable, or the
``FASTJANGO_SETTINGS_MODULE`` ini option.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from fastjango.conf import ENVIRONMENT_VARIABLE

__all__ = ["FastJangoFixtures", "SettingsWrapper"]

# Sessions configured in this process; a pytester run inside a test is a second one.
_sessions = 0


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


def settings_module(config: pytest.Config) -> str | None:
    """Return the settings module named for this run, or None when FastJango isn't used."""
    module = (
        config.getoption("fastjango_settings")
        or os.environ.get(ENVIRONMENT_VARIABLE)
        or config.getini(ENVIRONMENT_VARIABLE)
    )
    return str(module) if module else None


def pytest_configure(config: pytest.Config) -> None:
    module = settings_module(config)
    if module is None:
        return
    config.addinivalue_line(
        "markers", "fastjango_db: the test uses the database (comes with the ORM)"
    )
    os.environ[ENVIRONMENT_VARIABLE] = module
    _make_importable(module, str(config.rootpath))
    import fastjango
    from fastjango.core.exceptions import ImproperlyConfigured

    try:
        fastjango.setup()
    except (ImportError, ImproperlyConfigured) as err:
        raise pytest.UsageError(
            f"FastJango settings module {module!r} can't be used: {err} Check "
            f"--fastjango-settings, {ENVIRONMENT_VARIABLE} or the ini option of that name."
        ) from err
    global _sessions
    if _sessions == 0:
        from fastjango.test.utils import setup_test_environment

        setup_test_environment()
    _sessions += 1
    config.add_cleanup(_end_session)
    config.pluginmanager.register(FastJangoFixtures(), "fastjango.fixtures")


def _make_importable(module: str, rootdir: str) -> None:
    # A project run from its own directory: its settings package lives there.
    try:
        found = importlib.util.find_spec(module) is not None
    except ImportError:
        found = False
    if not found and rootdir not in sys.path:
        sys.path.insert(0, rootdir)


def _end_session() -> None:
    global _sessions
    _sessions -= 1
    if _sessions == 0:
        from fastjango.test.utils import teardown_test_environment

        teardown_test_environment()


class SettingsWrapper:
    """Change settings for one test by assignment: ``settings.DEBUG = True``.

    ``del settings.NAME`` makes a setting missing. Every change is undone when the
    test ends, and ``setting_changed`` is sent both ways, as with
    ``override_settings`` (a deleted setting is announced with the value None).
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
        override = _deleted_setting(name)
        override.enable()
        self._overrides.append(override)

    def finalize(self) -> None:
        """Undo every change, newest first."""
        overrides = self._overrides
        while overrides:
            overrides.pop().disable()


def _deleted_setting(name: str) -> Any:
    from fastjango.conf import settings
    from fastjango.core.signals import setting_changed
    from fastjango.test.utils import override_settings

    class delete_setting(override_settings):
        def enable(self) -> None:
            super().enable()
            delattr(settings, name)
            setting_changed.send(
                sender=settings._wrapped.__class__, setting=name, value=None, enter=True
            )

        def disable(self) -> None:
            super().disable()
            setting_changed.send(
                sender=settings._wrapped.__class__,
                setting=name,
                value=getattr(settings, name, None),
                enter=False,
            )

    return delete_setting()


class FastJangoFixtures:
    """The fixtures, registered only when a settings module is configured."""

    @pytest.fixture
    def settings(self) -> Iterator[SettingsWrapper]:
        """Settings that a test may change by assignment; restored afterwards."""
        wrapper = SettingsWrapper()
        yield wrapper
        wrapper.finalize()

    @pytest.fixture
    def client(self) -> Any:
        """A ``fastjango.test.Client``."""
        from fastjango.test import Client

        return Client()

    @pytest.fixture
    def async_client(self) -> Any:
        """A ``fastjango.test.AsyncClient``."""
        from fastjango.test import AsyncClient

        return AsyncClient()

    @pytest.fixture
    def rf(self) -> Any:
        """A ``fastjango.test.RequestFactory``."""
        from fastjango.test import RequestFactory

        return RequestFactory()

    @pytest.fixture
    def async_rf(self) -> Any:
        """A ``fastjango.test.AsyncRequestFactory``."""
        from fastjango.test import AsyncRequestFactory

        return AsyncRequestFactory()
