from __future__ import annotations

import datetime
import zoneinfo

import pytest

from fastjango.test.utils import override_settings
from fastjango.utils import timezone
from fastjango.utils.dateformat import DateFormat, format, time_format

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
DT = datetime.datetime(2003, 10, 7, 11, 39, 5, 123)


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("d", "07"),
        ("j", "7"),
        ("D", "Tue"),
        ("l", "Tuesday"),
        ("N", "Oct."),
        ("S", "th"),
        ("w", "2"),
        ("z", "280"),
        ("W", "41"),
        ("m", "10"),
        ("n", "10"),
        ("M", "Oct"),
        ("b", "oct"),
        ("F", "October"),
        ("E", "October"),
        ("y", "03"),
        ("Y", "2003"),
        ("L", "False"),
        ("o", "2003"),
        ("a", "a.m."),
        ("A", "AM"),
        ("f", "11:39"),
        ("g", "11"),
        ("G", "11"),
        ("h", "11"),
        ("H", "11"),
        ("i", "39"),
        ("s", "05"),
        ("u", "000123"),
        ("P", "11:39 a.m."),
        ("c", "2003-10-07T11:39:05.000123"),
        ("t", "31"),
        ("jS F Y H:i", "7th October 2003 11:39"),
        (r"\Y\e\a\r: Y", "Year: 2003"),
    ],
)
def test_format_characters(fmt: str, expected: str) -> None:
    assert format(DT, fmt) == expected


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (datetime.datetime(2024, 1, 1, 0, 0), "P", "midnight"),
        (datetime.datetime(2024, 1, 1, 12, 0), "P", "noon"),
        (datetime.datetime(2024, 1, 1, 13, 5), "P", "1:05 p.m."),
        (datetime.datetime(2024, 1, 1, 15, 0), "f A a g h", "3 PM p.m. 3 03"),
        (datetime.datetime(2024, 1, 1, 0, 30), "g h G H", "12 12 0 00"),
        (datetime.date(2024, 2, 1), "L t", "True 29"),
        (datetime.date(2021, 1, 1), "o W", "2020 53"),
        (datetime.date(2024, 9, 1), "N jS", "Sept. 1st"),
        (datetime.date(2024, 3, 2), "N jS", "March 2nd"),
        (datetime.date(2024, 3, 3), "jS", "3rd"),
        (datetime.date(2024, 3, 11), "jS", "11th"),
        (datetime.date(2024, 3, 22), "jS", "22nd"),
        (datetime.date(2024, 3, 24), "w", "0"),
        (datetime.date(999, 1, 1), "Y y", "0999 99"),
    ],
)
def test_format_edge_cases(value: datetime.date, fmt: str, expected: str) -> None:
    assert format(value, fmt) == expected


def test_timezone_characters_for_aware_datetimes() -> None:
    value = datetime.datetime(2024, 7, 1, 12, 0, tzinfo=PARIS)
    assert format(value, "e O T Z I") == "CEST +0200 CEST 7200 1"
    winter = datetime.datetime(2024, 1, 1, 12, 0, tzinfo=PARIS)
    assert format(winter, "O I") == "+0100 0"
    west = datetime.datetime(2024, 1, 1, tzinfo=timezone.get_fixed_timezone(-330))
    assert format(west, "O Z e") == "-0530 -19800 -0530"


def test_naive_datetimes_use_the_default_timezone() -> None:
    with override_settings(TIME_ZONE="Europe/Paris"):
        assert format(datetime.datetime(2024, 7, 1, 12), "O T e") == "+0200 CEST "
        # In the autumn DST gap-or-overlap, no zone information is shown.
        ambiguous = datetime.datetime(2024, 10, 27, 2, 30)
        assert format(ambiguous, "O T Z I") == "   "


def test_rfc5322_and_unix_time() -> None:
    aware = datetime.datetime(2000, 12, 21, 16, 1, 7, tzinfo=timezone.get_fixed_timezone(120))
    assert format(aware, "r") == "Thu, 21 Dec 2000 16:01:07 +0200"
    with override_settings(TIME_ZONE="Europe/Paris"):
        assert format(datetime.datetime(2000, 12, 21, 16, 1, 7), "r") == (
            "Thu, 21 Dec 2000 16:01:07 +0100"
        )
        assert format(datetime.date(2000, 12, 21), "r") == "Thu, 21 Dec 2000 00:00:00 +0100"
    epoch = datetime.datetime(1970, 1, 2, tzinfo=datetime.UTC)
    assert format(epoch, "U") == "86400"
    assert int(format(datetime.date(1970, 1, 2), "U")) == int(
        datetime.datetime(1970, 1, 2).timestamp()
    )


def test_date_objects_reject_time_characters() -> None:
    with pytest.raises(TypeError, match="may not contain time-related format specifiers"):
        format(datetime.date(2024, 1, 1), "H:i")


def test_time_format() -> None:
    assert time_format(datetime.time(14, 5, 9), "H:i:s A P") == "14:05:09 PM 2:05 p.m."
    assert time_format(datetime.time(14, 5, tzinfo=PARIS), "e O") == " "
    with pytest.raises(AttributeError):
        time_format(datetime.time(1), "Y")


def test_date_format_object() -> None:
    assert DateFormat(datetime.date(2024, 1, 1)).format("l") == "Monday"
