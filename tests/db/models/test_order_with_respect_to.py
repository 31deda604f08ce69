"""``Meta.order_with_respect_to``: the ``_order`` column and the methods Django gives it.

Expected results follow Django's "Model Meta options" reference (the
Question/Answer example) and Django's own tests of the option.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from fastjango.apps.registry import Apps
from fastjango.core import checks
from fastjango.core.exceptions import FieldDoesNotExist, SynchronousOnlyOperation
from fastjango.db import connections, models
from fastjango.db.models import metadata
from fastjango.db.models.fields.proxy import OrderWrt
from fastjango.test.utils import CaptureQueriesContext
from tests.db.models.models_queries import Blog
from tests.db.models.models_relations import Answer, Chapter, Post, Question


def orders(queryset: Any) -> list[tuple[str, int]]:
    return [(obj.text, obj._order) for obj in queryset]


@pytest.fixture
def question(using: str) -> Question:
    """The docs' example: three answers to one question (and one to another)."""
    question = Question.objects.create(text="What is your favorite colour?")
    other = Question.objects.create(text="What is your quest?")
    for text in ("Blue", "Red", "Yellow"):
        Answer.objects.create(text=text, question=question)
    Answer.objects.create(text="To seek the Grail", question=other)
    return question


# -- the option --------------------------------------------------------------------------------


def test_meta_gets_the_field_the_ordering_and_an_order_column() -> None:
    opts: Any = Answer._meta
    assert opts.order_with_respect_to is opts.get_field("question")
    assert tuple(opts.ordering) == ("_order",)
    order = opts.get_field("_order")
    assert isinstance(order, OrderWrt)
    assert (order.name, order.column, order.editable) == ("_order", "_order", False)
    assert "_order" in Answer.__table__.c
    assert Answer.__table__.c["_order"].nullable is False
    # Given as the attname, the option still names the field.
    assert Chapter._meta.order_with_respect_to is Chapter._meta.get_field("blog")
    assert Question._meta.order_with_respect_to is None
    assert "_order" not in Question.__table__.c
    name, path, args, kwargs = order.deconstruct()
    assert (name, path, args) == ("_order", "fastjango.db.models.fields.proxy.OrderWrt", [])
    assert isinstance(order.clone(), OrderWrt)


def isolated(name: str, attrs: dict[str, Any], meta: dict[str, Any]) -> Any:
    """Build a model on a registry of its own (its table left out of the shared metadata)."""
    namespace = {"__module__": __name__, **attrs}
    namespace["Meta"] = type("Meta", (), {"app_label": "owrt", "apps": Apps(), **meta})
    try:
        return type(name, (models.Model,), namespace)
    finally:
        table = f"owrt_{name.lower()}"
        if table in metadata.tables:
            metadata.remove(metadata.tables[table])


def test_ordering_together_is_error_e021() -> None:
    both = isolated(
        "Both",
        {"question": models.ForeignKey(Question, models.CASCADE)},
        {"order_with_respect_to": "question", "ordering": ["question"]},
    )
    errors = both.check()
    assert [(e.id, e.msg) for e in errors] == [
        ("models.E021", "'ordering' and 'order_with_respect_to' cannot be used together.")
    ]
    assert errors[0].obj is both
    assert Answer.check() == []


def test_unknown_field_is_refused() -> None:
    with pytest.raises(FieldDoesNotExist, match="Lost has no field named 'nothing'"):
        isolated(
            "Lost",
            {"question": models.ForeignKey(Question, models.CASCADE)},
            {"order_with_respect_to": "nothing"},
        )


def test_plain_field_orders_without_related_accessors(using: str) -> None:
    # Django allows any field; only a relation gives the other model methods.
    step = isolated(
        "Step",
        {"recipe": models.CharField(max_length=20), "text": models.CharField(max_length=20)},
        {"order_with_respect_to": "recipe"},
    )
    assert step._meta.order_with_respect_to.name == "recipe"
    assert hasattr(step, "get_next_in_order")
    connection = connections[using]
    connection.execute(sa.schema.CreateTable(step.__table__))
    try:
        first = step.objects.create(recipe="tea", text="boil")
        second = step.objects.create(recipe="tea", text="pour")
        other = step.objects.create(recipe="toast", text="slice")
        assert (first._order, second._order, other._order) == (0, 1, 0)
        assert first.get_next_in_order() == second
    finally:
        connection.execute(sa.schema.DropTable(step.__table__))


# -- saving ------------------------------------------------------------------------------------


def test_new_objects_go_after_their_siblings(question: Question) -> None:
    assert orders(Answer.objects.filter(question=question)) == [
        ("Blue", 0),
        ("Red", 1),
        ("Yellow", 2),
    ]
    assert Answer.objects.get(text="To seek the Grail")._order == 0
    # Saving an existing row keeps its place.
    red = Answer.objects.get(text="Red")
    red.text = "Crimson"
    red.save()
    assert Answer.objects.get(pk=red.pk)._order == 1


