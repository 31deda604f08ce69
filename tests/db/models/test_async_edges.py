"""Async twins on empty and cached querysets, aiterator() variants, iterator streaming."""

from __future__ import annotations

import datetime

import pytest

from fastjango.db import NotSupportedError, connections
from fastjango.db.models import Count
from tests.db.models.models_queries import Author, Blog, Entry

DAY = datetime.date(2020, 1, 1)


async def _blog_with_entries() -> Blog:
    blog = await Blog.objects.acreate(name="b", tagline="")
    ann = await Author.objects.acreate(name="Ann", email="")
    for index in range(3):
        entry = await Entry.objects.acreate(
            blog=blog, headline=f"e{index}", body_text="", pub_date=DAY
        )
        await entry.authors.aadd(ann)
    return blog


@pytest.mark.anyio
@pytest.mark.usefixtures("ausing")
async def test_async_twins_on_empty_and_cached_querysets() -> None:
    blog = await _blog_with_entries()
    empty = Blog.objects.filter(pk__in=[])
    assert await empty.acount() == 0
    assert not await empty.aexists()
    assert not await empty.acontains(blog)
    assert await empty.aupdate(name="x") == 0
    assert await empty.aaggregate(n=Count("pk")) == {"n": 0}
    assert [b async for b in empty.aiterator()] == []
    cached = Blog.objects.all()
    assert [b async for b in cached] == [blog]
    assert await cached.acount() == 1
    assert await cached.aexists()
    assert await cached.acontains(blog)
    with pytest.raises(TypeError, match="Cannot change a query once a slice has been taken"):
        await Blog.objects.all()[:1].aearliest("name")
    with pytest.raises(ValueError, match="Chunk size must be strictly positive"):
        [b async for b in Blog.objects.aiterator(chunk_size=0)]
    with pytest.raises(NotSupportedError, match="Calling QuerySet.get\\(...\\) with filters after"):
        await Blog.objects.all().union(Blog.objects.all()).aget(name="b")
    entries = Entry.objects.prefetch_related("authors").order_by("pk")
    names = [[a.name for a in e.authors.all()] async for e in entries.aiterator(chunk_size=2)]
    assert names == [["Ann"], ["Ann"], ["Ann"]]
    known = [e async for e in blog.entry_set.all()]
    assert all(e.blog is blog for e in known)


@pytest.mark.usefixtures("using")
def test_iterator_streaming_options(using: str) -> None:
    blog = Blog.objects.create(name="b", tagline="")
    for index in range(3):
        Entry.objects.create(blog=blog, headline=f"e{index}", body_text="", pub_date=DAY)
    connection = connections[using]
    settings = connection.settings_dict
    saved = settings.get("DISABLE_SERVER_SIDE_CURSORS")
    settings["DISABLE_SERVER_SIDE_CURSORS"] = True
    try:
        assert len(list(Entry.objects.iterator(chunk_size=2))) == 3
    finally:
        if saved is None:
            settings.pop("DISABLE_SERVER_SIDE_CURSORS")
        else:
            settings["DISABLE_SERVER_SIDE_CURSORS"] = saved
    chunks = Entry.objects.prefetch_related("authors").iterator(chunk_size=2)
    assert len(list(chunks)) == 3
    with pytest.raises(ValueError, match="chunk_size must be provided when using"):
        list(Entry.objects.prefetch_related("authors").iterator())
    assert Blog.objects.last() == blog and Blog.objects.filter(pk=-1).last() is None


def test_iterator_outside_transaction(orm_alias: str) -> None:
    from tests.db.models.conftest import CURRENT_ALIAS

    token = CURRENT_ALIAS.set(orm_alias)
    try:
        assert list(Blog.objects.filter(pk=-1).iterator(chunk_size=10)) == []
    finally:
        CURRENT_ALIAS.reset(token)
