"""Evaluate a ``Q`` against plain values in the database (``Q.check()``, constraints)."""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

from fastjango.core.exceptions import EmptyResultSet, FullResultSet

__all__ = ["evaluate_condition"]

logger = logging.getLogger("fastjango.db.models")


def evaluate_condition(condition: Any, against: dict[str, Any], using: str) -> bool:
    """Return whether ``condition`` holds when its names take the values in ``against``.

    A NULL result counts as holding, as in SQL CHECK constraints.
    """
    from fastjango.db import DatabaseError, connections
    from fastjango.db.models.expressions import Value
    from fastjango.db.models.sql.compiler import SQLCompiler
    from fastjango.db.models.sql.query import Query

    query = Query(None)
    query.default_cols = False
    for name, value in against.items():
        if not hasattr(value, "resolve_expression"):
            value = Value(value)
        query.add_annotation(value, name, select=False)
    query.add_q(condition if hasattr(condition, "children") else _as_q(condition))
    connection = connections[using]
    compiler = SQLCompiler(query, connection)
    try:
        where = compiler.condition(query.where)
    except EmptyResultSet:
        return False
    except FullResultSet:
        return True
    statement: Any = sa.select(sa.literal_column("1")).where(sa.func.coalesce(where, sa.true()))
    try:
        return connection.execute(statement).first() is not None
    except DatabaseError as exc:
        logger.warning("Got a database error calling check() on %r: %s", condition, exc)
        return True


def _as_q(condition: Any) -> Any:
    from fastjango.db.models.query_utils import Q

    return Q(condition)
