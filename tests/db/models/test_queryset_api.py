"""The QuerySet API reference: laziness, caching, ordering, values, dates, set operations, ..."""

from __future__ import annotations

import datetime

import pytest

from fastjango.core.exceptions import FieldError
from fastjango.db import NotSupportedError, connections, models, transaction
from fastjango.db.models import Count, F, Q
from fastjango.db.models.query import EmptyQuerySet
from fastjango.test.utils import CaptureQueriesContext
from tests.db.models.models_fields import Stamped
from tests.db.models.models_queries import Author, Blog, Entry, Event

pytestmark = pytest.mark.usefixtures("using")


@pytest.fixture
def blogs(using: str) -> list[Blog]:
    names = ["Beatles Blog", "Cheddar Talk", "Alpha", "Zeta"]
    result = [Blog.objects.create(name=name, tagline=f"about {name}") for name in names]
    dates = [datetime.date(2005, 7, 27), datetime.date(2005, 7, 28), datetime.date(2006, 1, 1)]
    for index, day in enumerate(dates):
        Entry.objects.create(
            blog=result[index % 2],
            headline=f"entry {index}",
            body_text="",
            pub_date=day,
            rating=index + 1,
        )
    return result


def names(qs: models.QuerySet[Blog]) -> list[str]:
    return [b.name for b in qs]


def test_querysets_are_lazy_and_cached(blogs: list[Blog], using: str) -> None:
    connection = connections[using]
    with CaptureQueriesContext(connection) as ctx:
        qs = Blog.objects.filter(name__startswith="B").exclude(tagline="").order_by("name")
    assert len(ctx) == 0
    with CaptureQueriesContext(connection) as ctx:
        assert len(qs) == 1
        assert bool(qs)
        assert [b.name for b in qs] == ["Beatles Blog"]
        assert qs[0].name == "Beatles Blog"
        assert qs.count() == 1
        assert qs.exists()
    assert len(ctx) == 1


def test_all_returns_copy(blogs: list[Blog]) -> None:
    qs = Blog.objects.all()
    assert qs.all() is not qs
    assert qs.query is not qs.all().query


def test_order_by_variants(blogs: list[Blog]) -> None:
    assert names(Blog.objects.order_by("name")) == ["Alpha", "Beatles Blog", "Cheddar Talk", "Zeta"]
    assert names(Blog.objects.order_by("-name")) == [
        "Zeta",
        "Cheddar Talk",
        "Beatles Blog",
        "Alpha",
    ]
    assert names(Blog.objects.order_by("name").reverse())[0] == "Zeta"
    assert len(list(Blog.objects.order_by("?"))) == 4
    assert [e.headline for e in Entry.objects.order_by("blog__name", "-pub_date")] == [
        "entry 2",
        "entry 0",
        "entry 1",
    ]
    assert names(Blog.objects.order_by(F("name").desc()))[0] == "Zeta"
    assert Blog.objects.order_by("name").ordered
    assert not Blog.objects.all().ordered
    assert Event.objects.all().ordered
    with pytest.raises(FieldError, match="Cannot resolve keyword 'nope'"):
        Blog.objects.order_by("nope")


def test_order_by_nulls_placement() -> None:
    now = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    Event.objects.create(name="a", start=now, end=now)
    Event.objects.create(name="b", start=now)
    last = Event.objects.order_by(F("end").asc(nulls_last=True))
    assert [e.name for e in last] == ["a", "b"]
    first = Event.objects.order_by(F("end").desc(nulls_first=True))
    assert [e.name for e in first] == ["b", "a"]


