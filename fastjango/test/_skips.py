"""``skipIfDBFeature`` and friends: skip a test, or a test case, by database feature.

On a test the condition is checked when the test runs; on a test case class,
when unittest asks whether to skip it, so the module imports without a database.
"""

from __future__ import annotations

import unittest
from collections.abc import Callable
from functools import wraps
from typing import Any

from fastjango.utils.decorators import iscoroutinefunction

__all__ = ["skipIfDBFeature", "skipUnlessAnyDBFeature", "skipUnlessDBFeature"]


class _CheckCondition:
    """``__unittest_skip__`` of a test case class, decided when unittest asks."""

    def __init__(self, *conditions: tuple[Callable[[], bool], str]) -> None:
        self.conditions = conditions

    def add_condition(self, condition: Callable[[], bool], reason: str) -> _CheckCondition:
        return _CheckCondition(*self.conditions, (condition, reason))

    def __get__(self, instance: Any, cls: type | None = None) -> bool:
        # A subclass that unittest.skip() marked itself is skipped whatever we decide.
        if cls is not None and any(
            getattr(base, "__unittest_skip__", False) is True for base in cls.__bases__
        ):
            return True
        for condition, reason in self.conditions:
            if condition():
                # Read by unittest right after __unittest_skip__.
                if cls is not None:
                    cls.__unittest_skip_why__ = reason  # type: ignore[attr-defined]
                return True
        return False


def _deferred_skip(condition: Callable[[], bool], reason: str, name: str) -> Callable[[Any], Any]:
    from fastjango.db import connection

    def decorator(test_item: Any) -> Any:
        if isinstance(test_item, type) and issubclass(test_item, unittest.TestCase):
            databases = getattr(test_item, "databases", None)
            check = condition
            if not databases or connection.alias not in databases:

                def check() -> bool:
                    # Raised when the test runs, so the test module still imports.
                    raise ValueError(
                        f"{name} cannot be used on {test_item} as it doesn't allow queries "
                        f"against the {connection.alias!r} database."
                    )

            skip = test_item.__dict__.get("__unittest_skip__")
            if isinstance(skip, _CheckCondition):
                setattr(test_item, "__unittest_skip__", skip.add_condition(check, reason))  # noqa: B010
            elif skip is not True:
                setattr(test_item, "__unittest_skip__", _CheckCondition((check, reason)))  # noqa: B010
            return test_item

        def guard(args: tuple[Any, ...]) -> None:
            if (
                args
                and isinstance(args[0], unittest.TestCase)
                and connection.alias not in getattr(args[0], "databases", {})
            ):
                raise ValueError(
                    f"{name} cannot be used on {args[0]} as {type(args[0]).__qualname__} "
                    f"doesn't allow queries against the {connection.alias!r} database."
                )
            if condition():
                raise unittest.SkipTest(reason)

        if iscoroutinefunction(test_item):

            @wraps(test_item)
            async def async_skip_wrapper(*args: Any, **kwargs: Any) -> Any:
                guard(args)
                return await test_item(*args, **kwargs)

            return async_skip_wrapper

        @wraps(test_item)
        def skip_wrapper(*args: Any, **kwargs: Any) -> Any:
            guard(args)
            return test_item(*args, **kwargs)

        return skip_wrapper

    return decorator


def _features() -> Any:
    from fastjango.db import connection

    return connection.features


def skipIfDBFeature(*features: str) -> Callable[[Any], Any]:
    """Skip a test (or test case) if the default database has any of the named features."""
    return _deferred_skip(
        lambda: any(getattr(_features(), feature, False) for feature in features),
        f"Database has feature(s) {', '.join(features)}",
        "skipIfDBFeature",
    )


def skipUnlessDBFeature(*features: str) -> Callable[[Any], Any]:
    """Skip a test (or test case) unless the default database has all the named features."""
    return _deferred_skip(
        lambda: not all(getattr(_features(), feature, False) for feature in features),
        f"Database doesn't support feature(s): {', '.join(features)}",
        "skipUnlessDBFeature",
    )


def skipUnlessAnyDBFeature(*features: str) -> Callable[[Any], Any]:
    """Skip a test (or test case) unless the default database has any of the named features."""
    return _deferred_skip(
        lambda: not any(getattr(_features(), feature, False) for feature in features),
        f"Database doesn't support any of the feature(s): {', '.join(features)}",
        "skipUnlessAnyDBFeature",
    )
