"""QuerySet corners: operators, misuse errors, deferred loading, FilteredRelation, locking."""

from __future__ import annotations

import copy
import datetime
from typing import Any

import pytest

from fastjango.core.exceptions import FieldDoesNotExist, FieldError
from fastjango.db import NotSupportedError, connections, models, transaction
from fastjango.db.models import Count, F, FilteredRelation, Q, Sum, Value
from fastjango.db.models.expressions import RawSQL
from fastjango.test.utils import CaptureQueriesContext
from tests.db.models.models_queries import Author, Blog, Entry
from tests.db.models.models_relations import Category, Owner, Thing
from tests.db.models.models_schema import Node

pytestmark = pytest.mark.usefixtures("using")

DAY = datetime.date(2020, 1, 1)


@pytest.fixture
def blogs(using: str) -> list[Blog]:
    result = [Blog.objects.create(name=n, tagline=n.lower()) for n in ("A", "B", "C")]
    for index, blog in enumerate(result):
        for rating in range(index + 1):
            Entry.objects.create(
                blog=blog,
                headline=f"{blog.name}{rating}",
                body_text="",
                pub_date=DAY,
                rating=rating,
            )
    return result


def names(qs: Any) -> list[str]:
    return sorted(b.name for b in qs)


def test_operators_with_empty_and_sliced_querysets(blogs: list[Blog]) -> None:
    a = Blog.objects.filter(name="A")
    none = Blog.objects.none()
    assert names(a & none) == [] and names(none & a) == []
    assert names(a | none) == ["A"] and names(none | a) == ["A"]
    assert names(a ^ none) == ["A"] and names(none ^ a) == ["A"]
    sliced = Blog.objects.order_by("name")[:1]
    if not getattr(connections[Blog.objects.db], "mysql_is_mariadb", False):
        # As in Django, a sliced side becomes "pk IN (subquery with LIMIT)": not on MariaDB.
        assert names(Blog.objects.filter(name="C") | sliced) == ["A", "C"]
        assert names(Blog.objects.filter(name__in=["A", "B"]) ^ sliced) == ["B"]
    with pytest.raises(TypeError, match="Cannot use & operator with combined queryset"):
        a.union(a) & a
    with pytest.raises(TypeError, match="Merging 'QuerySet' classes must involve the same"):
        Blog.objects.values("pk") & Blog.objects.values("name")
    with pytest.raises(TypeError, match="Cannot combine queries on two different base models"):
        a & Entry.objects.all()  # type: ignore[operator]
    with pytest.raises(TypeError, match="Cannot combine queries once a slice has been taken"):
        sliced & a
    with pytest.raises(TypeError, match="Cannot combine a unique query with a non-unique query"):
        a.distinct() & a
    related = Blog.objects.select_related().filter(name="A") | Blog.objects.filter(name="B")
    assert names(related) == ["A", "B"]
    ordered = Blog.objects.filter(name="A") | Blog.objects.filter(name="B").order_by("-name")
    assert [b.name for b in ordered] == ["B", "A"]


def test_set_operation_variants(blogs: list[Blog], using: str) -> None:
    a, b, c = (Blog.objects.filter(name=n) for n in "ABC")
    none = Blog.objects.none()
    assert names(none.union(a)) == ["A"]
    assert names(none.union(a, b)) == ["A", "B"]
    assert list(none.union(none)) == []
    assert list(a.intersection(none)) == []
    assert list(none.intersection(a)) == []
    assert names(a.difference(none)) == ["A"]
    assert list(none.difference(a)) == []
    assert names(a.union(Blog.objects.filter(pk__in=[]))) == ["A"]
    ordered = a.union(b, c).order_by("-name")
    assert [x.name for x in ordered] == ["C", "B", "A"]
    by_expression = a.union(b).order_by(F("name").desc())
    assert [x.name for x in by_expression] == ["B", "A"]
    by_column = a.union(b).order_by("tagline")
    assert [x.name for x in by_column] == ["A", "B"]
    values = a.values("name").union(b.values("name")).order_by("name")
    assert list(values) == [{"name": "A"}, {"name": "B"}]
    sliced_parts = Blog.objects.order_by("name")[:1].union(Blog.objects.order_by("-name")[:1])
    if using == "default":
        with pytest.raises(Exception, match="LIMIT/OFFSET not allowed in subqueries"):
            list(sliced_parts)
    else:
        assert names(sliced_parts) == ["A", "C"]
    assert [x.name for x in a.union(b, c).order_by("name")[1:]] == ["B", "C"]
    with pytest.raises(NotSupportedError, match="Calling QuerySet.filter\\(\\) after union"):
        a.union(b).filter(name="A")


