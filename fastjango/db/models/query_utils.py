"""Query building blocks: ``Q``, lookup registration, relation paths, ``FilteredRelation``."""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from fastjango.core.exceptions import SynchronousOnlyOperation
from fastjango.db.models.constants import LOOKUP_SEP
from fastjango.utils.asyncio import sync_call_forbidden

if TYPE_CHECKING:
    from fastjango.db.models.base import Model
    from fastjango.db.models.fields import Field
    from fastjango.db.models.options import Options

__all__ = [
    "DeferredAttribute",
    "FilteredRelation",
    "PathInfo",
    "Q",
    "RegisterLookupMixin",
    "check_rel_lookup_compatibility",
    "class_or_instance_method",
    "select_related_descend",
]


def _make_hashable(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _make_hashable(v)) for k, v in value.items()))
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(_make_hashable(v) for v in value)
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


class Q:
    """A filter condition: keyword lookups combined with ``&``, ``|``, ``^`` and ``~``."""

    AND = "AND"
    OR = "OR"
    XOR = "XOR"
    default = AND
    conditional = True

    def __init__(
        self, *args: Any, _connector: str | None = None, _negated: bool = False, **kwargs: Any
    ) -> None:
        self.children: list[Any] = [*args, *sorted(kwargs.items())]
        self.connector = _connector or self.default
        self.negated = _negated

    # -- tree operations ---------------------------------------------------

    def __len__(self) -> int:
        return len(self.children)

    def __bool__(self) -> bool:
        return bool(self.children)

    def __contains__(self, other: object) -> bool:
        return other in self.children

    def __repr__(self) -> str:
        template = "(NOT (%s: %s))" if self.negated else "(%s: %s)"
        return "<Q: " + template % (self.connector, ", ".join(str(c) for c in self.children)) + ">"

    def __str__(self) -> str:
        template = "(NOT (%s: %s))" if self.negated else "(%s: %s)"
        return template % (self.connector, ", ".join(str(c) for c in self.children))

    def copy(self) -> Q:
        """Return a shallow copy (children list copied)."""
        obj = copy.copy(self)
        obj.children = self.children[:]
        return obj

    def __deepcopy__(self, memo: dict[int, Any]) -> Q:
        obj = object.__new__(type(self))
        obj.__dict__.update(self.__dict__)
        obj.children = copy.deepcopy(self.children, memo)
        return obj

    def add(self, data: Any, conn_type: str) -> Any:
        """Add ``data`` under ``conn_type``, squashing nodes with the same connector."""
        if self.connector != conn_type:
            obj = self.copy()
            self.connector = conn_type
            self.children = [obj, data]
            return data
        if (
            isinstance(data, Q)
            and not data.negated
            and (data.connector == conn_type or len(data) == 1)
        ):
            self.children.extend(data.children)
            return self
        self.children.append(data)
        return data

    def negate(self) -> None:
        """Negate this node in place."""
        self.negated = not self.negated

    def _combine(self, other: Any, conn: str) -> Q:
        if getattr(other, "conditional", False) is False:
            raise TypeError(other)
        if not self:
            return other.copy() if hasattr(other, "copy") else copy.copy(other)  # type: ignore[no-any-return]
        if not other and isinstance(other, Q):
            return self.copy()
        obj = Q(_connector=conn)
        obj.add(self, conn)
        obj.add(other, conn)
        return obj

    def __or__(self, other: Any) -> Q:
        return self._combine(other, self.OR)

    def __and__(self, other: Any) -> Q:
        return self._combine(other, self.AND)

    def __xor__(self, other: Any) -> Q:
        return self._combine(other, self.XOR)

    def __invert__(self) -> Q:
        obj = self.copy()
        obj.negate()
        return obj

    # -- expression protocol -----------------------------------------------

    def resolve_expression(
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: set[str] | None = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> Any:
        """Resolve into a where node of ``query`` (a ``Q`` used as an expression)."""
        clause, joins = query._add_q(
            self,
            reuse,
            allow_joins=allow_joins,
            split_subq=False,
            check_filterable=False,
            summarize=summarize,
        )
        query.promote_joins(joins)
        return clause

    def flatten(self) -> Iterator[Any]:
        """Yield this node and every child, recursively (lookups as ``(name, value)``)."""
        yield self
        for child in self.children:
            if isinstance(child, tuple):
                child = child[1]
            if hasattr(child, "flatten"):
                yield from child.flatten()
            else:
                yield child

    def check(self, against: dict[str, Any], using: str = "default") -> bool:
        """Return whether the condition holds for ``against`` (field name → value).

        The database evaluates it, as Django does, so functions and lookups
        behave exactly as in queries.
        """
        from fastjango.db.models.sql.check import evaluate_condition

        return evaluate_condition(self, against, using)

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        """Return the path, arguments and keyword arguments that rebuild this ``Q``."""
        path = "fastjango.db.models.Q"
        args = tuple(self.children)
        kwargs: dict[str, Any] = {}
        if self.connector != self.default:
            kwargs["_connector"] = self.connector
        if self.negated:
            kwargs["_negated"] = True
        return path, args, kwargs

    @property
    def identity(self) -> tuple[Any, ...]:
        """Return a hashable value that is equal for equal conditions."""
        identity: list[Any] = [type(self), self.connector, self.negated]
        for child in self.children:
            if isinstance(child, tuple):
                key, value = child
                identity.append((key, _make_hashable(value)))
            else:
                identity.append(child)
        return tuple(identity)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Q):
            return NotImplemented
        return self.identity == other.identity

    def __hash__(self) -> int:
        return hash(self.identity)

    @property
    def referenced_base_fields(self) -> set[str]:
        """Return the first names of every lookup (the model fields it touches)."""
        names: set[str] = set()
        for child in self.children:
            if isinstance(child, Q):
                names |= child.referenced_base_fields
            elif isinstance(child, tuple):
                names.add(child[0].split(LOOKUP_SEP, 1)[0])
        return names


