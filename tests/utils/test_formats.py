from __future__ import annotations

import datetime
from decimal import Decimal

from fastjango.test.utils import override_settings
from fastjango.utils import formats


def test_get_format_names_and_literals() -> None:
    assert formats.get_format("DATE_FORMAT") == "N j, Y"
    assert formats.get_format("Y-m-d") == "Y-m-d"
    assert formats.get_format("NUMBER_GROUPING") == 3
    assert formats.get_format("NUMBER_GROUPING", use_l10n=False) == 0
    assert formats.get_format("DECIMAL_SEPARATOR", lang="en") == "."


def test_get_format_prefers_explicit_settings() -> None:
    with override_settings(DATE_FORMAT="d/m/Y", NUMBER_GROUPING=4):
        assert formats.get_format("DATE_FORMAT") == "d/m/Y"
        assert formats.get_format("NUMBER_GROUPING") == 4


def test_input_formats_include_iso() -> None:
    with override_settings(DATE_INPUT_FORMATS=["%d.%m.%Y"]):
        assert formats.get_format("DATE_INPUT_FORMATS") == ["%d.%m.%Y", "%Y-%m-%d"]
    assert formats.get_format("DATETIME_INPUT_FORMATS")[-1] == "%Y-%m-%d"


def test_date_and_time_format() -> None:
    value = datetime.datetime(2024, 3, 5, 14, 30)
    assert formats.date_format(value) == "March 5, 2024"
    assert formats.date_format(value, "SHORT_DATE_FORMAT") == "03/05/2024"
    assert formats.date_format(value, "DATETIME_FORMAT") == "March 5, 2024, 2:30 p.m."
    assert formats.date_format(value, "YEAR_MONTH_FORMAT") == "March 2024"
    assert formats.date_format(value, "MONTH_DAY_FORMAT") == "March 5"
    assert formats.date_format(value, "Y") == "2024"
    assert formats.time_format(value) == "2:30 p.m."
    assert formats.time_format(datetime.time(9, 0), "H:i") == "09:00"


def test_number_format() -> None:
    assert formats.number_format(1234567.891, 2) == "1234567.89"
    assert formats.number_format(1234567, force_grouping=True) == "1,234,567"
    with override_settings(USE_THOUSAND_SEPARATOR=True, THOUSAND_SEPARATOR=" "):
        assert formats.number_format(1234567) == "1 234 567"


def test_localize() -> None:
    assert formats.localize("text") == "text"
    assert formats.localize(True) == "True"
    assert formats.localize(Decimal("1.50")) == "1.50"
    assert formats.localize(datetime.datetime(2024, 3, 5, 0, 0)) == "March 5, 2024, midnight"
    assert formats.localize(datetime.date(2024, 3, 5)) == "March 5, 2024"
    assert formats.localize(datetime.time(12, 0)) == "noon"
    obj = object()
    assert formats.localize(obj) is obj


def test_localize_input() -> None:
    assert formats.localize_input("x") == "x"
    assert formats.localize_input(False) == "False"
    assert formats.localize_input(1234.5) == "1234.5"
    assert formats.localize_input(datetime.datetime(2024, 3, 5, 1, 2, 3)) == "2024-03-05 01:02:03"
    assert formats.localize_input(datetime.date(2024, 3, 5)) == "2024-03-05"
    assert formats.localize_input(datetime.date(2024, 3, 5), "%d/%m/%Y") == "05/03/2024"
    assert formats.localize_input(datetime.time(1, 2, 3)) == "01:02:03"
    assert formats.localize_input(None) is None


def test_sanitize_separators() -> None:
    assert formats.sanitize_separators(5) == 5
    assert formats.sanitize_separators("1234.5") == "1234.5"
    assert formats.sanitize_separators("1,234.5") == "1,234.5"
    with override_settings(USE_THOUSAND_SEPARATOR=True):
        assert formats.sanitize_separators("1,234,567.25") == "1234567.25"
    with override_settings(
        USE_THOUSAND_SEPARATOR=True, THOUSAND_SEPARATOR=".", DECIMAL_SEPARATOR=","
    ):
        assert formats.sanitize_separators("1.234,5") == "1234.5"
        assert formats.sanitize_separators("1.5") == "1.5"
        assert formats.sanitize_separators("10.500") == "10500"
