"""What migrations manage: each app's tables, and the models behind them.

An app's tables are the SQLAlchemy ``Table`` of each of its managed models
(auto-created many-to-many tables included) plus any ``Table`` its
``models`` module defines at module level (a FastJango extra, for projects
that declare some tables in plain SQLAlchemy). A module-level table belongs
to the app whose module holds it unless its ``info["app_label"]`` names
another app; ``info["managed"] = False`` leaves a table alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.sql.schema import CallableColumnDefault, ScalarElementColumnDefault

if TYPE_CHECKING:
    from fastjango.apps.config import AppConfig
    from fastjango.apps.registry import Apps

__all__ = ["NO_DEFAULT", "ProjectTables", "app_tables", "field_default", "model_tables"]


def _model_is_managed(model: Any) -> bool:
    meta = getattr(model, "_meta", None)
    if meta is None:
        return False
    if getattr(meta, "abstract", False) or getattr(meta, "proxy", False):
        return False
    if getattr(meta, "swapped", None):
        return False
    return bool(getattr(meta, "managed", True))


def model_tables(app_config: AppConfig) -> list[tuple[Any, sa.Table]]:
    """Return ``(model, table)`` for each managed model of an app."""
    result: list[tuple[Any, sa.Table]] = []
    for model in app_config.get_models(include_auto_created=True):
        table = getattr(model, "__table__", None)
        if isinstance(table, sa.Table) and _model_is_managed(model):
            if table.info.get("managed", True):
                result.append((model, table))
    return result


def app_tables(app_config: AppConfig) -> list[sa.Table]:
    """Return the tables that migrations manage for an app, in a stable order."""
    tables: dict[str, sa.Table] = {}
    for _, table in model_tables(app_config):
        tables.setdefault(table.name, table)
    module = app_config.models_module
    if module is not None:
        for value in vars(module).values():
            if not isinstance(value, sa.Table) or value.name in tables:
                continue
            if value.info.get("app_label", app_config.label) != app_config.label:
                continue
            if not value.info.get("managed", True):
                continue
            tables[value.name] = value
    return sorted(tables.values(), key=lambda t: t.name)


@dataclass
class ProjectTables:
    """The managed tables of a set of apps: who owns which, and the models behind them."""

    #: table name -> app label
    owners: dict[str, str]
    #: table name -> Table
    tables: dict[str, sa.Table]
    #: table name -> model class (absent for plain tables)
    models: dict[str, Any]

    @classmethod
    def collect(cls, app_registry: Apps, labels: Iterable[str] | None = None) -> ProjectTables:
        """Gather the tables of the apps ``labels`` (every installed app when None)."""
        owners: dict[str, str] = {}
        tables: dict[str, sa.Table] = {}
        models: dict[str, Any] = {}
        wanted = None if labels is None else set(labels)
        for app_config in app_registry.get_app_configs():
            if wanted is not None and app_config.label not in wanted:
                continue
            for model, table in model_tables(app_config):
                models.setdefault(table.name, model)
            for table in app_tables(app_config):
                owners.setdefault(table.name, app_config.label)
                tables.setdefault(table.name, table)
        return cls(owners, tables, models)

    def metadatas(self, names: Iterable[str] | None = None) -> list[sa.MetaData]:
        """Return the distinct ``MetaData`` objects the tables (or just ``names``) sit on."""
        result: list[sa.MetaData] = []
        chosen = self.tables if names is None else {n: self.tables[n] for n in names}
        for table in chosen.values():
            if not any(table.metadata is md for md in result):
                result.append(table.metadata)
        return result

    def object_name(self, table_name: str) -> str | None:
        """Return the model class name behind a table, or None for a plain table."""
        model = self.models.get(table_name)
        return None if model is None else str(model._meta.object_name)

    def field_for_column(self, table_name: str, column_name: str) -> Any:
        """Return the model field stored in a column, or None."""
        model = self.models.get(table_name)
        if model is None:
            return None
        for model_field in getattr(model._meta, "concrete_fields", ()):
            if getattr(model_field, "column", None) == column_name:
                return model_field
        return None


_NO_DEFAULT = object()


def field_default(project: ProjectTables, table: sa.Table, column: sa.Column[Any]) -> Any:
    """Return the Python default a new column's existing rows get, or ``NO_DEFAULT``.

    The model field's ``default`` wins (``_order`` of ``order_with_respect_to``
    starts at 0); a plain table's ``Column(default=...)``
    (a scalar, or a callable taking no argument) is used otherwise. A callable
    is returned as it is: the migration calls it when it runs.
    """
    model_field = project.field_for_column(table.name, column.name)
    if model_field is not None:
        from fastjango.db.models.fields.proxy import OrderWrt

        if isinstance(model_field, OrderWrt):
            # Rows that exist when order_with_respect_to is set all start at 0, as in Django.
            return 0
        has_default = getattr(model_field, "has_default", None)
        if callable(has_default) and has_default():
            return model_field.default
        return _NO_DEFAULT
    default = column.default
    if default is None:
        return _NO_DEFAULT
    if isinstance(default, ScalarElementColumnDefault | CallableColumnDefault):
        arg = default.arg
        # SQLAlchemy wraps zero-argument callables; the original is what to call.
        return getattr(arg, "__wrapped__", arg)
    return _NO_DEFAULT


NO_DEFAULT = _NO_DEFAULT
