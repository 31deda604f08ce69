"""Lookups (``exact``, ``icontains``, ``in``, ...) and the ``Transform`` base class.

A lookup compares a left-hand side (a column, possibly transformed) with a
value or expression. Custom ones are registered with ``register_lookup`` on a
field class (or instance) and written Django's way, with ``as_sql``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from fastjango.core.exceptions import EmptyResultSet
from fastjango.db.models.expressions import Expression, Func, RawSQL, Value, native_as_sql
from fastjango.db.models.fields import (
    BooleanField,
    CharField,
    DateTimeField,
    Field,
    IntegerField,
    UUIDField,
)
from fastjango.db.models.query_utils import RegisterLookupMixin
from fastjango.utils.datastructures import OrderedSet
from fastjango.utils.functional import cached_property

if TYPE_CHECKING:
    from fastjango.db.models.sql.compiler import SQLCompiler

__all__ = [
    "BuiltinLookup",
    "Contains",
    "EndsWith",
    "Exact",
    "GreaterThan",
    "GreaterThanOrEqual",
    "IContains",
    "IEndsWith",
    "IExact",
    "IRegex",
    "IStartsWith",
    "In",
    "IntegerFieldExact",
    "IntegerFieldFloatRounding",
    "IntegerGreaterThanOrEqual",
    "IntegerLessThan",
    "IsNull",
    "LessThan",
    "LessThanOrEqual",
    "Lookup",
    "PatternLookup",
    "Range",
    "Regex",
    "StartsWith",
    "Transform",
    "YearExact",
    "YearGt",
    "YearGte",
    "YearLookup",
    "YearLt",
    "YearLte",
]


class Lookup(Expression):
    """``lhs <operator> rhs``: one condition of a filter."""

    lookup_name: str | None = None
    prepare_rhs = True
    can_use_none_as_rhs = False

    def __init__(self, lhs: Any, rhs: Any) -> None:
        self.lhs, self.rhs = lhs, rhs
        self.rhs = self.get_prep_lookup()
        self.lhs = self.get_prep_lhs()
        bilateral: list[Any] = getattr(self.lhs, "get_bilateral_transforms", list)()
        if bilateral:
            if hasattr(self.rhs, "resolve_expression"):
                raise NotImplementedError(
                    "Bilateral transformations on nested querysets are not implemented."
                )
            rhs = Value(self.rhs)
            for transform in bilateral:
                rhs = transform(rhs)
            self.rhs = rhs
        self.bilateral_transforms = bilateral

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.lhs!r}, {self.rhs!r})"

    def get_source_expressions(self) -> list[Any]:
        if self.rhs_is_direct_value():
            return [self.lhs]
        return [self.lhs, self.rhs]

    def set_source_expressions(self, new_exprs: Sequence[Any]) -> None:
        if len(new_exprs) == 1:
            self.lhs = new_exprs[0]
        else:
            self.lhs, self.rhs = new_exprs

    def get_prep_lookup(self) -> Any:
        """Return the right-hand side prepared by the left-hand side's field."""
        if not self.prepare_rhs or hasattr(self.rhs, "resolve_expression"):
            return self.rhs
        output_field = getattr(self.lhs, "output_field", None)
        if output_field is not None and hasattr(output_field, "get_prep_value"):
            return output_field.get_prep_value(self.rhs)
        if self.rhs_is_direct_value():
            return Value(self.rhs)
        return self.rhs

    def get_prep_lhs(self) -> Any:
        """Return the left-hand side as an expression."""
        if hasattr(self.lhs, "resolve_expression"):
            return self.lhs
        return Value(self.lhs)

    def rhs_is_direct_value(self) -> bool:
        """Return whether the right-hand side is a plain value (not an expression)."""
        return not hasattr(self.rhs, "resolve_expression")

    @cached_property
    def output_field(self) -> Any:
        return BooleanField()

    @property
    def identity(self) -> tuple[Any, ...]:
        from fastjango.db.models.expressions import _hashable

        return (type(self), self.lhs, _hashable(self.rhs))

    def resolve_expression(
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: set[str] | None = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> Any:
        c = self.copy()
        c.is_summary = summarize
        c.lhs = self.lhs.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        if hasattr(self.rhs, "resolve_expression"):
            c.rhs = self.rhs.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return c

    def get_group_by_cols(self) -> list[Any]:
        cols: list[Any] = []
        for source in self.get_source_expressions():
            cols.extend(source.get_group_by_cols())
        return cols

    # -- compiling ---------------------------------------------------------

    @property
    def lhs_field(self) -> Any:
        """Return the field the left-hand side produces."""
        return getattr(self.lhs, "_output_field_or_none", None)

    def prep_db_value(self, value: Any, compiler: SQLCompiler) -> Any:
        """Return ``value`` as the database gets it (the field's ``get_db_prep_value``)."""
        field = self.lhs_field
        if field is not None and hasattr(field, "get_db_prep_value"):
            return field.get_db_prep_value(value, compiler.connection, prepared=True)
        return value

    def bind(self, compiler: SQLCompiler, value: Any) -> Any:
        """Return ``value`` as a bound parameter typed like the left-hand side."""
        field = self.lhs_field
        slot = compiler.bind_slots.get(id(self)) if value is self.rhs else None
        value = self.prep_db_value(value, compiler)
        type_ = field.sa_type_instance if field is not None else None
        if slot is not None:
            # A statement kept for reuse: the value is given by name each time it runs.
            compiler.slots_bound.add(slot)
            return sa.bindparam(slot, value, type_=type_)
        return sa.bindparam(None, value, type_=type_, unique=True)

    def rhs_sa(self, compiler: SQLCompiler) -> Any:
        """Return the right-hand side as a SQLAlchemy element."""
        if self.rhs_is_direct_value():
            return self.bind(compiler, self.rhs)
        return compiler.sa(self.rhs)

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        return self.build(compiler, compiler.sa(self.lhs), self.rhs_sa(compiler))

    def build(self, compiler: SQLCompiler, lhs: Any, rhs: Any) -> Any:
        """Return the condition for compiled sides (subclasses define the operator)."""
        raise NotImplementedError(
            f"{type(self).__name__} must define build(compiler, lhs, rhs) or Django's "
            "as_sql(compiler, connection)."
        )

    # -- Django's API for custom lookups -----------------------------------

    def process_lhs(
        self, compiler: SQLCompiler, connection: Any, lhs: Any = None
    ) -> tuple[str, list[Any]]:
        """Return the left-hand side as Django's ``(sql, params)``."""
        lhs = lhs or self.lhs
        if hasattr(lhs, "resolve_expression"):
            return compiler.compile(lhs)
        return "%s", [lhs]

    def process_rhs(self, compiler: SQLCompiler, connection: Any) -> tuple[str, list[Any]]:
        """Return the right-hand side as Django's ``(sql, params)``."""
        if self.rhs_is_direct_value():
            return "%s", [self.prep_db_value(self.rhs, compiler)]
        return compiler.compile(self.rhs)

    def get_db_prep_lookup(self, value: Any, connection: Any) -> tuple[str, list[Any]]:
        """Return Django's placeholder and parameters for a plain value."""
        return "%s", [value]

    @native_as_sql
    def as_sql(self, compiler: SQLCompiler, connection: Any) -> tuple[str, list[Any]]:
        """Return Django's ``(sql, params)`` for this condition."""
        return compiler.marker(self.as_sqlalchemy(compiler))


class Transform(RegisterLookupMixin, Func):
    """A function of the left-hand side usable in a lookup path (``pub_date__year``)."""

    bilateral = False
    arity: int | None = 1

    @property
    def lhs(self) -> Any:
        """Return the transformed expression."""
        return self.get_source_expressions()[0]

    def get_bilateral_transforms(self) -> list[Any]:
        """Return the transforms to apply to the right-hand side too."""
        if hasattr(self.lhs, "get_bilateral_transforms"):
            bilateral = self.lhs.get_bilateral_transforms()
        else:
            bilateral = []
        if self.bilateral:
            bilateral.append(self.__class__)
        return bilateral  # type: ignore[no-any-return]


class BuiltinLookup(Lookup):
    """A lookup that compiles with a SQLAlchemy operator."""


class Exact(BuiltinLookup):
    """``= value``; ``exact=None`` is ``isnull=True``."""

    lookup_name = "exact"

    def get_prep_lookup(self) -> Any:
        from fastjango.db.models.sql.query import Query

        if isinstance(self.rhs, Query):
            if self.rhs.has_limit_one():
                if not self.rhs.has_select_fields:
                    self.rhs.clear_select_clause()
                    self.rhs.add_fields(["pk"])
            else:
                raise ValueError(
                    "The QuerySet value for an exact lookup must be limited to one result using "
                    "slicing."
                )
        return super().get_prep_lookup()

    def build(self, compiler: SQLCompiler, lhs: Any, rhs: Any) -> Any:
        # ``filter(Exists(...)=True)`` is the condition itself.
        if (
            isinstance(self.rhs, bool)
            and getattr(self.lhs, "conditional", False)
            and compiler.vendor != "mysql"
        ):
            return lhs if self.rhs else sa.not_(lhs)
        return lhs == rhs


class IExact(BuiltinLookup):
    """Case-insensitive ``exact``."""

    lookup_name = "iexact"
    prepare_rhs = False

    def build(self, compiler: SQLCompiler, lhs: Any, rhs: Any) -> Any:
        from fastjango.db.models.sql import vendor

        if self.rhs_is_direct_value() and self.rhs is not None:
            value = str(self.rhs)
            if isinstance(self.lhs_field, UUIDField):
                # As Django: hyphens are stripped from the value where UUIDs are CHAR(32).
                lhs = vendor.uuid_text(compiler, lhs)
                if not vendor.native_uuid(compiler):
                    value = value.replace("-", "")
            rhs = self.bind_text(compiler, vendor.escape_like(value))
            return vendor.like(compiler, lhs, rhs, case_sensitive=False, exact=True)
        return vendor.like(
            compiler, lhs, vendor.escape_like_expr(rhs), case_sensitive=False, exact=True
        )

    def bind_text(self, compiler: SQLCompiler, value: str) -> Any:
        """Return ``value`` bound as text."""
        return sa.bindparam(None, value, type_=sa.String(), unique=True)


class GreaterThan(BuiltinLookup):
    """``> value``."""

    lookup_name = "gt"

    def build(self, compiler: SQLCompiler, lhs: Any, rhs: Any) -> Any:
        return lhs > rhs


class GreaterThanOrEqual(BuiltinLookup):
    """``>= value``."""

    lookup_name = "gte"

    def build(self, compiler: SQLCompiler, lhs: Any, rhs: Any) -> Any:
        return lhs >= rhs


class LessThan(BuiltinLookup):
    """``< value``."""

    lookup_name = "lt"

    def build(self, compiler: SQLCompiler, lhs: Any, rhs: Any) -> Any:
        return lhs < rhs


class LessThanOrEqual(BuiltinLookup):
    """``<= value``."""

    lookup_name = "lte"

    def build(self, compiler: SQLCompiler, lhs: Any, rhs: Any) -> Any:
        return lhs <= rhs


class IntegerFieldFloatRounding:
    """Round a float right-hand side up, so ``gte=1.5`` means ``>= 2`` on integers."""

    rhs: Any

    def get_prep_lookup(self) -> Any:
        if isinstance(self.rhs, float):
            self.rhs = math.ceil(self.rhs)
        return super().get_prep_lookup()  # type: ignore[misc]


class IntegerFieldExact(Exact):
    """``exact`` on integers: a value out of the column's range matches nothing."""

    def build(self, compiler: SQLCompiler, lhs: Any, rhs: Any) -> Any:
        field = self.lhs_field
        bounds = getattr(field, "integer_range", None)
        if bounds is not None and isinstance(self.rhs, int) and not isinstance(self.rhs, bool):
            low, high = bounds
            if not low <= self.rhs <= high:
                raise EmptyResultSet
        return super().build(compiler, lhs, rhs)


class IntegerGreaterThanOrEqual(IntegerFieldFloatRounding, GreaterThanOrEqual):
    """``gte`` on integers, rounding a float up."""


class IntegerLessThan(IntegerFieldFloatRounding, LessThan):
    """``lt`` on integers, rounding a float up."""


class In(BuiltinLookup):
    """``IN (values)`` or ``IN (subquery)``; an empty list matches nothing."""

    lookup_name = "in"

    def get_prep_lookup(self) -> Any:
        from fastjango.db.models.sql.query import Query

        if isinstance(self.rhs, Query):
            self.rhs.clear_ordering(clear_default=True)
            if not self.rhs.has_select_fields:
                self.rhs.clear_select_clause()
                self.rhs.add_fields(["pk"])
            return self.rhs
        if hasattr(self.rhs, "resolve_expression"):
            return self.rhs
        if isinstance(self.rhs, str) or not hasattr(self.rhs, "__iter__"):
            raise TypeError(
                f"Field '{getattr(self.lhs_field, 'name', self.lhs)}' expected an iterable of "
                f"values for an 'in' lookup, got {self.rhs!r}."
            )
        values = []
        output_field = getattr(self.lhs, "output_field", None)
        for value in self.rhs:
            if hasattr(value, "resolve_expression"):
                values.append(value)
            elif output_field is not None and hasattr(output_field, "get_prep_value"):
                values.append(output_field.get_prep_value(value))
            else:
                values.append(value)
        return values

    def rhs_is_direct_value(self) -> bool:
        return not hasattr(self.rhs, "resolve_expression")

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        lhs = compiler.sa(self.lhs)
        if not self.rhs_is_direct_value():
            if hasattr(self.rhs, "get_compiler") or type(self.rhs).__name__ == "Query":
                try:
                    select = compiler.subquery(self.rhs)
                except EmptyResultSet:
                    raise EmptyResultSet from None
                return lhs.in_(select)
            if isinstance(self.rhs, RawSQL):
                # A raw SQL subquery: the operator groups it in parentheses.
                raw = compiler.from_django_sql(self.rhs.sql, self.rhs.params, self.rhs)
                return lhs.op("IN", is_comparison=True)(raw)
            return lhs.in_(compiler.sa(self.rhs))
        try:
            values = OrderedSet(self.rhs)
            values.discard(None)
        except TypeError:
            values = OrderedSet(v for v in self.rhs if v is not None)
        if not values:
            raise EmptyResultSet
        items = list(values)
        if any(hasattr(v, "resolve_expression") for v in items):
            return lhs.in_(
                [
                    compiler.sa(v) if hasattr(v, "resolve_expression") else self.bind(compiler, v)
                    for v in items
                ]
            )
        items = [self.prep_db_value(v, compiler) for v in items]
        field = self.lhs_field
        if field is not None:
            param = sa.bindparam(
                None, items, type_=field.sa_type_instance, expanding=True, unique=True
            )
            return lhs.in_(param)
        return lhs.in_(items)


class PatternLookup(BuiltinLookup):
    """A ``LIKE`` lookup; the value's ``%``, ``_`` and escape characters are escaped."""

    prepare_rhs = False
    case_sensitive = True
    prefix = "%"
    suffix = "%"

    def get_prep_lookup(self) -> Any:
        if hasattr(self.rhs, "resolve_expression"):
            return self.rhs
        field = getattr(self.lhs, "output_field", None)
        if isinstance(field, CharField | UUIDField) or field is None:
            return self.rhs
        return field.get_prep_value(self.rhs) if hasattr(field, "get_prep_value") else self.rhs

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        from fastjango.db.models.sql import vendor

        lhs = vendor.as_text(compiler, compiler.sa(self.lhs), self.lhs_field)
        if self.rhs_is_direct_value():
            value = self.rhs
            if isinstance(self.lhs_field, UUIDField) and not vendor.native_uuid(compiler):
                value = str(value).replace("-", "")
            pattern = self.prefix + vendor.escape_like(str(value)) + self.suffix
            rhs = sa.bindparam(None, pattern, type_=sa.String(), unique=True)
        else:
            rhs = vendor.escape_like_expr(compiler.sa(self.rhs))
            parts = [
                p
                for p in (
                    sa.literal(self.prefix) if self.prefix else None,
                    rhs,
                    sa.literal(self.suffix) if self.suffix else None,
                )
                if p is not None
            ]
            rhs = vendor.concat(compiler, *parts)
        if isinstance(self.lhs_field, UUIDField):
            lhs = vendor.uuid_text(compiler, lhs)
        return vendor.like(compiler, lhs, rhs, case_sensitive=self.case_sensitive)


class Contains(PatternLookup):
    """Contains the value (case-sensitive; SQLite's LIKE ignores ASCII case)."""

    lookup_name = "contains"


class IContains(Contains):
    """Contains the value, ignoring case."""

    lookup_name = "icontains"
    case_sensitive = False


class StartsWith(PatternLookup):
    """Starts with the value."""

    lookup_name = "startswith"
    prefix = ""


class IStartsWith(StartsWith):
    """Starts with the value, ignoring case."""

    lookup_name = "istartswith"
    case_sensitive = False


class EndsWith(PatternLookup):
    """Ends with the value."""

    lookup_name = "endswith"
    suffix = ""


class IEndsWith(EndsWith):
    """Ends with the value, ignoring case."""

    lookup_name = "iendswith"
    case_sensitive = False


class Range(BuiltinLookup):
    """``BETWEEN start AND end`` (both included)."""

    lookup_name = "range"

    def get_prep_lookup(self) -> Any:
        if hasattr(self.rhs, "resolve_expression"):
            return self.rhs
        try:
            start, end = self.rhs
        except (TypeError, ValueError):
            raise ValueError(
                "The QuerySet value for a range lookup must be a 2-tuple or list, e.g. "
                "(start, end)."
            ) from None
        field = getattr(self.lhs, "output_field", None)
        prep = [
            v
            if hasattr(v, "resolve_expression")
            or field is None
            or not hasattr(field, "get_prep_value")
            else field.get_prep_value(v)
            for v in (start, end)
        ]
        return prep

    def rhs_is_direct_value(self) -> bool:
        return True

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        lhs = compiler.sa(self.lhs)
        bounds = [
            compiler.sa(v) if hasattr(v, "resolve_expression") else self.bind(compiler, v)
            for v in self.rhs
        ]
        return lhs.between(*bounds)


class IsNull(BuiltinLookup):
    """``IS NULL`` (True) or ``IS NOT NULL`` (False)."""

    lookup_name = "isnull"
    prepare_rhs = False

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        if not isinstance(self.rhs, bool):
            raise ValueError("The QuerySet value for an isnull lookup must be True or False.")
        lhs = compiler.sa(self.lhs)
        return lhs.is_(None) if self.rhs else lhs.is_not(None)


class Regex(BuiltinLookup):
    """Matches a regular expression (case-sensitive)."""

    lookup_name = "regex"
    prepare_rhs = False
    case_sensitive = True

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        from fastjango.db.models.sql import vendor

        lhs = vendor.as_text(compiler, compiler.sa(self.lhs), self.lhs_field)
        if self.rhs_is_direct_value():
            rhs = sa.bindparam(None, str(self.rhs), type_=sa.String(), unique=True)
        else:
            rhs = compiler.sa(self.rhs)
        return vendor.regex(compiler, lhs, rhs, case_sensitive=self.case_sensitive)


class IRegex(Regex):
    """Matches a regular expression, ignoring case."""

    lookup_name = "iregex"
    case_sensitive = False


class YearLookup(Lookup):
    """A comparison on ``__year`` that uses the column's index (a date range)."""

    def year_lookup_bounds(self, compiler: SQLCompiler, year: int) -> tuple[Any, Any]:
        """Return the first and last moment of ``year`` for the column's field type."""
        from fastjango.db.models.functions.datetime import year_bounds

        output_field = self.lhs.lhs.output_field
        iso = getattr(self.lhs, "lookup_name", None) == "iso_year"
        return year_bounds(year, isinstance(output_field, DateTimeField), iso)

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        # An index on the column can serve a range; EXTRACT(year) can't use it.
        if self.rhs_is_direct_value() and not isinstance(self.rhs, bool):
            lhs = compiler.sa(self.lhs.lhs)
            field = self.lhs.lhs.output_field
            start, finish = self.year_lookup_bounds(compiler, int(self.rhs))

            def bound(value: Any) -> Any:
                prepared = field.get_db_prep_value(value, compiler.connection, prepared=False)
                return sa.bindparam(None, prepared, type_=field.sa_type_instance, unique=True)

            return self.range_condition(lhs, bound(start), bound(finish))
        return super().as_sqlalchemy(compiler)

    def range_condition(self, lhs: Any, start: Any, finish: Any) -> Any:
        """Return the condition on the column for the year's bounds."""
        raise NotImplementedError(f"{type(self).__name__} must define range_condition().")


class YearExact(YearLookup, Exact):
    """``__year=2020``: between the year's first and last moment."""

    def range_condition(self, lhs: Any, start: Any, finish: Any) -> Any:
        return lhs.between(start, finish)


class YearGt(YearLookup, GreaterThan):
    """``__year__gt=2020``: after the year's last moment."""

    def range_condition(self, lhs: Any, start: Any, finish: Any) -> Any:
        return lhs > finish


class YearGte(YearLookup, GreaterThanOrEqual):
    """``__year__gte=2020``: from the year's first moment."""

    def range_condition(self, lhs: Any, start: Any, finish: Any) -> Any:
        return lhs >= start


class YearLt(YearLookup, LessThan):
    """``__year__lt=2020``: before the year's first moment."""

    def range_condition(self, lhs: Any, start: Any, finish: Any) -> Any:
        return lhs < start


class YearLte(YearLookup, LessThanOrEqual):
    """``__year__lte=2020``: up to the year's last moment."""

    def range_condition(self, lhs: Any, start: Any, finish: Any) -> Any:
        return lhs <= finish


for _lookup in (
    Exact,
    IExact,
    GreaterThan,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
    In,
    Contains,
    IContains,
    StartsWith,
    IStartsWith,
    EndsWith,
    IEndsWith,
    Range,
    IsNull,
    Regex,
    IRegex,
):
    Field.register_lookup(_lookup)

IntegerField.register_lookup(IntegerFieldExact)
IntegerField.register_lookup(IntegerGreaterThanOrEqual)
IntegerField.register_lookup(IntegerLessThan)
