"""Query expressions: ``F``, ``Value``, ``Func``, ``Case``/``When``, ``Subquery``, ``Exists``, ...

An expression describes a value computed by the database. ``resolve_expression()``
binds it to a query (``F("author__name")`` becomes a column of a joined
table) and ``as_sqlalchemy(compiler)`` turns the resolved copy into a
SQLAlchemy element. A class written for Django that defines
``as_sql(compiler, connection)`` (or ``as_<vendor>``) works too: the compiler
splices its SQL into the statement.
"""

from __future__ import annotations

import copy
import datetime
import inspect
import uuid
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

import sqlalchemy as sa

from fastjango.core.exceptions import EmptyResultSet, FieldError, FullResultSet
from fastjango.db.models import fields
from fastjango.db.models.query_utils import Q
from fastjango.utils.functional import cached_property

if TYPE_CHECKING:
    from fastjango.db.models.sql.compiler import SQLCompiler
    from fastjango.db.models.sql.query import Query

__all__ = [
    "BaseExpression",
    "Case",
    "Col",
    "Combinable",
    "CombinedExpression",
    "DatabaseDefault",
    "DurationExpression",
    "Exists",
    "Expression",
    "ExpressionList",
    "ExpressionWrapper",
    "F",
    "Func",
    "NegatedExpression",
    "OrderBy",
    "OrderByList",
    "OuterCol",
    "OuterRef",
    "RawSQL",
    "Ref",
    "ResolvedOuterRef",
    "RowRange",
    "Star",
    "Subquery",
    "TemporalSubtraction",
    "Value",
    "ValueRange",
    "When",
    "Window",
    "WindowFrame",
    "native_as_sql",
]


def native_as_sql(func: Callable[..., Any]) -> Callable[..., Any]:
    """Mark an ``as_sql`` of ours: the compiler then calls ``as_sqlalchemy`` instead."""
    func._fastjango_native = True  # type: ignore[attr-defined]
    return func


class Combinable:
    """Arithmetic and bitwise operators that combine expressions into new ones."""

    ADD = "+"
    SUB = "-"
    MUL = "*"
    DIV = "/"
    POW = "^"
    MOD = "%%"
    BITAND = "&"
    BITOR = "|"
    BITLEFTSHIFT = "<<"
    BITRIGHTSHIFT = ">>"
    BITXOR = "#"

    def _combine(self, other: Any, connector: str, reversed: bool) -> CombinedExpression:
        if not hasattr(other, "resolve_expression"):
            other = Value(other)
        if reversed:
            return CombinedExpression(other, connector, self)
        return CombinedExpression(self, connector, other)

    def __neg__(self) -> CombinedExpression:
        return self._combine(-1, self.MUL, False)

    def __add__(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.ADD, False)

    def __sub__(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.SUB, False)

    def __mul__(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.MUL, False)

    def __truediv__(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.DIV, False)

    def __mod__(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.MOD, False)

    def __pow__(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.POW, False)

    def __and__(self, other: Any) -> Any:
        if getattr(self, "conditional", False) and getattr(other, "conditional", False):
            return Q(self) & Q(other)
        raise NotImplementedError(
            "Use .bitand(), .bitor(), and .bitxor() for bitwise logical operations."
        )

    def bitand(self, other: Any) -> CombinedExpression:
        """Return ``self & other`` computed by the database."""
        return self._combine(other, self.BITAND, False)

    def bitleftshift(self, other: Any) -> CombinedExpression:
        """Return ``self << other`` computed by the database."""
        return self._combine(other, self.BITLEFTSHIFT, False)

    def bitrightshift(self, other: Any) -> CombinedExpression:
        """Return ``self >> other`` computed by the database."""
        return self._combine(other, self.BITRIGHTSHIFT, False)

    def __xor__(self, other: Any) -> Any:
        if getattr(self, "conditional", False) and getattr(other, "conditional", False):
            return Q(self) ^ Q(other)
        raise NotImplementedError(
            "Use .bitand(), .bitor(), and .bitxor() for bitwise logical operations."
        )

    def bitxor(self, other: Any) -> CombinedExpression:
        """Return ``self XOR other`` computed by the database."""
        return self._combine(other, self.BITXOR, False)

    def __or__(self, other: Any) -> Any:
        if getattr(self, "conditional", False) and getattr(other, "conditional", False):
            return Q(self) | Q(other)
        raise NotImplementedError(
            "Use .bitand(), .bitor(), and .bitxor() for bitwise logical operations."
        )

    def bitor(self, other: Any) -> CombinedExpression:
        """Return ``self | other`` computed by the database."""
        return self._combine(other, self.BITOR, False)

    def __radd__(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.ADD, True)

    def __rsub__(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.SUB, True)

    def __rmul__(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.MUL, True)

    def __rtruediv__(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.DIV, True)

    def __rmod__(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.MOD, True)

    def __rpow__(self, other: Any) -> CombinedExpression:
        return self._combine(other, self.POW, True)

    def __rand__(self, other: Any) -> Any:
        raise NotImplementedError(
            "Use .bitand(), .bitor(), and .bitxor() for bitwise logical operations."
        )

    def __ror__(self, other: Any) -> Any:
        raise NotImplementedError(
            "Use .bitand(), .bitor(), and .bitxor() for bitwise logical operations."
        )

    def __rxor__(self, other: Any) -> Any:
        raise NotImplementedError(
            "Use .bitand(), .bitor(), and .bitxor() for bitwise logical operations."
        )

    def __invert__(self) -> NegatedExpression:
        return NegatedExpression(self)


