"""Window functions: ``RowNumber``, ``Rank``, ``DenseRank``, ``Lag``, ``Lead``, ..."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastjango.db.models.expressions import Func
from fastjango.db.models.fields import FloatField, IntegerField
from fastjango.db.utils import NotSupportedError

if TYPE_CHECKING:
    from fastjango.db.models.sql.compiler import SQLCompiler

__all__ = [
    "CumeDist",
    "DenseRank",
    "FirstValue",
    "Lag",
    "LastValue",
    "Lead",
    "NthValue",
    "Ntile",
    "PercentRank",
    "Rank",
    "RowNumber",
]


class CumeDist(Func):
    """The cumulative distribution of the row in its partition."""

    function = "CUME_DIST"
    output_field = FloatField()
    window_compatible = True


class DenseRank(Func):
    """The rank without gaps."""

    function = "DENSE_RANK"
    output_field = IntegerField()
    window_compatible = True


class FirstValue(Func):
    """The value in the first row of the frame."""

    arity = 1
    function = "FIRST_VALUE"
    window_compatible = True


class LagLeadFunction(Func):
    """Base of ``Lag`` and ``Lead``: a value ``offset`` rows away (``default`` past the end)."""

    window_compatible = True

    def __init__(self, expression: Any, offset: int = 1, default: Any = None, **extra: Any) -> None:
        if expression is None:
            raise ValueError(f"{self.__class__.__name__} requires a non-null source expression.")
        if offset is None or offset <= 0:
            raise ValueError(
                f"{self.__class__.__name__} requires a positive integer for the offset."
            )
        args = [expression, offset]
        if default is not None:
            args.append(default)
        super().__init__(*args, **extra)

    def _resolve_output_field(self) -> Any:
        sources = self.get_source_expressions()
        return sources[0].output_field

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        if (
            len(self.source_expressions) == 3
            and compiler.vendor == "mysql"
            and getattr(compiler.connection, "mysql_is_mariadb", False)
        ):
            raise NotSupportedError(
                f"MariaDB's {self.function}() takes no default; wrap it in Coalesce() instead."
            )
        return super().as_sqlalchemy(compiler)


class Lag(LagLeadFunction):
    """The value ``offset`` rows before."""

    function = "LAG"


class LastValue(Func):
    """The value in the last row of the frame."""

    arity = 1
    function = "LAST_VALUE"
    window_compatible = True


class Lead(LagLeadFunction):
    """The value ``offset`` rows after."""

    function = "LEAD"


class NthValue(Func):
    """The value in the ``nth`` row of the frame."""

    function = "NTH_VALUE"
    window_compatible = True

    def __init__(self, expression: Any, nth: int = 1, **extra: Any) -> None:
        if expression is None:
            raise ValueError(f"{self.__class__.__name__} requires a non-null source expression.")
        if nth is None or nth <= 0:
            raise ValueError(f"{self.__class__.__name__} requires a positive integer as for nth.")
        super().__init__(expression, nth, **extra)

    def _resolve_output_field(self) -> Any:
        sources = self.get_source_expressions()
        return sources[0].output_field


class Ntile(Func):
    """The bucket (1 to ``num_buckets``) of the row."""

    function = "NTILE"
    output_field = IntegerField()
    window_compatible = True

    def __init__(self, num_buckets: int = 1, **extra: Any) -> None:
        if num_buckets <= 0:
            raise ValueError("num_buckets must be greater than 0.")
        super().__init__(num_buckets, **extra)


class PercentRank(Func):
    """The relative rank of the row."""

    function = "PERCENT_RANK"
    output_field = FloatField()
    window_compatible = True


class Rank(Func):
    """The rank, with gaps."""

    function = "RANK"
    output_field = IntegerField()
    window_compatible = True


class RowNumber(Func):
    """The number of the row in its partition."""

    function = "ROW_NUMBER"
    output_field = IntegerField()
    window_compatible = True
