"""Human-readable time spans: ``timesince`` and ``timeuntil`` ("2 weeks, 3 days")."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from fastjango.utils.html import avoid_wrapping
from fastjango.utils.timezone import is_aware

__all__ = ["TIME_STRINGS", "timesince", "timeuntil"]


class _Plural:
    """A ``"%(num)d unit"`` template that picks the singular or plural form."""

    def __init__(self, singular: str, plural: str) -> None:
        self.singular = singular
        self.plural = plural

    def __mod__(self, params: Mapping[str, Any]) -> str:
        template = self.singular if params["num"] == 1 else self.plural
        return template % params


TIME_STRINGS: dict[str, Any] = {
    "year": _Plural("%(num)d year", "%(num)d years"),
    "month": _Plural("%(num)d month", "%(num)d months"),
    "week": _Plural("%(num)d week", "%(num)d weeks"),
    "day": _Plural("%(num)d day", "%(num)d days"),
    "hour": _Plural("%(num)d hour", "%(num)d hours"),
    "minute": _Plural("%(num)d minute", "%(num)d minutes"),
}
"""The unit strings; pass a dict with the same keys as ``time_strings`` to change them."""

_TIME_STRINGS_KEYS = list(TIME_STRINGS)
_TIME_CHUNKS = (
    60 * 60 * 24 * 7,  # week
    60 * 60 * 24,  # day
    60 * 60,  # hour
    60,  # minute
)
_MONTHS_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def timesince(
    d: datetime.date,
    now: datetime.date | None = None,
    reversed: bool = False,
    time_strings: Mapping[str, Any] | None = None,
    depth: int = 2,
) -> str:
    """Return the time from ``d`` to ``now`` as text, e.g. ``"10 minutes"``.

    Units are years, months, weeks, days, hours and minutes; up to ``depth``
    adjacent units are shown ("1 year, 3 months", never "1 year, 5 days").
    Years and months follow the calendar. A ``d`` after ``now`` gives
    ``"0 minutes"``.
    """
    if time_strings is None:
        time_strings = TIME_STRINGS
    if depth <= 0:
        raise ValueError("depth must be greater than 0.")
    if not isinstance(d, datetime.datetime):
        d = datetime.datetime(d.year, d.month, d.day)
    if now is not None and not isinstance(now, datetime.datetime):
        now = datetime.datetime(now.year, now.month, now.day)
    if now is None:
        now = datetime.datetime.now(d.tzinfo if is_aware(d) else None)
    elif is_aware(d) and is_aware(now):
        # Calendar months are counted on d's wall clock, so compare in d's zone.
        now = now.astimezone(d.tzinfo)
    if reversed:
        d, now = now, d
    delta = now - d

    # Seconds and microseconds are ignored.
    since = delta.days * 24 * 60 * 60 + delta.seconds
    if since <= 0:
        return avoid_wrapping(time_strings["minute"] % {"num": 0})

    total_months = (now.year - d.year) * 12 + (now.month - d.month)
    if d.day > now.day or (d.day == now.day and d.time() > now.time()):
        total_months -= 1
    years, months = divmod(total_months, 12)

    # Step from d by whole years and months, then split the rest into chunks.
    if years or months:
        pivot_year = d.year + years
        pivot_month = d.month + months
        if pivot_month > 12:
            pivot_month -= 12
            pivot_year += 1
        pivot = datetime.datetime(
            pivot_year,
            pivot_month,
            min(_MONTHS_DAYS[pivot_month - 1], d.day),
            d.hour,
            d.minute,
            d.second,
            tzinfo=d.tzinfo,
        )
    else:
        pivot = d
    remaining_time = (now - pivot).total_seconds()
    partials = [years, months]
    for chunk in _TIME_CHUNKS:
        count = int(remaining_time // chunk)
        partials.append(count)
        remaining_time -= chunk * count

    first = next((index for index, value in enumerate(partials) if value), None)
    if first is None:
        return avoid_wrapping(time_strings["minute"] % {"num": 0})
    result: list[str] = []
    for index in range(first, min(first + depth, len(partials))):
        value = partials[index]
        if not value:
            break
        result.append(avoid_wrapping(time_strings[_TIME_STRINGS_KEYS[index]] % {"num": value}))
    return ", ".join(result)


def timeuntil(
    d: datetime.date,
    now: datetime.date | None = None,
    time_strings: Mapping[str, Any] | None = None,
    depth: int = 2,
) -> str:
    """Return the time from ``now`` until ``d`` as text, like ``timesince``."""
    return timesince(d, now, reversed=True, time_strings=time_strings, depth=depth)
