"""Q objects and the WHERE tree: combination, empty/full branches, XOR, conditions as values."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from fastjango.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q
from fastjango.db.models.sql.where import AND, OR, WhereNode
from tests.db.models.models_queries import Blog

pytestmark = pytest.mark.usefixtures("using")

EMPTY = Q(pk__in=[])


@pytest.fixture
def blogs(using: str) -> list[Blog]:
    return [Blog.objects.create(name=n, tagline=t) for n, t in (("A", "x"), ("B", "y"), ("C", "x"))]


def names(condition: Any) -> list[str]:
    return sorted(b.name for b in Blog.objects.filter(condition))


def test_q_api() -> None:
    q = Q(name="A") | Q(tagline="x", name="B")
    assert ("name", "A") in Q(name="A")
    assert q.deconstruct() == (
        "fastjango.db.models.Q",
        (("name", "A"), Q(name="B", tagline="x")),
        {"_connector": "OR"},
    )
    assert (~Q(name="A")).deconstruct() == (
        "fastjango.db.models.Q",
        (("name", "A"),),
        {"_negated": True},
    )
    assert [type(x).__name__ for x in q.flatten()] == ["Q", "str", "Q", "str", "str"]
    assert q.referenced_base_fields == {"name", "tagline"}
    assert Q(tags=[1, {"a": {2}}]) == Q(tags=[1, {"a": {2}}])
    assert hash(Q(tags=[1, {"a": [2]}])) == hash(Q(tags=[1, {"a": [2]}]))
    assert Q(x=1).__eq__(object()) is NotImplemented
    assert Q(x=1) & Q() == Q(x=1) and Q() | Q(x=1) == Q(x=1)
    with pytest.raises(TypeError):
        Q(x=1) & 1  # type: ignore[operator]
    with_expression = Q(Exists(Blog.objects.all())) & Q(x=1)
    assert len(list(with_expression.flatten())) >= 3
    deep = copy.deepcopy(q)
    assert deep == q and deep is not q


def test_empty_and_full_branches(blogs: list[Blog]) -> None:
    assert names(EMPTY) == []
    assert names(~EMPTY) == ["A", "B", "C"]
    assert names(EMPTY | Q(name="A")) == ["A"]
    assert names(EMPTY & Q(name="A")) == []
    assert names(~EMPTY & Q(name="A")) == ["A"]
    assert names(~EMPTY | Q(name="A")) == ["A", "B", "C"]
    assert names(~(EMPTY | EMPTY)) == ["A", "B", "C"]
    assert names(~(~EMPTY & ~EMPTY)) == []
    assert names(~(~EMPTY | Q(name="A"))) == []
    assert names(EMPTY ^ Q(name="A")) == ["A"]
    assert names(EMPTY ^ EMPTY) == []
    assert names(~(EMPTY ^ EMPTY)) == ["A", "B", "C"]
    assert names(~EMPTY ^ Q(name="A")) == ["B", "C"]
    assert names(Q(name="A") ^ Q(tagline="x") ^ Q(name="C")) == []
    assert names(~(Q(name="A") ^ Q(tagline="x"))) == ["A", "B"]


def test_conditions_as_values(blogs: list[Blog]) -> None:
    flagged = Blog.objects.annotate(
        x=ExpressionWrapper(Q(tagline="x"), output_field=BooleanField())
    ).order_by("name")
    assert [b.x for b in flagged] == [True, False, True]
    never = Blog.objects.annotate(x=ExpressionWrapper(EMPTY, output_field=BooleanField()))
    assert {b.x for b in never} == {False}
    always = Blog.objects.annotate(x=ExpressionWrapper(~EMPTY, output_field=BooleanField()))
    assert {b.x for b in always} == {True}
    grouped = (
        Blog.objects.values(x=ExpressionWrapper(Q(tagline="x"), output_field=BooleanField()))
        .annotate(n=Count("pk"))
        .order_by("x")
    )
    assert [(row["x"], row["n"]) for row in grouped] == [(False, 1), (True, 2)]
    same_tagline = Blog.objects.filter(tagline=OuterRef("tagline")).exclude(pk=OuterRef("pk"))
    paired = Blog.objects.filter(Exists(same_tagline) | Q(name="B"))
    assert sorted(b.name for b in paired) == ["A", "B", "C"]
    having = Blog.objects.annotate(n=Count("entry")).filter(Q(n=0) | Q(name="A"))
    assert sorted(b.name for b in having) == ["A", "B", "C"]
    mixed = Blog.objects.annotate(n=Count("entry")).filter(~(Q(n__gt=0) & Q(name="A")))
    assert sorted(b.name for b in mixed) == ["A", "B", "C"]


def test_where_node_api() -> None:
    node = WhereNode([("a", 1)], AND)
    assert repr(node) == "<WhereNode: (AND: ('a', 1))>"
    node.negate()
    assert repr(node) == "<WhereNode: (NOT (AND: ('a', 1)))>"
    other = node.add(("b", 2), OR)
    assert other == ("b", 2) and node.connector == OR and len(node.children) == 2
    clone = copy.deepcopy(node)
    assert clone.children == node.children and clone.children is not node.children
    assert list(WhereNode([("c", 3)]).flatten())[1] == ("c", 3)
    assert type(node.output_field).__name__ == "BooleanField"
    assert node._output_field_or_none is not None
    node.set_source_expressions([("z", 0)])
    assert node.children == [("z", 0)]
    assert WhereNode([]).get_group_by_cols() == []
