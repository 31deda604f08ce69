"""SQLAlchemy column types that store values the way Django stores them.

Each type picks the column type per dialect and converts Python values
where the driver doesn't: aware datetimes in UTC on backends without time
zones, durations as microseconds, decimals on SQLite.
"""

from __future__ import annotations

import datetime
import decimal
import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine, UserDefinedType

__all__ = [
    "BinaryType",
    "CoerceFloat",
    "CoerceInteger",
    "DateTimeType",
    "DecimalType",
    "DurationType",
    "JSONType",
    "RawDbType",
    "SQLiteJSONValueType",
    "TimeType",
]


def _use_tz() -> bool:
    from fastjango.conf import settings

    return bool(settings.USE_TZ)


class DateTimeType(TypeDecorator[datetime.datetime]):
    """``timestamp with time zone`` on PostgreSQL, UTC without a zone elsewhere (as Django)."""

    impl = sa.DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.TIMESTAMP(timezone=True))
        if dialect.name in ("mysql", "mariadb"):
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(sa.DateTime())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if not isinstance(value, datetime.datetime):
            return value
        if value.tzinfo is not None and value.utcoffset() is not None:
            if dialect.name == "postgresql":
                return value
            if not _use_tz():
                raise ValueError(
                    f"{dialect.name} does not support timezone-aware datetimes when USE_TZ is "
                    "False."
                )
            return value.astimezone(datetime.UTC).replace(tzinfo=None)
        if dialect.name == "postgresql" and _use_tz():
            return value.replace(tzinfo=datetime.UTC)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if not isinstance(value, datetime.datetime):
            return value
        if _use_tz():
            if value.tzinfo is None:
                return value.replace(tzinfo=datetime.UTC)
            return value.astimezone(datetime.UTC)
        if value.tzinfo is not None:
            from fastjango.utils import timezone

            return timezone.make_naive(value, timezone.get_default_timezone())
        return value


class TimeType(TypeDecorator[datetime.time]):
    """``time`` with microseconds on every backend."""

    impl = sa.Time
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name in ("mysql", "mariadb"):
            return dialect.type_descriptor(mysql.TIME(fsp=6))
        return dialect.type_descriptor(sa.Time())

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        # MySQL drivers return TIME columns as timedelta.
        if isinstance(value, datetime.timedelta):
            seconds = int(value.total_seconds())
            return datetime.time(
                seconds // 3600 % 24, seconds // 60 % 60, seconds % 60, value.microseconds
            )
        return value


class DurationType(TypeDecorator[datetime.timedelta]):
    """``interval`` on PostgreSQL, a bigint of microseconds elsewhere (as Django)."""

    impl = sa.BigInteger
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.INTERVAL())
        return dialect.type_descriptor(sa.BigInteger())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None or dialect.name == "postgresql":
            return value
        if isinstance(value, datetime.timedelta):
            return (value.days * 86400 + value.seconds) * 1_000_000 + value.microseconds
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None or isinstance(value, datetime.timedelta):
            return value
        return datetime.timedelta(microseconds=int(value))


class DecimalType(TypeDecorator[decimal.Decimal]):
    """``numeric(max_digits, decimal_places)``; SQLite values are quantized on the way out."""

    impl = sa.Numeric
    cache_ok = True

    def __init__(self, max_digits: int | None = None, decimal_places: int | None = None):
        super().__init__(precision=max_digits, scale=decimal_places, asdecimal=True)
        self.max_digits = max_digits
        self.decimal_places = decimal_places

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(
                sa.Numeric(self.max_digits, self.decimal_places, asdecimal=False)
            )
        return dialect.type_descriptor(
            sa.Numeric(self.max_digits, self.decimal_places, asdecimal=True)
        )

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if dialect.name == "sqlite" and isinstance(value, decimal.Decimal):
            return str(value)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None or isinstance(value, decimal.Decimal) and dialect.name != "sqlite":
            return value
        if isinstance(value, float):
            result = decimal.Context(prec=15).create_decimal_from_float(value)
        else:
            result = decimal.Decimal(str(value))
        if self.decimal_places is not None:
            context = decimal.Context(prec=self.max_digits or 28)
            result = result.quantize(
                decimal.Decimal(1).scaleb(-self.decimal_places), context=context
            )
        return result


class BinaryType(TypeDecorator[bytes]):
    """``bytea`` / ``longblob`` / ``blob``; always read as ``bytes``."""

    impl = sa.LargeBinary
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name in ("mysql", "mariadb"):
            return dialect.type_descriptor(mysql.LONGBLOB())
        return dialect.type_descriptor(sa.LargeBinary())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if isinstance(value, memoryview | bytearray):
            return bytes(value)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if isinstance(value, memoryview | bytearray):
            return bytes(value)
        return value


class JSONType(TypeDecorator[Any]):
    """``jsonb`` on PostgreSQL, ``json`` on MySQL/MariaDB, text on SQLite.

    Python ``None`` is SQL NULL, as in Django. A field's ``encoder``/``decoder``
    (``json.JSONEncoder``/``JSONDecoder`` subclasses) are honoured.
    """

    impl = sa.JSON
    cache_ok = True

    def __init__(self, encoder: Any = None, decoder: Any = None) -> None:
        super().__init__(none_as_null=True)
        self.encoder = encoder
        self.decoder = decoder

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.JSONB(none_as_null=True))
        return dialect.type_descriptor(sa.JSON(none_as_null=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if self.encoder is not None and value is not None and value is not sa.JSON.NULL:
            return json.loads(json.dumps(value, cls=self.encoder))
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if self.decoder is not None and value is not None:
            return json.loads(json.dumps(value), cls=self.decoder)
        return value

    def coerce_compared_value(self, op: Any, value: Any) -> Any:
        return self.impl_instance.coerce_compared_value(op, value)


class SQLiteJSONValueType(TypeDecorator[Any]):
    """What SQLite's ``json_extract()`` returns: SQL values for scalars, JSON text otherwise.

    As Django does, a value that doesn't parse as JSON (an extracted string) is
    returned as it is.
    """

    impl = sa.Text
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value


class RawDbType(UserDefinedType[Any]):
    """A column type given as SQL text (a custom field's ``db_type()``)."""

    cache_ok = True

    def __init__(self, sql: str) -> None:
        self.sql = sql

    def get_col_spec(self, **kw: Any) -> str:
        return self.sql


class CoerceInteger(TypeDecorator[int]):
    """An integer computed by the database (``SUM()`` is a decimal on MySQL): read as int."""

    impl = sa.BigInteger
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else int(value)


class CoerceFloat(TypeDecorator[float]):
    """A float computed by the database (``AVG()`` may be a decimal): read as float."""

    impl = sa.Double
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else float(value)
