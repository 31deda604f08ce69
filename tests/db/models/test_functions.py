"""Django's "Database Functions" reference: comparison, text, math, date/time and window."""

from __future__ import annotations

import datetime
import hashlib
import math
from decimal import Decimal

import pytest

from fastjango.db import NotSupportedError, connections
from fastjango.db.models import CharField, DateField, F, FloatField, IntegerField, Value, Window
from fastjango.db.models import functions as fn
from fastjango.utils import timezone
from tests.db.models.models_fields import Everything
from tests.db.models.models_queries import Author, Blog, Entry, Event

pytestmark = pytest.mark.usefixtures("using")

UTC = datetime.UTC
START = datetime.datetime(2021, 11, 17, 14, 35, 27, 123000, tzinfo=UTC)


@pytest.fixture
def authors(using: str) -> None:
    Author.objects.create(name="Margaret Smith", email="margaret@example.com")
    Author.objects.create(name="  Rhonda  ", email="")


@pytest.fixture
def event(using: str) -> Event:
    return Event.objects.create(
        name="launch",
        start=START,
        end=START + datetime.timedelta(days=40, hours=3),
        at=datetime.time(14, 35, 27),
        duration=datetime.timedelta(hours=2),
        day=datetime.date(2021, 11, 17),
    )


@pytest.mark.usefixtures("authors")
def test_text_functions() -> None:
    smith = Author.objects.annotate(
        lower=fn.Lower("name"),
        upper=fn.Upper("name"),
        length=fn.Length("name"),
        left=fn.Left("name", 3),
        right=fn.Right("name", 5),
        sub=fn.Substr("name", 10, 5),
        sub_rest=fn.Substr("name", 10),
        index=fn.StrIndex("name", Value("Smith")),
        replaced=fn.Replace("name", Value("Smith"), Value("Jones")),
        removed=fn.Replace("name", Value("Margaret ")),
        reversed=fn.Reverse("name"),
        repeated=fn.Repeat(Value("ab"), 3),
        lpad=fn.LPad("email", 22, Value("*")),
        rpad=fn.RPad(fn.Left("name", 4), 6, Value("-")),
        short_pad=fn.LPad(Value("abcdef"), 3),
        ordinal=fn.Ord("name"),
        char=fn.Chr(Value(77)),
        initials=fn.Concat(fn.Left("name", 1), Value("."), fn.Substr("name", 10, 1)),
    ).get(email="margaret@example.com")
    assert smith.lower == "margaret smith"
    assert smith.upper == "MARGARET SMITH"
    assert smith.length == 14
    assert (smith.left, smith.right, smith.sub, smith.sub_rest) == (
        "Mar",
        "Smith",
        "Smith",
        "Smith",
    )
    assert smith.index == 10
    assert (smith.replaced, smith.removed) == ("Margaret Jones", "Smith")
    assert smith.reversed == "htimS teragraM"
    assert smith.repeated == "ababab"
    assert smith.lpad == "**margaret@example.com"
    assert (smith.rpad, smith.short_pad) == ("Marg--", "abc")
    assert (smith.ordinal, smith.char) == (77, "M")
    assert smith.initials == "M.S"
    rhonda = Author.objects.annotate(
        trim=fn.Trim("name"), ltrim=fn.LTrim("name"), rtrim=fn.RTrim("name")
    ).get(email="")
    assert (rhonda.trim, rhonda.ltrim, rhonda.rtrim) == ("Rhonda", "Rhonda  ", "  Rhonda")


@pytest.mark.usefixtures("authors")
def test_concat_treats_null_as_empty() -> None:
    blog = Blog.objects.create(name="Blog", tagline="")
    entry = Entry.objects.create(blog=blog, headline="Title", body_text="", pub_date=START.date())
    row = Entry.objects.annotate(
        full=fn.Concat("headline", Value(" / "), "blog__name", Value(" / "), "body_text")
    ).get(pk=entry.pk)
    assert row.full == "Title / Blog / "
    with_null = Event.objects.create(name="x", start=START)
    joined = Event.objects.annotate(
        text=fn.Concat("name", fn.Cast("end", CharField()), output_field=CharField())
    ).get(pk=with_null.pk)
    assert joined.text == "x"
    with pytest.raises(ValueError, match="Concat must take at least two expressions"):
        fn.Concat("name")


