"""Python functions SQLite lacks, registered on every new SQLite connection.

``REGEXP``, date arithmetic and date parts in a time zone, a few string and
hash functions and the statistical aggregates, as Django registers them. Both
the sync (sqlite3) and the async (aiosqlite) connections get them.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import math
import random as _random
import re
import statistics
import zoneinfo
from collections.abc import Callable
from typing import Any

__all__ = ["register_functions"]


def _parse_datetime(value: Any) -> datetime.datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value
    text = str(value)
    try:
        parsed = datetime.datetime.fromisoformat(text)
    except ValueError:
        try:
            return datetime.datetime.combine(
                datetime.date.fromisoformat(text[:10]), datetime.time()
            )
        except ValueError:
            return None
    return parsed


def _parse_time(value: Any) -> datetime.time | None:
    if value is None:
        return None
    try:
        return datetime.time.fromisoformat(str(value))
    except ValueError:
        parsed = _parse_datetime(value)
        return parsed.time() if parsed is not None else None


def _in_zone(dt: datetime.datetime | None, tzname: str | None) -> datetime.datetime | None:
    if dt is None or not tzname:
        return dt
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=datetime.UTC)
    return dt.astimezone(_zone(tzname)).replace(tzinfo=None)


@functools.lru_cache
def _zone(name: str) -> datetime.tzinfo:
    if name.upper() == "UTC":
        return datetime.UTC
    match = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", name)
    if match:
        sign = -1 if match.group(1) == "-" else 1
        offset = datetime.timedelta(hours=int(match.group(2)), minutes=int(match.group(3)))
        return datetime.timezone(sign * offset)
    return zoneinfo.ZoneInfo(name)


def _extract(lookup_type: str, dt: Any) -> int | None:
    if dt is None:
        return None
    if lookup_type == "week_day":
        return int(dt.isoweekday() % 7) + 1
    if lookup_type == "iso_week_day":
        return int(dt.isoweekday())
    if lookup_type == "week":
        return int(dt.isocalendar()[1])
    if lookup_type == "quarter":
        return int(math.ceil(dt.month / 3))
    if lookup_type == "iso_year":
        return int(dt.isocalendar()[0])
    return int(getattr(dt, lookup_type))


def datetime_extract(lookup_type: str, value: Any, tzname: str | None) -> int | None:
    """Return one part of a datetime, seen in ``tzname``."""
    return _extract(lookup_type, _in_zone(_parse_datetime(value), tzname))


def date_extract(lookup_type: str, value: Any) -> int | None:
    """Return one part of a date."""
    parsed = _parse_datetime(value)
    return _extract(lookup_type, parsed.date() if parsed is not None else None)


def time_extract(lookup_type: str, value: Any) -> int | None:
    """Return the hour, minute or second of a time."""
    parsed = _parse_time(value)
    return _extract(lookup_type, parsed)


def _trunc(kind: str, dt: datetime.datetime) -> datetime.datetime:
    if kind == "year":
        return dt.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    if kind == "quarter":
        month = (dt.month - 1) // 3 * 3 + 1
        return dt.replace(month=month, day=1, hour=0, minute=0, second=0, microsecond=0)
    if kind == "month":
        return dt.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if kind == "week":
        start = dt - datetime.timedelta(days=dt.weekday())
        return start.replace(hour=0, minute=0, second=0, microsecond=0)
    if kind == "day":
        return dt.replace(hour=0, minute=0, second=0, microsecond=0)
    if kind == "hour":
        return dt.replace(minute=0, second=0, microsecond=0)
    if kind == "minute":
        return dt.replace(second=0, microsecond=0)
    if kind == "second":
        return dt.replace(microsecond=0)
    raise ValueError(f"Unsupported truncation kind {kind!r}.")


def datetime_trunc(kind: str, value: Any, tzname: str | None) -> str | None:
    """Return a datetime truncated to ``kind``, in ``tzname`` (as SQLite text)."""
    dt = _in_zone(_parse_datetime(value), tzname)
    if dt is None:
        return None
    return _trunc(kind, dt).strftime("%Y-%m-%d %H:%M:%S.%f")


def date_trunc(kind: str, value: Any, tzname: str | None) -> str | None:
    """Return a date truncated to ``kind`` (as SQLite text)."""
    dt = _in_zone(_parse_datetime(value), tzname)
    if dt is None:
        return None
    return _trunc(kind, dt).date().isoformat()


def time_trunc(kind: str, value: Any, tzname: str | None) -> str | None:
    """Return a time truncated to the hour, minute or second (as SQLite text)."""
    parsed = _parse_time(value)
    if parsed is None:
        return None
    dt = _trunc(kind, datetime.datetime.combine(datetime.date(2000, 1, 1), parsed))
    return dt.time().strftime("%H:%M:%S.%f")


def datetime_cast_date(value: Any, tzname: str | None) -> str | None:
    """Return the date of a datetime in ``tzname``."""
    dt = _in_zone(_parse_datetime(value), tzname)
    return dt.date().isoformat() if dt is not None else None


def datetime_cast_time(value: Any, tzname: str | None) -> str | None:
    """Return the time of a datetime in ``tzname``."""
    dt = _in_zone(_parse_datetime(value), tzname)
    return dt.time().strftime("%H:%M:%S.%f") if dt is not None else None


def _as_delta(value: Any) -> datetime.timedelta | datetime.datetime | None:
    if value is None:
        return None
    if isinstance(value, int | float):
        return datetime.timedelta(microseconds=int(value))
    return _parse_datetime(value)


def format_dtdelta(connector: str, lhs: Any, rhs: Any, lhs_type: str) -> str | None:
    """Return ``lhs ± rhs`` where one side is a duration in microseconds."""
    if lhs is None or rhs is None:
        return None
    if lhs_type == "TimeField":
        time = _parse_time(lhs)
        if time is None:
            return None
        base = datetime.datetime.combine(datetime.date(2000, 1, 1), time)
        delta = datetime.timedelta(microseconds=int(rhs))
        result = base + delta if connector == "+" else base - delta
        return result.time().strftime("%H:%M:%S.%f")
    left = _as_delta(lhs)
    right = _as_delta(rhs)
    if left is None or right is None:
        return None
    out: Any = left + right if connector == "+" else left - right  # type: ignore[operator]
    if isinstance(out, datetime.timedelta):
        return str((out.days * 86400 + out.seconds) * 1_000_000 + out.microseconds)
    if lhs_type == "DateField":
        return str(out.date().isoformat())
    return str(out.strftime("%Y-%m-%d %H:%M:%S.%f"))


def timestamp_diff(lhs: Any, rhs: Any) -> int | None:
    """Return ``lhs - rhs`` in microseconds (dates or datetimes)."""
    left, right = _parse_datetime(lhs), _parse_datetime(rhs)
    if left is None or right is None:
        return None
    delta = left - right
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def time_diff(lhs: Any, rhs: Any) -> int | None:
    """Return ``lhs - rhs`` in microseconds (times)."""
    left, right = _parse_time(lhs), _parse_time(rhs)
    if left is None or right is None:
        return None
    day = datetime.date(2000, 1, 1)
    delta = datetime.datetime.combine(day, left) - datetime.datetime.combine(day, right)
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def regexp(pattern: Any, value: Any) -> bool | None:
    """Return whether ``value`` matches ``pattern`` (``x REGEXP y`` calls ``regexp(y, x)``)."""
    if pattern is None or value is None:
        return None
    return bool(re.search(str(pattern), str(value)))


def _null_safe(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def inner(*args: Any) -> Any:
        if any(arg is None for arg in args):
            return None
        return func(*args)

    return inner


def _lpad(text: str, length: int, fill: str) -> str:
    length = int(length)
    if length <= len(text):
        return text[:length]
    return (fill * length)[: length - len(text)] + text


def _rpad(text: str, length: int, fill: str) -> str:
    return (text + fill * int(length))[: int(length)]


def _hash(name: str) -> Callable[[Any], str]:
    def digest(value: Any) -> str:
        return hashlib.new(name, str(value).encode()).hexdigest()

    return digest


class _Statistic:
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.values: list[float] = []

    def step(self, value: Any) -> None:
        if value is not None:
            self.values.append(float(value))

    def finalize(self) -> float | None:
        try:
            if self.kind == "stddev_pop":
                return statistics.pstdev(self.values)
            if self.kind == "stddev_samp":
                return statistics.stdev(self.values)
            if self.kind == "var_pop":
                return statistics.pvariance(self.values)
            return statistics.variance(self.values)
        except statistics.StatisticsError:
            return None


def _aggregate_class(kind: str) -> type:
    return type(kind, (_Statistic,), {"__init__": lambda self: _Statistic.__init__(self, kind)})


FUNCTIONS: list[tuple[str, int, Callable[..., Any]]] = [
    ("regexp", 2, regexp),
    ("fj_format_dtdelta", 4, format_dtdelta),
    ("fj_timestamp_diff", 2, timestamp_diff),
    ("fj_time_diff", 2, time_diff),
    ("fj_datetime_extract", 3, datetime_extract),
    ("fj_date_extract", 2, date_extract),
    ("fj_time_extract", 2, time_extract),
    ("fj_datetime_trunc", 3, datetime_trunc),
    ("fj_date_trunc", 3, date_trunc),
    ("fj_time_trunc", 3, time_trunc),
    ("fj_datetime_cast_date", 2, datetime_cast_date),
    ("fj_datetime_cast_time", 2, datetime_cast_time),
    ("cot", 1, _null_safe(lambda x: 1 / math.tan(x))),
    ("rand", 0, _random.random),
    ("lpad", 3, _null_safe(_lpad)),
    ("rpad", 3, _null_safe(_rpad)),
    ("repeat", 2, _null_safe(lambda text, count: str(text) * int(count))),
    ("reverse", 1, _null_safe(lambda text: str(text)[::-1])),
    ("md5", 1, _null_safe(_hash("md5"))),
    ("sha1", 1, _null_safe(_hash("sha1"))),
    ("sha224", 1, _null_safe(_hash("sha224"))),
    ("sha256", 1, _null_safe(_hash("sha256"))),
    ("sha384", 1, _null_safe(_hash("sha384"))),
    ("sha512", 1, _null_safe(_hash("sha512"))),
]
AGGREGATES = ["stddev_pop", "stddev_samp", "var_pop", "var_samp"]


def register_functions(dbapi_connection: Any, is_async: bool) -> None:
    """Register the functions on a new SQLite connection (sqlite3 or aiosqlite's)."""
    if is_async:
        from sqlalchemy.util import await_

        inner = dbapi_connection._connection  # the aiosqlite.Connection
        for name, nargs, func in FUNCTIONS:
            await_(
                inner._execute(
                    inner._conn.create_function, name, nargs, func, deterministic=name != "rand"
                )
            )
        for name in AGGREGATES:
            await_(inner._execute(inner._conn.create_aggregate, name, 1, _aggregate_class(name)))
        return
    for name, nargs, func in FUNCTIONS:
        dbapi_connection.create_function(name, nargs, func, deterministic=name != "rand")
    for name in AGGREGATES:
        dbapi_connection.create_aggregate(name, 1, _aggregate_class(name))


def _on_connection_created(
    sender: Any, connection: Any, dbapi_connection: Any, is_async: bool = False, **kwargs: Any
) -> None:
    if getattr(connection, "vendor", None) == "sqlite":
        register_functions(dbapi_connection, is_async)


def connect_signal() -> None:
    """Register the functions on every SQLite connection the database layer opens."""
    from fastjango.db.backends.signals import connection_created

    connection_created.connect(_on_connection_created, dispatch_uid="fastjango.db.models.sqlite")
