"""Django's "Asynchronous support" for the ORM: every async twin, ``async for``, and the guards."""

from __future__ import annotations

import datetime

import pytest

from fastjango.core.exceptions import SynchronousOnlyOperation
from fastjango.db import transaction
from fastjango.db.models import Count, Prefetch, Sum, aprefetch_related_objects
from tests.db.models.models_queries import Author, Blog, Entry
from tests.db.models.models_relations import Category, Person

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("ausing")]

DAY = datetime.date(2020, 1, 1)


async def make_blog(name: str = "b", entries: int = 2) -> Blog:
    blog = await Blog.objects.acreate(name=name, tagline="")
    for index in range(entries):
        await Entry.objects.acreate(
            blog=blog, headline=f"{name}{index}", body_text="", pub_date=DAY, rating=index
        )
    return blog


async def test_async_iteration_and_terminal_methods() -> None:
    blog = await make_blog()
    assert [b.name async for b in Blog.objects.all()] == ["b"]
    assert [e.headline async for e in Entry.objects.order_by("pk").aiterator(chunk_size=1)] == [
        "b0",
        "b1",
    ]
    assert await Entry.objects.acount() == 2
    assert await Entry.objects.filter(rating=1).aexists()
    assert await Blog.objects.acontains(blog)
    assert (await Entry.objects.order_by("pk").afirst()).headline == "b0"  # type: ignore[union-attr]
    assert (await Entry.objects.order_by("pk").alast()).headline == "b1"  # type: ignore[union-attr]
    assert await Entry.objects.filter(rating=9).afirst() is None
    assert (await Entry.objects.alatest("rating")).headline == "b1"
    assert (await Entry.objects.aearliest("rating")).headline == "b0"
    assert (await Entry.objects.aget(headline="b0")).rating == 0
    with pytest.raises(Entry.DoesNotExist):
        await Entry.objects.aget(headline="nope")
    assert await Entry.objects.aaggregate(total=Sum("rating")) == {"total": 1}
    in_bulk = await Entry.objects.ain_bulk()
    assert sorted(e.headline for e in in_bulk.values()) == ["b0", "b1"]
    assert await Entry.objects.filter(rating=0).aupdate(rating=5) == 1
    plan = await Blog.objects.filter(name="b").aexplain()
    assert isinstance(plan, str) and plan
    values = [row async for row in Entry.objects.values_list("headline", flat=True).order_by("pk")]
    assert values == ["b0", "b1"]
    annotated = [b async for b in Blog.objects.annotate(n=Count("entry"))]
    assert annotated[0].n == 2


async def test_async_create_update_delete() -> None:
    blog, created = await Blog.objects.aget_or_create(name="x", defaults={"tagline": "t"})
    assert created and blog.tagline == "t"
    same, created = await Blog.objects.aget_or_create(name="x")
    assert not created and same == blog
    updated, created = await Blog.objects.aupdate_or_create(name="x", defaults={"tagline": "u"})
    assert not created and updated.tagline == "u"
    made = await Blog.objects.abulk_create([Blog(name="y", tagline=""), Blog(name="z", tagline="")])
    assert len(made) == 2
    everything = [b async for b in Blog.objects.order_by("name")]
    for b in everything:
        b.tagline = "bulk"
    assert await Blog.objects.abulk_update(everything, ["tagline"]) == 3
    assert await Blog.objects.filter(tagline="bulk").acount() == 3
    deleted, per_model = await Blog.objects.filter(name__in=["y", "z"]).adelete()
    assert deleted == 2 and per_model == {"queries.Blog": 2}


async def test_async_instance_methods() -> None:
    blog = Blog(name="b", tagline="")
    await blog.asave()
    assert blog.pk is not None
    await Blog.objects.filter(pk=blog.pk).aupdate(name="changed")
    await blog.arefresh_from_db()
    assert blog.name == "changed"
    blog.tagline = "t"
    await blog.asave(update_fields=["tagline"])
    assert (await Blog.objects.aget(pk=blog.pk)).tagline == "t"
    assert await blog.adelete() == (1, {"queries.Blog": 1})
    assert not await Blog.objects.aexists()


async def test_async_transactions(ausing: str) -> None:
    async with transaction.atomic(using=ausing):
        await Blog.objects.acreate(name="kept", tagline="")
    with pytest.raises(RuntimeError):
        async with transaction.atomic(using=ausing):
            await Blog.objects.acreate(name="lost", tagline="")
            raise RuntimeError("roll back")
    assert [b.name async for b in Blog.objects.all()] == ["kept"]