@pytest.mark.usefixtures("authors")
def test_hash_functions(using: str) -> None:
    if using == "postgres":
        # As in Django, PostgreSQL's SHA functions come from the pgcrypto extension.
        connections[using].execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")
    value = "margaret@example.com"
    row = Author.objects.annotate(
        md5=fn.MD5("email"),
        sha1=fn.SHA1("email"),
        sha224=fn.SHA224("email"),
        sha256=fn.SHA256("email"),
        sha384=fn.SHA384("email"),
        sha512=fn.SHA512("email"),
    ).get(email=value)
    for name in ("md5", "sha1", "sha224", "sha256", "sha384", "sha512"):
        assert getattr(row, name) == hashlib.new(name, value.encode()).hexdigest()


@pytest.mark.usefixtures("authors")
def test_functions_as_transforms() -> None:
    CharField.register_lookup(fn.Lower)
    CharField.register_lookup(fn.Length)
    try:
        assert Author.objects.filter(name__lower="margaret smith").count() == 1
        assert Author.objects.filter(name__length__gt=12).count() == 1
        assert Author.objects.filter(name__lower__contains="smith").count() == 1
    finally:
        CharField._unregister_lookup(fn.Lower)
        CharField._unregister_lookup(fn.Length)
    assert Author.objects.order_by(fn.Length("name").desc())[0].email == "margaret@example.com"


def test_comparison_functions(event: Event) -> None:
    Event.objects.create(name="open", start=START - datetime.timedelta(days=1))
    rows = Event.objects.annotate(
        last=fn.Coalesce("end", "start"),
        greatest=fn.Greatest("start", Value(START - datetime.timedelta(days=3))),
        least=fn.Least("start", Value(START - datetime.timedelta(days=3))),
        same=fn.NullIf("name", Value("open")),
    ).order_by("start")
    assert [(r.last, r.same) for r in rows] == [
        (START - datetime.timedelta(days=1), None),
        (event.end, "launch"),
    ]
    assert [r.greatest for r in rows] == [r.start for r in rows]
    assert {r.least for r in rows} == {START - datetime.timedelta(days=3)}
    with pytest.raises(ValueError, match="Coalesce must take at least two expressions"):
        fn.Coalesce("end")
    with pytest.raises(ValueError, match="Greatest must take at least two expressions"):
        fn.Greatest("end")


def test_cast(event: Event) -> None:
    Entry.objects.create(
        blog=Blog.objects.create(name="b", tagline=""),
        headline="h",
        body_text="",
        pub_date=datetime.date(2020, 2, 3),
        rating=7,
    )
    entry = Entry.objects.annotate(
        as_float=fn.Cast("rating", FloatField()),
        as_text=fn.Cast("rating", CharField(max_length=10)),
        as_int=fn.Cast(Value("42"), IntegerField()),
    ).get()
    assert entry.as_float == 7.0 and isinstance(entry.as_float, float)
    assert (entry.as_text, entry.as_int) == ("7", 42)
    day = Event.objects.annotate(d=fn.Cast("start", DateField())).get(pk=event.pk)
    assert day.d == datetime.date(2021, 11, 17)


def test_json_object(event: Event) -> None:
    row = Event.objects.annotate(
        obj=fn.JSONObject(name="name", upper=fn.Upper("name"), n=Value(3))
    ).get(pk=event.pk)
    assert row.obj == {"name": "launch", "upper": "LAUNCH", "n": 3}


