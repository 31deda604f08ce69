"""What differs per database when compiling: LIKE and regex flavours, date arithmetic, ...

Also ``SQLTemplate``, the element that splices Django-style ``(sql, params)``
from a user's ``as_sql()`` into a SQLAlchemy statement.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

from fastjango.db.models.fields import _types

if TYPE_CHECKING:
    from fastjango.db.models.sql.compiler import SQLCompiler

__all__ = [
    "LIKE_ESCAPE",
    "SQLMarker",
    "SQLTemplate",
    "as_text",
    "combine",
    "concat",
    "duration_arithmetic",
    "escape_like",
    "escape_like_expr",
    "like",
    "random",
    "regex",
    "split_template",
    "temporal_subtraction",
    "uuid_text",
]

#: The character that escapes ``%``, ``_`` and itself in LIKE patterns.
LIKE_ESCAPE = "!"


class SQLMarker:
    """A compiled element standing in for ``%s`` in Django-style ``(sql, params)``."""

    __slots__ = ("element",)

    def __init__(self, element: Any) -> None:
        self.element = element

    def __repr__(self) -> str:
        return f"SQLMarker({self.element})"


class SQLTemplate(ColumnElement[Any]):
    """SQL text with compiled elements between its parts: ``parts[0] e0 parts[1] e1 ...``."""

    __visit_name__ = "fastjango_sql_template"
    inherit_cache = True
    _traverse_internals = [
        ("parts", InternalTraversal.dp_string_list),
        ("elements", InternalTraversal.dp_clauseelement_list),
        ("type", InternalTraversal.dp_type),
    ]

    def __init__(self, parts: list[str], elements: list[Any], type_: Any = None) -> None:
        self.parts = tuple(parts)
        self.elements = tuple(elements)
        self.type = sa.types.to_instance(type_)

    def self_group(self, against: Any = None) -> Any:
        return sa.sql.elements.Grouping(self) if against is not None else self


@compiles(SQLTemplate)
def _compile_template(element: SQLTemplate, compiler: Any, **kw: Any) -> str:
    out = []
    for index, part in enumerate(element.parts):
        out.append(compiler.post_process_text(part))
        if index < len(element.elements):
            out.append(compiler.process(element.elements[index], **kw))
    return "".join(out)


_PLACEHOLDER = re.compile(r"%s|%%")


def split_template(sql: str) -> list[str]:
    """Split Django-style SQL at its ``%s`` placeholders (``%%`` is a literal ``%``)."""
    parts: list[str] = []
    current: list[str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(sql):
        current.append(sql[position : match.start()])
        if match.group() == "%%":
            current.append("%")
        else:
            parts.append("".join(current))
            current = []
        position = match.end()
    current.append(sql[position:])
    parts.append("".join(current))
    return parts


def template(parts: list[str], elements: list[Any], type_: Any = None) -> SQLTemplate:
    """Return ``SQLTemplate(parts, elements)``, checking that they interleave."""
    if len(parts) != len(elements) + 1:
        raise ValueError(
            f"The SQL has {len(parts) - 1} placeholder(s) but {len(elements)} parameter(s)."
        )
    return SQLTemplate(parts, elements, type_)


# -- LIKE --------------------------------------------------------------------------


def escape_like(value: str) -> str:
    """Return ``value`` with LIKE's wildcards (and the escape character) escaped."""
    return (
        value.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )


def escape_like_expr(expr: Any) -> Any:
    """Return SQL that escapes LIKE's wildcards in a computed value."""
    escaped = sa.func.replace(expr, LIKE_ESCAPE, LIKE_ESCAPE * 2)
    escaped = sa.func.replace(escaped, "%", LIKE_ESCAPE + "%")
    return sa.func.replace(escaped, "_", LIKE_ESCAPE + "_")


