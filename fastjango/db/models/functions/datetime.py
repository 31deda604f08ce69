"""Date and time functions: ``Extract*``, ``Trunc*``, ``Now`` (and the ``__year`` etc. lookups).

With ``USE_TZ``, datetimes are seen in the current time zone (or ``tzinfo``),
as in Django: ``pub_date__day`` is the local day.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from fastjango.db.models.expressions import Func
from fastjango.db.models.fields import (
    DateField,
    DateTimeField,
    DurationField,
    IntegerField,
    TimeField,
)
from fastjango.db.models.lookups import (
    Transform,
    YearExact,
    YearGt,
    YearGte,
    YearLt,
    YearLte,
)
from fastjango.utils import timezone

if TYPE_CHECKING:
    from fastjango.db.models.sql.compiler import SQLCompiler

__all__ = [
    "Extract",
    "ExtractDay",
    "ExtractHour",
    "ExtractIsoWeekDay",
    "ExtractIsoYear",
    "ExtractMinute",
    "ExtractMonth",
    "ExtractQuarter",
    "ExtractSecond",
    "ExtractWeek",
    "ExtractWeekDay",
    "ExtractYear",
    "Now",
    "Trunc",
    "TruncDate",
    "TruncDay",
    "TruncHour",
    "TruncMinute",
    "TruncMonth",
    "TruncQuarter",
    "TruncSecond",
    "TruncTime",
    "TruncWeek",
    "TruncYear",
    "year_bounds",
]


def _use_tz() -> bool:
    from fastjango.conf import settings

    return bool(settings.USE_TZ)


def year_bounds(year: int, is_datetime: bool, iso: bool = False) -> tuple[Any, Any]:
    """Return the first and last moment of ``year`` (local time when USE_TZ is on).

    With ``iso``, the year is the ISO-8601 week-numbering year.
    """
    if iso:
        first_day = datetime.date.fromisocalendar(year, 1, 1)
        last_day = datetime.date.fromisocalendar(year + 1, 1, 1) - datetime.timedelta(days=1)
    else:
        first_day, last_day = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if not is_datetime:
        return first_day, last_day
    first = datetime.datetime.combine(first_day, datetime.time.min)
    last = datetime.datetime.combine(last_day, datetime.time.max)
    if _use_tz():
        tz = timezone.get_current_timezone()
        first = timezone.make_aware(first, tz)
        last = timezone.make_aware(last, tz)
    return first, last


class TimezoneMixin:
    """Pick the time zone datetimes are seen in: ``tzinfo``, else the current one."""

    tzinfo: Any = None

    def get_tzname(self) -> str | None:
        """Return the zone name, or None when USE_TZ is off."""
        if not _use_tz():
            return None
        if self.tzinfo is None:
            return timezone.get_current_timezone_name()
        return _tzname(self.tzinfo)


def _tzname(tz: Any) -> str:
    key = getattr(tz, "key", None)
    if key:
        return str(key)
    name = tz.tzname(None)
    if name in ("UTC", "GMT"):
        return "UTC"
    offset = tz.utcoffset(None)
    if offset is not None:
        minutes = int(offset.total_seconds() // 60)
        sign = "-" if minutes < 0 else "+"
        minutes = abs(minutes)
        return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    return str(name)


def _in_zone(compiler: SQLCompiler, element: Any, tzname: str | None) -> Any:
    """Return a datetime column as local time in ``tzname`` (PostgreSQL and MySQL)."""
    if not tzname:
        return element
    if compiler.vendor == "postgresql":
        return sa.func.timezone(tzname, element)
    if compiler.vendor == "mysql":
        if tzname.upper() == "UTC":
            return element
        return sa.func.convert_tz(element, "UTC", tzname, type_=sa.DateTime())
    return element


_PG_EXTRACT = {
    "year": "YEAR",
    "iso_year": "ISOYEAR",
    "month": "MONTH",
    "day": "DAY",
    "week": "WEEK",
    "week_day": "DOW",
    "iso_week_day": "ISODOW",
    "quarter": "QUARTER",
    "hour": "HOUR",
    "minute": "MINUTE",
    "second": "SECOND",
}


class Extract(TimezoneMixin, Transform):
    """One part of a date, time or datetime (``lookup_name``: year, month, day, ...)."""

    lookup_name: str | None = None
    output_field = IntegerField()

    def __init__(
        self, expression: Any, lookup_name: str | None = None, tzinfo: Any = None, **extra: Any
    ):
        if self.lookup_name is None:
            self.lookup_name = lookup_name
        if self.lookup_name is None:
            raise ValueError("lookup_name must be provided")
        self.tzinfo = tzinfo
        super().__init__(expression, **extra)

    def resolve_expression(self, *args: Any, **kwargs: Any) -> Any:
        copy = super().resolve_expression(*args, **kwargs)
        field = getattr(copy.lhs, "output_field", None)
        if field is None:
            return copy
        if not isinstance(field, DateField | DateTimeField | TimeField | DurationField):
            raise ValueError(
                "Extract input expression must be DateField, DateTimeField, TimeField, or "
                "DurationField."
            )
        if type(field) is DateField and copy.lookup_name in ("hour", "minute", "second"):
            raise ValueError(
                f"Cannot extract time component '{copy.lookup_name}' from DateField "
                f"'{getattr(field, 'name', field)}'."
            )
        if isinstance(field, TimeField) and copy.lookup_name in (
            "year",
            "iso_year",
            "month",
            "week",
            "week_day",
            "iso_week_day",
            "quarter",
            "day",
        ):
            raise ValueError(
                f"Cannot extract component '{copy.lookup_name}' from TimeField "
                f"'{getattr(field, 'name', field)}'."
            )
        return copy

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        from fastjango.db.models.sql import vendor

        lhs_field = self.lhs.output_field
        element = compiler.sa(self.lhs)
        lookup = str(self.lookup_name)
        result = self.sa_type()
        is_datetime = isinstance(lhs_field, DateTimeField)
        tzname = self.get_tzname() if is_datetime else None
        if isinstance(lhs_field, DurationField):
            if compiler.vendor != "postgresql":
                raise ValueError("Extract requires native DurationField database support.")
        if compiler.vendor == "sqlite":
            if is_datetime:
                return sa.func.fj_datetime_extract(lookup, element, tzname, type_=result)
            if isinstance(lhs_field, TimeField):
                return sa.func.fj_time_extract(lookup, element, type_=result)
            return sa.func.fj_date_extract(lookup, element, type_=result)
        element = _in_zone(compiler, element, tzname)
        if compiler.vendor == "postgresql":
            part = _PG_EXTRACT[lookup]
            value = vendor.template([f"EXTRACT({part} FROM ", ")"], [element], result)
            if lookup == "week_day":
                return sa.type_coerce(sa.sql.elements.Grouping(value) + 1, result)
            return value
        if lookup == "week_day":
            return sa.func.dayofweek(element, type_=result)
        if lookup == "iso_week_day":
            return sa.type_coerce(sa.func.weekday(element) + 1, result)
        if lookup == "week":
            return sa.func.week(element, 3, type_=result)
        if lookup == "iso_year":
            return vendor.template(["TRUNCATE(YEARWEEK(", ", 3), -2) / 100"], [element], result)
        return vendor.template([f"EXTRACT({lookup.upper()} FROM ", ")"], [element], result)


class ExtractYear(Extract):
    """The year."""

    lookup_name = "year"


class ExtractIsoYear(Extract):
    """The ISO-8601 week-numbering year."""

    lookup_name = "iso_year"


class ExtractMonth(Extract):
    """The month (1-12)."""

    lookup_name = "month"


class ExtractDay(Extract):
    """The day of the month."""

    lookup_name = "day"


class ExtractWeek(Extract):
    """The ISO-8601 week number."""

    lookup_name = "week"


class ExtractWeekDay(Extract):
    """The day of the week: 1 is Sunday, 7 is Saturday."""

    lookup_name = "week_day"


class ExtractIsoWeekDay(Extract):
    """The ISO-8601 day of the week: 1 is Monday, 7 is Sunday."""

    lookup_name = "iso_week_day"


class ExtractQuarter(Extract):
    """The quarter (1-4)."""

    lookup_name = "quarter"


class ExtractHour(Extract):
    """The hour."""

    lookup_name = "hour"


class ExtractMinute(Extract):
    """The minute."""

    lookup_name = "minute"


class ExtractSecond(Extract):
    """The second."""

    lookup_name = "second"


for _extract in (
    ExtractYear,
    ExtractMonth,
    ExtractDay,
    ExtractWeekDay,
    ExtractIsoWeekDay,
    ExtractWeek,
    ExtractIsoYear,
    ExtractQuarter,
):
    DateField.register_lookup(_extract)
for _time_extract in (ExtractHour, ExtractMinute, ExtractSecond):
    TimeField.register_lookup(_time_extract)
    DateTimeField.register_lookup(_time_extract)
for _year_class in (ExtractYear, ExtractIsoYear):
    for _lookup in (YearExact, YearGt, YearGte, YearLt, YearLte):
        _year_class.register_lookup(_lookup)


class Now(Func):
    """The current date and time (the statement's, on PostgreSQL)."""

    template = "CURRENT_TIMESTAMP"
    output_field = DateTimeField()

    def _uses_template(self) -> bool:
        return False

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        result = self.sa_type()
        if compiler.vendor == "postgresql":
            return sa.func.statement_timestamp(type_=result)
        if compiler.vendor == "mysql":
            return sa.func.utc_timestamp(6, type_=result)
        return sa.func.strftime("%Y-%m-%d %H:%M:%f", "now", type_=result)


class _AwareIn(TypeDecorator[datetime.datetime]):
    """A datetime computed in a time zone: naive results are made aware in it."""

    impl = sa.DateTime
    cache_ok = True

    def __init__(self, tzname: str | None) -> None:
        super().__init__()
        self.tzname = tzname

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if isinstance(value, str):
            value = datetime.datetime.fromisoformat(value)
        if not isinstance(value, datetime.datetime):
            return value
        if self.tzname is None:
            return value.replace(tzinfo=None) if value.tzinfo else value
        from fastjango.db.models.sql.sqlite_functions import _zone

        zone = _zone(self.tzname)
        if value.tzinfo is None:
            return timezone.make_aware(value, zone)
        return value.astimezone(zone)


class TruncBase(TimezoneMixin, Transform):
    """Round a date, time or datetime down to ``kind``."""

    kind: str | None = None

    def __init__(self, expression: Any, output_field: Any = None, tzinfo: Any = None, **extra: Any):
        self.tzinfo = tzinfo
        super().__init__(expression, output_field=output_field, **extra)

    def resolve_expression(self, *args: Any, **kwargs: Any) -> Any:
        copy = super().resolve_expression(*args, **kwargs)
        field = copy.lhs.output_field
        if not isinstance(field, DateField | TimeField):
            raise TypeError(
                f"{field.name!r} isn't a DateField, TimeField, or DateTimeField."
                if getattr(field, "name", None)
                else "Trunc only valid on DateField, TimeField, or DateTimeField."
            )
        output_field = copy.output_field
        has_explicit_output_field = "output_field" in copy.__dict__
        if type(field) is DateField and (
            isinstance(output_field, DateTimeField)
            or copy.kind in ("hour", "minute", "second", "time")
        ):
            raise ValueError(
                f"Cannot truncate DateField '{field.name}' to "
                f"{'DateTimeField' if has_explicit_output_field else copy.kind}. "
            )
        if isinstance(field, TimeField) and (
            isinstance(output_field, DateTimeField)
            or copy.kind in ("year", "quarter", "month", "week", "day", "date")
        ):
            raise ValueError(
                f"Cannot truncate TimeField '{field.name}' to "
                f"{'DateTimeField' if has_explicit_output_field else copy.kind}. "
            )
        return copy

    def _result_type(self, tzname: str | None) -> Any:
        output = self.output_field
        if isinstance(output, DateTimeField):
            return _AwareIn(tzname) if _use_tz() else sa.DateTime()
        return output.sa_type_instance

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        from fastjango.db.models.sql import vendor

        field = self.lhs.output_field
        output = self.output_field
        element = compiler.sa(self.lhs)
        kind = str(self.kind)
        is_datetime = isinstance(field, DateTimeField)
        tzname = self.get_tzname() if is_datetime else None
        result = self._result_type(tzname)
        if compiler.vendor == "sqlite":
            if isinstance(field, TimeField):
                return sa.func.fj_time_trunc(kind, element, tzname, type_=result)
            if isinstance(output, DateTimeField):
                return sa.func.fj_datetime_trunc(kind, element, tzname, type_=result)
            return sa.func.fj_date_trunc(kind, element, tzname, type_=result)
        local = _in_zone(compiler, element, tzname)
        if compiler.vendor == "postgresql":
            if isinstance(field, TimeField):
                shifted = vendor.template(["(DATE '2000-01-01' + ", ")"], [local])
                return sa.cast(sa.func.date_trunc(kind, shifted), sa.Time())
            truncated = sa.func.date_trunc(kind, local)
            if isinstance(output, DateTimeField):
                return sa.type_coerce(sa.cast(truncated, sa.DateTime(timezone=False)), result)
            if isinstance(output, TimeField):
                return sa.cast(truncated, sa.Time())
            return sa.cast(truncated, sa.Date())
        formats = {
            "year": "%Y-01-01 00:00:00",
            "month": "%Y-%m-01 00:00:00",
            "day": "%Y-%m-%d 00:00:00",
            "hour": "%Y-%m-%d %H:00:00",
            "minute": "%Y-%m-%d %H:%i:00",
            "second": "%Y-%m-%d %H:%i:%s",
        }
        if isinstance(field, TimeField):
            time_formats = {"hour": "%H:00:00", "minute": "%H:%i:00", "second": "%H:%i:%s"}
            return sa.cast(sa.func.time_format(local, time_formats[kind]), sa.Time())
        value: Any
        if kind == "quarter":
            value = vendor.template(
                ["MAKEDATE(YEAR(", "), 1) + INTERVAL QUARTER(", ") QUARTER - INTERVAL 1 QUARTER"],
                [local, local],
            )
        elif kind == "week":
            value = vendor.template(
                ["DATE_SUB(DATE(", "), INTERVAL WEEKDAY(", ") DAY)"], [local, local]
            )
        else:
            value = sa.func.date_format(local, formats[kind])
        if isinstance(output, DateTimeField):
            return sa.type_coerce(sa.cast(value, sa.DateTime()), result)
        return sa.cast(value, sa.Date())


class Trunc(TruncBase):
    """Truncate to ``kind`` (year, quarter, month, week, day, hour, minute, second)."""

    def __init__(
        self, expression: Any, kind: str, output_field: Any = None, tzinfo: Any = None, **extra: Any
    ):
        self.kind = kind
        super().__init__(expression, output_field=output_field, tzinfo=tzinfo, **extra)


class TruncYear(TruncBase):
    """Truncate to the year."""

    kind = "year"


class TruncQuarter(TruncBase):
    """Truncate to the quarter."""

    kind = "quarter"


class TruncMonth(TruncBase):
    """Truncate to the month."""

    kind = "month"


class TruncWeek(TruncBase):
    """Truncate to the Monday of the week."""

    kind = "week"


class TruncDay(TruncBase):
    """Truncate to the day."""

    kind = "day"


class TruncDate(TruncBase):
    """The date part of a datetime (in the current time zone)."""

    kind = "date"
    lookup_name = "date"
    output_field = DateField()

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        element = compiler.sa(self.lhs)
        tzname = self.get_tzname()
        if compiler.vendor == "sqlite":
            return sa.func.fj_datetime_cast_date(element, tzname, type_=self.sa_type())
        local = _in_zone(compiler, element, tzname)
        return sa.cast(local, sa.Date())


class TruncTime(TruncBase):
    """The time part of a datetime (in the current time zone)."""

    kind = "time"
    lookup_name = "time"
    output_field = TimeField()

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        element = compiler.sa(self.lhs)
        tzname = self.get_tzname()
        if compiler.vendor == "sqlite":
            return sa.func.fj_datetime_cast_time(element, tzname, type_=self.sa_type())
        local = _in_zone(compiler, element, tzname)
        if compiler.vendor == "mysql":
            # CAST(... AS TIME) drops the microseconds on MySQL; TIME() keeps them.
            return sa.func.time(local, type_=self.sa_type())
        return sa.type_coerce(sa.cast(local, sa.Time()), self.sa_type())


class TruncHour(TruncBase):
    """Truncate to the hour."""

    kind = "hour"


class TruncMinute(TruncBase):
    """Truncate to the minute."""

    kind = "minute"


class TruncSecond(TruncBase):
    """Truncate to the second."""

    kind = "second"


DateTimeField.register_lookup(TruncDate)
DateTimeField.register_lookup(TruncTime)
