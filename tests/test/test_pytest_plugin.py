"""The pytest plugin: fixtures, the settings option, and staying out of other projects' way."""

from __future__ import annotations

import os
import runpy
from typing import Any

import pytest

import fastjango.pytest_plugin as plugin
from fastjango.conf import ENVIRONMENT_VARIABLE, settings
from fastjango.core.signals import setting_changed
from fastjango.test import AsyncClient, AsyncRequestFactory, Client, RequestFactory


def test_fixtures_are_django_s(
    client: Any, async_client: Any, rf: Any, async_rf: Any, settings: Any
) -> None:
    assert type(client) is Client
    assert type(async_client) is AsyncClient
    assert type(rf) is RequestFactory
    assert type(async_rf) is AsyncRequestFactory
    assert isinstance(settings, plugin.SettingsWrapper)


def test_settings_wrapper_assignment_deletion_and_restore() -> None:
    changes: list[tuple[str, Any, bool]] = []

    def receiver(sender: Any, setting: str, value: Any, enter: bool, **kwargs: Any) -> None:
        changes.append((setting, value, enter))

    setting_changed.connect(receiver)
    wrapper = plugin.SettingsWrapper()
    try:
        original_debug = settings.DEBUG
        wrapper.DEBUG = not original_debug
        wrapper.DEBUG = "twice"
        assert settings.DEBUG == "twice"
        assert wrapper.DEBUG == "twice"
        del wrapper.SECRET_KEY
        with pytest.raises(AttributeError):
            settings.SECRET_KEY  # noqa: B018
        wrapper.finalize()
        assert settings.DEBUG == original_debug
        assert settings.SECRET_KEY
        wrapper.finalize()  # a second time does nothing
    finally:
        setting_changed.disconnect(receiver)
    assert changes == [
        ("DEBUG", not original_debug, True),
        ("DEBUG", "twice", True),
        ("SECRET_KEY", None, True),
        ("SECRET_KEY", settings.SECRET_KEY, False),
        ("DEBUG", not original_debug, False),
        ("DEBUG", original_debug, False),
    ]


def test_settings_option_precedence(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makeini(f"[pytest]\n{ENVIRONMENT_VARIABLE} = from.ini\n")
    monkeypatch.delenv(ENVIRONMENT_VARIABLE, raising=False)
    assert plugin.settings_module(pytester.parseconfig()) == "from.ini"
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, "from.env")
    assert plugin.settings_module(pytester.parseconfig()) == "from.env"
    assert plugin.settings_module(pytester.parseconfig("--fs", "from.option")) == "from.option"
    config = pytester.parseconfig("--fastjango-settings", "long.option")
    assert plugin.settings_module(config) == "long.option"


def test_nothing_configured(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENVIRONMENT_VARIABLE, raising=False)
    config = pytester.parseconfig()
    assert plugin.settings_module(config) is None
    plugin.pytest_configure(config)  # does nothing at all
    assert ENVIRONMENT_VARIABLE not in os.environ
    assert not config.pluginmanager.has_plugin("fastjango.fixtures")


