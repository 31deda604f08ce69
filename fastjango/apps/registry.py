"""``Apps``: the registry of installed applications and their models."""

from __future__ import annotations

import functools
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from fastjango.apps.config import AppConfig
from fastjango.core.exceptions import AppRegistryNotReady, ImproperlyConfigured

__all__ = ["Apps", "apps"]


class Apps:
    """A registry of installed applications, populated once from ``INSTALLED_APPS``."""

    def __init__(self, installed_apps: Iterable[str | AppConfig] | None = ()) -> None:
        if installed_apps is None and hasattr(self, "_is_main"):
            raise RuntimeError("You must supply an installed_apps argument.")
        self.all_models: defaultdict[str, dict[str, Any]] = defaultdict(dict)
        self.app_configs: dict[str, AppConfig] = {}
        self.stored_app_configs: list[dict[str, AppConfig]] = []
        self.apps_ready = self.models_ready = self.ready = False
        self._lock = threading.RLock()
        self.loading = False
        self._pending_operations: defaultdict[tuple[str, str], list[Any]] = defaultdict(list)
        if installed_apps is not None:
            self.populate(installed_apps)

    def populate(self, installed_apps: Iterable[str | AppConfig] | None = None) -> None:
        """Load app configs, then models, then run each ``ready()``; idempotent."""
        if self.ready:
            return
        with self._lock:
            if self.ready:
                return
            if self.loading:
                raise RuntimeError("populate() isn't reentrant")
            self.loading = True
            try:
                for entry in installed_apps or ():
                    app_config = entry if isinstance(entry, AppConfig) else AppConfig.create(entry)
                    if app_config.label in self.app_configs:
                        raise ImproperlyConfigured(
                            f"Application labels aren't unique, duplicates: {app_config.label}. "
                            "Give one of them a different AppConfig.label."
                        )
                    self.app_configs[app_config.label] = app_config
                    app_config.apps = self
                counts = Counter(config.name for config in self.app_configs.values())
                duplicates = [name for name, count in counts.most_common() if count > 1]
                if duplicates:
                    raise ImproperlyConfigured(
                        f"Application names aren't unique, duplicates: {', '.join(duplicates)}"
                    )
                self.apps_ready = True
                for app_config in self.app_configs.values():
                    app_config.import_models()
                self.clear_cache()
                self.models_ready = True
                for app_config in self.get_app_configs():
                    app_config.ready()
                self.ready = True
            except BaseException:
                # A failed populate must not leave a half-built registry behind.
                self.app_configs = {}
                self.apps_ready = self.models_ready = self.ready = False
                raise
            finally:
                self.loading = False

    def check_apps_ready(self) -> None:
        """Raise ``AppRegistryNotReady`` if the app configs aren't loaded yet."""
        if not self.apps_ready:
            from fastjango.conf import settings

            # Accessing INSTALLED_APPS raises ImproperlyConfigured when settings aren't
            # configured, which is the more helpful error.
            _ = settings.INSTALLED_APPS
            raise AppRegistryNotReady("Apps aren't loaded yet.")

    def check_models_ready(self) -> None:
        """Raise ``AppRegistryNotReady`` if models aren't loaded yet."""
        if not self.models_ready:
            raise AppRegistryNotReady("Models aren't loaded yet.")

    def get_app_configs(self) -> list[AppConfig]:
        """Return every ``AppConfig``, in ``INSTALLED_APPS`` order."""
        self.check_apps_ready()
        return list(self.app_configs.values())

    def get_app_config(self, app_label: str) -> AppConfig:
        """Return the ``AppConfig`` for ``app_label``; raise ``LookupError`` naming it."""
        self.check_apps_ready()
        try:
            return self.app_configs[app_label]
        except KeyError:
            message = f"No installed app with label '{app_label}'."
            for app_config in self.get_app_configs():
                if app_config.name == app_label:
                    message += f" Did you mean '{app_config.label}'?"
                    break
            raise LookupError(message) from None

    @functools.cache  # noqa: B019 - the registry lives for the process; clear_cache() resets
    def get_models(
        self, include_auto_created: bool = False, include_swapped: bool = False
    ) -> list[Any]:
        """Return every model of every installed app."""
        self.check_models_ready()
        result: list[Any] = []
        for app_config in self.app_configs.values():
            result.extend(app_config.get_models(include_auto_created, include_swapped))
        return result

    def get_model(
        self, app_label: str, model_name: str | None = None, require_ready: bool = True
    ) -> Any:
        """Return a model from ``"app_label.ModelName"`` or from the two names."""
        if require_ready:
            self.check_models_ready()
        else:
            self.check_apps_ready()
        if model_name is None:
            app_label, model_name = app_label.split(".")
        app_config = self.get_app_config(app_label)
        if not require_ready and app_config.models is None:
            app_config.import_models()
        return app_config.get_model(model_name, require_ready=require_ready)

    def register_model(self, app_label: str, model: Any) -> None:
        """Record a model class; called by the model metaclass."""
        model_name = model._meta.model_name
        app_models = self.all_models[app_label]
        if model_name in app_models:
            existing = app_models[model_name]
            if model.__name__ == existing.__name__ and model.__module__ == existing.__module__:
                # Reloading a module (autoreload, tests) re-declares the same model.
                pass
            else:
                raise RuntimeError(
                    f"Conflicting '{model_name}' models in application '{app_label}': "
                    f"{existing} and {model}."
                )
        app_models[model_name] = model
        self.do_pending_operations(model)
        self.clear_cache()

    def is_installed(self, app_name: str) -> bool:
        """Return whether an app with this full module name is installed."""
        self.check_apps_ready()
        return any(ac.name == app_name for ac in self.app_configs.values())

    def get_containing_app_config(self, object_name: str) -> AppConfig | None:
        """Return the app config whose module contains ``object_name``, or None."""
        self.check_apps_ready()
        candidates = [
            app_config
            for app_config in self.app_configs.values()
            if object_name.startswith(app_config.name)
            and object_name[len(app_config.name) : len(app_config.name) + 1] in ("", ".")
        ]
        if candidates:
            return max(candidates, key=lambda ac: len(ac.name))
        return None

    def get_registered_model(self, app_label: str, model_name: str) -> Any:
        """Return a registered model even before the registry is ready; raise ``LookupError``."""
        model = self.all_models[app_label].get(model_name.lower())
        if model is None:
            raise LookupError(f"Model '{app_label}.{model_name}' not registered.")
        return model

    def set_installed_apps(self, installed: Iterable[str | AppConfig]) -> None:
        """Swap the installed apps (for tests); undo with ``unset_installed_apps``."""
        if not self.ready:
            raise AppRegistryNotReady("App registry isn't ready yet.")
        self.stored_app_configs.append(self.app_configs)
        self.app_configs = {}
        self.apps_ready = self.models_ready = self.loading = self.ready = False
        self.clear_cache()
        self.populate(installed)

    def unset_installed_apps(self) -> None:
        """Restore the installed apps saved by ``set_installed_apps``."""
        self.app_configs = self.stored_app_configs.pop()
        self.apps_ready = self.models_ready = self.ready = True
        self.clear_cache()

    def clear_cache(self) -> None:
        """Clear the caches of model lookups; call after registering models by hand."""
        self.get_models.cache_clear()

    def lazy_model_operation(self, function: Any, *model_keys: tuple[str, str]) -> None:
        """Call ``function(*models)`` once every model in ``model_keys`` is registered."""
        if not model_keys:
            function()
            return
        next_model, *more_models = model_keys

        def apply_next_model(model: Any) -> None:
            next_function = functools.partial(function, model)
            self.lazy_model_operation(next_function, *more_models)

        try:
            model_class = self.get_registered_model(*next_model)
        except LookupError:
            self._pending_operations[next_model].append(apply_next_model)
        else:
            apply_next_model(model_class)

    def do_pending_operations(self, model: Any) -> None:
        """Run the operations that were waiting for ``model`` to be registered."""
        key = (model._meta.app_label, model._meta.model_name)
        for function in self._pending_operations.pop(key, []):
            function(model)


apps = Apps(installed_apps=None)
