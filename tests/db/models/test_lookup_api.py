"""Lookups as objects (in filter and annotate), lookup edge cases, relation field API."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest

from fastjango.core.exceptions import ValidationError
from fastjango.db import models
from fastjango.db.models import F, Q, Value
from fastjango.db.models.lookups import Exact, GreaterThan, IsNull, LessThan
from tests.db.models.models_fields import Everything
from tests.db.models.models_queries import Author, Blog, Entry
from tests.db.models.models_relations import Category, Owner, Tag, Thing

pytestmark = pytest.mark.usefixtures("using")


@pytest.fixture
def entries(using: str) -> list[Entry]:
    blog = Blog.objects.create(name="Blog", tagline="Blog news")
    return [
        Entry.objects.create(
            blog=blog,
            headline=headline,
            body_text=body,
            pub_date=datetime.date(year, 6, 1),
            rating=rating,
        )
        for headline, body, year, rating in [
            ("Blog post", "post", 2019, 1),
            ("Other", "Other", 2020, 3),
            ("Blogging", "x", 2021, 5),
        ]
    ]


def headlines(qs: Any) -> list[str]:
    return sorted(e.headline for e in qs)


def test_lookup_objects_in_filters_and_annotations(entries: list[Entry]) -> None:
    assert headlines(Entry.objects.filter(Exact(F("rating"), 3))) == ["Other"]
    assert headlines(Entry.objects.filter(GreaterThan(F("rating"), F("number_of_comments")))) == [
        "Blog post",
        "Blogging",
        "Other",
    ]
    annotated = Entry.objects.annotate(big=GreaterThan(F("rating"), 2)).order_by("rating")
    assert [e.big for e in annotated] == [False, True, True]
    combined = Entry.objects.filter(Q(LessThan(F("rating"), 2)) | Q(headline="Other"))
    assert headlines(combined) == ["Blog post", "Other"]
    assert headlines(Entry.objects.filter(Exact(Value(1), 1))) == headlines(entries)
    lookup = Exact(F("rating"), 3)
    assert repr(lookup) == "Exact(F(rating), Value(3))"
    assert lookup == Exact(F("rating"), 3) and hash(lookup) == hash(Exact(F("rating"), 3))
    assert lookup != Exact(F("rating"), 4)
    assert lookup.get_source_expressions() == [F("rating"), Value(3)]
    assert Exact(F("rating"), F("pk")).get_source_expressions() == [F("rating"), F("pk")]
    copied = Exact(F("rating"), F("pk"))
    copied.set_source_expressions([F("a"), F("b")])
    assert (copied.lhs, copied.rhs) == (F("a"), F("b"))
    copied.set_source_expressions([F("c")])
    assert copied.lhs == F("c")
    grouped = (
        Entry.objects.annotate(big=GreaterThan(F("rating"), 2))
        .values("big")
        .annotate(n=models.Count("pk"))
        .order_by("big")
    )
    # As in Django, a lookup groups by the columns it reads.
    assert [(row["big"], row["n"]) for row in grouped] == [(False, 1), (True, 1), (True, 1)]


def test_lookup_value_handling(entries: list[Entry], using: str) -> None:
    assert headlines(Entry.objects.filter(rating__gte=2.5)) == ["Blogging", "Other"]
    assert headlines(Entry.objects.filter(rating__lt=2.5)) == ["Blog post"]
    assert list(Entry.objects.filter(rating=2**40)) == []
    assert list(Entry.objects.filter(rating__in=[None])) == []
    assert headlines(Entry.objects.filter(rating__in=[1, None, 5])) == ["Blog post", "Blogging"]
    assert headlines(Entry.objects.filter(rating__in=[F("number_of_comments") + 1, 3])) == [
        "Blog post",
        "Other",
    ]
    assert headlines(Entry.objects.filter(rating__in={1, 3})) == ["Blog post", "Other"]
    subquery = Entry.objects.filter(rating__gt=1)
    assert headlines(Entry.objects.filter(pk__in=subquery)) == ["Blogging", "Other"]
    assert headlines(Entry.objects.filter(pk__in=subquery.values("pk"))) == ["Blogging", "Other"]
    one = Entry.objects.filter(rating=5).values("pk")[:1]
    assert headlines(Entry.objects.filter(pk=one)) == ["Blogging"]
    assert headlines(Entry.objects.filter(pk=Entry.objects.filter(rating=5)[:1])) == ["Blogging"]
    with pytest.raises(ValueError, match="must be limited to one result using slicing"):
        Entry.objects.filter(pk=Entry.objects.all())
    with pytest.raises(TypeError, match="expected an iterable of values for an 'in' lookup"):
        Entry.objects.filter(rating__in=5)
    with pytest.raises(ValueError, match="The QuerySet value for an isnull lookup must be True"):
        list(Entry.objects.filter(rating__isnull="yes"))
    with pytest.raises(ValueError, match="must be a 2-tuple or list"):
        Entry.objects.filter(rating__range=5)
    assert headlines(Entry.objects.filter(rating__range=(F("number_of_comments"), 2))) == [
        "Blog post"
    ]
    assert headlines(Entry.objects.filter(IsNull(F("blog"), False))) == headlines(entries)


def test_pattern_lookups_with_expressions(entries: list[Entry], using: str) -> None:
    starts = Entry.objects.filter(headline__startswith=F("blog__name"))
    assert headlines(starts) == ["Blog post", "Blogging"]
    assert headlines(Entry.objects.filter(headline__istartswith=F("blog__name"))) == [
        "Blog post",
        "Blogging",
    ]
    assert headlines(Entry.objects.filter(headline__contains=F("body_text"))) == [
        "Blog post",
        "Other",
    ]
    assert headlines(Entry.objects.filter(headline__endswith=F("body_text"))) == [
        "Blog post",
        "Other",
    ]
    assert headlines(Entry.objects.filter(blog__tagline__icontains=F("blog__name"))) == (
        headlines(entries)
    )
    assert headlines(Entry.objects.filter(headline__regex=F("body_text"))) == [
        "Blog post",
        "Other",
    ]
    value = uuid.UUID("12345678-1234-5678-1234-567812345678")
    Everything.objects.create(uuid=value)
    assert Everything.objects.filter(uuid__contains="5678-1234").count() == 1
    assert Everything.objects.filter(uuid__icontains="ABCD").count() == 0
    assert Everything.objects.filter(uuid__startswith="12345678").count() == 1
    assert Everything.objects.filter(uuid__iexact=str(value).upper()).count() == 1


def test_year_lookups(entries: list[Entry]) -> None:
    assert headlines(Entry.objects.filter(pub_date__year__gt=2019)) == ["Blogging", "Other"]
    assert headlines(Entry.objects.filter(pub_date__year__gte=2020)) == ["Blogging", "Other"]
    assert headlines(Entry.objects.filter(pub_date__year__lt=2020)) == ["Blog post"]
    assert headlines(Entry.objects.filter(pub_date__year__lte=2020)) == ["Blog post", "Other"]
    by_expression = Entry.objects.filter(pub_date__year=F("rating") + 2018)
    assert headlines(by_expression) == ["Blog post"]


def test_relation_field_api(using: str) -> None:
    blog = Blog.objects.create(name="b", tagline="")
    fk = Entry._meta.get_field("blog")
    assert fk.to_python("3") == 3
    assert fk.db_parameters(None) == {"type": None, "check": None}
    entry = Entry(blog=blog)
    assert fk.value_to_string(entry) == str(blog.pk)
    with pytest.raises(ValidationError, match="blog instance with id 999999 is not a valid choice"):
        fk.validate(999999, entry)
    fk.validate(blog.pk, entry)
    Category._meta.get_field("parent").validate(None, Category())
    assert models.ForeignKey(Blog, models.CASCADE, default=blog).get_default() in (blog.pk, blog)
    limited = models.ForeignKey(
        "queries.Blog",
        models.CASCADE,
        related_name="+",
        related_query_name="limited",
        limit_choices_to={"name": "b"},
        db_constraint=False,
        to_field="name",
    )
    kwargs = limited.deconstruct()[3]
    assert kwargs["related_name"] == "+" and kwargs["related_query_name"] == "limited"
    assert kwargs["limit_choices_to"] == {"name": "b"} and kwargs["db_constraint"] is False
    one = models.OneToOneField(Blog, models.CASCADE)
    assert "unique" not in one.deconstruct()[3]
    m2m = models.ManyToManyField("queries.Author", db_table="custom", db_constraint=False)
    assert m2m.deconstruct()[3] == {
        "db_constraint": False,
        "db_table": "custom",
        "to": "queries.author",
    }
    assert Tag._meta.get_field("things").deconstruct()[3]["to"] == "relations.thing"
    through = models.ManyToManyField(Author, through="relations.Membership")
    assert through.deconstruct()[3]["through"] == "relations.Membership"
    with pytest.raises(ValueError, match="Cannot specify a db_table if an intermediary model"):
        models.ManyToManyField(Author, through="x.Y", db_table="t")
    with pytest.raises(TypeError, match="First parameter to ForeignKey must be either a model"):
        models.ForeignKey(5, models.CASCADE)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="First parameter to ManyToManyField must be either"):
        models.ManyToManyField(5)  # type: ignore[arg-type]
    authors = Entry._meta.get_field("authors")
    saved = Entry.objects.create(blog=blog, headline="h", body_text="", pub_date="2020-01-01")
    ann = Author.objects.create(name="Ann", email="")
    authors.save_form_data(saved, [ann])
    assert authors.value_from_object(saved) == [ann]
    assert authors.value_from_object(Entry()) == []
    assert authors.db_type(None) is None
    assert authors.db_parameters(None) == {"type": None, "check": None}
    assert Category._meta.get_field("parent").verbose_name == "parent"
    assert Thing._meta.get_field("by_name").target_field is Owner._meta.get_field("name")
