"""Accessors of relations: ``book.author``, ``author.book_set``, ``book.tags``, ...

Forward accessors load the related object on first access in sync code (and
cache it); in async code they raise ``SynchronousOnlyOperation`` naming
``select_related()``/``prefetch_related()``. Related managers have Django's
``add``/``remove``/``set``/``clear``/``create`` and their async twins, which
share their logic through ``plans``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastjango.core.exceptions import SynchronousOnlyOperation
from fastjango.db import router
from fastjango.db.models import plans, signals
from fastjango.db.models.query_utils import DeferredAttribute, Q, _in_event_loop, refuse_sync_query
from fastjango.db.models.utils import AltersData, resolve_callables
from fastjango.utils.functional import cached_property

__all__ = [
    "ForeignKeyDeferredAttribute",
    "ForwardManyToOneDescriptor",
    "ForwardOneToOneDescriptor",
    "ManyToManyDescriptor",
    "ReverseManyToOneDescriptor",
    "ReverseOneToOneDescriptor",
    "create_forward_many_to_many_manager",
    "create_reverse_many_to_one_manager",
]


def _lazy_load_guard(instance: Any, name: str) -> None:
    if _in_event_loop():
        model = type(instance).__name__
        raise SynchronousOnlyOperation(
            f"Accessing '{model}.{name}' would run a query in async code. Load it up front with "
            f"select_related('{name}') or prefetch_related('{name}'), or use "
            f"'await obj.afetch_related(\"{name}\")'."
        )


class ForeignKeyDeferredAttribute(DeferredAttribute):
    """``book.author_id``: setting a different id forgets the cached ``book.author``."""

    def __set__(self, instance: Any, value: Any) -> None:
        data = instance.__dict__
        attname = self.field.attname
        if data.get(attname) != value and self.field.is_cached(instance):
            self.field.delete_cached_value(instance)
        data[attname] = value


def _filter_prefetch_queryset(queryset: Any, field_name: str, instances: list[Any]) -> Any:
    """Return ``queryset`` narrowed to the objects related to ``instances``.

    A sliced queryset (``Book.objects.order_by("-pub_date")[:3]``) is sliced per
    instance, as in Django: rows are numbered with ``ROW_NUMBER()`` over each
    instance's related rows, in the queryset's order, and filtered on that number.
    """
    predicate = Q((f"{field_name}__in", instances))
    query = queryset.query
    if not query.is_sliced:
        return queryset.filter(predicate)
    from fastjango.db import connections
    from fastjango.db.models.expressions import Window
    from fastjango.db.models.functions import RowNumber
    from fastjango.db.models.lookups import GreaterThan, LessThanOrEqual
    from fastjango.db.models.sql.compiler import SQLCompiler

    low_mark, high_mark = query.low_mark, query.high_mark
    queryset = queryset._chain()
    query = queryset.query
    query.clear_limits()
    # Resolved on this query, so the joins the ordering needs are its own.
    order_by = SQLCompiler(query, connections[queryset.db]).get_order_by()
    window = Window(RowNumber(), partition_by=field_name, order_by=order_by)
    predicate &= GreaterThan(window, low_mark)
    if high_mark is not None:
        predicate &= LessThanOrEqual(window, high_mark)
    clause, _ = query._add_q(predicate, query.used_aliases, check_filterable=False)
    query.where.add(clause, "AND")
    return queryset


class ForwardManyToOneDescriptor:
    """``book.author``: the related object of a foreign key."""

    def __init__(self, field_with_rel: Any) -> None:
        self.field = field_with_rel

    @cached_property
    def RelatedObjectDoesNotExist(self) -> type[Exception]:
        """Return the exception raised when a non-null relation has no object."""
        return type(
            "RelatedObjectDoesNotExist",
            (self.field.remote_field.model.DoesNotExist, AttributeError),
            {
                "__module__": self.field.model.__module__,
                "__qualname__": f"{self.field.model.__qualname__}.{self.field.name}."
                "RelatedObjectDoesNotExist",
            },
        )

    def is_cached(self, instance: Any) -> bool:
        """Return whether the related object is cached on ``instance``."""
        return bool(self.field.is_cached(instance))

    def get_queryset(self, **hints: Any) -> Any:
        """Return the queryset the related object is looked up in."""
        return self.field.remote_field.model._base_manager.db_manager(hints=hints).all()

    def get_prefetch_querysets(
        self, instances: list[Any], querysets: Any = None
    ) -> tuple[Any, ...]:
        """Return what ``prefetch_related()`` needs to load this relation for ``instances``."""
        if querysets and len(querysets) != 1:
            raise ValueError(
                "querysets argument of get_prefetch_querysets() should have a length of 1."
            )
        queryset = querysets[0] if querysets else self.get_queryset()
        queryset._add_hints(instance=instances[0])
        target = self.field.target_field

        def rel_obj_attr(obj: Any) -> Any:
            return getattr(obj, target.attname)

        def instance_attr(obj: Any) -> Any:
            return getattr(obj, self.field.attname)

        values = {instance_attr(inst) for inst in instances}
        values.discard(None)
        queryset = queryset.filter(**{f"{target.name}__in": values})
        return queryset, rel_obj_attr, instance_attr, True, self.field.cache_name, False

    def post_prefetch(self, instances: list[Any], related: list[Any]) -> None:
        """Cache each instance on its one-to-one related object (the reverse side)."""
        remote_field = self.field.remote_field
        if remote_field.multiple:
            return
        target = self.field.target_field
        by_value = {getattr(inst, self.field.attname): inst for inst in instances}
        for rel_obj in related:
            instance = by_value.get(getattr(rel_obj, target.attname))
            if instance is not None:
                remote_field.set_cached_value(rel_obj, instance)

    def _object_from_instance(self, instance: Any) -> Any:
        """Return the related object built without a query, or None (a query is needed)."""
        return None

    def get_object(self, instance: Any) -> Any:
        """Load the related object (sync)."""
        qs = self.get_queryset(instance=instance)
        return qs.get(**self.field.get_reverse_related_filter(instance))

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        try:
            rel_obj = self.field.get_cached_value(instance)
        except KeyError:
            has_value = getattr(instance, self.field.attname) is not None
            rel_obj = None
            if has_value:
                rel_obj = self._object_from_instance(instance)
                if rel_obj is None:
                    _lazy_load_guard(instance, self.field.name)
                    rel_obj = self.get_object(instance)
                remote_field = self.field.remote_field
                if not remote_field.multiple:
                    remote_field.set_cached_value(rel_obj, instance)
            self.field.set_cached_value(instance, rel_obj)
        if rel_obj is None and not self.field.null:
            raise self.RelatedObjectDoesNotExist(
                f"{self.field.model.__name__} has no {self.field.name}."
            )
        return rel_obj

    def __set__(self, instance: Any, value: Any) -> None:
        remote_model = self.field.remote_field.model
        if value is not None and not isinstance(value, remote_model._meta.concrete_model):
            raise ValueError(
                f'Cannot assign "{value!r}": "{instance._meta.object_name}.{self.field.name}" '
                f'must be a "{remote_model._meta.object_name}" instance.'
            )
        if value is not None:
            if instance._state.db is None:
                instance._state.db = router.db_for_write(instance.__class__, instance=value)
            if value._state.db is None:
                value._state.db = router.db_for_write(value.__class__, instance=instance)
            if not router.allow_relation(value, instance):
                raise ValueError(
                    f'Cannot assign "{value!r}": the current database router prevents this '
                    "relation."
                )
        remote_field = self.field.remote_field
        if value is None:
            related = self.field.get_cached_value(instance, default=None)
            if related is not None:
                remote_field.set_cached_value(related, None)
            for lh_field, _ in self.field.related_fields:
                setattr(instance, lh_field.attname, None)
        else:
            for lh_field, rh_field in self.field.related_fields:
                setattr(instance, lh_field.attname, getattr(value, rh_field.attname))
        self.field.set_cached_value(instance, value)
        if value is not None and not remote_field.multiple:
            remote_field.set_cached_value(value, instance)

    def __reduce__(self) -> Any:
        return getattr, (self.field.model, self.field.name)


class ForwardOneToOneDescriptor(ForwardManyToOneDescriptor):
    """``restaurant.place``: the related object of a one-to-one field."""

    def _object_from_instance(self, instance: Any) -> Any:
        if not self.field.remote_field.parent_link:
            return None
        # A parent link's object is made of fields the instance already holds (unless some
        # were deferred: then one query loads them all).
        rel_model = self.field.remote_field.model
        attnames = [field.attname for field in rel_model._meta.concrete_fields]
        data = instance.__dict__
        if not all(attname in data for attname in attnames):
            return None
        obj = rel_model(**{attname: data[attname] for attname in attnames})
        obj._state.adding = instance._state.adding
        obj._state.db = instance._state.db
        return obj

    def __set__(self, instance: Any, value: Any) -> None:
        super().__set__(instance, value)
        # Setting the parent of a child whose key is the link sets the inherited keys too.
        if self.field.primary_key and self.field.remote_field.parent_link:
            for field in instance._meta.concrete_fields:
                if field.primary_key and field.remote_field:
                    pk_name = field.remote_field.model._meta.pk.attname
                    setattr(
                        instance, pk_name, getattr(value, pk_name) if value is not None else None
                    )


class ReverseOneToOneDescriptor:
    """``place.restaurant``: the object whose one-to-one field points here."""

    def __init__(self, related: Any) -> None:
        self.related = related

    @cached_property
    def RelatedObjectDoesNotExist(self) -> type[Exception]:
        """Return the exception raised when no object points here."""
        return type(
            "RelatedObjectDoesNotExist",
            (self.related.related_model.DoesNotExist, AttributeError),
            {
                "__module__": self.related.model.__module__,
                "__qualname__": f"{self.related.model.__qualname__}."
                f"{self.related.get_accessor_name()}.RelatedObjectDoesNotExist",
            },
        )

    def is_cached(self, instance: Any) -> bool:
        """Return whether the related object is cached on ``instance``."""
        return bool(self.related.is_cached(instance))

    def get_queryset(self, **hints: Any) -> Any:
        """Return the queryset the related object is looked up in."""
        return self.related.related_model._base_manager.db_manager(hints=hints).all()

    def get_prefetch_querysets(
        self, instances: list[Any], querysets: Any = None
    ) -> tuple[Any, ...]:
        """Return what ``prefetch_related()`` needs to load this relation for ``instances``."""
        if querysets and len(querysets) != 1:
            raise ValueError(
                "querysets argument of get_prefetch_querysets() should have a length of 1."
            )
        queryset = querysets[0] if querysets else self.get_queryset()
        queryset._add_hints(instance=instances[0])
        field = self.related.field

        def rel_obj_attr(obj: Any) -> Any:
            return getattr(obj, field.attname)

        def instance_attr(obj: Any) -> Any:
            return getattr(obj, field.target_field.attname)

        queryset = queryset.filter(**{f"{field.name}__in": instances})
        return queryset, rel_obj_attr, instance_attr, True, self.related.cache_name, False

    def post_prefetch(self, instances: list[Any], related: list[Any]) -> None:
        """Cache each instance on its related object's forward field."""
        field = self.related.field
        by_value = {getattr(inst, field.target_field.attname): inst for inst in instances}
        for rel_obj in related:
            instance = by_value.get(getattr(rel_obj, field.attname))
            if instance is not None:
                field.set_cached_value(rel_obj, instance)

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        try:
            rel_obj = self.related.get_cached_value(instance)
        except KeyError:
            if instance.pk is None:
                rel_obj = None
            else:
                _lazy_load_guard(instance, str(self.related.get_accessor_name()))
                filter_args = self.related.field.get_forward_related_filter(instance)
                try:
                    rel_obj = self.get_queryset(instance=instance).get(**filter_args)
                except self.related.related_model.DoesNotExist:
                    rel_obj = None
                else:
                    self.related.field.set_cached_value(rel_obj, instance)
            self.related.set_cached_value(instance, rel_obj)
        if rel_obj is None:
            raise self.RelatedObjectDoesNotExist(
                f"{instance.__class__.__name__} has no {self.related.get_accessor_name()}."
            )
        return rel_obj

    def __set__(self, instance: Any, value: Any) -> None:
        if value is None:
            rel_obj = self.related.get_cached_value(instance, default=None)
            if rel_obj is not None:
                self.related.delete_cached_value(instance)
                setattr(rel_obj, self.related.field.name, None)
        elif not isinstance(value, self.related.related_model):
            raise ValueError(
                f'Cannot assign "{value!r}": "{instance._meta.object_name}.'
                f'{self.related.get_accessor_name()}" must be a '
                f'"{self.related.related_model._meta.object_name}" instance.'
            )
        else:
            if instance._state.db is None:
                instance._state.db = router.db_for_write(instance.__class__, instance=value)
            if value._state.db is None:
                value._state.db = router.db_for_write(value.__class__, instance=instance)
            if not router.allow_relation(value, instance):
                raise ValueError(
                    f'Cannot assign "{value!r}": the current database router prevents this '
                    "relation."
                )
            field = self.related.field
            setattr(value, field.attname, getattr(instance, field.target_field.attname))
            self.related.set_cached_value(instance, value)
            field.set_cached_value(value, instance)

    def __reduce__(self) -> Any:
        return getattr, (self.related.model, self.related.get_accessor_name())