class class_or_instance_method:
    """A method that runs one function on the class and another on an instance."""

    def __init__(self, class_method: Callable[..., Any], instance_method: Callable[..., Any]):
        self.class_method = classmethod(class_method)
        self.instance_method = instance_method

    def __get__(self, instance: Any, owner: type) -> Any:
        if instance is None:
            return self.class_method.__get__(instance, owner)
        return self.instance_method.__get__(instance, owner)


_class_lookup_cache: dict[type, dict[str, Any]] = {}


def _class_lookups(cls: type[Any]) -> dict[str, Any]:
    cached = _class_lookup_cache.get(cls)
    if cached is None:
        cached = {}
        for parent in reversed(inspect.getmro(cls)):
            cached.update(parent.__dict__.get("class_lookups", {}))
        _class_lookup_cache[cls] = cached
    return cached


def _instance_lookups(self: Any) -> dict[str, Any]:
    class_lookups = _class_lookups(type(self))
    instance_lookups = self.__dict__.get("instance_lookups")
    if instance_lookups:
        return {**class_lookups, **instance_lookups}
    return class_lookups


def _register_class_lookup(cls: type[Any], lookup: Any, lookup_name: str | None = None) -> Any:
    name = lookup_name or lookup.lookup_name
    if "class_lookups" not in cls.__dict__:
        cls.class_lookups = {}
    cls.class_lookups[name] = lookup
    _class_lookup_cache.clear()
    return lookup


def _register_instance_lookup(self: Any, lookup: Any, lookup_name: str | None = None) -> Any:
    name = lookup_name or lookup.lookup_name
    self.__dict__.setdefault("instance_lookups", {})[name] = lookup
    return lookup


def _unregister_class_lookup(cls: type[Any], lookup: Any, lookup_name: str | None = None) -> None:
    name = lookup_name or lookup.lookup_name
    del cls.class_lookups[name]
    _class_lookup_cache.clear()


def _unregister_instance_lookup(self: Any, lookup: Any, lookup_name: str | None = None) -> None:
    name = lookup_name or lookup.lookup_name
    del self.__dict__["instance_lookups"][name]


class RegisterLookupMixin:
    """Lookups and transforms registered on a class (or one instance) by ``register_lookup``.

    ``Field.register_lookup(MyLookup)`` adds it for every field of that class;
    ``field.register_lookup(MyLookup)`` for that field only.
    """

    class_lookups: dict[str, Any]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "class_lookups" not in cls.__dict__:
            cls.class_lookups = {}

    get_lookups = class_or_instance_method(_class_lookups, _instance_lookups)
    get_class_lookups = classmethod(_class_lookups)
    register_lookup = class_or_instance_method(_register_class_lookup, _register_instance_lookup)
    _unregister_lookup = class_or_instance_method(
        _unregister_class_lookup, _unregister_instance_lookup
    )

    def get_lookup(self, lookup_name: str) -> Any:
        """Return the Lookup class registered as ``lookup_name``, or None."""
        from fastjango.db.models.lookups import Lookup

        found = self.get_lookups().get(lookup_name)
        if found is None and hasattr(self, "output_field") and self.output_field is not self:
            return self.output_field.get_lookup(lookup_name)
        if found is not None and not issubclass(found, Lookup):
            return None
        return found

    def get_transform(self, lookup_name: str) -> Any:
        """Return the Transform class registered as ``lookup_name``, or None."""
        from fastjango.db.models.lookups import Transform

        found = self.get_lookups().get(lookup_name)
        if found is None and hasattr(self, "output_field") and self.output_field is not self:
            return self.output_field.get_transform(lookup_name)
        if found is not None and not issubclass(found, Transform):
            return None
        return found


class PathInfo(NamedTuple):
    """One hop across a relation: from one model's table to another's."""

    from_opts: Options
    to_opts: Options
    target_fields: tuple[Field[Any, Any], ...]
    join_field: Any
    m2m: bool
    direct: bool
    filtered_relation: FilteredRelation | None