def test_settings_package_found_from_the_rootdir(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setattr(sys, "path", list(sys.path))
    plugin._make_importable("json", str(tmp_path))
    assert str(tmp_path) not in sys.path
    plugin._make_importable("missing_parent.settings", str(tmp_path))
    assert sys.path[0] == str(tmp_path)


def test_the_environment_is_torn_down_with_the_outermost_session(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import fastjango.test.utils as test_utils

    torn_down: list[bool] = []
    monkeypatch.setattr(test_utils, "teardown_test_environment", lambda: torn_down.append(True))
    monkeypatch.setattr(plugin, "_sessions", 2)
    plugin._end_session()
    assert torn_down == []
    plugin._end_session()
    assert torn_down == [True]


def test_an_inner_session_shares_the_test_environment(pytester: pytest.Pytester) -> None:
    """A pytester run inside this session: configured, fixtures there, environment kept."""
    pytester.makepyfile(
        """
        from fastjango.conf import settings

        def test_inner(settings, rf):
            settings.DEBUG = "inner"
            from fastjango.conf import settings as real
            assert real.DEBUG == "inner"
            assert rf.get("/x/").path == "/x/"
            assert "testserver" in real.ALLOWED_HOSTS
        """
    )
    allowed = list(settings.ALLOWED_HOSTS)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    assert settings.ALLOWED_HOSTS == allowed
    assert plugin._sessions == 1


def _subprocess_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENVIRONMENT_VARIABLE, raising=False)
    monkeypatch.delenv("PYTEST_ADDOPTS", raising=False)
    monkeypatch.delenv("COV_CORE_SOURCE", raising=False)


def test_a_project_without_fastjango_is_left_alone(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    _subprocess_env(monkeypatch)
    pytester.makepyfile(
        """
        import os, sys

        def test_untouched():
            assert "FASTJANGO_SETTINGS_MODULE" not in os.environ
            assert "fastjango.apps" not in sys.modules

        def test_no_fixtures(request):
            import pytest

            assert not any("fastjango_db" in m for m in request.config.getini("markers"))
            for name in ("client", "settings", "rf", "async_client", "async_rf"):
                with pytest.raises(pytest.FixtureLookupError):
                    request.getfixturevalue(name)
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--strict-markers")
    result.assert_outcomes(passed=2)


def test_a_configured_project_end_to_end(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    _subprocess_env(monkeypatch)
    pytester.makepyfile(
        proj_settings="""
        DEBUG = True
        SECRET_KEY = "pytester-secret"
        ROOT_URLCONF = "proj_urls"
        ALLOWED_HOSTS = []
        """,
        proj_urls="""
        from fastjango.http import HttpResponse
        from fastjango.urls import path

        def home(request):
            return HttpResponse("home")

        urlpatterns = [path("", home)]
        """,
        test_project="""
        import pytest

        def test_client(client, settings):
            assert client.get("/").content == b"home"
            settings.ROOT_URLCONF = "proj_urls"
            assert "testserver" in settings.ALLOWED_HOSTS

        @pytest.mark.fastjango_db
        def test_marker_is_known():
            pass
        """,
    )
    result = pytester.runpytest_subprocess(
        "--fs", "proj_settings", "-p", "no:cacheprovider", "--strict-markers"
    )
    result.assert_outcomes(passed=2)


@pytest.mark.parametrize(
    ("ini", "expected"), [("", False), ("true", True), ("keep", "from settings")]
)
def test_debug_during_tests_as_django_s_runner(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, ini: str, expected: object
) -> None:
    # Django's runner (and pytest-django) run tests with DEBUG off unless told otherwise.
    _subprocess_env(monkeypatch)
    if ini:
        pytester.makeini(f"[pytest]\nfastjango_debug_mode = {ini}\n")
    pytester.makepyfile(
        debug_settings="""
        DEBUG = "from settings"
        SECRET_KEY = "pytester-secret"
        """,
        test_debug=f"""
        def test_debug():
            from fastjango.conf import settings
            assert settings.DEBUG == {expected!r}
        """,
    )
    result = pytester.runpytest_subprocess("--fs", "debug_settings", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_bad_debug_mode_is_a_usage_error(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    _subprocess_env(monkeypatch)
    pytester.makeini("[pytest]\nfastjango_debug_mode = maybe\n")
    pytester.makepyfile(debug_settings='SECRET_KEY = "s"', test_never="def test_never(): pass")
    result = pytester.runpytest_subprocess("--fs", "debug_settings", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*fastjango_debug_mode = 'maybe': use false*"])


def test_a_settings_module_that_does_not_import(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    _subprocess_env(monkeypatch)
    pytester.makepyfile("def test_never(): pass")
    result = pytester.runpytest_subprocess("--fs", "no_such_settings", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*FastJango settings module 'no_such_settings' can't be used*"])


def test_the_module_imports_cleanly() -> None:
    # The plugin is imported before coverage starts; run its body once more to check it.
    namespace = runpy.run_path(plugin.__file__)
    assert namespace["__all__"] == ["FastJangoFixtures", "SettingsWrapper"]
    assert os.environ[ENVIRONMENT_VARIABLE]