class ReverseManyToOneDescriptor:
    """``author.book_set``: a manager of the objects whose foreign key points here."""

    def __init__(self, rel: Any) -> None:
        self.rel = rel
        self.field = rel.field

    @cached_property
    def related_manager_cls(self) -> type:
        """Return the related manager class (built on the model's default manager)."""
        related_model = self.rel.related_model
        return create_reverse_many_to_one_manager(
            related_model._default_manager.__class__, self.rel
        )

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        return self.related_manager_cls(instance)

    def _get_set_deprecation_msg_params(self) -> tuple[str, str]:
        return "reverse side of a related set", str(self.rel.get_accessor_name())

    def __set__(self, instance: Any, value: Any) -> None:
        what, name = self._get_set_deprecation_msg_params()
        raise TypeError(f"Direct assignment to the {what} is prohibited. Use {name}.set() instead.")


def _sync(plan: plans.Plan[Any], name: str) -> Any:
    refuse_sync_query(f"{name}()", f"use 'await ...a{name}()' instead")
    return plans.run_sync(plan)


def _fetched(objs: Any) -> plans.Plan[tuple[Any, ...]]:
    """Return ``objs`` as a tuple, fetching a queryset through the plan."""
    if hasattr(objs, "_fetch_all"):
        return tuple((yield plans.Fetch(objs)))
    return tuple(objs)