class BaseExpression:
    """Base class of everything a query can compute."""

    empty_result_set_value: Any = NotImplemented
    is_summary = False
    filterable = True
    window_compatible = False
    allowed_default = False
    constraint_validation_compatible = True
    _constructor_args: tuple[tuple[Any, ...], dict[str, Any]]

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        obj = super().__new__(cls)
        obj._constructor_args = (args, kwargs)
        return obj

    def __init__(self, output_field: Any = None) -> None:
        if output_field is not None:
            self.output_field = output_field

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("convert_value", None)
        return state

    # -- tree ---------------------------------------------------------------

    def get_source_expressions(self) -> list[Any]:
        """Return the sub-expressions (resolved with this one)."""
        return []

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        """Replace the sub-expressions (same order as ``get_source_expressions``)."""
        assert not exprs

    def _parse_expressions(self, *expressions: Any) -> list[Any]:
        return [
            arg
            if hasattr(arg, "resolve_expression")
            else (F(arg) if isinstance(arg, str) else Value(arg))
            for arg in expressions
        ]

    @cached_property
    def contains_aggregate(self) -> bool:
        """Return whether an aggregate is somewhere in this expression."""
        return any(
            expr and getattr(expr, "contains_aggregate", False)
            for expr in self.get_source_expressions()
        )

    @cached_property
    def contains_over_clause(self) -> bool:
        """Return whether a window function is somewhere in this expression."""
        return any(
            expr and getattr(expr, "contains_over_clause", False)
            for expr in self.get_source_expressions()
        )

    @cached_property
    def contains_column_references(self) -> bool:
        """Return whether this expression reads a column."""
        return any(
            expr and getattr(expr, "contains_column_references", False)
            for expr in self.get_source_expressions()
        )

    def resolve_expression(
        self,
        query: Query | None = None,
        allow_joins: bool = True,
        reuse: set[str] | None = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> Any:
        """Return a copy bound to ``query`` (field names become columns)."""
        c = self.copy()
        c.is_summary = summarize
        c.set_source_expressions(
            [
                expr.resolve_expression(query, allow_joins, reuse, summarize)
                if expr is not None
                else None
                for expr in c.get_source_expressions()
            ]
        )
        return c

    def copy(self) -> Any:
        """Return a shallow copy."""
        return copy.copy(self)

    def replace_expressions(self, replacements: dict[Any, Any]) -> Any:
        """Return a copy with sub-expressions swapped per ``replacements``."""
        if replacement := replacements.get(self):
            return replacement
        clone = self.copy()
        clone.set_source_expressions(
            [
                expr.replace_expressions(replacements)
                if expr is not None and hasattr(expr, "replace_expressions")
                else expr
                for expr in self.get_source_expressions()
            ]
        )
        return clone

    def flatten(self) -> Iterator[Any]:
        """Yield this expression and every sub-expression, recursively."""
        yield self
        for expr in self.get_source_expressions():
            if expr is not None:
                if hasattr(expr, "flatten"):
                    yield from expr.flatten()
                else:
                    yield expr

    def get_refs(self) -> set[str]:
        """Return the annotation names this expression refers to."""
        refs: set[str] = set()
        for expr in self.get_source_expressions():
            if expr is not None and hasattr(expr, "get_refs"):
                refs |= expr.get_refs()
        return refs

    # -- output field -------------------------------------------------------

    @property
    def conditional(self) -> bool:
        """Return whether this expression is a condition (usable in ``filter()``)."""
        return isinstance(self._output_field_or_none, fields.BooleanField)

    @property
    def field(self) -> Any:
        """Return the output field."""
        return self.output_field

    @cached_property
    def output_field(self) -> Any:
        """Return the field that describes the computed value."""
        output_field = self._resolve_output_field()
        if output_field is None:
            self._output_field_resolved_to_none = True
            raise FieldError("Cannot resolve expression type, unknown output_field")
        return output_field

    @cached_property
    def _output_field_or_none(self) -> Any:
        try:
            return self.output_field
        except FieldError:
            if not getattr(self, "_output_field_resolved_to_none", False):
                raise
        return None

    def _resolve_output_field(self) -> Any:
        sources = [source for source in self.get_source_fields() if source is not None]
        for output_field in sources:
            for source in sources:
                if not isinstance(output_field, source.__class__):
                    raise FieldError(
                        f"Expression contains mixed types: {type(output_field).__name__}, "
                        f"{type(source).__name__}. You must set output_field."
                    )
            return output_field
        return None

    def get_source_fields(self) -> list[Any]:
        """Return the output fields of the sub-expressions."""
        return [getattr(e, "_output_field_or_none", None) for e in self.get_source_expressions()]

    def get_lookup(self, lookup: str) -> Any:
        """Return the lookup class ``lookup`` of the output field."""
        return self.output_field.get_lookup(lookup)

    def get_transform(self, name: str) -> Any:
        """Return the transform class ``name`` of the output field."""
        return self.output_field.get_transform(name)

    def sa_type(self) -> Any:
        """Return the SQLAlchemy type of the value, for result processing."""
        field = self._output_field_or_none
        return field.expression_sa_type() if field is not None else sa.types.NULLTYPE

    # -- grouping and ordering ---------------------------------------------

    def get_group_by_cols(self) -> list[Any]:
        """Return what GROUP BY needs for this expression."""
        if not self.contains_aggregate:
            return [self]
        cols: list[Any] = []
        for source in self.get_source_expressions():
            if source is not None:
                cols.extend(source.get_group_by_cols())
        return cols

    def asc(self, **kwargs: Any) -> OrderBy:
        """Return an ascending ordering by this expression."""
        return OrderBy(self, **kwargs)

    def desc(self, **kwargs: Any) -> OrderBy:
        """Return a descending ordering by this expression."""
        return OrderBy(self, descending=True, **kwargs)

    def reverse_ordering(self) -> Any:
        """Return the opposite ordering (an expression orders ascending)."""
        return self

    # -- compiling -----------------------------------------------------------

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        """Return the SQLAlchemy element for this (resolved) expression."""
        raise NotImplementedError(
            f"{type(self).__name__} must define as_sqlalchemy(compiler) or Django's "
            "as_sql(compiler, connection)."
        )

    @native_as_sql
    def as_sql(self, compiler: SQLCompiler, connection: Any) -> tuple[str, list[Any]]:
        """Return Django's ``(sql, params)``; ours is a marker for the compiled element."""
        return compiler.marker(self.as_sqlalchemy(compiler))

    # -- identity ----------------------------------------------------------

    @cached_property
    def identity(self) -> tuple[Any, ...]:
        """Return a hashable value equal for expressions built alike."""
        args, kwargs = self._constructor_args
        try:
            signature = inspect.signature(self.__init__)  # type: ignore[misc]
            bound = signature.bind_partial(*args, **kwargs)
            bound.apply_defaults()
            items = list(bound.arguments.items())
        except (TypeError, ValueError):
            items = [("args", args), *sorted(kwargs.items())]
        identity: list[Any] = [type(self)]
        for name, value in items:
            if isinstance(value, fields.Field):
                if value.name and value.model:
                    value = (value.model._meta.label, value.name)
                else:
                    value = type(value)
            identity.append((name, _hashable(value)))
        return tuple(identity)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BaseExpression):
            return NotImplemented
        return other.identity == self.identity

    def __hash__(self) -> int:
        return hash(self.identity)


