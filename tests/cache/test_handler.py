"""``caches``, ``cache`` and ``CACHES``: aliases, Django's backend paths, bad settings, closing."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest

import fastjango.core.cache
from fastjango.core.cache import (
    DEFAULT_CACHE_ALIAS,
    CacheHandler,
    InvalidCacheBackendError,
    aclose_caches,
    cache,
    caches,
    close_caches,
)
from fastjango.core.cache.backends.base import BaseCache
from fastjango.core.cache.backends.dummy import DummyCache
from fastjango.core.cache.backends.filebased import FileBasedCache
from fastjango.core.cache.backends.locmem import LocMemCache
from fastjango.core.cache.backends.memcached import PyMemcacheCache
from fastjango.core.cache.backends.redis import RedisCache
from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.test.utils import override_settings

pytestmark = pytest.mark.anyio


def handler(**aliases: dict[str, Any]) -> CacheHandler:
    aliases.setdefault("default", {"BACKEND": "fastjango.core.cache.backends.dummy.DummyCache"})
    return CacheHandler(aliases)


def test_default_is_local_memory() -> None:
    assert isinstance(caches[DEFAULT_CACHE_ALIAS], LocMemCache)
    assert caches["default"] is caches["default"]
    assert list(caches) == ["default"]
    assert "default" in caches and "other" not in caches


@pytest.mark.parametrize(
    ("path", "cls", "location"),
    [
        ("django.core.cache.backends.locmem.LocMemCache", LocMemCache, "x"),
        ("django.core.cache.backends.redis.RedisCache", RedisCache, "redis://127.0.0.1:1/0"),
        ("django.core.cache.backends.memcached.PyMemcacheCache", PyMemcacheCache, "h:1"),
        ("django.core.cache.backends.filebased.FileBasedCache", FileBasedCache, None),
        ("django.core.cache.backends.dummy.DummyCache", DummyCache, ""),
    ],
)
def test_django_backend_paths_are_aliases(
    path: str, cls: type[BaseCache], location: str | None, tmp_path: Any
) -> None:
    backend = handler(
        other={"BACKEND": path, "LOCATION": location if location is not None else str(tmp_path)}
    )["other"]
    assert type(backend) is cls
    backend.close()


def test_django_database_cache_path_is_an_alias() -> None:
    from fastjango.core.cache.backends.db import DatabaseCache

    backend = handler(
        other={"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "t"}
    )["other"]
    assert type(backend) is DatabaseCache


@pytest.mark.parametrize("name", ["PyLibMCCache", "MemcachedCache"])
def test_unsupported_django_memcached_clients_name_the_replacement(name: str) -> None:
    caches_ = handler(
        other={"BACKEND": f"django.core.cache.backends.memcached.{name}", "LOCATION": "h:1"}
    )
    with pytest.raises(InvalidCacheBackendError, match="PyMemcacheCache"):
        caches_["other"]


def test_unknown_alias() -> None:
    with pytest.raises(InvalidCacheBackendError, match="'nonexistent' doesn't exist"):
        caches["nonexistent"]


def test_unknown_backend_names_alias_and_setting() -> None:
    caches_ = handler(other={"BACKEND": "no.such.Backend"})
    with pytest.raises(InvalidCacheBackendError, match=r"CACHES\['other'\]\['BACKEND'\]"):
        caches_["other"]
    not_a_backend = handler(other={"BACKEND": "fastjango.core.cache.CacheHandler"})
    with pytest.raises(InvalidCacheBackendError, match="not a subclass of BaseCache"):
        not_a_backend["other"]
    assert issubclass(InvalidCacheBackendError, ImproperlyConfigured)


@pytest.mark.parametrize("timeout", ["soon", [1], True, object()])
def test_bad_timeout_names_alias_and_setting(timeout: Any) -> None:
    caches_ = handler(
        other={"BACKEND": "django.core.cache.backends.dummy.DummyCache", "TIMEOUT": timeout}
    )
    with pytest.raises(ImproperlyConfigured, match=r"CACHES\['other'\]: TIMEOUT must be"):
        caches_["other"]


@pytest.mark.parametrize(
    ("timeout", "expected"), [(None, None), (0, 0), ("60", 60), (1.5, 1.5), (-1, -1), (30.0, 30)]
)
def test_timeout_values(timeout: Any, expected: Any) -> None:
    backend = handler(
        other={"BACKEND": "django.core.cache.backends.dummy.DummyCache", "TIMEOUT": timeout}
    )["other"]
    assert backend.default_timeout == expected
    assert type(backend.default_timeout) is type(expected)


@pytest.mark.parametrize(
    "options",
    [
        {"MAX_ENTRIES": 0},
        {"MAX_ENTRIES": "many"},
        {"MAX_ENTRIES": True},
        {"CULL_FREQUENCY": -1},
        {"CULL_FREQUENCY": 1.5},
    ],
)
def test_bad_options(options: dict[str, Any]) -> None:
    caches_ = handler(
        other={"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": options}
    )
    with pytest.raises(ImproperlyConfigured, match=r"CACHES\['other'\]: OPTIONS\["):
        caches_["other"]


def test_other_bad_settings() -> None:
    with pytest.raises(ImproperlyConfigured, match="'default' cache"):
        CacheHandler({"other": {"BACKEND": "x"}})["other"]
    with pytest.raises(ImproperlyConfigured, match="must be a dict"):
        list(CacheHandler([]))  # type: ignore[arg-type]
    with pytest.raises(ImproperlyConfigured, match=r"CACHES\['default'\] must be a dict"):
        list(CacheHandler({"default": "locmem"}))  # type: ignore[dict-item]
    with pytest.raises(InvalidCacheBackendError, match="has no BACKEND"):
        list(CacheHandler({"default": {"LOCATION": "x"}}))
    cases: list[tuple[dict[str, Any], str]] = [
        ({"OPTIONS": ["x"]}, "OPTIONS must be a dict"),
        ({"KEY_PREFIX": 1}, "KEY_PREFIX must be a string"),
        ({"KEY_FUNCTION": "no.such.function"}, "KEY_FUNCTION 'no.such.function' cannot be"),
        ({"KEY_FUNCTION": "fastjango.core.cache.DEFAULT_CACHE_ALIAS"}, "must be a callable"),
        ({"KEY_FUNCTION": 3}, "must be a callable"),
    ]
    for params, match in cases:
        caches_ = handler(
            other={"BACKEND": "django.core.cache.backends.dummy.DummyCache", **params}
        )
        with pytest.raises(ImproperlyConfigured, match=match):
            caches_["other"]


def test_override_settings_rebuilds_caches() -> None:
    before = caches["default"]
    with override_settings(
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
            "second": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        }
    ):
        assert isinstance(caches["default"], DummyCache)
        assert isinstance(cache, DummyCache) is False  # a proxy...
        cache.set("key", "value")
        assert cache.get("key") is None  # ...to the dummy cache
        assert isinstance(caches["second"], LocMemCache)
        assert len(caches.all()) == 2
    assert isinstance(caches["default"], LocMemCache)
    assert caches["default"] is not before


def test_default_cache_proxy() -> None:
    with override_settings(
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "proxy",
            }
        }
    ):
        cache.set("key", "value")
        assert cache.get("key") == "value"
        assert "key" in cache
        assert cache == caches["default"]
        assert hash(cache) == hash(caches["default"])
        assert "LocMemCache" in repr(cache)
        cache.custom_attribute = 1  # type: ignore[attr-defined]
        assert caches["default"].custom_attribute == 1  # type: ignore[attr-defined]
        del cache.custom_attribute  # type: ignore[attr-defined]
        assert not hasattr(caches["default"], "custom_attribute")


def test_handler_item_assignment_and_initialized_only() -> None:
    caches_ = handler(other={"BACKEND": "django.core.cache.backends.dummy.DummyCache"})
    assert caches_.all(initialized_only=True) == []
    replacement = DummyCache("", {})
    caches_["other"] = replacement
    assert caches_["other"] is replacement
    assert caches_.all(initialized_only=True) == [replacement]
    del caches_["other"]
    assert caches_["other"] is not replacement


async def test_close_caches_and_aclose_caches() -> None:
    with override_settings(
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "dummy": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
        }
    ):
        caches["default"].set("key", "value")
        close_caches()
        await aclose_caches()
        # Closing loses nothing, and the caches work on.
        assert caches["default"].get("key") == "value"
        await caches["dummy"].aclose()


def test_exports() -> None:
    for name in fastjango.core.cache.__all__:
        assert hasattr(fastjango.core.cache, name), name
    modules = [
        "fastjango.core.cache.utils",
        "fastjango.core.cache.decorators",
        "fastjango.utils.cache",
        "fastjango.views.decorators.cache",
        "fastjango.views.decorators.vary",
        "fastjango.middleware.cache",
        "fastjango.templatetags.cache",
    ]
    import fastjango.core.cache.backends as backends

    modules += [f"backends.{m.name}" for m in pkgutil.iter_modules(backends.__path__)]
    for name in modules:
        module = importlib.import_module(
            name.replace("backends.", "fastjango.core.cache.backends.")
        )
        for exported in module.__all__:
            assert hasattr(module, exported), f"{name}.{exported}"