async def test_sync_calls_in_async_code_name_the_twin() -> None:
    await make_blog()
    with pytest.raises(SynchronousOnlyOperation, match="use 'await qs.acount\\(\\)' instead"):
        Blog.objects.count()
    with pytest.raises(SynchronousOnlyOperation, match="aget\\(\\)"):
        Blog.objects.get(name="b")
    with pytest.raises(SynchronousOnlyOperation, match="async for"):
        list(Blog.objects.all())
    with pytest.raises(SynchronousOnlyOperation, match="asave"):
        Blog(name="n", tagline="").save()
    blog = await Blog.objects.aget(name="b")
    with pytest.raises(SynchronousOnlyOperation, match="adelete"):
        blog.delete()


async def test_lazy_relations_in_async_code() -> None:
    await make_blog()
    entry = await Entry.objects.order_by("pk").afirst()
    assert entry is not None
    with pytest.raises(SynchronousOnlyOperation, match="select_related\\('blog'\\)"):
        entry.blog  # noqa: B018
    loaded = await Entry.objects.select_related("blog").order_by("pk").afirst()
    assert loaded is not None and loaded.blog.name == "b"
    await entry.afetch_related("blog")
    assert entry.blog.name == "b"
    blog = await Blog.objects.aget(name="b")
    with pytest.raises(SynchronousOnlyOperation, match="use 'async for'"):
        list(blog.entry_set.all())
    assert [e.headline async for e in blog.entry_set.order_by("pk")] == ["b0", "b1"]
    prefetched = await Blog.objects.prefetch_related("entry_set").aget(name="b")
    assert len(prefetched.entry_set.all()) == 2
    blogs = [b async for b in Blog.objects.all()]
    await aprefetch_related_objects(blogs, Prefetch("entry_set", to_attr="entries"))
    assert [len(b.entries) for b in blogs] == [2]


async def test_async_related_managers() -> None:
    root = await Category.objects.acreate(name="root")
    child = await root.children.acreate(name="child")
    assert child.parent_id == root.pk
    other = await Category.objects.acreate(name="other")
    await root.children.aadd(other)
    assert await root.children.acount() == 2
    await root.children.aremove(other)
    await root.children.aset([other])
    assert [c.name async for c in root.children.all()] == ["other"]
    await root.children.aclear()
    assert not await root.children.aexists()
    got, created = await root.children.aget_or_create(name="leaf")
    assert created
    got, created = await root.children.aupdate_or_create(name="leaf", defaults={"name": "leaf2"})
    assert not created and got.name == "leaf2"

    blog = await make_blog(entries=1)
    entry = await Entry.objects.aget()
    ann = await Author.objects.acreate(name="Ann", email="")
    bob = await Author.objects.acreate(name="Bob", email="")
    await entry.authors.aadd(ann, bob)
    assert await entry.authors.acount() == 2
    await entry.authors.aremove(ann)
    assert [a.name async for a in entry.authors.all()] == ["Bob"]
    await entry.authors.aset([ann])
    assert [a.name async for a in entry.authors.all()] == ["Ann"]
    await entry.authors.aclear()
    assert not await entry.authors.aexists()
    carl = await entry.authors.acreate(name="Carl", email="")
    assert [e.pk async for e in carl.entry_set.all()] == [entry.pk]
    _, created = await entry.authors.aget_or_create(name="Carl")
    assert not created
    _, created = await entry.authors.aupdate_or_create(name="Dan", defaults={"email": "d@x"})
    assert created and await entry.authors.acount() == 2
    assert blog.pk == entry.blog_id
    alice = await Person.objects.acreate(name="Alice")
    bert = await Person.objects.acreate(name="Bert")
    await alice.friends.aadd(bert)
    assert [p.name async for p in bert.friends.all()] == ["Alice"]


async def test_async_raw_queries() -> None:
    await make_blog()
    raw = Blog.objects.raw("SELECT * FROM queries_blog")
    assert [b.name async for b in raw] == ["b"]
    assert [b.name async for b in raw.aiterator()] == ["b"]


async def test_reused_statements_take_each_querysets_values() -> None:
    # Same-shape querysets share one compiled statement (sql.statement_cache); the async
    # paths must bind each queryset's own values.
    blogs = [await Blog.objects.acreate(name=f"blog {n}", tagline=str(n)) for n in range(4)]
    for n in range(3):
        assert (await Blog.objects.aget(name=f"blog {n}")).tagline == str(n)
        names = [b.name async for b in Blog.objects.filter(pk__gt=blogs[n].pk).aiterator()]
        assert sorted(names) == [f"blog {m}" for m in range(n + 1, 4)]
        streamed = [b.name async for b in Blog.objects.filter(pk__lte=blogs[n].pk)]
        assert sorted(streamed) == [f"blog {m}" for m in range(n + 1)]
