"""``AppConfig``: how INSTALLED_APPS entries become app configs (Django's apps tests)."""

from __future__ import annotations

import os
from types import SimpleNamespace
from typing import Any

import pytest

import tests.apps.plain_app
from fastjango.apps import AppConfig, Apps
from fastjango.core.exceptions import AppRegistryNotReady, ImproperlyConfigured
from fastjango.test.utils import override_settings
from tests.apps.configs import CustomPathConfig, PlainAppConfig, RelabeledConfig
from tests.apps.default_config_app.apps import ChosenConfig
from tests.apps.one_config_app.apps import OneConfig

PLAIN_APP_DIR = os.path.dirname(tests.apps.plain_app.__file__ or "")


def test_create_from_module_without_apps_module_gives_plain_config() -> None:
    config = AppConfig.create("tests.apps.plain_app")
    assert type(config) is AppConfig
    assert config.name == "tests.apps.plain_app"
    assert config.label == "plain_app"
    assert config.verbose_name == "Plain_App"
    assert config.path == PLAIN_APP_DIR
    assert config.module is tests.apps.plain_app
    assert config.models is None
    assert config.models_module is None
    assert config.apps is None
    assert repr(config) == "<AppConfig: plain_app>"


def test_create_from_dotted_config_class_path() -> None:
    config = AppConfig.create("tests.apps.configs.RelabeledConfig")
    assert type(config) is RelabeledConfig
    assert config.name == "tests.apps.plain_app"
    assert config.label == "relabeled"
    assert config.verbose_name == "Relabeled app"
    assert repr(config) == "<RelabeledConfig: relabeled>"


def test_single_config_subclass_in_apps_module_is_picked() -> None:
    config = AppConfig.create("tests.apps.one_config_app")
    assert type(config) is OneConfig
    assert config.verbose_name == "One config"


def test_two_config_subclasses_without_default_give_plain_config() -> None:
    config = AppConfig.create("tests.apps.two_configs_app")
    assert type(config) is AppConfig
    assert config.label == "two_configs_app"


def test_config_marked_default_is_picked_among_several() -> None:
    config = AppConfig.create("tests.apps.default_config_app")
    assert type(config) is ChosenConfig
    assert config.label == "chosen"


def test_two_default_configs_is_an_error() -> None:
    msg = (
        "'tests.apps.two_defaults_app.apps' declares more than one default AppConfig: "
        "'FirstDefault', 'SecondDefault'."
    )
    with pytest.raises(RuntimeError) as info:
        AppConfig.create("tests.apps.two_defaults_app")
    assert str(info.value) == msg


def test_config_with_default_false_is_not_picked() -> None:
    config = AppConfig.create("tests.apps.not_default_app")
    assert type(config) is AppConfig
    assert config.label == "not_default_app"
    # It is still usable by its dotted path.
    explicit = AppConfig.create("tests.apps.not_default_app.apps.ExplicitOnlyConfig")
    assert explicit.label == "explicit_only"


def test_invalid_label() -> None:
    with pytest.raises(ImproperlyConfigured) as info:
        AppConfig.create("tests.apps.configs.InvalidLabelConfig")
    assert str(info.value) == "The app label 'not-an-identifier' is not a valid Python identifier."


def test_class_that_is_not_an_app_config() -> None:
    with pytest.raises(ImproperlyConfigured) as info:
        AppConfig.create("tests.apps.configs.NotAConfig")
    assert str(info.value) == "'tests.apps.configs.NotAConfig' isn't a subclass of AppConfig."


def test_function_that_is_not_an_app_config() -> None:
    with pytest.raises(ImproperlyConfigured, match="isn't a subclass of AppConfig"):
        AppConfig.create("os.path.join")


def test_config_without_name() -> None:
    with pytest.raises(ImproperlyConfigured) as info:
        AppConfig.create("tests.apps.configs.NoNameConfig")
    assert str(info.value) == "'tests.apps.configs.NoNameConfig' must supply a name attribute."


def test_config_whose_name_does_not_import() -> None:
    with pytest.raises(ImproperlyConfigured) as info:
        AppConfig.create("tests.apps.configs.BadNameConfig")
    assert str(info.value) == (
        "Cannot import 'tests.apps.there_is_no_such_app'. "
        "Check that 'tests.apps.configs.BadNameConfig.name' is correct."
    )


def test_no_such_app_module() -> None:
    with pytest.raises(ImportError):
        AppConfig.create("there is no such app")
    with pytest.raises(ModuleNotFoundError, match="tests.apps.no_such_app"):
        AppConfig.create("tests.apps.no_such_app")


