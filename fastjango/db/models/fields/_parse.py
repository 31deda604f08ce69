"""Parse date, time, datetime and duration strings the way Django's fields accept them."""

from __future__ import annotations

import datetime
import re

__all__ = ["parse_date", "parse_datetime", "parse_duration", "parse_time"]

_STANDARD_DURATION = re.compile(
    r"^"
    r"(?:(?P<days>-?\d+) (days?, )?)?"
    r"(?P<sign>-?)"
    r"((?:(?P<hours>\d+):)(?=\d+:\d+))?"
    r"(?:(?P<minutes>\d+):)?"
    r"(?P<seconds>\d+)"
    r"(?:[.,](?P<microseconds>\d{1,6})\d{0,6})?"
    r"$"
)
_ISO8601_DURATION = re.compile(
    r"^(?P<sign>[-+]?)"
    r"P"
    r"(?:(?P<days>\d+([.,]\d+)?)D)?"
    r"(?:T"
    r"(?:(?P<hours>\d+([.,]\d+)?)H)?"
    r"(?:(?P<minutes>\d+([.,]\d+)?)M)?"
    r"(?:(?P<seconds>\d+([.,]\d+)?)S)?"
    r")?"
    r"$"
)
_POSTGRES_INTERVAL = re.compile(
    r"^"
    r"(?:(?P<days>-?\d+) (days? ?))?"
    r"(?:(?P<sign>[-+])?"
    r"(?P<hours>\d+):"
    r"(?P<minutes>\d\d):"
    r"(?P<seconds>\d\d)"
    r"(?:\.(?P<microseconds>\d{1,6}))?"
    r")?$"
)


def parse_date(value: str) -> datetime.date | None:
    """Return the date in an ISO string, or None when it isn't well formatted.

    Raise ValueError for a well-formatted but impossible date.
    """
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        match = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", value)
        if match is None:
            return None
        return datetime.date(*(int(part) for part in match.groups()))


def parse_time(value: str) -> datetime.time | None:
    """Return the time in an ISO string (offsets dropped), or None when not well formatted."""
    try:
        return datetime.time.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        match = re.match(r"^(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6})\d{0,6})?)?$", value)
        if match is None:
            return None
        hour, minute, second, micro = match.groups()
        return datetime.time(
            int(hour), int(minute), int(second or 0), int((micro or "0").ljust(6, "0"))
        )


def parse_datetime(value: str) -> datetime.datetime | None:
    """Return the datetime in an ISO string (aware if it has an offset), or None."""
    try:
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        pass
    match = re.match(
        r"^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{1,2})"
        r"(?::(\d{1,2})(?:[.,](\d{1,6})\d{0,6})?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$",
        value,
    )
    if match is None:
        return None
    year, month, day, hour, minute, second, micro, tz = match.groups()
    tzinfo: datetime.tzinfo | None = None
    if tz == "Z":
        tzinfo = datetime.UTC
    elif tz:
        sign = -1 if tz[0] == "-" else 1
        digits = tz[1:].replace(":", "")
        offset = int(digits[:2]) * 60 + int(digits[2:4] or 0)
        tzinfo = datetime.timezone(datetime.timedelta(minutes=sign * offset))
    return datetime.datetime(
        int(year),
        int(month),
        int(day),
        int(hour),
        int(minute),
        int(second or 0),
        int((micro or "0").ljust(6, "0")),
        tzinfo=tzinfo,
    )


def parse_duration(value: str) -> datetime.timedelta | None:
    """Return the duration in ``"%d %H:%M:%S.%f"``, ISO 8601 or PostgreSQL form, or None."""
    match = (
        _STANDARD_DURATION.match(value)
        or _ISO8601_DURATION.match(value)
        or _POSTGRES_INTERVAL.match(value)
    )
    if not match:
        return None
    kw = match.groupdict()
    sign = -1 if kw.pop("sign", "+") == "-" else 1
    if kw.get("microseconds"):
        kw["microseconds"] = kw["microseconds"].ljust(6, "0")
    parts = {k: float(v.replace(",", ".")) for k, v in kw.items() if v is not None}
    days = datetime.timedelta(days=parts.pop("days", 0.0))
    if match.re is _ISO8601_DURATION:
        days *= sign
    return days + sign * datetime.timedelta(**parts)
