from __future__ import annotations

from decimal import Decimal

import pytest

from fastjango.test.utils import override_settings
from fastjango.utils.numberformat import format as nformat


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((1234, "."), "1234"),
        ((1234.2, "."), "1234.2"),
        ((1234, ".", 2), "1234.00"),
        ((1234, ".", None, 3, ","), "1234"),
        ((1234, ".", None, 3, ",", True), "1,234"),
        ((-1234.33, ".", 1), "-1234.3"),
        ((-1234567.5, ".", 0, 3, ",", True), "-1,234,567"),
        (("-1234.33", ".", 1), "-1234.3"),
        ((1234567, ".", None, (3, 2, 0), ",", True), "12,34,567"),
        ((123456789, ".", None, (3, 2), ",", True), "12,34,56,789"),
        ((10000, ".", 0, (3, 0), " ", True), "10 000"),
        ((Decimal("1234.5678"), ",", 2), "1234,56"),
        ((Decimal("-0.00001"), ".", 2), "0.00"),
        ((Decimal("1e-3"), ".", None), "0.001"),
        ((1e16, ".", None), "10000000000000000"),
        ((None, "."), "None"),
        (("", "."), ""),
    ],
)
def test_format(args: tuple[object, ...], expected: str) -> None:
    assert nformat(*args) == expected  # type: ignore[arg-type]


def test_huge_decimals_use_scientific_notation() -> None:
    assert nformat(Decimal("1e300"), ".", 2) == "1.00e+300"
    assert nformat(Decimal("-1.2345e+300"), ".", 1) == "-1.2e+300"
    assert nformat(Decimal("-1.2345e-300"), ".", 1) == "0.0"


def test_use_thousand_separator_setting() -> None:
    with override_settings(USE_THOUSAND_SEPARATOR=True):
        assert nformat(1234567, ".", None, 3, ",") == "1,234,567"
        assert nformat(1234567, ".", None, 3, ",", use_l10n=False) == "1234567"
        assert nformat(1234567, ".", None, 0, ",") == "1234567"
