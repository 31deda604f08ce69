"""The expression protocol Django code relies on: group-by columns, identity, output types."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import sqlalchemy as sa

from fastjango.core.exceptions import FieldError
from fastjango.db import connections, models
from fastjango.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
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
    Col,
    CombinedExpression,
    Expression,
    ExpressionList,
    Ref,
    RowRange,
    Star,
    TemporalSubtraction,
    _combined_output_field,
)
from fastjango.db.models.functions import Lower, Rank
from fastjango.db.models.sql.compiler import SQLCompiler
from fastjango.db.models.sql.query import Query
from tests.db.models.models_queries import Blog, Entry, Event

Int = models.IntegerField
Dec = models.DecimalField
Flt = models.FloatField


def test_combined_output_types() -> None:
    i, d, f = Int(), Dec(), Flt()
    assert _combined_output_field(None, "+", i) is i
    assert _combined_output_field(i, "+", None) is i
    assert _combined_output_field(i, "+", d) is d
    assert _combined_output_field(d, "*", i) is d
    assert _combined_output_field(i, "/", f) is f
    assert _combined_output_field(f, "-", i) is f
    date, duration = models.DateField(), models.DurationField()
    assert _combined_output_field(duration, "+", date) is date
    assert _combined_output_field(duration, "-", duration) is duration
    assert isinstance(_combined_output_field(date, "-", models.DateField()), models.DurationField)
    boolean = models.BooleanField()
    assert _combined_output_field(boolean, "&", models.BooleanField()) is boolean
    with pytest.raises(FieldError, match="Cannot infer type of '\\+' expression"):
        _combined_output_field(models.CharField(), "+", models.CharField())
    assert isinstance(TemporalSubtraction(F("a"), F("b")).output_field, models.DurationField)


def test_mixed_source_types_need_output_field() -> None:
    class Pair(models.Func):
        function = "COALESCE"

    mixed = Pair(Value(1), Value("x"))
    with pytest.raises(FieldError, match="Expression contains mixed types: IntegerField, Char"):
        mixed.output_field  # noqa: B018
    assert Pair(Value(1), Value(2)).output_field.get_internal_type() == "IntegerField"
    assert Pair()._output_field_or_none is None


def test_group_by_columns_of_expressions() -> None:
    query = Query(Blog)
    alias = query.get_initial_alias()
    col = Col(alias, Blog._meta.get_field("name"))
    assert col.get_group_by_cols() == [col]
    assert (Sum(col) + Value(1)).get_group_by_cols() == []
    assert (col + Value(1)).get_group_by_cols() == [col + Value(1)]
    assert OrderBy(col).get_group_by_cols() == [col]
    window = Window(Rank(), partition_by=[col], order_by=[col])
    assert len(window.get_group_by_cols()) == 2
    assert Window(Rank()).get_group_by_cols() == []
    assert RowRange(-1, 1).get_group_by_cols() == []
    assert When(Q(pk=1), then=col).resolve_expression(query).get_group_by_cols()
    ref = Ref("n", col)
    assert ref.get_group_by_cols() == [ref] and ref.resolve_expression() is ref
    assert repr(ref) == f"Ref(n, Col({alias}, queries.Blog.name))"
    assert repr(col) == f"Col({alias}, queries.Blog.name)"
    wrapped = ExpressionWrapper(Sum(col) * 2, output_field=Int())
    assert wrapped.get_group_by_cols() == []
    assert ExpressionList(col).output_field.get_internal_type() == "Field"
    assert Window(Rank()).output_field.get_internal_type() == "IntegerField"


def test_identity_edge_cases() -> None:
    bound = ExpressionWrapper(F("name"), output_field=Blog._meta.get_field("name"))
    assert bound == ExpressionWrapper(F("name"), output_field=Blog._meta.get_field("name"))
    assert hash(Value(bytearray(b"x"))) is not None
    assert hash(Value([{"a": [1]}])) == hash(Value([{"a": [1]}]))

    class Loose(Expression):
        def __init__(self, *args: Any) -> None:
            super().__init__()

    assert Loose(1, 2) == Loose(1, 2)
    with pytest.raises(NotImplementedError, match="Loose must define as_sqlalchemy"):
        Loose().as_sqlalchemy(SQLCompiler(Query(Blog), None))


def test_compiling_pieces_directly(orm_alias: str) -> None:
    compiler = SQLCompiler(Query(Blog), connections[orm_alias])
    assert str(compiler.sa(Star())) == "*"
    assert compiler.sa(sa.literal(1)) is not None
    assert str(compiler.sa(ExpressionList())) == ""
    sql, params = Value(5).as_sql(compiler, connections[orm_alias])
    assert isinstance(sql, str) and len(params) == 1


@pytest.mark.usefixtures("using")
def test_conditions_and_subqueries_in_queries() -> None:
    blog = Blog.objects.create(name="b", tagline="")
    for rating in (1, 2):
        Entry.objects.create(
            blog=blog,
            headline=str(rating),
            body_text="",
            pub_date=datetime.date(2020, 1, 1),
            rating=rating,
        )
    never = ExpressionWrapper(Q(pk__in=[]), output_field=BooleanField())
    assert Entry.objects.filter(~never).count() == 2
    exists = Exists(Entry.objects.filter(blog=OuterRef("blog"), rating=2))
    labelled = Entry.objects.annotate(
        x=Case(When(exists, rating=1, then=Value("yes")), default=Value("no"))
    ).order_by("rating")
    assert [e.x for e in labelled] == ["yes", "no"]
    authors_of = Entry.objects.filter(authors=OuterRef("blog__entry__authors")).values("pk")[:1]
    grouped = (
        Entry.objects.annotate(first=Subquery(authors_of)).values("first").annotate(n=Count("pk"))
    )
    assert sum(row["n"] for row in grouped) >= 2
    events = Event.objects.annotate(
        lower=Lower("name"),
        d=ExpressionWrapper(F("end") - F("start"), output_field=models.DurationField()),
    )
    assert list(events) == []
    assert CombinedExpression(F("a"), "+", F("b")).get_source_expressions() == [F("a"), F("b")]
