"""``QuerySet``: lazy, chainable, cached database lookups, with async twins of every terminal.

Every refining method returns a new QuerySet (``_chain()``); nothing runs
until the QuerySet is evaluated (iterated, ``len()``, ``bool()``, sliced with
a step, ``list()``), which fills ``_result_cache`` once. Sync methods run on
``connections[alias]``; their ``a*`` twins run natively on the async engine.
"""

from __future__ import annotations

import copy
import operator
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Generic, overload

from fastjango.core import exceptions
from fastjango.core.exceptions import EmptyResultSet
from fastjango.db import IntegrityError, NotSupportedError, connections, router, transaction
from fastjango.db.models import plans
from fastjango.db.models.constants import LOOKUP_SEP, OnConflict
from fastjango.db.models.expressions import Case, F, Value, When
from fastjango.db.models.fields import DateField, DateTimeField, Field
from fastjango.db.models.prefetch import (
    Prefetch,
    aprefetch_related_objects,
    prefetch_plan,
    prefetch_related_objects,
)
from fastjango.db.models.query_utils import FilteredRelation, Q, refuse_sync_query
from fastjango.db.models.raw import RawQuerySet
from fastjango.db.models.signals import post_init, pre_init
from fastjango.db.models.sql import hydration, statement_cache
from fastjango.db.models.sql.compiler import SQLCompiler
from fastjango.db.models.sql.query import Query
from fastjango.db.models.utils import AltersData, resolve_callables

if TYPE_CHECKING:
    import datetime
    from typing import Self

    from typing_extensions import TypeVar

    _T = TypeVar("_T", default=Any)
else:
    from typing import TypeVar

    _T = TypeVar("_T")

__all__ = [
    "EmptyQuerySet",
    "Prefetch",
    "QuerySet",
    "RawQuerySet",
    "aprefetch_related_objects",
    "prefetch_related_objects",
]

# The maximum number of results to fetch in a get() query.
MAX_GET_RESULTS = 21
# The maximum number of items to display in a QuerySet.__repr__
REPR_OUTPUT_SIZE = 20
# Rows fetched per round trip by iterator() and aiterator().
GET_ITERATOR_CHUNK_SIZE = 100

#: how a statement run on the driver's cursor is read
_fetchall = operator.methodcaller("fetchall")

_MODE_MODEL = "model"
_MODE_VALUES = "values"
_MODE_VALUES_LIST = "values_list"
_MODE_FLAT = "flat"
_MODE_NAMED = "named"


def _sync_guard(what: str, twin: str) -> None:
    refuse_sync_query(what, f"use {twin} instead")


def _numbered_insert_plan(
    model: Any, objs: list[Any], using: str, insert: plans.Plan[None]
) -> plans.Plan[None]:
    from fastjango.db.models.order_with_respect_to import fill_orders_plan

    yield from fill_orders_plan(model, objs, using)
    yield from insert


