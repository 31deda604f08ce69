"""``Meta.order_with_respect_to``: the ``_order`` values and the methods that read and set them.

A model ordered with respect to a field (usually a foreign key) gets an
``_order`` column, numbered per value of that field. New rows go last among
their siblings; the related model gets ``get_<model>_order()`` and
``set_<model>_order(id_list)``, and the ordered model's instances
``get_next_in_order()`` and ``get_previous_in_order()``, as in Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial, partialmethod
from typing import TYPE_CHECKING, Any

from fastjango.db.models import plans

if TYPE_CHECKING:
    from fastjango.db.models.query import QuerySet

__all__ = [
    "fill_orders_plan",
    "make_foreign_order_accessors",
    "method_get_order",
    "method_set_order",
    "next_or_previous_in_order",
    "next_order_plan",
]


def _guard_sync(what: str) -> None:
    from fastjango.db.models.query_utils import refuse_sync_query

    # Django has no async twin of these methods.
    refuse_sync_query(
        what, "call it through 'await sync_to_async(...)()' (fastjango.utils.asyncio)"
    )


def next_order_plan(model: Any, instance: Any, using: str) -> plans.Plan[int]:
    """Return (as a plan) the ``_order`` a new ``instance`` gets: after its last sibling."""
    from fastjango.db.models.aggregates import Max

    field = model._meta.order_with_respect_to
    siblings = model._base_manager.using(using).filter(
        **field.get_filter_kwargs_for_object(instance)
    )
    aggregate = {"_order__max": Max("_order")}
    result = yield plans.Call(
        partial(siblings.aggregate, **aggregate), partial(siblings.aaggregate, **aggregate)
    )
    highest = result["_order__max"]
    return 0 if highest is None else int(highest) + 1


def fill_orders_plan(model: Any, objs: Sequence[Any], using: str) -> plans.Plan[None]:
    """Number the ``objs`` of ``bulk_create()`` without an ``_order`` after their siblings.

    Django 6.0 does this (5.2 lets the INSERT fail on the NOT NULL column):
    one query reads the highest ``_order`` of each group, and the objects are
    numbered in the order given.
    """
    from fastjango.db.models.aggregates import Max
    from fastjango.db.models.query_utils import Q

    field = model._meta.order_with_respect_to
    pending = [obj for obj in objs if obj.__dict__.get("_order") is None]
    if not pending:
        return
    names = list(field.get_filter_kwargs_for_object(pending[0]))
    keys = [tuple(field.get_filter_kwargs_for_object(obj).values()) for obj in pending]
    condition = Q()
    for key in dict.fromkeys(keys):
        condition |= Q(**dict(zip(names, key, strict=True)))
    highest = (
        model._base_manager.using(using)
        .filter(condition)
        .values_list(*names)
        .annotate(_order__max=Max("_order"))
    )
    rows = yield plans.Fetch(highest)
    following = {tuple(row[:-1]): row[-1] + 1 for row in rows if row[-1] is not None}
    for obj, key in zip(pending, keys, strict=True):
        order = following.get(key, 0)
        obj._order = order
        following[key] = order + 1


def next_or_previous_in_order(instance: Any, is_next: bool) -> Any:
    """Return the sibling after (or before) ``instance`` by ``_order``; cached on it."""
    cache_name = f"__{is_next}_order_cache"
    if cache_name not in instance.__dict__:
        _guard_sync("get_next_in_order()" if is_next else "get_previous_in_order()")
        model = instance.__class__
        manager = model._default_manager
        field = instance._meta.order_with_respect_to
        own_order = manager.values("_order").filter(**{instance._meta.pk.name: instance.pk})
        lookup = "_order__gt" if is_next else "_order__lt"
        instance.__dict__[cache_name] = (
            manager.filter(**field.get_filter_kwargs_for_object(instance))
            .filter(**{lookup: own_order})
            .order_by("_order" if is_next else "-_order")[:1]
            .get()
        )
    return instance.__dict__[cache_name]


def method_get_order(self: Any, ordered_obj: Any) -> QuerySet[Any]:
    """Return the primary keys of ``self``'s ``ordered_obj`` objects, in their order."""
    order_wrt = ordered_obj._meta.order_with_respect_to
    filter_args = order_wrt.get_forward_related_filter(self)
    pk_name = ordered_obj._meta.pk.name
    queryset: QuerySet[Any] = ordered_obj.objects.filter(**filter_args).values_list(
        pk_name, flat=True
    )
    return queryset


def method_set_order(
    self: Any, ordered_obj: Any, id_list: Iterable[Any], using: str | None = None
) -> None:
    """Give ``self``'s ``ordered_obj`` objects the order of ``id_list`` (primary keys)."""
    _guard_sync(f"set_{ordered_obj.__name__.lower()}_order()")
    order_wrt = ordered_obj._meta.order_with_respect_to
    filter_args = order_wrt.get_forward_related_filter(self)
    ordered_obj.objects.db_manager(using).filter(**filter_args).bulk_update(
        [ordered_obj(pk=pk, _order=order) for order, pk in enumerate(id_list)], ["_order"]
    )


def make_foreign_order_accessors(model: Any, related_model: Any) -> None:
    """Give ``related_model`` ``get_<model>_order()`` and ``set_<model>_order()``."""
    name = model.__name__.lower()
    setattr(related_model, f"get_{name}_order", partialmethod(method_get_order, model))
    setattr(related_model, f"set_{name}_order", partialmethod(method_set_order, model))