def test_slicing(blogs: list[Blog]) -> None:
    qs = Blog.objects.order_by("name")
    assert names(qs[:2]) == ["Alpha", "Beatles Blog"]
    assert names(qs[1:3]) == ["Beatles Blog", "Cheddar Talk"]
    assert names(qs[2:]) == ["Cheddar Talk", "Zeta"]
    assert names(qs[::2]) == ["Alpha", "Cheddar Talk"]
    assert names(qs[1:][:1]) == ["Beatles Blog"]
    assert qs[3].name == "Zeta"
    with pytest.raises(IndexError):
        qs[10]
    with pytest.raises(ValueError, match="Negative indexing is not supported"):
        qs[-1]
    with pytest.raises(TypeError, match="Cannot filter a query once a slice has been taken"):
        qs[:2].filter(name="x")
    with pytest.raises(TypeError, match="indices must be integers or slices"):
        qs["a"]  # type: ignore[call-overload]


def test_first_last_latest_earliest(blogs: list[Blog]) -> None:
    assert Blog.objects.order_by("name").first().name == "Alpha"  # type: ignore[union-attr]
    assert Blog.objects.order_by("name").last().name == "Zeta"  # type: ignore[union-attr]
    assert Blog.objects.first() == blogs[0]
    assert Blog.objects.last() == blogs[-1]
    assert Blog.objects.filter(name="nope").first() is None
    assert Entry.objects.latest("pub_date").headline == "entry 2"
    assert Entry.objects.earliest("pub_date").headline == "entry 0"
    assert Entry.objects.latest("rating", "pub_date").rating == 3
    with pytest.raises(ValueError, match="require either fields as positional arguments"):
        Blog.objects.latest()
    start = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    Event.objects.create(name="old", start=start)
    Event.objects.create(name="new", start=start + datetime.timedelta(days=1))
    assert Event.objects.latest().name == "new"
    with pytest.raises(Blog.DoesNotExist):
        Blog.objects.filter(name="nope").latest("name")


def test_count_exists_contains(blogs: list[Blog]) -> None:
    assert Blog.objects.count() == 4
    assert Blog.objects.filter(name="Alpha").exists()
    assert not Blog.objects.filter(name="nope").exists()
    assert Blog.objects.contains(blogs[0])
    assert not Blog.objects.exclude(pk=blogs[0].pk).contains(blogs[0])
    assert not Blog.objects.contains(Author(pk=blogs[0].pk))
    with pytest.raises(ValueError, match="cannot be used on unsaved objects"):
        Blog.objects.contains(Blog())
    with pytest.raises(TypeError, match="must be a model instance"):
        Blog.objects.contains("x")
    assert Blog.objects.order_by("name")[:2].count() == 2
    assert Blog.objects.distinct().count() == 4


def test_none(blogs: list[Blog], using: str) -> None:
    empty = Blog.objects.none()
    assert isinstance(empty, EmptyQuerySet)
    with CaptureQueriesContext(connections[using]) as ctx:
        assert list(empty) == []
        assert empty.count() == 0
        assert not empty.exists()
        assert list(Blog.objects.filter(pk__in=[])) == []
    assert len(ctx) == 0
    assert list(Blog.objects.none() | Blog.objects.filter(name="Alpha")) == [blogs[2]]


def test_values_and_values_list(blogs: list[Blog]) -> None:
    assert list(Blog.objects.filter(name="Alpha").values()) == [
        {"id": blogs[2].pk, "name": "Alpha", "tagline": "about Alpha"}
    ]
    assert list(Blog.objects.order_by("name").values("name")[:1]) == [{"name": "Alpha"}]
    assert list(Entry.objects.order_by("pub_date").values("blog__name", "rating")) == [
        {"blog__name": "Beatles Blog", "rating": 1},
        {"blog__name": "Cheddar Talk", "rating": 2},
        {"blog__name": "Beatles Blog", "rating": 3},
    ]
    assert list(Entry.objects.order_by("rating").values("blog")[:1]) == [{"blog": blogs[0].pk}]
    assert list(Blog.objects.order_by("name").values(lower=models.functions.Lower("name"))[:1]) == [
        {"lower": "alpha"}
    ]
    rows = list(Blog.objects.order_by("name").values_list("name", "id")[:1])
    assert rows == [("Alpha", blogs[2].pk)]
    assert list(Blog.objects.order_by("name").values_list("name", flat=True)) == [
        "Alpha",
        "Beatles Blog",
        "Cheddar Talk",
        "Zeta",
    ]
    row = Blog.objects.filter(name="Alpha").values_list("name", "tagline", named=True).get()
    assert row.name == "Alpha" and row.tagline == "about Alpha"
    assert type(row).__name__ == "Row"
    with pytest.raises(TypeError, match="'flat' is not valid"):
        Blog.objects.values_list("name", "id", flat=True)
    with pytest.raises(TypeError, match="'flat' and 'named' can't be used together"):
        Blog.objects.values_list("name", flat=True, named=True)
    with pytest.raises(FieldError, match="Cannot resolve keyword 'nope'"):
        Blog.objects.values("nope")


