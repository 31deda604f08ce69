"""The shared SQLAlchemy ``MetaData`` every model's ``Table`` lives on.

Migrations autogenerate from ``metadata``. Its naming convention gives
constraints and indexes Django's names (``<table>_<columns>_<hash>``), so
FastJango models can sit on the tables of an existing Django database. Names
given by the user (``Meta.indexes``, ``Meta.constraints``) are kept as written.
"""

from __future__ import annotations

import hashlib
import weakref
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import conv
from sqlalchemy.sql.schema import ForeignKeyConstraint

if TYPE_CHECKING:
    from fastjango.db.models.fields import Field

__all__ = [
    "conv",
    "create_index_name",
    "field_column",
    "get_metadata",
    "metadata",
    "names_digest",
    "supports_expression_indexes",
    "supports_nulls_distinct",
]

#: The longest identifier every supported database accepts (PostgreSQL's limit).
MAX_NAME_LENGTH = 63


def names_digest(*args: str, length: int) -> str:
    """Return a short hex digest of ``args``: the hash part of Django's index names."""
    h = hashlib.md5(usedforsecurity=False)
    for arg in args:
        h.update(arg.encode())
    return h.hexdigest()[:length]


def create_index_name(table_name: str, column_names: list[str], suffix: str = "") -> str:
    """Return the index or constraint name Django gives ``column_names`` of ``table_name``."""
    hash_suffix = f"{names_digest(table_name, *column_names, length=8)}{suffix}"
    name = f"{table_name}_{'_'.join(column_names)}_{hash_suffix}"
    if len(name) <= MAX_NAME_LENGTH:
        return name
    if len(hash_suffix) > MAX_NAME_LENGTH / 3:
        hash_suffix = hash_suffix[: MAX_NAME_LENGTH // 3]
    other_length = (MAX_NAME_LENGTH - len(hash_suffix)) // 2 - 1
    name = f"{table_name[:other_length]}_{'_'.join(column_names)[:other_length]}_{hash_suffix}"
    if name[0] == "_" or name[0].isdigit():
        name = f"D{name[:-1]}"
    return name


def _index_name(constraint: Any, table: sa.Table) -> str:
    columns = [column.name for column in constraint.columns]
    return create_index_name(table.name, columns)


def _unique_name(constraint: Any, table: sa.Table) -> str:
    columns = [column.name for column in constraint.columns]
    return create_index_name(table.name, columns, "_uniq")


def _fk_name(constraint: Any, table: sa.Table) -> str:
    element = constraint.elements[0]
    target = element.column
    suffix = f"_fk_{target.table.name}_{target.name}"
    return create_index_name(table.name, [element.parent.name], suffix)


NAMING_CONVENTION: dict[str, Any] = {
    "fj_ix": _index_name,
    "fj_uq": _unique_name,
    "fj_fk": _fk_name,
    "ix": "%(fj_ix)s",
    "uq": "%(fj_uq)s",
    "fk": "%(fj_fk)s",
    "ck": "%(table_name)s_%(constraint_name)s_check",
    "pk": "%(table_name)s_pkey",
}

#: The MetaData of every model in the global app registry.
metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)

_other_metadata: weakref.WeakKeyDictionary[Any, sa.MetaData] = weakref.WeakKeyDictionary()


def get_metadata(apps: Any) -> sa.MetaData:
    """Return the MetaData of models in ``apps`` (``metadata`` for the global registry)."""
    from fastjango.apps import apps as global_apps

    if apps is global_apps or apps is None:
        return metadata
    found = _other_metadata.get(apps)
    if found is None:
        found = sa.MetaData(naming_convention=NAMING_CONVENTION)
        _other_metadata[apps] = found
    return found


def field_column(field: Field[Any, Any], table_name: str) -> tuple[sa.Column[Any], list[Any]]:
    """Return the column of ``field`` and the table items it needs (a CHECK for positives)."""
    from fastjango.db.models.fields import AutoFieldMixin, PositiveIntegerRelDbTypeMixin

    kwargs: dict[str, Any] = {
        "key": field.attname,
        "primary_key": field.primary_key,
        "nullable": bool(field.null) and not field.primary_key,
        "autoincrement": isinstance(field, AutoFieldMixin),
    }
    if field.db_comment:
        kwargs["comment"] = field.db_comment
    if field.unique and not field.primary_key:
        kwargs["unique"] = True
    elif field.db_index and not field.primary_key:
        kwargs["index"] = True
    if field.has_db_default():
        kwargs["server_default"] = server_default(field)
    column: sa.Column[Any] = sa.Column(field.column, field.sa_type_instance, **kwargs)
    extra: list[Any] = []
    if isinstance(field, PositiveIntegerRelDbTypeMixin):
        extra.append(
            sa.CheckConstraint(column >= 0, name=conv(f"{table_name}_{field.column}_check"))
        )
    return column, extra


def server_default(field: Field[Any, Any]) -> Any:
    """Return the SQLAlchemy server default for ``field.db_default``."""
    from fastjango.db.models.expressions import Value
    from fastjango.db.models.sql.compiler import SQLCompiler

    expression = field.db_default
    if isinstance(expression, Value):
        value = field.get_db_prep_value(expression.value, None, prepared=False)
        if isinstance(value, str):
            return value
        return sa.literal(value, type_=field.sa_type_instance)
    return SQLCompiler.standalone(field.model).sa(expression.resolve_expression(None))


def supports_expression_indexes(
    ddl: Any,
    target: Any,
    bind: Any,
    tables: Any = None,
    state: Any = None,
    *,
    dialect: Any,
    compiler: Any = None,
    checkfirst: bool = False,
) -> bool:
    """Return whether the database takes indexes on expressions (MariaDB doesn't)."""
    return not getattr(dialect, "is_mariadb", False)


def supports_nulls_distinct(
    ddl: Any,
    target: Any,
    bind: Any,
    tables: Any = None,
    state: Any = None,
    *,
    dialect: Any,
    compiler: Any = None,
    checkfirst: bool = False,
) -> bool:
    """Return whether unique constraints take NULLS [NOT] DISTINCT (PostgreSQL 15+)."""
    version = getattr(dialect, "server_version_info", None) or (0,)
    return bool(dialect.name == "postgresql" and version >= (15,))


@compiles(ForeignKeyConstraint, "mysql")
@compiles(ForeignKeyConstraint, "mariadb")
def _mysql_foreign_key(constraint: ForeignKeyConstraint, compiler: Any, **kw: Any) -> str:
    # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED where the database
    # can do it; MySQL's syntax has no such clause.
    deferrable, initially = constraint.deferrable, constraint.initially
    constraint.deferrable = constraint.initially = None
    try:
        return str(compiler.visit_foreign_key_constraint(constraint, **kw))
    finally:
        constraint.deferrable, constraint.initially = deferrable, initially
