"""A module that exists but cannot be imported: its dependency is missing."""

import fastjango_missing_dependency_for_tests  # type: ignore[import-not-found]  # noqa: F401
