"""The pytester fixture, for the pytest plugin's tests."""

from __future__ import annotations

pytest_plugins = ["pytester"]
