"""Parse dates, times, datetimes and durations from strings, with Django's names and rules.

Each function returns ``None`` when the string is not in a format it knows, and
raises ``ValueError`` when it is well formatted but names an impossible value
(``"2023-02-30"``).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from fastjango.utils.timezone import get_fixed_timezone

__all__ = [
    "date_re",
    "datetime_re",
    "iso8601_duration_re",
    "parse_date",
    "parse_datetime",
    "parse_duration",
    "parse_time",
    "postgres_interval_re",
    "standard_duration_re",
    "time_re",
]

# Looser than ISO 8601 (one-digit months, days and hours; "," before the fraction;
# blanks before the offset), as Django accepts; fromisoformat() handles the rest.
_DATE = r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
_TIME = (
    r"(?P<hour>\d{1,2}):(?P<minute>\d{1,2})"
    r"(?::(?P<second>\d{1,2})(?:[.,](?P<microsecond>\d{1,6})\d{0,6})?)?"
)
date_re = re.compile(_DATE + r"$")
time_re = re.compile(_TIME + r"$")
datetime_re = re.compile(_DATE + r"[T ]" + _TIME + r"\s*(?P<tzinfo>Z|[+-]\d{2}(?::?\d{2})?)?$")

# "DD HH:MM:SS.uuuuuu", the format str(timedelta) and Django write durations in.
standard_duration_re = re.compile(
    r"^(?:(?P<days>-?\d+) (?:days?, )?)?"
    r"(?P<sign>-?)"
    r"(?:(?P<hours>\d+):(?=\d+:\d+))?"
    r"(?:(?P<minutes>\d+):)?"
    r"(?P<seconds>\d+)"
    r"(?:[.,](?P<microseconds>\d{1,6})\d{0,6})?$"
)
# ISO 8601's "P4DT1H15M20S", the parts a timedelta can hold (no years or months).
iso8601_duration_re = re.compile(
    r"^(?P<sign>[-+]?)P"
    r"(?:(?P<days>\d+(?:[.,]\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:[.,]\d+)?)H)?"
    r"(?:(?P<minutes>\d+(?:[.,]\d+)?)M)?"
    r"(?:(?P<seconds>\d+(?:[.,]\d+)?)S)?)?$"
)
# PostgreSQL's day-time interval output, e.g. "3 days 04:05:06".
postgres_interval_re = re.compile(
    r"^(?:(?P<days>-?\d+) (?:days? ?))?"
    r"(?:(?P<sign>[-+])?(?P<hours>\d+):(?P<minutes>\d\d):(?P<seconds>\d\d)"
    r"(?:\.(?P<microseconds>\d{1,6}))?)?$"
)


def _fields(parts: dict[str, str | None]) -> dict[str, Any]:
    fraction = parts.get("microsecond")
    if fraction:
        # A fraction of a second: "5" is 500000 microseconds.
        parts["microsecond"] = fraction.ljust(6, "0")
    return {name: int(value) for name, value in parts.items() if value is not None}


def parse_date(value: str) -> datetime.date | None:
    """Return the ``date`` that ``value`` (``"2024-1-31"``, ``"2024-01-31"``) describes."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        match = date_re.match(value)
        return datetime.date(**_fields(match.groupdict())) if match else None


def parse_time(value: str) -> datetime.time | None:
    """Return the naive ``time`` that ``value`` (``"4:05"``, ``"04:05:06.789"``) describes.

    A time zone offset in the string is dropped: an aware time has no meaning
    without a date.
    """
    try:
        return datetime.time.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        match = time_re.match(value)
        return datetime.time(**_fields(match.groupdict())) if match else None


def parse_datetime(value: str) -> datetime.datetime | None:
    """Return the ``datetime`` that ``value`` describes, aware when it carries an offset.

    ``"2024-01-31 04:05:06+02:00"`` gives a datetime with a fixed UTC offset;
    ``Z`` means UTC.
    """
    try:
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        pass
    match = datetime_re.match(value)
    if match is None:
        return None
    fields = match.groupdict()
    offset_text = fields.pop("tzinfo")
    tzinfo: datetime.tzinfo | None = None
    if offset_text == "Z":
        tzinfo = datetime.UTC
    elif offset_text is not None:
        minutes = 60 * int(offset_text[1:3])
        if len(offset_text) > 3:
            minutes += int(offset_text[-2:])
        tzinfo = get_fixed_timezone(-minutes if offset_text[0] == "-" else minutes)
    return datetime.datetime(**_fields(fields), tzinfo=tzinfo)


def parse_duration(value: str) -> datetime.timedelta | None:
    """Return the ``timedelta`` that ``value`` describes.

    Accepted: Django's ``"DD HH:MM:SS.uuuuuu"`` (also with ``,`` and the
    ``"3 days, 4:05:06"`` of ``str(timedelta)``), ISO 8601 (``"P4DT1H15M20S"``)
    and PostgreSQL's day-time intervals (``"3 days 04:05:06"``).
    """
    match = (
        standard_duration_re.match(value)
        or iso8601_duration_re.match(value)
        or postgres_interval_re.match(value)
    )
    if match is None:
        return None
    parts = match.groupdict()
    sign = -1 if parts.pop("sign", None) == "-" else 1
    if parts.get("microseconds"):
        parts["microseconds"] = parts["microseconds"].ljust(6, "0")
    amounts = {
        name: float(text.replace(",", ".")) for name, text in parts.items() if text is not None
    }
    days = datetime.timedelta(days=amounts.pop("days", 0.0))
    if match.re is iso8601_duration_re:
        # In ISO 8601 the sign covers the whole duration; elsewhere days carry their own.
        days *= sign
    return days + sign * datetime.timedelta(**amounts)
