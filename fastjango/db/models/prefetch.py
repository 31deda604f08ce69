"""``prefetch_related()``: fetch related objects in one query per relation level.

The algorithm is Django's, written as a plan (``plans``) so the same code
runs for ``prefetch_related_objects()`` and ``aprefetch_related_objects()``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from fastjango.core import exceptions
from fastjango.db.models import plans
from fastjango.db.models.constants import LOOKUP_SEP
from fastjango.utils.functional import cached_property

__all__ = [
    "Prefetch",
    "aprefetch_related_objects",
    "get_prefetcher",
    "normalize_prefetch_lookups",
    "prefetch_plan",
    "prefetch_related_objects",
]


class Prefetch:
    """A prefetch lookup with an optional custom queryset and ``to_attr``."""

    def __init__(self, lookup: str, queryset: Any = None, to_attr: str | None = None) -> None:
        self.prefetch_through = lookup
        self.prefetch_to = lookup
        if queryset is not None:
            from fastjango.db.models.raw import RawQuerySet

            if isinstance(queryset, RawQuerySet) or getattr(queryset, "_mode", "model") != "model":
                raise ValueError(
                    "Prefetch querysets cannot use raw(), values(), and values_list()."
                )
        if to_attr:
            self.prefetch_to = LOOKUP_SEP.join([*lookup.split(LOOKUP_SEP)[:-1], to_attr])
        self.queryset = queryset
        self.to_attr = to_attr

    def __getstate__(self) -> dict[str, Any]:
        obj_dict = self.__dict__.copy()
        if self.queryset is not None:
            queryset = self.queryset._chain()
            queryset._result_cache = []
            queryset._prefetch_done = True
            obj_dict["queryset"] = queryset
        return obj_dict

    def add_prefix(self, prefix: str) -> None:
        """Put ``prefix__`` in front (a lookup added by a nested queryset)."""
        self.prefetch_through = prefix + LOOKUP_SEP + self.prefetch_through
        self.prefetch_to = prefix + LOOKUP_SEP + self.prefetch_to

    def get_current_prefetch_to(self, level: int) -> str:
        """Return the lookup up to ``level``."""
        return LOOKUP_SEP.join(self.prefetch_to.split(LOOKUP_SEP)[: level + 1])

    def get_current_to_attr(self, level: int) -> tuple[str, bool]:
        """Return the attribute at ``level`` and whether it is the ``to_attr``."""
        parts = self.prefetch_to.split(LOOKUP_SEP)
        to_attr = parts[level]
        as_attr = bool(self.to_attr) and level == len(parts) - 1
        return to_attr, as_attr

    def get_current_querysets(self, level: int) -> list[Any] | None:
        """Return the custom queryset when ``level`` is the last one, else None."""
        if self.get_current_prefetch_to(level) == self.prefetch_to and self.queryset is not None:
            return [self.queryset]
        return None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Prefetch):
            return NotImplemented
        return self.prefetch_to == other.prefetch_to

    def __hash__(self) -> int:
        return hash((self.__class__, self.prefetch_to))

    def __repr__(self) -> str:
        return f"<Prefetch: {self.prefetch_to}>"


def normalize_prefetch_lookups(lookups: Iterable[Any], prefix: str | None = None) -> list[Prefetch]:
    """Return the lookups as ``Prefetch`` objects, prefixed with ``prefix``."""
    result = []
    for lookup in lookups:
        if not isinstance(lookup, Prefetch):
            lookup = Prefetch(lookup)
        if prefix:
            lookup.add_prefix(prefix)
        result.append(lookup)
    return result


def get_prefetcher(
    instance: Any, through_attr: str, to_attr: str
) -> tuple[Any, Any, bool, Callable[[Any], bool]]:
    """Return ``(prefetcher, descriptor, attribute found, is_fetched)`` for ``through_attr``."""

    def is_to_attr_fetched(model: Any, attr: str) -> Callable[[Any], bool]:
        if isinstance(getattr(model, attr, None), cached_property):

            def has_cached_property(obj: Any) -> bool:
                return attr in obj.__dict__

            return has_cached_property

        def has_attribute(obj: Any) -> bool:
            return hasattr(obj, attr)

        return has_attribute

    prefetcher = None
    is_fetched = is_to_attr_fetched(instance.__class__, to_attr)
    descriptor = getattr(instance.__class__, through_attr, None)
    if descriptor is None:
        attr_found = hasattr(instance, through_attr)
    else:
        attr_found = True
        if hasattr(descriptor, "get_prefetch_querysets"):
            prefetcher = descriptor
            if through_attr == to_attr:
                is_fetched = descriptor.is_cached
        else:
            rel_obj = getattr(instance, through_attr)
            if hasattr(rel_obj, "get_prefetch_querysets"):
                prefetcher = rel_obj
            if through_attr == to_attr:

                def in_prefetched_cache(obj: Any) -> bool:
                    return through_attr in obj._prefetched_objects_cache

                is_fetched = in_prefetched_cache
    return prefetcher, descriptor, attr_found, is_fetched


def _prefetch_one_level(
    instances: list[Any], prefetcher: Any, lookup: Prefetch, level: int
) -> plans.Plan[tuple[list[Any], list[Any]]]:
    (
        rel_qs,
        rel_obj_attr,
        instance_attr,
        single,
        cache_name,
        is_descriptor,
    ) = prefetcher.get_prefetch_querysets(instances, lookup.get_current_querysets(level))
    additional = [copy.copy(extra) for extra in getattr(rel_qs, "_prefetch_related_lookups", ())]
    if additional:
        # The lookups join this prefetch instead of running on their own.
        rel_qs._prefetch_related_lookups = ()
    all_related = list((yield plans.Fetch(rel_qs)))
    post_prefetch = getattr(prefetcher, "post_prefetch", None)
    if post_prefetch is not None:
        post_prefetch(instances, all_related)
    rel_obj_cache: dict[Any, list[Any]] = {}
    for rel_obj in all_related:
        rel_obj_cache.setdefault(rel_obj_attr(rel_obj), []).append(rel_obj)
    to_attr, as_attr = lookup.get_current_to_attr(level)
    if as_attr and instances:
        model = instances[0].__class__
        try:
            model._meta.get_field(to_attr)
        except exceptions.FieldDoesNotExist:
            pass
        else:
            raise ValueError(
                f"to_attr={to_attr} conflicts with a field on the {model.__name__} model."
            )
    leaf = len(lookup.prefetch_through.split(LOOKUP_SEP)) - 1 == level
    for obj in instances:
        vals = rel_obj_cache.get(instance_attr(obj), [])
        if single:
            val = vals[0] if vals else None
            if as_attr:
                setattr(obj, to_attr, val)
            elif is_descriptor:
                setattr(obj, cache_name, val)
            else:
                obj._state.fields_cache[cache_name] = val
        elif as_attr:
            setattr(obj, to_attr, vals)
        else:
            manager = getattr(obj, to_attr)
            if leaf and lookup.queryset is not None:
                custom = lookup.queryset
                if custom.query.is_sliced:
                    # The slice was taken per instance above; filtering the manager's
                    # queryset later reads the relation through the same filters.
                    custom = custom._chain()
                    custom.query.clear_limits()
                qs = manager._apply_rel_filters(custom)
            else:
                qs = manager.get_queryset()
            qs._result_cache = vals
            qs._prefetch_done = True
            obj._prefetched_objects_cache[cache_name] = qs
    return all_related, additional


def prefetch_plan(model_instances: Sequence[Any], lookups: Sequence[Any]) -> plans.Plan[None]:
    """The plan that prefetches ``lookups`` onto ``model_instances``."""
    if not model_instances:
        return
    done_queries: dict[str, list[Any]] = {}
    auto_lookups: set[Prefetch] = set()
    followed_descriptors: set[Any] = set()
    all_lookups = normalize_prefetch_lookups(reversed(list(lookups)))
    while all_lookups:
        lookup = all_lookups.pop()
        if lookup.prefetch_to in done_queries:
            if lookup.queryset is not None:
                raise ValueError(
                    f"'{lookup.prefetch_to}' lookup was already seen with a different queryset. "
                    "You may need to adjust the ordering of your lookups."
                )
            continue
        obj_list = list(model_instances)
        through_attrs = lookup.prefetch_through.split(LOOKUP_SEP)
        for level, through_attr in enumerate(through_attrs):
            if not obj_list:
                break
            prefetch_to = lookup.get_current_prefetch_to(level)
            if prefetch_to in done_queries:
                obj_list = done_queries[prefetch_to]
                continue
            good_objects = True
            for obj in obj_list:
                if not hasattr(obj, "_prefetched_objects_cache"):
                    try:
                        obj._prefetched_objects_cache = {}
                    except (AttributeError, TypeError):
                        good_objects = False
                        break
            if not good_objects:
                break
            first_obj = obj_list[0]
            to_attr = lookup.get_current_to_attr(level)[0]
            prefetcher, descriptor, attr_found, is_fetched = get_prefetcher(
                first_obj, through_attr, to_attr
            )
            if not attr_found:
                raise AttributeError(
                    f"Cannot find '{through_attr}' on {first_obj.__class__.__name__} object, "
                    f"'{lookup.prefetch_through}' is an invalid parameter to prefetch_related()"
                )
            if level == len(through_attrs) - 1 and prefetcher is None:
                raise ValueError(
                    f"'{lookup.prefetch_through}' does not resolve to an item that supports "
                    "prefetching - this is an invalid parameter to prefetch_related()."
                )
            obj_to_fetch = None
            if prefetcher is not None:
                obj_to_fetch = [obj for obj in obj_list if not is_fetched(obj)]
            if obj_to_fetch:
                obj_list, additional = yield from _prefetch_one_level(
                    obj_to_fetch, prefetcher, lookup, level
                )
                if not (
                    prefetch_to in done_queries
                    and lookup in auto_lookups
                    and descriptor in followed_descriptors
                ):
                    done_queries[prefetch_to] = obj_list
                    new_lookups = normalize_prefetch_lookups(reversed(additional), prefetch_to)
                    auto_lookups.update(new_lookups)
                    all_lookups.extend(new_lookups)
                followed_descriptors.add(descriptor)
            else:
                new_obj_list: list[Any] = []
                for obj in obj_list:
                    if through_attr in getattr(obj, "_prefetched_objects_cache", ()):
                        new_obj: Any = list(obj._prefetched_objects_cache.get(through_attr))
                    else:
                        try:
                            new_obj = getattr(obj, through_attr)
                        except exceptions.ObjectDoesNotExist:
                            continue
                    if new_obj is None:
                        continue
                    if isinstance(new_obj, list):
                        new_obj_list.extend(new_obj)
                    else:
                        new_obj_list.append(new_obj)
                obj_list = new_obj_list


def prefetch_related_objects(model_instances: Sequence[Any], *related_lookups: Any) -> None:
    """Fetch ``related_lookups`` for instances already loaded (Django's function)."""
    plans.run_sync(prefetch_plan(list(model_instances), related_lookups))


async def aprefetch_related_objects(model_instances: Sequence[Any], *related_lookups: Any) -> None:
    """Async twin of ``prefetch_related_objects()``."""
    await plans.run_async(prefetch_plan(list(model_instances), related_lookups))