def like(
    compiler: SQLCompiler, lhs: Any, pattern: Any, case_sensitive: bool, exact: bool = False
) -> Any:
    """Return ``lhs LIKE pattern`` with Django's case rules for the database.

    SQLite's LIKE ignores ASCII case either way (as in Django); MySQL's
    case-sensitive form is ``LIKE BINARY``; PostgreSQL's insensitive one is
    ``ILIKE`` (``UPPER() = UPPER()`` for ``iexact``).
    """
    vendor = compiler.vendor
    if vendor == "postgresql":
        if case_sensitive:
            return lhs.like(pattern, escape=LIKE_ESCAPE)
        if exact:
            return sa.func.upper(lhs) == sa.func.upper(_unescape_exact(pattern))
        return lhs.ilike(pattern, escape=LIKE_ESCAPE)
    if vendor == "mysql" and case_sensitive:
        return template(
            ["", " LIKE BINARY ", f" ESCAPE '{LIKE_ESCAPE}'"], [lhs, pattern], sa.Boolean()
        )
    return lhs.like(pattern, escape=LIKE_ESCAPE)


def _unescape_exact(pattern: Any) -> Any:
    # iexact on PostgreSQL compares UPPER() of both sides: no escaping wanted.
    value = getattr(pattern, "value", None)
    if isinstance(value, str):
        unescaped = re.sub(re.escape(LIKE_ESCAPE) + "(.)", r"\1", value)
        return sa.bindparam(None, unescaped, type_=sa.String(), unique=True)
    return pattern


def regex(compiler: SQLCompiler, lhs: Any, pattern: Any, case_sensitive: bool) -> Any:
    """Return "``lhs`` matches the regular expression ``pattern``"."""
    vendor = compiler.vendor
    if vendor == "postgresql":
        op = "~" if case_sensitive else "~*"
        return lhs.op(op, return_type=sa.Boolean())(pattern)
    if vendor == "mysql":
        if getattr(compiler.connection, "mysql_is_mariadb", True):
            if case_sensitive:
                return template(["", " REGEXP BINARY ", ""], [lhs, pattern], sa.Boolean())
            return template(["", " REGEXP ", ""], [lhs, pattern], sa.Boolean())
        flags = "'c'" if case_sensitive else "'i'"
        return template(["REGEXP_LIKE(", ", ", f", {flags})"], [lhs, pattern], sa.Boolean())
    if not case_sensitive:
        pattern = sa.literal("(?i)").concat(pattern)
    return template(["", " REGEXP ", ""], [lhs, pattern], sa.Boolean())


def as_text(compiler: SQLCompiler, element: Any, field: Any) -> Any:
    """Return ``element`` as text for a text lookup (PostgreSQL needs the cast)."""
    if compiler.vendor != "postgresql" or field is None:
        return element
    if field.get_internal_type() in ("CharField", "TextField", "EmailField", "SlugField"):
        return element
    return sa.cast(element, sa.Text())


def native_uuid(compiler: SQLCompiler) -> bool:
    """Return whether UUIDs are a native type (PostgreSQL, MariaDB) rather than CHAR(32)."""
    if compiler.vendor == "postgresql":
        return True
    return compiler.vendor == "mysql" and bool(
        getattr(compiler.connection, "mysql_is_mariadb", False)
    )


def uuid_text(compiler: SQLCompiler, element: Any) -> Any:
    """Return a UUID column as text for text lookups (with hyphens where it is native)."""
    if compiler.vendor == "postgresql":
        return sa.cast(element, sa.Text())
    if native_uuid(compiler):
        return sa.cast(element, sa.CHAR())
    return sa.type_coerce(element, sa.String())


def concat(compiler: SQLCompiler, *parts: Any) -> Any:
    """Return the parts concatenated (``||`` or ``CONCAT()``)."""
    result = parts[0]
    for part in parts[1:]:
        result = result.concat(part)
    return result


def random(compiler: SQLCompiler) -> Any:
    """Return a random value, for ``order_by("?")``."""
    if compiler.vendor == "mysql":
        return sa.func.rand()
    return sa.func.random()


# -- arithmetic -------------------------------------------------------------------------

_PRECEDENCE = {"+": 7, "-": 7, "*": 8, "/": 8, "&": 6, "|": 6, "<<": 6, ">>": 6, "#": 6}


def _group(element: Any) -> Any:
    if isinstance(element, sa.sql.elements.BinaryExpression | SQLTemplate):
        return sa.sql.elements.Grouping(element)
    return element