def test_deferred_loading_combinations(blogs: list[Blog], using: str) -> None:
    only_then_defer = Blog.objects.only("name", "tagline").defer("tagline").get(name="A")
    assert only_then_defer.get_deferred_fields() == {"tagline"}
    # only("name").defer("name") leaves nothing deferred, as in Django.
    nothing_deferred = Blog.objects.only("name").defer("name").get(name="A")
    assert nothing_deferred.get_deferred_fields() == set()
    by_pk = Blog.objects.only("pk").get(name="A")
    assert by_pk.get_deferred_fields() == {"name", "tagline"}
    reset = Blog.objects.defer("name").defer(None).get(name="A")
    assert reset.get_deferred_fields() == set()
    related = Entry.objects.select_related("blog").only("headline", "blog__name").get(headline="A0")
    assert related.blog.get_deferred_fields() == {"tagline"}
    with CaptureQueriesContext(connections[using]) as ctx:
        assert related.blog.tagline == "a"
    assert len(ctx) == 1
    with pytest.raises(FieldError, match="Blog has no field named 'nope'"):
        list(Blog.objects.only("nope"))
    with pytest.raises(FieldError, match="Blog has no field named 'nope'"):
        list(Entry.objects.defer("blog__nope").select_related("blog"))
    with pytest.raises(TypeError, match="Cannot call only\\(\\) after .values\\(\\)"):
        Blog.objects.values("name").only("name")
    with pytest.raises(TypeError, match="Cannot call defer\\(\\) after .values\\(\\)"):
        Blog.objects.values("name").defer("name")
    with pytest.raises(TypeError, match="Cannot pass None as an argument to only\\(\\)"):
        Blog.objects.only(None)


def test_misuse_errors(blogs: list[Blog]) -> None:
    sliced = Blog.objects.all()[:1]
    for call, message in [
        (lambda: sliced.order_by("name"), "Cannot reorder a query once a slice has been taken"),
        (lambda: sliced.distinct("name"), "Cannot create distinct fields once a slice"),
        (lambda: sliced.reverse(), "Cannot reverse a query once a slice has been taken"),
        (lambda: sliced.latest("name"), "Cannot change a query once a slice has been taken"),
        (lambda: sliced.earliest("name"), "Cannot change a query once a slice has been taken"),
        (lambda: sliced.in_bulk([1]), "Cannot use 'limit' or 'offset' with in_bulk"),
        (lambda: sliced.filter(name="A"), "Cannot filter a query once a slice has been taken"),
        (
            lambda: Blog.objects.values("name").select_related("x"),
            "Cannot call select_related\\(\\) after .values\\(\\)",
        ),
        (
            lambda: Blog.objects.values("name").contains(Blog()),
            "Cannot call QuerySet.contains\\(\\) after .values\\(\\)",
        ),
        (lambda: Blog.objects.update(), "update\\(\\) needs at least one field"),
        (lambda: Blog.objects.dates("name", "day", order="UP"), "'order' must be either"),
        (lambda: Blog.objects.datetimes("name", "fortnight"), "'kind' must be one of"),
        (lambda: Blog.objects.datetimes("name", "day", order="UP"), "'order' must be either"),
        (lambda: Blog.objects.annotate(Value(1)), "Complex annotations require an alias"),
        (
            lambda: Blog.objects.filter(pk__in=Blog.objects.values("pk", "name")).count(),
            "Cannot use multi-field values as a filter value",
        ),
    ]:
        with pytest.raises((TypeError, ValueError, FieldError), match=message):
            call()
    with pytest.raises(FieldDoesNotExist, match="Blog has no field named 'nope'"):
        Blog.objects.update(nope=1)
    with pytest.raises(FieldError, match="Cannot update model field .* \\(only non-relations"):
        Entry.objects.update(authors=1)
    with pytest.raises(FieldError, match="Cannot resolve keyword 'x' into field"):
        list(Blog.objects.order_by("x"))
    with pytest.raises(FieldError, match="Invalid order_by arguments"):
        Blog.objects.order_by(1)
    with pytest.raises(TypeError, match="Cannot filter against a non-conditional expression"):
        Blog.objects.filter(F("name"))
    with pytest.raises(ValueError, match="Chunk size must be strictly positive"):
        Blog.objects.iterator(chunk_size=0)


def test_empty_results_short_circuit(blogs: list[Blog], using: str) -> None:
    empty = Blog.objects.filter(pk__in=[])
    with CaptureQueriesContext(connections[using]) as ctx:
        assert empty.count() == 0
        assert not empty.exists()
        assert empty.update(name="x") == 0
        assert list(empty.iterator()) == []
        assert empty.aggregate(n=Count("pk")) == {"n": 0}
        assert not empty.contains(blogs[0])
        assert Blog.objects.all()[2:2].count() == 0
        assert empty.in_bulk() == {}
        assert Blog.objects.in_bulk([]) == {}
    assert len(ctx) == 0
    cached = Blog.objects.all()
    list(cached)
    with CaptureQueriesContext(connections[using]) as ctx:
        assert cached.count() == 3 and cached.exists() and cached.contains(blogs[0])
        assert cached.last() is not None
    assert len(ctx) <= 1


