"""Locale-aware formatting of dates, times and numbers, with Django's API.

FastJango ships English formats only. A format comes from the settings module
when the project sets it (``DATE_FORMAT``, ``THOUSAND_SEPARATOR``, ...), else
from Django's ``en`` locale, which is what Django shows for ``LANGUAGE_CODE =
"en-us"``. The one visible consequence: ``NUMBER_GROUPING`` is 3 (the ``en``
value), so ``intcomma`` and ``floatformat:"g"`` group digits as in Django.
"""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from fastjango.conf import settings
from fastjango.utils import dateformat, numberformat

__all__ = [
    "FORMAT_SETTINGS",
    "ISO_INPUT_FORMATS",
    "date_format",
    "get_format",
    "localize",
    "localize_input",
    "number_format",
    "sanitize_separators",
    "time_format",
]

ISO_INPUT_FORMATS = {
    "DATE_INPUT_FORMATS": ["%Y-%m-%d"],
    "TIME_INPUT_FORMATS": ["%H:%M:%S", "%H:%M:%S.%f", "%H:%M"],
    "DATETIME_INPUT_FORMATS": [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M:%S.%f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d",
    ],
}

FORMAT_SETTINGS = frozenset(
    [
        "DECIMAL_SEPARATOR",
        "THOUSAND_SEPARATOR",
        "NUMBER_GROUPING",
        "FIRST_DAY_OF_WEEK",
        "MONTH_DAY_FORMAT",
        "TIME_FORMAT",
        "DATE_FORMAT",
        "DATETIME_FORMAT",
        "SHORT_DATE_FORMAT",
        "SHORT_DATETIME_FORMAT",
        "YEAR_MONTH_FORMAT",
        "DATE_INPUT_FORMATS",
        "TIME_INPUT_FORMATS",
        "DATETIME_INPUT_FORMATS",
    ]
)

# Django's conf/locale/en/formats.py values that differ from global_settings.
_EN_FORMATS: dict[str, Any] = {"NUMBER_GROUPING": 3}


def get_format(format_type: str, lang: str | None = None, use_l10n: bool | None = None) -> Any:
    """Return the format named ``format_type`` (e.g. ``"DATE_FORMAT"``).

    A string that is not a format name is returned as it is, so a literal
    format such as ``"Y-m-d"`` can be passed wherever a name is accepted.
    ``lang`` is accepted for Django compatibility; only English is shipped.
    """
    del lang
    if format_type not in FORMAT_SETTINGS:
        return format_type
    if use_l10n is False or settings.is_overridden(format_type):
        value = getattr(settings, format_type)
    else:
        value = _EN_FORMATS.get(format_type, getattr(settings, format_type))
    if format_type in ISO_INPUT_FORMATS:
        # Like Django, always accept the ISO formats too, after the project's own.
        value = list(value)
        value.extend(iso for iso in ISO_INPUT_FORMATS[format_type] if iso not in value)
    return value


def date_format(value: Any, format: str | None = None, use_l10n: bool | None = None) -> str:
    """Format a date or datetime with a format name (default ``DATE_FORMAT``) or string."""
    return dateformat.format(value, get_format(format or "DATE_FORMAT", use_l10n=use_l10n))


def time_format(value: Any, format: str | None = None, use_l10n: bool | None = None) -> str:
    """Format a time or datetime with a format name (default ``TIME_FORMAT``) or string."""
    return dateformat.time_format(value, get_format(format or "TIME_FORMAT", use_l10n=use_l10n))


def number_format(
    value: Any,
    decimal_pos: int | None = None,
    use_l10n: bool | None = None,
    force_grouping: bool = False,
) -> str:
    """Format a number with the configured separators and grouping."""
    return numberformat.format(
        value,
        get_format("DECIMAL_SEPARATOR", use_l10n=use_l10n),
        decimal_pos,
        get_format("NUMBER_GROUPING", use_l10n=use_l10n),
        get_format("THOUSAND_SEPARATOR", use_l10n=use_l10n),
        force_grouping=force_grouping,
        use_l10n=use_l10n,
    )


def localize(value: Any, use_l10n: bool | None = None) -> Any:
    """Return numbers, dates and times formatted for display; anything else unchanged."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        # bool is an int subclass, but "True" must not become "1".
        return str(value)
    if isinstance(value, decimal.Decimal | float | int):
        return number_format(value, use_l10n=use_l10n)
    if isinstance(value, datetime.datetime):
        return date_format(value, "DATETIME_FORMAT", use_l10n=use_l10n)
    if isinstance(value, datetime.date):
        return date_format(value, use_l10n=use_l10n)
    if isinstance(value, datetime.time):
        return time_format(value, use_l10n=use_l10n)
    return value


def localize_input(value: Any, default: str | None = None) -> Any:
    """Return numbers, dates and times formatted for a form input's value."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, decimal.Decimal | float | int):
        return number_format(value)
    if isinstance(value, datetime.datetime):
        fmt = default or get_format("DATETIME_INPUT_FORMATS")[0]
        return value.strftime(fmt)
    if isinstance(value, datetime.date):
        fmt = default or get_format("DATE_INPUT_FORMATS")[0]
        return value.strftime(fmt)
    if isinstance(value, datetime.time):
        fmt = default or get_format("TIME_INPUT_FORMATS")[0]
        return value.strftime(fmt)
    return value


def sanitize_separators(value: Any) -> Any:
    """Turn a number typed with local separators into Python's syntax: ``"1,234.5"``."""
    if not isinstance(value, str):
        return value
    decimal_separator = get_format("DECIMAL_SEPARATOR")
    parts: list[str] = []
    if decimal_separator in value:
        value, decimals = value.split(decimal_separator, 1)
        parts.append(decimals)
    if settings.USE_THOUSAND_SEPARATOR:
        thousand_sep = get_format("THOUSAND_SEPARATOR")
        # "1.5" with "." as the thousands separator is surely a decimal: leave it.
        looks_decimal = (
            thousand_sep == "." and value.count(".") == 1 and len(value.split(".")[-1]) != 3
        )
        if not looks_decimal:
            for replacement in {thousand_sep, thousand_sep.replace("\xa0", " ")}:
                value = value.replace(replacement, "")
    parts.append(value)
    return ".".join(reversed(parts))