def combine(compiler: SQLCompiler, connector: str, lhs: Any, rhs: Any, type_: Any) -> Any:
    """Return ``lhs <connector> rhs`` with Django's operator semantics."""
    if connector == "^":
        return sa.func.power(lhs, rhs, type_=type_)
    if connector == "%%":
        return sa.func.mod(lhs, rhs, type_=type_)
    if connector == "#":
        if compiler.vendor == "postgresql":
            return _group(lhs).op("#", return_type=type_)(_group(rhs))
        if compiler.vendor == "mysql":
            return _group(lhs).op("^", return_type=type_)(_group(rhs))
        either = _group(lhs).op("|", return_type=type_)(_group(rhs))
        both = _group(lhs).op("&", return_type=type_)(_group(rhs))
        return _group(either).op("-", return_type=type_)(_group(both))
    precedence = _PRECEDENCE.get(connector, 0)
    return _group(lhs).op(connector, precedence=precedence, return_type=type_)(_group(rhs))


def duration_arithmetic(compiler: SQLCompiler, expression: Any) -> Any:
    """Return a date, datetime or time plus or minus a duration."""
    lhs_field = getattr(expression.lhs, "_output_field_or_none", None)
    rhs_field = getattr(expression.rhs, "_output_field_or_none", None)
    lhs = compiler.sa(expression.lhs)
    rhs = compiler.sa(expression.rhs)
    connector = expression.connector
    lhs_type = lhs_field.get_internal_type() if lhs_field is not None else None
    if lhs_type == "DurationField" and connector == "+":
        # duration + datetime: put the temporal value first.
        lhs, rhs = rhs, lhs
        lhs_type = rhs_field.get_internal_type() if rhs_field is not None else None
    result_type = expression.sa_type()
    vendor = compiler.vendor
    if vendor == "postgresql":
        value = _group(lhs).op(connector, return_type=result_type)(_group(rhs))
        if lhs_type == "DateField":
            return sa.cast(value, sa.Date())
        if lhs_type == "TimeField":
            return sa.cast(value, sa.Time())
        return value
    if vendor == "mysql":
        function = "DATE_ADD(" if connector == "+" else "DATE_SUB("
        if lhs_type == "TimeField":
            function = "ADDTIME(" if connector == "+" else "SUBTIME("
            return template([function, ", SEC_TO_TIME(", " / 1000000.0))"], [lhs, rhs], result_type)
        value = template([function, ", INTERVAL ", " MICROSECOND)"], [lhs, rhs], result_type)
        if lhs_type == "DateField":
            return sa.type_coerce(sa.func.date(value), result_type)
        return value
    return sa.func.fj_format_dtdelta(
        sa.literal(connector), lhs, rhs, sa.literal(lhs_type or ""), type_=result_type
    )


def temporal_subtraction(compiler: SQLCompiler, expression: Any) -> Any:
    """Return the duration between two dates, datetimes or times."""
    field = expression.lhs.output_field
    kind = field.get_internal_type()
    lhs = compiler.sa(expression.lhs)
    rhs = compiler.sa(expression.rhs)
    duration = _types.DurationType()
    vendor = compiler.vendor
    if vendor == "postgresql":
        if kind == "DateField":
            return sa.type_coerce(
                sa.literal_column("interval '1 day'").op("*", return_type=duration)(
                    sa.sql.elements.Grouping(lhs.op("-")(rhs))
                ),
                duration,
            )
        return _group(lhs).op("-", return_type=duration)(_group(rhs))
    if vendor == "mysql":
        if kind == "TimeField":
            return template(
                [
                    "((TIME_TO_SEC(",
                    ") * 1000000 + MICROSECOND(",
                    ")) - (TIME_TO_SEC(",
                    ") * 1000000 + MICROSECOND(",
                    ")))",
                ],
                [lhs, lhs, rhs, rhs],
                duration,
            )
        return template(["TIMESTAMPDIFF(MICROSECOND, ", ", ", ")"], [rhs, lhs], duration)
    if kind == "TimeField":
        return sa.func.fj_time_diff(lhs, rhs, type_=duration)
    return sa.func.fj_timestamp_diff(lhs, rhs, type_=duration)
