from __future__ import annotations

import asyncio
import datetime
import zoneinfo

import pytest

from fastjango.test.utils import override_settings
from fastjango.utils import timezone

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
EAT = timezone.get_fixed_timezone(180)  # UTC+3


@pytest.fixture(autouse=True)
def _reset_timezone() -> None:
    timezone.deactivate()


def test_utc_is_stdlib_utc() -> None:
    assert timezone.utc is datetime.UTC


def test_get_fixed_timezone() -> None:
    assert EAT.utcoffset(None) == datetime.timedelta(hours=3)
    assert EAT.tzname(None) == "+0300"
    west = timezone.get_fixed_timezone(datetime.timedelta(hours=-5, minutes=-30))
    assert west.tzname(None) == "-0530"


def test_default_timezone_follows_settings() -> None:
    assert timezone.get_default_timezone_name() == "UTC"
    with override_settings(TIME_ZONE="Europe/Paris"):
        assert timezone.get_default_timezone() == PARIS
        assert timezone.get_default_timezone_name() == "Europe/Paris"
        assert timezone.get_current_timezone_name() == "Europe/Paris"


def test_activate_and_deactivate() -> None:
    timezone.activate(PARIS)
    assert timezone.get_current_timezone() is PARIS
    timezone.activate("Asia/Tokyo")
    assert timezone.get_current_timezone_name() == "Asia/Tokyo"
    timezone.deactivate()
    assert timezone.get_current_timezone_name() == "UTC"
    with pytest.raises(ValueError, match="Invalid timezone: 5"):
        timezone.activate(5)  # type: ignore[arg-type]
    with pytest.raises(zoneinfo.ZoneInfoNotFoundError):
        timezone.activate("Nowhere/Special")


def test_override_nests_and_restores() -> None:
    timezone.activate(EAT)
    with timezone.override(PARIS):
        assert timezone.get_current_timezone() is PARIS
        with timezone.override(None):
            assert timezone.get_current_timezone_name() == "UTC"
        assert timezone.get_current_timezone() is PARIS
    assert timezone.get_current_timezone() is EAT

    @timezone.override("Asia/Tokyo")
    def decorated() -> str:
        return timezone.get_current_timezone_name()

    assert decorated() == "Asia/Tokyo"
    assert timezone.get_current_timezone() is EAT


def test_current_timezone_is_per_task() -> None:
    async def worker(name: str, started: asyncio.Event, go: asyncio.Event) -> str:
        timezone.activate(name)
        started.set()
        await go.wait()
        return timezone.get_current_timezone_name()

    async def main() -> list[str]:
        events = [(asyncio.Event(), asyncio.Event()) for _ in range(2)]
        tasks = [
            asyncio.create_task(worker(name, *events[i]))
            for i, name in enumerate(["Europe/Paris", "Asia/Tokyo"])
        ]
        for started, _ in events:
            await started.wait()
        for _, go in events:
            go.set()
        return list(await asyncio.gather(*tasks))

    assert asyncio.run(main()) == ["Europe/Paris", "Asia/Tokyo"]
    assert timezone.get_current_timezone_name() == "UTC"


def test_now() -> None:
    aware = timezone.now()
    assert aware.tzinfo is datetime.UTC
    with override_settings(USE_TZ=False):
        assert timezone.is_naive(timezone.now())


def test_is_aware_and_naive() -> None:
    naive = datetime.datetime(2024, 1, 1, 12)
    assert timezone.is_naive(naive) and not timezone.is_aware(naive)
    aware = naive.replace(tzinfo=EAT)
    assert timezone.is_aware(aware) and not timezone.is_naive(aware)
    assert timezone.is_aware(datetime.time(1, tzinfo=EAT))


def test_make_aware_and_naive() -> None:
    naive = datetime.datetime(2024, 7, 1, 12)
    aware = timezone.make_aware(naive, PARIS)
    assert aware.utcoffset() == datetime.timedelta(hours=2)
    with timezone.override(EAT):
        assert timezone.make_aware(naive).tzinfo is EAT
        assert timezone.make_naive(aware) == datetime.datetime(2024, 7, 1, 13)
    assert timezone.make_naive(aware, datetime.UTC) == datetime.datetime(2024, 7, 1, 10)
    with pytest.raises(ValueError, match="make_aware expects a naive datetime"):
        timezone.make_aware(aware)
    with pytest.raises(ValueError, match="make_naive\\(\\) cannot be applied to a naive"):
        timezone.make_naive(naive)


def test_localtime_and_localdate() -> None:
    value = datetime.datetime(2024, 1, 1, 23, 30, tzinfo=datetime.UTC)
    assert timezone.localtime(value, EAT) == value
    assert timezone.localtime(value, EAT).hour == 2
    with timezone.override(EAT):
        assert timezone.localtime(value).tzinfo is EAT
        assert timezone.localdate(value) == datetime.date(2024, 1, 2)
        assert timezone.localtime().tzinfo is EAT
    assert timezone.localdate(value, PARIS) == datetime.date(2024, 1, 2)
    with pytest.raises(ValueError, match="localtime\\(\\) cannot be applied to a naive"):
        timezone.localtime(datetime.datetime(2024, 1, 1))


def test_template_localtime() -> None:
    value = datetime.datetime(2024, 1, 1, 23, 30, tzinfo=datetime.UTC)
    with timezone.override(EAT):
        assert timezone.template_localtime(value).tzinfo is EAT
        assert timezone.template_localtime(value, use_tz=False) is value
        naive = datetime.datetime(2024, 1, 1)
        assert timezone.template_localtime(naive) is naive
        assert timezone.template_localtime("text") == "text"
        with override_settings(USE_TZ=False):
            assert timezone.template_localtime(value) is value


def test_ambiguous_or_imaginary() -> None:
    # Paris: clocks went back on 2024-10-27 03:00 and forward on 2024-03-31 02:00.
    assert timezone._datetime_ambiguous_or_imaginary(datetime.datetime(2024, 10, 27, 2, 30), PARIS)
    assert timezone._datetime_ambiguous_or_imaginary(datetime.datetime(2024, 3, 31, 2, 30), PARIS)
    assert not timezone._datetime_ambiguous_or_imaginary(datetime.datetime(2024, 6, 1), PARIS)