def _hashable(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_hashable(v) for v in value)
    try:
        hash(value)
    except TypeError:
        return id(value)
    return value


class Expression(BaseExpression, Combinable):
    """An expression that can be combined with others by operators."""


# -- combining ---------------------------------------------------------------

_NUMERIC = ("IntegerField", "FloatField", "DecimalField")


def _family(field: Any) -> str:
    kind = field.get_internal_type()
    if kind in (
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "PositiveBigIntegerField",
        "IntegerField",
    ):
        return "IntegerField"
    return str(kind)


def _combined_output_field(lhs: Any, connector: str, rhs: Any) -> Any:
    if lhs is None:
        return rhs
    if rhs is None:
        return lhs
    left, right = _family(lhs), _family(rhs)
    arithmetic = connector in ("+", "-", "*", "/", "%%", "^")
    if left in _NUMERIC and right in _NUMERIC and arithmetic:
        if left == right:
            return lhs
        if "DecimalField" in (left, right) and "FloatField" not in (left, right):
            return lhs if left == "DecimalField" else rhs
        if "FloatField" in (left, right) and "DecimalField" not in (left, right):
            return lhs if left == "FloatField" else rhs
    if left == right == "IntegerField":
        return lhs
    temporal = ("DateField", "DateTimeField", "TimeField")
    if connector in ("+", "-"):
        if left in temporal and right == "DurationField":
            return lhs
        if connector == "+" and left == "DurationField" and right in temporal:
            return rhs
        if left == right == "DurationField":
            return lhs
        if connector == "-" and left == right and left in temporal:
            return fields.DurationField()
    if left == right and left not in ("CharField", "TextField"):
        return lhs
    raise FieldError(
        f"Cannot infer type of '{connector}' expression involving these types: "
        f"{type(lhs).__name__}, {type(rhs).__name__}. You must set output_field."
    )


