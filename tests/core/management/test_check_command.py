from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest

from fastjango.core import checks
from fastjango.core.checks.registry import registry as default_registry
from fastjango.core.management import call_command
from fastjango.core.management.base import CommandError, SystemCheckError
from fastjango.test.utils import override_settings

SECURE = {
    "DEBUG": False,
    "SECRET_KEY": "x" * 10 + "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(",
    "ALLOWED_HOSTS": ["example.com"],
    "MIDDLEWARE": [
        "fastjango.middleware.security.SecurityMiddleware",
        "fastjango.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
    "SECURE_HSTS_SECONDS": 3600,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SECURE_SSL_REDIRECT": True,
}


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[checks.CheckRegistry]:
    """The check command, wired to an empty registry the test fills."""
    from fastjango.core.management.commands import check as check_module

    fresh = checks.CheckRegistry()
    monkeypatch.setattr(checks, "run_checks", fresh.run_checks)
    monkeypatch.setattr(checks, "tag_exists", fresh.tag_exists)
    monkeypatch.setattr(check_module, "registry", fresh)
    yield fresh


def run_check(*args: str, **options: Any) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("check", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_no_issues(registry_ready: None) -> None:
    assert run_check() == ("System check identified no issues (0 silenced).\n", "")


def test_default_registry_has_the_builtin_tags() -> None:
    assert default_registry.tags_available() >= {"urls"}
    assert default_registry.tags_available(deployment_checks=True) >= {
        "urls",
        "security",
        "async_support",
    }


def test_list_tags() -> None:
    out, _ = run_check(list_tags=True)
    assert "urls" in out.split() and "security" not in out.split()
    out, _ = run_check(list_tags=True, deploy=True)
    assert out.split() == sorted(out.split())
    assert "security" in out.split()


def test_unknown_tag() -> None:
    with pytest.raises(CommandError, match='There is no system check with the "nope" tag.'):
        run_check(tags=["nope"])
    # Deployment tags exist only with --deploy.
    with pytest.raises(CommandError, match='"security" tag'):
        run_check(tags=["security"])


@override_settings(**SECURE)
def test_deploy_with_secure_settings_is_clean(registry_ready: None) -> None:
    assert run_check(deploy=True) == ("System check identified no issues (0 silenced).\n", "")


@override_settings(DEBUG=True, ALLOWED_HOSTS=[])
def test_deploy_warnings_do_not_fail_by_default() -> None:
    out, err = run_check(deploy=True, tags=["security"])
    assert out == ""
    assert err.startswith("System check identified some issues:\n\nWARNINGS:\n")
    assert "?: (security.W018) You should not have DEBUG set to True in deployment." in err
    assert "?: (security.W020) ALLOWED_HOSTS must not be empty in deployment." in err
    assert "(0 silenced)." in err


@override_settings(DEBUG=True, SILENCED_SYSTEM_CHECKS=["security.W018"])
def test_fail_level_and_silencing() -> None:
    with pytest.raises(SystemCheckError) as exc_info:
        run_check(deploy=True, tags=["security"], fail_level="WARNING")
    message = str(exc_info.value)
    assert message.startswith("SystemCheckError: System check identified some issues:")
    assert "security.W018" not in message
    assert "(1 silenced)." in message


def test_app_labels(installed_apps: Any, registry: checks.CheckRegistry) -> None:
    installed_apps("tests.core.management.cmdapp")
    seen: list[Any] = []

    @registry.register()
    def record(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
        seen.append([config.label for config in app_configs] if app_configs else None)
        return []

    run_check("cmdapp")
    run_check()
    assert seen == [["cmdapp"], None]
    with pytest.raises(CommandError, match="No installed app with label 'nope'."):
        run_check("nope")


def test_databases_are_passed_to_checks(registry: checks.CheckRegistry) -> None:
    seen: list[Any] = []

    @registry.register("database")
    def record(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[Any]:
        seen.append(databases)
        return []

    run_check(databases=["default", "other"], tags=["database"])
    run_check()
    assert seen == [["default", "other"], None]


def test_errors_exit_with_status_1_from_the_command_line(
    registry: checks.CheckRegistry, capsys: pytest.CaptureFixture[str]
) -> None:
    from fastjango.core.management import execute_from_command_line

    @registry.register()
    def failing(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
        return [checks.Error("Broken.", hint="Fix it.", obj="thing", id="test.E001")]

    with pytest.raises(SystemExit) as exc_info:
        execute_from_command_line(["manage.py", "check"])
    assert exc_info.value.code == 1
    assert capsys.readouterr().err == (
        "SystemCheckError: System check identified some issues:\n"
        "\n"
        "ERRORS:\n"
        "thing: (test.E001) Broken.\n"
        "\tHINT: Fix it.\n"
        "\n"
        "System check identified 1 issue (0 silenced).\n"
    )
