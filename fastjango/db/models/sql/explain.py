"""The ``EXPLAIN`` prefix of ``QuerySet.explain()`` per database."""

from __future__ import annotations

from typing import Any

__all__ = ["explain_prefix"]

_PG_FORMATS = {"TEXT", "XML", "JSON", "YAML"}
_PG_OPTIONS = {
    "ANALYZE",
    "BUFFERS",
    "COSTS",
    "GENERIC_PLAN",
    "SETTINGS",
    "SUMMARY",
    "TIMING",
    "VERBOSE",
    "WAL",
}
_MYSQL_FORMATS = {"TRADITIONAL", "JSON", "TREE"}


def explain_prefix(connection: Any, format: str | None, options: dict[str, Any]) -> str:
    """Return ``EXPLAIN ...`` for ``connection``; raise ValueError for unknown formats/options."""
    vendor = connection.vendor
    if vendor == "postgresql":
        parts = []
        if format:
            if format.upper() not in _PG_FORMATS:
                raise ValueError(
                    f"{format} is not a recognized format. Allowed formats: "
                    f"{', '.join(sorted(_PG_FORMATS))}"
                )
            parts.append(f"FORMAT {format.upper()}")
        unknown = sorted(name for name in options if name.upper() not in _PG_OPTIONS)
        if unknown:
            raise ValueError(f"Unknown options: {', '.join(unknown)}")
        for name, value in options.items():
            parts.append(f"{name.upper()} {'true' if value else 'false'}")
        return f"EXPLAIN ({', '.join(parts)})" if parts else "EXPLAIN"
    if vendor == "mysql":
        unknown = sorted(name for name in options if name.lower() != "analyze")
        if unknown:
            raise ValueError(f"Unknown options: {', '.join(unknown)}")
        if format and format.upper() not in _MYSQL_FORMATS:
            raise ValueError(
                f"{format} is not a recognized format. Allowed formats: "
                f"{', '.join(sorted(_MYSQL_FORMATS))}"
            )
        prefix = "ANALYZE" if options.get("analyze") else "EXPLAIN"
        if format and format.upper() != "TRADITIONAL" and prefix == "EXPLAIN":
            prefix += f" FORMAT={format.upper()}"
        return prefix
    if format:
        raise ValueError(f"{format} is not a recognized format. Allowed formats: (none)")
    if options:
        raise ValueError(f"Unknown options: {', '.join(sorted(options))}")
    return "EXPLAIN QUERY PLAN"
