"""Deleting with ``on_delete``: the ``Collector`` and ``CASCADE``, ``PROTECT``, ``SET_NULL``, ...

The collector follows reverse relations from the objects being deleted and
applies each foreign key's ``on_delete``, as Django does. Its queries are
yielded (``plans``), so ``delete()`` and ``adelete()`` share the logic. The
``on_delete`` handlers have Django's signature: ``handler(collector, field,
sub_objs, using)``, where ``sub_objs`` is an evaluated QuerySet.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable
from functools import reduce
from itertools import chain
from operator import attrgetter, or_
from typing import Any

from fastjango.db import IntegrityError
from fastjango.db.models import plans, signals
from fastjango.db.models.query_utils import Q

__all__ = [
    "CASCADE",
    "DO_NOTHING",
    "PROTECT",
    "RESTRICT",
    "SET",
    "SET_DEFAULT",
    "SET_NULL",
    "Collector",
    "ProtectedError",
    "RestrictedError",
]


class ProtectedError(IntegrityError):
    """Deleting would break a ``PROTECT`` foreign key; ``protected_objects`` lists the rows."""

    def __init__(self, msg: str, protected_objects: Any) -> None:
        self.protected_objects = protected_objects
        super().__init__(msg, protected_objects)


class RestrictedError(IntegrityError):
    """Deleting would break a ``RESTRICT`` foreign key; ``restricted_objects`` lists the rows."""

    def __init__(self, msg: str, restricted_objects: Any) -> None:
        self.restricted_objects = restricted_objects
        super().__init__(msg, restricted_objects)


def CASCADE(collector: Collector, field: Any, sub_objs: Any, using: str) -> None:
    """Delete the objects that refer to the deleted one."""
    collector.collect(
        sub_objs,
        source=field.remote_field.model,
        source_attr=field.name,
        nullable=field.null,
        fail_on_restricted=False,
    )
    if field.null and _vendor(using) == "mysql":
        # MySQL checks foreign keys at once: clear the column before the parent row goes.
        collector.add_field_update(field, None, sub_objs)


def _vendor(using: str) -> str:
    from fastjango.db import connections

    return str(connections[using].vendor)


def PROTECT(collector: Collector, field: Any, sub_objs: Any, using: str) -> None:
    """Refuse the deletion while objects refer to the deleted one."""
    raise ProtectedError(
        f"Cannot delete some instances of model '{field.remote_field.model.__name__}' because "
        f"they are referenced through a protected foreign key: "
        f"'{sub_objs[0].__class__.__name__}.{field.name}'",
        sub_objs,
    )


def RESTRICT(collector: Collector, field: Any, sub_objs: Any, using: str) -> None:
    """Refuse the deletion unless the referring objects are deleted by a CASCADE too."""
    collector.add_restricted_objects(field, sub_objs)
    collector.add_dependency(field.remote_field.model, field.model)


def SET(value: Any) -> Callable[[Collector, Any, Any, str], None]:
    """Return a handler that sets the foreign key to ``value`` (or ``value()``)."""
    if callable(value):

        def set_on_delete(collector: Collector, field: Any, sub_objs: Any, using: str) -> None:
            collector.add_field_update(field, value(), sub_objs)

    else:

        def set_on_delete(collector: Collector, field: Any, sub_objs: Any, using: str) -> None:
            collector.add_field_update(field, value, sub_objs)

    set_on_delete.lazy_sub_objs = True  # type: ignore[attr-defined]
    set_on_delete.deconstruct = lambda: ("fastjango.db.models.SET", (value,), {})  # type: ignore[attr-defined]
    return set_on_delete


def SET_NULL(collector: Collector, field: Any, sub_objs: Any, using: str) -> None:
    """Set the foreign key to NULL."""
    collector.add_field_update(field, None, sub_objs)


SET_NULL.lazy_sub_objs = True  # type: ignore[attr-defined]


def SET_DEFAULT(collector: Collector, field: Any, sub_objs: Any, using: str) -> None:
    """Set the foreign key to its default."""
    collector.add_field_update(field, field.get_default(), sub_objs)


SET_DEFAULT.lazy_sub_objs = True  # type: ignore[attr-defined]


def DO_NOTHING(collector: Collector, field: Any, sub_objs: Any, using: str) -> None:
    """Leave the referring rows alone (the database's constraint decides)."""


def get_candidate_relations_to_delete(opts: Any) -> Iterable[Any]:
    """Return the reverse relations (hidden ones too) that deletions may follow."""
    return (
        f
        for f in opts.get_fields(include_hidden=True)
        if f.auto_created and not f.concrete and (f.one_to_one or f.one_to_many)
    )


class _Pending:
    """A collect() call waiting for its objects to be fetched."""

    __slots__ = (
        "collect_related",
        "fail_on_restricted",
        "keep_parents",
        "nullable",
        "objs",
        "reverse_dependency",
        "source",
    )

    def __init__(
        self,
        objs: Any,
        source: Any,
        nullable: bool,
        collect_related: bool,
        reverse_dependency: bool,
        fail_on_restricted: bool,
        keep_parents: bool = False,
    ) -> None:
        self.keep_parents = keep_parents
        self.objs = objs
        self.source = source
        self.nullable = nullable
        self.collect_related = collect_related
        self.reverse_dependency = reverse_dependency
        self.fail_on_restricted = fail_on_restricted


class Collector:
    """Find everything a deletion affects, then delete it in dependency order."""

    def __init__(self, using: str, origin: Any = None) -> None:
        self.using = using
        self.origin = origin
        #: model → the instances to delete
        self.data: defaultdict[Any, set[Any]] = defaultdict(set)
        #: (field, value) → the objects whose field is set to value
        self.field_updates: defaultdict[tuple[Any, Any], list[Any]] = defaultdict(list)
        #: model → field → objects that a RESTRICT protects
        self.restricted_objects: defaultdict[Any, defaultdict[Any, set[Any]]] = defaultdict(
            lambda: defaultdict(set)
        )
        #: querysets deleted with one DELETE (no signals, no further relations)
        self.fast_deletes: list[Any] = []
        self.dependencies: defaultdict[Any, set[Any]] = defaultdict(set)
        self._pending: deque[_Pending] = deque()
        self._fail_on_restricted = False

    # -- bookkeeping (Django's API) ------------------------------------------------

    def add(
        self,
        objs: Iterable[Any],
        source: Any = None,
        nullable: bool = False,
        reverse_dependency: bool = False,
    ) -> list[Any]:
        """Add ``objs`` to delete; return the ones not already collected."""
        objs = list(objs)
        if not objs:
            return []
        new_objs = []
        model = objs[0].__class__
        instances = self.data[model]
        for obj in objs:
            if obj not in instances:
                new_objs.append(obj)
        instances.update(new_objs)
        if source is not None and not nullable:
            self.add_dependency(source, model, reverse_dependency=reverse_dependency)
        return new_objs

    def add_dependency(self, model: Any, dependency: Any, reverse_dependency: bool = False) -> None:
        """Record that ``model``'s rows must go before ``dependency``'s."""
        if reverse_dependency:
            model, dependency = dependency, model
        self.dependencies[model._meta.concrete_model].add(dependency._meta.concrete_model)
        self.data.setdefault(dependency, self.data.default_factory())  # type: ignore[misc]

    def add_field_update(self, field: Any, value: Any, objs: Iterable[Any]) -> None:
        """Set ``field`` to ``value`` on ``objs`` instead of deleting them."""
        self.field_updates[field, value].extend(objs)

    def add_restricted_objects(self, field: Any, objs: Iterable[Any]) -> None:
        """Record objects a RESTRICT foreign key protects."""
        objs = list(objs)
        if objs:
            model = objs[0].__class__
            self.restricted_objects[model][field].update(objs)

    def clear_restricted_objects_from_set(self, model: Any, objs: set[Any]) -> None:
        """Forget restrictions on objects that are deleted anyway."""
        if model in self.restricted_objects:
            self.restricted_objects[model] = defaultdict(
                set,
                {field: items - objs for field, items in self.restricted_objects[model].items()},
            )

    def clear_restricted_objects_from_queryset(self, model: Any, qs: Any) -> None:
        """Forget restrictions on the objects of an evaluated queryset."""
        if model in self.restricted_objects:
            self.clear_restricted_objects_from_set(model, set(qs))

    def _has_signal_listeners(self, model: Any) -> bool:
        return signals.pre_delete.has_listeners(model) or signals.post_delete.has_listeners(model)

    def can_fast_delete(self, objs: Any, from_field: Any = None) -> bool:
        """Return whether ``objs`` can go with one DELETE (no signals, no relations to follow)."""
        if from_field and from_field.remote_field.on_delete is not CASCADE:
            return False
        if hasattr(objs, "_meta"):
            model = objs._meta.model
        elif hasattr(objs, "model") and hasattr(objs, "_raw_delete_statement"):
            model = objs.model
        else:
            return False
        if self._has_signal_listeners(model):
            return False
        opts = model._meta
        return (
            all(link == from_field for link in opts.concrete_model._meta.parents.values())
            and all(
                related.field.remote_field.on_delete is DO_NOTHING
                for related in get_candidate_relations_to_delete(opts)
            )
            and not any(hasattr(field, "bulk_related_objects") for field in opts.private_fields)
        )

    def get_del_batches(self, objs: list[Any], fields: list[Any]) -> list[list[Any]]:
        """Split ``objs`` so each related-objects query stays within the parameter limit."""
        from fastjango.db import connections

        max_params = connections[self.using].features.max_query_params
        size = max(1, (max_params or len(objs) or 1) // max(1, len(fields)))
        if len(objs) > size:
            return [objs[i : i + size] for i in range(0, len(objs), size)]
        return [objs]

    def related_objects(
        self, related_model: Any, related_fields: list[Any], objs: list[Any]
    ) -> Any:
        """Return the queryset of ``related_model`` rows referring to ``objs``."""
        predicate = reduce(
            or_,
            (Q((f"{related_field.name}__in", objs)) for related_field in related_fields),
        )
        return related_model._base_manager.using(self.using).filter(predicate)

    def collect(
        self,
        objs: Any,
        source: Any = None,
        nullable: bool = False,
        collect_related: bool = True,
        source_attr: str | None = None,
        reverse_dependency: bool = False,
        keep_parents: bool = False,
        fail_on_restricted: bool = True,
    ) -> None:
        """Add ``objs`` (instances or a queryset) and, later, what their relations affect."""
        if self.can_fast_delete(objs):
            self.fast_deletes.append(objs)
            return
        if fail_on_restricted:
            self._fail_on_restricted = True
        self._pending.append(
            _Pending(
                objs,
                source,
                nullable,
                collect_related,
                reverse_dependency,
                fail_on_restricted,
                keep_parents,
            )
        )

    # -- collecting --------------------------------------------------------------------

    def collect_plan(self) -> plans.Plan[None]:
        """Fetch the pending objects and follow their relations until nothing is left."""
        protected: dict[str, Any] = {}
        while self._pending:
            pending = self._pending.popleft()
            objs = pending.objs
            if hasattr(objs, "_fetch_all") and objs._result_cache is None:
                yield plans.Fetch(objs)
            new_objs = self.add(objs, pending.source, pending.nullable, pending.reverse_dependency)
            if not new_objs:
                continue
            model = new_objs[0].__class__
            if not pending.keep_parents:
                # Multi-table parents' rows go too (after the child's); their relations are
                # the child's own (get_fields() lists them), so they aren't followed again.
                for ptr in model._meta.concrete_model._meta.parents.values():
                    if ptr:
                        self.collect(
                            [getattr(obj, ptr.name) for obj in new_objs],
                            source=model,
                            source_attr=ptr.remote_field.related_name,
                            collect_related=False,
                            reverse_dependency=True,
                            fail_on_restricted=False,
                        )
            if not pending.collect_related:
                continue
            parents = set(model._meta.get_parent_list()) if pending.keep_parents else set()
            model_fast_deletes: defaultdict[Any, list[Any]] = defaultdict(list)
            level_protected: defaultdict[str, list[Any]] = defaultdict(list)
            for related in get_candidate_relations_to_delete(model._meta):
                if related.model in parents:
                    # keep_parents: the parents' rows stay, and so do their relations.
                    continue
                field = related.field
                on_delete = field.remote_field.on_delete
                if on_delete is DO_NOTHING:
                    continue
                related_model = related.related_model
                if self.can_fast_delete(related_model, from_field=field):
                    model_fast_deletes[related_model].append(field)
                    continue
                for batch in self.get_del_batches(new_objs, [field]):
                    sub_objs = self.related_objects(related_model, [field], batch)
                    yield plans.Fetch(sub_objs)
                    if not sub_objs:
                        continue
                    try:
                        on_delete(self, field, sub_objs, self.using)
                    except ProtectedError as error:
                        key = f"'{field.model.__name__}.{field.name}'"
                        level_protected[key] += list(error.protected_objects)
            if level_protected:
                protected_objects = list(chain.from_iterable(level_protected.values()))
                protected.setdefault(
                    f"Cannot delete some instances of model {model.__name__!r} because they are "
                    "referenced through protected foreign keys: "
                    f"{', '.join(level_protected)}.",
                    protected_objects,
                )
            for related_model, related_fields in model_fast_deletes.items():
                for batch in self.get_del_batches(new_objs, related_fields):
                    self.fast_deletes.append(
                        self.related_objects(related_model, related_fields, batch)
                    )
            for field in model._meta.private_fields:
                if hasattr(field, "bulk_related_objects"):
                    self.collect(
                        field.bulk_related_objects(new_objs, self.using),
                        source=model,
                        nullable=True,
                        fail_on_restricted=False,
                    )
        if protected:
            message, objects = next(iter(protected.items()))
            raise ProtectedError(message, set(objects))
        if self._fail_on_restricted:
            yield from self._check_restricted()

    def _check_restricted(self) -> plans.Plan[None]:
        # Objects restricted but also reached through a CASCADE may be deleted.
        for related_model, instances in self.data.items():
            self.clear_restricted_objects_from_set(related_model, instances)
        for qs in self.fast_deletes:
            if qs.model in self.restricted_objects:
                yield plans.Fetch(qs)
                self.clear_restricted_objects_from_queryset(qs.model, qs)
        if self.restricted_objects:
            restricted: defaultdict[str, list[Any]] = defaultdict(list)
            for related_model, fields in self.restricted_objects.items():
                for field, objs in fields.items():
                    if objs:
                        restricted[f"'{related_model.__name__}.{field.name}'"] += objs
            if restricted:
                model = (
                    self.origin.__class__
                    if hasattr(self.origin, "_meta")
                    else getattr(self.origin, "model", None)
                )
                name = model.__name__ if model is not None else "?"
                raise RestrictedError(
                    f"Cannot delete some instances of model {name!r} because they are "
                    "referenced through restricted foreign keys: "
                    f"{', '.join(restricted)}.",
                    set(chain.from_iterable(restricted.values())),
                )

    # -- deleting ------------------------------------------------------------------------

    def sort(self) -> None:
        """Order ``data`` so rows are deleted before the rows they refer to."""
        sorted_models: list[Any] = []
        concrete_models: set[Any] = set()
        models = list(self.data)
        while len(sorted_models) < len(models):
            found = False
            for model in models:
                if model in sorted_models:
                    continue
                dependencies = self.dependencies.get(model._meta.concrete_model)
                if not (dependencies and dependencies.difference(concrete_models)):
                    sorted_models.append(model)
                    concrete_models.add(model._meta.concrete_model)
                    found = True
            if not found:
                return
        self.data = defaultdict(set, {model: self.data[model] for model in sorted_models})

    def delete_plan(self) -> plans.Plan[tuple[int, dict[str, int]]]:
        """The plan: collect, then delete (sending pre/post_delete), in one transaction."""
        yield from self.collect_plan()
        for model, instances in self.data.items():
            self.data[model] = set(sorted(instances, key=attrgetter("pk")))
        self.sort()
        deleted_counter: Counter[str] = Counter()
        # One object with nothing to follow: a single DELETE, no transaction.
        if len(self.data) == 1 and not self.fast_deletes and not self.field_updates:
            model, instances = next(iter(self.data.items()))
            if len(instances) == 1:
                instance = next(iter(instances))
                if self.can_fast_delete(instance):
                    count = yield from self._delete_batch(model, [instance.pk])
                    setattr(instance, model._meta.pk.attname, None)
                    return count, {model._meta.label: count}
        counted = yield plans.Atomic(
            self.using, self._delete_in_transaction(deleted_counter), savepoint=False
        )
        del counted
        for (field, value), instances_list in self.field_updates.items():
            for obj in instances_list:
                setattr(obj, field.attname, value)
        for model, instances in self.data.items():
            for instance in instances:
                setattr(instance, model._meta.pk.attname, None)
        return sum(deleted_counter.values()), dict(deleted_counter)

    def _delete_batch(self, model: Any, pks: list[Any]) -> plans.Plan[int]:
        count = 0
        for start in range(0, len(pks), 500):
            qs = model._base_manager.using(self.using).filter(pk__in=pks[start : start + 500])
            statement = qs._raw_delete_statement(self.using)
            if statement is None:
                continue
            result = yield plans.Execute(self.using, statement)
            count += result.rowcount
        return count

    def _delete_in_transaction(self, deleted_counter: Counter[str]) -> plans.Plan[None]:
        for model, obj in self.instances_with_model():
            if not model._meta.auto_created:
                yield plans.Send(
                    signals.pre_delete, model, instance=obj, using=self.using, origin=self.origin
                )
        for qs in self.fast_deletes:
            statement = qs._raw_delete_statement(self.using)
            if statement is None:
                continue
            result = yield plans.Execute(self.using, statement)
            if result.rowcount:
                deleted_counter[qs.model._meta.label] += result.rowcount
        for (field, value), instances_list in self.field_updates.items():
            updates = []
            objs = []
            for instances in _chunks(instances_list):
                if hasattr(instances, "_fetch_all") and instances._result_cache is None:
                    updates.append(instances)
                else:
                    objs.extend(instances)
            if updates:
                combined = reduce(or_, updates)
                yield from self._update_plan(combined, field, value)
            if objs:
                model = objs[0].__class__
                query = model._base_manager.using(self.using).filter(
                    pk__in=list({obj.pk for obj in objs})
                )
                yield from self._update_plan(query, field, value)
        for instances in self.data.values():
            ordered = sorted(instances, key=attrgetter("pk"))
            instances.clear()
            instances.update(ordered)
        for model, instances in self.data.items():
            pk_list = [obj.pk for obj in instances]
            count = yield from self._delete_batch(model, pk_list)
            if count:
                deleted_counter[model._meta.label] += count
            if not model._meta.auto_created:
                for obj in instances:
                    yield plans.Send(
                        signals.post_delete,
                        model,
                        instance=obj,
                        using=self.using,
                        origin=self.origin,
                    )

    def _update_plan(self, queryset: Any, field: Any, value: Any) -> plans.Plan[None]:
        from fastjango.db.models.sql.writes import update_statement

        statement = update_statement(queryset, [(field, None, value)])
        if statement is not None:
            yield plans.Execute(self.using, statement)

    def instances_with_model(self) -> Iterable[tuple[Any, Any]]:
        """Yield ``(model, instance)`` for every collected instance."""
        for model, instances in self.data.items():
            for obj in instances:
                yield model, obj


def _chunks(items: list[Any]) -> Iterable[Any]:
    # Querysets passed to add_field_update() stay querysets; instances are listed.
    plain: list[Any] = []
    for item in items:
        if hasattr(item, "_fetch_all"):
            yield item
        else:
            plain.append(item)
    if plain:
        yield plain