class CombinedExpression(Expression):
    """``lhs <connector> rhs``, from an operator on expressions."""

    def __init__(self, lhs: Any, connector: str, rhs: Any, output_field: Any = None) -> None:
        super().__init__(output_field=output_field)
        self.connector = connector
        self.lhs = lhs
        self.rhs = rhs

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self}>"

    def __str__(self) -> str:
        return f"{self.lhs} {self.connector} {self.rhs}"

    def get_source_expressions(self) -> list[Any]:
        return [self.lhs, self.rhs]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.lhs, self.rhs = exprs

    def _resolve_output_field(self) -> Any:
        return _combined_output_field(
            getattr(self.lhs, "_output_field_or_none", None),
            self.connector,
            getattr(self.rhs, "_output_field_or_none", None),
        )

    def resolve_expression(
        self,
        query: Query | None = None,
        allow_joins: bool = True,
        reuse: set[str] | None = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> Any:
        lhs = self.lhs.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        rhs = self.rhs.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        if not isinstance(self, DurationExpression | TemporalSubtraction):
            lhs_type = _internal_type(lhs)
            rhs_type = _internal_type(rhs)
            if "DurationField" in (lhs_type, rhs_type) and lhs_type != rhs_type:
                return DurationExpression(
                    self.lhs,
                    self.connector,
                    self.rhs,
                    output_field=self.__dict__.get("output_field"),
                ).resolve_expression(query, allow_joins, reuse, summarize, for_save)
            datetime_fields = {"DateField", "DateTimeField", "TimeField"}
            if self.connector == self.SUB and lhs_type in datetime_fields and lhs_type == rhs_type:
                return TemporalSubtraction(self.lhs, self.rhs).resolve_expression(
                    query, allow_joins, reuse, summarize, for_save
                )
        c = self.copy()
        c.is_summary = summarize
        c.lhs = lhs
        c.rhs = rhs
        return c

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        from fastjango.db.models.sql import vendor

        lhs = compiler.sa(self.lhs)
        rhs = compiler.sa(self.rhs)
        return vendor.combine(compiler, self.connector, lhs, rhs, self.sa_type())


def _internal_type(expr: Any) -> str | None:
    field = getattr(expr, "_output_field_or_none", None)
    try:
        return field.get_internal_type() if field is not None else None
    except AttributeError:
        return None


class DurationExpression(CombinedExpression):
    """A date, datetime or time plus or minus a duration."""

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        from fastjango.db.models.sql import vendor

        return vendor.duration_arithmetic(compiler, self)


class TemporalSubtraction(CombinedExpression):
    """The duration between two dates, datetimes or times."""

    def __init__(self, lhs: Any, rhs: Any) -> None:
        super().__init__(lhs, self.SUB, rhs)

    @cached_property
    def output_field(self) -> Any:
        return fields.DurationField()

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        from fastjango.db.models.sql import vendor

        return vendor.temporal_subtraction(compiler, self)


# -- references --------------------------------------------------------------


class F(Combinable):
    """A reference to a field (``"author__name"``) or an annotation, resolved by the query."""

    allowed_default = False
    contains_aggregate = False
    contains_over_clause = False
    filterable = True

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name})"

    def __getitem__(self, subscript: Any) -> Any:
        from fastjango.db.models.functions.text import Substr

        if isinstance(subscript, int):
            return Substr(self, subscript + 1, 1)
        if isinstance(subscript, slice) and subscript.step is None:
            start = subscript.start or 0
            if start < 0 or (subscript.stop is not None and subscript.stop < 0):
                raise ValueError("Negative indexing is not supported.")
            length = None if subscript.stop is None else subscript.stop - start
            return Substr(self, start + 1, length)
        raise TypeError("Argument to slice must be an int or a slice without a step.")

    def resolve_expression(
        self,
        query: Query | None = None,
        allow_joins: bool = True,
        reuse: set[str] | None = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> Any:
        if query is None:
            raise FieldError(f"F({self.name!r}) needs a query to be resolved against.")
        return query.resolve_ref(self.name, allow_joins, reuse, summarize)

    def replace_expressions(self, replacements: dict[Any, Any]) -> Any:
        return replacements.get(self, self)

    def asc(self, **kwargs: Any) -> OrderBy:
        """Return an ascending ordering by this field."""
        return OrderBy(self, **kwargs)

    def desc(self, **kwargs: Any) -> OrderBy:
        """Return a descending ordering by this field."""
        return OrderBy(self, descending=True, **kwargs)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, F) and self.__class__ == other.__class__ and self.name == other.name
        )

    def __hash__(self) -> int:
        return hash((self.__class__, self.name))

    def copy(self) -> Any:
        """Return a shallow copy."""
        return copy.copy(self)

    def get_refs(self) -> set[str]:
        """Return the name this refers to."""
        return {self.name}

    def flatten(self) -> Iterator[Any]:
        """Yield this reference."""
        yield self


class ResolvedOuterRef(F):
    """An ``OuterRef`` inside a subquery, waiting for the outer query to resolve it."""

    contains_aggregate = False
    contains_over_clause = False

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        raise ValueError(
            "This queryset contains a reference to an outer query and may only be used in a "
            "subquery."
        )

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        """Refuse: the reference only means something inside a subquery."""
        return self.as_sqlalchemy(compiler)

    def resolve_expression(self, *args: Any, **kwargs: Any) -> Any:
        return self

    def get_group_by_cols(self) -> list[Any]:
        return []


class OuterRef(F):
    """A reference to a field of the query that encloses this subquery."""

    contains_aggregate = False
    contains_over_clause = False

    def resolve_expression(self, *args: Any, **kwargs: Any) -> Any:
        if isinstance(self.name, self.__class__):
            return self.name
        return ResolvedOuterRef(self.name)


class OuterCol(BaseExpression):
    """A column of an enclosing query, ``depth`` levels up, read by a subquery."""

    contains_aggregate = False
    contains_over_clause = False
    contains_column_references = True
    possibly_multivalued = False

    def __init__(self, col: Any, depth: int) -> None:
        super().__init__()
        self.col = col
        self.depth = depth

    @cached_property
    def output_field(self) -> Any:
        return self.col.output_field

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        outer = compiler
        for _ in range(self.depth):
            if outer.parent is None:
                raise ValueError(
                    "This queryset contains a reference to an outer query and may only be used "
                    "in a subquery."
                )
            outer = outer.parent
        return outer.sa(self.col)

    def get_group_by_cols(self) -> list[Any]:
        return []

    def resolve_expression(self, *args: Any, **kwargs: Any) -> Any:
        return self

    @cached_property
    def identity(self) -> tuple[Any, ...]:
        return (type(self), self.col.identity, self.depth)


