"""Aggregates: ``Count``, ``Sum``, ``Avg``, ``Min``, ``Max``, ``StdDev``, ``Variance``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from fastjango.core.exceptions import EmptyResultSet, FieldError, FullResultSet
from fastjango.db.models.expressions import Case, Func, Star, Value, When
from fastjango.db.models.fields import DecimalField, DurationField, FloatField, IntegerField

if TYPE_CHECKING:
    from fastjango.db.models.sql.compiler import SQLCompiler

__all__ = ["Aggregate", "Avg", "Count", "Max", "Min", "StdDev", "Sum", "Variance"]


class Aggregate(Func):
    """An SQL aggregate over the rows (or groups) of a query.

    ``distinct=True`` aggregates distinct values, ``filter=Q(...)`` only the
    matching rows, and ``default`` replaces a NULL result (no rows).
    """

    template = "%(function)s(%(distinct)s%(expressions)s)"
    contains_aggregate = True
    name: str | None = None
    window_compatible = True
    allow_distinct = False
    empty_result_set_value: Any = None

    def __init__(
        self,
        *expressions: Any,
        distinct: bool = False,
        filter: Any = None,
        default: Any = None,
        **extra: Any,
    ) -> None:
        if distinct and not self.allow_distinct:
            raise TypeError(f"{self.__class__.__name__} does not allow distinct.")
        if default is not None and self.empty_result_set_value is not None:
            raise TypeError(f"{self.__class__.__name__} does not allow default.")
        self.distinct = distinct
        self.filter = filter
        self.default = default
        super().__init__(*expressions, **extra)

    def get_source_fields(self) -> list[Any]:
        return [getattr(e, "_output_field_or_none", None) for e in super().get_source_expressions()]

    def get_source_expressions(self) -> list[Any]:
        source_expressions = super().get_source_expressions()
        return [*source_expressions, self.filter]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        *exprs, self.filter = exprs
        super().set_source_expressions(exprs)

    def resolve_expression(
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: set[str] | None = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> Any:
        from fastjango.db.models.functions.comparison import Coalesce

        c = super().resolve_expression(query, allow_joins, reuse, summarize)
        if summarize:
            for ref in c.get_refs():
                if getattr(query.annotations[ref], "is_summary", False):
                    raise FieldError(f"Cannot compute {c.name}('{ref}'): '{ref}' is an aggregate")
        elif not self.is_summary:
            expressions = super(Aggregate, c).get_source_expressions()
            for index, expr in enumerate(expressions):
                if getattr(expr, "contains_aggregate", False):
                    before = self.get_source_expressions()[index]
                    name = before.name if hasattr(before, "name") else repr(before)
                    raise FieldError(f"Cannot compute {c.name}('{name}'): '{name}' is an aggregate")
        default = c.default
        if default is None:
            return c
        if hasattr(default, "resolve_expression"):
            default = default.resolve_expression(query, allow_joins, reuse, summarize)
            if default._output_field_or_none is None:
                default.output_field = c._output_field_or_none
        else:
            default = Value(default, c._output_field_or_none)
        c.default = None
        coalesce = Coalesce(c, default, output_field=c._output_field_or_none)
        coalesce.is_summary = c.is_summary
        return coalesce

    @property
    def default_alias(self) -> str:
        """Return ``"<field>__<name>"``, the key ``aggregate(Avg("price"))`` uses."""
        expressions = [e for e in self.get_source_expressions() if e is not None][
            : len(self.source_expressions)
        ]
        if len(expressions) == 1 and hasattr(expressions[0], "name"):
            return f"{expressions[0].name}__{str(self.name).lower()}"
        raise TypeError("Complex expressions require an alias")

    def get_group_by_cols(self) -> list[Any]:
        return []

    def _uses_template(self) -> bool:
        return type(self).template != Aggregate.template or "template" in self.extra

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        if self._uses_template():
            sql, params = self.as_sql(compiler, compiler.connection)
            return compiler.from_django_sql(sql, params, self)
        args = list(self.source_expressions)
        condition = None
        if self.filter is not None:
            try:
                condition = compiler.condition(self.filter)
            except FullResultSet:
                condition = None
            except EmptyResultSet:
                condition = sa.false()
        emulate_filter = condition is not None and compiler.vendor == "mysql"
        compiled: list[Any] = []
        for arg in args:
            if isinstance(arg, Star):
                compiled.append(None)
                continue
            element = compiler.sa(arg)
            if emulate_filter:
                element = sa.case((condition, element), else_=sa.null())  # type: ignore[arg-type]
            compiled.append(element)
        function = self.vendor_functions.get(compiler.vendor, self.function)
        assert function is not None
        if len(compiled) == 1 and compiled[0] is None:
            # COUNT(*): Count refuses a filter with it, so there is none to emulate.
            call: Any = sa.func.count(type_=self.sa_type())
        else:
            elements = [e for e in compiled if e is not None]
            if self.distinct:
                elements = [sa.distinct(elements[0]), *elements[1:]]
            call = getattr(sa.func, function.lower())(*elements, type_=self.sa_type())
        if condition is not None and not emulate_filter:
            call = call.filter(condition)
        return call

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, list[Any]]:
        """Return Django's ``(sql, params)`` (for subclasses with a custom template)."""
        extra_context["distinct"] = "DISTINCT " if self.distinct else ""
        if self.filter is not None:
            copy = self.copy()
            copy.filter = None
            source_expressions = copy.get_source_expressions()
            condition = When(self.filter, then=source_expressions[0])
            copy.set_source_expressions([Case(condition), *source_expressions[1:], None])
            result: tuple[str, list[Any]] = super(Aggregate, copy).as_sql(
                compiler, connection, function, template, arg_joiner, **extra_context
            )
            return result
        plain: tuple[str, list[Any]] = super().as_sql(
            compiler, connection, function, template, arg_joiner, **extra_context
        )
        return plain

    as_sql._fastjango_native = True  # type: ignore[attr-defined]

    def _get_repr_options(self) -> dict[str, Any]:
        options = {}
        if self.distinct:
            options["distinct"] = self.distinct
        if self.filter is not None:
            options["filter"] = self.filter
        return options