def test_new_order_is_one_past_the_highest(question: Question) -> None:
    # As Django computes it (Max("_order") + 1), a gap left by a deletion stays.
    Answer.objects.get(text="Red").delete()
    green = Answer.objects.create(text="Green", question=question)
    assert green._order == 3
    # An _order given on creation is replaced, as Django's save() does.
    white = Answer(text="White", question=question, _order=0)
    white.save()
    assert white._order == 4


def test_the_value_is_read_in_one_query_before_the_insert(question: Question, using: str) -> None:
    with CaptureQueriesContext(connections[using]) as ctx:
        Answer.objects.create(text="Green", question=question)
    assert len(ctx) == 2
    assert "max" in ctx.captured_queries[0]["sql"].lower()
    assert "insert" in ctx.captured_queries[1]["sql"].lower()


def test_both_ways_of_building_an_instance_leave_order_unset(question: Question) -> None:
    # Model(**attnames) takes the per-model fast path; a related object the general loop.
    fast = Answer(text="Green", question_id=question.pk)
    general = Answer(text="Black", question=question)
    positional = Answer(None, "Grey", question.pk)
    assert fast._order is None and general._order is None and positional._order is None
    for answer in (fast, general, positional):
        answer.save()
    assert [fast._order, general._order, positional._order] == [3, 4, 5]


def test_default_ordering_is_by_order(question: Question) -> None:
    question.set_answer_order(  # type: ignore[attr-defined]
        list(
            Answer.objects.filter(question=question).order_by("-text").values_list("pk", flat=True)
        )
    )
    assert [a.text for a in question.answer_set.all()] == ["Yellow", "Red", "Blue"]  # type: ignore[attr-defined]
    assert Answer.objects.filter(question=question).ordered


# -- the related model's methods ---------------------------------------------------------------


def test_docs_example(question: Question) -> None:
    blue, red, yellow = (Answer.objects.get(text=t) for t in ("Blue", "Red", "Yellow"))
    assert list(question.get_answer_order()) == [blue.pk, red.pk, yellow.pk]  # type: ignore[attr-defined]
    question.set_answer_order([yellow.pk, blue.pk, red.pk])  # type: ignore[attr-defined]
    assert list(question.get_answer_order()) == [yellow.pk, blue.pk, red.pk]  # type: ignore[attr-defined]
    answer = Answer.objects.get(pk=blue.pk)
    assert answer.get_next_in_order() == red  # type: ignore[attr-defined]
    assert answer.get_previous_in_order() == yellow  # type: ignore[attr-defined]


def test_get_order_is_a_lazy_values_list(question: Question) -> None:
    order = question.get_answer_order()  # type: ignore[attr-defined]
    assert order.model is Answer
    Answer.objects.create(text="Green", question=question)
    assert [Answer.objects.get(pk=pk).text for pk in order] == ["Blue", "Red", "Yellow", "Green"]


def test_set_order_touches_only_the_objects_of_that_question(question: Question) -> None:
    grail = Answer.objects.get(text="To seek the Grail")
    blue, red, yellow = (Answer.objects.get(text=t).pk for t in ("Blue", "Red", "Yellow"))
    question.set_answer_order([red, grail.pk, yellow, blue])  # type: ignore[attr-defined]
    assert orders(question.answer_set.all()) == [  # type: ignore[attr-defined]
        ("Red", 0),
        ("Yellow", 2),
        ("Blue", 3),
    ]
    assert Answer.objects.get(pk=grail.pk)._order == 0


def test_set_order_on_a_named_database(question: Question, using: str) -> None:
    ids = list(question.get_answer_order())  # type: ignore[attr-defined]
    question.set_answer_order(ids[::-1], using=using)  # type: ignore[attr-defined]
    assert list(question.get_answer_order()) == ids[::-1]  # type: ignore[attr-defined]


# -- next and previous -------------------------------------------------------------------------


def test_next_and_previous_stop_at_the_ends(question: Question) -> None:
    blue, red, yellow = (Answer.objects.get(text=t) for t in ("Blue", "Red", "Yellow"))
    assert red.get_next_in_order() == yellow  # type: ignore[attr-defined]
    assert red.get_previous_in_order() == blue  # type: ignore[attr-defined]
    with pytest.raises(Answer.DoesNotExist, match="Answer matching query does not exist."):
        yellow.get_next_in_order()  # type: ignore[attr-defined]
    with pytest.raises(Answer.DoesNotExist, match="Answer matching query does not exist."):
        blue.get_previous_in_order()  # type: ignore[attr-defined]
    # Siblings only: the other question's answer is never next.
    grail = Answer.objects.get(text="To seek the Grail")
    with pytest.raises(Answer.DoesNotExist):
        grail.get_next_in_order()  # type: ignore[attr-defined]


def test_next_is_cached_on_the_instance(question: Question, using: str) -> None:
    blue = Answer.objects.get(text="Blue")
    red = blue.get_next_in_order()  # type: ignore[attr-defined]
    with CaptureQueriesContext(connections[using]) as ctx:
        assert blue.get_next_in_order() is red  # type: ignore[attr-defined]
    assert len(ctx) == 0