def test_math_functions(using: str) -> None:
    Everything.objects.create(integer=-7, floating=2.25, decimal=Decimal("12.345"))
    row = Everything.objects.annotate(
        abs=fn.Abs("integer"),
        ceil=fn.Ceil("floating"),
        floor=fn.Floor("floating"),
        round=fn.Round("decimal", 2),
        round0=fn.Round("floating"),
        sqrt=fn.Sqrt("floating"),
        power=fn.Power("floating", 2),
        mod=fn.Mod(Value(17), Value(5)),
        sign=fn.Sign("integer"),
        pi=fn.Pi(),
        exp=fn.Exp(Value(1.0)),
        ln=fn.Ln(Value(math.e)),
        log=fn.Log(Value(2), Value(8)),
        degrees=fn.Degrees(Value(math.pi)),
        radians=fn.Radians(Value(180)),
        sin=fn.Sin(Value(0.5)),
        cos=fn.Cos(Value(0.5)),
        tan=fn.Tan(Value(0.5)),
        cot=fn.Cot(Value(0.5)),
        asin=fn.ASin(Value(0.5)),
        acos=fn.ACos(Value(0.5)),
        atan=fn.ATan(Value(0.5)),
        atan2=fn.ATan2(Value(1.0), Value(2.0)),
        random=fn.Random(),
    ).get()
    assert (row.abs, row.sign) == (7, -1)
    assert (row.ceil, row.floor) == (3, 2)
    assert row.round == Decimal("12.35") or row.round == Decimal("12.34")
    assert row.round0 == 2
    assert row.sqrt == pytest.approx(1.5)
    assert row.power == pytest.approx(5.0625)
    assert row.mod == 2
    assert row.pi == pytest.approx(math.pi)
    assert float(row.exp) == pytest.approx(math.e)
    assert float(row.ln) == pytest.approx(1.0)
    assert float(row.log) == pytest.approx(3.0)
    assert float(row.degrees) == pytest.approx(180.0)
    assert float(row.radians) == pytest.approx(math.pi)
    for name, func in [("sin", math.sin), ("cos", math.cos), ("tan", math.tan)]:
        assert float(getattr(row, name)) == pytest.approx(func(0.5))
    assert float(row.cot) == pytest.approx(1 / math.tan(0.5))
    assert float(row.asin) == pytest.approx(math.asin(0.5))
    assert float(row.acos) == pytest.approx(math.acos(0.5))
    assert float(row.atan) == pytest.approx(math.atan(0.5))
    assert float(row.atan2) == pytest.approx(math.atan2(1.0, 2.0))
    assert 0 <= row.random < 1
    tens = Everything.objects.annotate(r=fn.Round("integer", -1))
    if using == "default":
        with pytest.raises(ValueError, match="SQLite does not support negative precision"):
            list(tens)
    else:
        assert tens.get().r == -10


def test_extract(event: Event, using: str) -> None:
    row = Event.objects.annotate(
        year=fn.ExtractYear("start"),
        iso_year=fn.ExtractIsoYear("start"),
        quarter=fn.ExtractQuarter("start"),
        month=fn.ExtractMonth("start"),
        week=fn.ExtractWeek("start"),
        week_day=fn.ExtractWeekDay("start"),
        iso_week_day=fn.ExtractIsoWeekDay("start"),
        day_of_month=fn.ExtractDay("start"),
        hour=fn.ExtractHour("start"),
        minute=fn.ExtractMinute("start"),
        second=fn.ExtractSecond("start"),
        generic=fn.Extract("start", "month"),
        date_year=fn.ExtractYear("day"),
        time_hour=fn.ExtractHour("at"),
    ).get(pk=event.pk)
    assert (row.year, row.iso_year, row.quarter, row.month, row.week) == (2021, 2021, 4, 11, 46)
    assert (row.week_day, row.iso_week_day, row.day_of_month) == (4, 3, 17)
    assert (row.hour, row.minute, row.second, row.generic) == (14, 35, 27, 11)
    assert (row.date_year, row.time_hour) == (2021, 14)
    assert Event.objects.filter(start__week_day=fn.ExtractWeekDay("day")).count() == 1
    assert Event.objects.annotate(y=fn.ExtractYear("start")).filter(y=2021).count() == 1
    hours = Event.objects.annotate(x=fn.Extract("duration", "hour"))
    if using == "postgres":
        assert hours.get().x == 2
    else:
        with pytest.raises(ValueError, match="Extract requires native DurationField"):
            list(hours)
    with pytest.raises(ValueError, match="lookup_name must be provided"):
        fn.Extract("start")


def test_trunc(event: Event) -> None:
    row = Event.objects.annotate(
        year=fn.TruncYear("start"),
        quarter=fn.TruncQuarter("start"),
        month=fn.TruncMonth("start"),
        week=fn.TruncWeek("start"),
        trunc_day=fn.TruncDay("start"),
        hour=fn.TruncHour("start"),
        minute=fn.TruncMinute("start"),
        second=fn.TruncSecond("start"),
        date=fn.TruncDate("start"),
        time=fn.TruncTime("start"),
        day_month=fn.TruncMonth("day"),
        at_hour=fn.TruncHour("at"),
        generic=fn.Trunc("start", "month", output_field=DateField()),
    ).get(pk=event.pk)
    assert row.year == datetime.datetime(2021, 1, 1, tzinfo=UTC)
    assert row.quarter == datetime.datetime(2021, 10, 1, tzinfo=UTC)
    assert row.month == datetime.datetime(2021, 11, 1, tzinfo=UTC)
    assert row.week == datetime.datetime(2021, 11, 15, tzinfo=UTC)
    assert row.trunc_day == datetime.datetime(2021, 11, 17, tzinfo=UTC)
    assert row.hour == datetime.datetime(2021, 11, 17, 14, tzinfo=UTC)
    assert row.minute == datetime.datetime(2021, 11, 17, 14, 35, tzinfo=UTC)
    assert row.second == datetime.datetime(2021, 11, 17, 14, 35, 27, tzinfo=UTC)
    assert (row.date, row.time) == (datetime.date(2021, 11, 17), datetime.time(14, 35, 27, 123000))
    assert row.day_month == datetime.date(2021, 11, 1)
    assert row.at_hour == datetime.time(14)
    assert row.generic == datetime.date(2021, 11, 1)
    months = Event.objects.annotate(m=fn.TruncMonth("start")).values("m").distinct()
    assert list(months) == [{"m": datetime.datetime(2021, 11, 1, tzinfo=UTC)}]
    with pytest.raises(ValueError, match="Cannot truncate DateField 'day' to DateTimeField"):
        list(Event.objects.annotate(x=fn.TruncHour("day")))
    with pytest.raises(ValueError, match="Cannot truncate TimeField 'at' to DateTimeField"):
        list(Event.objects.annotate(x=fn.TruncDay("at")))


