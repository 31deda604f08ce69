"""Django's "Query Expressions" and "Conditional Expressions" documentation, on every backend."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from fastjango.core.exceptions import FieldError
from fastjango.db import models
from fastjango.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    DecimalField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from fastjango.db.models.expressions import RawSQL, RowRange, ValueRange
from fastjango.db.models.functions import Length, Lower, Rank, RowNumber, Upper
from tests.db.models.models_queries import Blog, Entry, Event

pytestmark = pytest.mark.usefixtures("using")


@pytest.fixture
def entries(using: str) -> dict[str, Entry]:
    cheese = Blog.objects.create(name="Cheddar Talk", tagline="cheese")
    beatles = Blog.objects.create(name="Beatles Blog", tagline="music")
    rows = [
        ("Lennon", beatles, datetime.date(2008, 3, 1), 10, 2, 5),
        ("McCartney", beatles, datetime.date(2006, 1, 1), 1, 4, 3),
        ("Cheddar", cheese, datetime.date(2007, 5, 2), 3, 3, 4),
        ("Brie", cheese, datetime.date(2009, 9, 9), 0, 0, 1),
    ]
    return {
        headline: Entry.objects.create(
            blog=blog,
            headline=headline,
            body_text=headline * 2,
            pub_date=day,
            number_of_comments=comments,
            number_of_pingbacks=pingbacks,
            rating=rating,
        )
        for headline, blog, day, comments, pingbacks, rating in rows
    }


def headlines(qs: models.QuerySet[Entry]) -> list[str]:
    return [e.headline for e in qs]


def test_f_compares_fields_and_does_arithmetic(entries: dict[str, Entry]) -> None:
    qs = Entry.objects.filter(number_of_comments__gt=F("number_of_pingbacks")).order_by("pk")
    assert headlines(qs) == ["Lennon"]
    doubled = Entry.objects.filter(number_of_comments__gt=F("number_of_pingbacks") * 2)
    assert headlines(doubled) == ["Lennon"]
    summed = Entry.objects.filter(rating__lt=F("number_of_comments") + F("number_of_pingbacks"))
    assert sorted(headlines(summed)) == ["Cheddar", "Lennon", "McCartney"]
    assert headlines(Entry.objects.filter(headline=F("blog__name"))) == []
    values = Entry.objects.order_by("pk").values_list(
        F("rating") * 10 - 1, (F("rating") + 1) / 2, -F("rating"), F("rating") % 3, 2 ** F("rating")
    )
    assert list(values)[0] == (49, 3, -5, 2, 32)


def test_f_update_is_atomic_and_refresh(entries: dict[str, Entry]) -> None:
    entry = entries["Lennon"]
    entry.number_of_pingbacks = F("number_of_pingbacks") + 1
    entry.save()
    entry.refresh_from_db()
    assert entry.number_of_pingbacks == 3
    assert Entry.objects.filter(blog__name="Cheddar Talk").update(rating=F("rating") * 2) == 2
    assert sorted(Entry.objects.values_list("rating", flat=True)) == [2, 3, 5, 8]
    with pytest.raises(FieldError, match="Joined field references are not permitted"):
        Entry.objects.update(headline=F("blog__name"))


def test_f_annotations_and_output_fields(entries: dict[str, Entry]) -> None:
    qs = Entry.objects.annotate(total=F("number_of_comments") + F("number_of_pingbacks"))
    assert {e.headline: e.total for e in qs} == {
        "Lennon": 12,
        "McCartney": 5,
        "Cheddar": 6,
        "Brie": 0,
    }
    ratio = Entry.objects.annotate(
        ratio=ExpressionWrapper(F("rating") * 1.0 / 2, output_field=FloatField())
    ).get(headline="Lennon")
    assert ratio.ratio == pytest.approx(2.5)
    with pytest.raises(FieldError, match="Cannot infer type of '\\+' expression involving these"):
        list(Entry.objects.annotate(bad=F("rating") + F("headline")))
    mixed = Entry.objects.annotate(
        price=ExpressionWrapper(F("rating") * Decimal("1.5"), output_field=DecimalField())
    ).get(headline="Brie")
    assert mixed.price == Decimal("1.5")
    assert Entry.objects.annotate(blog_name=F("blog__name")).get(headline="Brie").blog_name == (
        "Cheddar Talk"
    )


def test_f_ordering_with_nulls(entries: dict[str, Entry]) -> None:
    ordered = Entry.objects.order_by(F("rating").desc())
    assert headlines(ordered) == ["Lennon", "Cheddar", "McCartney", "Brie"]
    Event.objects.create(name="open", start=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    Event.objects.create(
        name="closed",
        start=datetime.datetime(2020, 1, 2, tzinfo=datetime.UTC),
        end=datetime.datetime(2020, 1, 3, tzinfo=datetime.UTC),
    )
    last = Event.objects.order_by(F("end").desc(nulls_last=True))
    assert [e.name for e in last] == ["closed", "open"]
    first = Event.objects.order_by(F("end").asc(nulls_first=True))
    assert [e.name for e in first] == ["open", "closed"]
    with pytest.raises(ValueError, match="nulls_first and nulls_last are mutually exclusive"):
        F("end").asc(nulls_first=True, nulls_last=True)


def test_value_and_func(entries: dict[str, Entry]) -> None:
    qs = Entry.objects.annotate(tag=Value("x", output_field=CharField()), one=Value(1))
    entry = qs.get(headline="Brie")
    assert (entry.tag, entry.one) == ("x", 1)

    class Lowered(Func):
        function = "LOWER"

    lowered = Entry.objects.annotate(low=Lowered("headline")).get(headline="Brie")
    assert lowered.low == "brie"
    templated = Entry.objects.annotate(
        up=Func(F("headline"), function="UPPER", output_field=CharField())
    ).get(headline="Brie")
    assert templated.up == "BRIE"
    assert Entry.objects.filter(headline__iexact=Upper(Lower(Value("bRIE")))).count() == 1
    assert Entry.objects.filter(Q(headline=Value("Brie"))).count() == 1


def test_raw_sql_annotation(entries: dict[str, Entry]) -> None:
    qs = Entry.objects.annotate(
        doubled=RawSQL("number_of_comments * %s", (2,), output_field=IntegerField())
    ).order_by("pk")
    assert [e.doubled for e in qs] == [20, 2, 6, 0]
    assert Entry.objects.filter(pk__in=RawSQL("SELECT id FROM queries_entry", ())).count() == 4


def test_duration_and_temporal_arithmetic() -> None:
    start = datetime.datetime(2020, 1, 1, 9, tzinfo=datetime.UTC)
    Event.objects.create(
        name="talk",
        start=start,
        end=start + datetime.timedelta(hours=2),
        duration=datetime.timedelta(hours=1),
    )
    Event.objects.create(
        name="lunch",
        start=start,
        end=start + datetime.timedelta(minutes=30),
        duration=datetime.timedelta(hours=1),
    )
    qs = Event.objects.annotate(length=F("end") - F("start")).order_by("name")
    assert [e.length for e in qs] == [datetime.timedelta(minutes=30), datetime.timedelta(hours=2)]
    overran = Event.objects.filter(end__gt=F("start") + F("duration"))
    assert [e.name for e in overran] == ["talk"]
    shifted = Event.objects.annotate(
        later=ExpressionWrapper(
            F("start") + datetime.timedelta(days=1), output_field=models.DateTimeField()
        )
    ).get(name="talk")
    assert shifted.later == start + datetime.timedelta(days=1)
    longer = Event.objects.annotate(
        twice=ExpressionWrapper(F("duration") + F("duration"), output_field=DurationField())
    ).get(name="lunch")
    assert longer.twice == datetime.timedelta(hours=2)
    assert Event.objects.filter(end__lt=F("start") + datetime.timedelta(hours=1)).count() == 1


def test_case_when_annotation_update_and_aggregation(entries: dict[str, Entry]) -> None:
    qs = Entry.objects.annotate(
        level=Case(
            When(rating__gte=5, then=Value("top")),
            When(Q(rating__gte=3) & Q(number_of_comments__gt=0), then=Value("mid")),
            default=Value("low"),
        )
    ).order_by("pk")
    assert [(e.headline, e.level) for e in qs] == [
        ("Lennon", "top"),
        ("McCartney", "mid"),
        ("Cheddar", "mid"),
        ("Brie", "low"),
    ]
    numeric = Entry.objects.annotate(
        bonus=Case(When(blog__name="Cheddar Talk", then=F("rating") * 10), default=0)
    ).order_by("pk")
    assert [e.bonus for e in numeric] == [0, 0, 40, 10]
    Entry.objects.update(
        number_of_pingbacks=Case(
            When(rating__gte=4, then=Value(100)), default=F("number_of_pingbacks")
        )
    )
    assert sorted(Entry.objects.values_list("number_of_pingbacks", flat=True)) == [0, 4, 100, 100]
    counts = Entry.objects.aggregate(
        top=Count("pk", filter=Q(rating__gte=4)),
        low=Count("pk", filter=Q(rating__lt=4)),
        weighted=Sum(Case(When(rating__gte=4, then=2), default=1)),
    )
    assert counts == {"top": 2, "low": 2, "weighted": 6}
    filtered = Entry.objects.filter(
        Case(When(rating__gt=3, then=Value(True)), default=Value(False))
    ).order_by("pk")
    assert headlines(filtered) == ["Lennon", "Cheddar"]
    with pytest.raises(TypeError, match="When\\(\\) supports a Q object"):
        When(then=1)
    with pytest.raises(TypeError, match="Positional arguments must all be When objects"):
        Case(Value(1))


def test_subquery_outerref_exists(entries: dict[str, Entry]) -> None:
    newest = Entry.objects.filter(blog=OuterRef("pk")).order_by("-pub_date")
    blogs = Blog.objects.annotate(newest_headline=Subquery(newest.values("headline")[:1]))
    assert {b.name: b.newest_headline for b in blogs} == {
        "Cheddar Talk": "Brie",
        "Beatles Blog": "Lennon",
    }
    recent = Entry.objects.filter(blog=OuterRef("pk"), pub_date__year__gte=2009)
    with_recent = Blog.objects.annotate(has_recent=Exists(recent))
    assert {b.name: b.has_recent for b in with_recent} == {
        "Cheddar Talk": True,
        "Beatles Blog": False,
    }
    assert [b.name for b in Blog.objects.filter(Exists(recent))] == ["Cheddar Talk"]
    assert [b.name for b in Blog.objects.filter(~Exists(recent))] == ["Beatles Blog"]
    totals = (
        Entry.objects.filter(blog=OuterRef("pk"))
        .order_by()
        .values("blog")
        .annotate(total=Sum("number_of_comments"))
        .values("total")
    )
    assert {b.name: b.total for b in Blog.objects.annotate(total=Subquery(totals))} == {
        "Cheddar Talk": 3,
        "Beatles Blog": 11,
    }
    count = Func(F("id"), function="COUNT")
    counted = Entry.objects.filter(blog=OuterRef("pk")).annotate(c=count).values("c")
    assert sorted(b.n for b in Blog.objects.annotate(n=Subquery(counted))) == [2, 2]
    best = Entry.objects.filter(blog=OuterRef("blog")).order_by("-rating").values("pk")[:1]
    assert sorted(headlines(Entry.objects.filter(pk=Subquery(best)))) == ["Cheddar", "Lennon"]


def test_nested_outerref(entries: dict[str, Entry]) -> None:
    inner = Entry.objects.filter(blog=OuterRef(OuterRef("blog")), rating__gt=OuterRef("rating"))
    middle = Entry.objects.filter(pk=OuterRef("pk")).annotate(better=Exists(inner))
    qs = Entry.objects.annotate(beaten=Subquery(middle.values("better")[:1])).order_by("pk")
    assert [(e.headline, bool(e.beaten)) for e in qs] == [
        ("Lennon", False),
        ("McCartney", True),
        ("Cheddar", False),
        ("Brie", True),
    ]


def test_window_functions(entries: dict[str, Entry]) -> None:
    qs = Entry.objects.annotate(
        rank=Window(expression=Rank(), partition_by=[F("blog")], order_by=F("rating").desc()),
        row=Window(expression=RowNumber(), order_by=F("pub_date").asc()),
        blog_avg=Window(expression=Avg("rating"), partition_by=F("blog")),
    ).order_by("pk")
    assert [(e.headline, e.rank, e.row) for e in qs] == [
        ("Lennon", 1, 3),
        ("McCartney", 2, 1),
        ("Cheddar", 1, 2),
        ("Brie", 2, 4),
    ]
    assert [float(e.blog_avg) for e in qs] == [4.0, 4.0, 2.5, 2.5]
    running = Entry.objects.annotate(
        running=Window(
            expression=Sum("rating"),
            order_by=F("pub_date").asc(),
            frame=RowRange(start=None, end=0),
        ),
        around=Window(
            expression=Max("rating"), order_by=F("rating").asc(), frame=ValueRange(-1, 1)
        ),
    ).order_by("pub_date")
    assert [e.running for e in running] == [3, 7, 12, 13]
    assert [e.around for e in running] == [4, 5, 5, 1]


def test_expression_errors_name_the_problem(entries: dict[str, Entry]) -> None:
    with pytest.raises(FieldError, match="Cannot resolve keyword 'nope' into field"):
        list(Entry.objects.annotate(x=F("nope")))
    with pytest.raises(FieldError, match="Cannot compute Sum\\('total'\\): 'total' is an agg"):
        Entry.objects.aggregate(total=Sum("rating"), avg=Sum("total"))
    with pytest.raises(FieldError, match="Cannot compute Sum\\('a'\\): 'a' is an aggregate"):
        Entry.objects.annotate(a=Sum("rating"), b=Sum("a"))
    assert Entry.objects.aggregate(total=Sum("rating"), double=F("total") * 2) == {
        "total": 13,
        "double": 26,
    }
    assert Entry.objects.annotate(s=Sum("rating")).aggregate(Sum("s")) == {"s__sum": 13}
    with pytest.raises(ValueError, match="conflicts with a field on the model"):
        Entry.objects.annotate(headline=Value("x"))
    with pytest.raises(TypeError, match="Complex annotations require an alias"):
        Entry.objects.annotate(F("rating") + 1)
    with pytest.raises(ValueError, match="This queryset contains a reference to an outer query"):
        list(Entry.objects.filter(pk=OuterRef("pk")))


def test_alias_is_usable_but_not_selected(entries: dict[str, Entry]) -> None:
    qs = Entry.objects.alias(length=Length("headline")).filter(length__gt=5).order_by("length")
    assert headlines(qs) == ["Lennon", "Cheddar", "McCartney"]
    assert not hasattr(qs[0], "length")
    with pytest.raises(FieldError, match="Cannot select the 'length' alias"):
        list(Entry.objects.alias(length=Length("headline")).values("length"))


def test_boolean_expressions_in_q(entries: dict[str, Entry]) -> None:
    recent = Exists(Entry.objects.filter(blog=OuterRef("blog"), pub_date__year=2009))
    qs = Entry.objects.filter(recent | Q(rating=5)).order_by("pk")
    assert headlines(qs) == ["Lennon", "Cheddar", "Brie"]
    qs = Entry.objects.filter(Q(recent) & ~Q(rating=1))
    assert headlines(qs) == ["Cheddar"]
    assert Entry.objects.filter(Q(rating=5) ^ Q(blog__name="Beatles Blog")).count() == 1
