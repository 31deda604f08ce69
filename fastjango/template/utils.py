"""``engines``: the template engines configured by ``settings.TEMPLATES``, built once each."""

from __future__ import annotations

import functools
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastjango.conf import settings
from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.core.signals import setting_changed
from fastjango.utils.module_loading import import_string

if TYPE_CHECKING:
    from fastjango.template.backends.base import BaseEngine

__all__ = ["EngineHandler", "InvalidTemplateEngineError", "engines", "get_app_template_dirs"]

JINJA2_BACKEND = "fastjango.template.backends.jinja2.Jinja2"

# Ported settings keep working: Django's Jinja2 backend path means ours.
_BACKEND_ALIASES = {"django.template.backends.jinja2.Jinja2": JINJA2_BACKEND}
_DJANGO_TEMPLATES_BACKENDS = frozenset(
    {
        "django.template.backends.django.DjangoTemplates",
        "fastjango.template.backends.django.DjangoTemplates",
    }
)

DEFAULT_TEMPLATES: list[dict[str, Any]] = [{"BACKEND": JINJA2_BACKEND, "APP_DIRS": True}]
"""What an empty ``TEMPLATES`` means in FastJango (Django would have no engine at all)."""


class InvalidTemplateEngineError(ImproperlyConfigured):
    """No engine has the alias asked for."""


class EngineHandler:
    """Map engine aliases (``NAME``) to engines, built lazily and kept for the process.

    ``engines["jinja2"]`` returns one engine; ``engines.all()`` all of them,
    in ``TEMPLATES`` order.
    """

    def __init__(self, templates: list[dict[str, Any]] | None = None) -> None:
        self._templates = templates
        self._engines: dict[str, BaseEngine] = {}
        self._lock = threading.RLock()

    @functools.cached_property
    def templates(self) -> dict[str, dict[str, Any]]:
        """Return the engine configurations by alias, defaults filled in."""
        if self._templates is None:
            configured = settings.TEMPLATES
            if not isinstance(configured, list | tuple):
                raise ImproperlyConfigured(
                    "The TEMPLATES setting must be a list of dicts, one per engine, e.g. "
                    f"[{{'BACKEND': '{JINJA2_BACKEND}', 'APP_DIRS': True}}]; "
                    f"got {type(configured).__name__}."
                )
            self._templates = list(configured)
        configs = self._templates or DEFAULT_TEMPLATES
        templates: dict[str, dict[str, Any]] = {}
        names: list[str] = []
        for config in configs:
            if not isinstance(config, Mapping):
                raise ImproperlyConfigured(
                    f"Each entry of settings.TEMPLATES must be a dict, got {config!r}."
                )
            backend = config.get("BACKEND")
            if not isinstance(backend, str) or "." not in backend:
                raise ImproperlyConfigured(
                    f"Invalid BACKEND for a template engine: {backend!r}. Check your TEMPLATES "
                    f"setting; FastJango's engine is '{JINJA2_BACKEND}'."
                )
            backend = _BACKEND_ALIASES.get(backend, backend)
            if backend in _DJANGO_TEMPLATES_BACKENDS:
                raise ImproperlyConfigured(
                    "FastJango renders templates with Jinja2; the Django template language "
                    f"backend '{backend}' is not available. In settings.TEMPLATES, set "
                    f"'BACKEND': '{JINJA2_BACKEND}' (context_processors stay under OPTIONS) "
                    "and see docs/templates.md for how Django template syntax maps to Jinja2."
                )
            filled = {
                "NAME": backend.rsplit(".", 2)[-2],
                "DIRS": [],
                "APP_DIRS": False,
                "OPTIONS": {},
                **config,
                "BACKEND": backend,
            }
            templates[filled["NAME"]] = filled
            names.append(filled["NAME"])
        duplicates = [name for name, count in Counter(names).most_common() if count > 1]
        if duplicates:
            raise ImproperlyConfigured(
                f"Template engine aliases aren't unique, duplicates: {', '.join(duplicates)}. "
                "Set a unique NAME for each engine in settings.TEMPLATES."
            )
        return templates

    def __getitem__(self, alias: str) -> BaseEngine:
        engine: BaseEngine | None = self._engines.get(alias)
        if engine is not None:
            return engine
        with self._lock:
            if alias in self._engines:
                return self._engines[alias]
            try:
                params = dict(self.templates[alias])
            except KeyError:
                raise InvalidTemplateEngineError(
                    f"Could not find config for '{alias}' in settings.TEMPLATES"
                ) from None
            backend = params.pop("BACKEND")
            engine_cls = import_string(backend)
            engine = engine_cls(params)
            self._engines[alias] = engine
            return engine

    def __iter__(self) -> Iterator[str]:
        return iter(self.templates)

    def all(self) -> list[BaseEngine]:
        """Return every configured engine."""
        return [self[alias] for alias in self]

    def _reset(self) -> None:
        with self._lock:
            self._templates = None
            self._engines = {}
            self.__dict__.pop("templates", None)


@functools.lru_cache
def get_app_template_dirs(dirname: str) -> tuple[Path, ...]:
    """Return the ``dirname`` folder of every installed app that has one."""
    from fastjango.apps import apps

    return tuple(
        path
        for app_config in apps.get_app_configs()
        if app_config.path and (path := Path(app_config.path) / dirname).is_dir()
    )


engines = EngineHandler()
"""The project's template engines, from ``settings.TEMPLATES``."""


def _reset_engines(*, setting: str, **kwargs: Any) -> None:
    # Engines capture DIRS, app folders and DEBUG-dependent options when built.
    if setting in {"TEMPLATES", "DEBUG", "INSTALLED_APPS"}:
        engines._reset()
        get_app_template_dirs.cache_clear()


setting_changed.connect(_reset_engines, dispatch_uid="fastjango.template.utils.reset_engines")
