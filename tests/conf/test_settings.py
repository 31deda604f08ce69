"""Settings: lazy loading, ``configure()``, validation and caching (Django's settings tests)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

from fastjango.conf import (
    _SEQUENCE_SETTINGS,
    ENVIRONMENT_VARIABLE,
    LazySettings,
    Settings,
    UserSettingsHolder,
    global_settings,
    settings,
)
from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.test.utils import override_settings

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _restore_process_time_zone() -> Iterator[None]:
    # Loading a settings module points the process's local time at TIME_ZONE.
    saved = os.environ.get("TZ")
    yield
    if saved is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved
    if hasattr(time, "tzset"):
        time.tzset()


@pytest.fixture
def settings_module(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[ModuleType]:
    """An in-memory settings module, registered as ``fake_settings_module``."""
    module = ModuleType("fake_settings_module")
    module.SECRET_KEY = "foo"  # type: ignore[attr-defined]
    module.TIME_ZONE = "UTC"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fake_settings_module", module)
    yield module


def write_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, source: str) -> str:
    """Write a real settings module file importable as ``name`` and return ``name``."""
    (tmp_path / f"{name}.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    return name


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != ENVIRONMENT_VARIABLE}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


# Loading from FASTJANGO_SETTINGS_MODULE


def test_settings_load_lazily_in_a_fresh_process() -> None:
    code = (
        "from fastjango.conf import settings\n"
        "print(settings.configured, repr(settings))\n"
        "print(settings.SECRET_KEY, settings.ALLOWED_HOSTS)\n"
        "print(settings.configured, repr(settings))\n"
    )
    result = run_python(code, **{ENVIRONMENT_VARIABLE: "tests.settings"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "False <LazySettings [Unevaluated]>",
        "tests-only-secret-key-not-for-production ['testserver', 'localhost', '127.0.0.1']",
        'True <LazySettings "tests.settings">',
    ]


def test_unconfigured_settings_in_a_fresh_process() -> None:
    result = run_python("from fastjango.conf import settings\nsettings.DEBUG\n")
    assert result.returncode == 1
    assert (
        "fastjango.core.exceptions.ImproperlyConfigured: Requested setting DEBUG, but settings "
        "are not configured. You must either define the environment variable "
        "FASTJANGO_SETTINGS_MODULE or call settings.configure() before accessing settings."
    ) in result.stderr


def test_configure_in_a_fresh_process() -> None:
    code = (
        "from fastjango.conf import settings\n"
        "settings.configure(DEBUG=True, SECRET_KEY='x')\n"
        "print(settings.configured, settings.DEBUG, settings.APPEND_SLASH)\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True True True"


@pytest.mark.parametrize("value", [None, ""])
def test_not_configured_message(monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
    if value is None:
        monkeypatch.delenv(ENVIRONMENT_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(ENVIRONMENT_VARIABLE, value)
    msg = (
        "Requested {}, but settings are not configured. You must either define the environment "
        "variable FASTJANGO_SETTINGS_MODULE or call settings.configure() before accessing "
        "settings."
    )
    lazy = LazySettings()
    with pytest.raises(ImproperlyConfigured) as info:
        lazy._setup()
    assert str(info.value) == msg.format("settings")
    with pytest.raises(ImproperlyConfigured) as info:
        lazy._setup("TEST")
    assert str(info.value) == msg.format("setting TEST")
    with pytest.raises(ImproperlyConfigured) as info:
        lazy.DEBUG  # noqa: B018
    assert str(info.value) == msg.format("setting DEBUG")
    assert not lazy.configured


def test_lazy_settings_repr_and_evaluation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, "tests.settings")
    lazy = LazySettings()
    assert repr(lazy) == "<LazySettings [Unevaluated]>"
    assert not lazy.configured
    assert lazy.APPEND_SLASH is True
    assert lazy.configured
    assert repr(lazy) == '<LazySettings "tests.settings">'
    assert repr(lazy._wrapped) == '<Settings "tests.settings">'
    assert lazy.SETTINGS_MODULE == "tests.settings"


def test_module_values_override_defaults(settings_module: ModuleType) -> None:
    settings_module.APPEND_SLASH = False  # type: ignore[attr-defined]
    settings_module.lowercase_ignored = True  # type: ignore[attr-defined]
    loaded = Settings("fake_settings_module")
    assert loaded.APPEND_SLASH is False
    assert loaded.PREPEND_WWW is False  # from global_settings
    assert not hasattr(loaded, "lowercase_ignored")
    assert loaded.is_overridden("APPEND_SLASH")
    assert loaded.is_overridden("SECRET_KEY")
    assert not loaded.is_overridden("ALLOWED_HOSTS")


def test_missing_settings_module_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfigured) as info:
        Settings("no_such_settings_module_xyz")
    assert "Settings module 'no_such_settings_module_xyz' (from FASTJANGO_SETTINGS_MODULE)" in (
        str(info.value)
    )
    assert "could not be imported" in str(info.value)
    # A missing package above the module is the same mistake.
    with pytest.raises(ImproperlyConfigured, match="'no_such_pkg_xyz.settings'"):
        Settings("no_such_pkg_xyz.settings")


def test_import_error_inside_settings_module_propagates(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    name = write_module(
        tmp_path, monkeypatch, "settings_imports_missing", "import settings_missing_dependency\n"
    )
    with pytest.raises(ModuleNotFoundError) as info:
        Settings(name)
    assert info.value.name == "settings_missing_dependency"
    # A missing module whose name merely starts like the settings module's.
    name = write_module(tmp_path, monkeypatch, "settings_prefix", "import settings_prefix_x\n")
    with pytest.raises(ModuleNotFoundError):
        Settings(name)
    name = write_module(tmp_path, monkeypatch, "settings_raises", "raise ImportError('boom')\n")
    with pytest.raises(ImportError, match="^boom$"):
        Settings(name)


def test_secret_key_required_when_debug_is_off(settings_module: ModuleType) -> None:
    settings_module.SECRET_KEY = ""  # type: ignore[attr-defined]
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY setting must not be empty when"):
        Settings("fake_settings_module")


def test_empty_secret_key_loads_with_debug_but_fails_on_access(
    settings_module: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_module.SECRET_KEY = ""  # type: ignore[attr-defined]
    settings_module.DEBUG = True  # type: ignore[attr-defined]
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, "fake_settings_module")
    lazy = LazySettings()
    assert lazy.DEBUG is True
    with pytest.raises(ImproperlyConfigured) as info:
        lazy.SECRET_KEY  # noqa: B018
    assert str(info.value) == "The SECRET_KEY setting must not be empty."


def test_empty_secret_key_through_override() -> None:
    with override_settings(SECRET_KEY=""):
        with pytest.raises(ImproperlyConfigured, match="^The SECRET_KEY setting must not be empty"):
            settings.SECRET_KEY  # noqa: B018


@pytest.mark.parametrize("name", _SEQUENCE_SETTINGS)
def test_list_settings_reject_a_string(settings_module: ModuleType, name: str) -> None:
    setattr(settings_module, name, "non_list_or_tuple_value")
    with pytest.raises(ImproperlyConfigured) as info:
        Settings("fake_settings_module")
    assert str(info.value) == f"The {name} setting must be a list or a tuple."
    with pytest.raises(ImproperlyConfigured, match=f"^The {name} setting must be a list"):
        LazySettings().configure(**{name: "non_list_or_tuple_value"})


def test_list_settings_accept_lists_and_tuples(settings_module: ModuleType) -> None:
    settings_module.ALLOWED_HOSTS = ("example.com",)  # type: ignore[attr-defined]
    settings_module.INSTALLED_APPS = ["tests.apps.plain_app"]  # type: ignore[attr-defined]
    loaded = Settings("fake_settings_module")
    assert loaded.ALLOWED_HOSTS == ("example.com",)


def test_incorrect_time_zone(settings_module: ModuleType) -> None:
    if not (hasattr(time, "tzset") and Path("/usr/share/zoneinfo").exists()):
        pytest.skip("the system has no zoneinfo database to check against")
    settings_module.TIME_ZONE = "Not/A_Zone"  # type: ignore[attr-defined]
    with pytest.raises(ValueError) as info:
        Settings("fake_settings_module")
    assert str(info.value) == "Incorrect timezone setting: Not/A_Zone"


def test_time_zone_sets_the_process_local_time(settings_module: ModuleType) -> None:
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset() is not available on this platform")
    settings_module.TIME_ZONE = "Asia/Tokyo"  # type: ignore[attr-defined]
    Settings("fake_settings_module")
    assert os.environ["TZ"] == "Asia/Tokyo"
    assert time.localtime(0).tm_hour == 9


def test_empty_time_zone_leaves_the_process_alone(settings_module: ModuleType) -> None:
    os.environ["TZ"] = "UTC"
    settings_module.TIME_ZONE = None  # type: ignore[attr-defined]
    assert Settings("fake_settings_module").TIME_ZONE is None
    assert os.environ["TZ"] == "UTC"


# configure()


def test_configure() -> None:
    lazy = LazySettings()
    assert not lazy.configured
    lazy.configure(SECRET_KEY="foo", APPEND_SLASH=False)
    assert lazy.configured
    assert lazy.APPEND_SLASH is False
    assert lazy.PREPEND_WWW is False
    assert lazy.SETTINGS_MODULE is None
    assert lazy.is_overridden("SECRET_KEY")
    assert not lazy.is_overridden("ALLOWED_HOSTS")
    assert repr(lazy._wrapped) == "<UserSettingsHolder>"


def test_configure_twice_or_after_loading() -> None:
    lazy = LazySettings()
    lazy.configure()
    with pytest.raises(RuntimeError) as info:
        lazy.configure()
    assert str(info.value) == "Settings already configured."
    with pytest.raises(RuntimeError, match="^Settings already configured.$"):
        settings.configure()


def test_configure_rejects_lowercase_names() -> None:
    lazy = LazySettings()
    with pytest.raises(TypeError) as info:
        lazy.configure(foo="bar")
    assert str(info.value) == "Setting 'foo' must be uppercase."
    assert not lazy.configured


def test_configure_with_other_defaults_ignores_lowercase_names() -> None:
    lazy = LazySettings()
    lazy.configure(SimpleNamespace(foo="bar", ITEMS=[1]))
    assert lazy.ITEMS == [1]
    with pytest.raises(AttributeError):
        lazy.foo  # noqa: B018
    with pytest.raises(AttributeError):
        lazy.APPEND_SLASH  # noqa: B018 - not in the given defaults


def test_configure_on_top_of_a_settings_module(settings_module: ModuleType) -> None:
    lazy = LazySettings()
    lazy.configure(Settings("fake_settings_module"), DEBUG=True)
    assert lazy.DEBUG is True
    assert lazy.SECRET_KEY == "foo"
    assert lazy.is_overridden("SECRET_KEY")  # set by the module underneath
    assert lazy.is_overridden("DEBUG")
    assert not lazy.is_overridden("APPEND_SLASH")


# Reading, caching, setting and deleting


def test_values_are_cached_and_invalidated_by_assignment() -> None:
    lazy = LazySettings()
    lazy.configure(SECRET_KEY="foo", ITEMS=["a"])
    assert "ITEMS" not in lazy.__dict__
    assert lazy.ITEMS == ["a"]
    assert lazy.__dict__["ITEMS"] == ["a"]
    lazy.ITEMS = ["b"]
    assert "ITEMS" not in lazy.__dict__
    assert lazy.ITEMS == ["b"]
    assert lazy._wrapped.ITEMS == ["b"]
    del lazy.ITEMS
    assert "ITEMS" not in lazy.__dict__
    with pytest.raises(AttributeError):
        lazy.ITEMS  # noqa: B018


def test_cache_is_dropped_when_the_wrapped_settings_change() -> None:
    assert settings.APPEND_SLASH is True
    assert "APPEND_SLASH" in settings.__dict__
    with override_settings(APPEND_SLASH=False):
        assert "APPEND_SLASH" not in settings.__dict__
        assert settings.APPEND_SLASH is False
        assert settings.__dict__["APPEND_SLASH"] is False
    # Leaving re-reads the value for setting_changed, which caches the restored one.
    assert settings.__dict__.get("APPEND_SLASH", True) is True
    assert settings.APPEND_SLASH is True


def test_set_and_delete_on_the_main_settings() -> None:
    settings.TEST_SETTING_FOR_CONF = "test"
    try:
        assert settings.TEST_SETTING_FOR_CONF == "test"
    finally:
        del settings.TEST_SETTING_FOR_CONF
    with pytest.raises(AttributeError) as info:
        settings.TEST_SETTING_FOR_CONF  # noqa: B018
    assert str(info.value) == "'Settings' object has no attribute 'TEST_SETTING_FOR_CONF'"


def test_wrapped_cannot_be_deleted() -> None:
    with pytest.raises(TypeError, match="^can't delete _wrapped.$"):
        delattr(settings, "_wrapped")


def test_delete_inside_override_then_restored() -> None:
    previous_i18n = settings.USE_I18N
    previous_tz = settings.USE_TZ
    with override_settings(USE_I18N=False):
        del settings.USE_I18N
        with pytest.raises(AttributeError):
            settings.USE_I18N  # noqa: B018
        # Also for a setting the override didn't touch.
        del settings.USE_TZ
        with pytest.raises(AttributeError):
            settings.USE_TZ  # noqa: B018
        assert "USE_I18N" not in dir(settings)
        assert "USE_TZ" not in dir(settings)
        assert settings.is_overridden("USE_TZ")
        # Setting it again brings it back.
        settings.USE_TZ = False
        assert settings.USE_TZ is False
    assert settings.USE_I18N == previous_i18n
    assert settings.USE_TZ == previous_tz


def test_user_settings_holder_delete_of_a_default_only() -> None:
    holder = UserSettingsHolder(global_settings)
    assert holder.APPEND_SLASH is True
    del holder.APPEND_SLASH
    with pytest.raises(AttributeError):
        holder.APPEND_SLASH  # noqa: B018
    assert holder.is_overridden("APPEND_SLASH")
    holder.APPEND_SLASH = False
    assert holder.APPEND_SLASH is False
    assert "APPEND_SLASH" in dir(holder)


def test_is_overridden_on_the_main_settings() -> None:
    assert not settings.is_overridden("PREPEND_WWW")
    assert settings.is_overridden("ALLOWED_HOSTS")  # tests.settings sets it
    with override_settings(PREPEND_WWW=True):
        assert settings.is_overridden("PREPEND_WWW")
    assert not settings.is_overridden("PREPEND_WWW")


# STATIC_URL and MEDIA_URL


@pytest.fixture
def script_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    # fastjango.urls owns the per-request script prefix; stand in for it so these
    # tests check only how settings use it.
    urls = ModuleType("fastjango.urls")
    urls.get_script_prefix = lambda: "/prefix/"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fastjango.urls", urls)


@pytest.mark.usefixtures("script_prefix")
@pytest.mark.parametrize("name", ["STATIC_URL", "MEDIA_URL"])
@pytest.mark.parametrize(
    "value", ["/path/", "http://myhost.com/path/", "https://myhost/path/", None]
)
def test_absolute_static_and_media_urls_are_not_prefixed(name: str, value: str | None) -> None:
    with override_settings(**{name: value}):
        assert getattr(settings, name) == value


@pytest.mark.usefixtures("script_prefix")
@pytest.mark.parametrize("name", ["STATIC_URL", "MEDIA_URL"])
def test_relative_static_and_media_urls_get_the_script_prefix(name: str) -> None:
    with override_settings(**{name: "path/"}):
        assert getattr(settings, name) == "/prefix/path/"
    with override_settings(**{name: ""}):
        assert getattr(settings, name) == "/prefix/"
