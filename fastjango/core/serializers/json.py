"""``DjangoJSONEncoder``: JSON that also knows dates, times, durations, decimals, UUIDs."""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from typing import Any

from fastjango.utils.functional import Promise

__all__ = ["DjangoJSONEncoder"]


def _duration_iso_string(duration: datetime.timedelta) -> str:
    # ISO 8601 with days, e.g. "P1DT02H03M04.000005S", the format Django emits.
    if duration < datetime.timedelta(0):
        sign = "-"
        duration *= -1
    else:
        sign = ""
    minutes, seconds = divmod(duration.seconds, 60)
    hours, minutes = divmod(minutes, 60)
    ms = f".{duration.microseconds:06d}" if duration.microseconds else ""
    return f"{sign}P{duration.days}DT{hours:02d}H{minutes:02d}M{seconds:02d}{ms}S"


def _encode_special(o: Any) -> str:
    """Return Django's JSON string for ``o``; raise ``TypeError`` for unknown types."""
    if isinstance(o, datetime.datetime):
        r = o.isoformat()
        if o.microsecond:
            # Milliseconds only, as ECMA-262 dates have.
            r = r[:23] + r[26:]
        if r.endswith("+00:00"):
            r = r.removesuffix("+00:00") + "Z"
        return r
    if isinstance(o, datetime.date):
        return o.isoformat()
    if isinstance(o, datetime.time):
        if o.utcoffset() is not None:
            raise ValueError("JSON can't represent timezone-aware times.")
        r = o.isoformat()
        if o.microsecond:
            r = r[:12]
        return r
    if isinstance(o, datetime.timedelta):
        return _duration_iso_string(o)
    if isinstance(o, decimal.Decimal | uuid.UUID | Promise):
        return str(o)
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


class DjangoJSONEncoder(json.JSONEncoder):
    """A ``JSONEncoder`` for date/time/timedelta, ``Decimal``, ``UUID`` and lazy strings."""

    def default(self, o: Any) -> Any:
        return _encode_special(o)
