from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from fastjango.core import checks
from fastjango.core.checks.urls import check_url_config, check_url_settings, problem_to_message
from fastjango.test.utils import override_settings


class Problem(str):
    id: str
    hint: str | None


def make_problem(text: str, id: str, hint: str | None = None) -> Problem:
    problem = Problem(text)
    problem.id = id
    problem.hint = hint
    return problem


def test_problem_with_id_and_hint() -> None:
    message = problem_to_message(make_problem("Handler is broken.", "urls.E008", "Fix it."))
    assert message == checks.Error("Handler is broken.", hint="Fix it.", id="urls.E008")
    message = problem_to_message(make_problem("Pattern starts with /.", "urls.W002"))
    assert message == checks.Warning("Pattern starts with /.", id="urls.W002")


def test_problem_with_id_prefix() -> None:
    assert problem_to_message("urls.W001: odd") == checks.Warning("odd", id="urls.W001")
    assert problem_to_message("(urls.E007) wrong") == checks.Error("wrong", id="urls.E007")


def test_plain_problem_is_an_e004_error() -> None:
    assert problem_to_message("Something is wrong.") == checks.Error(
        "Something is wrong.", id="urls.E004"
    )


def test_check_message_passes_through() -> None:
    message = checks.Warning("as is", id="urls.W005")
    assert problem_to_message(message) is message


@override_settings(ROOT_URLCONF=None)
def test_no_root_urlconf_no_check() -> None:
    assert check_url_config() == []


def test_valid_urlconf_has_no_problems() -> None:
    with override_settings(ROOT_URLCONF="tests.core.management.urlconfs.library"):
        assert check_url_config() == []


def test_broken_urlconf_reports_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("broken_urls_for_checks")
    module.urlpatterns = ["not a pattern"]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "broken_urls_for_checks", module)
    with override_settings(ROOT_URLCONF="broken_urls_for_checks"):
        messages = check_url_config()
    assert messages
    assert all(isinstance(m, checks.CheckMessage) for m in messages)
    assert all(m.id and m.id.startswith("urls.") for m in messages)
    assert any(m.is_serious() for m in messages)


@pytest.mark.parametrize(
    ("static_url", "media_url", "expected"),
    [
        ("static/", "/media/", []),
        (None, "", []),
        ("static", "/media/", ["The STATIC_URL setting must end with a slash."]),
        (
            "/static",
            "/media",
            [
                "The STATIC_URL setting must end with a slash.",
                "The MEDIA_URL setting must end with a slash.",
            ],
        ),
    ],
)
def test_url_settings(static_url: str | None, media_url: str, expected: list[str]) -> None:
    with override_settings(STATIC_URL=static_url, MEDIA_URL=media_url):
        messages = check_url_settings()
    assert [m.msg for m in messages] == expected
    assert all(m.id == "urls.E006" for m in messages)
