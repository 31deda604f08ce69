"""Sliced ``Prefetch()`` querysets (Django 4.2+): each instance gets its own slice."""

from __future__ import annotations

import datetime

import pytest

from fastjango.db import connections
from fastjango.db.models import F, Prefetch, aprefetch_related_objects
from fastjango.test.utils import CaptureQueriesContext
from tests.db.models.models_queries import Author, Blog, Entry


@pytest.fixture
def blogs(blog_entries: list[Blog]) -> list[Blog]:
    return blog_entries


def headlines(entries: object) -> list[str]:
    return [e.headline for e in entries]  # type: ignore[attr-defined]


@pytest.mark.usefixtures("blogs")
def test_reverse_foreign_key_slice_per_instance(using: str) -> None:
    latest = Prefetch("entry_set", queryset=Entry.objects.order_by("-pub_date")[:2])
    with CaptureQueriesContext(connections[using]) as ctx:
        fetched = list(Blog.objects.prefetch_related(latest).order_by("pk"))
        assert [headlines(b.entry_set.all()) for b in fetched] == [
            ["one-0"],
            ["two-1", "two-0"],
            ["three-2", "three-1"],
        ]
    assert len(ctx) == 2
    assert "ROW_NUMBER() OVER (PARTITION BY" in ctx.captured_queries[1]["sql"].upper()


@pytest.mark.usefixtures("blogs")
def test_offset_and_open_ended_slices() -> None:
    middle = Prefetch("entry_set", queryset=Entry.objects.order_by("-rating")[1:2])
    fetched = list(Blog.objects.prefetch_related(middle).order_by("pk"))
    assert [headlines(b.entry_set.all()) for b in fetched] == [[], ["two-0"], ["three-1"]]
    rest = Prefetch("entry_set", queryset=Entry.objects.order_by("rating")[1:])
    fetched = list(Blog.objects.prefetch_related(rest).order_by("pk"))
    assert [headlines(b.entry_set.all()) for b in fetched] == [
        [],
        ["two-1"],
        ["three-1", "three-2"],
    ]


@pytest.mark.usefixtures("blogs")
def test_to_attr_filters_and_expression_ordering() -> None:
    best = Prefetch(
        "entry_set",
        queryset=Entry.objects.filter(rating__lt=2).order_by(F("rating").desc())[:1],
        to_attr="best",
    )
    fetched = list(Blog.objects.prefetch_related(best).order_by("pk"))
    assert [headlines(b.best) for b in fetched] == [["one-0"], ["two-1"], ["three-1"]]
    # Without an ordering the rows are numbered in the database's order: one per blog.
    anyone = Prefetch("entry_set", queryset=Entry.objects.all()[:1], to_attr="any")
    assert [len(b.any) for b in Blog.objects.prefetch_related(anyone)] == [1, 1, 1]


@pytest.mark.usefixtures("blogs")
def test_many_to_many_both_ways(using: str) -> None:
    top_two = Prefetch("entry_set", queryset=Entry.objects.order_by("-rating", "headline")[:2])
    with CaptureQueriesContext(connections[using]) as ctx:
        authors = {a.name: a for a in Author.objects.prefetch_related(top_two)}
        assert headlines(authors["Ann"].entry_set.all()) == ["three-2", "one-0"]
        assert headlines(authors["Bob"].entry_set.all()) == ["three-2", "three-1"]
    assert len(ctx) == 2
    first_author = Prefetch("authors", queryset=Author.objects.order_by("-name")[:1])
    entries = Entry.objects.prefetch_related(first_author).order_by("headline")
    assert {e.headline: [a.name for a in e.authors.all()] for e in entries} == {
        "one-0": ["Ann"],
        "three-0": ["Ann"],
        "three-1": ["Bob"],
        "three-2": ["Bob"],
        "two-0": ["Ann"],
        "two-1": ["Bob"],
    }


@pytest.mark.usefixtures("blogs")
def test_nested_sliced_prefetches(using: str) -> None:
    with CaptureQueriesContext(connections[using]) as ctx:
        fetched = list(
            Blog.objects.prefetch_related(
                Prefetch(
                    "entry_set", queryset=Entry.objects.order_by("-rating")[:1], to_attr="top"
                ),
                Prefetch("top__authors", queryset=Author.objects.order_by("name")[:1]),
            ).order_by("pk")
        )
        assert [[a.name for e in b.top for a in e.authors.all()] for b in fetched] == [
            ["Ann"],
            ["Bob"],
            ["Ann"],
        ]
    assert len(ctx) == 3
    inner = Entry.objects.prefetch_related(
        Prefetch("authors", queryset=Author.objects.order_by("name")[1:])
    ).order_by("-rating")[:1]
    blog = Blog.objects.prefetch_related(Prefetch("entry_set", queryset=inner)).get(name="three")
    [entry] = blog.entry_set.all()
    assert [a.name for a in entry.authors.all()] == ["Bob"]


@pytest.mark.anyio
@pytest.mark.usefixtures("ausing")
async def test_async_sliced_prefetch() -> None:
    blog = await Blog.objects.acreate(name="a", tagline="")
    other = await Blog.objects.acreate(name="b", tagline="")
    for rating in range(3):
        for owner in (blog, other):
            await Entry.objects.acreate(
                blog=owner,
                headline=f"{owner.name}{rating}",
                body_text="",
                pub_date=datetime.date(2020, 1, 1),
                rating=rating,
            )
    latest = Prefetch("entry_set", queryset=Entry.objects.order_by("-rating")[:2])
    fetched = [b async for b in Blog.objects.prefetch_related(latest).order_by("name")]
    assert [headlines(b.entry_set.all()) for b in fetched] == [["a2", "a1"], ["b2", "b1"]]
    plain = [b async for b in Blog.objects.order_by("name")]
    await aprefetch_related_objects(
        plain, Prefetch("entry_set", queryset=Entry.objects.order_by("rating")[:1], to_attr="low")
    )
    assert [headlines(b.low) for b in plain] == [["a0"], ["b0"]]
