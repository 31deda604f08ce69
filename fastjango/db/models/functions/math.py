"""Math functions: ``Abs``, ``Round``, ``Power``, ``Sqrt``, trigonometry, ..."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from fastjango.db.models.expressions import Func, Value
from fastjango.db.models.fields import DecimalField, FloatField, IntegerField
from fastjango.db.models.lookups import Transform

if TYPE_CHECKING:
    from fastjango.db.models.sql.compiler import SQLCompiler

__all__ = [
    "ACos",
    "ASin",
    "ATan",
    "ATan2",
    "Abs",
    "Ceil",
    "Cos",
    "Cot",
    "Degrees",
    "Exp",
    "Floor",
    "Ln",
    "Log",
    "Mod",
    "Pi",
    "Power",
    "Radians",
    "Random",
    "Round",
    "Sign",
    "Sin",
    "Sqrt",
    "Tan",
]


class NumericOutputFieldMixin:
    """Integers give a float, decimals a decimal."""

    def _resolve_output_field(self) -> Any:
        source_fields = self.get_source_fields()  # type: ignore[attr-defined]
        if any(isinstance(s, DecimalField) for s in source_fields):
            return DecimalField()
        if any(isinstance(s, IntegerField) for s in source_fields):
            return FloatField()
        return super()._resolve_output_field() if source_fields else FloatField()  # type: ignore[misc]


class Abs(Transform):
    """The absolute value."""

    function = "ABS"
    lookup_name = "abs"


class ACos(NumericOutputFieldMixin, Transform):
    """The arccosine."""

    function = "ACOS"
    lookup_name = "acos"


class ASin(NumericOutputFieldMixin, Transform):
    """The arcsine."""

    function = "ASIN"
    lookup_name = "asin"


class ATan(NumericOutputFieldMixin, Transform):
    """The arctangent."""

    function = "ATAN"
    lookup_name = "atan"


class ATan2(NumericOutputFieldMixin, Func):
    """The arctangent of ``y / x``."""

    function = "ATAN2"
    arity = 2


class Ceil(Transform):
    """The smallest integer not less than the value."""

    function = "CEILING"
    lookup_name = "ceil"


class Cos(NumericOutputFieldMixin, Transform):
    """The cosine."""

    function = "COS"
    lookup_name = "cos"


class Cot(NumericOutputFieldMixin, Transform):
    """The cotangent."""

    function = "COT"
    lookup_name = "cot"


class Degrees(NumericOutputFieldMixin, Transform):
    """Radians to degrees."""

    function = "DEGREES"
    lookup_name = "degrees"


class Exp(NumericOutputFieldMixin, Transform):
    """``e`` to the value."""

    function = "EXP"
    lookup_name = "exp"


class Floor(Transform):
    """The largest integer not greater than the value."""

    function = "FLOOR"
    lookup_name = "floor"


class Ln(NumericOutputFieldMixin, Transform):
    """The natural logarithm."""

    function = "LN"
    lookup_name = "ln"


class Log(NumericOutputFieldMixin, Func):
    """The logarithm of the second expression in the base of the first."""

    function = "LOG"
    arity = 2


class Mod(NumericOutputFieldMixin, Func):
    """The remainder of the first expression divided by the second."""

    function = "MOD"
    arity = 2


class Pi(NumericOutputFieldMixin, Func):
    """π."""

    function = "PI"
    arity = 0


class Power(NumericOutputFieldMixin, Func):
    """The first expression to the power of the second."""

    function = "POWER"
    arity = 2


class Radians(NumericOutputFieldMixin, Transform):
    """Degrees to radians."""

    function = "RADIANS"
    lookup_name = "radians"


class Random(NumericOutputFieldMixin, Func):
    """A random float in [0, 1)."""

    function = "RANDOM"
    arity = 0
    output_field = FloatField()

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        if compiler.vendor in ("mysql", "sqlite"):
            return sa.func.rand(type_=self.sa_type())
        return sa.func.random(type_=self.sa_type())

    def get_group_by_cols(self) -> list[Any]:
        return []


class Round(Transform):
    """The value rounded to ``precision`` decimal places."""

    function = "ROUND"
    lookup_name = "round"
    arity: int | None = None

    def __init__(self, expression: Any, precision: Any = 0, **extra: Any) -> None:
        super().__init__(expression, precision, **extra)

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        precision_expr = self.source_expressions[1]
        if (
            compiler.vendor == "sqlite"
            and isinstance(precision_expr, Value)
            and isinstance(precision_expr.value, int)
            and precision_expr.value < 0
        ):
            raise ValueError("SQLite does not support negative precision.")
        expression, precision = (compiler.sa(a) for a in self.source_expressions)
        if compiler.vendor == "postgresql":
            field = self.source_expressions[0]._output_field_or_none
            if isinstance(field, FloatField):
                # PostgreSQL's two-argument ROUND() takes numeric only.
                expression = sa.cast(expression, sa.Numeric())
        return sa.func.round(expression, precision, type_=self.sa_type())

    def _resolve_output_field(self) -> Any:
        source = self.get_source_expressions()[0]
        return source.output_field


class Sign(Transform):
    """-1, 0 or 1."""

    function = "SIGN"
    lookup_name = "sign"


class Sin(NumericOutputFieldMixin, Transform):
    """The sine."""

    function = "SIN"
    lookup_name = "sin"


class Sqrt(NumericOutputFieldMixin, Transform):
    """The square root."""

    function = "SQRT"
    lookup_name = "sqrt"


class Tan(NumericOutputFieldMixin, Transform):
    """The tangent."""

    function = "TAN"
    lookup_name = "tan"