class Col(Expression):
    """A column of a table alias in the query (a resolved field reference)."""

    contains_column_references = True
    possibly_multivalued = False

    def __init__(self, alias: str, target: Any, output_field: Any = None) -> None:
        if output_field is None:
            output_field = target
        super().__init__(output_field=output_field)
        self.alias = alias
        self.target = target

    def __repr__(self) -> str:
        label = self.target.model._meta.label
        return f"{type(self).__name__}({self.alias}, {label}.{self.target.name})"

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        return compiler.column(self.alias, self.target)

    def resolve_expression(self, *args: Any, **kwargs: Any) -> Any:
        return self

    def get_group_by_cols(self) -> list[Any]:
        return [self]

    @cached_property
    def identity(self) -> tuple[Any, ...]:
        return (type(self), self.alias, self.target.model._meta.label, self.target.attname)


class Ref(Expression):
    """A reference to an annotation of the query (selected under ``refs``)."""

    def __init__(self, refs: str, source: Any) -> None:
        super().__init__()
        self.refs = refs
        self.source = source

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.refs}, {self.source})"

    def get_source_expressions(self) -> list[Any]:
        return [self.source]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.source,) = exprs

    def resolve_expression(self, *args: Any, **kwargs: Any) -> Any:
        return self

    def get_refs(self) -> set[str]:
        return {self.refs}

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        return compiler.sa(self.source)

    def get_group_by_cols(self) -> list[Any]:
        return [self]

    @cached_property
    def output_field(self) -> Any:
        return self.source.output_field


class Star(Expression):
    """``*``, as in ``COUNT(*)``."""

    def __repr__(self) -> str:
        return "'*'"

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        return sa.literal_column("*")


# -- functions and values ------------------------------------------------------


class Func(Expression):
    """An SQL function call: ``function(expressions...)``, or a custom ``template``."""

    function: str | None = None
    #: another function name on some databases: ``{"mysql": "CHAR_LENGTH"}``
    vendor_functions: ClassVar[dict[str, str]] = {}
    template = "%(function)s(%(expressions)s)"
    arg_joiner = ", "
    arity: int | None = None

    def __init__(self, *expressions: Any, output_field: Any = None, **extra: Any) -> None:
        if self.arity is not None and len(expressions) != self.arity:
            raise TypeError(
                f"'{self.__class__.__name__}' takes exactly {self.arity} argument"
                f"{'' if self.arity == 1 else 's'} ({len(expressions)} given)"
            )
        super().__init__(output_field=output_field)
        self.source_expressions = self._parse_expressions(*expressions)
        self.extra = extra

    def __repr__(self) -> str:
        args = self.arg_joiner.join(str(arg) for arg in self.source_expressions)
        extra = {**self.extra, **self._get_repr_options()}
        if extra:
            extra_text = ", ".join(f"{key}={value!r}" for key, value in sorted(extra.items()))
            return f"{self.__class__.__name__}({args}, {extra_text})"
        return f"{self.__class__.__name__}({args})"

    def _get_repr_options(self) -> dict[str, Any]:
        return {}

    def get_source_expressions(self) -> list[Any]:
        return self.source_expressions

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.source_expressions = list(exprs)

    def copy(self) -> Any:
        copy_ = super().copy()
        copy_.source_expressions = self.source_expressions[:]
        copy_.extra = self.extra.copy()
        return copy_

    def _uses_template(self) -> bool:
        return (
            type(self).template != Func.template
            or type(self).arg_joiner != Func.arg_joiner
            or "template" in self.extra
            or "arg_joiner" in self.extra
        )

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        if self._uses_template() or self.function is None:
            sql, params = self.as_sql(compiler, compiler.connection)
            return compiler.from_django_sql(sql, params, self)
        args = [compiler.sa(arg) for arg in self.source_expressions]
        function = self.extra.get("function") or self.vendor_functions.get(
            compiler.vendor, self.function
        )
        return getattr(sa.func, function.lower())(*args, type_=self.sa_type())

    @native_as_sql
    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, list[Any]]:
        """Return Django's ``(sql, params)`` built from ``template`` (what subclasses call)."""
        sql_parts: list[str] = []
        params: list[Any] = []
        for arg in self.source_expressions:
            try:
                arg_sql, arg_params = compiler.compile(arg)
            except EmptyResultSet:
                empty = getattr(arg, "empty_result_set_value", NotImplemented)
                if empty is NotImplemented:
                    raise
                arg_sql, arg_params = compiler.compile(Value(empty))
            except FullResultSet:
                arg_sql, arg_params = compiler.compile(Value(True))
            sql_parts.append(arg_sql)
            params.extend(arg_params)
        data = {**self.extra, **extra_context}
        if function is not None:
            data["function"] = function
        else:
            data.setdefault("function", self.function)
        template = template or data.get("template", self.template)
        arg_joiner = arg_joiner or data.get("arg_joiner", self.arg_joiner)
        data["expressions"] = data["field"] = arg_joiner.join(sql_parts)
        return template % data, params


