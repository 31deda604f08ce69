"""Compiled SELECTs reused by querysets of the same shape.

Turning a ``Query`` into a SQLAlchemy ``select()`` costs more than running a
small query on SQLite (fetching 20 rows: ~120 of ~330 µs). Most querysets an
application runs differ only in their filter values (``get(pk=...)``, a page
of a list), so the compiled statement is kept under the query's *shape*: the
model, tables, joins, selected columns, ordering, slicing and the tree of
conditions, with the value of each simple comparison (``exact``, ``gt``,
``gte``, ``lt``, ``lte`` of a column against a plain value) left out and
bound by name when the statement runs.

The rules that keep this correct:

- a query is cached only when every attribute it has is one this module
  knows (a new attribute on ``Query`` disables caching until it is keyed);
- every condition must be such a simple comparison; anything else (other
  lookups, transforms, expressions, subqueries, annotations, unions,
  ``select_for_update``...) compiles afresh each time;
- a statement is stored only if compiling it bound every such value through
  its named slot, so no value of the first query can leak into a later one.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import Any

from fastjango.db.models.expressions import Col
from fastjango.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    IntegerFieldExact,
    IntegerGreaterThanOrEqual,
    IntegerLessThan,
    LessThan,
    LessThanOrEqual,
    Lookup,
)
from fastjango.db.models.sql.datastructures import BaseTable, Join
from fastjango.db.models.sql.query import Query
from fastjango.db.models.sql.where import WhereNode

__all__ = ["CachedSelect", "clear", "lookup", "shape", "slot_params", "store"]

#: statements kept; the oldest goes first when full
MAX_ENTRIES = 1024

#: comparisons whose SQL is ``column <op> :value`` whatever the value (its type aside)
SLOT_LOOKUPS = frozenset(
    {
        Exact,
        IntegerFieldExact,
        GreaterThan,
        GreaterThanOrEqual,
        IntegerGreaterThanOrEqual,
        LessThan,
        LessThanOrEqual,
        IntegerLessThan,
    }
)

#: attributes of a ``Query`` the shape accounts for (or that never change its SQL)
KNOWN_ATTRIBUTES = frozenset(
    {
        "model",
        "alias_refcount",
        "alias_map",
        "table_map",
        "alias_cols",
        "where",
        "is_empty_query",
        "annotations",
        "annotation_select_mask",
        "_filtered_relations",
        "default_cols",
        "default_ordering",
        "standard_ordering",
        "order_by",
        "distinct",
        "distinct_fields",
        "select_for_update",
        "select_for_update_nowait",
        "select_for_update_skip_locked",
        "select_for_update_of",
        "select_for_no_key_update",
        "select_related",
        "max_depth",
        "values_select",
        "select",
        "group_by",
        "low_mark",
        "high_mark",
        "combinator",
        "combinator_all",
        "combined_queries",
        "deferred_loading",
        "filter_is_sticky",
        "subquery",
        "used_aliases",
        "explain_info",
        "exists_query",
        "_constructor_args",  # what the Query was made with (its model): no SQL of its own
    }
)


class CachedSelect:
    """A compiled statement and what reading its rows needs."""

    __slots__ = (
        "annotation_positions",
        "column_names",
        "direct",
        "factories",
        "klass_info",
        "statement",
    )

    def __init__(
        self,
        statement: Any,
        klass_info: Any,
        column_names: list[str],
        annotation_positions: dict[str, int],
    ) -> None:
        self.statement = statement
        self.klass_info = klass_info
        self.column_names = column_names
        self.annotation_positions = annotation_positions
        #: row factories made for this statement, by how the queryset reads rows
        self.factories: dict[Hashable, Any] = {}
        #: (dialect, the statement for the driver or None if SQLAlchemy must run it),
        #: worked out when first run from sync code
        self.direct: tuple[Any, Any] = (None, None)


class _Uncacheable(Exception):
    pass


_entries: dict[Hashable, CachedSelect] = {}
_lock = threading.Lock()


def slot_name(index: int) -> str:
    """Return the bind parameter name of the ``index``-th value of a shape."""
    return f"fj_slot_{index}"


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((key, _freeze(item)) for key, item in value.items()))
    return value


def _column(expr: Any) -> tuple[Any, ...]:
    if type(expr) is not Col:
        raise _Uncacheable
    return (expr.alias, expr.target, expr.output_field)


def _condition(node: Any, leaves: list[Lookup]) -> tuple[Any, ...]:
    if type(node) is WhereNode:
        return (
            node.connector,
            node.negated,
            tuple(_condition(child, leaves) for child in node.children),
        )
    if type(node) not in SLOT_LOOKUPS or not node.rhs_is_direct_value():
        raise _Uncacheable
    if node.bilateral_transforms:
        raise _Uncacheable
    rhs = node.rhs
    kind: tuple[Any, ...] = (type(rhs),)
    if isinstance(rhs, bool):
        # ``boolean_field=True`` compiles to the column itself, ``False`` to NOT column.
        kind = (bool, rhs)
    elif type(node) is IntegerFieldExact:
        # A value outside the column's range compiles to "matches nothing".
        bounds = getattr(node.lhs_field, "integer_range", None)
        if bounds is not None and isinstance(rhs, int):
            kind = (int, bounds[0] <= rhs <= bounds[1])
    leaves.append(node)
    return (type(node), _column(node.lhs), kind)


def _table(alias: str, entry: Any) -> tuple[Any, ...]:
    if type(entry) is BaseTable:
        return (alias, entry.table_name, entry.model)
    if type(entry) is not Join or entry.filtered_relation is not None:
        raise _Uncacheable
    return (
        alias,
        entry.table_name,
        entry.parent_alias,
        entry.join_type,
        entry.join_field,
        entry.nullable,
        entry.m2m,
        entry.model,
    )


def shape(query: Query, alias: str, vendor: str) -> tuple[Hashable, list[Lookup]] | None:
    """Return ``(key, value lookups)`` for ``query`` on a database, or None if not cacheable.

    The lookups are the simple comparisons whose values the statement binds
    by name, in slot order.
    """
    if type(query) is not Query or not query.__dict__.keys() <= KNOWN_ATTRIBUTES:
        return None
    if (
        query.combinator
        or query.annotations
        or query.select_for_update
        or query.distinct_fields
        or query.group_by is not None
        or query._filtered_relations
        or query.explain_info is not None
        or query.subquery
        or query.exists_query
        or query.is_empty_query
    ):
        return None
    order_by = query.order_by
    if not all(type(item) is str for item in order_by):
        return None
    leaves: list[Lookup] = []
    try:
        key = (
            alias,
            vendor,
            query.model,
            query.alias_cols,
            tuple(_table(name, entry) for name, entry in query.alias_map.items()),
            tuple(query.alias_refcount.items()),
            _condition(query.where, leaves),
            query.default_cols,
            tuple(_column(expr) for expr in query.select),
            query.values_select,
            tuple(query.annotation_select_mask or ()),
            query.deferred_loading,
            _freeze(query.select_related),
            query.max_depth,
            order_by,
            query.default_ordering,
            query.standard_ordering,
            query.distinct,
            query.low_mark,
            query.high_mark,
        )
        hash(key)
    except (_Uncacheable, TypeError):
        return None
    return key, leaves


def lookup(key: Hashable) -> CachedSelect | None:
    """Return the statement stored under ``key``, if any."""
    return _entries.get(key)


def store(key: Hashable, entry: CachedSelect) -> None:
    """Keep ``entry`` under ``key``, dropping the oldest entry when full."""
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.pop(next(iter(_entries)), None)
        _entries[key] = entry


def clear() -> None:
    """Forget every stored statement."""
    with _lock:
        _entries.clear()


def slot_params(leaves: list[Lookup], compiler: Any) -> dict[str, Any]:
    """Return the named values of ``leaves`` as the database gets them."""
    return {
        slot_name(index): leaf.prep_db_value(leaf.rhs, compiler)
        for index, leaf in enumerate(leaves)
    }
