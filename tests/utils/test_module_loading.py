"""``import_string``, ``module_has_submodule`` and app module discovery."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

import fastjango.utils
import tests.apps
from fastjango.apps import Apps, apps
from fastjango.utils import module_loading
from fastjango.utils.module_loading import (
    autodiscover_modules,
    cached_import,
    import_string,
    module_dir,
    module_has_submodule,
)
from tests.apps.events import DISCOVERED, SITE


def test_import_string() -> None:
    assert import_string("fastjango.utils.module_loading.import_string") is import_string
    assert import_string("os.path") is os.path


def test_import_string_errors() -> None:
    with pytest.raises(ImportError) as info:
        import_string("no_dots_in_path")
    assert str(info.value) == "no_dots_in_path doesn't look like a module path"
    with pytest.raises(ImportError) as info:
        import_string("fastjango.utils.module_loading.unexistent")
    assert str(info.value) == (
        'Module "fastjango.utils.module_loading" does not define a "unexistent" attribute/class'
    )
    with pytest.raises(ModuleNotFoundError):
        import_string("tests.no_such_module.Thing")


def test_cached_import_uses_loaded_modules_and_imports_others(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert cached_import("fastjango.utils.module_loading", "cached_import") is cached_import
    (tmp_path / "cached_import_target.py").write_text("VALUE = 'imported'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "cached_import_target", raising=False)
    assert cached_import("cached_import_target", "VALUE") == "imported"
    # A module placed in sys.modules by hand (no spec) is imported the normal way,
    # which returns it as it is.
    stand_in = ModuleType("cached_import_stand_in")
    stand_in.VALUE = "stand-in"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "cached_import_stand_in", stand_in)
    assert cached_import("cached_import_stand_in", "VALUE") == "stand-in"


def test_module_has_submodule() -> None:
    assert module_has_submodule(tests.apps, "configs")
    assert module_has_submodule(tests.apps, "one_config_app")
    assert module_has_submodule(fastjango.utils, "module_loading")
    assert not module_has_submodule(tests.apps, "no_such_module")
    # A dotted name whose parent doesn't exist.
    assert not module_has_submodule(tests.apps, "no_such_package.module")
    # A plain module has no submodules.
    assert not module_has_submodule(module_loading, "anything")


def test_module_has_submodule_does_not_import(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    package = tmp_path / "has_submodule_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "child.py").write_text("raise RuntimeError('must not be imported')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    imported = __import__("has_submodule_pkg")
    assert module_has_submodule(imported, "child")
    assert "has_submodule_pkg.child" not in sys.modules
    monkeypatch.setitem(sys.modules, "has_submodule_pkg.blocked", None)
    assert not module_has_submodule(imported, "blocked")
    monkeypatch.delitem(sys.modules, "has_submodule_pkg")


def test_module_dir() -> None:
    assert module_dir(tests.apps) == os.path.dirname(tests.apps.__file__ or "")
    assert module_dir(module_loading) == os.path.dirname(module_loading.__file__ or "")
    assert module_dir(SimpleNamespace(__path__=["a"])) == "a"  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="^Cannot determine directory containing"):
        module_dir(SimpleNamespace(__path__=["a", "b"]))  # type: ignore[arg-type]


@pytest.fixture
def installed(request: pytest.FixtureRequest) -> Iterator[Apps]:
    """The main registry swapped to the apps given as the test's parameter, then restored."""
    saved = (apps.app_configs, apps.apps_ready, apps.models_ready, apps.ready)
    saved_stored = list(apps.stored_app_configs)
    was_set = apps.ready_event.is_set()
    if not apps.ready:
        apps.populate([])
    apps.set_installed_apps(request.param)
    DISCOVERED.clear()
    SITE._registry.clear()
    yield apps
    apps.app_configs, apps.apps_ready, apps.models_ready, apps.ready = saved
    apps.stored_app_configs[:] = saved_stored
    if not was_set:
        apps.ready_event.clear()
    apps.clear_cache()
    DISCOVERED.clear()
    SITE._registry.clear()


@pytest.mark.parametrize(
    "installed", [["tests.apps.plain_app", "tests.apps.discover_app"]], indirect=True
)
def test_autodiscover_modules_imports_what_exists(installed: Apps) -> None:
    sys.modules.pop("tests.apps.discover_app.registrations", None)
    autodiscover_modules("registrations", "no_such_module", register_to=SITE)
    assert DISCOVERED == ["tests.apps.discover_app.registrations"]
    assert SITE._registry == {"tests.apps.discover_app.registrations": True}


@pytest.mark.parametrize(
    "installed",
    [["tests.apps.discover_app", "tests.apps.broken_discover_app"]],
    indirect=True,
)
def test_autodiscover_modules_restores_the_registry_on_error(installed: Apps) -> None:
    sys.modules.pop("tests.apps.discover_app.registrations", None)
    with pytest.raises(ValueError, match="registrations failed"):
        autodiscover_modules("registrations", register_to=SITE)
    # The working app's registration stays; the failing one's is undone.
    assert SITE._registry == {"tests.apps.discover_app.registrations": True}
    with pytest.raises(ValueError, match="registrations failed"):
        autodiscover_modules("registrations")