def create_reverse_many_to_one_manager(superclass: type, rel: Any) -> type:
    """Return the manager class of ``author.book_set`` (subclassing ``superclass``)."""

    class RelatedManager(superclass, AltersData):  # type: ignore[misc]
        def __init__(self, instance: Any) -> None:
            super().__init__()
            self.instance = instance
            self.model = rel.related_model
            self.field = rel.field
            self.core_filters = {self.field.name: instance}

        def __call__(self, *, manager: str) -> Any:
            manager_obj = getattr(self.model, manager)
            manager_class = create_reverse_many_to_one_manager(manager_obj.__class__, rel)
            return manager_class(self.instance)

        do_not_call_in_templates = True

        def _check_fk_val(self) -> None:
            for field in self.field.foreign_related_fields:
                if getattr(self.instance, field.attname) is None:
                    raise ValueError(
                        f'"{self.instance!r}" needs to have a value for field "{field.attname}" '
                        "before this relationship can be used."
                    )

        def _apply_rel_filters(self, queryset: Any) -> Any:
            queryset._add_hints(instance=self.instance)
            if self._db:
                queryset = queryset.using(self._db)
            queryset._defer_next_filter = True
            queryset = queryset.filter(**self.core_filters)
            for field in self.field.foreign_related_fields:
                if getattr(self.instance, field.attname) is None:
                    return queryset.none()
            if self.field.many_to_one:
                rel_obj_id = getattr(self.instance, self.field.target_field.attname)
                queryset._known_related_objects = {self.field: {rel_obj_id: self.instance}}
            return queryset

        def _remove_prefetched_objects(self) -> None:
            try:
                self.instance._prefetched_objects_cache.pop(self.field.remote_field.cache_name)
            except (AttributeError, KeyError):
                pass

        def get_queryset(self) -> Any:
            if self.instance.pk is None:
                raise ValueError(
                    f"{self.instance.__class__.__name__!r} instance needs to have a primary key "
                    "value before this relationship can be used."
                )
            try:
                return self.instance._prefetched_objects_cache[self.field.remote_field.cache_name]
            except (AttributeError, KeyError):
                return self._apply_rel_filters(super().get_queryset())

        def get_prefetch_querysets(
            self, instances: list[Any], querysets: Any = None
        ) -> tuple[Any, ...]:
            if querysets and len(querysets) != 1:
                raise ValueError(
                    "querysets argument of get_prefetch_querysets() should have a length of 1."
                )
            queryset = querysets[0] if querysets else super().get_queryset()
            queryset._add_hints(instance=instances[0])
            queryset = queryset.using(queryset._db or self._db)
            field = self.field

            def rel_obj_attr(obj: Any) -> Any:
                return getattr(obj, field.attname)

            def instance_attr(obj: Any) -> Any:
                return getattr(obj, field.target_field.attname)

            queryset = _filter_prefetch_queryset(queryset, field.name, instances)
            return (
                queryset,
                rel_obj_attr,
                instance_attr,
                False,
                field.remote_field.cache_name,
                False,
            )

        def post_prefetch(self, instances: list[Any], related: list[Any]) -> None:
            field = self.field
            by_value = {getattr(inst, field.target_field.attname): inst for inst in instances}
            for rel_obj in related:
                if not field.is_cached(rel_obj):
                    instance = by_value.get(getattr(rel_obj, field.attname))
                    if instance is not None:
                        field.set_cached_value(rel_obj, instance)

        # -- changing the set ---------------------------------------------------

        def _check_obj(self, obj: Any) -> None:
            if not isinstance(obj, self.model):
                raise TypeError(f"'{self.model._meta.object_name}' instance expected, got {obj!r}")
            setattr(obj, self.field.name, self.instance)

        def _add_plan(self, objs: Iterable[Any], bulk: bool) -> plans.Plan[None]:
            self._check_fk_val()
            self._remove_prefetched_objects()
            db = router.db_for_write(self.model, instance=self.instance)
            if bulk:
                pks = []
                for obj in objs:
                    self._check_obj(obj)
                    if obj._state.adding or obj._state.db != db:
                        raise ValueError(
                            f"{obj!r} instance isn't saved. Use bulk=False or save the object "
                            "first."
                        )
                    pks.append(obj.pk)
                qs = self.model._base_manager.using(db).filter(pk__in=pks)
                yield plans.Call(
                    lambda: qs.update(**{self.field.name: self.instance}),
                    lambda: qs.aupdate(**{self.field.name: self.instance}),
                )
            else:
                yield plans.Atomic(db, self._save_each(objs, db), savepoint=False)

        def _save_each(self, objs: Iterable[Any], db: str) -> plans.Plan[None]:
            for obj in objs:
                self._check_obj(obj)
                arguments = obj._save_arguments(False, False, None, None)
                if arguments is not None:
                    using, fields, insert = arguments
                    yield from obj._save_base_plan(False, insert, False, using, fields)

        def add(self, *objs: Any, bulk: bool = True) -> None:
            _sync(self._add_plan(objs, bulk), "add")

        add.alters_data = True  # type: ignore[attr-defined]

        async def aadd(self, *objs: Any, bulk: bool = True) -> None:
            await plans.run_async(self._add_plan(objs, bulk))

        aadd.alters_data = True  # type: ignore[attr-defined]

        def _for_create(self, kwargs: dict[str, Any]) -> Any:
            self._check_fk_val()
            self._remove_prefetched_objects()
            kwargs[self.field.name] = self.instance
            db = router.db_for_write(self.model, instance=self.instance)
            return super(RelatedManager, self.db_manager(db))

        def create(self, **kwargs: Any) -> Any:
            return self._for_create(kwargs).create(**kwargs)

        create.alters_data = True  # type: ignore[attr-defined]

        async def acreate(self, **kwargs: Any) -> Any:
            return await self._for_create(kwargs).acreate(**kwargs)

        acreate.alters_data = True  # type: ignore[attr-defined]

        def get_or_create(self, **kwargs: Any) -> Any:
            return self._for_create(kwargs).get_or_create(**kwargs)

        get_or_create.alters_data = True  # type: ignore[attr-defined]

        async def aget_or_create(self, **kwargs: Any) -> Any:
            return await self._for_create(kwargs).aget_or_create(**kwargs)

        aget_or_create.alters_data = True  # type: ignore[attr-defined]

        def update_or_create(self, **kwargs: Any) -> Any:
            return self._for_create(kwargs).update_or_create(**kwargs)

        update_or_create.alters_data = True  # type: ignore[attr-defined]

        async def aupdate_or_create(self, **kwargs: Any) -> Any:
            return await self._for_create(kwargs).aupdate_or_create(**kwargs)

        aupdate_or_create.alters_data = True  # type: ignore[attr-defined]

        if rel.field.null:

            def _remove_plan(self, objs: Iterable[Any], bulk: bool) -> plans.Plan[None]:
                objs = tuple(objs)
                if not objs:
                    return
                self._check_fk_val()
                val = self.field.get_foreign_related_value(self.instance)
                old_ids = set()
                for obj in objs:
                    if not isinstance(obj, self.model):
                        raise TypeError(
                            f"'{self.model._meta.object_name}' instance expected, got {obj!r}"
                        )
                    if self.field.get_local_related_value(obj) == val:
                        old_ids.add(obj.pk)
                    else:
                        raise self.field.remote_field.model.DoesNotExist(
                            f"{obj!r} is not related to {self.instance!r}."
                        )
                yield from self._clear_plan(self.filter(pk__in=old_ids), bulk)

            def remove(self, *objs: Any, bulk: bool = True) -> None:
                _sync(self._remove_plan(objs, bulk), "remove")

            remove.alters_data = True  # type: ignore[attr-defined]

            async def aremove(self, *objs: Any, bulk: bool = True) -> None:
                await plans.run_async(self._remove_plan(objs, bulk))

            aremove.alters_data = True  # type: ignore[attr-defined]

            def clear(self, *, bulk: bool = True) -> None:
                self._check_fk_val()
                _sync(self._clear_plan(self, bulk), "clear")

            clear.alters_data = True  # type: ignore[attr-defined]

            async def aclear(self, *, bulk: bool = True) -> None:
                self._check_fk_val()
                await plans.run_async(self._clear_plan(self, bulk))

            aclear.alters_data = True  # type: ignore[attr-defined]

            def _clear_plan(self, queryset: Any, bulk: bool) -> plans.Plan[None]:
                self._remove_prefetched_objects()
                db = router.db_for_write(self.model, instance=self.instance)
                queryset = queryset.using(db)
                if bulk:
                    yield plans.Call(
                        lambda: queryset.update(**{self.field.name: None}),
                        lambda: queryset.aupdate(**{self.field.name: None}),
                    )
                else:
                    yield plans.Atomic(db, self._null_each(queryset), savepoint=False)

            def _null_each(self, queryset: Any) -> plans.Plan[None]:
                objs = yield plans.Fetch(queryset)
                for obj in objs:
                    setattr(obj, self.field.name, None)
                    arguments = obj._save_arguments(False, False, None, [self.field.name])
                    using, fields, insert = arguments
                    yield from obj._save_base_plan(False, insert, False, using, fields)

        def _set_plan(self, objs: Any, bulk: bool, clear: bool) -> plans.Plan[None]:
            self._check_fk_val()
            objs = yield from _fetched(objs)
            if self.field.null:
                db = router.db_for_write(self.model, instance=self.instance)
                yield plans.Atomic(db, self._set_nullable(objs, bulk, clear, db), savepoint=False)
            else:
                yield from self._add_plan(objs, bulk)

        def _set_nullable(
            self, objs: tuple[Any, ...], bulk: bool, clear: bool, db: str
        ) -> plans.Plan[None]:
            if clear:
                yield from self._clear_plan(self, bulk)
                yield from self._add_plan(objs, bulk)
                return
            old_objs = set((yield plans.Fetch(self.using(db).all())))
            new_objs = []
            for obj in objs:
                if obj in old_objs:
                    old_objs.remove(obj)
                else:
                    new_objs.append(obj)
            yield from self._remove_plan(old_objs, bulk)
            yield from self._add_plan(new_objs, bulk)

        def set(self, objs: Any, *, bulk: bool = True, clear: bool = False) -> None:
            _sync(self._set_plan(objs, bulk, clear), "set")

        set.alters_data = True  # type: ignore[attr-defined]

        async def aset(self, objs: Any, *, bulk: bool = True, clear: bool = False) -> None:
            await plans.run_async(self._set_plan(objs, bulk, clear))

        aset.alters_data = True  # type: ignore[attr-defined]

    return RelatedManager