class DeferredAttribute:
    """Descriptor of a column value that loads it from the database when it was deferred."""

    def __init__(self, field: Any) -> None:
        self.field = field

    def __get__(self, instance: Model | None, cls: type | None = None) -> Any:
        if instance is None:
            return self
        data = instance.__dict__
        attname = self.field.attname
        if attname not in data:
            load_deferred(instance, self.field)
        return data[attname]


def load_deferred(instance: Model, field: Field[Any, Any]) -> None:
    """Fetch ``field`` of ``instance`` (it was deferred); raise in async code."""
    attname = field.attname
    if field.primary_key and instance._meta.all_parents:
        # A multi-table parent's key equals the link to it, which is loaded.
        link = instance._meta.get_ancestor_link(field.model)
        if link is not None and link is not field and link.attname in instance.__dict__:
            instance.__dict__[attname] = getattr(instance, link.attname)
            return
    if _in_event_loop():
        raise SynchronousOnlyOperation(
            f"The field '{type(instance).__name__}.{field.name}' was deferred and loading it "
            "would run a query in async code. Load it up front (drop it from defer(), or add it "
            f"to only()), or use 'await obj.arefresh_from_db(fields=[\"{attname}\"])'."
        )
    # A primary key that isn't set can't be loaded: it is simply None.
    if field.primary_key and instance._state.adding:
        instance.__dict__[attname] = None
        return
    instance.refresh_from_db(fields=[attname])


# Whether a sync query must refuse to run (in a running event loop): one rule for the ORM.
_in_event_loop = sync_call_forbidden


def refuse_sync_query(what: str, advice: str) -> None:
    """Raise ``SynchronousOnlyOperation`` if ``what`` would run a sync query in an event loop.

    The message is "<what> can't run a query in async code: <advice>."
    """
    if _in_event_loop():
        raise SynchronousOnlyOperation(f"{what} can't run a query in async code: {advice}.")


def select_related_descend(
    field: Any, restricted: bool, requested: dict[str, Any] | None, reverse: bool = False
) -> bool:
    """Return whether ``select_related()`` follows ``field``.

    ``restricted`` says names were given; ``requested`` is the tree of them.
    Without names only non-null forward foreign keys are followed.
    """
    if not field.remote_field:
        return False
    if restricted:
        assert requested is not None
        name = field.related_query_name() if reverse else field.name
        if name not in requested:
            return False
    if not restricted and field.null:
        return False
    return True


def check_rel_lookup_compatibility(model: Any, target_opts: Options, field: Any) -> bool:
    """Return whether instances of ``model`` may be used in a lookup on ``field``."""

    def check(opts: Options) -> bool:
        return (
            model._meta.concrete_model == opts.concrete_model
            or opts.concrete_model in model._meta.get_parent_list()
            or model in opts.get_parent_list()
        )

    return check(target_opts) or (getattr(field, "primary_key", False) and check(field.model._meta))


class FilteredRelation:
    """A relation joined with an extra condition, for ``annotate()``/``alias()``."""

    def __init__(self, relation_name: str, *, condition: Q | None = None) -> None:
        if not relation_name:
            raise ValueError("relation_name cannot be empty.")
        self.relation_name = relation_name
        self.alias: str | None = None
        condition = Q() if condition is None else condition
        if not isinstance(condition, Q):
            raise ValueError("condition argument must be a Q() instance.")
        self.condition = condition
        self.path: list[str] = []

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FilteredRelation):
            return NotImplemented
        return (
            self.relation_name == other.relation_name
            and self.alias == other.alias
            and self.condition == other.condition
        )

    def __hash__(self) -> int:
        return hash((self.relation_name, self.alias, self.condition))

    def clone(self) -> FilteredRelation:
        """Return a copy with the same name, alias, condition and path."""
        clone = FilteredRelation(self.relation_name, condition=self.condition)
        clone.alias = self.alias
        clone.path = self.path[:]
        return clone

    def resolve_expression(self, *args: Any, **kwargs: Any) -> Any:
        """Refuse: a FilteredRelation is only valid in ``annotate()`` and ``alias()``."""
        raise TypeError("FilteredRelation can only be used in annotate() and alias().")

    def __repr__(self) -> str:
        return (
            f"<FilteredRelation: relation_name={self.relation_name!r}, "
            f"condition={self.condition!r}>"
        )


def subclasses(cls: type) -> Iterator[type]:
    """Yield ``cls`` and its subclasses, recursively."""
    yield cls
    subclass: type
    for subclass in cls.__subclasses__():
        yield from subclasses(subclass)


def get_field_names_from_opts(opts: Options | None) -> set[str]:
    """Return every name usable in a lookup on ``opts`` (fields and their attnames)."""
    if opts is None:
        return set()
    names: set[str] = set()
    for field in opts.get_fields():
        names.add(field.name)
        attname = getattr(field, "attname", None)
        if attname and getattr(field, "concrete", False):
            names.add(attname)
    return names