def test_trunc_in_current_time_zone(event: Event, using: str) -> None:
    from fastjango.db import connections

    if using == "mysql":
        loaded = connections[using].execute("SELECT COUNT(*) FROM mysql.time_zone_name").scalar()
        if not loaded:
            pytest.skip("MySQL needs its time zone tables loaded, as in Django.")
    with timezone.override("America/New_York"):
        row = Event.objects.annotate(d=fn.TruncDay("start"), hour=fn.ExtractHour("start")).get()
    assert row.hour == 9
    assert row.d.utcoffset() == datetime.timedelta(hours=-5)
    assert row.d.astimezone(UTC) == datetime.datetime(2021, 11, 17, 5, tzinfo=UTC)


def test_now(event: Event) -> None:
    before = timezone.now() - datetime.timedelta(minutes=5)
    row = Event.objects.annotate(now=fn.Now()).get(pk=event.pk)
    assert row.now > before
    assert Event.objects.filter(start__lt=fn.Now()).count() == 1


def test_window_functions(using: str) -> None:
    blog = Blog.objects.create(name="b", tagline="")
    for index, rating in enumerate([5, 3, 5, 1]):
        Entry.objects.create(
            blog=blog,
            headline=f"e{index}",
            body_text="",
            pub_date=datetime.date(2020, 1, index + 1),
            rating=rating,
        )
    order = F("pub_date").asc()
    rows = Entry.objects.annotate(
        dense=Window(fn.DenseRank(), order_by=F("rating").desc()),
        rank=Window(fn.Rank(), order_by=F("rating").desc()),
        first=Window(fn.FirstValue("rating"), order_by=order),
        last=Window(fn.LastValue("rating"), order_by=order),
        lag=Window(fn.Lag("rating"), order_by=order),
        lead=Window(fn.Lead("rating"), order_by=order),
        nth=Window(fn.NthValue("rating", 2), order_by=order),
        ntile=Window(fn.Ntile(2), order_by=order),
        percent=Window(fn.PercentRank(), order_by=order),
        cume=Window(fn.CumeDist(), order_by=order),
    ).order_by("pub_date")
    assert [(r.dense, r.rank) for r in rows] == [(1, 1), (2, 3), (1, 1), (3, 4)]
    assert [r.first for r in rows] == [5, 5, 5, 5]
    assert [r.last for r in rows] == [5, 3, 5, 1]
    assert [r.lag for r in rows] == [None, 5, 3, 5]
    lag_default = Entry.objects.annotate(
        lag=Window(fn.Lag("rating", 2, default=0), order_by=order)
    ).order_by("pub_date")
    if connections[using].vendor == "mysql" and connections[using].mysql_is_mariadb:
        with pytest.raises(NotSupportedError, match="MariaDB's LAG\\(\\) takes no default"):
            list(lag_default)
    else:
        assert [r.lag for r in lag_default] == [0, 0, 5, 3]
    assert [r.lead for r in rows] == [3, 5, 1, None]
    assert [r.nth for r in rows] == [None, 3, 3, 3]
    assert [r.ntile for r in rows] == [1, 1, 2, 2]
    assert [pytest.approx(r.percent) for r in rows] == [0, 1 / 3, 2 / 3, 1]
    assert [pytest.approx(r.cume) for r in rows] == [0.25, 0.5, 0.75, 1]
    with pytest.raises(ValueError, match="NthValue requires a positive integer"):
        fn.NthValue("rating", 0)
    with pytest.raises(ValueError, match="num_buckets must be greater than 0"):
        fn.Ntile(0)
    with pytest.raises(ValueError, match="Lag requires a positive integer for the offset"):
        fn.Lag("rating", 0)
