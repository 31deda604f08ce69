"""Model signals: fired as Django fires them, to sync and async receivers, from sync and async."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest

from fastjango.db import models
from fastjango.db.models import signals
from tests.db.models.models_queries import Author, Blog, Entry

Calls = list[tuple[str, Any]]


@pytest.fixture
def calls() -> Iterator[Calls]:
    """Record (signal, details) for Blog/Entry signals while the test runs."""
    recorded: Calls = []

    def on_pre_init(sender: Any, args: Any, kwargs: Any, **extra: Any) -> None:
        recorded.append(("pre_init", dict(kwargs)))

    def on_post_init(sender: Any, instance: Any, **extra: Any) -> None:
        recorded.append(("post_init", instance.name))

    def on_pre_save(sender: Any, instance: Any, raw: bool, using: str, **extra: Any) -> None:
        recorded.append(("pre_save", (instance.name, extra["update_fields"])))

    def on_post_save(sender: Any, instance: Any, created: bool, **extra: Any) -> None:
        recorded.append(("post_save", (instance.name, created, extra["update_fields"])))

    def on_pre_delete(sender: Any, instance: Any, origin: Any, **extra: Any) -> None:
        recorded.append(("pre_delete", (sender.__name__, type(origin).__name__)))

    def on_post_delete(sender: Any, instance: Any, **extra: Any) -> None:
        recorded.append(("post_delete", (sender.__name__, instance.pk is not None)))

    receivers = [
        (signals.pre_init, on_pre_init),
        (signals.post_init, on_post_init),
        (signals.pre_save, on_pre_save),
        (signals.post_save, on_post_save),
        (signals.pre_delete, on_pre_delete),
        (signals.post_delete, on_post_delete),
    ]
    for signal, receiver in receivers:
        signal.connect(receiver, sender=Blog)
    signals.pre_delete.connect(on_pre_delete, sender="queries.Entry")
    signals.post_delete.connect(on_post_delete, sender=Entry)
    try:
        yield recorded
    finally:
        for signal, receiver in receivers:
            signal.disconnect(receiver, sender=Blog)
        signals.pre_delete.disconnect(on_pre_delete, sender="queries.Entry")
        signals.post_delete.disconnect(on_post_delete, sender=Entry)


def names(calls: Calls) -> list[str]:
    return [name for name, _ in calls]


@pytest.mark.usefixtures("using")
def test_save_signals(calls: Calls) -> None:
    blog = Blog(name="b", tagline="")
    assert calls == [("pre_init", {"name": "b", "tagline": ""}), ("post_init", "b")]
    calls.clear()
    blog.save()
    assert calls == [("pre_save", ("b", None)), ("post_save", ("b", True, None))]
    calls.clear()
    blog.name = "c"
    blog.save(update_fields=["name"])
    assert calls == [
        ("pre_save", ("c", frozenset({"name"}))),
        ("post_save", ("c", False, frozenset({"name"}))),
    ]
    calls.clear()
    Blog.objects.get(pk=blog.pk)
    assert names(calls) == ["pre_init", "post_init"]


@pytest.mark.usefixtures("using")
def test_signals_not_sent_by_bulk_operations(calls: Calls) -> None:
    blogs = Blog.objects.bulk_create([Blog(name="x", tagline=""), Blog(name="y", tagline="")])
    calls.clear()
    Blog.objects.update(tagline="t")
    Blog.objects.bulk_update(blogs, ["name"]) if all(b.pk for b in blogs) else None
    assert calls == []
    Blog.objects.create(name="z", tagline="")
    assert names(calls)[-2:] == ["pre_save", "post_save"]


@pytest.mark.usefixtures("using")
def test_delete_signals_include_cascades(calls: Calls) -> None:
    blog = Blog.objects.create(name="b", tagline="")
    Entry.objects.create(blog=blog, headline="e", body_text="", pub_date=datetime.date(2020, 1, 1))
    calls.clear()
    blog.delete()
    # Dependent rows first, as Django orders the collected models.
    assert calls == [
        ("pre_delete", ("Entry", "Blog")),
        ("pre_delete", ("Blog", "Blog")),
        ("post_delete", ("Entry", True)),
        ("post_delete", ("Blog", True)),
    ]
    Blog.objects.create(name="q", tagline="")
    calls.clear()
    Blog.objects.filter(name="q").delete()
    assert [c for c in calls if c[0].endswith("delete")] == [
        ("pre_delete", ("Blog", "QuerySet")),
        ("post_delete", ("Blog", True)),
    ]


@pytest.mark.usefixtures("using")
def test_m2m_changed() -> None:
    blog = Blog.objects.create(name="b", tagline="")
    entry = Entry.objects.create(
        blog=blog, headline="e", body_text="", pub_date=datetime.date(2020, 1, 1)
    )
    ann = Author.objects.create(name="Ann", email="")
    bob = Author.objects.create(name="Bob", email="")
    seen: list[tuple[str, bool, Any, Any]] = []

    def receiver(sender: Any, instance: Any, action: str, reverse: bool, **kwargs: Any) -> None:
        pk_set = kwargs["pk_set"]
        seen.append((action, reverse, type(instance).__name__, pk_set and sorted(pk_set)))
        assert kwargs["model"] in (Author, Entry)

    signals.m2m_changed.connect(receiver, sender=Entry.authors.through)
    try:
        entry.authors.add(ann, bob)
        entry.authors.add(ann)
        entry.authors.remove(bob)
        ann.entry_set.clear()
        entry.authors.set([bob])
    finally:
        signals.m2m_changed.disconnect(receiver, sender=Entry.authors.through)
    assert seen == [
        ("pre_add", False, "Entry", sorted([ann.pk, bob.pk])),
        ("post_add", False, "Entry", sorted([ann.pk, bob.pk])),
        ("pre_add", False, "Entry", set()),
        ("post_add", False, "Entry", set()),
        ("pre_remove", False, "Entry", [bob.pk]),
        ("post_remove", False, "Entry", [bob.pk]),
        ("pre_clear", True, "Author", None),
        ("post_clear", True, "Author", None),
        ("pre_add", False, "Entry", [bob.pk]),
        ("post_add", False, "Entry", [bob.pk]),
    ]


def test_class_prepared_and_lazy_sender() -> None:
    prepared: list[str] = []

    def on_prepared(sender: Any, **kwargs: Any) -> None:
        prepared.append(sender.__name__)

    def on_save(sender: Any, **kwargs: Any) -> None:
        prepared.append("saved")

    signals.class_prepared.connect(on_prepared)
    signals.pre_save.connect(on_save, sender="signals_app.Late")
    try:

        class Late(models.Model):
            name = models.CharField(max_length=10)

            class Meta:
                app_label = "signals_app"

        assert prepared == ["Late"]
        assert signals.pre_save.has_listeners(Late)
    finally:
        signals.class_prepared.disconnect(on_prepared)
        signals.pre_save.disconnect(on_save, sender=Late)
    assert not signals.pre_save.has_listeners(Late)


@pytest.mark.usefixtures("using")
def test_async_receivers_run_from_sync_save() -> None:
    seen: list[str] = []

    async def receiver(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
        seen.append(f"{instance.name}:{created}")

    signals.post_save.connect(receiver, sender=Blog)
    try:
        Blog.objects.create(name="async", tagline="")
    finally:
        signals.post_save.disconnect(receiver, sender=Blog)
    assert seen == ["async:True"]


@pytest.mark.anyio
@pytest.mark.usefixtures("ausing")
async def test_asave_and_adelete_send_to_sync_and_async_receivers() -> None:
    seen: list[str] = []

    def sync_receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        seen.append(f"sync:{instance.name}")

    async def async_receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        seen.append(f"async:{instance.name}")

    signals.post_save.connect(sync_receiver, sender=Blog)
    signals.post_save.connect(async_receiver, sender=Blog)
    signals.post_delete.connect(async_receiver, sender=Blog)
    try:
        blog = await Blog.objects.acreate(name="b", tagline="")
        assert sorted(seen) == ["async:b", "sync:b"]
        seen.clear()
        await blog.adelete()
        assert seen == ["async:b"]
    finally:
        signals.post_save.disconnect(sync_receiver, sender=Blog)
        signals.post_save.disconnect(async_receiver, sender=Blog)
        signals.post_delete.disconnect(async_receiver, sender=Blog)
