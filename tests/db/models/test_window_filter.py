"""Filtering on window functions (Django 4.2+): the query is wrapped, filtered outside."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from fastjango.db import connections
from fastjango.db.models import Count, F, Q, Sum, Window
from fastjango.db.models.functions import Rank, RowNumber
from fastjango.test.utils import CaptureQueriesContext
from tests.db.models.models_aggregation import Author, Book, Publisher

pytestmark = pytest.mark.usefixtures("using")

DAY = datetime.date(2020, 1, 1)


@pytest.fixture
def books(using: str) -> None:
    """Two publishers: A (books a1 9.00, a2 7.00, a3 7.00) and B (b1 5.00, b2 8.00)."""
    first = Publisher.objects.create(name="A")
    second = Publisher.objects.create(name="B")
    ann = Author.objects.create(name="Ann", age=30)
    bob = Author.objects.create(name="Bob", age=40)
    rows = [
        ("a1", first, "9.00", 100, [ann]),
        ("a2", first, "7.00", 300, [ann, bob]),
        ("a3", first, "7.00", 200, []),
        ("b1", second, "5.00", 400, [bob]),
        ("b2", second, "8.00", 50, [ann]),
    ]
    for name, publisher, price, pages, authors in rows:
        book = Book.objects.create(
            name=name,
            pages=pages,
            price=Decimal(price),
            rating=4.0,
            publisher=publisher,
            pubdate=DAY,
        )
        book.authors.set(authors)


def ranked() -> object:
    return Book.objects.annotate(
        rank=Window(Rank(), partition_by="publisher", order_by=F("price").desc())
    )


def names(qs: object) -> list[str]:
    return [b.name for b in qs]  # type: ignore[attr-defined]


@pytest.mark.usefixtures("books")
def test_filter_and_exclude_on_a_window(using: str) -> None:
    qs = ranked().order_by("name")  # type: ignore[attr-defined]
    with CaptureQueriesContext(connections[using]) as ctx:
        top = list(qs.filter(rank=1))
    assert [(b.name, b.rank) for b in top] == [("a1", 1), ("b2", 1)]
    assert len(ctx) == 1
    assert names(qs.filter(rank__gt=1)) == ["a2", "a3", "b1"]
    assert names(qs.exclude(rank=1)) == ["a2", "a3", "b1"]
    assert names(qs.filter(rank__in=[2])) == ["a2", "a3", "b1"]
    assert names(qs.filter(rank__lte=F("pages") / 100)) == ["a1", "a2", "a3", "b1"]
    # The window ranks the rows the plain filters keep.
    assert names(qs.filter(pages__gte=200, rank=1)) == ["a2", "a3", "b1"]
    assert names(qs.filter(pages__gte=200).filter(rank=1)) == ["a2", "a3", "b1"]


@pytest.mark.usefixtures("books")
def test_disjunctions_mixing_window_and_plain_conditions() -> None:
    qs = ranked().order_by("name")  # type: ignore[attr-defined]
    assert names(qs.filter(Q(rank=1) | Q(pages__gte=300))) == ["a1", "a2", "b1", "b2"]
    assert names(qs.filter(Q(rank=1) | Q(name="a3"))) == ["a1", "a3", "b2"]
    assert names(qs.exclude(rank=1, pages__lt=100)) == ["a1", "a2", "a3", "b1"]
    # a1 and b2 are both first and short: XOR keeps neither.
    assert names(qs.filter(Q(rank=1) ^ Q(pages__lt=150))) == []
    assert names(qs.filter(Q(rank=1) ^ Q(pages__gte=400))) == ["a1", "b1", "b2"]
    # pages__lte=300 drops b1 before ranking; then a2 and a3 share second place.
    assert names(qs.filter(~Q(rank=1) & Q(pages__lte=300))) == ["a2", "a3"]


@pytest.mark.usefixtures("books")
def test_shapes_of_the_wrapped_query() -> None:
    qs = ranked().filter(rank=1)  # type: ignore[attr-defined]
    assert list(qs.order_by("-price").values_list("name", "rank")) == [("a1", 1), ("b2", 1)]
    assert list(qs.order_by("name").values("name")) == [{"name": "a1"}, {"name": "b2"}]
    assert qs.count() == 2
    assert qs.exists()
    assert not ranked().filter(rank=9).exists()  # type: ignore[attr-defined]
    assert qs.aggregate(total=Sum("pages")) == {"total": 150}
    assert names(qs.order_by("-name")[:1]) == ["b2"]
    assert names(qs.order_by("name")[1:]) == ["b2"]
    with_publisher = list(qs.select_related("publisher").order_by("publisher__name"))
    assert [(b.name, b.publisher.name) for b in with_publisher] == [("a1", "A"), ("b2", "B")]
    assert names(Book.objects.filter(pk__in=qs.values("pk")).order_by("name")) == ["a1", "b2"]


@pytest.mark.usefixtures("books")
def test_window_only_aliased_stays_hidden() -> None:
    qs = Book.objects.alias(
        row=Window(RowNumber(), partition_by="publisher", order_by=["-pages"])
    ).filter(row=1)
    fetched = list(qs.order_by("name"))
    assert names(fetched) == ["a2", "b1"]
    assert not hasattr(fetched[0], "row")


@pytest.mark.usefixtures("books")
def test_window_filters_with_aggregation() -> None:
    counted = Book.objects.annotate(
        n=Count("authors"),
        rank=Window(Rank(), order_by=Count("authors").desc()),
    ).order_by("name")
    assert [(b.name, b.n) for b in counted.filter(rank=1)] == [("a2", 2)]
    assert [(b.name, b.n) for b in counted.filter(rank=1, n__gte=1)] == [("a2", 2)]
    message = (
        "Heterogeneous disjunctive predicates against window functions are not implemented "
        "when performing conditional aggregation."
    )
    with pytest.raises(NotImplementedError, match=message):
        list(counted.filter(Q(rank=1) | Q(name="a1")))
    with pytest.raises(NotImplementedError, match=message):
        list(counted.exclude(rank=1, name="a1"))


@pytest.mark.usefixtures("books")
def test_update_and_delete_through_a_window_filter() -> None:
    top = ranked().filter(rank=1)  # type: ignore[attr-defined]
    assert top.update(rating=5.0) == 2
    assert names(Book.objects.filter(rating=5.0).order_by("name")) == ["a1", "b2"]
    deleted, _ = ranked().filter(rank=3).delete()  # type: ignore[attr-defined]
    assert deleted == 0
    deleted, by_model = ranked().filter(rank=2).delete()  # type: ignore[attr-defined]
    assert by_model["aggregation.Book"] == 3
    assert names(Book.objects.order_by("name")) == ["a1", "b2"]


@pytest.mark.anyio
@pytest.mark.usefixtures("ausing")
async def test_async_window_filter() -> None:
    publisher = await Publisher.objects.acreate(name="P")
    for index in range(3):
        await Book.objects.acreate(
            name=f"p{index}",
            pages=index,
            price=Decimal(index),
            rating=1.0,
            publisher=publisher,
            pubdate=DAY,
        )
    qs = Book.objects.annotate(row=Window(RowNumber(), order_by="-pages")).filter(row__lte=2)
    assert [b.name async for b in qs.order_by("row")] == ["p2", "p1"]
    assert await qs.acount() == 2
