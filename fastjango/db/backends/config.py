"""Normalize ``DATABASES``: Django's keys and defaults, Django's ENGINE names, and ``URL``."""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from fastjango.core.exceptions import ImproperlyConfigured

__all__ = ["BUILTIN_BACKENDS", "configure_databases", "normalize_engine", "parse_database_url"]

BUILTIN_BACKENDS = ("sqlite3", "postgresql", "mysql")
_PACKAGE = "fastjango.db.backends"
_DUMMY = f"{_PACKAGE}.dummy"

# Django's ENGINE paths (and old spellings) map onto ours so ported settings work.
_DJANGO_ENGINES = {
    "django.db.backends.sqlite3": f"{_PACKAGE}.sqlite3",
    "django.db.backends.postgresql": f"{_PACKAGE}.postgresql",
    "django.db.backends.postgresql_psycopg2": f"{_PACKAGE}.postgresql",
    "django.db.backends.mysql": f"{_PACKAGE}.mysql",
    "django.db.backends.dummy": _DUMMY,
}

_URL_SCHEMES = {
    "sqlite": "sqlite3",
    "sqlite3": "sqlite3",
    "postgres": "postgresql",
    "postgresql": "postgresql",
    "pgsql": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
}

_TEST_DEFAULTS: dict[str, Any] = {
    "CHARSET": None,
    "COLLATION": None,
    "MIGRATE": True,
    "MIRROR": None,
    "NAME": None,
    "TEMPLATE": None,
}


def normalize_engine(engine: str) -> str:
    """Return our dotted backend path for an ENGINE value (Django's names accepted)."""
    if not engine or engine in ("django.db.backends.", f"{_PACKAGE}."):
        return _DUMMY
    if engine in _DJANGO_ENGINES:
        return _DJANGO_ENGINES[engine]
    if engine.startswith("django.db.backends."):
        raise ImproperlyConfigured(
            f"ENGINE {engine!r} has no FastJango counterpart. Use one of: "
            + ", ".join(f"'{_PACKAGE}.{name}'" for name in BUILTIN_BACKENDS)
            + "."
        )
    return engine


def parse_database_url(url: str) -> dict[str, Any]:
    """Return the ``DATABASES`` keys described by a URL such as ``postgresql://u:p@h:5432/db``.

    Query parameters become ``OPTIONS``. ``sqlite:///relative.db``,
    ``sqlite:////absolute.db`` and ``sqlite://`` (in memory) are understood.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0].lower()
    if scheme not in _URL_SCHEMES:
        raise ImproperlyConfigured(
            f"The database URL scheme {parts.scheme!r} is not supported. Use one of: "
            + ", ".join(sorted(_URL_SCHEMES))
            + "."
        )
    backend = _URL_SCHEMES[scheme]
    options: dict[str, Any] = dict(parse_qsl(parts.query))
    result: dict[str, Any] = {"ENGINE": f"{_PACKAGE}.{backend}", "OPTIONS": options}
    if backend == "sqlite3":
        # sqlite:///name -> path "name"; sqlite:////abs -> "/abs"; sqlite:// -> memory.
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        result["NAME"] = path or ":memory:"
        return result
    try:
        port = parts.port
    except ValueError as err:
        raise ImproperlyConfigured(f"The database URL has an invalid port: {err}.") from err
    result.update(
        NAME=unquote(parts.path.lstrip("/")),
        USER=unquote(parts.username or ""),
        PASSWORD=unquote(parts.password or ""),
        HOST=unquote(parts.hostname or ""),
        PORT=str(port) if port is not None else "",
    )
    return result


def _normalize_alias(alias: str, conn: Any) -> dict[str, Any]:
    if not isinstance(conn, dict):
        raise ImproperlyConfigured(
            f"DATABASES[{alias!r}] must be a dict of settings, not {type(conn).__name__}."
        )
    conn = copy.deepcopy(conn)
    url = conn.pop("URL", None)
    if url:
        for key, value in parse_database_url(str(url)).items():
            if key == "OPTIONS":
                conn["OPTIONS"] = {**value, **conn.get("OPTIONS", {})}
            elif not conn.get(key):
                conn[key] = value
        # Keep it for display; it may hold a password, so never log settings_dict.
        conn["URL"] = url
    conn["ENGINE"] = normalize_engine(conn.get("ENGINE") or "")
    conn.setdefault("ATOMIC_REQUESTS", False)
    conn.setdefault("AUTOCOMMIT", True)
    if not conn["AUTOCOMMIT"]:
        raise ImproperlyConfigured(
            f"DATABASES[{alias!r}]['AUTOCOMMIT'] = False is not supported: FastJango always "
            "runs in autocommit mode and groups statements with transaction.atomic()."
        )
    conn.setdefault("CONN_MAX_AGE", 0)
    conn.setdefault("CONN_HEALTH_CHECKS", False)
    max_age = conn["CONN_MAX_AGE"]
    if max_age is not None and (isinstance(max_age, bool) or not isinstance(max_age, int | float)):
        raise ImproperlyConfigured(
            f"DATABASES[{alias!r}]['CONN_MAX_AGE'] must be a number of seconds or None, "
            f"not {max_age!r}."
        )
    conn.setdefault("OPTIONS", {})
    conn.setdefault("TIME_ZONE", None)
    for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT"):
        conn.setdefault(key, "")
    conn["PORT"] = str(conn["PORT"]) if conn["PORT"] not in (None, "") else ""
    test = conn.setdefault("TEST", {})
    for key, value in _TEST_DEFAULTS.items():
        test.setdefault(key, value)
    normalized: dict[str, Any] = conn
    return normalized


def configure_databases(databases: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return a normalized copy of ``DATABASES``, as Django's ConnectionHandler builds it."""
    if not isinstance(databases, dict):
        raise ImproperlyConfigured("The DATABASES setting must be a dict of aliases to settings.")
    if not databases:
        return {"default": _normalize_alias("default", {"ENGINE": _DUMMY})}
    if "default" not in databases:
        raise ImproperlyConfigured("You must define a 'default' database.")
    return {alias: _normalize_alias(alias, conn) for alias, conn in databases.items()}
