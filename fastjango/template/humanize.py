"""Django's ``humanize`` filters that need no translations: ``intcomma``, ``ordinal``, ``apnumber``.

They are registered on every environment, so no ``{% load humanize %}`` is needed.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from fastjango.utils.formats import number_format
from fastjango.utils.safestring import SafeString, mark_safe

__all__ = ["apnumber", "intcomma", "ordinal"]

_AP_NUMBERS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def ordinal(value: Any) -> Any:
    """Return ``1st``, ``2nd``, ``3rd``, ``11th``... for an integer; other input unchanged."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return value
    if number < 0:
        return str(number)
    if number % 100 in (11, 12, 13):
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return mark_safe(f"{number}{suffix}")


def intcomma(value: Any, use_l10n: bool = True) -> Any:
    """Group the digits of a number by thousands: ``45000`` -> ``"45,000"``."""
    if use_l10n:
        try:
            if not isinstance(value, float | Decimal):
                value = int(value)
        except (TypeError, ValueError):
            return intcomma(value, False)
        return number_format(value, use_l10n=True, force_grouping=True)
    result = str(value)
    match = re.match(r"-?\d+", result)
    if match:
        prefix = match[0]
        with_commas = re.sub(r"\d{3}", r"\g<0>,", prefix[::-1])[::-1]
        with_commas = re.sub(r"^(-?),", r"\1", with_commas)
        result = with_commas + result[len(prefix) :]
    if isinstance(value, SafeString):
        return SafeString(result)
    return result


def apnumber(value: Any) -> Any:
    """Spell out 1 to 9 as Associated Press style asks (``"three"``); other numbers as they are."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return value
    if not 0 < number < 10:
        return value
    return _AP_NUMBERS[number - 1]
