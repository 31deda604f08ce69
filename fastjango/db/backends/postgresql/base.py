"""PostgreSQL backend: psycopg 3 for sync code, asyncpg for async code."""

from __future__ import annotations

import inspect
import shlex
from typing import Any

from sqlalchemy.engine import URL

from fastjango.conf import settings
from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.db.backends.base.base import BaseDatabaseWrapper
from fastjango.db.backends.postgresql.creation import DatabaseCreation
from fastjango.db.backends.postgresql.features import DatabaseFeatures

__all__ = ["DatabaseWrapper", "isolation_level_name"]

# OPTIONS handled here, never passed to a driver as they are.
_OWN_OPTIONS = ("pool", "isolation_level", "server_side_binding", "assume_role")
# psycopg's IsolationLevel values (Django's OPTIONS take them) and plain names.
_ISOLATION_LEVELS = {
    1: "read uncommitted",
    2: "read committed",
    3: "repeatable read",
    4: "serializable",
}
# libpq keywords asyncpg knows under another name.
_ASYNCPG_RENAMES = {"sslmode": "ssl", "connect_timeout": "timeout", "dbname": "database"}


def isolation_level_name(value: Any) -> str:
    """Return the SQL name of an isolation level given as psycopg's enum, an int or a string."""
    if isinstance(value, int):
        if value in _ISOLATION_LEVELS:
            return _ISOLATION_LEVELS[value]
    elif isinstance(value, str):
        name = value.replace("_", " ").lower()
        if name in _ISOLATION_LEVELS.values():
            return name
    raise ImproperlyConfigured(
        f"OPTIONS['isolation_level'] {value!r} is not one of: "
        + ", ".join(_ISOLATION_LEVELS.values())
        + "."
    )


def _parse_options(options: str) -> dict[str, str]:
    # libpq's "options" string: "-c name=value -c other=value".
    result: dict[str, str] = {}
    words = shlex.split(options)
    for index, word in enumerate(words):
        setting = None
        if word == "-c" and index + 1 < len(words):
            setting = words[index + 1]
        elif word.startswith("-c") and len(word) > 2:
            setting = word[2:]
        if setting and "=" in setting:
            name, value = setting.split("=", 1)
            result[name.replace("-", "_")] = value
    return result


class DatabaseWrapper(BaseDatabaseWrapper):
    """A PostgreSQL database; the session time zone follows USE_TZ/TIME_ZONE as in Django."""

    vendor = "postgresql"
    display_name = "PostgreSQL"
    sync_drivername = "postgresql+psycopg"
    async_drivername = "postgresql+asyncpg"
    features_class = DatabaseFeatures
    creation_class = DatabaseCreation

    @property
    def location(self) -> str:
        s = self.settings_dict
        return f"{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}"

    def get_engine_url(self, is_async: bool, database: str | None = None) -> URL:
        name = self.settings_dict["NAME"]
        if database is None and not name and "service" not in self.settings_dict["OPTIONS"]:
            raise ImproperlyConfigured(
                f"settings.DATABASES[{self.alias!r}] is improperly configured. "
                "Please supply the NAME or OPTIONS['service'] value."
            )
        if len(str(name)) > 63:
            raise ImproperlyConfigured(
                f"The database name {name!r} ({len(str(name))} characters) is longer than "
                "PostgreSQL's limit (63 characters). Supply a shorter NAME."
            )
        return super().get_engine_url(is_async, database)

    def _session_settings(self) -> dict[str, str]:
        time_zone = self.settings_dict["TIME_ZONE"]
        if not settings.USE_TZ:
            time_zone = settings.TIME_ZONE
        session = {"TimeZone": time_zone or "UTC"}
        level = self.settings_dict["OPTIONS"].get("isolation_level")
        if level is not None:
            session["default_transaction_isolation"] = isolation_level_name(level)
        return session

    def get_connect_args(self, is_async: bool) -> dict[str, Any]:
        options = {k: v for k, v in self.settings_dict["OPTIONS"].items() if k not in _OWN_OPTIONS}
        session = self._session_settings()
        if not is_async:
            # Session settings travel in the startup packet: no extra round trip.
            extra = " ".join(
                f"-c {name}={value.replace(' ', chr(92) + ' ')}" for name, value in session.items()
            )
            options.pop("ssl", None)
            options["options"] = f"{options.get('options', '')} {extra}".strip()
            return options
        import asyncpg

        accepted = inspect.signature(asyncpg.connect).parameters
        args: dict[str, Any] = {}
        server_settings: dict[str, str] = {}
        for key, value in options.items():
            if key == "options":
                server_settings.update(_parse_options(str(value)))
            elif key == "application_name":
                server_settings["application_name"] = str(value)
            elif key in _ASYNCPG_RENAMES:
                args[_ASYNCPG_RENAMES[key]] = float(value) if key == "connect_timeout" else value
            elif key in accepted:
                args[key] = value
            # Other libpq keywords apply to psycopg only; asyncpg has no equivalent.
        args["server_settings"] = {**server_settings, **args.get("server_settings", {}), **session}
        return args
