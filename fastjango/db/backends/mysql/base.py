"""MySQL and MariaDB backend: PyMySQL for sync code, asyncmy for async code."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import URL

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.db.backends.base.base import BaseDatabaseWrapper
from fastjango.db.backends.mysql.creation import DatabaseCreation
from fastjango.db.backends.mysql.features import DatabaseFeatures

__all__ = ["DatabaseWrapper"]

_OWN_OPTIONS = ("pool", "isolation_level")
_ISOLATION_LEVELS = ("read uncommitted", "read committed", "repeatable read", "serializable")


class DatabaseWrapper(BaseDatabaseWrapper):
    """A MySQL or MariaDB database; transactions default to READ COMMITTED, as in Django."""

    vendor = "mysql"
    sync_drivername = "mysql+pymysql"
    async_drivername = "mysql+asyncmy"
    features_class = DatabaseFeatures
    creation_class = DatabaseCreation

    def __init__(self, settings_dict: dict[str, Any], alias: str = "default") -> None:
        super().__init__(settings_dict, alias)
        level = str(settings_dict["OPTIONS"].get("isolation_level", "read committed")).lower()
        if level not in _ISOLATION_LEVELS:
            raise ImproperlyConfigured(
                f"DATABASES[{alias!r}]['OPTIONS']['isolation_level'] {level!r} is not one of: "
                + ", ".join(_ISOLATION_LEVELS)
                + "."
            )
        self.isolation_level = level

    @property
    def mysql_is_mariadb(self) -> bool:
        """Return whether the server is MariaDB (connects once if nothing has yet)."""
        return bool(getattr(self.initialized_dialect(), "is_mariadb", False))

    @property
    def display_name(self) -> str:  # type: ignore[override]
        """Return "MariaDB" or "MySQL"."""
        return "MariaDB" if self.mysql_is_mariadb else "MySQL"

    @property
    def location(self) -> str:
        s = self.settings_dict
        return f"{s['HOST'] or 'localhost'}:{s['PORT'] or 3306}"

    def get_engine_url(self, is_async: bool, database: str | None = None) -> URL:
        url = super().get_engine_url(is_async, database)
        if str(self.settings_dict["HOST"]).startswith("/"):
            # A HOST that is a path is the server's Unix socket, as in Django.
            url = url._replace(host=None)
        return url

    def get_connect_args(self, is_async: bool) -> dict[str, Any]:
        args = {k: v for k, v in self.settings_dict["OPTIONS"].items() if k not in _OWN_OPTIONS}
        args.setdefault("charset", "utf8mb4")
        host = str(self.settings_dict["HOST"])
        if host.startswith("/"):
            args.setdefault("unix_socket", host)
        return args

    def init_connection(self, dbapi_connection: Any, is_async: bool) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"SET SESSION TRANSACTION ISOLATION LEVEL {self.isolation_level}")
        finally:
            cursor.close()
