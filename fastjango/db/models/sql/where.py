"""``WhereNode``: the resolved condition tree of a query (AND/OR/XOR of lookups)."""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from fastjango.core.exceptions import EmptyResultSet, FullResultSet

if TYPE_CHECKING:
    from fastjango.db.models.sql.compiler import SQLCompiler

__all__ = ["AND", "OR", "XOR", "NothingNode", "WhereNode"]

AND = "AND"
OR = "OR"
XOR = "XOR"


class WhereNode:
    """A node of resolved conditions; children are lookups, expressions or nodes.

    Compiling drops children that match everything and raises
    ``EmptyResultSet`` when the node can match nothing (``pk__in=[]``), so the
    query is never sent, as in Django.
    """

    default = AND
    resolved = False
    conditional = True

    def __init__(
        self, children: list[Any] | None = None, connector: str | None = None, negated: bool = False
    ) -> None:
        self.children: list[Any] = children[:] if children else []
        self.connector = connector or self.default
        self.negated = negated

    def __repr__(self) -> str:
        template = "<%s: (NOT (%s: %s))>" if self.negated else "<%s: (%s: %s)>"
        return template % (
            self.__class__.__name__,
            self.connector,
            ", ".join(str(c) for c in self.children),
        )

    def __eq__(self, other: object) -> bool:
        return (
            self.__class__ == other.__class__
            and self.connector == other.connector
            and self.negated == other.negated
            and self.children == other.children
        )

    def __hash__(self) -> int:
        return hash((self.__class__, self.connector, self.negated, repr(self.children)))

    def __len__(self) -> int:
        return len(self.children)

    def __bool__(self) -> bool:
        return bool(self.children)

    def add(self, data: Any, conn_type: str) -> Any:
        """Add ``data`` under ``conn_type``, squashing nodes with the same connector."""
        if self.connector != conn_type:
            obj = self.copy()
            self.connector = conn_type
            self.children = [obj, data]
            return data
        if (
            isinstance(data, WhereNode)
            and not data.negated
            and (data.connector == conn_type or len(data) == 1)
        ):
            self.children.extend(data.children)
            return self
        self.children.append(data)
        return data

    def negate(self) -> None:
        """Negate this node in place."""
        self.negated = not self.negated

    def copy(self) -> WhereNode:
        """Return a shallow copy (the children list copied)."""
        obj = self.__class__.__new__(self.__class__)
        obj.__dict__.update(self.__dict__)
        obj.children = self.children[:]
        return obj

    clone = copy

    def __deepcopy__(self, memo: dict[int, Any]) -> WhereNode:
        obj = self.__class__.__new__(self.__class__)
        obj.__dict__.update(self.__dict__)
        obj.children = copy.deepcopy(self.children, memo)
        return obj

    # -- what the tree contains ---------------------------------------------

    @property
    def contains_aggregate(self) -> bool:
        """Return whether an aggregate is in the tree (then it belongs in HAVING)."""
        return any(getattr(child, "contains_aggregate", False) for child in self.children)

    @property
    def contains_over_clause(self) -> bool:
        """Return whether a window function is in the tree (then it is filtered outside)."""
        return any(getattr(child, "contains_over_clause", False) for child in self.children)

    def get_source_expressions(self) -> list[Any]:
        """Return the children (for tree walks)."""
        return self.children[:]

    def set_source_expressions(self, children: Sequence[Any]) -> None:
        """Replace the children."""
        self.children = list(children)

    def flatten(self) -> Iterator[Any]:
        """Yield this node and everything under it."""
        yield self
        for child in self.children:
            if hasattr(child, "flatten"):
                yield from child.flatten()
            else:
                yield child

    def get_refs(self) -> set[str]:
        """Return the annotation names referred to."""
        refs: set[str] = set()
        for child in self.children:
            if hasattr(child, "get_refs"):
                refs |= child.get_refs()
        return refs

    def get_group_by_cols(self) -> list[Any]:
        """Return the GROUP BY columns the conditions need."""
        cols: list[Any] = []
        for child in self.children:
            cols.extend(child.get_group_by_cols())
        return cols

    @property
    def output_field(self) -> Any:
        """Return a BooleanField: a condition is a boolean value."""
        from fastjango.db.models.fields import BooleanField

        return BooleanField()

    @property
    def _output_field_or_none(self) -> Any:
        return self.output_field

    def split_having(self, negated: bool = False) -> tuple[WhereNode | None, WhereNode | None]:
        """Return ``(where, having)`` (see ``split_having_qualify()``)."""
        where, having, _ = self.split_having_qualify(negated)
        return where, having

    def split_having_qualify(
        self, negated: bool = False, must_group_by: bool = False
    ) -> tuple[WhereNode | None, WhereNode | None, WhereNode | None]:
        """Return ``(where, having, qualify)``.

        Conditions on aggregates go to HAVING and conditions on window functions
        to QUALIFY (filtered outside a wrapping subquery), as in Django. A node
        whose children must stay together (OR, XOR, or a negated AND) goes
        whole to HAVING when it holds aggregates only, and to QUALIFY when it
        holds a window function, unless the query groups and the node also
        holds plain conditions: Django refuses that with NotImplementedError.
        """
        if not self.contains_aggregate and not self.contains_over_clause:
            return self, None, None
        in_negated = negated ^ self.negated
        must_remain_connected = (
            (in_negated and self.connector == AND)
            or (not in_negated and self.connector == OR)
            or self.connector == XOR
        )
        if must_remain_connected and not self.contains_over_clause:
            return None, self, None
        where_parts = []
        having_parts = []
        qualify_parts = []
        for child in self.children:
            if isinstance(child, WhereNode):
                where_part, having_part, qualify_part = child.split_having_qualify(
                    in_negated, must_group_by
                )
                if where_part is not None:
                    where_parts.append(where_part)
                if having_part is not None:
                    having_parts.append(having_part)
                if qualify_part is not None:
                    qualify_parts.append(qualify_part)
            elif getattr(child, "contains_over_clause", False):
                qualify_parts.append(child)
            elif getattr(child, "contains_aggregate", False):
                having_parts.append(child)
            else:
                where_parts.append(child)
        if must_remain_connected and qualify_parts:
            if where_parts and must_group_by:
                # Moving the plain conditions past the GROUP BY would change what
                # is aggregated.
                raise NotImplementedError(
                    "Heterogeneous disjunctive predicates against window functions are not "
                    "implemented when performing conditional aggregation."
                )
            return None, None, self
        return (
            self._part(where_parts),
            self._part(having_parts),
            self._part(qualify_parts),
        )

    def _part(self, children: list[Any]) -> WhereNode | None:
        return self.__class__(children, self.connector, self.negated) if children else None

    def resolve_expression(self, query: Any = None, *args: Any, **kwargs: Any) -> WhereNode:
        """Return a copy with unresolved children resolved against ``query``."""
        clone = self.copy()
        clone.children = [
            child.resolve_expression(query, *args, **kwargs)
            if hasattr(child, "resolve_expression")
            else child
            for child in clone.children
        ]
        clone.resolved = True
        return clone

    # -- compiling ------------------------------------------------------------

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        """Return the SQLAlchemy condition; raise EmptyResultSet or FullResultSet."""
        if self.connector == AND:
            full_needed, empty_needed = len(self.children), 1
        else:
            full_needed, empty_needed = 1, len(self.children)
        if self.connector == XOR:
            return self._xor(compiler)
        parts = []
        for child in self.children:
            try:
                part = compiler.condition(child)
            except EmptyResultSet:
                empty_needed -= 1
            except FullResultSet:
                full_needed -= 1
            else:
                parts.append(part)
            if empty_needed == 0:
                if self.negated:
                    raise FullResultSet
                raise EmptyResultSet
            if full_needed == 0:
                if self.negated:
                    raise EmptyResultSet
                raise FullResultSet
        if not parts:
            if self.negated:
                raise EmptyResultSet
            raise FullResultSet
        combined = (
            parts[0]
            if len(parts) == 1
            else (sa.and_(*parts) if self.connector == AND else sa.or_(*parts))
        )
        return sa.not_(combined) if self.negated else combined

    def _xor(self, compiler: SQLCompiler) -> Any:
        # Odd parity of true children, written portably: SUM(CASE ...) % 2 = 1.
        terms = []
        for child in self.children:
            try:
                condition = compiler.condition(child)
            except EmptyResultSet:
                continue
            except FullResultSet:
                condition = sa.true()
            terms.append(sa.case((condition, 1), else_=0))
        if not terms:
            if self.negated:
                raise FullResultSet
            raise EmptyResultSet
        total: Any = terms[0]
        for term in terms[1:]:
            total = total + term
        result = (
            total.op("%")(2) == 1
            if compiler.vendor != "postgresql"
            else (sa.func.mod(total, 2) == 1)
        )
        return sa.not_(result) if self.negated else result


class NothingNode:
    """A condition that matches nothing (``QuerySet.none()``)."""

    contains_aggregate = False
    contains_over_clause = False
    conditional = True

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        raise EmptyResultSet

    def resolve_expression(self, *args: Any, **kwargs: Any) -> NothingNode:
        return self

    def get_group_by_cols(self) -> list[Any]:
        return []

    def flatten(self) -> Iterator[Any]:
        yield self