class Value(Expression):
    """A literal value, bound as a parameter."""

    for_save = False

    def __init__(self, value: Any, output_field: Any = None) -> None:
        super().__init__(output_field=output_field)
        self.value = value

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.value!r})"

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        field = self._output_field_or_none
        value = self.value
        if value is None:
            if field is not None and field.get_internal_type() == "JSONField":
                # Value(None, JSONField()) is JSON null, as in Django.
                return sa.literal(sa.JSON.NULL, type_=field.sa_type_instance)
            return sa.null()
        if field is not None:
            value = field.get_db_prep_value(value, compiler.connection, prepared=False)
            return sa.literal(value, type_=field.sa_type_instance)
        return sa.literal(value)

    def resolve_expression(
        self,
        query: Query | None = None,
        allow_joins: bool = True,
        reuse: set[str] | None = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> Any:
        c = super().resolve_expression(query, allow_joins, reuse, summarize, for_save)
        c.for_save = for_save
        return c

    def get_group_by_cols(self) -> list[Any]:
        return []

    def _resolve_output_field(self) -> Any:
        value = self.value
        if isinstance(value, str):
            return fields.CharField()
        if isinstance(value, bool):
            return fields.BooleanField()
        if isinstance(value, int):
            return fields.IntegerField()
        if isinstance(value, float):
            return fields.FloatField()
        if isinstance(value, datetime.datetime):
            return fields.DateTimeField()
        if isinstance(value, datetime.date):
            return fields.DateField()
        if isinstance(value, datetime.time):
            return fields.TimeField()
        if isinstance(value, datetime.timedelta):
            return fields.DurationField()
        if isinstance(value, Decimal):
            return fields.DecimalField()
        if isinstance(value, bytes):
            return fields.BinaryField()
        if isinstance(value, uuid.UUID):
            return fields.UUIDField()
        return None

    @property
    def empty_result_set_value(self) -> Any:
        return self.value

    @cached_property
    def identity(self) -> tuple[Any, ...]:
        field = self.__dict__.get("output_field")
        return (type(self), _hashable(self.value), type(field) if field is not None else None)


class DatabaseDefault(Expression):
    """The column's ``db_default``: the INSERT leaves the column out."""

    def __init__(self, expression: Any, output_field: Any = None) -> None:
        super().__init__(output_field)
        self.expression = expression

    def get_source_expressions(self) -> list[Any]:
        return [self.expression]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.expression,) = exprs

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        return compiler.sa(self.expression)


class RawSQL(Expression):
    """Raw SQL with Django's ``%s`` placeholders, as a select column or condition."""

    def __init__(self, sql: str, params: Sequence[Any], output_field: Any = None) -> None:
        if output_field is None:
            output_field = fields.Field()
        super().__init__(output_field=output_field)
        self.sql = sql
        self.params = params

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.sql}, {self.params})"

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        return compiler.from_django_sql(f"({self.sql})", self.params, self)

    def get_group_by_cols(self) -> list[Any]:
        return [self]


class ExpressionList(Func):
    """Expressions separated by commas (in GROUP BY, PARTITION BY, ...)."""

    template = "%(expressions)s"

    def __str__(self) -> str:
        return self.arg_joiner.join(str(arg) for arg in self.source_expressions)

    def _resolve_output_field(self) -> Any:
        return fields.Field()

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        if not self.source_expressions:
            return sa.text("")
        return sa.tuple_(*(compiler.sa(e) for e in self.source_expressions))


class OrderByList(ExpressionList):
    """The ORDER BY of a window."""

    def __init__(self, *expressions: Any, **extra: Any) -> None:
        parsed = tuple(
            OrderBy(F(expr[1:]), descending=True)
            if isinstance(expr, str) and expr.startswith("-")
            else expr
            for expr in expressions
        )
        super().__init__(*parsed, **extra)


class ExpressionWrapper(Expression):
    """An expression with its output field set (or a ``Q`` used as a boolean value)."""

    def __init__(self, expression: Any, output_field: Any) -> None:
        super().__init__(output_field=output_field)
        self.expression = expression

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.expression})"

    def get_source_expressions(self) -> list[Any]:
        return [self.expression]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.expression,) = exprs

    def get_group_by_cols(self) -> list[Any]:
        if isinstance(self.expression, Expression) and self.expression.contains_aggregate:
            expression = self.expression.copy()
            expression.output_field = self.output_field
            cols: list[Any] = expression.get_group_by_cols()
            return cols
        # Grouped as the selected expression itself, so GROUP BY can name its position.
        return super().get_group_by_cols()

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        element = compiler.sa(self.expression)
        return sa.type_coerce(element, self.sa_type())


class NegatedExpression(ExpressionWrapper):
    """``NOT`` of a boolean expression (``~Exists(...)``)."""

    def __init__(self, expression: Any) -> None:
        super().__init__(expression, output_field=fields.BooleanField())

    def __invert__(self) -> Any:
        return self.expression.copy()

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        try:
            element = compiler.sa(self.expression)
        except EmptyResultSet:
            raise FullResultSet from None
        return sa.not_(element)


