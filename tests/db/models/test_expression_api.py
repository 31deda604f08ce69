"""Expression objects themselves: operators, reprs, output fields, grouping, edge cases."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

import pytest

from fastjango.core.exceptions import FieldError
from fastjango.db import models
from fastjango.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OrderBy,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from fastjango.db.models.expressions import (
    CombinedExpression,
    ExpressionList,
    RawSQL,
    RowRange,
    Star,
    ValueRange,
)
from fastjango.db.models.functions import Lower, Rank, Upper
from tests.db.models.models_queries import Blog, Entry


@pytest.fixture
def entries(using: str) -> list[Entry]:
    blog = Blog.objects.create(name="Blog", tagline="")
    other = Blog.objects.create(name="Other", tagline="")
    return [
        Entry.objects.create(
            blog=blog if rating != 2 else other,
            headline=f"h{rating}",
            body_text="",
            pub_date=datetime.date(2020, 1, rating),
            rating=rating,
            number_of_comments=rating * 3,
        )
        for rating in (1, 2, 3)
    ]


def test_reverse_and_power_operators(entries: list[Entry], using: str) -> None:
    row = Entry.objects.annotate(
        radd=1 + F("rating"),
        rsub=10 - F("rating"),
        rmul=2 * F("rating"),
        rdiv=12 / F("rating"),
        rmod=7 % F("rating"),
        pow=F("rating") ** 2,
    ).get(rating=3)
    assert (row.radd, row.rsub, row.rmul, row.rdiv, row.rmod, row.pow) == (4, 7, 6, 4, 1, 9)


def test_bitwise_operators(entries: list[Entry], using: str) -> None:
    row = Entry.objects.annotate(
        band=F("rating").bitand(2),
        bor=F("rating").bitor(4),
        left=F("rating").bitleftshift(2),
        right=F("number_of_comments").bitrightshift(1),
    ).get(rating=3)
    assert (row.band, row.bor, row.left, row.right) == (2, 7, 12, 4)
    xor = Entry.objects.annotate(x=F("rating").bitxor(1))
    assert sorted(e.x for e in xor) == [0, 2, 3]
    for operation in (
        lambda: F("a") & F("b"),
        lambda: F("a") | F("b"),
        lambda: F("a") ^ F("b"),
        lambda: 1 & F("a"),
        lambda: 1 | F("a"),
        lambda: 1 ^ F("a"),
    ):
        with pytest.raises(NotImplementedError, match="Use .bitand\\(\\), .bitor\\(\\)"):
            operation()


def test_conditional_expressions_combine_into_q(entries: list[Entry]) -> None:
    high = Exists(Entry.objects.filter(pk=OuterRef("pk"), rating__gte=2))
    odd = Exists(Entry.objects.filter(pk=OuterRef("pk"), rating__in=[1, 3]))
    assert isinstance(high & odd, Q) and isinstance(high ^ odd, Q) and isinstance(high | odd, Q)
    assert [e.rating for e in Entry.objects.filter(high & odd)] == [3]
    assert sorted(e.rating for e in Entry.objects.filter(high ^ odd)) == [1, 2]
    assert Entry.objects.filter(~~high).count() == 2
    assert Entry.objects.filter(~Exists(Entry.objects.none())).count() == 3
    assert Entry.objects.filter(Exists(Entry.objects.none())).count() == 0


def test_reprs_and_strings() -> None:
    combined = F("a") + F("b") * 2
    assert repr(combined) == "<CombinedExpression: F(a) + F(b) * Value(2)>"
    assert str(F("a") - 1) == "F(a) - Value(1)"
    assert repr(Value("x")) == "Value('x')"
    assert repr(Star()) == "'*'"
    assert repr(RawSQL("SELECT %s", (1,))) == "RawSQL(SELECT %s, (1,))"
    assert repr(Func(F("a"), output_field=models.IntegerField())) == "Func(F(a))"
    assert repr(Func(F("a"), function="X", flag=1)) == "Func(F(a), flag=1, function='X')"
    assert str(ExpressionList(F("a"), F("b"))) == "F(a), F(b)"
    assert repr(ExpressionWrapper(F("a"), output_field=models.IntegerField())) == (
        "ExpressionWrapper(F(a))"
    )
    when = When(rating=1, then=Value("one"))
    assert repr(when) == "<When: WHEN <Q: (AND: ('rating', 1))> THEN Value('one')>"
    case = Case(when, default=Value("other"))
    assert repr(case) == (
        "<Case: CASE WHEN <Q: (AND: ('rating', 1))> THEN Value('one'), ELSE Value('other')>"
    )
    assert repr(OrderBy(F("a"), descending=True)) == "OrderBy(F(a), descending=True)"
    window = Window(Rank(), partition_by=F("blog"), order_by="-rating")
    assert repr(window).startswith("<Window: Rank() OVER (F(blog) ")
    assert repr(RowRange(start=-1, end=1)) == (
        "<RowRange: ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING>"
    )
    assert str(ValueRange(start=None, end=0)) == (
        "RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"
    )


def test_expression_identity_and_helpers() -> None:
    assert F("a") == F("a") and hash(F("a")) == hash(F("a"))
    assert Lower("a") == Lower("a") and Lower("a") != Upper("a")
    assert Func(F("a"), function="X", data=[1]) == Func(F("a"), function="X", data=[1])
    assert hash(Func(F("a"), function="X", data={"k": [1]})) is not None
    assert Value(1) != Value(2) and Value(1) == Value(1)
    assert Blog._meta.get_field("name").get_col("t") == Blog._meta.get_field("name").get_col("t")
    flat = list((F("a") + Lower("b")).flatten())
    assert [type(e).__name__ for e in flat] == ["CombinedExpression", "F", "Lower", "F"]
    assert list(F("a").flatten()) == [F("a")]
    assert F("a").get_refs() == {"a"}
    assert F("a").copy() == F("a")
    wrapper = ExpressionWrapper(F("a"), output_field=models.IntegerField())
    assert isinstance(wrapper.field, models.IntegerField)
    assert OrderBy(F("a")).asc().descending is False
    assert OrderBy(F("a")).desc().descending is True
    assert Lower("a").asc().descending is False
    assert Lower("a").reverse_ordering() == Lower("a")
    with pytest.raises(FieldError, match="F\\('a'\\) needs a query to be resolved against"):
        F("a").resolve_expression()
    with pytest.raises(ValueError, match="nulls_first and nulls_last values must be True or None"):
        OrderBy(F("a"), nulls_first=False)
    with pytest.raises(ValueError, match="expression must be an expression type"):
        OrderBy("a")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Expression 'Lower' isn't compatible with OVER clauses"):
        Window(Lower("a"))
    with pytest.raises(ValueError, match="Window.order_by must be either a string reference"):
        Window(Rank(), order_by=1)
    with pytest.raises(TypeError, match="'Lower' takes exactly 1 argument \\(2 given\\)"):
        Lower("a", "b")
    with pytest.raises(
        ValueError, match="An empty Q\\(\\) can't be used as a When\\(\\) condition"
    ):
        When(Q(), then=1)
    reversed_order = OrderBy(F("a"), nulls_first=True).reverse_ordering()
    assert (reversed_order.descending, reversed_order.nulls_last) == (True, True)
    back = reversed_order.reverse_ordering()
    assert (back.descending, back.nulls_first) == (False, True)


def test_value_output_fields() -> None:
    cases: list[tuple[Any, type[Any]]] = [
        ("x", models.CharField),
        (True, models.BooleanField),
        (1, models.IntegerField),
        (1.5, models.FloatField),
        (Decimal("1.5"), models.DecimalField),
        (datetime.datetime(2020, 1, 1), models.DateTimeField),
        (datetime.date(2020, 1, 1), models.DateField),
        (datetime.time(1, 2), models.TimeField),
        (datetime.timedelta(1), models.DurationField),
        (b"x", models.BinaryField),
        (uuid.UUID(int=1), models.UUIDField),
    ]
    for value, field_class in cases:
        assert type(Value(value).output_field) is field_class, value
    with pytest.raises(FieldError, match="Cannot resolve expression type, unknown output_field"):
        Value(object()).output_field  # noqa: B018


def test_slicing_f_expressions(entries: list[Entry]) -> None:
    row = Entry.objects.annotate(first=F("headline")[0], part=F("headline")[0:1]).get(rating=1)
    assert (row.first, row.part) == ("h", "h")
    rest = Entry.objects.annotate(rest=F("headline")[1:]).get(rating=2)
    assert rest.rest == "2"
    with pytest.raises(ValueError, match="Negative indexing is not supported"):
        F("headline")[-1:]
    with pytest.raises(TypeError, match="Argument to slice must be an int or a slice"):
        F("headline")[::2]


def test_grouping_by_expressions(entries: list[Entry]) -> None:
    by_case = (
        Entry.objects.annotate(
            size=Case(When(rating__gte=2, then=Value("big")), default=Value("small"))
        )
        .values("size")
        .annotate(n=Count("pk"))
        .order_by("size")
    )
    assert list(by_case) == [{"size": "big", "n": 2}, {"size": "small", "n": 1}]
    by_raw = (
        Entry.objects.annotate(
            bucket=RawSQL(
                "CASE WHEN rating > 1 THEN 1 ELSE 0 END", (), output_field=models.IntegerField()
            )
        )
        .values("bucket")
        .annotate(n=Count("pk"))
        .order_by("bucket")
    )
    assert [row["n"] for row in by_raw] == [1, 2]
    by_wrapper = (
        Entry.objects.annotate(
            double=ExpressionWrapper(F("rating") * 2, output_field=models.IntegerField())
        )
        .values("double")
        .annotate(n=Count("pk"))
        .order_by("double")
    )
    assert [row["double"] for row in by_wrapper] == [2, 4, 6]
    newest = Entry.objects.filter(blog=OuterRef("blog")).order_by("-rating").values("rating")[:1]
    by_subquery = (
        Entry.objects.annotate(best=Subquery(newest))
        .values("best")
        .annotate(n=Count("pk"))
        .order_by("best")
    )
    assert list(by_subquery) == [{"best": 2, "n": 1}, {"best": 3, "n": 2}]
    by_window = Entry.objects.annotate(
        rank=Window(Rank(), partition_by=[F("blog")], order_by=F("rating").desc())
    ).values("rank", "headline")
    assert sorted((r["headline"], r["rank"]) for r in by_window) == [
        ("h1", 2),
        ("h2", 1),
        ("h3", 1),
    ]
    total = Entry.objects.values("blog").annotate(
        total=ExpressionWrapper(Sum("rating") * 2, output_field=models.IntegerField())
    )
    assert sorted(row["total"] for row in total) == [4, 8]


def test_case_edge_cases(entries: list[Entry]) -> None:
    never = Entry.objects.annotate(
        x=Case(When(pk__in=[], then=Value(1)), default=Value(0))
    ).values_list("x", flat=True)
    assert list(never) == [0, 0, 0]
    always = Entry.objects.annotate(
        x=Case(When(~Q(pk__in=[]), then=Value(1)), default=Value(0))
    ).values_list("x", flat=True)
    assert list(always) == [1, 1, 1]
    only_default = Entry.objects.annotate(x=Case(default=Value(5))).values_list("x", flat=True)
    assert list(only_default) == [5, 5, 5]
    exists_condition = Entry.objects.annotate(
        x=Case(
            When(Exists(Blog.objects.filter(pk=OuterRef("blog"), name="Other")), then=Value(1)),
            default=Value(0),
        )
    ).order_by("rating")
    assert [e.x for e in exists_condition] == [0, 1, 0]
    grouped = (
        Entry.objects.values(kind=Case(default=Value("all"))).annotate(n=Count("pk")).order_by()
    )
    assert list(grouped) == [{"kind": "all", "n": 3}]


def test_django_style_func_templates(entries: list[Entry]) -> None:
    class Shout(Func):
        function = "UPPER"
        template = "%(function)s(%(expressions)s)"
        arg_joiner = " || "

        def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
            return super().as_sql(compiler, connection, function="UPPER", **extra)

    row = Entry.objects.annotate(s=Shout("headline", output_field=models.CharField())).get(rating=1)
    assert row.s == "H1"
    empty = Entry.objects.annotate(
        c=Func(
            Exists(Entry.objects.none()),
            template="CASE WHEN %(expressions)s THEN 1 ELSE 0 END",
            output_field=models.IntegerField(),
        )
    ).get(rating=1)
    assert empty.c == 0
    count_none = Entry.objects.annotate(
        c=Func(
            Subquery(Entry.objects.none().values("pk")),
            template="COALESCE(%(expressions)s, -1)",
            output_field=models.IntegerField(),
        )
    )
    assert [e.c for e in count_none] == [-1, -1, -1]


def test_window_with_string_ordering(entries: list[Entry]) -> None:
    qs = Entry.objects.annotate(r=Window(Rank(), order_by="-rating")).order_by("rating")
    assert [e.r for e in qs] == [3, 2, 1]
    by_list = Entry.objects.annotate(r=Window(Rank(), order_by=["blog", "rating"]))
    assert sorted(e.r for e in by_list) == [1, 2, 3]
    combined = CombinedExpression(F("rating"), "+", Value(1))
    assert [e.x for e in Entry.objects.annotate(x=combined).order_by("rating")] == [2, 3, 4]
