"""LOGGING and LOGGING_CONFIG are applied by fastjango.setup(), as in Django."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from fastjango.test import override_settings
from fastjango.utils.log import RequireDebugFalse, RequireDebugTrue, configure_logging

calls: list[dict[str, Any]] = []


def record_config(config: dict[str, Any]) -> None:
    calls.append(config)


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    logger = logging.getLogger("fastjango")
    handlers, level, propagate = list(logger.handlers), logger.level, logger.propagate
    calls.clear()
    yield
    logger.handlers[:] = handlers
    logger.setLevel(level)
    logger.propagate = propagate


def test_default_logging_prints_fastjango_records_only_with_debug() -> None:
    configure_logging("logging.config.dictConfig", {})
    handler = logging.getLogger("fastjango").handlers[0]
    record = logging.LogRecord("fastjango.request", logging.INFO, "", 0, "hi", None, None)
    with override_settings(DEBUG=True):
        assert handler.filter(record)
    with override_settings(DEBUG=False):
        assert not handler.filter(record)


def test_project_logging_goes_through_logging_config() -> None:
    config = {"version": 1, "loggers": {"myproject": {"level": "DEBUG"}}}
    configure_logging("tests.utils.test_log.record_config", config)
    assert calls == [config]


def test_logging_config_none_leaves_logging_alone() -> None:
    logger = logging.getLogger("fastjango")
    before = list(logger.handlers)
    configure_logging(None, {"version": 1})
    assert logger.handlers == before
    assert calls == []


def test_debug_filters() -> None:
    record = logging.LogRecord("x", logging.INFO, "", 0, "msg", None, None)
    with override_settings(DEBUG=True):
        assert RequireDebugTrue().filter(record) and not RequireDebugFalse().filter(record)
    with override_settings(DEBUG=False):
        assert RequireDebugFalse().filter(record) and not RequireDebugTrue().filter(record)