class When(Expression):
    """One branch of ``Case``: a condition and the value it gives."""

    conditional = False

    def __init__(self, condition: Any = None, then: Any = None, **lookups: Any) -> None:
        if lookups:
            if condition is None:
                condition, lookups = Q(**lookups), {}
            elif getattr(condition, "conditional", False):
                condition, lookups = Q(condition, **lookups), {}
        if condition is None or not getattr(condition, "conditional", False) or lookups:
            raise TypeError(
                "When() supports a Q object, a boolean expression, or lookups as a condition."
            )
        if isinstance(condition, Q) and not condition:
            raise ValueError("An empty Q() can't be used as a When() condition.")
        super().__init__(output_field=None)
        self.condition = condition
        self.result = self._parse_expressions(then)[0]

    def __str__(self) -> str:
        return f"WHEN {self.condition!r} THEN {self.result!r}"

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__}: {self}>"

    def get_source_expressions(self) -> list[Any]:
        return [self.condition, self.result]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.condition, self.result = exprs

    def get_source_fields(self) -> list[Any]:
        return [self.result._output_field_or_none]

    def resolve_expression(
        self,
        query: Query | None = None,
        allow_joins: bool = True,
        reuse: set[str] | None = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> Any:
        c = self.copy()
        c.is_summary = summarize
        if hasattr(c.condition, "resolve_expression"):
            c.condition = c.condition.resolve_expression(
                query, allow_joins, reuse, summarize, False
            )
        c.result = c.result.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return c

    def get_group_by_cols(self) -> list[Any]:
        cols: list[Any] = []
        for source in self.get_source_expressions():
            cols.extend(source.get_group_by_cols())
        return cols


class Case(Expression):
    """``CASE WHEN ... THEN ... ELSE default END``."""

    def __init__(self, *cases: Any, default: Any = None, output_field: Any = None, **extra: Any):
        if not all(isinstance(case, When) for case in cases):
            raise TypeError("Positional arguments must all be When objects.")
        super().__init__(output_field)
        self.cases = list(cases)
        self.default = self._parse_expressions(default)[0]
        self.extra = extra

    def __str__(self) -> str:
        return f"CASE {', '.join(str(c) for c in self.cases)}, ELSE {self.default!r}"

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__}: {self}>"

    def get_source_expressions(self) -> list[Any]:
        return [*self.cases, self.default]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        *self.cases, self.default = exprs

    def copy(self) -> Any:
        c = super().copy()
        c.cases = c.cases[:]
        return c

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        whens = []
        default = self.default
        for case in self.cases:
            try:
                condition = compiler.condition(case.condition)
            except EmptyResultSet:
                continue
            except FullResultSet:
                default = case.result
                break
            whens.append((condition, compiler.sa(case.result)))
        default_sa = compiler.sa(default)
        if not whens:
            return sa.type_coerce(default_sa, self.sa_type())
        return sa.type_coerce(sa.case(*whens, else_=default_sa), self.sa_type())

    def get_group_by_cols(self) -> list[Any]:
        if not self.cases:
            return self.default.get_group_by_cols()  # type: ignore[no-any-return]
        return super().get_group_by_cols()


class Subquery(BaseExpression, Combinable):
    """A queryset used as a value (it must select one column and at most one row)."""

    contains_aggregate = False
    empty_result_set_value: Any = None
    subquery = True

    def __init__(self, queryset: Any, output_field: Any = None, **extra: Any) -> None:
        self.query = getattr(queryset, "query", queryset).clone()
        self.query.subquery = True
        self.extra = extra
        super().__init__(output_field)

    def get_source_expressions(self) -> list[Any]:
        return [self.query]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.query,) = exprs

    def _resolve_output_field(self) -> Any:
        return self.query.output_field

    def copy(self) -> Any:
        clone = super().copy()
        clone.query = clone.query.clone()
        return clone

    def get_external_cols(self) -> list[Any]:
        """Return the outer columns this subquery reads."""
        return self.query.get_external_cols()  # type: ignore[no-any-return]

    def resolve_expression(
        self,
        query: Query | None = None,
        allow_joins: bool = True,
        reuse: set[str] | None = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> Any:
        c = self.copy()
        c.is_summary = summarize
        if query is not None:
            c.query = c.query.resolve_outer_refs(query, depth=1)
        return c

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        select = compiler.subquery(self.query)
        return sa.type_coerce(select.scalar_subquery(), self.sa_type())

    def get_group_by_cols(self) -> list[Any]:
        external = self.get_external_cols()
        if any(getattr(col, "possibly_multivalued", False) for col in external):
            return [self]
        return external

    @cached_property
    def identity(self) -> tuple[Any, ...]:
        return (type(self), id(self.query))


class Exists(Subquery):
    """``EXISTS (subquery)``: whether the queryset has any row."""

    template = "EXISTS(%(subquery)s)"
    output_field = fields.BooleanField()
    empty_result_set_value = False

    def __init__(self, queryset: Any, **kwargs: Any) -> None:
        super().__init__(queryset, **kwargs)
        self.query = self.query.exists()

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        try:
            select = compiler.subquery(self.query)
        except EmptyResultSet:
            return sa.false()
        return sa.exists(select)


class OrderBy(Expression):
    """An ordering: ascending or descending, with NULLs first or last if asked."""

    conditional = False

    def __init__(
        self,
        expression: Any,
        descending: bool = False,
        nulls_first: bool | None = None,
        nulls_last: bool | None = None,
    ) -> None:
        if nulls_first and nulls_last:
            raise ValueError("nulls_first and nulls_last are mutually exclusive")
        if nulls_first is False or nulls_last is False:
            raise ValueError("nulls_first and nulls_last values must be True or None.")
        self.nulls_first = nulls_first
        self.nulls_last = nulls_last
        self.descending = descending
        if not hasattr(expression, "resolve_expression"):
            raise ValueError("expression must be an expression type")
        self.expression = expression

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.expression}, descending={self.descending})"

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.expression,) = exprs

    def get_source_expressions(self) -> list[Any]:
        return [self.expression]

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        clauses = compiler.order_clauses(self)
        return clauses[-1]

    def get_group_by_cols(self) -> list[Any]:
        cols: list[Any] = []
        for source in self.get_source_expressions():
            cols.extend(source.get_group_by_cols())
        return cols

    def reverse_ordering(self) -> OrderBy:
        """Flip the direction (and which end NULLs go to), in place."""
        self.descending = not self.descending
        if self.nulls_first:
            self.nulls_last = True
            self.nulls_first = None
        elif self.nulls_last:
            self.nulls_first = True
            self.nulls_last = None
        return self

    def asc(self, **kwargs: Any) -> OrderBy:
        """Make this ordering ascending."""
        self.descending = False
        return self

    def desc(self, **kwargs: Any) -> OrderBy:
        """Make this ordering descending."""
        self.descending = True
        return self


