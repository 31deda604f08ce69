"""``AppConfig``: one installed application."""

from __future__ import annotations

import inspect
import os
from collections.abc import Iterator
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

from fastjango.core.exceptions import ImproperlyConfigured
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
    default_auto_field: str | None = None

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
        self.models: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.label}>"

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
                    defaults: list[type[AppConfig]] = [
                        c for c in candidates if c.__dict__.get("default") is True
                    ]
                    if len(defaults) > 1:
                        names = ", ".join(repr(c.__name__) for c in defaults)
                        raise ImproperlyConfigured(
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
        if not issubclass(app_config_class, AppConfig):
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

    def get_model(self, model_name: str, require_ready: bool = True) -> Any:
        """Return the model named ``model_name`` (case-insensitive); raise ``LookupError``."""
        if require_ready and self.apps is not None:
            self.apps.check_models_ready()
        elif self.apps is not None:
            self.apps.check_apps_ready()
        try:
            return self.models[model_name.lower()]
        except KeyError as err:
            raise LookupError(f"App '{self.label}' doesn't have a '{model_name}' model.") from err

    def get_models(
        self, include_auto_created: bool = False, include_swapped: bool = False
    ) -> Iterator[Any]:
        """Yield this app's models."""
        if self.apps is not None:
            self.apps.check_models_ready()
        for model in self.models.values():
            meta = getattr(model, "_meta", None)
            if meta is not None:
                if getattr(meta, "auto_created", False) and not include_auto_created:
                    continue
                if getattr(meta, "swapped", None) and not include_swapped:
                    continue
            yield model

    def import_models(self) -> None:
        """Import the app's ``models`` module, if it has one."""
        assert self.apps is not None
        self.models = self.apps.all_models[self.label]
        if self.module is not None and module_has_submodule(self.module, MODELS_MODULE_NAME):
            self.models_module = import_module(f"{self.name}.{MODELS_MODULE_NAME}")

    def ready(self) -> None:
        """Override to run start-up code once the registry is fully populated."""
