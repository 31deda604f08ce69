from __future__ import annotations

import datetime
import zoneinfo

import pytest

from fastjango.utils.timesince import timesince, timeuntil

T = datetime.datetime(2007, 8, 14, 13, 46, 0)
MIN, HOUR, DAY, WEEK = (datetime.timedelta(**{k: 1}) for k in ("minutes", "hours", "days", "weeks"))


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (datetime.timedelta(0), "0\xa0minutes"),
        (datetime.timedelta(microseconds=1), "0\xa0minutes"),
        (datetime.timedelta(seconds=59), "0\xa0minutes"),
        (MIN, "1\xa0minute"),
        (HOUR, "1\xa0hour"),
        (DAY, "1\xa0day"),
        (WEEK, "1\xa0week"),
        (2 * WEEK + 2 * DAY, "2\xa0weeks, 2\xa0days"),
        (DAY + 2 * HOUR + 3 * MIN, "1\xa0day, 2\xa0hours"),
        (2 * DAY + 3 * MIN, "2\xa0days"),
        (-DAY, "0\xa0minutes"),
    ],
)
def test_timesince(delta: datetime.timedelta, expected: str) -> None:
    assert timesince(T, T + delta) == expected


def test_months_and_years_follow_the_calendar() -> None:
    assert timesince(datetime.datetime(2013, 2, 10), datetime.datetime(2014, 3, 10)) == (
        "1\xa0year, 1\xa0month"
    )
    assert timesince(datetime.datetime(2007, 8, 10), datetime.datetime(2008, 9, 10)) == (
        "1\xa0year, 1\xa0month"
    )
    # Jan 31 + 1 month lands on Feb 28; the day left over isn't adjacent to months.
    assert timesince(datetime.datetime(2023, 1, 31), datetime.datetime(2023, 3, 1)) == (
        "1\xa0month"
    )
    assert timesince(datetime.datetime(2023, 11, 15), datetime.datetime(2024, 2, 23)) == (
        "3\xa0months, 1\xa0week"
    )


def test_depth() -> None:
    later = T + 2 * WEEK + 3 * DAY + 4 * HOUR + 5 * MIN
    assert timesince(T, later, depth=1) == "2\xa0weeks"
    assert timesince(T, later, depth=4) == "2\xa0weeks, 3\xa0days, 4\xa0hours, 5\xa0minutes"
    with pytest.raises(ValueError, match="depth must be greater than 0"):
        timesince(T, later, depth=0)


def test_dates_and_aware_datetimes() -> None:
    assert timesince(datetime.date(2024, 1, 1), datetime.date(2024, 1, 8)) == "1\xa0week"
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    start = datetime.datetime(2024, 1, 1, 12, tzinfo=paris)
    end = datetime.datetime(2024, 3, 1, 11, tzinfo=datetime.UTC)
    assert timesince(start, end) == "2\xa0months"
    recent = datetime.datetime.now(datetime.UTC) - 3 * DAY - MIN
    assert timesince(recent) == "3\xa0days"


def test_timeuntil_and_reversed() -> None:
    assert timeuntil(T + DAY, T) == "1\xa0day"
    assert timesince(T + DAY, T, reversed=True) == "1\xa0day"
    assert timeuntil(T - DAY, T) == "0\xa0minutes"


def test_custom_time_strings() -> None:
    strings = {
        key: f"%(num)d {key}(s)" for key in ("year", "month", "week", "day", "hour", "minute")
    }
    assert timesince(T, T + DAY + HOUR, time_strings=strings) == "1\xa0day(s), 1\xa0hour(s)"
    assert timesince(T, T, time_strings=strings) == "0\xa0minute(s)"