def test_in_bulk_in_batches(blogs: list[Blog], using: str) -> None:
    connection = connections[using]
    old = connection.features.max_query_params
    connection.features.max_query_params = 2
    try:
        found = Blog.objects.in_bulk([b.pk for b in blogs])
    finally:
        connection.features.max_query_params = old
    assert sorted(found) == sorted(b.pk for b in blogs)
    distinct = Blog.objects.distinct("name") if using == "postgres" else None
    if distinct is not None:
        assert len(distinct.in_bulk(field_name="name")) == 3


def test_bulk_create_option_checks(using: str) -> None:
    features = connections[using].features
    with pytest.raises(ValueError, match="Fields that will be updated when a row insertion fails"):
        Owner.objects.bulk_create([Owner(name="a")], update_conflicts=True)
    target: dict[str, Any] = (
        {"unique_fields": ["name"]} if features.supports_update_conflicts_with_target else {}
    )
    with pytest.raises(ValueError, match="bulk_create\\(\\) can only be used with concrete"):
        Owner.objects.bulk_create(
            [Owner(name="a")], update_conflicts=True, update_fields=["named"], **target
        )
    with pytest.raises(ValueError, match="cannot be used with primary keys in update_fields"):
        Owner.objects.bulk_create(
            [Owner(name="a")], update_conflicts=True, update_fields=["id"], **target
        )
    if features.supports_update_conflicts_with_target:
        with pytest.raises(ValueError, match="Unique fields that can trigger the upsert"):
            Owner.objects.bulk_create(
                [Owner(name="a")], update_conflicts=True, update_fields=["name"]
            )
    else:
        with pytest.raises(
            NotSupportedError, match="does not support updating conflicts with specifying unique"
        ):
            Owner.objects.bulk_create(
                [Owner(name="a")],
                update_conflicts=True,
                update_fields=["name"],
                unique_fields=["name"],
            )
    Owner.objects.create(name="x")
    kwargs: dict[str, Any] = {"update_conflicts": True, "update_fields": ["name"]}
    if features.supports_update_conflicts_with_target:
        kwargs["unique_fields"] = ["name"]
    Owner.objects.bulk_create([Owner(name="x"), Owner(name="y")], **kwargs)
    assert sorted(Owner.objects.values_list("name", flat=True)) == ["x", "y"]
    with pytest.raises(ValueError, match="bulk_update\\(\\) can only be used with concrete"):
        Owner.objects.bulk_update(list(Owner.objects.all()), ["named"])
    with pytest.raises(ValueError, match="Batch size must be a positive integer"):
        Owner.objects.bulk_update(list(Owner.objects.all()), ["name"], batch_size=0)
    assert Owner.objects.bulk_update([], ["name"]) == 0


