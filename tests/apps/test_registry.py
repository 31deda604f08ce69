"""``Apps``: populating the registry, lookups, and swapping apps for tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from fastjango.apps import AppConfig, Apps, apps
from fastjango.conf import settings
from fastjango.core.exceptions import AppRegistryNotReady, ImproperlyConfigured
from fastjango.test.utils import override_settings
from tests.apps.events import READY_CALLS


def make_model(
    app_label: str,
    name: str,
    *,
    module: str = __name__,
    auto_created: bool = False,
    swapped: str | None = None,
    swappable: str | None = None,
) -> Any:
    """Return a class shaped like a model as far as the registry cares (its ``_meta``)."""
    expired: list[bool] = []
    meta = SimpleNamespace(
        app_label=app_label,
        model_name=name.lower(),
        label_lower=f"{app_label}.{name.lower()}",
        auto_created=auto_created,
        swapped=swapped,
        swappable=swappable,
        expired=expired,
        _expire_cache=lambda: expired.append(True),
    )
    return type(name, (), {"_meta": meta, "__module__": module})


@pytest.fixture
def main_apps() -> Iterator[Apps]:
    """The main registry, populated for the test and put back as it was afterwards."""
    saved = (apps.app_configs, apps.apps_ready, apps.models_ready, apps.ready)
    saved_stored = list(apps.stored_app_configs)
    was_set = apps.ready_event.is_set()
    if not apps.ready:
        apps.populate(settings.INSTALLED_APPS)
    yield apps
    apps.app_configs, apps.apps_ready, apps.models_ready, apps.ready = saved
    apps.stored_app_configs[:] = saved_stored
    apps.loading = False
    if not was_set:
        apps.ready_event.clear()
    apps.clear_cache()


@pytest.fixture(autouse=True)
def _clear_ready_calls() -> Iterator[None]:
    READY_CALLS.clear()
    yield
    READY_CALLS.clear()


def test_only_one_main_registry() -> None:
    with pytest.raises(RuntimeError) as info:
        Apps(installed_apps=None)
    assert str(info.value) == "You must supply an installed_apps argument."


def test_other_registries_are_populated_at_once() -> None:
    registry = Apps()
    assert registry.ready and registry.apps_ready and registry.models_ready
    assert registry.ready_event.is_set()
    assert registry.get_app_configs() == []


def test_get_app_configs_keeps_installed_order() -> None:
    names = ["tests.apps.one_config_app", "tests.apps.plain_app", "tests.apps.default_config_app"]
    registry = Apps(names)
    assert [c.name for c in registry.get_app_configs()] == names
    assert [c.label for c in registry.get_app_configs()] == [
        "one_config_app",
        "plain_app",
        "chosen",
    ]


def test_get_app_config() -> None:
    registry = Apps(["tests.apps.configs.RelabeledConfig", "tests.apps.one_config_app"])
    assert registry.get_app_config("relabeled").name == "tests.apps.plain_app"
    assert registry.get_app_config("one_config_app").verbose_name == "One config"
    with pytest.raises(LookupError) as info:
        registry.get_app_config("webdesign")
    assert str(info.value) == "No installed app with label 'webdesign'."


def test_get_app_config_suggests_the_label_for_a_full_name() -> None:
    registry = Apps(["tests.apps.configs.RelabeledConfig"])
    with pytest.raises(LookupError) as info:
        registry.get_app_config("tests.apps.plain_app")
    assert str(info.value) == (
        "No installed app with label 'tests.apps.plain_app'. Did you mean 'relabeled'?"
    )


def test_duplicate_labels() -> None:
    with pytest.raises(ImproperlyConfigured, match="^Application labels aren't unique, "):
        Apps(["tests.apps.configs.PlainAppConfig", "tests.apps.plain_app"])
    with pytest.raises(ImproperlyConfigured, match="duplicates: plain_app"):
        Apps(["tests.apps.configs.PlainAppConfig", "tests.apps.plain_app"])


def test_duplicate_names() -> None:
    with pytest.raises(ImproperlyConfigured) as info:
        Apps(["tests.apps.configs.RelabeledConfig", "tests.apps.plain_app"])
    assert str(info.value) == ("Application names aren't unique, duplicates: tests.apps.plain_app")


def test_bad_entries_propagate_their_errors() -> None:
    with pytest.raises(ImproperlyConfigured):
        Apps(["tests.apps.configs.NotAConfig"])
    with pytest.raises(ImportError):
        Apps(["tests.apps.configs.NoSuchConfig"])
    with pytest.raises(ImportError, match="Oops"):
        Apps(["tests.apps.import_error_app"])


def test_ready_runs_once_after_every_models_module_is_imported() -> None:
    registry = Apps(["tests.apps.models_app_a", "tests.apps.models_app_b"])
    assert READY_CALLS == [
        ("models_app_a", True, [True, True]),
        ("models_app_b", True, [True, True]),
    ]
    config = registry.get_app_config("models_app_a")
    assert config.models_module is not None
    assert config.models_module.__name__ == "tests.apps.models_app_a.models"
    registry.populate(["tests.apps.models_app_a"])
    assert len(READY_CALLS) == 2


def test_populate_is_not_reentrant() -> None:
    with pytest.raises(RuntimeError) as info:
        Apps(["tests.apps.reentrant_app"])
    assert str(info.value) == "populate() isn't reentrant"


def test_failed_populate_leaves_a_clean_registry() -> None:
    registry = Apps(["tests.apps.plain_app"])
    original = registry.app_configs
    with pytest.raises(ValueError, match=r"ready\(\) failed"):
        registry.set_installed_apps(["tests.apps.one_config_app", "tests.apps.failing_ready_app"])
    assert registry.app_configs == {}
    assert not (registry.apps_ready or registry.models_ready or registry.ready)
    assert not registry.loading
    with pytest.raises(AppRegistryNotReady):
        registry.get_app_configs()
    # Once the cause is fixed, populating again works.
    registry.populate(["tests.apps.one_config_app"])
    assert [c.label for c in registry.get_app_configs()] == ["one_config_app"]
    registry.unset_installed_apps()
    assert registry.app_configs is original
    assert registry.ready


def test_failed_populate_on_duplicate_labels_can_be_retried() -> None:
    registry = Apps(["tests.apps.plain_app"])
    with pytest.raises(ImproperlyConfigured):
        registry.set_installed_apps(["tests.apps.plain_app", "tests.apps.configs.PlainAppConfig"])
    assert registry.app_configs == {}
    registry.populate(["tests.apps.plain_app"])
    assert registry.is_installed("tests.apps.plain_app")


def test_apps_not_ready() -> None:
    registry = Apps(["tests.apps.plain_app"])
    registry.apps_ready = False
    with pytest.raises(AppRegistryNotReady) as info:
        registry.get_containing_app_config("tests.apps.plain_app")
    assert str(info.value) == "Apps aren't loaded yet."
    for call in (registry.get_app_configs, lambda: registry.is_installed("x")):
        with pytest.raises(AppRegistryNotReady):
            call()
    registry.models_ready = False
    with pytest.raises(AppRegistryNotReady) as info:
        registry.get_models()
    assert str(info.value) == "Models aren't loaded yet."


def test_get_containing_app_config_prefers_the_innermost_app() -> None:
    registry = Apps(["tests.apps", "tests.apps.plain_app", "tests.apps.one_config_app"])
    assert registry.get_containing_app_config("tests.apps.plain_app.models.Book").label == (  # type: ignore[union-attr]
        "plain_app"
    )
    assert registry.get_containing_app_config("tests.apps.plain_app").label == "plain_app"  # type: ignore[union-attr]
    assert registry.get_containing_app_config("tests.apps.configs").label == "apps"  # type: ignore[union-attr]
    assert registry.get_containing_app_config("tests.apps.plain_appendix").label == "apps"  # type: ignore[union-attr]
    assert registry.get_containing_app_config("tests") is None
    assert registry.get_containing_app_config("fastjango.db") is None


def test_is_installed() -> None:
    registry = Apps(["tests.apps.configs.RelabeledConfig", "tests.apps.one_config_app"])
    assert registry.is_installed("tests.apps.plain_app")
    assert registry.is_installed("tests.apps.one_config_app")
    assert not registry.is_installed("relabeled")
    assert not registry.is_installed("tests.apps.webdesign")


def test_register_and_get_model() -> None:
    registry = Apps(["tests.apps.plain_app"])
    book = make_model("plain_app", "Book")
    registry.register_model("plain_app", book)
    assert registry.get_model("plain_app", "Book") is book
    # App labels are case-sensitive, model names are not.
    assert registry.get_model("plain_app", "bOoK") is book
    assert registry.get_model("plain_app.Book") is book
    assert registry.get_app_config("plain_app").get_model("BOOK") is book
    with pytest.raises(LookupError):
        registry.get_model("Plain_app", "Book")
    with pytest.raises(LookupError) as info:
        registry.get_model("plain_app.Author")
    assert str(info.value) == "App 'plain_app' doesn't have a 'Author' model."
    with pytest.raises(ValueError):
        registry.get_model("plain_app_Book")
    assert registry.get_registered_model("plain_app", "BOOK") is book
    with pytest.raises(LookupError) as info:
        registry.get_registered_model("plain_app", "Author")
    assert str(info.value) == "Model 'plain_app.Author' not registered."


def test_get_model_while_models_are_being_imported() -> None:
    registry = Apps(["tests.apps.plain_app"])
    book = make_model("plain_app", "Book")
    registry.register_model("plain_app", book)
    registry.models_ready = False
    config = registry.get_app_config("plain_app")
    config.models = None
    with pytest.raises(AppRegistryNotReady):
        registry.get_model("plain_app", "Book")
    assert registry.get_model("plain_app", "Book", require_ready=False) is book
    assert config.get_model("book", require_ready=False) is book


def test_register_model_conflict_and_reload() -> None:
    registry = Apps(["tests.apps.plain_app"])
    registry.register_model("plain_app", make_model("plain_app", "Book"))
    reloaded = make_model("plain_app", "Book")
    with pytest.warns(RuntimeWarning) as record:
        registry.register_model("plain_app", reloaded)
    assert str(record[0].message) == (
        "Model 'plain_app.book' was already registered. Reloading models is not advised as "
        "it can lead to inconsistencies, most notably with related models."
    )
    assert registry.get_model("plain_app", "Book") is reloaded
    with pytest.raises(
        RuntimeError, match="^Conflicting 'book' models in application 'plain_app': "
    ):
        registry.register_model("plain_app", make_model("plain_app", "Book", module="elsewhere"))


def test_get_models_filters_and_is_cached_until_a_model_is_registered() -> None:
    registry = Apps(["tests.apps.plain_app", "tests.apps.one_config_app"])
    assert registry.get_models() == []
    book = make_model("plain_app", "Book")
    through = make_model("plain_app", "Book_authors", auto_created=True)
    old_user = make_model("one_config_app", "User", swapped="one_config_app.Custom")
    for model in (book, through, old_user):
        registry.register_model(model._meta.app_label, model)
    assert registry.get_models() == [book]
    assert registry.get_models() is registry.get_models()
    assert registry.get_models(include_auto_created=True) == [book, through]
    assert registry.get_models(include_swapped=True) == [book, old_user]
    assert list(registry.get_app_config("plain_app").get_models(True)) == [book, through]


def test_clear_cache_expires_model_caches() -> None:
    registry = Apps(["tests.apps.plain_app"])
    book = make_model("plain_app", "Book")
    registry.register_model("plain_app", book)
    # register_model() itself clears the cache, which expires each model's caches.
    assert book._meta.expired
    book._meta.expired.clear()
    registry.clear_cache()
    assert book._meta.expired == [True]


def test_clear_cache_skips_models_without_caches() -> None:
    registry = Apps(["tests.apps.plain_app"])
    plain = make_model("plain_app", "Plain")
    del plain._meta._expire_cache
    registry.register_model("plain_app", plain)
    registry.clear_cache()
    assert registry.get_models() == [plain]


def test_concurrent_populate_runs_once() -> None:
    registry = Apps(["tests.apps.plain_app"])
    with pytest.raises(ValueError):
        registry.set_installed_apps(["tests.apps.failing_ready_app"])
    errors: list[BaseException] = []

    def populate() -> None:
        try:
            registry.populate(["tests.apps.models_app_a"])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    # Hold the lock so the thread waits inside populate() while this one finishes it.
    with registry._lock:
        thread = threading.Thread(target=populate)
        thread.start()
        time.sleep(0.05)
        registry.populate(["tests.apps.models_app_a"])
    thread.join(5)
    assert errors == []
    assert len(READY_CALLS) == 1
    assert registry.ready


def test_swappable_settings_name() -> None:
    registry = Apps(["tests.apps.plain_app", "tests.apps.one_config_app"])
    user = make_model(
        "plain_app", "User", swappable="AUTH_USER_MODEL", swapped="one_config_app.Member"
    )
    member = make_model("one_config_app", "Member")
    group = make_model("plain_app", "Group")
    for model in (user, member, group):
        registry.register_model(model._meta.app_label, model)
    assert registry.get_swappable_settings_name("one_config_app.Member") == "AUTH_USER_MODEL"
    assert registry.get_swappable_settings_name("plain_app.user") == "AUTH_USER_MODEL"
    assert registry.get_swappable_settings_name("plain_app.Group") is None


def test_lazy_model_operation() -> None:
    registry = Apps(["tests.apps.plain_app"])
    received: list[Any] = []

    def collect(*models: Any) -> None:
        received[:] = models

    lazy_a = make_model("plain_app", "LazyA")
    registry.register_model("plain_app", lazy_a)
    keys = [("plain_app", name) for name in ["lazya", "lazyb", "lazyb", "lazyc", "lazya"]]
    registry.lazy_model_operation(collect, *keys)
    # LazyA is there already; LazyC isn't waited on until LazyB exists.
    assert set(registry._pending_operations) == {("plain_app", "lazyb")}
    # The waiting call names the function it will end up calling.
    (pending,) = registry._pending_operations[("plain_app", "lazyb")]
    assert pending.func.func is collect  # a partial of collect, applied to LazyA
    # Several operations can wait on one model.
    registry.lazy_model_operation(collect, ("plain_app", "lazyb"))
    lazy_b = make_model("plain_app", "LazyB")
    registry.register_model("plain_app", lazy_b)
    assert received == [lazy_b]
    assert set(registry._pending_operations) == {("plain_app", "lazyc")}
    lazy_c = make_model("plain_app", "LazyC")
    registry.register_model("plain_app", lazy_c)
    assert received == [lazy_a, lazy_b, lazy_b, lazy_c, lazy_a]
    assert not registry._pending_operations


def test_lazy_model_operation_without_models_calls_at_once() -> None:
    calls: list[bool] = []
    Apps().lazy_model_operation(lambda: calls.append(True))
    assert calls == [True]


def test_set_and_unset_installed_apps() -> None:
    registry = Apps(["tests.apps.plain_app"])
    registry.set_installed_apps(["tests.apps.one_config_app", "tests.apps.configs.RelabeledConfig"])
    assert registry.is_installed("tests.apps.one_config_app")
    assert [c.label for c in registry.get_app_configs()] == ["one_config_app", "relabeled"]
    registry.unset_installed_apps()
    assert [c.label for c in registry.get_app_configs()] == ["plain_app"]
    assert registry.ready


def test_set_installed_apps_needs_a_ready_registry() -> None:
    registry = Apps(["tests.apps.plain_app"])
    with pytest.raises(ValueError):
        registry.set_installed_apps(["tests.apps.failing_ready_app"])
    with pytest.raises(AppRegistryNotReady, match="^App registry isn't ready yet."):
        registry.set_installed_apps(["tests.apps.plain_app"])


def test_set_and_unset_available_apps() -> None:
    registry = Apps(["tests.apps.plain_app", "tests.apps.one_config_app"])
    registry.set_available_apps(["tests.apps.one_config_app"])
    assert [c.label for c in registry.get_app_configs()] == ["one_config_app"]
    registry.unset_available_apps()
    assert [c.label for c in registry.get_app_configs()] == ["plain_app", "one_config_app"]
    with pytest.raises(ValueError) as info:
        registry.set_available_apps(["tests.apps.plain_app", "tests.apps.webdesign", "zzz"])
    assert str(info.value) == (
        "Available apps isn't a subset of installed apps, extra apps: tests.apps.webdesign, zzz"
    )


def test_override_installed_apps_swaps_the_main_registry(main_apps: Apps) -> None:
    before = main_apps.get_app_configs()
    with override_settings(INSTALLED_APPS=["tests.apps.configs.RelabeledConfig"]):
        assert main_apps.get_app_config("relabeled").name == "tests.apps.plain_app"
        assert settings.INSTALLED_APPS == ["tests.apps.configs.RelabeledConfig"]
    assert main_apps.get_app_configs() == before


def test_override_with_bad_installed_apps_changes_nothing(main_apps: Apps) -> None:
    before = main_apps.get_app_configs()
    installed = settings.INSTALLED_APPS
    with pytest.raises(ImproperlyConfigured):
        with override_settings(INSTALLED_APPS=["tests.apps.configs.NotAConfig"]):
            pass  # pragma: no cover - entering fails
    assert settings.INSTALLED_APPS == installed
    assert main_apps.get_app_configs() == before
    assert main_apps.ready


def test_override_installed_apps_needs_a_populated_registry(main_apps: Apps) -> None:
    main_apps.ready = False  # as before fastjango.setup(); the fixture restores it
    stored = list(main_apps.stored_app_configs)
    installed = settings.INSTALLED_APPS
    with pytest.raises(AppRegistryNotReady, match="fastjango.setup"):
        with override_settings(INSTALLED_APPS=["tests.apps.plain_app"]):
            pass  # pragma: no cover - entering fails
    assert main_apps.stored_app_configs == stored
    assert settings.INSTALLED_APPS == installed


def test_app_config_registry_link() -> None:
    config = AppConfig.create("tests.apps.plain_app")
    registry = Apps([config])
    assert config.apps is registry
    assert config.models is registry.all_models["plain_app"]
