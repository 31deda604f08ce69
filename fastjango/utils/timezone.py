"""Time zone support with Django's API, on ``zoneinfo``.

The current time zone lives in a ``ContextVar``, so each request, thread and
asyncio task has its own: ``activate()`` in one view never leaks into another.
"""

from __future__ import annotations

import functools
import zoneinfo
from contextlib import ContextDecorator
from contextvars import ContextVar
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from types import TracebackType
from typing import Any

from fastjango.conf import settings

__all__ = [
    "activate",
    "deactivate",
    "get_current_timezone",
    "get_current_timezone_name",
    "get_default_timezone",
    "get_default_timezone_name",
    "get_fixed_timezone",
    "is_aware",
    "is_naive",
    "localdate",
    "localtime",
    "make_aware",
    "make_naive",
    "now",
    "override",
    "template_localtime",
    "utc",
]

utc = UTC
"""UTC, as ``datetime.timezone.utc``."""

_active: ContextVar[tzinfo | None] = ContextVar("fastjango_timezone", default=None)


def get_fixed_timezone(offset: timedelta | int) -> timezone:
    """Return a fixed-offset time zone; ``offset`` is a ``timedelta`` or minutes east of UTC."""
    if isinstance(offset, timedelta):
        offset = offset.days * 1440 + offset.seconds // 60
    sign = "-" if offset < 0 else "+"
    hours, minutes = divmod(abs(offset), 60)
    return timezone(timedelta(minutes=offset), f"{sign}{hours:02d}{minutes:02d}")


@functools.lru_cache(maxsize=32)
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def get_default_timezone() -> tzinfo:
    """Return the time zone named by ``settings.TIME_ZONE``."""
    return _zone(settings.TIME_ZONE)


def get_default_timezone_name() -> str:
    """Return the name of the default time zone."""
    return _get_timezone_name(get_default_timezone())


def get_current_timezone() -> tzinfo:
    """Return the time zone activated for this context, or the default one."""
    return _active.get() or get_default_timezone()


def get_current_timezone_name() -> str:
    """Return the name of the current time zone."""
    return _get_timezone_name(get_current_timezone())


def _get_timezone_name(tz: tzinfo) -> str:
    return tz.tzname(None) or str(tz)


def activate(timezone: tzinfo | str) -> None:
    """Make ``timezone`` (a ``tzinfo`` or an IANA name) the current time zone."""
    if isinstance(timezone, tzinfo):
        _active.set(timezone)
    elif isinstance(timezone, str):
        _active.set(_zone(timezone))
    else:
        raise ValueError(f"Invalid timezone: {timezone!r}")


def deactivate() -> None:
    """Go back to the default time zone for this context."""
    _active.set(None)


class override(ContextDecorator):
    """Use ``timezone`` as the current time zone inside a block or function.

    ``None`` means the default time zone. The previous one comes back on exit.
    """

    def __init__(self, timezone: tzinfo | str | None) -> None:
        self.timezone = timezone
        self._old: list[tzinfo | None] = []

    def __enter__(self) -> None:
        self._old.append(_active.get())
        if self.timezone is None:
            deactivate()
        else:
            activate(self.timezone)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        _active.set(self._old.pop())


def template_localtime(value: Any, use_tz: bool | None = None) -> Any:
    """Return an aware datetime in the current time zone; leave anything else as it is.

    This is what templates show when ``USE_TZ`` is on.
    """
    should_convert = (
        isinstance(value, datetime)
        and (settings.USE_TZ if use_tz is None else use_tz)
        and not is_naive(value)
        and getattr(value, "convert_to_local_time", True)
    )
    return localtime(value) if should_convert else value


def localtime(value: datetime | None = None, timezone: tzinfo | None = None) -> datetime:
    """Return the aware datetime (default: now) in ``timezone`` (default: current)."""
    if value is None:
        value = now()
    if timezone is None:
        timezone = get_current_timezone()
    if is_naive(value):
        raise ValueError("localtime() cannot be applied to a naive datetime")
    return value.astimezone(timezone)


def localdate(value: datetime | None = None, timezone: tzinfo | None = None) -> date:
    """Return the date of the aware datetime (default: now) in ``timezone``."""
    return localtime(value, timezone).date()


def now() -> datetime:
    """Return the current datetime: aware in UTC when ``USE_TZ`` is on, else naive local."""
    return datetime.now(tz=utc if settings.USE_TZ else None)


def is_aware(value: datetime | time) -> bool:
    """Return whether the datetime or time carries a UTC offset."""
    return value.utcoffset() is not None


def is_naive(value: datetime | time) -> bool:
    """Return whether the datetime or time has no UTC offset."""
    return value.utcoffset() is None


def make_aware(value: datetime, timezone: tzinfo | None = None) -> datetime:
    """Attach ``timezone`` (default: current) to a naive datetime."""
    if timezone is None:
        timezone = get_current_timezone()
    if is_aware(value):
        raise ValueError(f"make_aware expects a naive datetime, got {value}")
    return value.replace(tzinfo=timezone)


def make_naive(value: datetime, timezone: tzinfo | None = None) -> datetime:
    """Convert an aware datetime to ``timezone`` (default: current) and drop the offset."""
    if timezone is None:
        timezone = get_current_timezone()
    if is_naive(value):
        raise ValueError("make_naive() cannot be applied to a naive datetime")
    return value.astimezone(timezone).replace(tzinfo=None)


def _datetime_ambiguous_or_imaginary(dt: datetime, tz: tzinfo) -> bool:
    """Return whether a wall-clock time is repeated or skipped by a DST change in ``tz``."""
    off0 = dt.replace(fold=0, tzinfo=tz).utcoffset()
    off1 = dt.replace(fold=1, tzinfo=tz).utcoffset()
    return off0 != off1
