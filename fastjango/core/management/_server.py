"""What ``runserver`` and ``serve`` share: the app to serve and how uvicorn gets it."""

from __future__ import annotations

import importlib.util
import os
from typing import Any

from fastjango.conf import ENVIRONMENT_VARIABLE, settings
from fastjango.core.management.base import CommandError

__all__ = [
    "DEFAULT_APP",
    "LOG_LEVELS",
    "asgi_app_target",
    "export_settings_module",
    "project_root",
    "run_uvicorn",
    "server_url",
]

DEFAULT_APP = "fastjango.core.asgi:get_asgi_application"
LOG_LEVELS = {0: "warning", 1: "info", 2: "debug", 3: "trace"}


def asgi_app_target() -> tuple[str, bool]:
    """Return uvicorn's import string for the app, and whether it names a factory.

    ``ASGI_APPLICATION = "mysite.asgi.application"`` becomes
    ``"mysite.asgi:application"``; without it, FastJango's
    ``get_asgi_application`` is called as a factory in the server process.
    """
    dotted = getattr(settings, "ASGI_APPLICATION", None)
    if not dotted:
        return DEFAULT_APP, True
    module, _, attribute = str(dotted).rpartition(".")
    if not module or not attribute:
        raise CommandError(
            f"ASGI_APPLICATION {dotted!r} isn't a dotted path. Set it to the module and "
            "name of your application, e.g. 'mysite.asgi.application', or remove it."
        )
    return f"{module}:{attribute}", False


def export_settings_module() -> None:
    """Put the settings module in the environment, for the server's child processes.

    The reloader and extra workers are new interpreters: they find the
    settings only through ``FASTJANGO_SETTINGS_MODULE``.
    """
    module = getattr(settings, "SETTINGS_MODULE", None)
    if not module:
        raise CommandError(
            "The server runs your project in a new process, which needs a settings module: "
            f"set {ENVIRONMENT_VARIABLE} or pass --settings (settings given to "
            "settings.configure() can't reach it). With runserver, --noreload avoids the "
            "new process."
        )
    os.environ[ENVIRONMENT_VARIABLE] = module


def project_root() -> str:
    """Return the directory holding the settings package: what the reloader watches."""
    module = getattr(settings, "SETTINGS_MODULE", None)
    if module:
        spec = importlib.util.find_spec(module.partition(".")[0])
        locations = list(spec.submodule_search_locations or []) if spec else []
        if locations:
            return os.path.dirname(os.path.abspath(locations[0]))
        if spec is not None and spec.origin:
            return os.path.dirname(os.path.abspath(spec.origin))
    return os.getcwd()


def server_url(host: str, port: int | str, protocol: str = "http") -> str:
    """Return the URL a server on ``host:port`` answers at (IPv6 in brackets)."""
    shown = f"[{host}]" if ":" in host else host
    return f"{protocol}://{shown}:{port}/"


def run_uvicorn(config: dict[str, Any]) -> None:
    """Run uvicorn with ``config`` (``uvicorn.run`` keyword arguments) until it stops."""
    import uvicorn

    uvicorn.run(**config)