# -- relations to 'self' and to another app ----------------------------------------------------


def test_recursive_ordering(using: str) -> None:
    p1 = Post.objects.create(title="1")
    p2 = Post.objects.create(title="2")
    p1_1 = Post.objects.create(title="1.1", parent=p1)
    p1_2 = Post.objects.create(title="1.2", parent=p1)
    Post.objects.create(title="2.1", parent=p2)
    p1_3 = Post.objects.create(title="1.3", parent=p1)
    assert list(p1.get_post_order()) == [p1_1.pk, p1_2.pk, p1_3.pk]  # type: ignore[attr-defined]
    # Posts without a parent are siblings of each other.
    assert (p1._order, p2._order) == (0, 1)
    assert p1.get_next_in_order() == p2  # type: ignore[attr-defined]
    p1.set_post_order([p1_3.pk, p1_1.pk, p1_2.pk])  # type: ignore[attr-defined]
    assert [p.title for p in p1.replies.all()] == ["1.3", "1.1", "1.2"]  # type: ignore[attr-defined]


def test_relation_to_another_app(using: str) -> None:
    blog = Blog.objects.create(name="Travels", tagline="")
    intro = Chapter.objects.create(title="Intro", blog=blog)
    outro = Chapter.objects.create(title="Outro", blog=blog)
    assert list(blog.get_chapter_order()) == [intro.pk, outro.pk]  # type: ignore[attr-defined]
    blog.set_chapter_order([outro.pk, intro.pk])  # type: ignore[attr-defined]
    assert [c.title for c in blog.chapters.all()] == ["Outro", "Intro"]  # type: ignore[attr-defined]
    assert Chapter.objects.get(pk=intro.pk).get_previous_in_order() == outro  # type: ignore[attr-defined]


# -- bulk_create -------------------------------------------------------------------------------


def test_bulk_create_numbers_each_group_after_its_siblings(question: Question) -> None:
    # Django 6.0's behaviour (5.2's INSERT fails on the NOT NULL column).
    other = Question.objects.get(text="What is your quest?")
    lone = Question.objects.create(text="What is the capital of Assyria?")
    created = Answer.objects.bulk_create(
        [
            Answer(text="Green", question=question),
            Answer(text="To find the Grail", question=other),
            Answer(text="Orange", question=question),
            Answer(text="Nineveh", question=lone),
            Answer(text="Kept", question=lone, _order=7),
        ]
    )
    assert [a._order for a in created] == [3, 1, 4, 0, 7]
    assert orders(question.answer_set.all()) == [  # type: ignore[attr-defined]
        ("Blue", 0),
        ("Red", 1),
        ("Yellow", 2),
        ("Green", 3),
        ("Orange", 4),
    ]
    assert orders(lone.answer_set.all()) == [("Nineveh", 0), ("Kept", 7)]  # type: ignore[attr-defined]


def test_bulk_create_with_no_parent_and_all_orders_given(using: str) -> None:
    posts = Post.objects.bulk_create([Post(title="a"), Post(title="b")])
    assert [p._order for p in posts] == [0, 1]
    given = Post.objects.bulk_create([Post(title="c", _order=9)])
    assert given[0]._order == 9


# -- async code --------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_saves_number_too(ausing: str) -> None:
    question = await Question.objects.acreate(text="Async?")
    first = await Answer.objects.acreate(text="Yes", question=question)
    second = Answer(text="No", question=question)
    await second.asave()
    bulk = await Answer.objects.abulk_create([Answer(text="Maybe", question=question)])
    assert (first._order, second._order, bulk[0]._order) == (0, 1, 2)
    ids = [pk async for pk in question.get_answer_order()]  # type: ignore[attr-defined]
    assert ids == [first.pk, second.pk, bulk[0].pk]


@pytest.mark.anyio
async def test_sync_only_methods_say_so_in_async_code(ausing: str) -> None:
    question = await Question.objects.acreate(text="Async?")
    answer = await Answer.objects.acreate(text="Yes", question=question)
    with pytest.raises(SynchronousOnlyOperation, match=r"get_next_in_order\(\) can't run"):
        answer.get_next_in_order()  # type: ignore[attr-defined]
    with pytest.raises(SynchronousOnlyOperation, match=r"get_previous_in_order\(\) can't run"):
        answer.get_previous_in_order()  # type: ignore[attr-defined]
    with pytest.raises(SynchronousOnlyOperation, match=r"set_answer_order\(\) can't run"):
        question.set_answer_order([answer.pk])  # type: ignore[attr-defined]


def test_checks_framework_reports_e021() -> None:
    both = isolated(
        "Both2",
        {"question": models.ForeignKey(Question, models.CASCADE)},
        {"order_with_respect_to": "question", "ordering": ["-id"]},
    )
    assert isinstance(both.check()[0], checks.Error)
