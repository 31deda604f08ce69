"""``Apps``: the registry of installed applications and their models."""

from __future__ import annotations

import functools
import sys
import threading
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from fastjango.apps.config import AppConfig
from fastjango.core.exceptions import AppRegistryNotReady, ImproperlyConfigured

__all__ = ["Apps", "apps"]


class Apps:
    """A registry of installed applications, populated once from ``INSTALLED_APPS``."""

    def __init__(self, installed_apps: Iterable[str | AppConfig] | None = ()) -> None:
        # Only the main registry (created below, populated later by setup()) may
        # start empty; every other registry is populated at once.
        if installed_apps is None and hasattr(sys.modules[__name__], "apps"):
            raise RuntimeError("You must supply an installed_apps argument.")
        self.all_models: defaultdict[str, dict[str, Any]] = defaultdict(dict)
        self.app_configs: dict[str, AppConfig] = {}
        self.stored_app_configs: list[dict[str, AppConfig]] = []
        self.apps_ready = self.models_ready = self.ready = False
        # Set once populate() has finished, for threads that wait on start-up.
        self.ready_event = threading.Event()
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
                self.ready_event.set()
            except BaseException:
                # A failed populate must not leave a half-built registry behind,
                # so fixing the cause and calling populate() again works.
                for app_config in self.app_configs.values():
                    app_config.apps = None
                self.app_configs = {}
                self.apps_ready = self.models_ready = self.ready = False
                self.clear_cache()
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
        """Record a model class; called by the model metaclass.

        Registering a second model with the same name raises ``RuntimeError``,
        unless it comes from the same module (a reload), which only warns.
        """
        # Called while models modules are imported, so it must not import
        # anything or call get_app_config().
        model_name = model._meta.model_name
        app_models = self.all_models[app_label]
        if model_name in app_models:
            existing = app_models[model_name]
            if model.__name__ == existing.__name__ and model.__module__ == existing.__module__:
                warnings.warn(
                    f"Model '{app_label}.{model_name}' was already registered. Reloading "
                    "models is not advised as it can lead to inconsistencies, most notably "
                    "with related models.",
                    RuntimeWarning,
                    stacklevel=2,
                )
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

    def get_swappable_settings_name(self, to_string: str) -> str | None:
        """Return the setting (e.g. ``"AUTH_USER_MODEL"``) that swaps the model ``to_string``.

        ``to_string`` is ``"app_label.ModelName"``; return None if the model
        isn't swappable and doesn't replace a swappable one.
        """
        return self._swappable_settings_name(to_string.lower())

    @functools.cache  # noqa: B019 - cleared by clear_cache(), like get_models
    def _swappable_settings_name(self, to_string: str) -> str | None:
        for model in self.get_models(include_swapped=True):
            swapped = model._meta.swapped
            # The model given is the one this swappable model was swapped for.
            if swapped and swapped.lower() == to_string:
                return str(model._meta.swappable)
            # The model given is itself swappable.
            if model._meta.swappable and model._meta.label_lower == to_string:
                return str(model._meta.swappable)
        return None

    def set_available_apps(self, available: Iterable[str]) -> None:
        """Restrict the registry to some installed apps (for tests); undo with ``unset_...``."""
        wanted = set(available)
        installed = {app_config.name for app_config in self.get_app_configs()}
        if not wanted.issubset(installed):
            raise ValueError(
                "Available apps isn't a subset of installed apps, extra apps: "
                + ", ".join(sorted(wanted - installed))
            )
        self.stored_app_configs.append(self.app_configs)
        self.app_configs = {
            label: app_config
            for label, app_config in self.app_configs.items()
            if app_config.name in wanted
        }
        self.clear_cache()

    def unset_available_apps(self) -> None:
        """Undo ``set_available_apps``."""
        self.app_configs = self.stored_app_configs.pop()
        self.clear_cache()

    def set_installed_apps(self, installed: Iterable[str | AppConfig]) -> None:
        """Swap the installed apps (for tests); undo with ``unset_installed_apps``.

        Raise ``AppRegistryNotReady`` if the registry hasn't been populated yet.
        If populating the new apps fails, the old ones stay saved and
        ``unset_installed_apps()`` must still be called.
        """
        if not self.ready:
            raise AppRegistryNotReady(
                "App registry isn't ready yet. Call fastjango.setup() before changing "
                "INSTALLED_APPS."
            )
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
        self._swappable_settings_name.cache_clear()
        if self.ready:
            # Models cache their relations too; go around get_models() so that
            # a registry being swapped doesn't cache an empty list meanwhile.
            for app_config in self.app_configs.values():
                for model in app_config.get_models(include_auto_created=True):
                    expire_cache = getattr(model._meta, "_expire_cache", None)
                    if expire_cache is not None:
                        expire_cache()

    def lazy_model_operation(
        self, function: Callable[..., Any], *model_keys: tuple[str, str]
    ) -> None:
        """Call ``function(*models)`` once every model in ``model_keys`` is registered.

        Keys are ``(app_label, model_name)`` with the model name in lower case.
        Models already registered are applied at once; the call waits in
        ``_pending_operations`` for the rest.
        """
        if not model_keys:
            function()
            return
        next_model, *more_models = model_keys

        def apply_next_model(model: Any) -> None:
            next_function = functools.partial(apply_next_model.func, model)  # type: ignore[attr-defined]
            self.lazy_model_operation(next_function, *more_models)

        # Like a partial's .func: lets checks name the function still waiting.
        apply_next_model.func = function  # type: ignore[attr-defined]

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