def test_values_list_with_annotations_orders_as_named(blogs: list[Blog]) -> None:
    qs = Blog.objects.annotate(n=Count("entry")).order_by("name").values_list("n", "name")
    assert list(qs) == [(0, "Alpha"), (2, "Beatles Blog"), (1, "Cheddar Talk"), (0, "Zeta")]


def test_distinct(blogs: list[Blog], using: str) -> None:
    assert Blog.objects.filter(entry__rating__gte=1).count() == 3
    assert Blog.objects.filter(entry__rating__gte=1).distinct().count() == 2
    assert sorted(Entry.objects.values_list("blog__name", flat=True).distinct()) == [
        "Beatles Blog",
        "Cheddar Talk",
    ]
    if using == "postgres":
        on = Entry.objects.order_by("blog", "-pub_date").distinct("blog")
        assert [e.headline for e in on] == ["entry 2", "entry 1"]
    else:
        with pytest.raises(NotSupportedError, match="DISTINCT ON fields is not supported"):
            list(Entry.objects.order_by("blog").distinct("blog"))


def test_dates_and_datetimes(blogs: list[Blog]) -> None:
    assert list(Entry.objects.dates("pub_date", "year")) == [
        datetime.date(2005, 1, 1),
        datetime.date(2006, 1, 1),
    ]
    assert list(Entry.objects.dates("pub_date", "month")) == [
        datetime.date(2005, 7, 1),
        datetime.date(2006, 1, 1),
    ]
    assert list(Entry.objects.dates("pub_date", "week")) == [
        datetime.date(2005, 7, 25),
        datetime.date(2005, 12, 26),
    ]
    assert list(Entry.objects.dates("pub_date", "day", order="DESC"))[0] == datetime.date(
        2006, 1, 1
    )
    with pytest.raises(ValueError, match="'kind' must be one of"):
        Entry.objects.dates("pub_date", "hour")
    start = datetime.datetime(2021, 7, 4, 10, 30, tzinfo=datetime.UTC)
    Event.objects.create(name="e", start=start)
    Event.objects.create(name="f", start=start + datetime.timedelta(minutes=5))
    assert list(Event.objects.datetimes("start", "hour")) == [
        datetime.datetime(2021, 7, 4, 10, tzinfo=datetime.UTC)
    ]
    assert len(list(Event.objects.datetimes("start", "minute"))) == 2


def test_in_bulk(blogs: list[Blog]) -> None:
    by_pk = Blog.objects.in_bulk([blogs[0].pk, blogs[1].pk])
    assert by_pk == {blogs[0].pk: blogs[0], blogs[1].pk: blogs[1]}
    assert Blog.objects.in_bulk([]) == {}
    assert len(Blog.objects.in_bulk()) == 4
    with pytest.raises(ValueError, match="in_bulk\\(\\)'s field_name must be a unique field"):
        Blog.objects.in_bulk(["Alpha"], field_name="name")


