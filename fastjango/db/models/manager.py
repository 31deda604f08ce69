"""Managers: ``Model.objects`` and friends, the entry point to QuerySets."""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, overload

from fastjango.db import router
from fastjango.db.models.query import QuerySet

if TYPE_CHECKING:
    import datetime
    from typing import Self

    from typing_extensions import TypeVar

    from fastjango.db.models.base import Model
    from fastjango.db.models.expressions import Combinable

    _T = TypeVar("_T", default=Any)
else:
    from typing import TypeVar

    _T = TypeVar("_T")

__all__ = ["BaseManager", "EmptyManager", "Manager", "ManagerDescriptor"]


class BaseManager(Generic[_T]):
    """A manager: produces the QuerySets of a model (``get_queryset()``)."""

    creation_counter = 0
    auto_created = False
    use_in_migrations = False
    _queryset_class: ClassVar[type[QuerySet[Any]]] = QuerySet
    _constructor_args: tuple[tuple[Any, ...], dict[str, Any]]

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        obj = super().__new__(cls)
        obj._constructor_args = (args, kwargs)
        return obj

    def __init__(self) -> None:
        super().__init__()
        self._set_creation_counter()
        self.model: Any = None
        self.name: str | None = None
        self._db: str | None = None
        self._hints: dict[str, Any] = {}

    def __str__(self) -> str:
        return f"{self.model._meta.label}.{self.name}"

    def __class_getitem__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls

    def deconstruct(self) -> tuple[bool, str | None, str | None, tuple[Any, ...], dict[str, Any]]:
        """Return what rebuilds the manager in migrations (``as_manager`` ones included)."""
        qs_class = self._queryset_class
        if getattr(self, "_built_with_as_manager", False):
            return (
                True,
                None,
                f"{qs_class.__module__}.{qs_class.__name__}",
                (),
                {},
            )
        module_name = self.__module__
        name = self.__class__.__name__
        args, kwargs = self._constructor_args
        return False, f"{module_name}.{name}", None, args, kwargs

    def check(self, **kwargs: Any) -> list[Any]:
        """Return system check messages (none)."""
        return []

    @classmethod
    def _get_queryset_methods(cls, queryset_class: type) -> dict[str, Callable[..., Any]]:
        def create_method(name: str, method: Callable[..., Any]) -> Callable[..., Any]:
            if inspect.iscoroutinefunction(method):

                async def amanager_method(self: Any, *args: Any, **kwargs: Any) -> Any:
                    return await getattr(self.get_queryset(), name)(*args, **kwargs)

                amanager_method.__name__ = method.__name__
                amanager_method.__doc__ = method.__doc__
                return amanager_method

            def manager_method(self: Any, *args: Any, **kwargs: Any) -> Any:
                return getattr(self.get_queryset(), name)(*args, **kwargs)

            manager_method.__name__ = method.__name__
            manager_method.__doc__ = method.__doc__
            return manager_method

        new_methods = {}
        for name, method in inspect.getmembers(queryset_class, predicate=inspect.isfunction):
            if hasattr(cls, name):
                continue
            queryset_only = getattr(method, "queryset_only", None)
            if queryset_only or (queryset_only is None and name.startswith("_")):
                continue
            new_methods[name] = create_method(name, method)
        return new_methods

    @classmethod
    def from_queryset(cls, queryset_class: type[Any], class_name: str | None = None) -> type[Self]:
        """Return a manager class with ``queryset_class``'s public methods."""
        if class_name is None:
            class_name = f"{cls.__name__}From{queryset_class.__name__}"
        return type(
            class_name,
            (cls,),
            {
                "_queryset_class": queryset_class,
                **cls._get_queryset_methods(queryset_class),
            },
        )

    def contribute_to_class(self, cls: type[Model], name: str) -> None:
        """Install the manager on model ``cls`` as ``name``."""
        self.name = self.name or name
        self.model = cls
        setattr(cls, name, ManagerDescriptor(self))
        cls._meta.add_manager(self)

    def _set_creation_counter(self) -> None:
        self.creation_counter = BaseManager.creation_counter
        BaseManager.creation_counter += 1

    def db_manager(self, using: str | None = None, hints: dict[str, Any] | None = None) -> Self:
        """Return a copy that queries ``using``."""
        obj = copy.copy(self)
        obj._db = using or self._db
        obj._hints = hints or self._hints
        return obj

    @property
    def db(self) -> str:
        """Return the alias the manager reads from."""
        return self._db or router.db_for_read(self.model, **self._hints)

    def get_queryset(self) -> QuerySet[_T]:
        """Return the QuerySet the other methods start from (override to customize)."""
        return self._queryset_class(model=self.model, using=self._db, hints=self._hints)

    def all(self) -> QuerySet[_T]:
        """Return every object (a QuerySet)."""
        return self.get_queryset()

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, self.__class__) and self._constructor_args == other._constructor_args
        )

    def __hash__(self) -> int:
        return id(self)

    @overload
    def __get__(self, instance: None, owner: Any) -> Self: ...

    @overload
    def __get__(self, instance: object, owner: Any) -> Self: ...

    def __get__(self, instance: Any, owner: Any) -> Any:
        # Only reached for a manager stored on a non-model class; models use ManagerDescriptor.
        return self

    if TYPE_CHECKING:
        # The QuerySet methods a manager proxies, typed for mypy (made at runtime).

        def none(self) -> QuerySet[_T]: ...
        def filter(self, *args: Any, **kwargs: Any) -> QuerySet[_T]: ...
        def exclude(self, *args: Any, **kwargs: Any) -> QuerySet[_T]: ...
        def complex_filter(self, filter_obj: Any) -> QuerySet[_T]: ...
        def union(self, *other_qs: Any, all: bool = False) -> QuerySet[_T]: ...
        def intersection(self, *other_qs: Any) -> QuerySet[_T]: ...
        def difference(self, *other_qs: Any) -> QuerySet[_T]: ...
        def select_for_update(
            self,
            nowait: bool = False,
            skip_locked: bool = False,
            of: Sequence[str] = (),
            no_key: bool = False,
        ) -> QuerySet[_T]: ...
        def select_related(self, *fields: Any) -> QuerySet[_T]: ...
        def prefetch_related(self, *lookups: Any) -> QuerySet[_T]: ...
        def annotate(self, *args: Any, **kwargs: Any) -> QuerySet[_T]: ...
        def alias(self, *args: Any, **kwargs: Any) -> QuerySet[_T]: ...
        def order_by(self, *field_names: Any) -> QuerySet[_T]: ...
        def distinct(self, *field_names: str) -> QuerySet[_T]: ...
        def reverse(self) -> QuerySet[_T]: ...
        def defer(self, *fields: Any) -> QuerySet[_T]: ...
        def only(self, *fields: Any) -> QuerySet[_T]: ...
        def using(self, alias: str | None) -> QuerySet[_T]: ...
        def values(self, *fields: Any, **expressions: Any) -> QuerySet[dict[str, Any]]: ...
        def values_list(
            self, *fields: Any, flat: bool = False, named: bool = False
        ) -> QuerySet[Any]: ...
        def dates(
            self, field_name: str, kind: str, order: str = "ASC"
        ) -> QuerySet[datetime.date]: ...
        def datetimes(
            self, field_name: str, kind: str, order: str = "ASC", tzinfo: Any = None
        ) -> QuerySet[datetime.datetime]: ...
        def raw(
            self, raw_query: Any, params: Any = (), translations: Any = None, using: Any = None
        ) -> Any: ...
        def from_statement(self, statement: Any) -> Any: ...
        def get(self, *args: Any, **kwargs: Any) -> _T: ...
        async def aget(self, *args: Any, **kwargs: Any) -> _T: ...
        def create(self, **kwargs: Any) -> _T: ...
        async def acreate(self, **kwargs: Any) -> _T: ...
        def get_or_create(self, defaults: Any = None, **kwargs: Any) -> tuple[_T, bool]: ...
        async def aget_or_create(self, defaults: Any = None, **kwargs: Any) -> tuple[_T, bool]: ...
        def update_or_create(
            self, defaults: Any = None, create_defaults: Any = None, **kwargs: Any
        ) -> tuple[_T, bool]: ...
        async def aupdate_or_create(
            self, defaults: Any = None, create_defaults: Any = None, **kwargs: Any
        ) -> tuple[_T, bool]: ...
        def bulk_create(
            self,
            objs: Iterable[_T],
            batch_size: int | None = None,
            ignore_conflicts: bool = False,
            update_conflicts: bool = False,
            update_fields: Sequence[str] | None = None,
            unique_fields: Sequence[str] | None = None,
        ) -> list[_T]: ...
        async def abulk_create(
            self,
            objs: Iterable[_T],
            batch_size: int | None = None,
            ignore_conflicts: bool = False,
            update_conflicts: bool = False,
            update_fields: Sequence[str] | None = None,
            unique_fields: Sequence[str] | None = None,
        ) -> list[_T]: ...
        def bulk_update(
            self, objs: Iterable[_T], fields: Sequence[str], batch_size: int | None = None
        ) -> int: ...
        async def abulk_update(
            self, objs: Iterable[_T], fields: Sequence[str], batch_size: int | None = None
        ) -> int: ...
        def count(self) -> int: ...
        async def acount(self) -> int: ...
        def exists(self) -> bool: ...
        async def aexists(self) -> bool: ...
        def contains(self, obj: Any) -> bool: ...
        async def acontains(self, obj: Any) -> bool: ...
        def first(self) -> _T | None: ...
        async def afirst(self) -> _T | None: ...
        def last(self) -> _T | None: ...
        async def alast(self) -> _T | None: ...
        def latest(self, *fields: Any) -> _T: ...
        async def alatest(self, *fields: Any) -> _T: ...
        def earliest(self, *fields: Any) -> _T: ...
        async def aearliest(self, *fields: Any) -> _T: ...
        def in_bulk(
            self, id_list: Iterable[Any] | None = None, *, field_name: str = "pk"
        ) -> dict[Any, _T]: ...
        async def ain_bulk(
            self, id_list: Iterable[Any] | None = None, *, field_name: str = "pk"
        ) -> dict[Any, _T]: ...
        def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]: ...
        async def aaggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]: ...
        def update(self, **kwargs: Any) -> int: ...
        async def aupdate(self, **kwargs: Any) -> int: ...
        def iterator(self, chunk_size: int | None = None) -> Any: ...
        def aiterator(self, chunk_size: int = 2000) -> Any: ...
        def explain(self, *, format: str | None = None, **options: Any) -> str: ...
        async def aexplain(self, *, format: str | None = None, **options: Any) -> str: ...

        _unused_combinable: Combinable


if TYPE_CHECKING:

    class Manager(BaseManager[_T]):
        """The default manager class (``models.Manager``)."""

else:

    class Manager(BaseManager.from_queryset(QuerySet)):
        """The default manager class (``models.Manager``)."""


class ManagerDescriptor:
    """Class attribute that returns the model's manager; instances can't reach it."""

    def __init__(self, manager: BaseManager[Any]) -> None:
        self.manager = manager

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is not None:
            raise AttributeError(f"Manager isn't accessible via {cls.__name__} instances")
        if cls._meta.abstract:
            raise AttributeError(f"Manager isn't available; {cls._meta.object_name} is abstract")
        if cls._meta.swapped:
            raise AttributeError(
                f"Manager isn't available; '{cls._meta.label}' has been swapped for "
                f"'{cls._meta.swapped}'"
            )
        return cls._meta.managers_map[self.manager.name]


class EmptyManager(Manager[_T]):
    """A manager whose queryset is always empty."""

    def __init__(self, model: Any) -> None:
        super().__init__()
        self.model = model

    def get_queryset(self) -> QuerySet[_T]:
        queryset: QuerySet[_T] = super().get_queryset().none()
        return queryset