class Window(Expression):
    """A window function call: ``expression OVER (PARTITION BY ... ORDER BY ... frame)``."""

    contains_aggregate = False
    contains_over_clause = True

    def __init__(
        self,
        expression: Any,
        partition_by: Any = None,
        order_by: Any = None,
        frame: Any = None,
        output_field: Any = None,
    ) -> None:
        self.partition_by = partition_by
        self.order_by = order_by
        self.frame = frame
        if not getattr(expression, "window_compatible", False):
            raise ValueError(
                f"Expression '{expression.__class__.__name__}' isn't compatible with OVER clauses."
            )
        if self.partition_by is not None:
            if not isinstance(self.partition_by, tuple | list):
                self.partition_by = (self.partition_by,)
            self.partition_by = ExpressionList(*self.partition_by)
        if self.order_by is not None:
            if isinstance(self.order_by, list | tuple):
                self.order_by = OrderByList(*self.order_by)
            elif isinstance(self.order_by, BaseExpression | F | str):
                self.order_by = OrderByList(self.order_by)
            else:
                raise ValueError(
                    "Window.order_by must be either a string reference to a "
                    "field, an expression, or a list or tuple of them."
                )
        super().__init__(output_field=output_field)
        self.source_expression = self._parse_expressions(expression)[0]

    def _resolve_output_field(self) -> Any:
        return self.source_expression.output_field

    def get_source_expressions(self) -> list[Any]:
        return [self.source_expression, self.partition_by, self.order_by, self.frame]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.source_expression, self.partition_by, self.order_by, self.frame = exprs

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        element = compiler.sa(self.source_expression)
        partition = (
            [compiler.sa(e) for e in self.partition_by.source_expressions]
            if self.partition_by is not None
            else None
        )
        order = None
        if self.order_by is not None:
            order = []
            for expr in self.order_by.source_expressions:
                if not isinstance(expr, OrderBy):
                    expr = OrderBy(expr)
                order.extend(compiler.order_clauses(expr))
        kwargs: dict[str, Any] = {}
        if self.frame is not None:
            kwargs[self.frame.sa_keyword] = self.frame.bounds()
        return sa.over(element, partition_by=partition, order_by=order, **kwargs)

    def __str__(self) -> str:
        return f"{self.source_expression} OVER ({self.partition_by or ''} {self.order_by or ''})"

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__}: {self}>"

    def get_group_by_cols(self) -> list[Any]:
        group_by_cols: list[Any] = []
        if self.partition_by:
            group_by_cols.extend(self.partition_by.get_group_by_cols())
        if self.order_by is not None:
            group_by_cols.extend(self.order_by.get_group_by_cols())
        return group_by_cols


class WindowFrame(Expression):
    """A window frame: ``ROWS`` or ``RANGE`` between two bounds (None is unbounded)."""

    frame_type = ""
    sa_keyword = ""

    def __init__(self, start: int | None = None, end: int | None = None) -> None:
        self.start = Value(start)
        self.end = Value(end)

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.start, self.end = exprs

    def get_source_expressions(self) -> list[Any]:
        return [self.start, self.end]

    def bounds(self) -> tuple[int | None, int | None]:
        """Return the bounds as SQLAlchemy's ``over()`` takes them."""
        return (self.start.value, self.end.value)

    def get_group_by_cols(self) -> list[Any]:
        return []

    def __str__(self) -> str:
        return f"{self.frame_type} BETWEEN {_bound(self.start.value, 'PRECEDING')} AND " + (
            _bound(self.end.value, "FOLLOWING")
        )

    def __repr__(self) -> str:
        return f"<{self.__class__.__qualname__}: {self}>"


def _bound(value: int | None, unbounded: str) -> str:
    if value is None:
        return f"UNBOUNDED {unbounded}"
    if value == 0:
        return "CURRENT ROW"
    return f"{abs(value)} {'PRECEDING' if value < 0 else 'FOLLOWING'}"


class RowRange(WindowFrame):
    """``ROWS BETWEEN start AND end`` (negative is PRECEDING, 0 is CURRENT ROW)."""

    frame_type = "ROWS"
    sa_keyword = "rows"


class ValueRange(WindowFrame):
    """``RANGE BETWEEN start AND end``."""

    frame_type = "RANGE"
    sa_keyword = "range_"