def test_no_such_config_class_lists_the_choices() -> None:
    with pytest.raises(ImportError) as info:
        AppConfig.create("tests.apps.configs.NoSuchConfig")
    assert str(info.value) == (
        "Module 'tests.apps.configs' does not contain a 'NoSuchConfig' class. Choices are: "
        "'BadNameConfig', 'CustomPathConfig', 'InvalidLabelConfig', 'NoNameConfig', "
        "'PlainAppConfig', 'RelabeledConfig'."
    )


def test_no_such_config_class_in_module_without_configs() -> None:
    with pytest.raises(ImportError) as info:
        AppConfig.create("tests.apps.plain_app.NoSuchConfig")
    assert (
        str(info.value) == "Module 'tests.apps.plain_app' does not contain a 'NoSuchConfig' class."
    )


def test_config_class_in_missing_module() -> None:
    with pytest.raises(ModuleNotFoundError):
        AppConfig.create("tests.apps.no_such_module.SomeConfig")


def test_import_error_inside_app_is_not_masked() -> None:
    with pytest.raises(ImportError, match="Oops"):
        AppConfig.create("tests.apps.import_error_app")


def test_explicit_path_attribute_wins() -> None:
    assert AppConfig.create("tests.apps.configs.CustomPathConfig").path == "/somewhere/else"
    module: Any = SimpleNamespace(__path__=["a"], __file__="b/__init__.py")
    config = CustomPathConfig("label", module)
    assert config.path == "/somewhere/else"


@pytest.mark.parametrize(
    ("module", "path"),
    [
        (SimpleNamespace(__path__=["a"], __file__="b/__init__.py"), "a"),
        (SimpleNamespace(__file__="b/__init__.py"), "b"),
        (SimpleNamespace(__path__=[], __file__="b/__init__.py"), "b"),
        (SimpleNamespace(__path__=["a", "b"], __file__="c/__init__.py"), "c"),
        # Duplicates in __path__ happen and count once.
        (SimpleNamespace(__path__=["a", "a"]), "a"),
    ],
)
def test_path_from_module(module: SimpleNamespace, path: str) -> None:
    assert AppConfig("label", module).path == path  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("module", "message"),
    [
        (SimpleNamespace(), "has no filesystem location"),
        (SimpleNamespace(__path__=[]), "has no filesystem location"),
        (SimpleNamespace(__path__=["a", "b"]), "has multiple filesystem locations"),
    ],
)
def test_path_cannot_be_found(module: SimpleNamespace, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message) as info:
        AppConfig("label", module)  # type: ignore[arg-type]
    assert "with a 'path' class attribute" in str(info.value)


def test_label_and_verbose_name_defaults_from_dotted_name() -> None:
    config = AppConfig("django.contrib.admin_docs", tests.apps.plain_app)
    assert config.label == "admin_docs"
    assert config.verbose_name == "Admin_Docs"


def test_default_auto_field_follows_settings() -> None:
    assert AppConfig.create("tests.apps.plain_app").default_auto_field == (
        "fastjango.db.models.AutoField"
    )
    with override_settings(DEFAULT_AUTO_FIELD="fastjango.db.models.BigAutoField"):
        config = AppConfig.create("tests.apps.plain_app")
        assert config.default_auto_field == "fastjango.db.models.BigAutoField"
        assert config._is_default_auto_field_overridden is False


def test_default_auto_field_set_on_subclass() -> None:
    class BigConfig(AppConfig):
        default_auto_field = "fastjango.db.models.BigAutoField"

    config = BigConfig("tests.apps.plain_app", tests.apps.plain_app)
    assert config.default_auto_field == "fastjango.db.models.BigAutoField"
    assert config._is_default_auto_field_overridden is True


def test_model_lookups_need_a_registry() -> None:
    config = PlainAppConfig("tests.apps.plain_app", tests.apps.plain_app)
    with pytest.raises(AppRegistryNotReady, match="isn't in a registry yet"):
        config.get_model("Anything")
    with pytest.raises(AppRegistryNotReady):
        list(config.get_models())


def test_app_config_instance_in_registry_keeps_its_settings() -> None:
    config = RelabeledConfig("tests.apps.plain_app", tests.apps.plain_app)
    registry = Apps([config])
    assert registry.get_app_config("relabeled") is config
    assert config.apps is registry
    assert config.models == {}
    with pytest.raises(LookupError) as info:
        config.get_model("Missing")
    assert str(info.value) == "App 'relabeled' doesn't have a 'Missing' model."
