"""Compile conditions and expressions for DDL: CHECK constraints, partial and functional indexes."""

from __future__ import annotations

from typing import Any

from fastjango.core.exceptions import FullResultSet

__all__ = ["ddl_condition", "ddl_expression"]


def _compiler(model: Any, table: Any) -> tuple[Any, Any]:
    from fastjango.db.models.sql.compiler import SQLCompiler
    from fastjango.db.models.sql.query import Query

    query = Query(model)
    compiler = SQLCompiler(query, None)
    compiler.ddl = True
    compiler._froms[query.get_initial_alias()] = table
    return query, compiler


def ddl_condition(model: Any, condition: Any, table: Any) -> Any:
    """Return ``condition`` (a Q or boolean expression) on the columns of ``table``."""
    from fastjango.db.models.query_utils import Q

    query, compiler = _compiler(model, table)
    where, _ = query._add_q(condition if isinstance(condition, Q) else Q(condition), set())
    try:
        return compiler.condition(where)
    except FullResultSet:
        return None


def ddl_expression(model: Any, expression: Any, table: Any) -> Any:
    """Return ``expression`` (or a field name) on the columns of ``table``."""
    from fastjango.db.models.expressions import F

    query, compiler = _compiler(model, table)
    if isinstance(expression, str):
        expression = F(expression)
    resolved = expression.resolve_expression(query, allow_joins=False)
    return compiler.sa(resolved)