def test_iterator(blogs: list[Blog]) -> None:
    qs = Blog.objects.order_by("name")
    assert [b.name for b in qs.iterator(chunk_size=2)] == [
        "Alpha",
        "Beatles Blog",
        "Cheddar Talk",
        "Zeta",
    ]
    assert qs._result_cache is None
    assert list(Blog.objects.none().iterator()) == []
    with pytest.raises(ValueError, match="Chunk size must be strictly positive"):
        qs.iterator(chunk_size=0)
    with pytest.raises(ValueError, match="chunk_size must be provided"):
        qs.prefetch_related("entry_set").iterator()
    prefetched = list(Blog.objects.order_by("name").prefetch_related("entry_set").iterator(2))
    assert [len(b.entry_set.all()) for b in prefetched] == [0, 2, 1, 0]


def test_set_operations(blogs: list[Blog], using: str) -> None:
    a = Blog.objects.filter(name__in=["Alpha", "Zeta"])
    b = Blog.objects.filter(name__in=["Zeta", "Cheddar Talk"])
    assert sorted(names(a.union(b))) == ["Alpha", "Cheddar Talk", "Zeta"]
    assert len(list(a.union(b, all=True))) == 4
    assert names(a.intersection(b)) == ["Zeta"]
    assert names(a.difference(b)) == ["Alpha"]
    assert names(a.union(b).order_by("-name")) == ["Zeta", "Cheddar Talk", "Alpha"]
    assert a.union(b).count() == 3
    assert list(
        a.values_list("name", flat=True).union(b.values_list("name", flat=True)).order_by("name")
    ) == [
        "Alpha",
        "Cheddar Talk",
        "Zeta",
    ]
    with pytest.raises(NotSupportedError, match="filter\\(\\) after union\\(\\) is not supported"):
        a.union(b).filter(name="x")


def test_operators_and_or_xor(blogs: list[Blog]) -> None:
    a = Blog.objects.filter(name="Alpha")
    z = Blog.objects.filter(name="Zeta")
    assert sorted(names(a | z)) == ["Alpha", "Zeta"]
    assert names(a & z) == []
    assert names(
        Blog.objects.filter(name__startswith="A") & Blog.objects.filter(tagline__endswith="Alpha")
    ) == ["Alpha"]
    both = Blog.objects.filter(name__in=["Alpha", "Zeta"])
    assert names(both ^ a) == ["Zeta"]


def test_defer_only(blogs: list[Blog]) -> None:
    blog = Blog.objects.defer("tagline").get(name="Alpha")
    assert "tagline" not in blog.__dict__
    assert blog.tagline == "about Alpha"
    entry = (
        Entry.objects.select_related("blog").only("headline", "blog__name").get(headline="entry 0")
    )
    assert entry.get_deferred_fields() >= {"body_text", "rating"}
    assert entry.blog.name == "Beatles Blog"
    assert "tagline" not in entry.blog.__dict__
    with pytest.raises(TypeError, match="Cannot pass None as an argument to only"):
        Blog.objects.only(None)


def test_get_or_create_and_update_or_create() -> None:
    blog, created = Blog.objects.get_or_create(name="New", defaults={"tagline": "fresh"})
    assert created and blog.tagline == "fresh"
    again, created = Blog.objects.get_or_create(name="New", defaults={"tagline": "other"})
    assert not created and again == blog and again.tagline == "fresh"
    updated, created = Blog.objects.update_or_create(name="New", defaults={"tagline": "changed"})
    assert not created and updated.tagline == "changed"
    assert Blog.objects.get(name="New").tagline == "changed"
    made, created = Blog.objects.update_or_create(
        name="Made", defaults={"tagline": "u"}, create_defaults={"tagline": "c"}
    )
    assert created and made.tagline == "c"
    with pytest.raises(FieldError, match="Invalid field name\\(s\\) for model Blog: 'nope'"):
        Blog.objects.get_or_create(name="x", defaults={"nope": 1})