class ManyToManyDescriptor(ReverseManyToOneDescriptor):
    """``book.tags`` and ``tag.book_set``: a manager of the objects on the other side."""

    def __init__(self, rel: Any, reverse: bool = False) -> None:
        super().__init__(rel)
        self.reverse = reverse

    @property
    def through(self) -> Any:
        """Return the intermediary model."""
        return self.rel.through

    @cached_property
    def related_manager_cls(self) -> type:
        related_model = self.rel.related_model if self.reverse else self.rel.model
        return create_forward_many_to_many_manager(
            related_model._default_manager.__class__, self.rel, reverse=self.reverse
        )

    def _get_set_deprecation_msg_params(self) -> tuple[str, str]:
        side = "reverse" if self.reverse else "forward"
        name = self.rel.get_accessor_name() if self.reverse else self.field.name
        return f"{side} side of a many-to-many set", str(name)


def create_forward_many_to_many_manager(superclass: type, rel: Any, reverse: bool) -> type:
    """Return the manager class of a many-to-many accessor (either side)."""

    class ManyRelatedManager(superclass, AltersData):  # type: ignore[misc]
        def __init__(self, instance: Any = None) -> None:
            super().__init__()
            self.instance = instance
            if not reverse:
                self.model = rel.model
                self.query_field_name = rel.field.related_query_name()
                self.prefetch_cache_name = rel.field.name
                self.source_field_name = rel.field.m2m_field_name()
                self.target_field_name = rel.field.m2m_reverse_field_name()
                self.symmetrical = rel.symmetrical
            else:
                self.model = rel.related_model
                self.query_field_name = rel.field.name
                self.prefetch_cache_name = rel.field.related_query_name()
                self.source_field_name = rel.field.m2m_reverse_field_name()
                self.target_field_name = rel.field.m2m_field_name()
                self.symmetrical = False
            self.through = rel.through
            self.reverse = reverse
            self.source_field = self.through._meta.get_field(self.source_field_name)
            self.target_field = self.through._meta.get_field(self.target_field_name)
            self.core_filters: dict[str, Any] = {}
            self.pk_field_names: dict[str, str] = {}
            for lh_field, rh_field in self.source_field.related_fields:
                key = f"{self.query_field_name}__{rh_field.name}"
                self.core_filters[key] = getattr(instance, rh_field.attname)
                self.pk_field_names[lh_field.name] = rh_field.name
            self.related_val = self.source_field.get_foreign_related_value(instance)
            if None in self.related_val:
                raise ValueError(
                    f'"{instance!r}" needs to have a value for field '
                    f'"{self.pk_field_names[self.source_field_name]}" before this many-to-many '
                    "relationship can be used."
                )
            if instance.pk is None:
                raise ValueError(
                    f"{instance.__class__.__name__!r} instance needs to have a primary key value "
                    "before a many-to-many relationship can be used."
                )

        def __call__(self, *, manager: str) -> Any:
            manager_obj = getattr(self.model, manager)
            manager_class = create_forward_many_to_many_manager(manager_obj.__class__, rel, reverse)
            return manager_class(instance=self.instance)

        do_not_call_in_templates = True

        def _build_remove_filters(self, removed_vals: Any) -> Q:
            filters = Q(**{self.source_field_name: self.related_val[0]})
            has_filters = not hasattr(removed_vals, "_has_filters") or removed_vals._has_filters()
            if has_filters:
                filters &= Q(**{f"{self.target_field_name}__in": removed_vals})
            if self.symmetrical:
                symmetrical = Q(**{self.target_field_name: self.related_val[0]})
                if has_filters:
                    symmetrical &= Q(**{f"{self.source_field_name}__in": removed_vals})
                filters |= symmetrical
            return filters

        def _apply_rel_filters(self, queryset: Any) -> Any:
            queryset._add_hints(instance=self.instance)
            if self._db:
                queryset = queryset.using(self._db)
            queryset._defer_next_filter = True
            return queryset._next_is_sticky().filter(**self.core_filters)

        def get_prefetch_cache(self) -> Any:
            try:
                return self.instance._prefetched_objects_cache[self.prefetch_cache_name]
            except (AttributeError, KeyError):
                return None

        def _remove_prefetched_objects(self) -> None:
            try:
                self.instance._prefetched_objects_cache.pop(self.prefetch_cache_name)
            except (AttributeError, KeyError):
                pass

        def get_queryset(self) -> Any:
            cache = self.get_prefetch_cache()
            if cache is not None:
                return cache
            return self._apply_rel_filters(super().get_queryset())

        def get_prefetch_querysets(
            self, instances: list[Any], querysets: Any = None
        ) -> tuple[Any, ...]:
            from fastjango.db.models.expressions import F

            if querysets and len(querysets) != 1:
                raise ValueError(
                    "querysets argument of get_prefetch_querysets() should have a length of 1."
                )
            queryset = querysets[0] if querysets else super().get_queryset()
            queryset._add_hints(instance=instances[0])
            queryset = queryset.using(queryset._db or self._db)
            queryset = _filter_prefetch_queryset(
                queryset._next_is_sticky(), self.query_field_name, instances
            )
            queryset = queryset.annotate(_prefetch_related_val=F(self.query_field_name))
            target = self.source_field.target_field

            def rel_obj_attr(obj: Any) -> Any:
                return obj._prefetch_related_val

            def instance_attr(obj: Any) -> Any:
                return getattr(obj, target.attname)

            return queryset, rel_obj_attr, instance_attr, False, self.prefetch_cache_name, False

        # -- changing the set ---------------------------------------------------

        def _get_target_ids(self, target_field_name: str, objs: Iterable[Any]) -> set[Any]:
            from fastjango.db.models.base import Model

            target_ids = set()
            target_field = self.through._meta.get_field(target_field_name)
            for obj in objs:
                if isinstance(obj, self.model):
                    if not router.allow_relation(obj, self.instance):
                        raise ValueError(
                            f'Cannot add "{obj!r}": instance is on database '
                            f'"{self.instance._state.db}", value is on database "{obj._state.db}"'
                        )
                    target_id = target_field.get_foreign_related_value(obj)[0]
                    if target_id is None:
                        raise ValueError(
                            f'Cannot add "{obj!r}": the value for field "{target_field_name}" is '
                            "None"
                        )
                    target_ids.add(target_id)
                elif isinstance(obj, Model):
                    raise TypeError(
                        f"'{self.model._meta.object_name}' instance expected, got {obj!r}"
                    )
                else:
                    target_ids.add(target_field.get_prep_value(obj))
            return target_ids

        def _add_items_plan(
            self,
            source_field_name: str,
            target_field_name: str,
            objs: tuple[Any, ...],
            through_defaults: dict[str, Any] | None,
        ) -> plans.Plan[None]:
            if not objs:
                return
            from fastjango.db import connections

            defaults = dict(resolve_callables(through_defaults or {}))
            target_ids = self._get_target_ids(target_field_name, objs)
            db = router.db_for_write(self.through, instance=self.instance)
            can_ignore_conflicts = (
                self.through._meta.auto_created is not False
                and connections[db].features.supports_ignore_conflicts
            )
            must_send_signals = (
                self.reverse or source_field_name == self.source_field_name
            ) and signals.m2m_changed.has_listeners(self.through)
            manager = self.through._default_manager.using(db)
            if can_ignore_conflicts and not must_send_signals:
                rows = [
                    self.through(
                        **{
                            f"{source_field_name}_id": self.related_val[0],
                            f"{target_field_name}_id": target_id,
                        }
                    )
                    for target_id in target_ids
                ]
                yield from manager._bulk_create_plan(rows, None, True, False, None, None)
                return
            existing = yield plans.Fetch(
                manager.values_list(target_field_name, flat=True).filter(
                    **{
                        source_field_name: self.related_val[0],
                        f"{target_field_name}__in": target_ids,
                    }
                )
            )
            missing = target_ids.difference(existing)
            if must_send_signals:
                yield plans.Send(
                    signals.m2m_changed,
                    self.through,
                    action="pre_add",
                    instance=self.instance,
                    reverse=self.reverse,
                    model=self.model,
                    pk_set=missing,
                    using=db,
                )
            rows = [
                self.through(
                    **defaults,
                    **{
                        f"{source_field_name}_id": self.related_val[0],
                        f"{target_field_name}_id": target_id,
                    },
                )
                for target_id in missing
            ]
            yield from manager._bulk_create_plan(
                rows, None, can_ignore_conflicts, False, None, None
            )
            if must_send_signals:
                yield plans.Send(
                    signals.m2m_changed,
                    self.through,
                    action="post_add",
                    instance=self.instance,
                    reverse=self.reverse,
                    model=self.model,
                    pk_set=missing,
                    using=db,
                )

        def _add_plan(
            self, objs: tuple[Any, ...], through_defaults: dict[str, Any] | None
        ) -> plans.Plan[None]:
            self._remove_prefetched_objects()
            db = router.db_for_write(self.through, instance=self.instance)
            yield plans.Atomic(db, self._add_both(objs, through_defaults), savepoint=False)

        def _add_both(
            self, objs: tuple[Any, ...], through_defaults: dict[str, Any] | None
        ) -> plans.Plan[None]:
            yield from self._add_items_plan(
                self.source_field_name, self.target_field_name, objs, through_defaults
            )
            if self.symmetrical:
                yield from self._add_items_plan(
                    self.target_field_name, self.source_field_name, objs, through_defaults
                )

        def add(self, *objs: Any, through_defaults: dict[str, Any] | None = None) -> None:
            _sync(self._add_plan(objs, through_defaults), "add")

        add.alters_data = True  # type: ignore[attr-defined]

        async def aadd(self, *objs: Any, through_defaults: dict[str, Any] | None = None) -> None:
            await plans.run_async(self._add_plan(objs, through_defaults))

        aadd.alters_data = True  # type: ignore[attr-defined]

        def _remove_items_plan(self, objs: tuple[Any, ...]) -> plans.Plan[None]:
            if not objs:
                return
            old_ids = set()
            for obj in objs:
                if isinstance(obj, self.model):
                    old_ids.add(self.target_field.get_foreign_related_value(obj)[0])
                else:
                    old_ids.add(obj)
            db = router.db_for_write(self.through, instance=self.instance)
            yield plans.Atomic(db, self._remove_ids(old_ids, db), savepoint=False)

        def _remove_ids(self, old_ids: set[Any], db: str) -> plans.Plan[None]:
            yield plans.Send(
                signals.m2m_changed,
                self.through,
                action="pre_remove",
                instance=self.instance,
                reverse=self.reverse,
                model=self.model,
                pk_set=old_ids,
                using=db,
            )
            target_model_qs = super().get_queryset()
            if target_model_qs._has_filters():
                old_vals: Any = target_model_qs.using(db).filter(
                    **{f"{self.target_field.target_field.attname}__in": old_ids}
                )
            else:
                old_vals = old_ids
            filters = self._build_remove_filters(old_vals)
            qs = self.through._default_manager.using(db).filter(filters)
            yield plans.Call(qs.delete, qs.adelete)
            yield plans.Send(
                signals.m2m_changed,
                self.through,
                action="post_remove",
                instance=self.instance,
                reverse=self.reverse,
                model=self.model,
                pk_set=old_ids,
                using=db,
            )

        def remove(self, *objs: Any) -> None:
            self._remove_prefetched_objects()
            _sync(self._remove_items_plan(objs), "remove")

        remove.alters_data = True  # type: ignore[attr-defined]

        async def aremove(self, *objs: Any) -> None:
            self._remove_prefetched_objects()
            await plans.run_async(self._remove_items_plan(objs))

        aremove.alters_data = True  # type: ignore[attr-defined]

        def _clear_plan(self) -> plans.Plan[None]:
            db = router.db_for_write(self.through, instance=self.instance)
            yield plans.Atomic(db, self._clear_all(db), savepoint=False)

        def _clear_all(self, db: str) -> plans.Plan[None]:
            yield plans.Send(
                signals.m2m_changed,
                self.through,
                action="pre_clear",
                instance=self.instance,
                reverse=self.reverse,
                model=self.model,
                pk_set=None,
                using=db,
            )
            self._remove_prefetched_objects()
            filters = self._build_remove_filters(super().get_queryset().using(db))
            qs = self.through._default_manager.using(db).filter(filters)
            yield plans.Call(qs.delete, qs.adelete)
            yield plans.Send(
                signals.m2m_changed,
                self.through,
                action="post_clear",
                instance=self.instance,
                reverse=self.reverse,
                model=self.model,
                pk_set=None,
                using=db,
            )

        def clear(self) -> None:
            _sync(self._clear_plan(), "clear")

        clear.alters_data = True  # type: ignore[attr-defined]

        async def aclear(self) -> None:
            await plans.run_async(self._clear_plan())

        aclear.alters_data = True  # type: ignore[attr-defined]

        def _set_plan(
            self, objs: Any, clear: bool, through_defaults: dict[str, Any] | None
        ) -> plans.Plan[None]:
            objs = yield from _fetched(objs)
            db = router.db_for_write(self.through, instance=self.instance)
            yield plans.Atomic(
                db, self._set_in_transaction(objs, clear, through_defaults, db), savepoint=False
            )

        def _set_in_transaction(
            self,
            objs: tuple[Any, ...],
            clear: bool,
            through_defaults: dict[str, Any] | None,
            db: str,
        ) -> plans.Plan[None]:
            if clear:
                yield from self._clear_all(db)
                yield from self._add_both(objs, through_defaults)
                return
            old_ids = set(
                (
                    yield plans.Fetch(
                        self.using(db).values_list(
                            self.target_field.target_field.attname, flat=True
                        )
                    )
                )
            )
            new_objs = []
            for obj in objs:
                fk_val = (
                    self.target_field.get_foreign_related_value(obj)[0]
                    if isinstance(obj, self.model)
                    else self.target_field.get_prep_value(obj)
                )
                if fk_val in old_ids:
                    old_ids.remove(fk_val)
                else:
                    new_objs.append(obj)
            self._remove_prefetched_objects()
            if old_ids:
                yield from self._remove_ids(old_ids, db)
            yield from self._add_both(tuple(new_objs), through_defaults)

        def set(
            self, objs: Any, *, clear: bool = False, through_defaults: dict[str, Any] | None = None
        ) -> None:
            _sync(self._set_plan(objs, clear, through_defaults), "set")

        set.alters_data = True  # type: ignore[attr-defined]

        async def aset(
            self, objs: Any, *, clear: bool = False, through_defaults: dict[str, Any] | None = None
        ) -> None:
            await plans.run_async(self._set_plan(objs, clear, through_defaults))

        aset.alters_data = True  # type: ignore[attr-defined]

        def _for_create(self) -> Any:
            db = router.db_for_write(self.instance.__class__, instance=self.instance)
            return super(ManyRelatedManager, self.db_manager(db))

        def _create_plan(
            self, kwargs: dict[str, Any], through_defaults: dict[str, Any] | None
        ) -> plans.Plan[Any]:
            manager = self._for_create()
            new_obj = yield plans.Call(
                lambda: manager.create(**kwargs), lambda: manager.acreate(**kwargs)
            )
            yield from self._add_plan((new_obj,), through_defaults)
            return new_obj

        def create(self, *, through_defaults: dict[str, Any] | None = None, **kwargs: Any) -> Any:
            return _sync(self._create_plan(kwargs, through_defaults), "create")

        create.alters_data = True  # type: ignore[attr-defined]

        async def acreate(
            self, *, through_defaults: dict[str, Any] | None = None, **kwargs: Any
        ) -> Any:
            return await plans.run_async(self._create_plan(kwargs, through_defaults))

        acreate.alters_data = True  # type: ignore[attr-defined]

        def _get_or_create_plan(
            self, kwargs: dict[str, Any], through_defaults: dict[str, Any] | None, update: bool
        ) -> plans.Plan[tuple[Any, bool]]:
            manager = self._for_create()
            name = "update_or_create" if update else "get_or_create"
            obj, created = yield plans.Call(
                lambda: getattr(manager, name)(**kwargs),
                lambda: getattr(manager, f"a{name}")(**kwargs),
            )
            if created:
                yield from self._add_plan((obj,), through_defaults)
            return obj, created

        def get_or_create(
            self, *, through_defaults: dict[str, Any] | None = None, **kwargs: Any
        ) -> Any:
            return _sync(self._get_or_create_plan(kwargs, through_defaults, False), "get_or_create")

        get_or_create.alters_data = True  # type: ignore[attr-defined]

        async def aget_or_create(
            self, *, through_defaults: dict[str, Any] | None = None, **kwargs: Any
        ) -> Any:
            return await plans.run_async(self._get_or_create_plan(kwargs, through_defaults, False))

        aget_or_create.alters_data = True  # type: ignore[attr-defined]

        def update_or_create(
            self, *, through_defaults: dict[str, Any] | None = None, **kwargs: Any
        ) -> Any:
            return _sync(
                self._get_or_create_plan(kwargs, through_defaults, True), "update_or_create"
            )

        update_or_create.alters_data = True  # type: ignore[attr-defined]

        async def aupdate_or_create(
            self, *, through_defaults: dict[str, Any] | None = None, **kwargs: Any
        ) -> Any:
            return await plans.run_async(self._get_or_create_plan(kwargs, through_defaults, True))

        aupdate_or_create.alters_data = True  # type: ignore[attr-defined]

    return ManyRelatedManager
