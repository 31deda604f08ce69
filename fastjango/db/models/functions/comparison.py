"""Comparison and conversion functions: ``Cast``, ``Coalesce``, ``Greatest``, ``Least``, ..."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from fastjango.db.models.expressions import Func, Value
from fastjango.db.models.fields.json import JSONField

if TYPE_CHECKING:
    from fastjango.db.models.sql.compiler import SQLCompiler

__all__ = ["Cast", "Coalesce", "Collate", "Greatest", "JSONObject", "Least", "NullIf"]


class Cast(Func):
    """``CAST(expression AS type)``: convert to ``output_field``'s type."""

    function = "CAST"
    template = "%(function)s(%(expressions)s AS %(db_type)s)"

    def __init__(self, expression: Any, output_field: Any) -> None:
        super().__init__(expression, output_field=output_field)

    def _uses_template(self) -> bool:
        return False

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        from fastjango.db.models.sql import vendor

        inner = compiler.sa(self.source_expressions[0])
        field = self.output_field
        kind = field.get_internal_type()
        result_type = self.sa_type()
        if compiler.vendor == "sqlite":
            if kind == "DateTimeField":
                return sa.func.strftime("%Y-%m-%d %H:%M:%f", inner, type_=result_type)
            if kind == "DateField":
                return sa.func.date(inner, type_=result_type)
            if kind == "TimeField":
                return sa.func.strftime("%H:%M:%f", inner, type_=result_type)
            if kind == "JSONField":
                # JSON is stored as text on SQLite; CAST(... AS JSON) would make a number.
                return sa.type_coerce(sa.cast(inner, sa.Text()), result_type)
        if compiler.vendor == "mysql":
            if kind == "FloatField":
                return vendor.template(["CAST(", " AS DOUBLE)"], [inner], result_type)
            if kind in ("TextField", "CharField", "EmailField", "SlugField", "URLField"):
                length = f"({field.max_length})" if getattr(field, "max_length", None) else ""
                return vendor.template(["CAST(", f" AS CHAR{length})"], [inner], result_type)
            if kind == "JSONField":
                if getattr(compiler.connection, "mysql_is_mariadb", False):
                    # MariaDB has no JSON type to cast to (JSON is an alias of LONGTEXT).
                    return sa.func.json_extract(inner, sa.literal("$"), type_=result_type)
                return vendor.template(["CAST(", " AS JSON)"], [inner], result_type)
        return sa.type_coerce(sa.cast(inner, field.sa_type_instance), result_type)


class Coalesce(Func):
    """The first non-NULL value of the expressions."""

    function = "COALESCE"

    def __init__(self, *expressions: Any, **extra: Any) -> None:
        if len(expressions) < 2:
            raise ValueError("Coalesce must take at least two expressions")
        super().__init__(*expressions, **extra)

    @property
    def empty_result_set_value(self) -> Any:
        for expression in self.get_source_expressions():
            result = getattr(expression, "empty_result_set_value", NotImplemented)
            if result is NotImplemented or result is not None:
                return result
        return None


class Collate(Func):
    """``expression COLLATE collation``."""

    function = "COLLATE"

    def __init__(self, expression: Any, collation: str) -> None:
        if not (collation and collation.replace("_", "").replace("-", "").isalnum()):
            raise ValueError(f"Invalid collation name: {collation!r}.")
        self.collation = collation
        super().__init__(expression)

    def _uses_template(self) -> bool:
        return False

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        return sa.collate(compiler.sa(self.source_expressions[0]), self.collation)


class Greatest(Func):
    """The largest of the expressions (SQLite and MySQL: NULL if any is NULL)."""

    function = "GREATEST"
    vendor_functions = {"sqlite": "MAX"}

    def __init__(self, *expressions: Any, **extra: Any) -> None:
        if len(expressions) < 2:
            raise ValueError("Greatest must take at least two expressions")
        super().__init__(*expressions, **extra)


class Least(Func):
    """The smallest of the expressions (SQLite and MySQL: NULL if any is NULL)."""

    function = "LEAST"
    vendor_functions = {"sqlite": "MIN"}

    def __init__(self, *expressions: Any, **extra: Any) -> None:
        if len(expressions) < 2:
            raise ValueError("Least must take at least two expressions")
        super().__init__(*expressions, **extra)


class NullIf(Func):
    """NULL when the two expressions are equal, else the first."""

    function = "NULLIF"
    arity = 2


class JSONObject(Func):
    """A JSON object built from ``key=expression`` pairs."""

    function = "JSON_OBJECT"
    output_field = JSONField()

    def __init__(self, **fields_: Any) -> None:
        expressions: list[Any] = []
        for key, value in fields_.items():
            expressions.extend((Value(key), value))
        super().__init__(*expressions)

    def _uses_template(self) -> bool:
        return False

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        args = []
        for index, arg in enumerate(self.source_expressions):
            element = compiler.sa(arg)
            if compiler.vendor == "postgresql" and index % 2 == 0:
                element = sa.cast(element, sa.Text())
            args.append(element)
        name = "jsonb_build_object" if compiler.vendor == "postgresql" else "json_object"
        return getattr(sa.func, name)(*args, type_=self.sa_type())
