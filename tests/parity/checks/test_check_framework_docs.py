"""Django's "System check framework" page and its URL checks, on FastJango."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest

from fastjango.core import checks
from fastjango.core.checks import (
    Critical,
    Debug,
    Error,
    Info,
    Tags,
    Warning,
    register,
    run_checks,
)
from fastjango.core.checks.registry import CheckRegistry
from fastjango.core.management import call_command
from fastjango.core.management.base import SystemCheckError
from fastjango.test import override_settings
from fastjango.urls.resolvers import validate_urlconf


class Checked:
    def __str__(self) -> str:
        return "myapp.Thing"


CHECKED = Checked()


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[CheckRegistry]:
    # A private registry, so the checks registered here don't leak into other tests.
    fresh = CheckRegistry()
    monkeypatch.setattr(checks.registry, "registered_checks", fresh.registered_checks)
    monkeypatch.setattr(checks.registry, "deployment_checks", fresh.deployment_checks)
    yield checks.registry


def test_writing_your_own_checks(registry: CheckRegistry) -> None:
    @register()
    def example_check(app_configs: Any, **kwargs: Any) -> list[Error]:
        return [Error("an error", hint="A hint.", obj=CHECKED, id="myapp.E001")]

    @register(Tags.compatibility)
    def my_check(app_configs: Any, **kwargs: Any) -> list[Warning]:
        return [Warning("careful", id="myapp.W001")]

    @register("mytag", deploy=True)
    def my_deploy_check(app_configs: Any, **kwargs: Any) -> list[Info]:
        return [Info("deployed", id="myapp.I001")]

    def late(app_configs: Any, **kwargs: Any) -> list[Error]:
        return []

    register(late, Tags.security, deploy=True)
    assert run_checks() == [
        Error("an error", hint="A hint.", obj=CHECKED, id="myapp.E001"),
        Warning("careful", id="myapp.W001"),
    ]
    assert run_checks(tags=[Tags.compatibility]) == [Warning("careful", id="myapp.W001")]
    assert run_checks(tags=["mytag"]) == []
    assert run_checks(tags=["mytag"], include_deployment_checks=True) == [
        Info("deployed", id="myapp.I001")
    ]
    assert checks.tag_exists("mytag") is False
    assert checks.tag_exists("mytag", include_deployment_checks=True) is True

    with pytest.raises(TypeError, match=r"must accept keyword arguments \(\*\*kwargs\)"):

        @register()
        def bad(app_configs: Any) -> list[Error]:  # pragma: no cover - refused
            return []


def test_messages() -> None:
    error = Error("an error", hint="A hint.", obj=CHECKED, id="myapp.E001")
    assert str(error) == "myapp.Thing: (myapp.E001) an error\n\tHINT: A hint."
    assert str(Warning("no object", id="myapp.W002")) == "?: (myapp.W002) no object"
    assert error.is_serious() and Critical("c").is_serious()
    assert not Warning("w").is_serious() and Warning("w").is_serious(checks.WARNING)
    assert [m.level for m in (Debug("d"), Info("i"), Warning("w"), Error("e"), Critical("c"))] == [
        10,
        20,
        30,
        40,
        50,
    ]
    assert not error.is_silenced()
    with override_settings(SILENCED_SYSTEM_CHECKS=["myapp.E001"]):
        assert error.is_silenced()


def test_check_command(registry: CheckRegistry) -> None:
    @register()
    def warns(app_configs: Any, **kwargs: Any) -> list[Warning]:
        return [Warning("careful", id="myapp.W001")]

    stdout, stderr = StringIO(), StringIO()
    call_command("check", stdout=stdout, stderr=stderr)
    assert "?: (myapp.W001) careful" in stderr.getvalue()
    assert "System check identified 1 issue (0 silenced)." in stderr.getvalue()
    with pytest.raises(SystemCheckError, match="myapp.W001"):
        call_command("check", fail_level="WARNING", stdout=StringIO(), stderr=StringIO())
    with override_settings(SILENCED_SYSTEM_CHECKS=["myapp.W001"]):
        call_command("check", stdout=stdout, stderr=stderr)
    assert "System check identified no issues (1 silenced)." in stdout.getvalue()


def test_url_warnings() -> None:
    with override_settings(ROOT_URLCONF="tests.parity.checks.urls_warnings"):
        messages = [m for m in run_checks(tags=[Tags.urls]) if m.id != "urls.E006"]
        # Warnings never stop the app from starting.
        validate_urlconf()
    by_id: dict[str, list[str]] = {}
    for message in messages:
        assert isinstance(message, Warning)
        by_id.setdefault(str(message.id), []).append(message.msg)
    # urls.W104 is FastJango's: the two instances share their names and arguments.
    assert sorted(by_id) == [
        "2_0.W001",
        "urls.W001",
        "urls.W002",
        "urls.W003",
        "urls.W005",
        "urls.W104",
    ]
    assert by_id["urls.W002"] == [
        "Your URL pattern '/leading-slash/' has a route beginning with a '/'. Remove this "
        "slash as it is unnecessary. If this pattern is targeted in an include(), ensure the "
        "include() pattern has a trailing '/'.",
        "Your URL pattern '^\\/escaped/$' has a route beginning with a '/'. Remove this "
        "slash as it is unnecessary. If this pattern is targeted in an include(), ensure the "
        "include() pattern has a trailing '/'.",
    ]
    assert len(by_id["2_0.W001"]) == 2
    assert "'^regex-route/$'" in by_id["2_0.W001"][0]
    assert by_id["urls.W001"] == [
        "Your URL pattern '^included$' uses include with a route ending with a '$'. Remove "
        "the dollar from the route to avoid problems including URLs."
    ]
    assert by_id["urls.W003"] == [
        "Your URL pattern 'colon/' [name='app:name'] has a name including a ':'. Remove the "
        "colon, to avoid ambiguous namespace references."
    ]
    assert by_id["urls.W005"] == [
        "URL namespace 'polls' isn't unique. You may not be able to reverse all URLs in this "
        "namespace"
    ]


def test_leading_slash_is_fine_without_append_slash() -> None:
    with override_settings(ROOT_URLCONF="tests.parity.checks.urls_warnings", APPEND_SLASH=False):
        ids = {m.id for m in run_checks(tags=[Tags.urls])}
    assert "urls.W002" not in ids


def test_file_upload_temp_dir_must_exist(tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    with override_settings(FILE_UPLOAD_TEMP_DIR=str(missing)):
        assert run_checks(tags=[Tags.files]) == [
            Error(
                f"The FILE_UPLOAD_TEMP_DIR setting refers to the nonexistent directory "
                f"'{missing}'.",
                id="files.E001",
            )
        ]
    with override_settings(FILE_UPLOAD_TEMP_DIR=str(tmp_path)):
        assert run_checks(tags=[Tags.files]) == []
