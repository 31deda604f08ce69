from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest

from fastjango.apps import apps
from fastjango.conf import settings
from fastjango.test.utils import override_settings

TEMPLATE_DIR = Path(__file__).parent / "templates"
JINJA2 = "fastjango.template.backends.jinja2.Jinja2"


def jinja2_settings(dirs: list[Any] | None = None, **options: Any) -> list[dict[str, Any]]:
    """Return a TEMPLATES setting with one Jinja2 engine on the test templates."""
    entry: dict[str, Any] = {
        "BACKEND": JINJA2,
        "DIRS": [TEMPLATE_DIR] if dirs is None else dirs,
        "OPTIONS": options,
    }
    return [entry]


@contextmanager
def _installed(*names: str) -> Iterator[None]:
    # The registry populates once per process; swap apps the way Django's tests do.
    if not apps.ready:
        apps.populate(settings.INSTALLED_APPS)
    with override_settings(INSTALLED_APPS=list(names)):
        apps.set_installed_apps(names)
        try:
            yield
        finally:
            apps.unset_installed_apps()


@pytest.fixture
def installed_apps() -> Callable[..., AbstractContextManager[None]]:
    """Return a context manager factory: ``with installed_apps("tests.template.app_a"):``."""
    return _installed


@pytest.fixture
def templates_settings() -> Iterator[None]:
    """Configure one Jinja2 engine over tests/template/templates, no apps."""
    with override_settings(TEMPLATES=jinja2_settings()):
        yield


@pytest.fixture(autouse=True)
def _app_registry_ready() -> None:
    # The default engine looks in installed apps, which needs a populated registry.
    if not apps.ready:
        apps.populate(settings.INSTALLED_APPS)
