"""Django's "Aggregation" documentation, example by example, on every backend."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from fastjango.core.exceptions import FieldError
from fastjango.db.models import (
    Avg,
    Count,
    F,
    FloatField,
    Max,
    Min,
    Q,
    StdDev,
    Sum,
    Value,
    Variance,
)
from tests.db.models.models_aggregation import Author, Book, Publisher, Store

pytestmark = pytest.mark.usefixtures("using")


@pytest.fixture
def library(using: str) -> None:
    baloney = Publisher.objects.create(name="BaloneyPress")
    apress = Publisher.objects.create(name="Apress")
    Publisher.objects.create(name="Empty")
    adrian = Author.objects.create(name="Adrian", age=35)
    jacob = Author.objects.create(name="Jacob", age=30)
    brad = Author.objects.create(name="Brad", age=45)
    rows = [
        ("Django Basics", 300, "30.00", 8.0, apress, datetime.date(2008, 1, 1), [adrian, jacob]),
        ("Django Advanced", 500, "50.00", 6.0, apress, datetime.date(2009, 6, 1), [adrian]),
        ("Web Design", 200, "20.00", 4.0, baloney, datetime.date(2007, 3, 1), [brad]),
        ("Python", 400, "40.00", 9.0, baloney, datetime.date(2010, 5, 5), [jacob, brad]),
    ]
    books = {}
    for name, pages, price, rating, publisher, day, authors in rows:
        book = Book.objects.create(
            name=name,
            pages=pages,
            price=Decimal(price),
            rating=rating,
            publisher=publisher,
            pubdate=day,
        )
        book.authors.set(authors)
        books[name] = book
    amazon = Store.objects.create(name="Amazon")
    amazon.books.add(books["Django Basics"], books["Django Advanced"], books["Web Design"])
    shop = Store.objects.create(name="Shop")
    shop.books.add(books["Python"], books["Django Basics"])


def by_name(qs: object, attr: str) -> dict[str, object]:
    return {obj.name: getattr(obj, attr) for obj in qs}  # type: ignore[attr-defined]


@pytest.mark.usefixtures("library")
def test_cheat_sheet() -> None:
    assert Book.objects.count() == 4
    assert Book.objects.filter(publisher__name="BaloneyPress").count() == 2
    avg = Book.objects.aggregate(Avg("price"))
    assert list(avg) == ["price__avg"] and avg["price__avg"] == Decimal("35")
    assert isinstance(avg["price__avg"], Decimal)
    assert Book.objects.aggregate(Max("price")) == {"price__max": Decimal("50.00")}
    # Django's cheat sheet subtracts Avg("price") (a DecimalField) from a FloatField: Django's
    # type table has no Float/Decimal mix, so it asks for output_field, and so do we.
    with pytest.raises(FieldError, match="Cannot infer type of '-' expression"):
        Book.objects.aggregate(price_diff=Max("price", output_field=FloatField()) - Avg("price"))
    diff = Book.objects.aggregate(
        price_diff=Max("price", output_field=FloatField()) - Avg("price", output_field=FloatField())
    )
    assert diff["price_diff"] == pytest.approx(15.0)
    assert Book.objects.aggregate(d=Max("price") - Avg("price")) == {"d": Decimal("15")}
    pubs = Publisher.objects.annotate(num_books=Count("book")).order_by("pk")
    assert [p.num_books for p in pubs] == [2, 2, 0]
    above_5 = Count("book", filter=Q(book__rating__gt=5))
    below_5 = Count("book", filter=Q(book__rating__lte=5))
    pubs = Publisher.objects.annotate(below_5=below_5).annotate(above_5=above_5).order_by("pk")
    assert [(p.above_5, p.below_5) for p in pubs] == [(1, 1), (2, 0), (0, 0)]
    top = Publisher.objects.annotate(num_books=Count("book")).order_by("-num_books", "name")[:2]
    assert [p.name for p in top] == ["Apress", "BaloneyPress"]


@pytest.mark.usefixtures("library")
def test_aggregate_over_queryset() -> None:
    result = Book.objects.aggregate(Avg("price"), Max("price"), Min("price"))
    assert result == {
        "price__avg": Decimal("35"),
        "price__max": Decimal("50.00"),
        "price__min": Decimal("20.00"),
    }
    assert Book.objects.aggregate(average_price=Avg("price")) == {"average_price": Decimal("35")}
    assert Book.objects.aggregate(n=Count("*"), pubs=Count("publisher", distinct=True)) == {
        "n": 4,
        "pubs": 2,
    }
    assert Book.objects.order_by("pages")[:2].aggregate(Sum("pages")) == {"pages__sum": 500}
    assert Book.objects.distinct().aggregate(Count("id")) == {"id__count": 4}


@pytest.mark.usefixtures("library")
def test_annotate_each_item() -> None:
    q = Book.objects.annotate(Count("authors")).order_by("pk")
    assert [b.authors__count for b in q] == [2, 1, 1, 2]
    wrong = Book.objects.annotate(Count("authors"), Count("store")).get(name="Django Basics")
    assert (wrong.authors__count, wrong.store__count) == (4, 4)
    right = Book.objects.annotate(
        Count("authors", distinct=True), Count("store", distinct=True)
    ).get(name="Django Basics")
    assert (right.authors__count, right.store__count) == (2, 2)


@pytest.mark.usefixtures("library")
def test_joins_and_aggregates() -> None:
    stores = Store.objects.annotate(min_price=Min("books__price"), max_price=Max("books__price"))
    assert {s.name: (s.min_price, s.max_price) for s in stores} == {
        "Amazon": (Decimal("20.00"), Decimal("50.00")),
        "Shop": (Decimal("30.00"), Decimal("40.00")),
    }
    assert Store.objects.aggregate(
        min_price=Min("books__price"), max_price=Max("books__price")
    ) == {
        "min_price": Decimal("20.00"),
        "max_price": Decimal("50.00"),
    }
    assert Store.objects.aggregate(youngest_age=Min("books__authors__age")) == {"youngest_age": 30}


@pytest.mark.usefixtures("library")
def test_following_relationships_backwards() -> None:
    counts = Publisher.objects.annotate(Count("book"))
    assert by_name(counts, "book__count") == {"BaloneyPress": 2, "Apress": 2, "Empty": 0}
    assert Publisher.objects.aggregate(oldest_pubdate=Min("book__pubdate")) == {
        "oldest_pubdate": datetime.date(2007, 3, 1)
    }
    pages = Author.objects.annotate(total_pages=Sum("book__pages"))
    assert by_name(pages, "total_pages") == {"Adrian": 800, "Jacob": 700, "Brad": 600}
    rating = Author.objects.aggregate(average_rating=Avg("book__rating"))
    assert rating["average_rating"] == pytest.approx(44 / 6)


@pytest.mark.usefixtures("library")
def test_filter_and_annotate() -> None:
    django = Book.objects.filter(name__startswith="Django")
    assert by_name(django.annotate(num_authors=Count("authors")), "num_authors") == {
        "Django Basics": 2,
        "Django Advanced": 1,
    }
    assert django.aggregate(Avg("price")) == {"price__avg": Decimal("40")}
    many = Book.objects.annotate(num_authors=Count("authors")).filter(num_authors__gt=1)
    assert sorted(b.name for b in many) == ["Django Basics", "Python"]
    highly_rated = Count("book", filter=Q(book__rating__gte=7))
    authors = Author.objects.annotate(num_books=Count("book"), highly_rated_books=highly_rated)
    assert {a.name: (a.num_books, a.highly_rated_books) for a in authors} == {
        "Adrian": (2, 1),
        "Jacob": (2, 2),
        "Brad": (2, 1),
    }


@pytest.mark.usefixtures("library")
def test_order_of_annotate_and_filter_matters() -> None:
    annotated_first = Publisher.objects.annotate(num_books=Count("book", distinct=True)).filter(
        book__rating__gt=5
    )
    assert by_name(annotated_first, "num_books") == {"BaloneyPress": 2, "Apress": 2}
    filtered_first = Publisher.objects.filter(book__rating__gt=5).annotate(num_books=Count("book"))
    assert by_name(filtered_first, "num_books") == {"BaloneyPress": 1, "Apress": 2}
    assert {
        p.name
        for p in Publisher.objects.annotate(n=Count("book")).filter(Q(n__gt=1) | Q(name="Empty"))
    } == {"BaloneyPress", "Apress", "Empty"}
    assert {p.name for p in Publisher.objects.annotate(n=Count("book")).exclude(n=0)} == {
        "BaloneyPress",
        "Apress",
    }


@pytest.mark.usefixtures("library")
def test_order_by_annotation() -> None:
    qs = Book.objects.annotate(num_authors=Count("authors")).order_by("num_authors", "name")
    assert [b.name for b in qs] == ["Django Advanced", "Web Design", "Django Basics", "Python"]


@pytest.mark.usefixtures("library")
def test_values_groups_annotations() -> None:
    grouped = Author.objects.values("name").annotate(average_rating=Avg("book__rating"))
    assert sorted((row["name"], row["average_rating"]) for row in grouped) == [
        ("Adrian", 7.0),
        ("Brad", 6.5),
        ("Jacob", 8.5),
    ]
    per_author = Author.objects.annotate(average_rating=Avg("book__rating")).values(
        "name", "average_rating"
    )
    assert len(per_author) == 3
    by_publisher = (
        Book.objects.values("publisher__name").annotate(n=Count("id")).order_by("publisher__name")
    )
    assert list(by_publisher) == [
        {"publisher__name": "Apress", "n": 2},
        {"publisher__name": "BaloneyPress", "n": 2},
    ]
    flat = Book.objects.values_list("publisher").annotate(total=Sum("pages")).order_by("publisher")
    assert [row[1] for row in flat] == [600, 800]


@pytest.mark.usefixtures("library")
def test_aggregating_annotations() -> None:
    result = Book.objects.annotate(num_authors=Count("authors")).aggregate(Avg("num_authors"))
    assert result == {"num_authors__avg": 1.5}
    per_publisher = Publisher.objects.annotate(n=Count("book")).aggregate(Max("n"), Sum("n"))
    assert per_publisher == {"n__max": 2, "n__sum": 4}


@pytest.mark.usefixtures("library")
def test_empty_querysets_and_defaults() -> None:
    web = Book.objects.filter(name__contains="Nonexistent")
    assert web.aggregate(Sum("price")) == {"price__sum": None}
    assert web.aggregate(Sum("price", default=0)) == {"price__sum": Decimal("0")}
    assert web.aggregate(Count("id"), Avg("rating", default=Value(1.5))) == {
        "id__count": 0,
        "rating__avg": 1.5,
    }
    assert Book.objects.none().aggregate(Count("id"), Sum("pages")) == {
        "id__count": 0,
        "pages__sum": None,
    }
    assert Book.objects.filter(pk__in=[]).aggregate(total=Sum("pages", default=7)) == {"total": 7}
    empty = Publisher.objects.annotate(total=Sum("book__pages", default=0)).get(name="Empty")
    assert empty.total == 0


@pytest.mark.usefixtures("library")
def test_statistics() -> None:
    stats = Book.objects.aggregate(
        sd=StdDev("pages"),
        var=Variance("pages"),
        sample_var=Variance("pages", sample=True),
        sample_sd=StdDev("pages", sample=True),
    )
    assert stats["var"] == pytest.approx(12500)
    assert stats["sd"] == pytest.approx(12500**0.5)
    assert stats["sample_var"] == pytest.approx(50000 / 3)
    assert stats["sample_sd"] == pytest.approx((50000 / 3) ** 0.5)
    assert Book.objects.aggregate(Avg("pages", distinct=True)) == {"pages__avg": 350}
    assert Book.objects.aggregate(Sum("rating", filter=Q(rating__gt=5)))["rating__sum"] == 23


@pytest.mark.usefixtures("library")
def test_aggregate_errors() -> None:
    with pytest.raises(TypeError, match="Complex aggregates require an alias"):
        Book.objects.aggregate(Sum("pages") + 1)
    with pytest.raises(TypeError, match="total is not an aggregate expression"):
        Book.objects.aggregate(total=F("pages"))
    with pytest.raises(FieldError, match="Cannot resolve keyword 'nope' into field"):
        Book.objects.aggregate(Sum("nope"))
    with pytest.raises(FieldError, match="Cannot resolve keyword '\\*' into field"):
        Book.objects.aggregate(Sum("*"))
    with pytest.raises(TypeError, match="Max does not allow distinct"):
        Max("pages", distinct=True)
    assert Book.objects.aggregate(a=Sum("authors__age"), d=Sum("authors__age", distinct=True)) == {
        "a": 220,
        "d": 110,
    }
