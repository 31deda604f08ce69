from __future__ import annotations

import io

import pytest

from fastjango.conf import global_settings
from fastjango.core.management import call_command
from fastjango.core.management.commands.diffsettings import module_to_dict
from fastjango.test.utils import override_settings


def diffsettings(**options: object) -> str:
    out = io.StringIO()
    call_command("diffsettings", stdout=out, **options)
    return out.getvalue()


def test_module_to_dict() -> None:
    values = module_to_dict(global_settings)
    assert values["DEBUG"] == "False"
    assert "annotations" not in values and "__name__" not in values


@override_settings(FOO_SETTING="bar", DEBUG=True)
def test_hash_output() -> None:
    lines = diffsettings().splitlines()
    assert "DEBUG = True" in lines
    assert "FOO_SETTING = 'bar'  ###" in lines
    assert "SECRET_KEY = 'tests-only-secret-key-not-for-production'" in lines
    assert not any(line.startswith("APPEND_SLASH") for line in lines)
    all_lines = diffsettings(all=True).splitlines()
    assert "### APPEND_SLASH = True" in all_lines


@override_settings(FOO_SETTING="bar", DEBUG=True)
def test_unified_output() -> None:
    lines = diffsettings(output="unified").splitlines()
    assert "- DEBUG = False" in lines
    assert "+ DEBUG = True" in lines
    assert "+ FOO_SETTING = 'bar'" in lines
    assert "  APPEND_SLASH = True" not in lines
    assert "  APPEND_SLASH = True" in diffsettings(output="unified", all=True).splitlines()


def test_compare_against_another_settings_module() -> None:
    # The test settings against themselves: only what is changed differs. The test
    # run sets DEBUG off (as Django's runner does); tests.settings has it on.
    lines = diffsettings(default="tests.settings").splitlines()
    assert "DEBUG = False" in lines
    with override_settings(DEBUG=True):
        lines = diffsettings(default="tests.settings").splitlines()
    assert not any(line.startswith("DEBUG") for line in lines)
    assert "SETTINGS_MODULE = 'tests.settings'" not in lines


def test_unconfigured_settings_are_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    from fastjango.conf import settings
    from fastjango.utils.functional import empty

    monkeypatch.setattr(settings, "_wrapped", empty)
    assert "DEBUG = True" in diffsettings().splitlines()
