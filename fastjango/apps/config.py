"""``AppConfig``: one installed application."""

from __future__ import annotations

import inspect
import os
from collections.abc import Iterator
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

from fastjango.core.exceptions import AppRegistryNotReady, ImproperlyConfigured
from fastjango.utils.functional import cached_property
from fastjango.utils.module_loading import import_string, module_has_submodule

if TYPE_CHECKING:
    from fastjango.apps.registry import Apps

__all__ = ["AppConfig"]

APPS_MODULE_NAME = "apps"
MODELS_MODULE_NAME = "models"


class AppConfig:
    """Configuration of one application: its name, label, path and models."""

    name: str
    label: str
    verbose_name: str
    path: str
    default: bool

    def __init__(self, app_name: str, app_module: ModuleType | None) -> None:
        self.name = app_name
        self.module = app_module
        self.apps: Apps | None = None
        if not hasattr(self, "label"):
            self.label = app_name.rpartition(".")[2]
        if not self.label.isidentifier():
            raise ImproperlyConfigured(
                f"The app label '{self.label}' is not a valid Python identifier."
            )
        if not hasattr(self, "verbose_name"):
            self.verbose_name = self.label.title()
        if not hasattr(self, "path"):
            self.path = self._path_from_module(app_module)
        self.models_module: ModuleType | None = None
        # None until import_models() runs; then the registry's dict for this label.
        self.models: dict[str, Any] | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.label}>"

    @cached_property
    def default_auto_field(self) -> str:
        """Return the primary key field class path for this app's models (DEFAULT_AUTO_FIELD)."""
        from fastjango.conf import settings

        return str(settings.DEFAULT_AUTO_FIELD)

    @property
    def _is_default_auto_field_overridden(self) -> bool:
        return type(self).default_auto_field is not AppConfig.default_auto_field

    def _path_from_module(self, module: ModuleType | None) -> str:
        paths = list(getattr(module, "__path__", []))
        if len(paths) != 1:
            filename = getattr(module, "__file__", None)
            if filename is not None:
                paths = [os.path.dirname(filename)]
            else:
                paths = list(set(paths))
        if len(paths) > 1:
            raise ImproperlyConfigured(
                f"The app module {module!r} has multiple filesystem locations ({paths!r}); you "
                "must configure this app with an AppConfig subclass with a 'path' class attribute."
            )
        if not paths:
            raise ImproperlyConfigured(
                f"The app module {module!r} has no filesystem location, you must configure this "
                "app with an AppConfig subclass with a 'path' class attribute."
            )
        return str(paths[0])

    @classmethod
    def create(cls, entry: str) -> AppConfig:
        """Build the ``AppConfig`` for one ``INSTALLED_APPS`` entry (module or class path)."""
        app_config_class: type[AppConfig] | None = None
        app_name: str | None = None
        app_module: ModuleType | None = None
        try:
            app_module = import_module(entry)
        except Exception:
            pass
        else:
            if module_has_submodule(app_module, APPS_MODULE_NAME):
                mod = import_module(f"{entry}.{APPS_MODULE_NAME}")
                # One AppConfig subclass is picked automatically unless it says
                # default = False; among several, the one saying default = True.
                candidates = [
                    candidate
                    for _, candidate in inspect.getmembers(mod, inspect.isclass)
                    if issubclass(candidate, cls)
                    and candidate is not cls
                    and getattr(candidate, "default", True)
                ]
                if len(candidates) == 1:
                    app_config_class = candidates[0]
                else:
                    defaults = [c for c in candidates if getattr(c, "default", False)]
                    if len(defaults) > 1:
                        names = ", ".join(repr(c.__name__) for c in defaults)
                        raise RuntimeError(
                            f"{mod.__name__!r} declares more than one default AppConfig: {names}."
                        )
                    if len(defaults) == 1:
                        app_config_class = defaults[0]
            if app_config_class is None:
                app_config_class = cls
                app_name = entry

        if app_config_class is None:
            try:
                app_config_class = import_string(entry)
            except Exception:
                pass
        if app_module is None and app_config_class is None:
            # An entry ending in a capitalized name was meant as a class path: say
            # which classes the module does have.
            mod_path, _, cls_name = entry.rpartition(".")
            if mod_path and cls_name[:1].isupper():
                mod = import_module(mod_path)
                choices = [
                    repr(name)
                    for name, candidate in inspect.getmembers(mod, inspect.isclass)
                    if issubclass(candidate, cls) and candidate is not cls
                ]
                msg = f"Module '{mod_path}' does not contain a '{cls_name}' class."
                if choices:
                    msg += f" Choices are: {', '.join(choices)}."
                raise ImportError(msg)
            # Re-raise the original import error, which names what is missing.
            import_module(entry)

        assert app_config_class is not None
        if not (isinstance(app_config_class, type) and issubclass(app_config_class, AppConfig)):
            raise ImproperlyConfigured(f"'{entry}' isn't a subclass of AppConfig.")
        if app_name is None:
            try:
                app_name = app_config_class.name
            except AttributeError as err:
                raise ImproperlyConfigured(f"'{entry}' must supply a name attribute.") from err
        try:
            app_module = import_module(app_name)
        except ImportError as err:
            raise ImproperlyConfigured(
                f"Cannot import '{app_name}'. Check that '{app_config_class.__module__}."
                f"{app_config_class.__qualname__}.name' is correct."
            ) from err
        return app_config_class(app_name, app_module)

    def _registry(self) -> Apps:
        if self.apps is None:
            raise AppRegistryNotReady(
                f"The app config for '{self.label}' isn't in a registry yet; "
                "populate the registry (fastjango.setup()) before asking for models."
            )
        return self.apps

    def get_model(self, model_name: str, require_ready: bool = True) -> Any:
        """Return the model named ``model_name`` (case-insensitive); raise ``LookupError``.

        With ``require_ready=False`` this works while models are still being
        imported, but the model may not be fully set up yet.
        """
        if require_ready:
            self._registry().check_models_ready()
        else:
            self._registry().check_apps_ready()
        try:
            return (self.models or {})[model_name.lower()]
        except KeyError as err:
            raise LookupError(f"App '{self.label}' doesn't have a '{model_name}' model.") from err

    def get_models(
        self, include_auto_created: bool = False, include_swapped: bool = False
    ) -> Iterator[Any]:
        """Yield this app's models, skipping auto-created and swapped ones unless asked."""
        self._registry().check_models_ready()
        for model in (self.models or {}).values():
            if model._meta.auto_created and not include_auto_created:
                continue
            if model._meta.swapped and not include_swapped:
                continue
            yield model

    def import_models(self) -> None:
        """Import the app's ``models`` module, if it has one."""
        # The registry keeps the dict; this app config shares it.
        self.models = self._registry().all_models[self.label]
        if self.module is not None and module_has_submodule(self.module, MODELS_MODULE_NAME):
            self.models_module = import_module(f"{self.name}.{MODELS_MODULE_NAME}")

    def ready(self) -> None:
        """Override to run start-up code once the registry is fully populated."""
