from __future__ import annotations

from typing import Any

import pytest

from fastjango.core import checks
from fastjango.core.checks import CheckRegistry, Tags


def test_register_forms_and_tags() -> None:
    registry = CheckRegistry()

    @registry.register
    def plain(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
        return [checks.Info("plain")]

    @registry.register()
    def called(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
        return [checks.Info("called")]

    @registry.register(Tags.models, "extra")
    def tagged(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
        return [checks.Info("tagged")]

    @registry.register(Tags.security, deploy=True)
    def deploy(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
        return [checks.Info("deploy")]

    def direct(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
        return [checks.Info("direct")]

    assert registry.register(direct, "direct_tag") is direct
    assert set(tagged.tags) == {"models", "extra"}  # type: ignore[attr-defined]

    def messages(**kwargs: Any) -> list[str]:
        return [m.msg for m in registry.run_checks(**kwargs)]

    assert messages() == ["plain", "called", "tagged", "direct"]
    assert messages(include_deployment_checks=True) == [
        "plain",
        "called",
        "tagged",
        "direct",
        "deploy",
    ]
    assert messages(tags=["extra"]) == ["tagged"]
    assert messages(tags=["security"], include_deployment_checks=True) == ["deploy"]
    assert registry.tags_available() == {"models", "extra", "direct_tag"}
    assert registry.tags_available(True) == {"models", "extra", "direct_tag", "security"}
    assert registry.tag_exists("extra")
    assert not registry.tag_exists("security")
    assert registry.tag_exists("security", include_deployment_checks=True)


def test_check_receives_app_configs_and_databases() -> None:
    registry = CheckRegistry()
    seen: list[Any] = []

    @registry.register()
    def record(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[Any]:
        seen.append((app_configs, databases))
        return []

    import tests.core.checks as package
    from fastjango.apps.config import AppConfig

    config = AppConfig("tests.core.checks", package)
    registry.run_checks(app_configs=[config], databases=["default"])
    assert seen == [([config], ["default"])]


def test_check_must_accept_kwargs() -> None:
    registry = CheckRegistry()

    def no_kwargs(app_configs: Any = None) -> list[Any]:
        return []

    with pytest.raises(TypeError, match="Check functions must accept keyword arguments"):
        registry.register(no_kwargs)
    with pytest.raises(TypeError, match="Check functions must accept keyword arguments"):
        registry.register(len)  # type: ignore[type-var]
    # Some builtins have no signature at all.
    with pytest.raises(TypeError, match="Check functions must accept keyword arguments"):
        registry.register(min)


def test_check_must_return_a_list() -> None:
    registry = CheckRegistry()

    @registry.register()
    def broken(app_configs: Any = None, **kwargs: Any) -> Any:
        return "not a list"

    with pytest.raises(TypeError, match="did not return a list"):
        registry.run_checks()


def test_module_level_helpers_use_the_default_registry() -> None:
    assert checks.run_checks == checks.registry.run_checks
    assert checks.register == checks.registry.register
    assert checks.tag_exists("urls")


def test_exports() -> None:
    import fastjango.core.checks as module

    for name in module.__all__:
        assert getattr(module, name) is not None