class _NumericOutput:
    """Integers give a float, decimals a decimal (``Avg``, ``StdDev``, ``Variance``)."""

    def _resolve_output_field(self) -> Any:
        source_fields = self.get_source_fields()  # type: ignore[attr-defined]
        if any(isinstance(s, DecimalField) for s in source_fields):
            return DecimalField()
        if any(isinstance(s, IntegerField) for s in source_fields):
            return FloatField()
        return super()._resolve_output_field() if source_fields else FloatField()  # type: ignore[misc]


class Avg(_NumericOutput, Aggregate):
    """The average (a float for integers, a duration for durations)."""

    function = "AVG"
    name = "Avg"
    allow_distinct = True

    def _resolve_output_field(self) -> Any:
        if any(isinstance(s, DurationField) for s in self.get_source_fields()):
            return DurationField()
        return super()._resolve_output_field()


class Count(Aggregate):
    """The number of non-NULL values (``Count("*")`` counts rows); 0 on no rows."""

    function = "COUNT"
    name = "Count"
    output_field = IntegerField()
    allow_distinct = True
    empty_result_set_value = 0

    def __init__(self, expression: Any, filter: Any = None, **extra: Any) -> None:
        if expression == "*":
            expression = Star()
        if isinstance(expression, Star) and filter is not None:
            raise ValueError("Star cannot be used with filter. Please specify a field.")
        super().__init__(expression, filter=filter, **extra)


class Max(Aggregate):
    """The largest value."""

    function = "MAX"
    name = "Max"


class Min(Aggregate):
    """The smallest value."""

    function = "MIN"
    name = "Min"


class StdDev(_NumericOutput, Aggregate):
    """The standard deviation (population by default, ``sample=True`` for a sample)."""

    name = "StdDev"

    def __init__(self, expression: Any, sample: bool = False, **extra: Any) -> None:
        self.function = "STDDEV_SAMP" if sample else "STDDEV_POP"
        super().__init__(expression, **extra)

    def _get_repr_options(self) -> dict[str, Any]:
        return {**super()._get_repr_options(), "sample": self.function == "STDDEV_SAMP"}


class Sum(Aggregate):
    """The total."""

    function = "SUM"
    name = "Sum"
    allow_distinct = True


class Variance(_NumericOutput, Aggregate):
    """The variance (population by default, ``sample=True`` for a sample)."""

    name = "Variance"

    def __init__(self, expression: Any, sample: bool = False, **extra: Any) -> None:
        self.function = "VAR_SAMP" if sample else "VAR_POP"
        super().__init__(expression, **extra)

    def _get_repr_options(self) -> dict[str, Any]:
        return {**super()._get_repr_options(), "sample": self.function == "VAR_SAMP"}
