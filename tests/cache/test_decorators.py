"""``@cached``: results of plain sync and async functions, keyed by their arguments."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import pathlib
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import anyio.to_thread
import pytest

from fastjango.core.cache import caches
from fastjango.core.cache.backends.base import BaseCache
from fastjango.core.cache.decorators import _canonical, cached
from fastjango.test.utils import override_settings

pytestmark = pytest.mark.anyio


@pytest.fixture(params=["locmem", "redis", "memcached"])
def default_cache(
    request: pytest.FixtureRequest, tmp_path: Any, make_cache: Callable[..., BaseCache]
) -> Iterator[BaseCache]:
    """Make the parametrized backend the ``default`` cache (plus a ``second`` locmem one)."""
    from tests.cache.conftest import backend_params

    entry = backend_params(request.param, f"dec{uuid.uuid4().hex[:12]}", tmp_path)
    second = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)}
    with override_settings(CACHES={"default": entry, "second": second}):
        yield caches["default"]
        caches["default"].close()


class Color(enum.Enum):
    RED = 1


@dataclasses.dataclass
class Point:
    x: int
    y: int


class Opaque:
    pass


class FakeModel:
    """Stands for a model instance: keyed by class and primary key."""

    _meta = object()

    def __init__(self, pk: int) -> None:
        self.pk = pk


def test_sync_function(default_cache: BaseCache) -> None:
    calls: list[tuple[Any, ...]] = []

    @cached(60)
    def add(x: int, y: int = 1) -> int:
        calls.append((x, y))
        return x + y

    assert add(1, 2) == 3
    assert add(1, 2) == 3
    assert add(1, y=2) == 3
    assert add(x=1, y=2) == 3
    assert calls == [(1, 2)]
    assert add(5) == 6
    assert add(5, 1) == 6
    assert calls == [(1, 2), (5, 1)]
    assert add.__name__ == "add"
    assert add.invalidate(1, 2) is True
    assert add.invalidate(1, 2) is False
    assert add(1, 2) == 3
    assert calls[-1] == (1, 2)
    add.cache_clear()
    add(5)
    assert calls[-1] == (5, 1)
    assert len(calls) == 4


async def test_async_function(default_cache: BaseCache) -> None:
    calls: list[str] = []

    @cached(60)
    async def greet(name: str) -> str:
        calls.append(name)
        return f"hello {name}"

    assert await greet("ann") == "hello ann"
    assert await greet("ann") == "hello ann"
    assert await greet(name="ann") == "hello ann"
    assert calls == ["ann"]
    assert await greet.invalidate("ann") is True
    assert await greet("ann") == "hello ann"
    await greet.cache_clear()
    assert await greet("ann") == "hello ann"
    assert calls == ["ann", "ann", "ann"]
    import inspect

    assert inspect.iscoroutinefunction(greet)


def test_none_results_are_cached(default_cache: BaseCache) -> None:
    calls = 0

    @cached
    def nothing() -> None:
        nonlocal calls
        calls += 1

    nothing()
    nothing()
    assert calls == 1


def test_timeout_zero_never_caches_and_exceptions_are_not_cached(
    default_cache: BaseCache,
) -> None:
    calls = 0

    @cached(0)
    def uncached() -> int:
        nonlocal calls
        calls += 1
        return calls

    assert uncached() == 1
    assert uncached() == 2

    @cached(None)
    def failing(fail: bool) -> str:
        nonlocal calls
        calls += 1
        if fail:
            raise RuntimeError("boom")
        return "ok"

    with pytest.raises(RuntimeError):
        failing(True)
    with pytest.raises(RuntimeError):
        failing(True)
    assert calls == 4


def test_other_cache_and_key_prefix(default_cache: BaseCache) -> None:
    @cached(60, cache="second", key_prefix="mine")
    def value(x: int) -> int:
        return x * 2

    assert value(2) == 4
    keys = [k for k in caches["second"]._cache if "mine:" in k]  # type: ignore[attr-defined]
    assert len(keys) == 2  # the result and the generation token
    assert default_cache.get_many(keys) == {}


def test_functions_with_one_name_in_two_modules_do_not_clash(default_cache: BaseCache) -> None:
    def make(result: str) -> Callable[[], str]:
        def f() -> str:
            return result

        f.__module__ = f"module_{result}"
        return cached(60)(f)

    assert make("a")() == "a"
    assert make("b")() == "b"


def test_generation_survives_eviction(default_cache: BaseCache) -> None:
    calls = 0

    @cached(60)
    def value() -> int:
        nonlocal calls
        calls += 1
        return calls

    assert value() == 1
    value.cache_clear()
    assert value() == 2
    # Losing the generation token (an eviction) starts a new generation, never an old one.
    default_cache.delete(f"fastjango.cached:{__name__}.{value.__qualname__}:generation")
    assert value() == 3


async def test_sync_function_from_async_code_via_threads(default_cache: BaseCache) -> None:
    @cached(60)
    def square(x: int) -> int:
        return x * x

    assert await anyio.to_thread.run_sync(square, 4) == 16
    assert await anyio.to_thread.run_sync(square, 4) == 16


def test_bad_timeout() -> None:
    with pytest.raises(TypeError, match="number of seconds"):
        cached("60")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="number of seconds"):
        cached(True)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (1, 1.0),
        (1, True),
        ("1", 1),
        (b"x", "x"),
        ([1, 2], (1, 2)),
        ({"a": 1}, {"a": 2}),
        ({1, 2}, {1, 3}),
        (Point(1, 2), Point(2, 1)),
        (Color.RED, 1),
        (FakeModel(1), FakeModel(2)),
        (int, str),
    ],
)
def test_canonical_forms_tell_values_apart(a: Any, b: Any) -> None:
    assert _canonical(a) != _canonical(b)


@pytest.mark.parametrize(
    "value",
    [
        None,
        {"b": 1, "a": [1, {2, 3}]},
        frozenset({"x", "y"}),
        datetime.date(2024, 1, 2),
        datetime.datetime(2024, 1, 2, 3, 4, tzinfo=datetime.UTC),
        datetime.timedelta(seconds=5),
        decimal.Decimal("1.50"),
        uuid.UUID(int=5),
        pathlib.PurePosixPath("/a/b"),
        Color.RED,
        Point(1, 2),
        FakeModel(7),
        complex(1, 2),
    ],
)
def test_canonical_forms_are_stable(value: Any) -> None:
    import copy

    assert _canonical(value) == _canonical(copy.deepcopy(value))


def test_dict_order_does_not_matter() -> None:
    assert _canonical({"a": 1, "b": 2}) == _canonical({"b": 2, "a": 1})


def test_objects_without_a_stable_identity_are_refused(default_cache: BaseCache) -> None:
    @cached(60)
    def f(obj: Any) -> int:
        return 1

    with pytest.raises(
        TypeError, match=r"cannot make a cache key from an argument of type .*Opaque"
    ):
        f(Opaque())
