"""``fastjango.setup()`` and the version helpers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import fastjango
from fastjango.conf import ENVIRONMENT_VARIABLE

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_version() -> None:
    assert fastjango.get_version() == fastjango.__version__
    assert fastjango.VERSION[:3] == tuple(int(part) for part in fastjango.__version__.split("."))


def test_setup_populates_the_registry_from_settings() -> None:
    code = (
        "import fastjango\n"
        "from fastjango.apps import apps\n"
        "from fastjango.conf import settings\n"
        "print(apps.ready)\n"
        "settings.configure(DEBUG=True, INSTALLED_APPS=['tests.apps.one_config_app'])\n"
        "fastjango.setup()\n"
        "print(apps.ready, [c.label for c in apps.get_app_configs()])\n"
        "fastjango.setup(set_prefix=False)\n"
        "print(len(apps.get_app_configs()))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != ENVIRONMENT_VARIABLE}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["False", "True ['one_config_app']", "1"]


def test_setup_in_process_is_idempotent() -> None:
    from fastjango.apps import apps

    saved = (apps.app_configs, apps.apps_ready, apps.models_ready, apps.ready)
    was_set = apps.ready_event.is_set()
    try:
        fastjango.setup()
        assert apps.ready
        configs = apps.get_app_configs()
        fastjango.setup()
        assert apps.get_app_configs() == configs
    finally:
        apps.app_configs, apps.apps_ready, apps.models_ready, apps.ready = saved
        if not was_set:
            apps.ready_event.clear()
        apps.clear_cache()
