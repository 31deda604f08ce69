"""Filtering on window functions: the query runs as a subquery, filtered outside it.

SQL evaluates window functions after ``WHERE``, so a condition on one (what
Snowflake calls ``QUALIFY``) needs the query wrapped, as Django 4.2+ does::

    SELECT col0, col1, ... FROM (SELECT ..., RANK() OVER (...) AS col5 ...) AS qualify
    WHERE qualify.col5 <= 3 ORDER BY qualify.col2

The inner query keeps the plain (and aggregate) conditions; every expression
the outer condition and the ordering read is selected by the inner query
(a selected annotation is reused), so the outer statement only reads the
subquery's columns. The columns the caller asked for come first, in their
places, so rows turn into instances exactly as without the wrapping.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from fastjango.db.models.lookups import Lookup
from fastjango.db.models.sql.where import WhereNode

if TYPE_CHECKING:
    from fastjango.db.models.expressions import OrderBy
    from fastjango.db.models.sql.compiler import SQLCompiler

__all__ = ["export_columns", "qualify_select"]


def _reads_rows(expr: Any) -> bool:
    # Constants compile the same outside; anything reading the row must come from inside.
    return hasattr(expr, "resolve_expression") and any(
        getattr(expr, attr, False)
        for attr in ("contains_over_clause", "contains_column_references", "contains_aggregate")
    )


def _exposed(node: Any) -> Iterator[Any]:
    """Yield the expressions of a condition tree the outer query needs from the inner one."""
    if isinstance(node, WhereNode):
        for child in node.children:
            yield from _exposed(child)
    elif isinstance(node, Lookup):
        for expr in (node.lhs, node.rhs):
            if _reads_rows(expr):
                yield expr
    elif _reads_rows(node):
        yield node


def qualify_select(
    compiler: SQLCompiler,
    where: WhereNode | None,
    having: WhereNode | None,
    qualify: WhereNode,
    with_limits: bool,
) -> Any:
    """Return the ``Select`` of ``compiler``'s query, its ``qualify`` conditions outside."""
    from fastjango.db.models.sql.compiler import SQLCompiler, _group_key

    inner_query = compiler.query.clone()
    inner_query.where = WhereNode([part for part in (where, having) if part is not None])
    inner_query.clear_limits()
    inner = SQLCompiler(inner_query, compiler.connection, parent=compiler.parent)
    inner.qualify_exports = list(_exposed(qualify))
    subquery = inner.as_select(with_limits=False).subquery("qualify")
    columns = list(subquery.c)
    compiler.klass_info = inner.klass_info
    compiler.column_names = inner.column_names
    compiler.annotation_positions = inner.annotation_positions
    compiler.qualify_columns = {
        _group_key(expr): columns[position]
        for expr, position in zip(inner.qualify_exports, inner.export_positions, strict=True)
    }
    visible = [
        column if name is None else column.label(name)
        for column, name in zip(columns, inner.visible_names, strict=False)
    ] or [sa.literal_column("1")]
    stmt = sa.select(*visible).select_from(subquery)
    condition = compiler._compile_where(qualify)
    if condition is not None:
        stmt = stmt.where(condition)
    # Whether a derived table's order survives is up to the database: order outside.
    order = []
    for position, orderby in inner.exported_order:
        order.extend(compiler.order_clauses(orderby, columns[position]))
    if order:
        stmt = stmt.order_by(*order)
    query = compiler.query
    if with_limits:
        if query.high_mark is not None:
            stmt = stmt.limit(query.high_mark - query.low_mark)
        if query.low_mark:
            stmt = stmt.offset(query.low_mark)
    return stmt


def export_columns(compiler: SQLCompiler, columns: list[Any], order_by: list[OrderBy]) -> list[Any]:
    """Add to the inner query's ``columns`` what the outer one reads; return them."""
    from fastjango.db.models.expressions import Ref
    from fastjango.db.models.sql.compiler import _group_key

    selected = {
        _group_key(annotation): compiler.annotation_positions[alias]
        for alias, annotation in compiler.query.annotation_select.items()
        if alias in compiler.annotation_positions
    }
    columns = list(columns)

    def position_of(expr: Any, element: Any = None) -> int:
        key = _group_key(expr)
        if key in selected:
            return selected[key]
        if element is None:
            element = compiler.sa(expr)
        selected[key] = len(columns)
        columns.append(element.label(f"col{len(columns)}"))
        return selected[key]

    compiler.export_positions = [position_of(expr) for expr in compiler.qualify_exports or ()]
    for orderby in order_by:
        expr = orderby.expression
        if isinstance(expr, Ref) and expr.refs in compiler.annotation_positions:
            position = compiler.annotation_positions[expr.refs]
        else:
            position = position_of(expr, compiler.order_element(orderby))
        compiler.exported_order.append((position, orderby))
    return columns
