"""Settings: ``from fastjango.conf import settings``.

The settings module is named by the ``FASTJANGO_SETTINGS_MODULE`` environment
variable, or given directly with ``settings.configure(**overrides)``.
"""

from __future__ import annotations

import importlib
import os
import time
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from fastjango.conf import global_settings
from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.utils.functional import LazyObject, empty
from fastjango.utils.module_loading import import_string

__all__ = ["ENVIRONMENT_VARIABLE", "LazySettings", "Settings", "UserSettingsHolder", "settings"]

ENVIRONMENT_VARIABLE = "FASTJANGO_SETTINGS_MODULE"

# Settings that must hold a list or tuple; a bare string here is a classic typo.
_SEQUENCE_SETTINGS = (
    "ALLOWED_HOSTS",
    "INSTALLED_APPS",
    "MIDDLEWARE",
    "TEMPLATES",
    "STATICFILES_DIRS",
    "SECRET_KEY_FALLBACKS",
    "CORS_ALLOWED_ORIGINS",
    "CSRF_TRUSTED_ORIGINS",
    "INTERNAL_IPS",
    "LOCALE_PATHS",
)


class LazySettings(LazyObject):
    """Settings loaded on first access from ``FASTJANGO_SETTINGS_MODULE``."""

    def _setup(self, name: str | None = None) -> None:
        settings_module = os.environ.get(ENVIRONMENT_VARIABLE)
        if not settings_module:
            desc = f"setting {name}" if name else "settings"
            raise ImproperlyConfigured(
                f"Requested {desc}, but settings are not configured. You must either define "
                f"the environment variable {ENVIRONMENT_VARIABLE} or call "
                "settings.configure() before accessing settings."
            )
        self._wrapped = Settings(settings_module)

    def __repr__(self) -> str:
        if self._wrapped is empty:
            return "<LazySettings [Unevaluated]>"
        return f'<LazySettings "{self._wrapped.SETTINGS_MODULE}">'

    def __getattr__(self, name: str) -> Any:
        if (wrapped := self._wrapped) is empty:
            self._setup(name)
            wrapped = self._wrapped
        val = getattr(wrapped, name)
        if name in {"MEDIA_URL", "STATIC_URL"} and val is not None:
            val = self._add_script_prefix(val)
        elif name == "SECRET_KEY" and not val:
            raise ImproperlyConfigured("The SECRET_KEY setting must not be empty.")
        # Cache the value: settings are read on hot paths and rarely change.
        self.__dict__[name] = val
        return val

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "_wrapped":
            self.__dict__.clear()
        else:
            self.__dict__.pop(name, None)
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        super().__delattr__(name)
        self.__dict__.pop(name, None)

    def configure(self, default_settings: Any = global_settings, **options: Any) -> None:
        """Configure settings by hand, instead of from ``FASTJANGO_SETTINGS_MODULE``."""
        if self._wrapped is not empty:
            raise RuntimeError("Settings already configured.")
        holder = UserSettingsHolder(default_settings)
        for name, value in options.items():
            if not name.isupper():
                raise TypeError(f"Setting {name!r} must be uppercase.")
            setattr(holder, name, value)
        _check_sequences(holder)
        self._wrapped = holder

    @staticmethod
    def _add_script_prefix(value: str) -> str:
        # A relative STATIC_URL/MEDIA_URL ("static/") is served under the
        # script prefix; absolute paths and URLs are left alone.
        if value.startswith(("http://", "https://", "/")):
            return value
        # Imported by path: fastjango.urls imports settings, so it can't be a top-level import.
        get_script_prefix = import_string("fastjango.urls.get_script_prefix")
        return f"{get_script_prefix()}{value}"

    @property
    def configured(self) -> bool:
        """Return whether settings have been loaded or configured."""
        return self._wrapped is not empty


def _check_sequences(holder: Any) -> None:
    for name in _SEQUENCE_SETTINGS:
        value = getattr(holder, name, None)
        if value is not None and not isinstance(value, list | tuple):
            raise ImproperlyConfigured(f"The {name} setting must be a list or a tuple.")


class Settings:
    """Settings read from a module, on top of ``global_settings``."""

    SETTINGS_MODULE: str

    def __init__(self, settings_module: str) -> None:
        for name in dir(global_settings):
            if name.isupper():
                setattr(self, name, getattr(global_settings, name))
        self.SETTINGS_MODULE = settings_module
        try:
            mod: ModuleType = importlib.import_module(settings_module)
        except ModuleNotFoundError as err:
            # Only the settings module (or a package above it) being missing is a
            # configuration error; a missing import inside the module propagates.
            if err.name and (
                err.name == settings_module or settings_module.startswith(f"{err.name}.")
            ):
                raise ImproperlyConfigured(
                    f"Settings module {settings_module!r} (from {ENVIRONMENT_VARIABLE}) "
                    f"could not be imported: {err}. Check the module path and sys.path."
                ) from err
            raise
        self._explicit_settings: set[str] = set()
        for name in dir(mod):
            if name.isupper():
                setattr(self, name, getattr(mod, name))
                self._explicit_settings.add(name)
        _check_sequences(self)
        if not self.DEBUG and not self.SECRET_KEY:
            raise ImproperlyConfigured(
                f"The SECRET_KEY setting must not be empty when DEBUG is off. Set SECRET_KEY "
                f"in {settings_module} (e.g. from an environment variable)."
            )
        time_zone = self.TIME_ZONE
        if hasattr(time, "tzset") and time_zone:
            # Like Django: make the process's local time follow TIME_ZONE, after
            # checking the zone exists where the system keeps them.
            zoneinfo_root = Path("/usr/share/zoneinfo")
            zone_info_file = zoneinfo_root.joinpath(*time_zone.split("/"))
            if zoneinfo_root.exists() and not zone_info_file.exists():
                raise ValueError(f"Incorrect timezone setting: {time_zone}")
            os.environ["TZ"] = time_zone
            time.tzset()

    if TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any: ...

    def is_overridden(self, setting: str) -> bool:
        """Return whether the settings module sets ``setting`` itself."""
        return setting in self._explicit_settings

    def __repr__(self) -> str:
        return f'<{type(self).__name__} "{self.SETTINGS_MODULE}">'


class UserSettingsHolder:
    """Settings given to ``settings.configure()``, falling back to defaults."""

    SETTINGS_MODULE = None

    def __init__(self, default_settings: Any) -> None:
        self.__dict__["_deleted"] = set()
        self.default_settings = default_settings

    def __getattr__(self, name: str) -> Any:
        if not name.isupper() or name in self._deleted:
            raise AttributeError(name)
        return getattr(self.default_settings, name)

    def __setattr__(self, name: str, value: Any) -> None:
        self._deleted.discard(name)
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        self._deleted.add(name)
        if hasattr(self, name):
            super().__delattr__(name)

    def __dir__(self) -> list[str]:
        return sorted(
            s for s in [*self.__dict__, *dir(self.default_settings)] if s not in self._deleted
        )

    def is_overridden(self, setting: str) -> bool:
        """Return whether ``setting`` was set here or overridden in the defaults."""
        deleted = setting in self._deleted
        set_locally = setting in self.__dict__
        set_on_default = getattr(self.default_settings, "is_overridden", lambda s: False)(setting)
        return deleted or set_locally or set_on_default

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


settings: Any = LazySettings()
