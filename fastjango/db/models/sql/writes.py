"""INSERT, UPDATE and DELETE statements for models and querysets."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from fastjango.core.exceptions import EmptyResultSet, FieldError, FullResultSet
from fastjango.db.backends.base.direct import DirectResult
from fastjango.db.models import plans
from fastjango.db.models.expressions import DatabaseDefault

__all__ = [
    "InsertOne",
    "delete_statement",
    "insert_rows",
    "insert_statement",
    "update_statement",
]


def _connection(using: str) -> Any:
    from fastjango.db import connections

    return connections[using]


#: value types that are never an expression or a database default: checked first, since
#: insert_rows() runs per field of every object bulk_create() writes
_PLAIN_TYPES = frozenset(
    {str, int, float, bool, type(None), bytes, decimal.Decimal, uuid.UUID}
    | {datetime.datetime, datetime.date, datetime.time, datetime.timedelta}
)


#: field class -> (keeps Field.pre_save(), keeps Field.get_db_prep_save())
_base_methods_by_class: dict[type, tuple[bool, bool]] = {}

#: what _special_value() returns for a column the INSERT leaves to the database
_LEAVE_OUT: Any = object()


def _base_methods(field_class: type) -> tuple[bool, bool]:
    found = _base_methods_by_class.get(field_class)
    if found is None:
        from fastjango.db.models.fields import Field

        found = (
            field_class.pre_save is Field.pre_save,  # type: ignore[attr-defined]
            field_class.get_db_prep_save is Field.get_db_prep_save,  # type: ignore[attr-defined]
        )
        _base_methods_by_class[field_class] = found
    return found


#: field class -> the value type its get_db_prep_save() gives back unchanged (or None)
_passthrough_by_class: dict[type, type | None] = {}


def _passthrough_type(field_class: type) -> type | None:
    """Return the type whose values ``field_class`` saves as they are, if any.

    Only where every conversion step is one of ours that returns such a value
    itself (``str`` for text fields, exact ``int`` for integer fields, ``float``);
    a subclass overriding any step gets None.
    """
    if field_class in _passthrough_by_class:
        return _passthrough_by_class[field_class]
    from fastjango.db.models import fields as f

    found: type | None = None
    base_db_prep = field_class.get_db_prep_value in (  # type: ignore[attr-defined]
        f.Field.get_db_prep_value,
        f.AutoFieldMixin.get_db_prep_value,
    )
    prep = field_class.get_prep_value  # type: ignore[attr-defined]
    to_python = field_class.to_python  # type: ignore[attr-defined]
    if base_db_prep and _base_methods(field_class)[1]:
        if prep in (f.CharField.get_prep_value, f.TextField.get_prep_value) and to_python in (
            f.CharField.to_python,
            f.TextField.to_python,
        ):
            found = str
        elif prep is f.IntegerField.get_prep_value:
            found = int
        elif prep is f.FloatField.get_prep_value:
            found = float
    _passthrough_by_class[field_class] = found
    return found


def _special_value(model: Any, field: Any, value: Any, connection: Any) -> Any:
    """Return what to INSERT for a value that may be an expression or ``db_default``."""
    from fastjango.db.models.sql.compiler import SQLCompiler

    if isinstance(value, DatabaseDefault):
        return _LEAVE_OUT
    if not hasattr(value, "resolve_expression"):
        return field.get_db_prep_save(value, connection)
    compiler = SQLCompiler.standalone(model)
    compiler.connection = connection
    compiler.vendor = connection.vendor
    resolved = value.resolve_expression(compiler.query, allow_joins=False, for_save=True)
    if getattr(resolved, "contains_column_references", False):
        raise ValueError(
            f'Failed to insert expression "{value}" on {field}. F() expressions can only '
            "be used to update, not to insert."
        )
    if getattr(resolved, "contains_aggregate", False):
        raise FieldError(
            f"Aggregate functions are not allowed in this query ({field.name}={value!r})."
        )
    return compiler.sa(resolved)


def insert_rows(
    model: Any, objs: Sequence[Any], fields: Sequence[Any], connection: Any, raw: bool = False
) -> tuple[list[dict[str, Any]], bool]:
    """Return the column values to INSERT for each of ``objs`` (``db_default`` ones left out).

    Also return whether any value is a SQL expression. What each field needs is
    decided once for all the objects: bulk_create() runs this per field of every
    object it writes.
    """
    plan = []
    for field in fields:
        base_pre_save, base_prep_save = _base_methods(type(field))
        passthrough = _passthrough_type(type(field))
        plan.append((field, field.attname, raw or base_pre_save, base_prep_save, passthrough))
    rows = []
    with_sql = False
    for obj in objs:
        values: dict[str, Any] = {}
        for field, attname, read_attribute, direct, passthrough in plan:
            value = getattr(obj, attname) if read_attribute else field.pre_save(obj, add=True)
            if type(value) is passthrough:
                # Saved as it is (1,000 rows of three such fields: 1.5 -> 0.4 ms).
                values[attname] = value
                continue
            if type(value) in _PLAIN_TYPES:
                # A plain value is neither an expression nor a database default; with
                # Field.get_db_prep_save() it goes straight to the conversion.
                if direct:
                    values[attname] = field.get_db_prep_value(value, connection, False)
                else:
                    values[attname] = field.get_db_prep_save(value, connection)
                continue
            value = _special_value(model, field, value, connection)
            if value is not _LEAVE_OUT:
                values[attname] = value
                with_sql = with_sql or isinstance(value, sa.sql.ClauseElement)
        rows.append(values)
    return rows, with_sql


#: (table, columns given, columns returned) -> INSERT; see insert_statement()
_inserts: dict[tuple[Any, tuple[str, ...], tuple[str, ...]], Any] = {}


def insert_statement(
    model: Any,
    objs: Sequence[Any],
    fields: Sequence[Any],
    returning_fields: Sequence[Any],
    using: str,
    raw: bool = False,
) -> tuple[Any, dict[str, Any] | None, list[Any]]:
    """Return the INSERT of one object, its parameters and the fields RETURNING reads back.

    Plain values go as parameters of one INSERT kept per table and column set:
    SQLAlchemy then skips building and keying a new statement per row (1,000
    ``create()`` calls: 81 -> 21 ms of statement work). Values that are SQL
    expressions are written into a statement of their own.
    """
    connection = _connection(using)
    table = model._meta.table
    rows, with_sql = insert_rows(model, objs[:1], fields, connection, raw)
    values = rows[0]
    returning = list(returning_fields)
    features = connection.features
    if not (returning and features.can_return_columns_from_insert):
        returning = []
    elif (
        features.insert_key_from_lastrowid
        and returning == [model._meta.pk]
        and model._meta.pk is model._meta.auto_field
    ):
        returning = []  # the caller reads the key from lastrowid
    if with_sql:
        own = sa.insert(table).values(values)
        if returning:
            own = own.returning(*(table.c[f.attname] for f in returning))
        return own, None, returning
    key = (table, tuple(values), tuple(f.attname for f in returning))
    statement: Any = _inserts.get(key)
    if statement is None:
        # With no parameters SQLAlchemy would insert every column's default; an
        # explicit empty VALUES keeps "all defaults" (db_default columns) as it is.
        statement = sa.insert(table) if values else sa.insert(table).values({})
        if returning:
            statement = statement.returning(*(table.c[f.attname] for f in returning))
        if len(_inserts) >= 2048:
            _inserts.clear()
        _inserts[key] = statement
    return statement, values or None, returning


#: (INSERT from _inserts, dialect) -> its DirectStatement, or None if SQLAlchemy must run it
_direct_inserts: dict[tuple[Any, Any], Any] = {}


class InsertOne(plans.Execute):
    """Run one of ``insert_statement()``'s cached INSERTs, on the driver's cursor if it can.

    1,000 ``create()`` calls on SQLite: 33.5 -> 19.9 ms (SQLAlchemy's execution
    layer was about 14 µs of each INSERT).
    """

    def run_sync(self) -> Any:
        connection = _connection(self.using)
        params = self.params
        if params is not None and connection.runs_direct():
            key = (self.statement, connection.direct_dialect())
            if key in _direct_inserts:
                direct = _direct_inserts[key]
            else:
                if len(_direct_inserts) >= 2048:
                    _direct_inserts.clear()
                direct = _direct_inserts[key] = connection.direct_statement(
                    self.statement, frozenset(params), list(params)
                )
            if direct is not None:
                return connection.execute_direct(direct, params, DirectResult)
        return super().run_sync()


def _base_condition(query: Any, compiler: Any, table: Any) -> Any:
    """Return the WHERE of an UPDATE/DELETE; with joins, ``pk IN (subquery)``."""
    from fastjango.db.models.sql.compiler import SQLCompiler

    # A condition on a window function can't be in the UPDATE's own WHERE.
    if len(query.alias_map) == 1 and not query.where.contains_over_clause:
        where = query.where
        try:
            return compiler.condition(where)
        except FullResultSet:
            return None
    inner = query.clone()
    inner.clear_select_clause()
    inner.add_fields(["pk"])
    inner.clear_ordering(force=True)
    select = SQLCompiler(inner, compiler.connection, parent=compiler).as_select()
    pk = table.c[query.get_meta().pk.attname]
    if compiler.vendor == "mysql":
        # MySQL can't read the table it changes in a subquery; a derived table can.
        derived = select.subquery()
        return pk.in_(sa.select(list(derived.c)[0]))
    return pk.in_(select)


def update_statement(queryset: Any, values: Sequence[tuple[Any, Any, Any]]) -> Any:
    """Return the UPDATE setting ``(field, model, value)`` triples on the queryset's rows.

    Return None when the queryset matches nothing.
    """
    from fastjango.db.models.sql.compiler import SQLCompiler

    query = queryset.query.chain()
    connection = _connection(queryset.db)
    compiler = SQLCompiler(query, connection)
    table = query.get_meta().table
    base = query.get_initial_alias()
    compiler._froms[base] = table
    compiler._plain_tables.add(query.get_meta().db_table)
    assignments: dict[Any, Any] = {}
    for field, _model, value in values:
        column = table.c[field.attname]
        if hasattr(value, "resolve_expression"):
            resolved = value.resolve_expression(query, allow_joins=False, for_save=True)
            if getattr(resolved, "contains_aggregate", False):
                raise FieldError(
                    f"Aggregate functions are not allowed in this query ({field.name}={value!r})."
                )
            if getattr(resolved, "contains_over_clause", False):
                raise FieldError(
                    f"Window expressions are not allowed in this query ({field.name}={value!r})."
                )
            assignments[column] = compiler.sa(resolved)
        elif hasattr(value, "prepare_database_save"):
            if field.remote_field:
                assignments[column] = value.prepare_database_save(field)
            else:
                raise TypeError(
                    f"Tried to update field {field} with a model instance, {value!r}. Use a "
                    f"value compatible with {field.__class__.__name__}."
                )
        else:
            assignments[column] = field.get_db_prep_save(value, connection=connection)
    try:
        condition = _base_condition(query, compiler, table)
    except EmptyResultSet:
        return None
    statement = sa.update(table).values(assignments)
    if condition is not None:
        statement = statement.where(condition)
    return statement


def delete_statement(query: Any, using: str) -> Any:
    """Return the DELETE of the query's rows, or None when it matches nothing."""
    from fastjango.db.models.sql.compiler import SQLCompiler

    query = query.chain()
    connection = _connection(using)
    compiler = SQLCompiler(query, connection)
    table = query.get_meta().table
    base = query.get_initial_alias()
    compiler._froms[base] = table
    compiler._plain_tables.add(query.get_meta().db_table)
    try:
        condition = _base_condition(query, compiler, table)
    except EmptyResultSet:
        return None
    statement = sa.delete(table)
    if condition is not None:
        statement = statement.where(condition)
    return statement