def test_get_or_create_races_through_integrity_error(using: str) -> None:
    from tests.db.models.models_fields import Teacher

    Teacher.objects.create(name="A", subject="math")
    # The get fails (other name), the create hits the unique subject: the
    # IntegrityError comes out because the retried get finds nothing either.
    from fastjango.db import IntegrityError

    with pytest.raises(IntegrityError):
        Teacher.objects.get_or_create(name="B", subject="math")
    assert Teacher.objects.count() == 1


def test_update_and_delete_querysets(blogs: list[Blog]) -> None:
    assert Entry.objects.filter(rating__gte=2).update(rating=F("rating") * 10) == 2
    assert sorted(Entry.objects.values_list("rating", flat=True)) == [1, 20, 30]
    assert Entry.objects.filter(blog__name="Cheddar Talk").update(headline="x") == 1
    assert Entry.objects.filter(pk__in=[]).update(rating=0) == 0
    with pytest.raises(TypeError, match="Cannot update a query once a slice has been taken"):
        Entry.objects.all()[:1].update(rating=0)
    with pytest.raises(FieldError, match="Joined field references are not permitted"):
        Entry.objects.update(headline=F("blog__name"))
    count, per_model = Blog.objects.filter(name="Beatles Blog").delete()
    assert count == 3
    assert per_model == {"queries.Entry": 2, "queries.Blog": 1}
    with pytest.raises(TypeError, match="Cannot use 'limit' or 'offset' with delete"):
        Blog.objects.all()[:1].delete()
    with pytest.raises(TypeError, match="Cannot call delete\\(\\) after .values"):
        Blog.objects.values("name").delete()


def test_bulk_create_and_bulk_update(using: str) -> None:
    blogs = Blog.objects.bulk_create([Blog(name=f"b{i}", tagline="") for i in range(5)])
    assert Blog.objects.count() == 5
    features = connections[using].features
    if features.can_return_rows_from_bulk_insert:
        assert all(b.pk is not None for b in blogs)
    else:
        blogs = list(Blog.objects.order_by("name"))
    for blog in blogs:
        blog.tagline = f"t-{blog.name}"
    assert Blog.objects.bulk_update(blogs, ["tagline"], batch_size=2) == 5
    assert sorted(Blog.objects.values_list("tagline", flat=True)) == [f"t-b{i}" for i in range(5)]
    assert Blog.objects.bulk_create([]) == []
    with pytest.raises(ValueError, match="Batch size must be a positive integer"):
        Blog.objects.bulk_create([Blog(name="x")], batch_size=0)
    with pytest.raises(ValueError, match="All bulk_update\\(\\) objects must have a primary key"):
        Blog.objects.bulk_update([Blog(name="x")], ["name"])
    with pytest.raises(ValueError, match="Field names must be given"):
        Blog.objects.bulk_update(blogs, [])
    with pytest.raises(ValueError, match="cannot be used with primary key fields"):
        Blog.objects.bulk_update(blogs, ["id"])


def test_bulk_create_gives_each_object_its_own_row(using: str) -> None:
    # SQLite returns the rows of a multi-row INSERT unordered; they are matched back by key.
    blogs = Blog.objects.bulk_create([Blog(name=f"b{i}", tagline=str(i)) for i in range(300)])
    if not connections[using].features.can_return_rows_from_bulk_insert:
        assert all(b.pk is None for b in blogs)
        return
    stored = dict(Blog.objects.values_list("pk", "name"))
    assert [stored[b.pk] for b in blogs] == [b.name for b in blogs]
    assert len({b.pk for b in blogs}) == 300
    stamped = Stamped.objects.bulk_create([Stamped(name="x", label=f"s{i}") for i in range(3)])
    stored = dict(Stamped.objects.values_list("pk", "label"))
    assert [(stored[s.pk], s.counted) for s in stamped] == [(f"s{i}", 7) for i in range(3)]


