"""The ORM's fast paths give what the general ones give.

Cached statements on the driver's cursor, instances whose ``_state`` is made
on first use, ``Model(**kwargs)`` written out per model, values saved without
conversion calls and SQLite's multi-row ``bulk_create()``: each is checked
against the behaviour it stands in for, on every backend.
"""

from __future__ import annotations

import copy
import datetime
import pickle
from typing import Any

import pytest
from sqlalchemy import event

from fastjango.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from fastjango.db.models.base import DEFERRED
from fastjango.db.models.signals import post_init, pre_init
from fastjango.test.utils import CaptureQueriesContext
from tests.db.models.models_fields import Recorded, Tagged
from tests.db.models.models_queries import Blog, Entry

pytestmark = pytest.mark.usefixtures("empty_statement_cache")


def _record_direct(wrapper: Any, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    original = wrapper.execute_direct

    def spy(direct: Any, params: Any, read: Any) -> Any:
        calls.append(direct.sql)
        return original(direct, params, read)

    monkeypatch.setattr(wrapper, "execute_direct", spy)
    return calls


@pytest.fixture
def direct_calls(using: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the SQL of each statement that runs on the driver's cursor."""
    return _record_direct(connections[using], monkeypatch)


def test_cached_select_runs_on_the_driver_with_each_value(
    using: str, direct_calls: list[str]
) -> None:
    blogs = [Blog.objects.create(name=f"blog {n}", tagline=f"t{n}") for n in range(3)]
    # The first query compiles the shape; the next ones reuse it on the driver's cursor.
    assert Blog.objects.get(pk=blogs[0].pk).name == "blog 0"
    assert Blog.objects.get(pk=blogs[2].pk).name == "blog 2"
    assert Blog.objects.get(name="blog 1").tagline == "t1"
    assert [b.name for b in Blog.objects.filter(pk__gte=blogs[1].pk).order_by("pk")] == [
        "blog 1",
        "blog 2",
    ]
    assert [b.name for b in Blog.objects.filter(pk__gte=blogs[2].pk).order_by("pk")] == ["blog 2"]
    selects = [sql for sql in direct_calls if sql.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 2
    with pytest.raises(Blog.DoesNotExist):
        Blog.objects.get(pk=blogs[-1].pk + 100)


def test_query_log_sees_cached_statements(using: str, direct_calls: list[str]) -> None:
    blog = Blog.objects.create(name="seen", tagline="")
    Blog.objects.get(pk=blog.pk)
    with CaptureQueriesContext(connections[using]) as captured:
        assert Blog.objects.get(pk=blog.pk).name == "seen"
        Blog.objects.create(name="also seen", tagline="")
    assert len(captured) == 2
    assert "SELECT" in captured[0]["sql"].upper()
    assert "INSERT" in captured[1]["sql"].upper()
    assert not any("INSERT" in sql.upper() for sql in direct_calls[1:])


def test_engine_listener_sees_every_statement(using: str, direct_calls: list[str]) -> None:
    wrapper = connections[using]
    engine = wrapper.sync_engine
    blog = Blog.objects.create(name="traced", tagline="")
    Blog.objects.get(pk=blog.pk)
    seen: list[str] = []

    def listener(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", listener)
    try:
        before = len(direct_calls)
        assert Blog.objects.get(pk=blog.pk).name == "traced"
        Blog.objects.create(name="traced too", tagline="")
        assert len(direct_calls) == before
        assert len(seen) == 2
    finally:
        event.remove(engine, "before_cursor_execute", listener)
        # SQLAlchemy keeps its "has listeners" flag; the query log recomputes it.
        wrapper._query_logs[engine].set_active(wrapper.queries_logged)
    assert wrapper.runs_direct()


def test_converted_columns_read_back_typed(using: str) -> None:
    blog = Blog.objects.create(name="b", tagline="")
    day = datetime.date(2024, 2, 29)
    entries = [
        Entry.objects.create(blog=blog, headline=f"h{n}", body_text="", pub_date=day)
        for n in range(2)
    ]
    for entry in entries:
        fetched = Entry.objects.get(pk=entry.pk)
        assert fetched.pub_date == day
        assert isinstance(fetched.pub_date, datetime.date)
        assert fetched.mod_date == datetime.date.today()


def test_direct_insert_errors_are_ours_and_write_nothing(using: str) -> None:
    Blog.objects.create(name="first", tagline="")
    blog = Blog(name="twin", tagline="")
    blog.save()
    clash = Blog(pk=blog.pk, name="clash", tagline="")
    with pytest.raises(IntegrityError), transaction.atomic(using=using):
        clash.save(force_insert=True)
    assert not Blog.objects.filter(name="clash").exists()


def test_loaded_state_is_made_on_first_use(using: str) -> None:
    blog = Blog.objects.create(name="lazy", tagline="x")
    fetched = Blog.objects.get(pk=blog.pk)
    # Only rows of the default database leave _state out of __dict__.
    assert ("_state" in fetched.__dict__) is (using != DEFAULT_DB_ALIAS)
    assert fetched._state.db == using
    assert fetched._state.adding is False
    assert "_state" in fetched.__dict__
    again = Blog.objects.get(pk=blog.pk)
    restored = pickle.loads(pickle.dumps(again))
    assert (restored._state.db, restored._state.adding) == (using, False)
    assert restored == blog
    copied = copy.copy(Blog.objects.get(pk=blog.pk))
    assert (copied._state.db, copied._state.adding) == (using, False)


def test_select_related_tree_caches_both_ways(using: str) -> None:
    blog = Blog.objects.create(name="parent", tagline="")
    day = datetime.date(2024, 1, 1)
    Entry.objects.create(blog=blog, headline="with blog", body_text="", pub_date=day)
    for _ in range(2):  # compiled, then from the statement cache
        entry = Entry.objects.select_related("blog").get(headline="with blog")
        assert entry._state.db == using
        assert entry.blog.name == "parent"
        assert entry.blog._state.db == using
        assert entry.blog._state.adding is False
        assert Entry.blog.field.is_cached(entry)  # type: ignore[attr-defined]


def test_keyword_init_fills_defaults_and_descriptors(using: str) -> None:
    blog = Blog.objects.create(name="init", tagline="")
    plain = Blog(name="only a name")
    assert plain.tagline == ""
    assert plain.pk is None
    assert plain._state.adding is True
    assert plain._state.db is None
    entry = Entry(blog_id=blog.pk, headline="h", body_text="", pub_date=datetime.date(2024, 1, 1))
    assert entry.mod_date == datetime.date.today()  # callable default, called per instance
    assert entry.rating == 5
    assert entry.blog == blog  # the foreign key's attname went through its descriptor
    deferred = Blog(name="deferred", tagline=DEFERRED)
    assert "tagline" not in deferred.__dict__
    with pytest.raises(TypeError, match="unexpected keyword arguments: 'nickname'"):
        Blog(name="x", nickname="y")


def test_keyword_init_keeps_signals_and_mixins(using: str) -> None:
    seen: list[tuple[str, Any]] = []

    def before(sender: Any, args: Any, kwargs: Any, **extra: Any) -> None:
        seen.append(("pre", dict(kwargs)))

    def after(sender: Any, instance: Any, **extra: Any) -> None:
        seen.append(("post", instance.name))

    pre_init.connect(before, sender=Blog)
    post_init.connect(after, sender=Blog)
    try:
        Blog(name="signalled")
    finally:
        pre_init.disconnect(before, sender=Blog)
        post_init.disconnect(after, sender=Blog)
    assert seen == [("pre", {"name": "signalled"}), ("post", "signalled")]
    recorded = Recorded(name="mixin")
    assert recorded.recorded is True
    assert recorded.name == "mixin"


def test_subclassed_field_conversion_is_kept(using: str) -> None:
    one = Tagged.objects.create(tag="MiXeD", count=3, weight=2)
    assert Tagged.objects.get(pk=one.pk).tag == "mixed"
    Tagged.objects.bulk_create([Tagged(tag="BULK", count=1), Tagged(tag="Two", count=True)])
    rows = sorted(Tagged.objects.values_list("tag", "count", "weight"))
    assert rows == [("bulk", 1, 1.0), ("mixed", 3, 2.0), ("two", 1, 1.0)]


def test_bulk_create_sets_keys_in_order(using: str) -> None:
    blogs = Blog.objects.bulk_create([Blog(name=f"b{n:03}", tagline=str(n)) for n in range(150)])
    assert all(blog.pk is not None for blog in blogs)
    by_pk = dict(Blog.objects.values_list("pk", "name"))
    assert [by_pk[blog.pk] for blog in blogs] == [blog.name for blog in blogs]
    assert all(blog._state.adding is False and blog._state.db == using for blog in blogs)


def test_bulk_create_with_converted_columns(using: str) -> None:
    blog = Blog.objects.create(name="b", tagline="")
    day = datetime.date(2023, 12, 31)
    entries = Entry.objects.bulk_create(
        [Entry(blog=blog, headline=f"e{n}", body_text="", pub_date=day) for n in range(5)]
    )
    assert [e.headline for e in Entry.objects.filter(pub_date=day).order_by("pk")] == [
        e.headline for e in entries
    ]


def test_outside_atomic_pooled_connections(orm_alias: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Autocommit on pooled connections: each statement is on its own and kept.
    from tests.db.models.conftest import CURRENT_ALIAS

    token = CURRENT_ALIAS.set(orm_alias)
    calls = _record_direct(connections[orm_alias], monkeypatch)
    try:
        made = [Blog.objects.create(name=f"kept {n}", tagline="") for n in range(2)]
        Blog.objects.bulk_create([Blog(name="kept bulk", tagline="")])
        for blog in made:
            assert Blog.objects.get(pk=blog.pk).name == blog.name
        assert Blog.objects.filter(name__startswith="kept").count() == 3
        assert any(sql.lstrip().upper().startswith("INSERT") for sql in calls)
        assert any(sql.lstrip().upper().startswith("SELECT") for sql in calls)
    finally:
        Blog.objects.filter(name__startswith="kept").delete()
        CURRENT_ALIAS.reset(token)
    assert not Blog.objects.using(orm_alias).filter(name__startswith="kept").exists()
