"""PHP-style date formatting with Django's format characters.

>>> format(datetime(2003, 10, 7, 11, 39), "jS F Y H:i")
'7th October 2003 11:39'

A backslash escapes a format character: ``format(d, r"\\Y\\e\\a\\r: Y")``.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, tzinfo
from email.utils import format_datetime as _format_rfc5322
from typing import Any

from fastjango.utils.timezone import (
    _datetime_ambiguous_or_imaginary,
    get_default_timezone,
    is_naive,
    make_aware,
)

__all__ = ["DateFormat", "TimeFormat", "format", "time_format"]

MONTHS = {
    1: "January",
    2: "February",
    3: "March",
    4: "April",
    5: "May",
    6: "June",
    7: "July",
    8: "August",
    9: "September",
    10: "October",
    11: "November",
    12: "December",
}
MONTHS_3 = {number: name[:3].lower() for number, name in MONTHS.items()}
# Associated Press style abbreviations, as Django's "N" gives them.
MONTHS_AP = {
    1: "Jan.",
    2: "Feb.",
    3: "March",
    4: "April",
    5: "May",
    6: "June",
    7: "July",
    8: "Aug.",
    9: "Sept.",
    10: "Oct.",
    11: "Nov.",
    12: "Dec.",
}
WEEKDAYS = {
    0: "Monday",
    1: "Tuesday",
    2: "Wednesday",
    3: "Thursday",
    4: "Friday",
    5: "Saturday",
    6: "Sunday",
}
WEEKDAYS_ABBR = {number: name[:3] for number, name in WEEKDAYS.items()}

_re_formatchars = re.compile(r"(?<!\\)([aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ])")
_re_escaped = re.compile(r"\\(.)")
_TIME_CHARS = frozenset("aAefgGhHiOPsTuZ")


class Formatter:
    """Expand format characters by calling the method of the same name."""

    data: Any

    def format(self, formatstr: str) -> str:
        """Return ``formatstr`` with each unescaped format character replaced."""
        pieces: list[str] = []
        for index, piece in enumerate(_re_formatchars.split(str(formatstr))):
            if index % 2:
                if type(self.data) is date and piece in _TIME_CHARS:
                    raise TypeError(
                        "The format for date objects may not contain time-related format "
                        f"specifiers (found '{piece}')."
                    )
                pieces.append(str(getattr(self, piece)()))
            elif piece:
                pieces.append(_re_escaped.sub(r"\1", piece))
        return "".join(pieces)


class TimeFormat(Formatter):
    """Format the time part of a ``time`` or ``datetime``."""

    def __init__(self, obj: date | time) -> None:
        self.data = obj
        self.timezone: tzinfo | None = None
        # Only datetimes have a meaningful zone: a date has none and a time's
        # offset can't be known without a date.
        if isinstance(obj, datetime):
            zone = get_default_timezone() if is_naive(obj) else obj.tzinfo
            if zone is not None and not _datetime_ambiguous_or_imaginary(obj, zone):
                self.timezone = zone

    def a(self) -> str:
        """``'a.m.'`` or ``'p.m.'``."""
        return "p.m." if self.data.hour > 11 else "a.m."

    def A(self) -> str:
        """``'AM'`` or ``'PM'``."""
        return "PM" if self.data.hour > 11 else "AM"

    def e(self) -> str:
        """Time zone name of an aware datetime, else empty."""
        if not self.timezone:
            return ""
        if getattr(self.data, "tzinfo", None):
            return self.data.tzname() or ""
        return ""

    def f(self) -> str:
        """12-hour time with minutes left off when zero: ``'1'``, ``'1:30'``."""
        hour = self.data.hour % 12 or 12
        minute = self.data.minute
        return f"{hour}:{minute:02d}" if minute else str(hour)

    def g(self) -> int:
        """Hour, 12-hour clock, no leading zero."""
        return int(self.data.hour % 12 or 12)

    def G(self) -> int:
        """Hour, 24-hour clock, no leading zero."""
        return int(self.data.hour)

    def h(self) -> str:
        """Hour, 12-hour clock, two digits."""
        return f"{self.data.hour % 12 or 12:02d}"

    def H(self) -> str:
        """Hour, 24-hour clock, two digits."""
        return f"{self.data.hour:02d}"

    def i(self) -> str:
        """Minutes, two digits."""
        return f"{self.data.minute:02d}"

    def O(self) -> str:  # noqa: E743
        """Offset from UTC, e.g. ``'+0200'``; empty without a time zone."""
        if self.timezone is None:
            return ""
        offset = self.timezone.utcoffset(self.data)
        assert offset is not None
        seconds = offset.days * 86400 + offset.seconds
        sign = "-" if seconds < 0 else "+"
        seconds = abs(seconds)
        return f"{sign}{seconds // 3600:02d}{(seconds // 60) % 60:02d}"

    def P(self) -> str:
        """12-hour time with a.m./p.m., ``'midnight'`` and ``'noon'``: ``'1:30 p.m.'``."""
        if self.data.minute == 0 and self.data.hour == 0:
            return "midnight"
        if self.data.minute == 0 and self.data.hour == 12:
            return "noon"
        return f"{self.f()} {self.a()}"

    def s(self) -> str:
        """Seconds, two digits."""
        return f"{self.data.second:02d}"

    def T(self) -> str:
        """Time zone abbreviation, e.g. ``'EST'``; empty without a time zone."""
        if self.timezone is None:
            return ""
        return str(self.timezone.tzname(self.data))

    def u(self) -> str:
        """Microseconds, six digits."""
        return f"{self.data.microsecond:06d}"

    def Z(self) -> int | str:
        """Offset from UTC in seconds; empty without a time zone."""
        if self.timezone is None:
            return ""
        offset = self.timezone.utcoffset(self.data)
        assert offset is not None
        return offset.days * 86400 + offset.seconds


class DateFormat(TimeFormat):
    """Format a ``date`` or ``datetime``."""

    def b(self) -> str:
        """Month, three lower-case letters: ``'jan'``."""
        return MONTHS_3[self.data.month]

    def c(self) -> str:
        """ISO 8601: ``'2008-01-02T10:30:00.000123'``."""
        return str(self.data.isoformat())

    def d(self) -> str:
        """Day of the month, two digits."""
        return f"{self.data.day:02d}"

    def D(self) -> str:
        """Day of the week, three letters: ``'Fri'``."""
        return WEEKDAYS_ABBR[self.data.weekday()]

    def E(self) -> str:
        """Month, the alternative (genitive) long name some locales need; in English: ``F``."""
        return MONTHS[self.data.month]

    def F(self) -> str:
        """Month, long: ``'January'``."""
        return MONTHS[self.data.month]

    def I(self) -> str:  # noqa: E743
        """``'1'`` during daylight saving time, else ``'0'``; empty without a time zone."""
        if self.timezone is None:
            return ""
        return "1" if self.timezone.dst(self.data) else "0"

    def j(self) -> int:
        """Day of the month, no leading zero."""
        return int(self.data.day)

    def l(self) -> str:  # noqa: E743
        """Day of the week, long: ``'Friday'``."""
        return WEEKDAYS[self.data.weekday()]

    def L(self) -> bool:
        """Whether it is a leap year."""
        return calendar.isleap(self.data.year)

    def m(self) -> str:
        """Month, two digits."""
        return f"{self.data.month:02d}"

    def M(self) -> str:
        """Month, three letters: ``'Jan'``."""
        return MONTHS_3[self.data.month].title()

    def n(self) -> int:
        """Month, no leading zero."""
        return int(self.data.month)

    def N(self) -> str:
        """Month, Associated Press style: ``'Jan.'``, ``'March'``, ``'Sept.'``."""
        return MONTHS_AP[self.data.month]

    def o(self) -> int:
        """ISO 8601 week-numbering year."""
        return int(self.data.isocalendar()[0])

    def r(self) -> str:
        """RFC 5322 date: ``'Thu, 21 Dec 2000 16:01:07 +0200'``."""
        value = self.data
        if not isinstance(value, datetime):
            # A date means midnight in the default time zone.
            value = datetime.combine(value, time.min).replace(tzinfo=get_default_timezone())
        elif is_naive(value):
            value = make_aware(value, timezone=self.timezone)
        return _format_rfc5322(value)

    def S(self) -> str:
        """English ordinal suffix of the day: ``'st'``, ``'nd'``, ``'rd'``, ``'th'``."""
        day = self.data.day
        if day in (11, 12, 13):
            return "th"
        return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")

    def t(self) -> int:
        """Number of days in the month."""
        return calendar.monthrange(self.data.year, self.data.month)[1]

    def U(self) -> int:
        """Seconds since the Unix epoch."""
        value = self.data
        if not isinstance(value, datetime):
            value = datetime.combine(value, time.min)
        return int(value.timestamp())

    def w(self) -> int:
        """Day of the week, ``0`` (Sunday) to ``6`` (Saturday)."""
        return int((self.data.weekday() + 1) % 7)

    def W(self) -> int:
        """ISO 8601 week number, weeks starting on Monday."""
        return int(self.data.isocalendar()[1])

    def y(self) -> str:
        """Year, two digits."""
        return f"{self.data.year % 100:02d}"

    def Y(self) -> str:
        """Year, four digits."""
        return f"{self.data.year:04d}"

    def z(self) -> int:
        """Day of the year, 1 to 366."""
        return int(self.data.timetuple().tm_yday)


def format(value: date | datetime, format_string: str) -> str:
    """Format a date or datetime with Django's format characters."""
    return DateFormat(value).format(format_string)


def time_format(value: time | datetime, format_string: str) -> str:
    """Format a time or datetime with the time format characters."""
    return TimeFormat(value).format(format_string)
