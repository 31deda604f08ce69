"""Field lookups, Q objects, spanning relations and custom lookups."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest

from fastjango.core.exceptions import FieldError
from fastjango.db import models
from fastjango.db.models import F, Q
from tests.db.models.models_queries import Author, Blog, Entry, Event

pytestmark = pytest.mark.usefixtures("using")


@pytest.fixture
def entries(using: str) -> dict[str, Entry]:
    beatles = Blog.objects.create(name="Beatles Blog", tagline="All the latest Beatles news.")
    cheese = Blog.objects.create(name="Cheddar Talk", tagline="cheese 100% _real_")
    lennon = Author.objects.create(name="John Lennon", email="john@example.com")
    paul = Author.objects.create(name="Paul", email="paul@example.com")
    result = {
        "lennon": Entry.objects.create(
            blog=beatles,
            headline="Lennon speaks",
            body_text="Hello",
            rating=5,
            pub_date=datetime.date(2008, 3, 1),
            number_of_comments=10,
            number_of_pingbacks=2,
        ),
        "paul": Entry.objects.create(
            blog=beatles,
            headline="Paul news",
            body_text="Bye",
            rating=2,
            pub_date=datetime.date(2007, 6, 15),
            number_of_comments=1,
            number_of_pingbacks=5,
        ),
        "cheddar": Entry.objects.create(
            blog=cheese,
            headline="Cheddar 50% off",
            body_text="Cheese",
            rating=4,
            pub_date=datetime.date(2008, 12, 31),
            number_of_comments=4,
            number_of_pingbacks=4,
        ),
    }
    result["lennon"].authors.add(lennon, paul)
    result["paul"].authors.add(paul)
    return result


def headlines(qs: models.QuerySet[Entry]) -> list[str]:
    return sorted(e.headline for e in qs)


def test_exact_iexact(entries: dict[str, Entry]) -> None:
    assert headlines(Entry.objects.filter(headline__exact="Paul news")) == ["Paul news"]
    assert headlines(Entry.objects.filter(headline="Paul news")) == ["Paul news"]
    assert headlines(Entry.objects.filter(headline__iexact="paul NEWS")) == ["Paul news"]
    assert headlines(Entry.objects.filter(pk=entries["paul"].pk)) == ["Paul news"]


def test_contains_family(entries: dict[str, Entry], using: str) -> None:
    assert headlines(Entry.objects.filter(headline__contains="Lennon")) == ["Lennon speaks"]
    assert headlines(Entry.objects.filter(headline__icontains="lennon")) == ["Lennon speaks"]
    assert headlines(Entry.objects.filter(headline__startswith="Paul")) == ["Paul news"]
    assert headlines(Entry.objects.filter(headline__istartswith="paul")) == ["Paul news"]
    assert headlines(Entry.objects.filter(headline__endswith="off")) == ["Cheddar 50% off"]
    assert headlines(Entry.objects.filter(headline__iendswith="OFF")) == ["Cheddar 50% off"]
    # Wildcards in the value are matched literally.
    assert headlines(Entry.objects.filter(headline__contains="50%")) == ["Cheddar 50% off"]
    assert Entry.objects.filter(headline__contains="5_%").count() == 0
    assert Blog.objects.filter(tagline__contains="_real_").count() == 1
    # Case-sensitive contains ignores ASCII case on SQLite only (as in Django).
    lowered = Entry.objects.filter(headline__contains="lennon").count()
    assert lowered == (1 if using == "default" else 0)


def test_comparisons_in_range_isnull(entries: dict[str, Entry]) -> None:
    assert headlines(Entry.objects.filter(rating__gt=4)) == ["Lennon speaks"]
    assert headlines(Entry.objects.filter(rating__gte=4)) == ["Cheddar 50% off", "Lennon speaks"]
    assert headlines(Entry.objects.filter(rating__lt=4)) == ["Paul news"]
    assert headlines(Entry.objects.filter(rating__lte=2)) == ["Paul news"]
    assert headlines(Entry.objects.filter(rating__in=[2, 5])) == ["Lennon speaks", "Paul news"]
    assert Entry.objects.filter(rating__in=[]).count() == 0
    assert headlines(Entry.objects.filter(rating__in=[2, None])) == ["Paul news"]
    assert headlines(Entry.objects.filter(rating__range=(3, 4))) == ["Cheddar 50% off"]
    assert Entry.objects.filter(blog__isnull=False).count() == 3
    assert Entry.objects.filter(headline=None).count() == 0
    with pytest.raises(ValueError, match="must be True or False"):
        list(Entry.objects.filter(rating__isnull="yes"))
    with pytest.raises(ValueError, match="Cannot use None as a query value"):
        Entry.objects.filter(rating__gt=None)


def test_in_with_subquery(entries: dict[str, Entry]) -> None:
    inner = Blog.objects.filter(name__contains="Cheddar")
    assert headlines(Entry.objects.filter(blog__in=inner)) == ["Cheddar 50% off"]
    assert headlines(Entry.objects.filter(blog__in=inner.values("pk"))) == ["Cheddar 50% off"]
    assert headlines(Entry.objects.filter(blog__in=Blog.objects.none())) == []


def test_regex(entries: dict[str, Entry]) -> None:
    assert headlines(Entry.objects.filter(headline__regex=r"^(Paul|Lennon)")) == [
        "Lennon speaks",
        "Paul news",
    ]
    assert headlines(Entry.objects.filter(headline__iregex=r"^paul")) == ["Paul news"]


def test_date_lookups(entries: dict[str, Entry]) -> None:
    assert headlines(Entry.objects.filter(pub_date__year=2008)) == [
        "Cheddar 50% off",
        "Lennon speaks",
    ]
    assert headlines(Entry.objects.filter(pub_date__year__gte=2008)) == [
        "Cheddar 50% off",
        "Lennon speaks",
    ]
    assert headlines(Entry.objects.filter(pub_date__year__lt=2008)) == ["Paul news"]
    assert headlines(Entry.objects.filter(pub_date__month=6)) == ["Paul news"]
    assert headlines(Entry.objects.filter(pub_date__day=31)) == ["Cheddar 50% off"]
    # 2008-03-01 was a Saturday (7); 2007-06-15 a Friday (6).
    assert headlines(Entry.objects.filter(pub_date__week_day=7)) == ["Lennon speaks"]
    assert headlines(Entry.objects.filter(pub_date__iso_week_day=5)) == ["Paul news"]
    assert headlines(Entry.objects.filter(pub_date__quarter=4)) == ["Cheddar 50% off"]
    assert headlines(Entry.objects.filter(pub_date__week=24)) == ["Paul news"]
    assert headlines(Entry.objects.filter(pub_date__iso_year=2009)) == ["Cheddar 50% off"]
    assert headlines(Entry.objects.filter(pub_date__gt=datetime.date(2008, 6, 1))) == [
        "Cheddar 50% off"
    ]


def test_datetime_lookups() -> None:
    start = datetime.datetime(2021, 7, 4, 23, 30, 15, tzinfo=datetime.UTC)
    Event.objects.create(name="e", start=start, at=datetime.time(8, 15, 30))
    assert Event.objects.filter(start__year=2021, start__month=7).count() == 1
    assert Event.objects.filter(start__date=datetime.date(2021, 7, 4)).count() == 1
    assert Event.objects.filter(start__time__gt=datetime.time(23, 0)).count() == 1
    assert Event.objects.filter(start__hour=23, start__minute=30, start__second=15).count() == 1
    assert Event.objects.filter(at__hour=8, at__minute=15).count() == 1
    assert Event.objects.filter(start__date__gt=datetime.date(2021, 7, 4)).count() == 0


def test_datetime_lookups_in_current_time_zone(using: str) -> None:
    from fastjango.db import connections
    from fastjango.utils import timezone

    if using == "mysql":
        loaded = connections[using].execute("SELECT COUNT(*) FROM mysql.time_zone_name").scalar()
        if not loaded:
            pytest.skip(
                "MySQL needs its time zone tables loaded (mysql_tzinfo_to_sql), as in Django."
            )

    start = datetime.datetime(2021, 7, 4, 23, 30, tzinfo=datetime.UTC)
    Event.objects.create(name="e", start=start)
    with timezone.override("Asia/Tokyo"):
        assert Event.objects.filter(start__day=5).count() == 1
        assert Event.objects.filter(start__date=datetime.date(2021, 7, 5)).count() == 1
        assert Event.objects.filter(start__hour=8).count() == 1


def test_spanning_relations(entries: dict[str, Entry]) -> None:
    assert [b.name for b in Blog.objects.filter(entry__headline__contains="Lennon")] == [
        "Beatles Blog"
    ]
    assert Blog.objects.filter(entry__authors__name="Paul").distinct().count() == 1
    assert Author.objects.filter(entry__blog__name="Beatles Blog").distinct().count() == 2
    assert Blog.objects.filter(entry__authors__isnull=True).distinct().count() == 1
    assert headlines(Entry.objects.filter(authors__name__startswith="John")) == ["Lennon speaks"]


def test_multi_valued_filter_semantics(entries: dict[str, Entry]) -> None:
    # One filter() call: both conditions on the same entry.
    same = Blog.objects.filter(entry__headline__contains="Lennon", entry__pub_date__year=2007)
    assert same.count() == 0
    # Two filter() calls: each may match a different entry.
    chained = Blog.objects.filter(entry__headline__contains="Lennon").filter(
        entry__pub_date__year=2007
    )
    assert [b.name for b in chained] == ["Beatles Blog"]


def test_exclude_multi_valued(entries: dict[str, Entry]) -> None:
    excluded = Blog.objects.exclude(entry__headline__contains="Lennon")
    assert [b.name for b in excluded] == ["Cheddar Talk"]
    Blog.objects.create(name="Empty", tagline="")
    assert sorted(b.name for b in Blog.objects.exclude(entry__rating__gte=5)) == [
        "Cheddar Talk",
        "Empty",
    ]
    assert sorted(a.name for a in Author.objects.exclude(entry__rating=2)) == ["John Lennon"]


def test_exclude_nullable(entries: dict[str, Entry]) -> None:
    from tests.db.models.models_queries import Event

    now = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    Event.objects.create(name="a", start=now, duration=datetime.timedelta(hours=1))
    Event.objects.create(name="b", start=now)
    # exclude() keeps the rows where the column is NULL, as in Django.
    assert [e.name for e in Event.objects.exclude(duration=datetime.timedelta(hours=1))] == ["b"]


def test_q_combinations(entries: dict[str, Entry]) -> None:
    assert headlines(Entry.objects.filter(Q(rating=5) | Q(rating=2))) == [
        "Lennon speaks",
        "Paul news",
    ]
    assert headlines(Entry.objects.filter(Q(rating__gte=2) & ~Q(rating=5))) == [
        "Cheddar 50% off",
        "Paul news",
    ]
    assert headlines(Entry.objects.filter(Q(rating=5) ^ Q(pub_date__year=2008))) == [
        "Cheddar 50% off"
    ]
    assert headlines(
        Entry.objects.filter(
            Q(headline__startswith="Paul") | Q(blog__name="Cheddar Talk"), rating__gt=1
        )
    ) == ["Cheddar 50% off", "Paul news"]
    assert headlines(Entry.objects.filter(Q())) == headlines(Entry.objects.all())
    assert headlines(Entry.objects.exclude(Q(rating=5) | Q(rating=4))) == ["Paul news"]


def test_f_in_filters(entries: dict[str, Entry]) -> None:
    assert headlines(Entry.objects.filter(number_of_comments__gt=F("number_of_pingbacks"))) == [
        "Lennon speaks"
    ]
    assert headlines(Entry.objects.filter(number_of_comments__gt=F("number_of_pingbacks") * 2)) == [
        "Lennon speaks"
    ]
    assert headlines(Entry.objects.filter(authors__name=F("blog__name"))) == []
    assert headlines(
        Entry.objects.filter(rating__lt=F("number_of_comments") + F("number_of_pingbacks"))
    ) == [
        "Cheddar 50% off",
        "Lennon speaks",
        "Paul news",
    ]


def test_related_object_lookups(entries: dict[str, Entry]) -> None:
    blog = entries["lennon"].blog
    assert headlines(Entry.objects.filter(blog=blog)) == ["Lennon speaks", "Paul news"]
    assert headlines(Entry.objects.filter(blog=blog.pk)) == ["Lennon speaks", "Paul news"]
    assert headlines(Entry.objects.filter(blog__id=blog.pk)) == ["Lennon speaks", "Paul news"]
    assert headlines(Entry.objects.filter(blog__in=[blog])) == ["Lennon speaks", "Paul news"]
    paul = Author.objects.get(name="Paul")
    assert headlines(Entry.objects.filter(authors=paul)) == ["Lennon speaks", "Paul news"]
    assert sorted(a.name for a in Author.objects.filter(entry=entries["lennon"])) == [
        "John Lennon",
        "Paul",
    ]
    with pytest.raises(ValueError, match='Must be "Blog" instance'):
        Entry.objects.filter(blog=paul)


def test_unsupported_lookup_suggests() -> None:
    with pytest.raises(FieldError) as info:
        Entry.objects.filter(headline__contain="x")
    message = str(info.value)
    assert message.startswith("Unsupported lookup 'contain' for CharField")
    assert "perhaps you meant contains or icontains?" in message
    with pytest.raises(FieldError, match="Unsupported lookup 'nope' for ForeignKey"):
        Entry.objects.filter(blog__nope="x")
    with pytest.raises(FieldError, match="Cannot resolve keyword 'nope' into field"):
        Entry.objects.filter(nope__blog="x")
    with pytest.raises(FieldError, match="Cannot parse keyword query as dict"):
        Entry.objects.filter(Q({"a": 1}))  # type: ignore[arg-type]


class NotEqual(models.Lookup):
    lookup_name = "ne"

    def as_sql(self, compiler, connection):  # type: ignore[no-untyped-def]
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        params = lhs_params + rhs_params
        return f"{lhs} <> {rhs}", params


class AbsoluteValue(models.Transform):
    lookup_name = "abs"
    function = "ABS"


class UpperCase(models.Transform):
    lookup_name = "upper"
    bilateral = True

    def as_sql(self, compiler, connection):  # type: ignore[no-untyped-def]
        lhs, params = compiler.compile(self.lhs)
        return f"UPPER({lhs})", params


@pytest.fixture
def custom_lookups() -> Iterator[None]:
    models.Field.register_lookup(NotEqual)
    models.IntegerField.register_lookup(AbsoluteValue)
    models.CharField.register_lookup(UpperCase)
    try:
        yield
    finally:
        models.Field._unregister_lookup(NotEqual)
        models.IntegerField._unregister_lookup(AbsoluteValue)
        models.CharField._unregister_lookup(UpperCase)


@pytest.mark.usefixtures("custom_lookups")
def test_custom_lookups_written_the_django_way(entries: dict[str, Entry]) -> None:
    assert headlines(Entry.objects.filter(rating__ne=5)) == ["Cheddar 50% off", "Paul news"]
    Entry.objects.filter(headline="Paul news").update(rating=-3)
    assert headlines(Entry.objects.filter(rating__abs=3)) == ["Paul news"]
    assert headlines(Entry.objects.filter(rating__abs__lt=4)) == ["Paul news"]
    assert headlines(Entry.objects.filter(headline__upper="paul NEWS")) == ["Paul news"]


def test_instance_lookup_registration() -> None:
    field = Entry._meta.get_field("rating")
    field.register_lookup(AbsoluteValue)
    try:
        assert field.get_transform("abs") is AbsoluteValue
        assert Entry._meta.get_field("number_of_comments").get_transform("abs") is None
    finally:
        field._unregister_lookup(AbsoluteValue)