class QuerySet(AltersData, Generic[_T]):
    """A lazy database lookup for a set of objects."""

    def __init__(
        self,
        model: Any = None,
        query: Query | None = None,
        using: str | None = None,
        hints: dict[str, Any] | None = None,
    ) -> None:
        self.model = model
        self._db = using
        self._hints = hints or {}
        # Made on first use: Model.objects.create() and friends never need one.
        self._query: Query | None = query
        self._result_cache: list[_T] | None = None
        self._sticky_filter = False
        self._for_write = False
        self._prefetch_related_lookups: tuple[Any, ...] = ()
        self._prefetch_done = False
        self._known_related_objects: dict[Any, dict[Any, Any]] = {}
        self._mode = _MODE_MODEL
        self._fields: tuple[str, ...] | None = None
        self._defer_next_filter = False
        self._deferred_filter: tuple[bool, tuple[Any, ...], dict[str, Any]] | None = None

    @property
    def query(self) -> Query:
        """Return the ``sql.Query`` (applying a filter deferred by a related manager)."""
        if self._query is None:
            self._query = Query(self.model)
        if self._deferred_filter:
            negate, args, kwargs = self._deferred_filter
            self._deferred_filter = None  # _filter_or_exclude_inplace() reads self.query
            try:
                self._filter_or_exclude_inplace(negate, args, kwargs)
            except BaseException:
                self._deferred_filter = negate, args, kwargs
                raise
        return self._query

    @query.setter
    def query(self, value: Query) -> None:
        if value.values_select:
            self._mode = _MODE_VALUES
        self._query = value

    @classmethod
    def as_manager(cls) -> Any:
        """Return a Manager whose methods are this QuerySet class's."""
        from fastjango.db.models.manager import Manager

        manager: Any = Manager.from_queryset(cls)()
        manager._built_with_as_manager = True
        return manager

    as_manager.__func__.queryset_only = True  # type: ignore[attr-defined]

    # -- Python protocol -----------------------------------------------------------

    def __deepcopy__(self, memo: dict[int, Any]) -> QuerySet[_T]:
        obj = self.__class__()
        for k, v in self.__dict__.items():
            if k == "_result_cache":
                obj.__dict__[k] = None
            else:
                obj.__dict__[k] = copy.deepcopy(v, memo)
        return obj

    def __getstate__(self) -> dict[str, Any]:
        self._fetch_all()
        return {**self.__dict__, "_fastjango_version": "1"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        state.pop("_fastjango_version", None)
        self.__dict__.update(state)

    def __repr__(self) -> str:
        data: list[Any] = list(self[: REPR_OUTPUT_SIZE + 1])
        if len(data) > REPR_OUTPUT_SIZE:
            data[-1] = "...remaining elements truncated..."
        return f"<{self.__class__.__name__} {data!r}>"

    def __len__(self) -> int:
        self._fetch_all()
        assert self._result_cache is not None
        return len(self._result_cache)

    def __iter__(self) -> Iterator[_T]:
        self._fetch_all()
        assert self._result_cache is not None
        return iter(self._result_cache)

    def __aiter__(self) -> AsyncIterator[_T]:
        async def generator() -> AsyncIterator[_T]:
            await self._afetch_all()
            assert self._result_cache is not None
            for item in self._result_cache:
                yield item

        return generator()

    def __bool__(self) -> bool:
        self._fetch_all()
        return bool(self._result_cache)

    @overload
    def __getitem__(self, k: int) -> _T: ...

    @overload
    def __getitem__(self, k: slice) -> QuerySet[_T] | list[_T]: ...

    def __getitem__(self, k: int | slice) -> Any:
        """Return one result, or a sliced QuerySet (``LIMIT``/``OFFSET``)."""
        if not isinstance(k, int | slice):
            raise TypeError(f"QuerySet indices must be integers or slices, not {type(k).__name__}.")
        if (isinstance(k, int) and k < 0) or (
            isinstance(k, slice)
            and ((k.start is not None and k.start < 0) or (k.stop is not None and k.stop < 0))
        ):
            raise ValueError("Negative indexing is not supported.")
        if self._result_cache is not None:
            return self._result_cache[k]
        if isinstance(k, slice):
            qs = self._chain()
            start = int(k.start) if k.start is not None else None
            stop = int(k.stop) if k.stop is not None else None
            qs.query.set_limits(start, stop)
            return list(qs)[:: k.step] if k.step else qs
        qs = self._chain()
        qs.query.set_limits(k, k + 1)
        qs._fetch_all()
        assert qs._result_cache is not None
        return qs._result_cache[0]

    def __class_getitem__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls

    def __and__(self, other: QuerySet[_T]) -> QuerySet[_T]:
        self._check_operator_queryset(other, "&")
        self._merge_sanity_check(other)
        if isinstance(other, EmptyQuerySet):
            return other
        if isinstance(self, EmptyQuerySet):
            return self
        combined = self._chain()
        combined._merge_known_related_objects(other)
        combined.query.combine(other.query, "AND")
        return combined

    def __or__(self, other: QuerySet[_T]) -> QuerySet[_T]:
        return self._combine_filters(other, "|", "OR")

    def __xor__(self, other: QuerySet[_T]) -> QuerySet[_T]:
        return self._combine_filters(other, "^", "XOR")

    def _combine_filters(self, other: QuerySet[_T], operator: str, connector: str) -> QuerySet[_T]:
        # | and ^ differ only in the connector; a sliced side filters by its pks.
        self._check_operator_queryset(other, operator)
        self._merge_sanity_check(other)
        if isinstance(self, EmptyQuerySet):
            return other
        if isinstance(other, EmptyQuerySet):
            return self
        query = (
            self
            if self.query.can_filter()
            else self.model._base_manager.filter(pk__in=self.values("pk"))
        )
        combined = query._chain()
        combined._merge_known_related_objects(other)
        if not other.query.can_filter():
            other = other.model._base_manager.filter(pk__in=other.values("pk"))
        combined.query.combine(other.query, connector)
        return combined

    # -- evaluation ------------------------------------------------------------------

    @property
    def statement(self) -> Any:
        """Return the SQLAlchemy ``Select`` this queryset runs (on its database)."""
        return SQLCompiler(self.query, connections[self.db]).as_select()

    def _compile(
        self, connection: Any
    ) -> tuple[
        Any, dict[str, Any] | None, hydration.RowFactory, statement_cache.CachedSelect | None
    ]:
        """Return the statement, the values it binds by name (or None), the row factory
        and the statement cache's entry when the statement came from there."""
        query = self.query
        if query.select_for_update and connection.features.has_select_for_update:
            if not connection.in_atomic_block:
                raise transaction.TransactionManagementError(
                    "select_for_update cannot be used outside of a transaction."
                )
        compiler = SQLCompiler(query, connection)
        shape = statement_cache.shape(query, self.db, connection.vendor)
        if shape is None:
            statement = compiler.as_select()
            return statement, None, self._row_factory(compiler), None
        key, leaves = shape
        cached = statement_cache.lookup(key)
        if cached is None:
            compiler.bind_slots = {
                id(leaf): statement_cache.slot_name(index) for index, leaf in enumerate(leaves)
            }
            statement = compiler.as_select()
            if compiler.slots_bound == set(compiler.bind_slots.values()):
                statement_cache.store(
                    key,
                    statement_cache.CachedSelect(
                        statement,
                        compiler.klass_info,
                        compiler.column_names,
                        compiler.annotation_positions,
                    ),
                )
            return statement, None, self._row_factory(compiler), None
        params = statement_cache.slot_params(leaves, compiler) if leaves else None
        # A factory decides at creation whether instances go through __init__ (for
        # pre_init/post_init receivers), so the signals' versions are part of its key.
        factory_key = (self._mode, self.db, self._fields, pre_init.version, post_init.version)
        factory = cached.factories.get(factory_key)
        if factory is None:
            compiler.klass_info = cached.klass_info
            compiler.column_names = cached.column_names
            compiler.annotation_positions = cached.annotation_positions
            factory = cached.factories[factory_key] = self._row_factory(compiler)
        return cached.statement, params, factory, cached

    def _row_factory(self, compiler: SQLCompiler) -> hydration.RowFactory:
        mode = self._mode
        db = self.db
        if mode == _MODE_MODEL:
            assert compiler.klass_info is not None
            return hydration.ModelRows(compiler.klass_info, db, compiler.annotation_positions)
        names = compiler.column_names
        if mode == _MODE_VALUES:
            return hydration.ValuesRows(names)
        fields = list(self._fields or ())
        order: list[int] | None = None
        if fields:
            wanted = [*fields, *(f for f in self.query.annotation_select if f not in fields)]
            if wanted != names:
                index = {name: i for i, name in enumerate(names)}
                order = [index[f] for f in wanted]
        if mode == _MODE_FLAT:
            return hydration.FlatValuesListRows(order[0] if order else 0)
        if mode == _MODE_NAMED:
            row_names = (
                [*fields, *(f for f in self.query.annotation_select if f not in fields)]
                if fields
                else names
            )
            return hydration.NamedValuesListRows(row_names, order)
        return hydration.ValuesListRows(order)

    def _fetch_rows(self) -> list[Any]:
        connection = connections[self.db]
        try:
            statement, params, factory, cached = self._compile(connection)
        except EmptyResultSet:
            return []
        if cached is not None and connection.runs_direct():
            dialect = connection.direct_dialect()
            known_for, direct = cached.direct
            if known_for is not dialect:
                direct = connection.direct_statement(statement, frozenset(params or ()))
                cached.direct = (dialect, direct)
            if direct is not None:
                rows = connection.execute_direct(direct, params, _fetchall)
                return self._finish_rows(factory(rows))
        rows = connection.execute(statement, params).all()
        return self._finish_rows(factory(rows))

    async def _afetch_rows(self) -> list[Any]:
        connection = connections[self.db]
        try:
            statement, params, factory, _ = self._compile(connection)
        except EmptyResultSet:
            return []
        result = await connection.aexecute(statement, params)
        return self._finish_rows(factory(result.all()))

    def _finish_rows(self, results: list[Any]) -> list[Any]:
        if self._known_related_objects and self._mode == _MODE_MODEL:
            for field, objs in self._known_related_objects.items():
                for obj in results:
                    if field.is_cached(obj):
                        continue
                    rel_obj_id = getattr(obj, field.attname)
                    try:
                        rel_obj = objs[rel_obj_id]
                    except KeyError:
                        pass
                    else:
                        setattr(obj, field.name, rel_obj)
        return results

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            _sync_guard(
                f"Evaluating a {type(self).__name__}",
                "'async for', 'await qs.aget()' or another a*() method",
            )
            self._result_cache = self._fetch_rows()
        if self._prefetch_related_lookups and not self._prefetch_done:
            plans.run_sync(self._prefetch_plan())

    async def _afetch_all(self) -> None:
        if self._result_cache is None:
            self._result_cache = await self._afetch_rows()
        if self._prefetch_related_lookups and not self._prefetch_done:
            await plans.run_async(self._prefetch_plan())

    def _prefetch_plan(self) -> plans.Plan[None]:
        assert self._result_cache is not None
        yield from prefetch_plan(self._result_cache, self._prefetch_related_lookups)
        self._prefetch_done = True

    def iterator(self, chunk_size: int | None = None) -> Iterator[_T]:
        """Yield results without caching them, fetching ``chunk_size`` rows at a time.

        A server-side cursor streams the rows where the database supports it.
        """
        if chunk_size is None:
            if self._prefetch_related_lookups:
                raise ValueError(
                    "chunk_size must be provided when using QuerySet.iterator() after "
                    "prefetch_related()."
                )
            chunk_size = 2000
        elif chunk_size <= 0:
            raise ValueError("Chunk size must be strictly positive.")
        _sync_guard("QuerySet.iterator()", "'async for obj in qs.aiterator()'")
        return self._iterator(chunk_size)

    def _stream_options(self, connection: Any, chunk_size: int) -> dict[str, Any]:
        if connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"):
            return {}
        if connection.vendor == "mysql":
            return {}
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # A server-side cursor lives in a transaction; outside one, fetch in chunks.
            return {}
        return {"yield_per": chunk_size}

    def _iterator(self, chunk_size: int) -> Iterator[_T]:
        connection = connections[self.db]
        try:
            statement, params, factory, _ = self._compile(connection)
        except EmptyResultSet:
            return
        options = self._stream_options(connection, chunk_size)
        with connection.connect() as conn:
            result = conn.execute(statement.execution_options(**options), params)
            for rows in result.partitions(chunk_size):
                objs = self._finish_rows(factory(rows))
                if self._prefetch_related_lookups:
                    plans.run_sync(prefetch_plan(objs, self._prefetch_related_lookups))
                yield from objs

    async def aiterator(self, chunk_size: int = 2000) -> AsyncIterator[_T]:
        """Async twin of ``iterator()``: ``async for obj in qs.aiterator()``."""
        if chunk_size <= 0:
            raise ValueError("Chunk size must be strictly positive.")
        connection = connections[self.db]
        try:
            statement, params, factory, _ = self._compile(connection)
        except EmptyResultSet:
            return
        options = self._stream_options(connection, chunk_size)
        async with connection.aconnect() as conn:
            if options:
                result = await conn.stream(statement.execution_options(**options), params)
                async for rows in result.partitions(chunk_size):
                    objs = self._finish_rows(factory(rows))
                    if self._prefetch_related_lookups:
                        await plans.run_async(prefetch_plan(objs, self._prefetch_related_lookups))
                    for obj in objs:
                        yield obj
                return
            buffered = await conn.execute(statement, params)
            for rows in buffered.partitions(chunk_size):
                objs = self._finish_rows(factory(rows))
                if self._prefetch_related_lookups:
                    await plans.run_async(prefetch_plan(objs, self._prefetch_related_lookups))
                for obj in objs:
                    yield obj

    # -- aggregation and counting --------------------------------------------------------

    def _aggregate_query(self, args: Sequence[Any], kwargs: dict[str, Any]) -> Any:
        if self.query.distinct_fields:
            raise NotImplementedError("aggregate() + distinct(fields) not implemented.")
        self._validate_values_are_expressions((*args, *kwargs.values()), method_name="aggregate")
        for arg in args:
            try:
                alias = arg.default_alias
            except (AttributeError, TypeError):
                raise TypeError("Complex aggregates require an alias") from None
            kwargs[alias] = arg
        return self.query.chain().get_aggregation_query(kwargs)

    def _aggregate_statement(
        self, args: Sequence[Any], kwargs: dict[str, Any]
    ) -> tuple[Any, list[str], list[Any]]:
        query, empty = self._aggregate_query(args, dict(kwargs))
        names = list(query.annotation_select)
        try:
            statement = SQLCompiler(query, connections[self.db]).as_select()
        except EmptyResultSet:
            statement = None
        return statement, names, empty

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Return a dict of aggregate values over the queryset (``Avg``, ``Count``, ...)."""
        _sync_guard("QuerySet.aggregate()", "'await qs.aaggregate()'")
        statement, names, empty = self._aggregate_statement(args, kwargs)
        if statement is None:
            return dict(zip(names, empty, strict=True))
        row = connections[self.db].execute(statement).first()
        return dict(zip(names, row if row is not None else empty, strict=True))

    async def aaggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Async twin of ``aggregate()``."""
        statement, names, empty = self._aggregate_statement(args, kwargs)
        if statement is None:
            return dict(zip(names, empty, strict=True))
        result = await connections[self.db].aexecute(statement)
        row = result.first()
        return dict(zip(names, row if row is not None else empty, strict=True))

    def _count_statement(self) -> Any:
        from fastjango.db.models.aggregates import Count

        query, _ = self.query.chain().get_aggregation_query({"__count": Count("*")})
        try:
            return SQLCompiler(query, connections[self.db]).as_select()
        except EmptyResultSet:
            return None

    def count(self) -> int:
        """Return the number of rows (``len()`` of the cache when already evaluated)."""
        if self._result_cache is not None:
            return len(self._result_cache)
        _sync_guard("QuerySet.count()", "'await qs.acount()'")
        statement = self._count_statement()
        if statement is None:
            return 0
        return int(connections[self.db].execute(statement).scalar() or 0)

    async def acount(self) -> int:
        """Async twin of ``count()``."""
        if self._result_cache is not None:
            return len(self._result_cache)
        statement = self._count_statement()
        if statement is None:
            return 0
        result = await connections[self.db].aexecute(statement)
        return int(result.scalar() or 0)

    # -- single objects ----------------------------------------------------------------------

    def _get_clone(
        self, args: Sequence[Any], kwargs: dict[str, Any]
    ) -> tuple[QuerySet[_T], int | None]:
        if self.query.combinator and (args or kwargs):
            raise NotSupportedError(
                f"Calling QuerySet.get(...) with filters after {self.query.combinator}() is not "
                "supported."
            )
        clone = self._chain() if self.query.combinator else self.filter(*args, **kwargs)
        if self.query.can_filter() and not self.query.distinct_fields:
            clone = clone.order_by()
        limit: int | None = None
        if not clone.query.select_for_update or connections[clone.db].vendor != "oracle":
            limit = MAX_GET_RESULTS
            clone.query.set_limits(high=limit)
        return clone, limit

    def _get_result(self, results: list[_T], limit: int | None) -> _T:
        num = len(results)
        if num == 1:
            return results[0]
        if not num:
            raise self.model.DoesNotExist(
                f"{self.model._meta.object_name} matching query does not exist."
            )
        count = num if not limit or num < limit else f"more than {limit - 1}"
        raise self.model.MultipleObjectsReturned(
            f"get() returned more than one {self.model._meta.object_name} -- it returned {count}!"
        )

    def get(self, *args: Any, **kwargs: Any) -> _T:
        """Return the one object matching the lookups.

        Raise ``Model.DoesNotExist`` if none does and
        ``Model.MultipleObjectsReturned`` if several do.
        """
        _sync_guard("QuerySet.get()", "'await qs.aget()'")
        clone, limit = self._get_clone(args, kwargs)
        clone._fetch_all()
        assert clone._result_cache is not None
        return self._get_result(clone._result_cache, limit)

    async def aget(self, *args: Any, **kwargs: Any) -> _T:
        """Async twin of ``get()``."""
        clone, limit = self._get_clone(args, kwargs)
        await clone._afetch_all()
        assert clone._result_cache is not None
        return self._get_result(clone._result_cache, limit)

    def create(self, **kwargs: Any) -> _T:
        """Create, save and return an object."""
        reverse_one_to_one = [
            f.name for f in self.model._meta.related_objects if f.one_to_one and f.name in kwargs
        ]
        if reverse_one_to_one:
            raise ValueError(
                "The following fields do not exist in this model: " + ", ".join(reverse_one_to_one)
            )
        obj = self.model(**kwargs)
        self._for_write = True
        obj.save(force_insert=True, using=self.db)
        return obj  # type: ignore[no-any-return]

    create.alters_data = True  # type: ignore[attr-defined]

    async def acreate(self, **kwargs: Any) -> _T:
        """Async twin of ``create()``."""
        obj = self.model(**kwargs)
        self._for_write = True
        await obj.asave(force_insert=True, using=self.db)
        return obj  # type: ignore[no-any-return]

    acreate.alters_data = True  # type: ignore[attr-defined]

    def _extract_model_params(
        self, defaults: dict[str, Any] | None, **kwargs: Any
    ) -> dict[str, Any]:
        defaults = defaults or {}
        params = {k: v for k, v in kwargs.items() if LOOKUP_SEP not in k}
        params.update(defaults)
        property_names = self.model._meta._property_names
        invalid = []
        for param in params:
            try:
                self.model._meta.get_field(param)
            except exceptions.FieldDoesNotExist:
                if not (param in property_names and getattr(self.model, param).fset):
                    invalid.append(param)
        if invalid:
            raise exceptions.FieldError(
                f"Invalid field name(s) for model {self.model._meta.object_name}: "
                f"'{', '.join(sorted(invalid))}'."
            )
        return params

    def _get_or_create_plan(
        self, defaults: dict[str, Any] | None, kwargs: dict[str, Any]
    ) -> plans.Plan[tuple[_T, bool]]:
        self._for_write = True
        get_qs, limit = self._get_clone((), kwargs)
        try:
            results = yield plans.Fetch(get_qs)
            return self._get_result(results, limit), False
        except self.model.DoesNotExist:
            pass
        params = self._extract_model_params(defaults, **kwargs)
        try:
            obj = yield plans.Atomic(self.db, self._create_plan(params))
            return obj, True
        except IntegrityError:
            retry, limit = self._get_clone((), kwargs)
            try:
                results = yield plans.Fetch(retry)
                return self._get_result(results, limit), False
            except self.model.DoesNotExist:
                pass
            raise

    def _create_plan(self, params: dict[str, Any]) -> plans.Plan[Any]:
        params = dict(resolve_callables(params))
        obj = self.model(**params)
        arguments = obj._save_arguments(True, False, self.db, None)
        db, fields, insert = arguments
        yield from obj._save_base_plan(False, insert, False, db, fields)
        return obj

    def get_or_create(
        self, defaults: dict[str, Any] | None = None, **kwargs: Any
    ) -> tuple[_T, bool]:
        """Return ``(object, created)``: the matching object, or a new one saved."""
        _sync_guard("QuerySet.get_or_create()", "'await qs.aget_or_create()'")
        return plans.run_sync(self._get_or_create_plan(defaults, kwargs))

    get_or_create.alters_data = True  # type: ignore[attr-defined]

    async def aget_or_create(
        self, defaults: dict[str, Any] | None = None, **kwargs: Any
    ) -> tuple[_T, bool]:
        """Async twin of ``get_or_create()``."""
        return await plans.run_async(self._get_or_create_plan(defaults, kwargs))

    aget_or_create.alters_data = True  # type: ignore[attr-defined]

    def _update_or_create_plan(
        self,
        defaults: dict[str, Any] | None,
        create_defaults: dict[str, Any] | None,
        kwargs: dict[str, Any],
    ) -> plans.Plan[tuple[_T, bool]]:
        update_defaults = defaults or {}
        if create_defaults is None:
            create_defaults = update_defaults
        self._for_write = True
        locked = self.select_for_update()
        obj, created = yield from locked._get_or_create_plan(create_defaults, kwargs)
        if created:
            return obj, created
        for k, v in resolve_callables(update_defaults):
            setattr(obj, k, v)
        update_fields = set(update_defaults)
        concrete_names = self.model._meta._non_pk_concrete_field_names
        if concrete_names.issuperset(update_fields):
            # Fields that set themselves on save (auto_now) are saved too, as in Django.
            for field in self.model._meta.local_concrete_fields:
                if not (field.primary_key or field.__class__.pre_save is Field.pre_save):
                    update_fields.add(field.name)
                    if field.name != field.attname:
                        update_fields.add(field.attname)
            arguments = obj._save_arguments(False, False, self.db, update_fields)  # type: ignore[attr-defined]
        else:
            arguments = obj._save_arguments(False, False, self.db, None)  # type: ignore[attr-defined]
        if arguments is not None:
            db, fields, insert = arguments
            yield from obj._save_base_plan(False, insert, False, db, fields)  # type: ignore[attr-defined]
        return obj, False

    def update_or_create(
        self,
        defaults: dict[str, Any] | None = None,
        create_defaults: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> tuple[_T, bool]:
        """Update the matching object with ``defaults``, or create it; return ``(obj, created)``."""
        _sync_guard("QuerySet.update_or_create()", "'await qs.aupdate_or_create()'")
        with transaction.atomic(using=self.db):
            return plans.run_sync(self._update_or_create_plan(defaults, create_defaults, kwargs))

    update_or_create.alters_data = True  # type: ignore[attr-defined]

    async def aupdate_or_create(
        self,
        defaults: dict[str, Any] | None = None,
        create_defaults: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> tuple[_T, bool]:
        """Async twin of ``update_or_create()``."""
        async with transaction.atomic(using=self.db):
            return await plans.run_async(
                self._update_or_create_plan(defaults, create_defaults, kwargs)
            )

    aupdate_or_create.alters_data = True  # type: ignore[attr-defined]

    def _earliest_clone(self, fields: Sequence[Any]) -> QuerySet[_T]:
        if fields:
            order_by: Any = fields
        else:
            order_by = self.model._meta.get_latest_by
            if order_by and not isinstance(order_by, tuple | list):
                order_by = (order_by,)
        if order_by is None:
            raise ValueError(
                "earliest() and latest() require either fields as positional arguments or "
                "'get_latest_by' in the model's Meta."
            )
        obj = self._chain()
        obj.query.set_limits(high=1)
        obj.query.clear_ordering(force=True)
        obj.query.add_ordering(*order_by)
        return obj

    def _latest_clone(self, fields: Sequence[Any]) -> QuerySet[_T]:
        if self.query.is_sliced:
            raise TypeError("Cannot change a query once a slice has been taken.")
        return self.reverse()._earliest_clone(fields)

    def earliest(self, *fields: Any) -> _T:
        """Return the first object by ``fields`` (or ``Meta.get_latest_by``)."""
        if self.query.is_sliced:
            raise TypeError("Cannot change a query once a slice has been taken.")
        return self._earliest_clone(fields).get()

    async def aearliest(self, *fields: Any) -> _T:
        """Async twin of ``earliest()``."""
        if self.query.is_sliced:
            raise TypeError("Cannot change a query once a slice has been taken.")
        return await self._earliest_clone(fields).aget()

    def latest(self, *fields: Any) -> _T:
        """Return the last object by ``fields`` (or ``Meta.get_latest_by``)."""
        return self._latest_clone(fields).get()

    async def alatest(self, *fields: Any) -> _T:
        """Async twin of ``latest()``."""
        return await self._latest_clone(fields).aget()

    def _first_clone(self, last: bool) -> QuerySet[_T]:
        method = "last" if last else "first"
        if self.ordered:
            queryset = self.reverse() if last else self
        else:
            self._check_ordering_first_last_queryset_aggregation(method=method)
            queryset = self.order_by("-pk" if last else "pk")
        return queryset[:1]  # type: ignore[return-value]

    def first(self) -> _T | None:
        """Return the first object (by pk when unordered), or None."""
        for obj in self._first_clone(last=False):
            return obj
        return None

    async def afirst(self) -> _T | None:
        """Async twin of ``first()``."""
        clone = self._first_clone(last=False)
        await clone._afetch_all()
        return clone._result_cache[0] if clone._result_cache else None

    def last(self) -> _T | None:
        """Return the last object (by pk when unordered), or None."""
        for obj in self._first_clone(last=True):
            return obj
        return None

    async def alast(self) -> _T | None:
        """Async twin of ``last()``."""
        clone = self._first_clone(last=True)
        await clone._afetch_all()
        return clone._result_cache[0] if clone._result_cache else None

    def _in_bulk_plan(
        self, id_list: Iterable[Any] | None, field_name: str
    ) -> plans.Plan[dict[Any, _T]]:
        if self.query.is_sliced:
            raise TypeError("Cannot use 'limit' or 'offset' with in_bulk().")
        opts = self.model._meta
        unique_fields = [
            constraint.fields[0]
            for constraint in opts.total_unique_constraints
            if len(constraint.fields) == 1
        ]
        if (
            field_name != "pk"
            and not opts.get_field(field_name).unique
            and field_name not in unique_fields
            and self.query.distinct_fields != (field_name,)
        ):
            raise ValueError(
                f"in_bulk()'s field_name must be a unique field but {field_name!r} isn't."
            )
        results: list[Any] = []
        if id_list is not None:
            ids = tuple(id_list)
            if not ids:
                return {}
            filter_key = f"{field_name}__in"
            batch_size = connections[self.db].features.max_query_params
            if batch_size and batch_size < len(ids):
                for offset in range(0, len(ids), batch_size):
                    batch = ids[offset : offset + batch_size]
                    results.extend((yield plans.Fetch(self.filter(**{filter_key: batch}))))
            else:
                results = yield plans.Fetch(self.filter(**{filter_key: ids}))
        else:
            results = yield plans.Fetch(self._chain())
        return {getattr(obj, field_name): obj for obj in results}

    def in_bulk(
        self, id_list: Iterable[Any] | None = None, *, field_name: str = "pk"
    ) -> dict[Any, _T]:
        """Return ``{value of field_name: object}`` for ``id_list`` (or every object)."""
        _sync_guard("QuerySet.in_bulk()", "'await qs.ain_bulk()'")
        return plans.run_sync(self._in_bulk_plan(id_list, field_name))

    async def ain_bulk(
        self, id_list: Iterable[Any] | None = None, *, field_name: str = "pk"
    ) -> dict[Any, _T]:
        """Async twin of ``in_bulk()``."""
        return await plans.run_async(self._in_bulk_plan(id_list, field_name))

    # -- writes ------------------------------------------------------------------------------

    def _check_bulk_create_options(
        self,
        ignore_conflicts: bool,
        update_conflicts: bool,
        update_fields: Sequence[Any] | None,
        unique_fields: Sequence[Any] | None,
    ) -> OnConflict | None:
        if ignore_conflicts and update_conflicts:
            raise ValueError("ignore_conflicts and update_conflicts are mutually exclusive.")
        features = connections[self.db].features
        if ignore_conflicts:
            if not features.supports_ignore_conflicts:
                raise NotSupportedError(
                    "This database backend does not support ignoring conflicts."
                )
            return OnConflict.IGNORE
        if update_conflicts:
            if not features.supports_update_conflicts:
                raise NotSupportedError(
                    "This database backend does not support updating conflicts."
                )
            if not update_fields:
                raise ValueError(
                    "Fields that will be updated when a row insertion fails on conflicts must be "
                    "provided."
                )
            if unique_fields and not features.supports_update_conflicts_with_target:
                raise NotSupportedError(
                    "This database backend does not support updating conflicts with specifying "
                    "unique fields that can trigger the upsert."
                )
            if not unique_fields and features.supports_update_conflicts_with_target:
                raise ValueError("Unique fields that can trigger the upsert must be provided.")
            if any(not f.concrete or f.many_to_many for f in update_fields):
                raise ValueError(
                    "bulk_create() can only be used with concrete fields in update_fields."
                )
            if any(f.primary_key for f in update_fields):
                raise ValueError("bulk_create() cannot be used with primary keys in update_fields.")
            if unique_fields and any(not f.concrete or f.many_to_many for f in unique_fields):
                raise ValueError(
                    "bulk_create() can only be used with concrete fields in unique_fields."
                )
            return OnConflict.UPDATE
        return None

    def _bulk_create_plan(
        self,
        objs: Iterable[_T],
        batch_size: int | None,
        ignore_conflicts: bool,
        update_conflicts: bool,
        update_fields: Sequence[str] | None,
        unique_fields: Sequence[str] | None,
    ) -> plans.Plan[list[_T]]:
        from fastjango.db.models.sql.bulk import bulk_insert_plan

        if batch_size is not None and batch_size <= 0:
            raise ValueError("Batch size must be a positive integer.")
        # A parent with another concrete model means more than one table to insert into
        # (a proxy of a multi-table child included).
        for parent in self.model._meta.all_parents:
            if parent._meta.concrete_model is not self.model._meta.concrete_model:
                raise ValueError("Can't bulk create a multi-table inherited model")
        objs = list(objs)
        if not objs:
            return objs
        opts = self.model._meta
        unique = (
            [opts.get_field(opts.pk.name if name == "pk" else name) for name in unique_fields]
            if unique_fields
            else None
        )
        update = [opts.get_field(name) for name in update_fields] if update_fields else None
        on_conflict = self._check_bulk_create_options(
            ignore_conflicts, update_conflicts, update, unique
        )
        self._for_write = True
        pk_field = opts.pk
        pk_attname = pk_field.attname
        # Both steps are per object; skipped where they can't do anything.
        pk_default = (
            pk_field.has_default()
            or type(pk_field).get_pk_value_on_save is not Field.get_pk_value_on_save
        )
        relations = opts.private_fields or any(f.is_relation for f in opts.concrete_fields)
        for obj in objs:
            if pk_default and getattr(obj, pk_attname) is None:
                value = pk_field.get_pk_value_on_save(obj)
                if value is not None:  # a default (UUID...); auto keys come from the database
                    setattr(obj, pk_attname, value)
            if relations:
                obj._prepare_related_fields_for_save(operation_name="bulk_create")  # type: ignore[attr-defined]
        insert = bulk_insert_plan(
            self.model, objs, self.db, batch_size, on_conflict, update, unique
        )
        if opts.order_with_respect_to:
            insert = _numbered_insert_plan(self.model, objs, self.db, insert)
        yield plans.Atomic(self.db, insert, savepoint=False)
        return objs

    def bulk_create(
        self,
        objs: Iterable[_T],
        batch_size: int | None = None,
        ignore_conflicts: bool = False,
        update_conflicts: bool = False,
        update_fields: Sequence[str] | None = None,
        unique_fields: Sequence[str] | None = None,
    ) -> list[_T]:
        """Insert ``objs`` in as few queries as possible; no ``save()`` or signals.

        Primary keys are set where the database returns them (PostgreSQL,
        SQLite, MariaDB).
        """
        _sync_guard("QuerySet.bulk_create()", "'await qs.abulk_create()'")
        return plans.run_sync(
            self._bulk_create_plan(
                objs, batch_size, ignore_conflicts, update_conflicts, update_fields, unique_fields
            )
        )

    bulk_create.alters_data = True  # type: ignore[attr-defined]

    async def abulk_create(
        self,
        objs: Iterable[_T],
        batch_size: int | None = None,
        ignore_conflicts: bool = False,
        update_conflicts: bool = False,
        update_fields: Sequence[str] | None = None,
        unique_fields: Sequence[str] | None = None,
    ) -> list[_T]:
        """Async twin of ``bulk_create()``."""
        return await plans.run_async(
            self._bulk_create_plan(
                objs, batch_size, ignore_conflicts, update_conflicts, update_fields, unique_fields
            )
        )

    abulk_create.alters_data = True  # type: ignore[attr-defined]

    def _bulk_update_plan(
        self, objs: Iterable[_T], fields: Sequence[str], batch_size: int | None
    ) -> plans.Plan[int]:
        if batch_size is not None and batch_size <= 0:
            raise ValueError("Batch size must be a positive integer.")
        if not fields:
            raise ValueError("Field names must be given to bulk_update().")
        objs = tuple(objs)
        if any(obj.pk is None for obj in objs):  # type: ignore[attr-defined]
            raise ValueError("All bulk_update() objects must have a primary key set.")
        field_objs = [self.model._meta.get_field(name) for name in fields]
        if any(not f.concrete or f.many_to_many for f in field_objs):
            raise ValueError("bulk_update() can only be used with concrete fields.")
        if any(f.primary_key for f in field_objs):
            raise ValueError("bulk_update() cannot be used with primary key fields.")
        if not objs:
            return 0
        for obj in objs:
            obj._prepare_related_fields_for_save(  # type: ignore[attr-defined]
                operation_name="bulk_update", fields=field_objs
            )
        max_params = connections[self.db].features.max_query_params
        size = batch_size or (
            max(1, max_params // (len(field_objs) + 1)) if max_params else len(objs)
        )
        batches = [objs[i : i + size] for i in range(0, len(objs), size)]
        rows: int = yield plans.Atomic(
            self.db, self._bulk_update_batches(batches, field_objs), savepoint=False
        )
        return rows

    def _bulk_update_batches(
        self, batches: list[tuple[Any, ...]], fields: list[Any]
    ) -> plans.Plan[int]:
        from fastjango.db.models.sql.writes import update_statement

        concrete = self.model._meta.concrete_model
        # A multi-table child's fields live in several tables: one UPDATE per table, the
        # child's first; the rows counted are the first table's, as Django counts them.
        by_model: dict[Any, list[Any]] = {}
        for field in fields:
            by_model.setdefault(field.model._meta.concrete_model, []).append(field)
        models = sorted(by_model, key=lambda model: model is not concrete)
        rows = 0
        for batch in batches:
            for index, model in enumerate(models):
                meta = model._meta
                values = []
                for field in by_model[model]:
                    whens = []
                    for obj in batch:
                        attr = getattr(obj, field.attname)
                        if not hasattr(attr, "resolve_expression"):
                            attr = Value(attr, output_field=field)
                        whens.append(When(pk=obj._get_pk_val(meta), then=attr))
                    values.append((field, None, Case(*whens, output_field=field)))
                pks = [obj._get_pk_val(meta) for obj in batch]
                if model is concrete:
                    qs = self.filter(pk__in=pks)
                else:
                    qs = model._base_manager.using(self.db).filter(pk__in=pks)
                statement = update_statement(qs, values)
                if statement is None:
                    continue
                result = yield plans.Execute(self.db, statement)
                if index == 0:
                    rows += result.rowcount
        return rows

    def bulk_update(
        self, objs: Iterable[_T], fields: Sequence[str], batch_size: int | None = None
    ) -> int:
        """Update ``fields`` of ``objs`` in few queries; return the number of rows matched."""
        _sync_guard("QuerySet.bulk_update()", "'await qs.abulk_update()'")
        return plans.run_sync(self._bulk_update_plan(objs, fields, batch_size))

    bulk_update.alters_data = True  # type: ignore[attr-defined]

    async def abulk_update(
        self, objs: Iterable[_T], fields: Sequence[str], batch_size: int | None = None
    ) -> int:
        """Async twin of ``bulk_update()``."""
        return await plans.run_async(self._bulk_update_plan(objs, fields, batch_size))

    abulk_update.alters_data = True  # type: ignore[attr-defined]

    def _delete_collector(self) -> Any:
        from fastjango.db.models.deletion import Collector

        self._not_support_combined_queries("delete")
        if self.query.is_sliced:
            raise TypeError("Cannot use 'limit' or 'offset' with delete().")
        if self.query.distinct_fields:
            raise TypeError("Cannot call delete() after .distinct(*fields).")
        if self._mode != _MODE_MODEL:
            raise TypeError("Cannot call delete() after .values() or .values_list()")
        del_query = self._chain()
        del_query._for_write = True
        del_query.query.select_for_update = False
        del_query.query.select_related = False
        del_query.query.clear_ordering(force=True)
        collector = Collector(using=del_query.db, origin=self)
        collector.collect(del_query)
        return collector

    def delete(self) -> tuple[int, dict[str, int]]:
        """Delete the matching rows (and, per ``on_delete``, those referring to them).

        Return ``(total, {model label: count})``.
        """
        _sync_guard("QuerySet.delete()", "'await qs.adelete()'")
        collector = self._delete_collector()
        result: tuple[int, dict[str, int]] = plans.run_sync(collector.delete_plan())
        self._result_cache = None
        return result

    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]

    async def adelete(self) -> tuple[int, dict[str, int]]:
        """Async twin of ``delete()``."""
        collector = self._delete_collector()
        result: tuple[int, dict[str, int]] = await plans.run_async(collector.delete_plan())
        self._result_cache = None
        return result

    adelete.alters_data = True  # type: ignore[attr-defined]
    adelete.queryset_only = True  # type: ignore[attr-defined]

    def _raw_delete_statement(self, using: str) -> Any:
        from fastjango.db.models.sql.writes import delete_statement

        return delete_statement(self.query, using)

    def _update_values(self, kwargs: dict[str, Any]) -> list[tuple[Any, Any, Any]]:
        if not kwargs:
            raise TypeError("update() needs at least one field to set, as keyword arguments.")
        opts = self.model._meta
        values = []
        for name, val in kwargs.items():
            field = opts.get_field(name)
            direct = not (field.auto_created and not field.concrete) or not field.concrete
            model = field.model._meta.concrete_model if field.model else None
            if not direct or (field.is_relation and field.many_to_many):
                raise exceptions.FieldError(
                    f"Cannot update model field {field!r} (only non-relations and foreign keys "
                    "permitted)."
                )
            values.append((field, model, val))
        return values

    def _update_statement(self, kwargs: dict[str, Any]) -> Any:
        from fastjango.db.models.sql.writes import update_statement

        self._not_support_combined_queries("update")
        if self.query.is_sliced:
            raise TypeError("Cannot update a query once a slice has been taken.")
        self._for_write = True
        values = self._update_values(kwargs)
        query = self._chain()
        query.query.clear_ordering(force=True)
        return update_statement(query, values)

    def _inherited_update_plan(
        self, by_model: dict[Any, list[tuple[Any, Any, Any]]]
    ) -> plans.Plan[int]:
        """Update a multi-table child: the keys of the matching rows, then one UPDATE a table."""
        from fastjango.db.models.sql.writes import update_statement

        concrete = self.model._meta.concrete_model
        # The child's rows first, as Django runs them; each parent's keys are read up front.
        models = sorted(by_model, key=lambda model: model is not concrete)
        keys = self._chain()
        keys.query.clear_ordering(force=True)
        keys.query.select_related = False
        rows = yield plans.Fetch(keys.values_list(*(model._meta.pk.name for model in models)))
        count: int | None = None
        for index, model in enumerate(models):
            pks = list({row[index] for row in rows})
            changed = 0
            for start in range(0, len(pks), 500):
                qs = model._base_manager.using(self.db).filter(pk__in=pks[start : start + 500])
                statement = update_statement(qs, by_model[model])
                if statement is not None:
                    result = yield plans.Execute(self.db, statement)
                    changed += result.rowcount
            if count is None:
                count = changed
        return count or 0

    def _atomic_update_plan(self, kwargs: dict[str, Any]) -> plans.Plan[int]:
        # Bad arguments raise before the transaction starts (it would be marked for rollback).
        self._not_support_combined_queries("update")
        if self.query.is_sliced:
            raise TypeError("Cannot update a query once a slice has been taken.")
        self._for_write = True
        concrete = self.model._meta.concrete_model
        by_model: dict[Any, list[tuple[Any, Any, Any]]] = {}
        for value in self._update_values(kwargs):
            by_model.setdefault(value[1] or concrete, []).append(value)
        count: int = yield plans.Atomic(
            self.db, self._inherited_update_plan(by_model), savepoint=False
        )
        return count

    def update(self, **kwargs: Any) -> int:
        """Set fields on every matching row in one UPDATE; return the number of rows.

        No ``save()``, no signals; ``F()`` expressions work. A multi-table child
        gets one UPDATE per table whose fields change, as in Django.
        """
        _sync_guard("QuerySet.update()", "'await qs.aupdate()'")
        if self.model._meta.concrete_model._meta.parents:
            self._result_cache = None
            return plans.run_sync(self._atomic_update_plan(kwargs))
        statement = self._update_statement(kwargs)
        self._result_cache = None
        if statement is None:
            return 0
        with transaction.mark_for_rollback_on_error(using=self.db):
            return int(connections[self.db].execute(statement).rowcount)

    update.alters_data = True  # type: ignore[attr-defined]

    async def aupdate(self, **kwargs: Any) -> int:
        """Async twin of ``update()``."""
        if self.model._meta.concrete_model._meta.parents:
            self._result_cache = None
            return await plans.run_async(self._atomic_update_plan(kwargs))
        statement = self._update_statement(kwargs)
        self._result_cache = None
        if statement is None:
            return 0
        with transaction.mark_for_rollback_on_error(using=self.db):
            result = await connections[self.db].aexecute(statement)
        return int(result.rowcount)

    aupdate.alters_data = True  # type: ignore[attr-defined]

    def _exists_statement(self) -> Any:
        query = self.query.exists()
        try:
            return SQLCompiler(query, connections[self.db]).as_select()
        except EmptyResultSet:
            return None

    def exists(self) -> bool:
        """Return whether any row matches (``bool()`` of the cache when evaluated)."""
        if self._result_cache is not None:
            return bool(self._result_cache)
        _sync_guard("QuerySet.exists()", "'await qs.aexists()'")
        statement = self._exists_statement()
        if statement is None:
            return False
        return connections[self.db].execute(statement).first() is not None

    async def aexists(self) -> bool:
        """Async twin of ``exists()``."""
        if self._result_cache is not None:
            return bool(self._result_cache)
        statement = self._exists_statement()
        if statement is None:
            return False
        result = await connections[self.db].aexecute(statement)
        return result.first() is not None

    def _contains_check(self, obj: Any) -> QuerySet[_T] | None:
        self._not_support_combined_queries("contains")
        if self._mode != _MODE_MODEL:
            raise TypeError("Cannot call QuerySet.contains() after .values() or .values_list().")
        try:
            if obj._meta.concrete_model != self.model._meta.concrete_model:
                return None
        except AttributeError:
            raise TypeError("'obj' must be a model instance.") from None
        if obj.pk is None:
            raise ValueError("QuerySet.contains() cannot be used on unsaved objects.")
        return self.filter(pk=obj.pk)

    def contains(self, obj: Any) -> bool:
        """Return whether ``obj`` is in the queryset."""
        qs = self._contains_check(obj)
        if qs is None:
            return False
        if self._result_cache is not None:
            return obj in self._result_cache
        return qs.exists()

    async def acontains(self, obj: Any) -> bool:
        """Async twin of ``contains()``."""
        qs = self._contains_check(obj)
        if qs is None:
            return False
        if self._result_cache is not None:
            return obj in self._result_cache
        return await qs.aexists()

    def _explain_sql(self, connection: Any, format: str | None, options: dict[str, Any]) -> str:
        from fastjango.db.models.sql.explain import explain_prefix

        statement = self.statement
        compiled = statement.compile(
            dialect=connection.dialect, compile_kwargs={"literal_binds": True}
        )
        return f"{explain_prefix(connection, format, options)} {compiled}"

    def explain(self, *, format: str | None = None, **options: Any) -> str:
        """Return the database's plan for this query (``EXPLAIN``)."""
        self._not_support_combined_queries("explain")
        _sync_guard("QuerySet.explain()", "'await qs.aexplain()'")
        connection = connections[self.db]
        result = connection.execute(self._explain_sql(connection, format, options))
        return _format_explain(result.all())

    async def aexplain(self, *, format: str | None = None, **options: Any) -> str:
        """Async twin of ``explain()``."""
        self._not_support_combined_queries("explain")
        connection = connections[self.db]
        result = await connection.aexecute(self._explain_sql(connection, format, options))
        return _format_explain(result.all())

    # -- methods that return new QuerySets -------------------------------------------------------

    def raw(
        self,
        raw_query: Any,
        params: Any = (),
        translations: dict[str, str] | None = None,
        using: str | None = None,
    ) -> RawQuerySet[_T]:
        """Return a RawQuerySet that maps the rows of ``raw_query`` to model instances."""
        if using is None:
            using = self.db
        qs = RawQuerySet(
            raw_query,
            model=self.model,
            params=params,
            translations=translations,
            using=using,
        )
        qs._prefetch_related_lookups = self._prefetch_related_lookups[:]
        return qs

    def from_statement(self, statement: Any) -> RawQuerySet[_T]:
        """Return a RawQuerySet hydrating instances from a SQLAlchemy ``select()``."""
        return self.raw(statement)

    def _values(self, *fields: Any, **expressions: Any) -> QuerySet[Any]:
        clone = self._chain()
        if expressions:
            clone = clone.annotate(**expressions)
        clone._fields = fields
        clone.query.set_values(fields)
        return clone

    def values(self, *fields: Any, **expressions: Any) -> QuerySet[dict[str, Any]]:
        """Return a QuerySet of dicts (field name → value) instead of instances."""
        fields += tuple(expressions)
        clone = self._values(*fields, **expressions)
        clone._mode = _MODE_VALUES
        return clone

    def values_list(self, *fields: Any, flat: bool = False, named: bool = False) -> QuerySet[Any]:
        """Return a QuerySet of tuples (``flat=True``: single values; ``named=True``: Rows)."""
        if flat and named:
            raise TypeError("'flat' and 'named' can't be used together.")
        if flat and len(fields) > 1:
            raise TypeError(
                "'flat' is not valid when values_list is called with more than one field."
            )
        field_names = {f for f in fields if not hasattr(f, "resolve_expression")}
        _fields: list[str] = []
        expressions: dict[str, Any] = {}
        counter = 1
        for field in fields:
            if hasattr(field, "resolve_expression"):
                field_id_prefix = getattr(field, "default_alias", field.__class__.__name__.lower())
                while True:
                    field_id = field_id_prefix + str(counter)
                    counter += 1
                    if field_id not in field_names:
                        break
                expressions[field_id] = field
                _fields.append(field_id)
            else:
                _fields.append(field)
        clone = self._values(*_fields, **expressions)
        clone._mode = _MODE_NAMED if named else (_MODE_FLAT if flat else _MODE_VALUES_LIST)
        return clone

    def dates(self, field_name: str, kind: str, order: str = "ASC") -> QuerySet[datetime.date]:
        """Return the distinct dates (truncated to ``kind``) of ``field_name``."""
        from fastjango.db.models.functions import Trunc

        if kind not in ("year", "month", "week", "day"):
            raise ValueError("'kind' must be one of 'year', 'month', 'week', or 'day'.")
        if order not in ("ASC", "DESC"):
            raise ValueError("'order' must be either 'ASC' or 'DESC'.")
        return (
            self.annotate(
                datefield=Trunc(field_name, kind, output_field=DateField()),
                plain_field=F(field_name),
            )
            .values_list("datefield", flat=True)
            .distinct()
            .filter(plain_field__isnull=False)
            .order_by(("-" if order == "DESC" else "") + "datefield")
        )

    def datetimes(
        self, field_name: str, kind: str, order: str = "ASC", tzinfo: Any = None
    ) -> QuerySet[datetime.datetime]:
        """Return the distinct datetimes (truncated to ``kind``) of ``field_name``."""
        from fastjango.conf import settings
        from fastjango.db.models.functions import Trunc
        from fastjango.utils import timezone

        if kind not in ("year", "month", "week", "day", "hour", "minute", "second"):
            raise ValueError(
                "'kind' must be one of 'year', 'month', 'week', 'day', 'hour', 'minute', or "
                "'second'."
            )
        if order not in ("ASC", "DESC"):
            raise ValueError("'order' must be either 'ASC' or 'DESC'.")
        if settings.USE_TZ:
            if tzinfo is None:
                tzinfo = timezone.get_current_timezone()
        else:
            tzinfo = None
        return (
            self.annotate(
                datetimefield=Trunc(field_name, kind, output_field=DateTimeField(), tzinfo=tzinfo),
                plain_field=F(field_name),
            )
            .values_list("datetimefield", flat=True)
            .distinct()
            .filter(plain_field__isnull=False)
            .order_by(("-" if order == "DESC" else "") + "datetimefield")
        )

    def none(self) -> Self:
        """Return an empty QuerySet (it runs no query)."""
        clone = self._chain()
        clone.query.set_empty()
        return clone

    def all(self) -> Self:
        """Return a copy of this QuerySet (re-evaluated separately)."""
        return self._chain()

    def filter(self, *args: Any, **kwargs: Any) -> Self:
        """Return the objects matching the lookups (``Q`` objects and keyword lookups)."""
        self._not_support_combined_queries("filter")
        return self._filter_or_exclude(False, args, kwargs)

    def exclude(self, *args: Any, **kwargs: Any) -> Self:
        """Return the objects *not* matching the lookups."""
        self._not_support_combined_queries("exclude")
        return self._filter_or_exclude(True, args, kwargs)

    def _filter_or_exclude(self, negate: bool, args: Sequence[Any], kwargs: dict[str, Any]) -> Self:
        if (args or kwargs) and self.query.is_sliced:
            raise TypeError("Cannot filter a query once a slice has been taken.")
        clone = self._chain()
        if self._defer_next_filter:
            self._defer_next_filter = False
            clone._deferred_filter = negate, tuple(args), kwargs
        else:
            clone._filter_or_exclude_inplace(negate, args, kwargs)
        return clone

    def _filter_or_exclude_inplace(
        self, negate: bool, args: Sequence[Any], kwargs: dict[str, Any]
    ) -> None:
        if negate:
            self.query.add_q(~Q(*args, **kwargs))
        else:
            self.query.add_q(Q(*args, **kwargs))

    def complex_filter(self, filter_obj: Any) -> Self:
        """Return the objects matching a ``Q`` or a dict of lookups."""
        if isinstance(filter_obj, Q):
            clone = self._chain()
            clone.query.add_q(filter_obj)
            return clone
        return self._filter_or_exclude(False, (), filter_obj)

    def _combinator_query(self, combinator: str, *other_qs: Any, all: bool = False) -> Self:
        clone = self._chain()
        clone.query.clear_ordering(force=True)
        clone.query.clear_limits()
        clone.query.combined_queries = (self.query, *(qs.query for qs in other_qs))
        clone.query.combinator = combinator
        clone.query.combinator_all = all
        return clone

    def union(self, *other_qs: Any, all: bool = False) -> Self:
        """Return the rows of this and the other querysets (``UNION`` / ``UNION ALL``)."""
        if isinstance(self, EmptyQuerySet):
            qs = [q for q in other_qs if not isinstance(q, EmptyQuerySet)]
            if not qs:
                return self
            if len(qs) == 1:
                return qs[0]
            return qs[0]._combinator_query("union", *qs[1:], all=all)
        return self._combinator_query("union", *other_qs, all=all)

    def intersection(self, *other_qs: Any) -> Self:
        """Return the rows in every queryset (``INTERSECT``)."""
        if isinstance(self, EmptyQuerySet):
            return self
        for other in other_qs:
            if isinstance(other, EmptyQuerySet):
                return other  # type: ignore[return-value]
        return self._combinator_query("intersection", *other_qs)

    def difference(self, *other_qs: Any) -> Self:
        """Return this queryset's rows not in the others (``EXCEPT``)."""
        if isinstance(self, EmptyQuerySet):
            return self
        return self._combinator_query("difference", *other_qs)

    def select_for_update(
        self,
        nowait: bool = False,
        skip_locked: bool = False,
        of: Sequence[str] = (),
        no_key: bool = False,
    ) -> Self:
        """Lock the selected rows until the transaction ends (``SELECT ... FOR UPDATE``)."""
        if nowait and skip_locked:
            raise ValueError("The nowait option cannot be used with skip_locked.")
        obj = self._chain()
        obj._for_write = True
        obj.query.select_for_update = True
        obj.query.select_for_update_nowait = nowait
        obj.query.select_for_update_skip_locked = skip_locked
        obj.query.select_for_update_of = tuple(of)
        obj.query.select_for_no_key_update = no_key
        return obj

    def select_related(self, *fields: Any) -> Self:
        """Follow foreign keys in the same query (JOINs); no names: every non-null FK."""
        self._not_support_combined_queries("select_related")
        if self._mode != _MODE_MODEL:
            raise TypeError("Cannot call select_related() after .values() or .values_list()")
        obj = self._chain()
        if fields == (None,):
            obj.query.select_related = False
        elif fields:
            obj.query.add_select_related(fields)
        else:
            obj.query.select_related = True
        return obj

    def prefetch_related(self, *lookups: Any) -> Self:
        """Fetch related objects in one extra query per relation, after the main one."""
        self._not_support_combined_queries("prefetch_related")
        clone = self._chain()
        if lookups == (None,):
            clone._prefetch_related_lookups = ()
        else:
            for lookup in lookups:
                if isinstance(lookup, Prefetch):
                    lookup = lookup.prefetch_to
                lookup = lookup.split(LOOKUP_SEP, 1)[0]
                if lookup in self.query._filtered_relations:
                    raise ValueError("prefetch_related() is not supported with FilteredRelation.")
            clone._prefetch_related_lookups = clone._prefetch_related_lookups + lookups
        return clone

    def annotate(self, *args: Any, **kwargs: Any) -> Self:
        """Add a computed value (an expression or aggregate) to each result."""
        self._not_support_combined_queries("annotate")
        return self._annotate(args, kwargs, select=True)

    def alias(self, *args: Any, **kwargs: Any) -> Self:
        """Add an expression usable in later filters and orderings, without selecting it."""
        self._not_support_combined_queries("alias")
        return self._annotate(args, kwargs, select=False)

    def _annotate(self, args: Sequence[Any], kwargs: dict[str, Any], select: bool = True) -> Self:
        self._validate_values_are_expressions((*args, *kwargs.values()), method_name="annotate")
        annotations = {}
        for arg in args:
            try:
                if arg.default_alias in kwargs:
                    raise ValueError(
                        f"The named annotation '{arg.default_alias}' conflicts with the default "
                        "name for another annotation."
                    )
            except TypeError:
                raise TypeError("Complex annotations require an alias") from None
            except AttributeError:
                raise TypeError("Complex annotations require an alias") from None
            annotations[arg.default_alias] = arg
        annotations.update(kwargs)
        clone = self._chain()
        names = self._fields
        if names is None:
            names = set(chain_names(self.model._meta))  # type: ignore[assignment]
        for alias, annotation in annotations.items():
            if alias in names:  # type: ignore[operator]
                raise ValueError(f"The annotation '{alias}' conflicts with a field on the model.")
            if isinstance(annotation, FilteredRelation):
                # A copy: the query renames its condition to the alias.
                clone.query.add_filtered_relation(annotation.clone(), alias)
            else:
                clone.query.add_annotation(annotation, alias, select=select)
        for alias, annotation in clone.query.annotations.items():
            if alias in annotations and getattr(annotation, "contains_aggregate", False):
                if clone._fields is None:
                    clone.query.group_by = True
                else:
                    clone.query.set_group_by()
                break
        return clone

    def order_by(self, *field_names: Any) -> Self:
        """Return the QuerySet ordered by these fields (``"-name"`` descending, ``"?"`` random)."""
        if self.query.is_sliced:
            raise TypeError("Cannot reorder a query once a slice has been taken.")
        obj = self._chain()
        obj.query.clear_ordering(force=True, clear_default=False)
        obj.query.add_ordering(*field_names)
        return obj

    def distinct(self, *field_names: str) -> Self:
        """Eliminate duplicate rows (``DISTINCT ON (fields)`` on PostgreSQL)."""
        self._not_support_combined_queries("distinct")
        if self.query.is_sliced:
            raise TypeError("Cannot create distinct fields once a slice has been taken.")
        obj = self._chain()
        obj.query.add_distinct_fields(*field_names)
        return obj

    def extra(self, *args: Any, **kwargs: Any) -> Self:
        """Refuse: ``extra()`` is deprecated in Django; use expressions or ``RawSQL``."""
        raise NotSupportedError(
            "QuerySet.extra() isn't supported: use annotate() with RawSQL() or expressions."
        )

    def reverse(self) -> Self:
        """Reverse the ordering."""
        if self.query.is_sliced:
            raise TypeError("Cannot reverse a query once a slice has been taken.")
        clone = self._chain()
        clone.query.standard_ordering = not clone.query.standard_ordering
        return clone

    def defer(self, *fields: Any) -> Self:
        """Don't load these fields now (they load on first access)."""
        self._not_support_combined_queries("defer")
        if self._fields is not None:
            raise TypeError("Cannot call defer() after .values() or .values_list()")
        clone = self._chain()
        if fields == (None,):
            clone.query.clear_deferred_loading()
        else:
            clone.query.add_deferred_loading(fields)
        return clone

    def only(self, *fields: Any) -> Self:
        """Load only these fields now (and the primary key)."""
        self._not_support_combined_queries("only")
        if self._fields is not None:
            raise TypeError("Cannot call only() after .values() or .values_list()")
        if fields == (None,):
            raise TypeError("Cannot pass None as an argument to only().")
        for field in fields:
            field = field.split(LOOKUP_SEP, 1)[0]
            if field in self.query._filtered_relations:
                raise ValueError("only() is not supported with FilteredRelation.")
        clone = self._chain()
        clone.query.add_immediate_loading(fields)
        return clone

    def using(self, alias: str | None) -> Self:
        """Return the QuerySet on database ``alias``."""
        clone = self._chain()
        clone._db = alias
        return clone

    # -- properties ------------------------------------------------------------------

    @property
    def ordered(self) -> bool:
        """Return whether the results have a defined order."""
        if isinstance(self, EmptyQuerySet):
            return True
        if self.query.order_by:
            return True
        return bool(
            self.query.default_ordering
            and self.query.get_meta().ordering
            and not self.query.group_by
        )

    @property
    def db(self) -> str:
        """Return the database alias this QuerySet uses."""
        if self._for_write:
            return self._db or router.db_for_write(self.model, **self._hints)
        return self._db or router.db_for_read(self.model, **self._hints)

    # -- internals -------------------------------------------------------------------

    def _chain(self) -> Self:
        """Return a copy ready for another operation (sticky filters honoured)."""
        obj = self._clone()
        if obj._sticky_filter:
            obj.query.filter_is_sticky = True
            obj._sticky_filter = False
        return obj

    def _clone(self) -> Self:
        """Return a copy without the result cache."""
        c = self.__class__(
            model=self.model,
            query=self.query.chain(),
            using=self._db,
            hints=self._hints,
        )
        c._sticky_filter = self._sticky_filter
        c._for_write = self._for_write
        c._prefetch_related_lookups = self._prefetch_related_lookups[:]
        c._known_related_objects = self._known_related_objects
        c._mode = self._mode
        c._fields = self._fields
        return c

    def _next_is_sticky(self) -> Self:
        """Make the next filter() reuse multi-valued joins (related managers)."""
        self._sticky_filter = True
        return self

    def _merge_sanity_check(self, other: QuerySet[Any]) -> None:
        if self._fields is not None and (
            set(self.query.values_select) != set(other.query.values_select)
            or set(self.query.annotation_select) != set(other.query.annotation_select)
        ):
            raise TypeError(
                f"Merging '{self.__class__.__name__}' classes must involve the same values in "
                "each case."
            )

    def _merge_known_related_objects(self, other: QuerySet[Any]) -> None:
        for field, objects in other._known_related_objects.items():
            self._known_related_objects.setdefault(field, {}).update(objects)

    def resolve_expression(self, *args: Any, **kwargs: Any) -> Query:
        """Return the query used as a subquery (``filter(x__in=queryset)``)."""
        if self._fields and len(self._fields) > 1:
            raise TypeError("Cannot use multi-field values as a filter value.")
        query = self.query.resolve_expression(*args, **kwargs)
        query._db = self._db  # type: ignore[attr-defined]
        return query

    resolve_expression.queryset_only = True  # type: ignore[attr-defined]

    def _add_hints(self, **hints: Any) -> None:
        self._hints.update(hints)

    def _has_filters(self) -> bool:
        return bool(self.query.where)

    @staticmethod
    def _validate_values_are_expressions(values: Iterable[Any], method_name: str) -> None:
        invalid = sorted(str(arg) for arg in values if not hasattr(arg, "resolve_expression"))
        if invalid:
            raise TypeError(
                f"QuerySet.{method_name}() received non-expression(s): {', '.join(invalid)}."
            )

    def _not_support_combined_queries(self, operation_name: str) -> None:
        if self.query.combinator:
            raise NotSupportedError(
                f"Calling QuerySet.{operation_name}() after {self.query.combinator}() is not "
                "supported."
            )

    def _check_operator_queryset(self, other: Any, operator_: str) -> None:
        if self.query.combinator or other.query.combinator:
            raise TypeError(f"Cannot use {operator_} operator with combined queryset.")

    def _check_ordering_first_last_queryset_aggregation(self, method: str) -> None:
        if isinstance(self.query.group_by, tuple) and not any(
            getattr(col, "output_field", None) is self.model._meta.pk for col in self.query.group_by
        ):
            raise TypeError(
                f"Cannot use QuerySet.{method}() on an unordered queryset performing "
                "aggregation. Add an ordering with order_by()."
            )


def chain_names(opts: Any) -> Iterator[str]:
    """Yield every field name and attname of a model (annotation names may not clash)."""
    for field in opts.get_fields():
        yield field.name
        attname = getattr(field, "attname", None)
        if attname:
            yield attname


def _format_explain(rows: Sequence[Any]) -> str:
    lines = []
    for row in rows:
        values = [str(v) for v in row]
        lines.append(" ".join(values) if len(values) > 1 else values[0])
    return "\n".join(lines)


class InstanceCheckMeta(type):
    """``isinstance(qs, EmptyQuerySet)`` is true for ``qs.none()``."""

    def __instancecheck__(self, instance: Any) -> bool:
        return isinstance(instance, QuerySet) and instance.query.is_empty()


class EmptyQuerySet(metaclass=InstanceCheckMeta):
    """Marker class: ``isinstance(qs.none(), EmptyQuerySet)`` is true."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("EmptyQuerySet can't be instantiated")
