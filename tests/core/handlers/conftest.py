"""Fixtures of the request handler tests: the urlconf, templates and a client factory."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from fastjango.test import Client, override_settings

from . import middleware, views

MW = "tests.core.handlers.middleware."


@pytest.fixture(autouse=True)
def handler_settings() -> Iterator[None]:
    middleware.calls.clear()
    views.seen.clear()
    with override_settings(ROOT_URLCONF="tests.core.handlers.urls", TEMPLATES=views.TEMPLATES):
        yield


@pytest.fixture
def make_client() -> Iterator[Callable[..., Client]]:
    """Return ``make(*middleware_names, **settings)``: a client over that configuration."""
    active: list[override_settings] = []

    def make(*names: str, raise_request_exception: bool = False, **options: Any) -> Client:
        options.setdefault("MIDDLEWARE", [n if "." in n else MW + n for n in names])
        override = override_settings(**options)
        override.enable()
        active.append(override)
        return Client(raise_request_exception=raise_request_exception)

    yield make
    for override in reversed(active):
        override.disable()