def test_bulk_create_conflicts(using: str) -> None:
    from tests.db.models.models_relations import Owner

    Owner.objects.create(name="a")
    Owner.objects.bulk_create([Owner(name="a"), Owner(name="b")], ignore_conflicts=True)
    assert sorted(Owner.objects.values_list("name", flat=True)) == ["a", "b"]
    with pytest.raises(ValueError, match="mutually exclusive"):
        Owner.objects.bulk_create([Owner(name="c")], ignore_conflicts=True, update_conflicts=True)


def test_select_for_update(blogs: list[Blog], using: str) -> None:
    assert names(Blog.objects.select_for_update().filter(name="Alpha")) == ["Alpha"]
    assert names(Blog.objects.select_for_update(skip_locked=True).filter(name="Alpha")) == ["Alpha"]
    with pytest.raises(ValueError, match="nowait option cannot be used with skip_locked"):
        Blog.objects.select_for_update(nowait=True, skip_locked=True)


def test_explain(blogs: list[Blog], using: str) -> None:
    plan = Blog.objects.filter(name="Alpha").explain()
    assert isinstance(plan, str) and plan
    if using == "postgres":
        assert Blog.objects.all().explain(format="json").startswith("[")
    with pytest.raises(ValueError):
        Blog.objects.all().explain(nope=True)


def test_raw_queries(blogs: list[Blog]) -> None:
    raw = Blog.objects.raw("SELECT * FROM queries_blog WHERE name = %s", ["Alpha"])
    assert [b.name for b in raw] == ["Alpha"]
    partial = list(
        Blog.objects.raw("SELECT id, name, 42 AS answer FROM queries_blog ORDER BY name")
    )
    assert partial[0].answer == 42
    assert partial[0].get_deferred_fields() == {"tagline"}
    assert partial[0].tagline == "about Alpha"
    translated = Blog.objects.raw(
        "SELECT id AS pk_alias, name AS title FROM queries_blog WHERE name = %(n)s",
        {"n": "Zeta"},
        translations={"pk_alias": "id", "title": "name"},
    )
    assert [b.name for b in translated] == ["Zeta"]
    from fastjango.core.exceptions import FieldDoesNotExist

    with pytest.raises(FieldDoesNotExist, match="Raw query must include the primary key"):
        list(Blog.objects.raw("SELECT name FROM queries_blog"))


def test_from_statement_and_statement(blogs: list[Blog]) -> None:
    import sqlalchemy as sa

    statement = sa.select(Blog.__table__).where(Blog.c.name == "Alpha")
    assert [b.name for b in Blog.objects.from_statement(statement)] == ["Alpha"]
    qs = Blog.objects.filter(name__startswith="Z")
    select = qs.statement
    assert isinstance(select, sa.Select)
    from fastjango.db import connections as conns

    rows = conns[qs.db].execute(select.where(Blog.c.tagline != "")).all()
    assert [row.name for row in rows] == ["Zeta"]


def test_complex_filter_and_extra(blogs: list[Blog]) -> None:
    assert names(Blog.objects.complex_filter({"name": "Alpha"})) == ["Alpha"]
    assert names(Blog.objects.complex_filter(Q(name="Zeta"))) == ["Zeta"]
    with pytest.raises(NotSupportedError, match="extra\\(\\) isn't supported"):
        Blog.objects.extra(select={"x": "1"})


def test_repr(blogs: list[Blog]) -> None:
    assert repr(Blog.objects.filter(name="Alpha")) == "<QuerySet [<Blog: Alpha>]>"
    for index in range(25):
        Author.objects.create(name=f"a{index:02d}", email="")
    text = repr(Author.objects.order_by("name"))
    assert text.endswith("'...remaining elements truncated...']>")


def test_using_and_db(blogs: list[Blog], using: str) -> None:
    assert Blog.objects.all().db == using
    assert Blog.objects.using(using).count() == 4


def test_atomic_rolls_back_orm_writes(using: str) -> None:
    try:
        with transaction.atomic(using=using):
            Blog.objects.create(name="gone", tagline="")
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert not Blog.objects.filter(name="gone").exists()