def test_filtered_relation(blogs: list[Blog]) -> None:
    good = FilteredRelation("entry", condition=Q(entry__rating__gte=1))
    counted = Blog.objects.annotate(good=good).annotate(n=Count("good")).order_by("name")
    assert [(b.name, b.n) for b in counted] == [("A", 0), ("B", 1), ("C", 2)]
    titles = (
        Blog.objects.annotate(top=FilteredRelation("entry", condition=Q(entry__rating=2)))
        .filter(top__isnull=False)
        .values_list("name", "top__headline")
    )
    assert list(titles) == [("C", "C2")]
    aliased = Blog.objects.alias(
        low=FilteredRelation("entry", condition=Q(entry__rating=0))
    ).filter(low__headline="B0")
    assert names(aliased) == ["B"]
    assert "'entry'" in repr(good) and "entry__rating__gte" in repr(good)
    assert good == FilteredRelation("entry", condition=Q(entry__rating__gte=1))
    assert good.__eq__(object()) is NotImplemented
    assert hash(good.clone()) == hash(good)
    with pytest.raises(TypeError, match="FilteredRelation can only be used in annotate"):
        list(Blog.objects.filter(pk=FilteredRelation("entry")))
    with pytest.raises(ValueError, match="relation_name cannot be empty"):
        FilteredRelation("")
    with pytest.raises(ValueError, match="condition argument must be a Q\\(\\) instance"):
        FilteredRelation("entry", condition=F("x"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="relation_name cannot contain lookups"):
        Blog.objects.annotate(x=FilteredRelation("entry__rating__gte"))
    with pytest.raises(ValueError, match="doesn't support relations outside the 'entry'"):
        Blog.objects.annotate(x=FilteredRelation("entry", condition=Q(tag__label__startswith="x")))
    with pytest.raises(ValueError, match="doesn't support nested relations deeper"):
        Blog.objects.annotate(
            x=FilteredRelation("entry", condition=Q(entry__authors__name__startswith="x"))
        )
    with pytest.raises(ValueError, match="prefetch_related\\(\\) is not supported with Filtered"):
        list(Blog.objects.annotate(good=good).prefetch_related("good"))
    with pytest.raises(ValueError, match="only\\(\\) is not supported with FilteredRelation"):
        Blog.objects.annotate(good=good).only("good__headline")


def test_ordering_follows_related_meta_ordering() -> None:
    root = Category.objects.create(name="b-root")
    other = Category.objects.create(name="a-root")
    Category.objects.create(name="x", parent=root)
    Category.objects.create(name="y", parent=other)
    children = Category.objects.filter(parent__isnull=False).order_by("parent")
    assert [c.name for c in children] == ["y", "x"]
    reverse = Category.objects.filter(parent__isnull=False).order_by("-parent")
    assert [c.name for c in reverse] == ["x", "y"]
    top = Node.objects.create(name="top")
    Node.objects.create(name="leaf", parent=top)
    with pytest.raises(FieldError, match="Infinite loop caused by ordering"):
        list(Node.objects.all())
    assert [n.name for n in Node.objects.order_by("name")] == ["leaf", "top"]
    by_id = Category.objects.filter(parent__isnull=False).order_by("parent_id")
    assert [c.name for c in by_id] == ["x", "y"]


def test_select_for_update_options(blogs: list[Blog], using: str) -> None:
    features = connections[using].features
    with transaction.atomic(using=using):
        nowait = Blog.objects.select_for_update(nowait=True).filter(name="A")
        assert names(nowait) == ["A"]
        skip = Blog.objects.select_for_update(skip_locked=True).filter(name="A")
        assert names(skip) == ["A"]
        of = Entry.objects.select_related("blog").select_for_update(of=("self", "blog"))
        if features.has_select_for_update_of:
            assert len(of) == 6
            with pytest.raises(FieldError, match="Only relational fields followed in the query"):
                list(Entry.objects.select_for_update(of=("headline",)))
        elif features.has_select_for_update:
            with pytest.raises(NotSupportedError, match="FOR UPDATE OF is not supported"):
                list(of)
        else:
            assert len(of) == 6


def test_query_objects(blogs: list[Blog], using: str) -> None:
    qs = Blog.objects.filter(name="A")
    assert "FROM queries_blog" in str(qs.query)
    assert "'A'" in qs.query.sql_with_params(using)
    assert copy.deepcopy(qs.query).where is not qs.query.where
    clone = copy.deepcopy(qs)
    assert clone.query is not qs.query and names(clone) == ["A"]
    list(qs)
    assert copy.deepcopy(qs)._result_cache is None
    assert qs.query.count_active_tables() == 1
    assert Entry.objects.values("blog").query.output_field is not None
    assert Blog.objects.all().query.output_field == Blog._meta.pk
    with pytest.raises(FieldError, match="Cannot resolve expression type"):
        Blog.objects.values("name", "tagline").query.output_field  # noqa: B018
    rebound = Blog.objects.all()
    rebound.query = Blog.objects.values("name").query
    assert list(rebound) == [{"name": "A"}, {"name": "B"}, {"name": "C"}] or len(rebound) == 3


def test_update_or_create_touches_auto_now_fields(using: str) -> None:
    thing, created = Thing.objects.update_or_create(name="t", defaults={"name": "t"})
    assert created
    thing, created = Thing.objects.update_or_create(
        name="t", defaults={"set_null": Owner.objects.create(name="o")}
    )
    assert not created and thing.set_null_id is not None
    raw = Blog.objects.annotate(x=RawSQL("1", ())).update_or_create(
        name="fresh", defaults={"tagline": "t"}
    )
    assert raw[1]


def test_annotation_errors_and_aggregation_of_values(blogs: list[Blog]) -> None:
    with pytest.raises(ValueError, match="The named annotation 'entry__count' conflicts"):
        Blog.objects.annotate(Count("entry"), entry__count=Count("entry"))
    with pytest.raises(ValueError, match="The annotation 'name' conflicts with a field"):
        Blog.objects.annotate(name=Value("x"))
    totals = Entry.objects.values("blog__name").annotate(total=Sum("rating")).order_by("-total")
    assert totals[0] == {"blog__name": "C", "total": 3}
    with pytest.raises(NotImplementedError, match="aggregate\\(\\) \\+ distinct\\(fields\\)"):
        Blog.objects.distinct("name").aggregate(Count("pk"))
    assert Author.objects.all().ordered is False
    assert Blog.objects.order_by("name").ordered
    assert Blog.objects.annotate(n=Count("entry")).ordered is False
    assert models.QuerySet(Blog).model is Blog
