"""``Model`` and its metaclass: Django's model API on a SQLAlchemy Core ``Table``."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from itertools import chain
from typing import TYPE_CHECKING, Any, ClassVar

from fastjango.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    FieldError,
    MultipleObjectsReturned,
    ObjectDoesNotExist,
    ValidationError,
)
from fastjango.db import DEFAULT_DB_ALIAS, DatabaseError, router, transaction
from fastjango.db.models import plans
from fastjango.db.models.constants import LOOKUP_SEP
from fastjango.db.models.fields import NOT_PROVIDED, AutoFieldMixin
from fastjango.db.models.options import Options
from fastjango.db.models.signals import (
    class_prepared,
    post_init,
    post_save,
    pre_init,
    pre_save,
)
from fastjango.db.models.utils import AltersData
from fastjango.utils.asyncio import async_unsafe

if TYPE_CHECKING:
    from typing import Self

    import sqlalchemy as sa

    from fastjango.db.models.manager import Manager

__all__ = ["DEFERRED", "Model", "ModelBase", "ModelState", "model_unpickle", "subclass_exception"]


class Deferred:
    """Marker for a field value that wasn't loaded."""

    def __repr__(self) -> str:
        return "<Deferred field>"

    def __str__(self) -> str:
        return "<Deferred field>"


DEFERRED = Deferred()


def subclass_exception(
    name: str, bases: tuple[type, ...], module: str, attached_to: type
) -> type[Exception]:
    """Return an exception class ``name`` attached to a model (``Book.DoesNotExist``)."""
    return type(
        name,
        bases,
        {"__module__": module, "__qualname__": f"{attached_to.__qualname__}.{name}"},
    )


def _has_contribute_to_class(value: Any) -> bool:
    # Only instances: a class with the method (a Field subclass) is just an attribute.
    return not isinstance(value, type) and hasattr(value, "contribute_to_class")


class ModelBase(type):
    """Metaclass of every model: builds ``_meta``, the fields' descriptors and the table."""

    def __new__(
        cls, name: str, bases: tuple[type, ...], attrs: dict[str, Any], **kwargs: Any
    ) -> Any:
        super_new = super().__new__
        parents: list[Any] = [b for b in bases if isinstance(b, ModelBase)]
        if not parents:
            return super_new(cls, name, bases, attrs)

        module = attrs.pop("__module__")
        new_attrs: dict[str, Any] = {"__module__": module}
        classcell = attrs.pop("__classcell__", None)
        if classcell is not None:
            new_attrs["__classcell__"] = classcell
        attr_meta = attrs.pop("Meta", None)
        contributable_attrs = {}
        for obj_name, obj in attrs.items():
            if _has_contribute_to_class(obj):
                contributable_attrs[obj_name] = obj
            else:
                new_attrs[obj_name] = obj
        new_class: Any = super_new(cls, name, bases, new_attrs, **kwargs)

        abstract = getattr(attr_meta, "abstract", False)
        meta = attr_meta or getattr(new_class, "Meta", None)
        base_meta = getattr(new_class, "_meta", None)

        app_label = None
        if getattr(meta, "app_label", None) is None:
            app_config = _containing_app_config(module)
            if app_config is None:
                if not abstract:
                    raise RuntimeError(
                        f"Model class {module}.{name} doesn't declare an explicit app_label and "
                        "isn't in an application in INSTALLED_APPS."
                    )
            else:
                app_label = app_config.label

        new_class.add_to_class("_meta", Options(meta, app_label))
        if not abstract:
            new_class.add_to_class(
                "DoesNotExist",
                subclass_exception(
                    "DoesNotExist",
                    tuple(
                        x.DoesNotExist
                        for x in parents
                        if hasattr(x, "_meta") and not x._meta.abstract
                    )
                    or (ObjectDoesNotExist,),
                    module,
                    attached_to=new_class,
                ),
            )
            new_class.add_to_class(
                "MultipleObjectsReturned",
                subclass_exception(
                    "MultipleObjectsReturned",
                    tuple(
                        x.MultipleObjectsReturned
                        for x in parents
                        if hasattr(x, "_meta") and not x._meta.abstract
                    )
                    or (MultipleObjectsReturned,),
                    module,
                    attached_to=new_class,
                ),
            )
            if base_meta and not base_meta.abstract:
                # A proxy keeps its concrete parent's ordering unless it sets one.
                if not hasattr(meta, "ordering"):
                    new_class._meta.ordering = base_meta.ordering
                if not hasattr(meta, "get_latest_by"):
                    new_class._meta.get_latest_by = base_meta.get_latest_by

        is_proxy = new_class._meta.proxy
        for obj_name, obj in contributable_attrs.items():
            new_class.add_to_class(obj_name, obj)

        new_fields = chain(
            new_class._meta.local_fields,
            new_class._meta.local_many_to_many,
            new_class._meta.private_fields,
        )
        field_names = {f.name for f in new_fields}

        if is_proxy:
            base = None
            for parent in [kls for kls in parents if hasattr(kls, "_meta")]:
                if parent._meta.abstract:
                    if parent._meta.fields:
                        raise TypeError(
                            f"Abstract base class containing model fields not permitted for "
                            f"proxy model '{name}'."
                        )
                    continue
                if base is None:
                    base = parent
                elif parent._meta.concrete_model is not base._meta.concrete_model:
                    raise TypeError(
                        f"Proxy model '{name}' has more than one non-abstract model base class."
                    )
            if base is None:
                raise TypeError(f"Proxy model '{name}' has no non-abstract model base class.")
            if new_class._meta.local_fields or new_class._meta.local_many_to_many:
                raise FieldError(f"Proxy model '{name}' contains model fields.")
            new_class._meta.setup_proxy(base)
            new_class._meta.concrete_model = base._meta.concrete_model
        else:
            new_class._meta.concrete_model = new_class

        parent_links = _declared_parent_links(new_class, parents)
        inherited_attributes: set[str] = set()
        for base in new_class.mro():
            if base not in parents or not hasattr(base, "_meta"):
                inherited_attributes.update(base.__dict__)
                continue
            parent_fields = base._meta.local_fields + base._meta.local_many_to_many
            if not base._meta.abstract:
                for field in parent_fields:
                    if field.name in field_names:
                        raise FieldError(
                            f"Local field {field.name!r} in class {name!r} clashes with field of "
                            f"the same name from base class {base.__name__!r}."
                        )
                    inherited_attributes.add(field.name)
                _add_parent_link(new_class, base._meta.concrete_model, parent_links, field_names)
            else:
                base_parents = base._meta.parents.copy()
                for field in parent_fields:
                    if (
                        field.name not in field_names
                        and field.name not in new_class.__dict__
                        and field.name not in inherited_attributes
                    ):
                        new_field = copy.deepcopy(field)
                        for cached in ("cached_col", "_get_default", "sa_type_instance"):
                            new_field.__dict__.pop(cached, None)
                        new_class.add_to_class(field.name, new_field)
                        # A parent link declared on the abstract base links this class.
                        for parent, parent_link in base_parents.items():
                            if field == parent_link:
                                base_parents[parent] = new_field
                if base_parents:
                    new_class._meta.parents.update(base_parents)
                    new_class._meta._expire_cache()
            for field in base._meta.private_fields:
                if field.name not in field_names:
                    new_class.add_to_class(field.name, copy.deepcopy(field))

        new_class._meta.indexes = [copy.deepcopy(idx) for idx in new_class._meta.indexes]

        if abstract:
            # Children inherit the Meta, as a regular class attribute, unless they set one.
            attr_meta.abstract = False
            new_class.Meta = attr_meta
            return new_class

        new_class._prepare()
        new_class._meta.apps.register_model(new_class._meta.app_label, new_class)
        return new_class

    def add_to_class(cls, name: str, value: Any) -> None:
        """Attach ``value``: fields and managers contribute themselves, the rest is set."""
        if _has_contribute_to_class(value):
            value.contribute_to_class(cls, name)
        else:
            setattr(cls, name, value)

    def _prepare(cls) -> None:
        """Finish the class: implicit ``id``, default manager, indexes, the Table."""
        from fastjango.conf import settings
        from fastjango.db.models.manager import Manager
        from fastjango.db.models.sql.table import build_table

        model: Any = cls
        opts: Options = model._meta
        opts._prepare(model)
        if opts.order_with_respect_to:
            _add_order_methods(model, opts)
        if cls.__doc__ is None:
            cls.__doc__ = f"{cls.__name__}({', '.join(f.name for f in opts.fields)})"
        overrides = getattr(settings, "ABSOLUTE_URL_OVERRIDES", {}) or {}
        override = overrides.get(opts.label_lower)
        if override:
            cls.get_absolute_url = override
        if not opts.managers:
            if any(f.name == "objects" for f in opts.fields):
                raise ValueError(
                    f"Model {cls.__name__} must specify a custom Manager, because it has a field "
                    "named 'objects'."
                )
            manager = Manager()
            manager.auto_created = True
            cls.add_to_class("objects", manager)
        for index in opts.indexes:
            if not index.name:
                index.set_name_with_model(cls)
        if not opts.proxy:
            table = build_table(cls)
            opts.table = table
            model.__table__ = table
            if "c" not in opts._forward_fields_map and "c" not in cls.__dict__:
                model.c = table.c
        else:
            opts.table = opts.concrete_model._meta.table
        class_prepared.send(sender=cls)

    @property
    def _base_manager(cls) -> Any:
        return cls._meta.base_manager  # type: ignore[attr-defined]

    @property
    def _default_manager(cls) -> Any:
        return cls._meta.default_manager  # type: ignore[attr-defined]


def _declared_parent_links(new_class: Any, parents: list[Any]) -> dict[tuple[str, str], Any]:
    """Return the ``OneToOneField(parent_link=True)`` fields declared for ``new_class``."""
    from fastjango.db.models.fields.related import OneToOneField, resolve_relation
    from fastjango.db.models.utils import make_model_tuple

    links: dict[tuple[str, str], Any] = {}
    for base in reversed([new_class, *parents]):
        if not hasattr(base, "_meta"):
            continue
        if base is not new_class and not base._meta.abstract:
            continue
        for field in base._meta.local_fields:
            if isinstance(field, OneToOneField) and field.remote_field.parent_link:
                related = resolve_relation(new_class, field.remote_field.model)
                links[make_model_tuple(related)] = field
    return links


def _add_parent_link(
    new_class: Any, base: Any, parent_links: dict[tuple[str, str], Any], field_names: set[str]
) -> None:
    """Record ``base`` as a concrete parent, with its link (``<parent>_ptr`` unless declared)."""
    from fastjango.db.models.deletion import CASCADE
    from fastjango.db.models.fields.related import OneToOneField
    from fastjango.db.models.utils import make_model_tuple

    base_key = make_model_tuple(base)
    field: Any
    if base_key in parent_links:
        field = parent_links[base_key]
    elif not new_class._meta.proxy:
        attr_name = f"{base._meta.model_name}_ptr"
        if attr_name in field_names:
            raise FieldError(
                f"Auto-generated field '{attr_name}' in class {new_class.__name__!r} for "
                f"parent_link to base class {base.__name__!r} clashes with declared field of "
                "the same name."
            )
        field = OneToOneField(
            base, on_delete=CASCADE, name=attr_name, auto_created=True, parent_link=True
        )
        new_class.add_to_class(attr_name, field)
    else:
        field = None
    new_class._meta.parents[base] = field
    # Field lists cached while the declared fields were added don't have the parent's yet.
    new_class._meta._expire_cache()
    if field is not None:
        base._meta._mti_children.append(new_class)


def _add_order_methods(model: Any, opts: Options) -> None:
    """Give an ``order_with_respect_to`` model (and the related model) Django's methods."""
    from functools import partialmethod

    from fastjango.db.models.fields.related import lazy_related_operation
    from fastjango.db.models.order_with_respect_to import make_foreign_order_accessors

    model.get_next_in_order = partialmethod(model._get_next_or_previous_in_order, is_next=True)
    model.get_previous_in_order = partialmethod(model._get_next_or_previous_in_order, is_next=False)
    wrt = opts.order_with_respect_to
    if wrt.remote_field:
        # The related model may not exist yet: its methods are added once it does.
        lazy_related_operation(make_foreign_order_accessors, model, wrt.remote_field.model)


def _containing_app_config(module: str) -> Any:
    from fastjango.apps import apps

    if not apps.apps_ready:
        return None
    return apps.get_containing_app_config(module)


def _setup_proxy(self: Options, target: Any) -> None:
    self.pk = target._meta.pk
    self.proxy_for_model = target
    self.db_table = target._meta.db_table


Options.setup_proxy = _setup_proxy  # type: ignore[attr-defined]


#: a keyword argument Model() wasn't given
_MISSING: Any = object()


class ModelState:
    """Per-instance ORM state: the database it came from and whether it is unsaved."""

    __slots__ = ("_fields_cache", "adding", "db")
    _fields_cache: dict[str, Any] | None

    def __init__(
        self,
        db: str | None = None,
        adding: bool = True,
        fields_cache: dict[str, Any] | None = None,
    ) -> None:
        self.db = db
        self.adding = adding
        # None until used: most instances never cache a related object, and a
        # None test is cheaper than catching AttributeError (0.13 vs 0.65 us a row).
        self._fields_cache = fields_cache

    @property
    def fields_cache(self) -> dict[str, Any]:
        """Return the cache of related objects (created on first use)."""
        cache = self._fields_cache
        if cache is None:
            cache = self._fields_cache = {}
        return cache

    @fields_cache.setter
    def fields_cache(self, value: dict[str, Any]) -> None:
        self._fields_cache = value

    def __copy__(self) -> ModelState:
        new = ModelState(self.db, self.adding)
        if self._fields_cache is not None:
            new._fields_cache = self._fields_cache.copy()
        return new

    def __getstate__(self) -> dict[str, Any]:
        return {
            "db": self.db,
            "adding": self.adding,
            "fields_cache": (self._fields_cache or {}).copy(),
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.db = state["db"]
        self.adding = state["adding"]
        self._fields_cache = state["fields_cache"]


def model_unpickle(model_id: tuple[str, str]) -> Any:
    """Return a bare instance of the model named ``(app_label, ModelName)`` (unpickling)."""
    from fastjango.apps import apps

    try:
        model = apps.get_model(*model_id)
    except Exception:
        model = apps.get_registered_model(model_id[0], model_id[1])
    return model.__new__(model)


model_unpickle.__safe_for_unpickle__ = True  # type: ignore[attr-defined]


def keyword_init(model: Any) -> Callable[[Any, dict[str, Any]], bool] | None:
    """Return ``fill(instance, kwargs)``: ``Model(**kwargs)`` written out for ``model``.

    It handles the common call, every keyword an attname and none ``DEFERRED``,
    and returns False (having done nothing) for any other, which then takes
    ``Model.__init__``'s general loop. Constant defaults are computed once
    and copied in one go. 1,000 ``World(**row)``: 2.4 -> 1.1 ms. None when some
    field has no column.
    """
    from fastjango.db.models.fields import Field

    opts = model._meta
    fields = list(opts.fields)
    if not fields or any(f.column is None for f in fields):
        return None
    constants: dict[str, Any] = {"_state": None}
    namespace: dict[str, Any] = {"State": ModelState, "DEFERRED": DEFERRED, "constants": constants}
    computed = []
    through_descriptor = []
    for index, field in enumerate(fields):
        name = field.attname
        if field.generated:
            continue  # left unset: the database computes it
        if field.has_db_default() or type(field).get_default is not Field.get_default:
            namespace[f"d{index}"] = field.get_default
            computed.append(f"    if {name!r} not in kw:\n        values[{name!r}] = d{index}()")
        elif field.has_default() and callable(field.default):
            namespace[f"d{index}"] = field.default
            computed.append(f"    if {name!r} not in kw:\n        values[{name!r}] = d{index}()")
        else:
            constants[name] = field.get_default()
        # Every attname has a key: it keeps the fields' order in __dict__, and the
        # dict's size tells a keyword that isn't an attname.
        constants.setdefault(name, None)
        if hasattr(type(model.__dict__.get(name)), "__set__"):
            # A data descriptor (a foreign key's attname) must see the assignment.
            through_descriptor.append(name)
    namespace["size"] = len(constants)
    lines = [
        "def fill(self, kw):",
        "    for value in kw.values():",
        "        if value is DEFERRED:",
        "            return False",
        "    values = constants.copy()",
        "    values.update(kw)",
        "    if len(values) != size:",
        "        return False",
        "    values['_state'] = State()",
        *computed,
    ]
    lines += [f"    {name} = values.pop({name!r}, None)" for name in through_descriptor]
    lines.append("    self.__dict__.update(values)")
    lines += [f"    self.{name} = {name}" for name in through_descriptor]
    lines.append("    return True")
    source = "\n".join(lines) + "\n"
    exec(compile(source, f"<fastjango init {opts.label}>", "exec"), namespace)
    fill: Callable[[Any, dict[str, Any]], bool] = namespace["fill"]
    return fill


class _StateOfLoadedRow:
    """``instance._state`` for a row read from the default database, made on first use.

    Hydration leaves ``_state`` out of such an instance's ``__dict__``: most
    loaded instances never look at it, and making one costs about a quarter of
    building the instance. A non-data descriptor, so once made the instance's
    own ``_state`` is found first.
    """

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        state = ModelState(DEFAULT_DB_ALIAS, False)
        instance.__dict__["_state"] = state
        return state


class Model(AltersData, metaclass=ModelBase):
    """Base class of every model; subclass it and declare fields as class attributes."""

    if TYPE_CHECKING:
        objects: ClassVar[Manager[Self]]
        _meta: ClassVar[Options]
        _default_manager: ClassVar[Manager[Self]]
        _base_manager: ClassVar[Manager[Self]]
        __table__: ClassVar[sa.Table]
        c: ClassVar[Any]
        DoesNotExist: ClassVar[type[ObjectDoesNotExist]]
        MultipleObjectsReturned: ClassVar[type[MultipleObjectsReturned]]
        pk: Any
        id: Any

    if TYPE_CHECKING:
        _state: ModelState
    else:
        _state = _StateOfLoadedRow()
    _prefetched_objects_cache: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        cls = self.__class__
        opts = self._meta
        if opts.abstract:
            raise TypeError("Abstract models cannot be instantiated.")
        # The receivers test first: has_listeners() is a call, per instance built.
        if pre_init.receivers and pre_init.has_listeners(cls):
            pre_init.send(sender=cls, args=args, kwargs=kwargs)
        fill = opts._init_from_attnames
        if args or fill is None or not fill(self, kwargs):
            self._init_fields(args, kwargs)
        if opts._init_calls_super:
            super().__init__()
        if post_init.receivers and post_init.has_listeners(cls):
            post_init.send(sender=cls, instance=self)

    def _init_fields(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        cls = self.__class__
        opts = self._meta
        _setattr = setattr
        _deferred = DEFERRED
        self._state = ModelState()
        concrete_fields = opts.concrete_fields
        if len(args) > len(concrete_fields):
            raise IndexError("Number of args exceeds number of fields")
        if not kwargs:
            fields_iter = iter(concrete_fields)
            for val, field in zip(args, fields_iter, strict=False):
                if val is _deferred:
                    continue
                _setattr(self, field.attname, val)
        else:
            fields_iter = iter(opts.fields)
            for val, field in zip(args, fields_iter, strict=False):
                if val is _deferred:
                    continue
                _setattr(self, field.attname, val)
                if kwargs.pop(field.name, NOT_PROVIDED) is not NOT_PROVIDED:
                    raise TypeError(
                        f"{cls.__qualname__}() got both positional and keyword arguments for "
                        f"field '{field.name}'."
                    )
        # Missing keys are told apart with a sentinel, not KeyError: building objects
        # for bulk_create() takes this path once per field (a raised KeyError costs
        # more than the rest of the loop body).
        related_fields = opts._init_related_fields
        for field in fields_iter:
            is_related_object = False
            if field.column is None and field.attname not in kwargs:
                continue
            if kwargs:
                if field.attname in related_fields:
                    rel_obj = kwargs.pop(field.name, _MISSING)
                    if rel_obj is not _MISSING:
                        is_related_object = True
                    else:
                        val = kwargs.pop(field.attname, _MISSING)
                        if val is _MISSING:
                            val = field.get_default()
                else:
                    val = kwargs.pop(field.attname, _MISSING)
                    if val is _MISSING:
                        val = field.get_default()
            else:
                val = field.get_default()
            if is_related_object:
                if rel_obj is not _deferred:
                    _setattr(self, field.name, rel_obj)
            elif val is not _deferred:
                _setattr(self, field.attname, val)
        if kwargs:
            property_names = opts._property_names
            unexpected: list[str] = []
            for prop, value in kwargs.items():
                if prop in property_names:
                    if value is not _deferred:
                        _setattr(self, prop, value)
                else:
                    try:
                        opts.get_field(prop)
                    except FieldDoesNotExist:
                        unexpected.append(prop)
                    else:
                        if value is not _deferred:
                            _setattr(self, prop, value)
            if unexpected:
                names = ", ".join(repr(n) for n in unexpected)
                raise TypeError(f"{cls.__name__}() got unexpected keyword arguments: {names}")

    @classmethod
    def from_db(cls, db: str | None, field_names: list[str], values: list[Any]) -> Self:
        """Return an instance loaded from ``db`` (override to track loaded values)."""
        concrete = cls._meta.concrete_fields
        if len(values) != len(concrete):
            values_iter = iter(values)
            by_name = set(field_names)
            values = [next(values_iter) if f.attname in by_name else DEFERRED for f in concrete]
        new = cls(*values)
        new._state.adding = False
        new._state.db = db
        return new

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__}: {self}>"

    def __str__(self) -> str:
        return f"{self.__class__.__name__} object ({self.pk})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Model):
            return NotImplemented
        if self._meta.concrete_model != other._meta.concrete_model:
            return False
        my_pk = self.pk
        if my_pk is None:
            return self is other
        return bool(my_pk == other.pk)

    def __hash__(self) -> int:
        if self.pk is None:
            raise TypeError("Model instances without primary key value are unhashable")
        return hash(self.pk)

    def __reduce__(self) -> Any:
        data = self.__getstate__()
        class_id = self._meta.app_label, self._meta.object_name
        return model_unpickle, (class_id,), data

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_state"] = copy.copy(self._state)
        prefetched = state.get("_prefetched_objects_cache")
        if prefetched:
            state["_prefetched_objects_cache"] = {
                name: list(value) if hasattr(value, "_result_cache") else value
                for name, value in prefetched.items()
            }
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        prefetched = state.get("_prefetched_objects_cache")
        if prefetched:
            state["_prefetched_objects_cache"] = dict(prefetched)
        self.__dict__.update(state)

    def _get_pk_val(self, meta: Options | None = None) -> Any:
        meta = meta or self._meta
        return getattr(self, meta.pk.attname)

    def _set_pk_val(self, value: Any) -> None:
        setattr(self, self._meta.pk.attname, value)

    pk = property(_get_pk_val, _set_pk_val)

    def get_deferred_fields(self) -> set[str]:
        """Return the attnames of fields that weren't loaded."""
        return {f.attname for f in self._meta.concrete_fields if f.attname not in self.__dict__}

    # -- reloading ----------------------------------------------------------------

    def _refresh_queryset(
        self, using: str | None, fields: Iterable[str] | None, from_queryset: Any
    ) -> tuple[Any, list[str] | None]:
        if fields is None:
            self._prefetched_objects_cache = {}
            field_list = None
        else:
            field_list = list(fields)
            prefetched = getattr(self, "_prefetched_objects_cache", {})
            for name in list(field_list):
                if name in prefetched:
                    del prefetched[name]
                    field_list.remove(name)
            if not field_list:
                return None, field_list
            if any(LOOKUP_SEP in f for f in field_list):
                raise ValueError(
                    f'Found "{LOOKUP_SEP}" in fields argument. Relations and transforms are not '
                    "allowed in fields."
                )
        if from_queryset is None:
            hints = {"instance": self}
            from_queryset = self.__class__._base_manager.db_manager(using, hints=hints)
        elif using is not None:
            from_queryset = from_queryset.using(using)
        qs = from_queryset.filter(pk=self.pk)
        deferred = self.get_deferred_fields()
        if field_list is not None:
            qs = qs.only(*field_list)
        elif deferred:
            qs = qs.only(
                *{f.attname for f in self._meta.concrete_fields if f.attname not in deferred}
            )
        return qs, field_list

    def _apply_refresh(self, db_instance: Any, field_list: list[str] | None) -> None:
        non_loaded = db_instance.get_deferred_fields()
        for field in self._meta.concrete_fields:
            if field.attname in non_loaded:
                continue
            setattr(self, field.attname, getattr(db_instance, field.attname))
            if field.is_relation and field.is_cached(self):
                field.delete_cached_value(self)
        for rel in self._meta.related_objects:
            if rel.is_cached(self):
                rel.delete_cached_value(self)
        for field in self._meta.private_fields:
            if getattr(field, "is_relation", False) and field.is_cached(self):
                field.delete_cached_value(self)
        self._state.db = db_instance._state.db

    @async_unsafe(
        "Model.refresh_from_db() can't run a query in async code: use "
        "'await obj.arefresh_from_db()' instead."
    )
    def refresh_from_db(
        self,
        using: str | None = None,
        fields: Iterable[str] | None = None,
        from_queryset: Any = None,
    ) -> None:
        """Reload the field values from the database (only ``fields`` if given)."""
        qs, field_list = self._refresh_queryset(using, fields, from_queryset)
        if qs is None:
            return
        self._apply_refresh(qs.get(), field_list)

    async def arefresh_from_db(
        self,
        using: str | None = None,
        fields: Iterable[str] | None = None,
        from_queryset: Any = None,
    ) -> None:
        """Async twin of ``refresh_from_db()``."""
        qs, field_list = self._refresh_queryset(using, fields, from_queryset)
        if qs is None:
            return
        self._apply_refresh(await qs.aget(), field_list)

    async def afetch_related(self, *lookups: Any) -> Self:
        """Load related objects for async code (a FastJango addition); return ``self``.

        ``await book.afetch_related("author", "tags")`` makes ``book.author``
        and ``book.tags.all()`` usable without further queries.
        """
        from fastjango.db.models.query import aprefetch_related_objects

        await aprefetch_related_objects([self], *lookups)
        return self

    def serializable_value(self, field_name: str) -> Any:
        """Return the value of ``field_name`` (the related pk for a foreign key)."""
        try:
            field = self._meta.get_field(field_name)
        except FieldDoesNotExist:
            return getattr(self, field_name)
        return getattr(self, field.attname)

    # -- saving -------------------------------------------------------------------------

    def _prepare_related_fields_for_save(self, operation_name: str, fields: Any = None) -> None:
        for field in self._meta.concrete_fields:
            if fields and field not in fields:
                continue
            if not field.is_relation or not field.is_cached(self):
                continue
            obj = getattr(self, field.name, None)
            if not obj:
                continue
            if obj.pk is None:
                if not field.remote_field.multiple:
                    field.remote_field.delete_cached_value(obj)
                raise ValueError(
                    f"{operation_name}() prohibited to prevent data loss due to unsaved related "
                    f"object '{field.name}'."
                )
            if getattr(self, field.attname) in field.empty_values:
                setattr(self, field.name, obj)
            if getattr(obj, field.target_field.attname) != getattr(self, field.attname):
                field.delete_cached_value(self)
        for field in self._meta.private_fields:
            prepare = getattr(field, "prepare_for_save", None)
            if prepare is not None:
                prepare(self, operation_name)

    def _save_arguments(
        self,
        force_insert: Any,
        force_update: bool,
        using: str | None,
        update_fields: Iterable[str] | None,
    ) -> tuple[str, frozenset[str] | None, Any] | None:
        self._prepare_related_fields_for_save(operation_name="save")
        using = using or router.db_for_write(self.__class__, instance=self)
        if force_insert and (force_update or update_fields):
            raise ValueError("Cannot force both insert and updating in model saving.")
        if force_insert is not True and force_insert is not False:
            self._validate_force_insert(force_insert)
        deferred = self.get_deferred_fields()
        fields: frozenset[str] | None = None
        if update_fields is not None:
            if not update_fields:
                return None
            fields = frozenset(update_fields)
            field_names = self._meta._non_pk_concrete_field_names
            not_updatable = fields.difference(field_names)
            if not_updatable:
                raise ValueError(
                    "The following fields do not exist in this model, are m2m fields, primary "
                    "keys, or are non-concrete fields: " + ", ".join(sorted(not_updatable))
                )
        elif not force_insert and deferred and using == self._state.db:
            names = {
                f.attname
                for f in self._meta.concrete_fields
                if not f.primary_key and not hasattr(f, "through")
            }
            loaded = names.difference(deferred)
            if loaded:
                fields = frozenset(loaded)
        return using, fields, force_insert

    def save(
        self,
        *args: Any,
        force_insert: bool | tuple[Any, ...] = False,
        force_update: bool = False,
        using: str | None = None,
        update_fields: Iterable[str] | None = None,
    ) -> None:
        """Write the instance: UPDATE when it exists, INSERT otherwise.

        ``update_fields`` limits the UPDATE to those fields; signals
        ``pre_save``/``post_save`` are sent.
        """
        if args:
            raise TypeError(
                "Model.save() takes keyword arguments only (force_insert, force_update, using, "
                "update_fields)."
            )
        _guard_sync("save", "asave")
        arguments = self._save_arguments(force_insert, force_update, using, update_fields)
        if arguments is None:
            return
        db, fields, insert = arguments
        self.save_base(
            using=db, force_insert=insert, force_update=force_update, update_fields=fields
        )

    save.alters_data = True  # type: ignore[attr-defined]

    async def asave(
        self,
        *args: Any,
        force_insert: bool | tuple[Any, ...] = False,
        force_update: bool = False,
        using: str | None = None,
        update_fields: Iterable[str] | None = None,
    ) -> None:
        """Async twin of ``save()``."""
        if args:
            raise TypeError(
                "Model.asave() takes keyword arguments only (force_insert, force_update, using, "
                "update_fields)."
            )
        arguments = self._save_arguments(force_insert, force_update, using, update_fields)
        if arguments is None:
            return
        db, fields, insert = arguments
        await plans.run_async(self._save_base_plan(False, insert, force_update, db, fields))

    asave.alters_data = True  # type: ignore[attr-defined]

    def save_base(
        self,
        raw: bool = False,
        force_insert: bool = False,
        force_update: bool = False,
        using: str | None = None,
        update_fields: Iterable[str] | None = None,
    ) -> None:
        """Save without the checks of ``save()`` (``raw`` skips ``pre_save()`` of fields)."""
        using = using or router.db_for_write(self.__class__, instance=self)
        fields = frozenset(update_fields) if update_fields is not None else None
        plans.run_sync(self._save_base_plan(raw, force_insert, force_update, using, fields))

    save_base.alters_data = True  # type: ignore[attr-defined]

    def _save_base_plan(
        self,
        raw: bool,
        force_insert: bool,
        force_update: bool,
        using: str,
        update_fields: frozenset[str] | None,
    ) -> plans.Plan[None]:
        assert not (force_insert and (force_update or update_fields))
        cls = origin = self.__class__
        if cls._meta.proxy:
            cls = cls._meta.concrete_model
        meta = cls._meta
        # Steps for signals nobody listens to are skipped: each costs a generator resume.
        if not meta.auto_created and pre_save.has_listeners(origin):
            yield plans.Send(
                pre_save,
                origin,
                instance=self,
                raw=raw,
                using=using,
                update_fields=update_fields,
            )
        # transaction.mark_for_rollback_on_error(), inlined: this runs for every save().
        try:
            if meta.parents:
                # Multi-table inheritance: the parents' rows, then ours, in one transaction.
                updated = yield plans.Atomic(
                    using,
                    self._save_inherited_plan(
                        raw, cls, force_insert, force_update, using, update_fields
                    ),
                    savepoint=False,
                )
            else:
                updated = yield from self._save_table_plan(
                    raw, cls, bool(force_insert), force_update, using, update_fields
                )
        except Exception:
            connection = transaction.get_connection(using)
            if connection.in_atomic_block:
                connection.needs_rollback = True
            raise
        self._state.db = using
        self._state.adding = False
        if not meta.auto_created and post_save.has_listeners(origin):
            yield plans.Send(
                post_save,
                origin,
                instance=self,
                created=not updated,
                update_fields=update_fields,
                raw=raw,
                using=using,
            )

    def _save_inherited_plan(
        self,
        raw: bool,
        cls: Any,
        force_insert: Any,
        force_update: bool,
        using: str,
        update_fields: frozenset[str] | None,
    ) -> plans.Plan[bool]:
        parent_inserted = False
        forced = self._validate_force_insert(force_insert)
        if not raw:
            parent_inserted = yield from self._save_parents_plan(
                cls, using, update_fields, forced, {}
            )
        updated = yield from self._save_table_plan(
            raw, cls, bool(forced) or parent_inserted, force_update, using, update_fields
        )
        return updated

    def _validate_force_insert(self, force_insert: Any) -> tuple[type, ...]:
        if force_insert is False:
            return ()
        if force_insert is True:
            return (self.__class__,)
        if not isinstance(force_insert, tuple):
            raise TypeError("force_insert must be a bool or tuple.")
        for member in force_insert:
            if not isinstance(member, ModelBase):
                raise TypeError(
                    f"Invalid force_insert member. {member!r} must be a model subclass."
                )
            if not issubclass(self.__class__, member):
                raise TypeError(
                    f"Invalid force_insert member. {member.__qualname__} must be a base of "
                    f"{self.__class__.__qualname__}."
                )
        return force_insert

    def _save_parents_plan(
        self,
        cls: Any,
        using: str,
        update_fields: frozenset[str] | None,
        force_insert: tuple[type, ...],
        updated_parents: dict[Any, bool],
    ) -> plans.Plan[bool]:
        """Save the multi-table parents' rows (farthest first); return whether any was new."""
        inserted = False
        for parent, field in cls._meta.parents.items():
            parent_pk = parent._meta.pk.attname
            # Keep the link and the parent's key in step, whichever was set.
            if (
                field
                and getattr(self, parent_pk) is None
                and getattr(self, field.attname) is not None
            ):
                setattr(self, parent_pk, getattr(self, field.attname))
            parent_updated = updated_parents.get(parent)
            if parent_updated is None:
                parent_inserted = yield from self._save_parents_plan(
                    parent, using, update_fields, force_insert, updated_parents
                )
                updated = yield from self._save_table_plan(
                    False,
                    parent,
                    parent_inserted or issubclass(parent, force_insert),
                    False,
                    using,
                    update_fields,
                )
                if not updated:
                    inserted = True
                updated_parents[parent] = updated
            elif not parent_updated:
                inserted = True
            if field:
                setattr(self, field.attname, self._get_pk_val(parent._meta))
                # The cached parent object (if any) is stale now; it is rebuilt on access.
                if field.is_cached(self):
                    field.delete_cached_value(self)
        return inserted

    def _save_table_plan(
        self,
        raw: bool,
        cls: Any,
        force_insert: bool,
        force_update: bool,
        using: str,
        update_fields: frozenset[str] | None,
    ) -> plans.Plan[bool]:
        from fastjango.db.models.sql.writes import InsertOne, insert_statement, update_statement

        meta = cls._meta
        pk_val = self._get_pk_val(meta)
        if pk_val is None:
            pk_val = meta.pk.get_pk_value_on_save(self)
            setattr(self, meta.pk.attname, pk_val)
        pk_set = pk_val is not None
        if not pk_set and (force_update or update_fields):
            raise ValueError("Cannot force an update in save() with no primary key.")
        updated = False
        if (
            not raw
            and not force_insert
            and self._state.adding
            and (meta.pk.default is not NOT_PROVIDED or meta.pk.has_db_default())
        ):
            force_insert = True
        if pk_set and not force_insert:
            non_pks = meta._update_fields
            if update_fields:
                non_pks = [
                    f for f in non_pks if f.name in update_fields or f.attname in update_fields
                ]
            values = [
                (f, None, (getattr(self, f.attname) if raw else f.pre_save(self, False)))
                for f in non_pks
            ]
            forced_update = bool(update_fields or force_update)
            base_qs = cls._base_manager.using(using).filter(pk=pk_val)
            if not values:
                if update_fields is not None:
                    updated = True
                else:
                    updated = yield plans.Call(base_qs.exists, base_qs.aexists)
            else:
                if meta.select_on_save and not forced_update:
                    exists = yield plans.Call(base_qs.exists, base_qs.aexists)
                    if exists:
                        result = yield plans.Execute(using, update_statement(base_qs, values))
                        updated = result.rowcount > 0 or exists
                else:
                    result = yield plans.Execute(using, update_statement(base_qs, values))
                    updated = result.rowcount > 0
            if force_update and not updated:
                raise DatabaseError("Forced update did not affect any rows.")
            if update_fields and not updated:
                raise DatabaseError("Save with update_fields did not affect any rows.")
            if updated:
                # The database recomputed them: read again on first access.
                for attname in meta._generated_attnames:
                    self.__dict__.pop(attname, None)
        if not updated:
            if meta.order_with_respect_to:
                from fastjango.db.models.order_with_respect_to import next_order_plan

                self.__dict__["_order"] = yield from next_order_plan(cls, self, using)
            fields = meta._insert_fields
            if not pk_set:
                fields = meta._insert_fields_without_auto
            statement, params, returning = insert_statement(
                cls, [self], fields, meta.db_returning_fields, using, raw=raw
            )
            result = yield InsertOne(using, statement, params)
            _apply_insert_result(self, result, returning, fields, meta)
        return updated

    # -- deleting --------------------------------------------------------------------

    def _delete_collector(self, using: str | None, keep_parents: bool) -> Any:
        from fastjango.db.models.deletion import Collector

        if self.pk is None:
            raise ValueError(
                f"{self._meta.object_name} object can't be deleted because its "
                f"{self._meta.pk.attname} attribute is set to None."
            )
        using = using or router.db_for_write(self.__class__, instance=self)
        collector = Collector(using=using, origin=self)
        collector.collect([self], keep_parents=keep_parents)
        return collector

    def delete(
        self, using: str | None = None, keep_parents: bool = False
    ) -> tuple[int, dict[str, int]]:
        """Delete the row and, per ``on_delete``, the rows that refer to it.

        Return ``(total, {model label: count})``.
        """
        _guard_sync("delete", "adelete")
        collector = self._delete_collector(using, keep_parents)
        result: tuple[int, dict[str, int]] = plans.run_sync(collector.delete_plan())
        return result

    delete.alters_data = True  # type: ignore[attr-defined]

    async def adelete(
        self, using: str | None = None, keep_parents: bool = False
    ) -> tuple[int, dict[str, int]]:
        """Async twin of ``delete()``."""
        collector = self._delete_collector(using, keep_parents)
        return await plans.run_async(collector.delete_plan())

    adelete.alters_data = True  # type: ignore[attr-defined]

    # -- display --------------------------------------------------------------------

    def _get_FIELD_display(self, field: Any) -> Any:
        value = getattr(self, field.attname)
        choices = dict(field.flatchoices)
        return str(choices.get(value, value))

    def _get_next_or_previous_by_FIELD(self, field: Any, is_next: bool, **kwargs: Any) -> Any:
        from fastjango.db.models.query_utils import Q

        if not self.pk:
            raise ValueError("get_next/get_previous cannot be used on unsaved objects.")
        op = "gt" if is_next else "lt"
        order = "" if is_next else "-"
        param = getattr(self, field.attname)
        q = Q(**{field.name: param, f"pk__{op}": self.pk}) | Q(**{f"{field.name}__{op}": param})
        qs = (
            self.__class__._default_manager.using(self._state.db)
            .filter(**kwargs)
            .filter(q)
            .order_by(f"{order}{field.name}", f"{order}pk")
        )
        try:
            return qs[0]
        except IndexError:
            raise self.DoesNotExist(
                f"{self.__class__._meta.object_name} matching query does not exist."
            ) from None

    def _get_next_or_previous_in_order(self, is_next: bool) -> Any:
        from fastjango.db.models.order_with_respect_to import next_or_previous_in_order

        return next_or_previous_in_order(self, is_next)

    # -- validation -----------------------------------------------------------------

    def prepare_database_save(self, field: Any) -> Any:
        """Return the value saved for a foreign key to this instance (its target field)."""
        if self.pk is None:
            raise ValueError(f"Unsaved model instance {self!r} cannot be used in an ORM query.")
        return getattr(self, field.remote_field.get_related_field().attname)

    def clean(self) -> None:
        """Override for model-wide validation; raise ValidationError."""

    def validate_unique(self, exclude: Iterable[str] | None = None) -> None:
        """Raise ValidationError if a unique field or unique_together set is taken."""
        from fastjango.db.models.validation import unique_errors

        errors = unique_errors(self, set(exclude or ()))
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude: Iterable[str] | None = None) -> None:
        """Raise ValidationError for the ``Meta.constraints`` the instance violates."""
        from fastjango.db.models.validation import constraint_errors

        errors = constraint_errors(self, set(exclude or ()))
        if errors:
            raise ValidationError(errors)

    def clean_fields(self, exclude: Iterable[str] | None = None) -> None:
        """Clean every field (``Field.clean``); raise one ValidationError for all failures."""
        exclude_set = set(exclude or ())
        errors: dict[str, list[Any]] = {}
        for f in self._meta.fields:
            if f.name in exclude_set:
                continue
            raw_value = getattr(self, f.attname)
            if f.blank and raw_value in f.empty_values:
                continue
            if hasattr(raw_value, "resolve_expression"):
                continue
            try:
                setattr(self, f.attname, f.clean(raw_value, self))
            except ValidationError as e:
                errors[f.name] = e.error_list
        if errors:
            raise ValidationError(errors)

    def full_clean(
        self,
        exclude: Iterable[str] | None = None,
        validate_unique: bool = True,
        validate_constraints: bool = True,
    ) -> None:
        """Run clean_fields, clean, validate_unique and validate_constraints.

        Raise one ValidationError with every error, keyed by field name.
        """
        errors: dict[str, list[Any]] = {}
        exclude_set = set(exclude or ())
        try:
            self.clean_fields(exclude=exclude_set)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        try:
            self.clean()
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        if validate_unique:
            for name in errors:
                if name != NON_FIELD_ERRORS and name not in exclude_set:
                    exclude_set.add(name)
            try:
                self.validate_unique(exclude=exclude_set)
            except ValidationError as e:
                errors = e.update_error_dict(errors)
        if validate_constraints:
            for name in errors:
                if name != NON_FIELD_ERRORS and name not in exclude_set:
                    exclude_set.add(name)
            try:
                self.validate_constraints(exclude=exclude_set)
            except ValidationError as e:
                errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _get_unique_checks(
        self, exclude: Iterable[str] | None = None
    ) -> tuple[list[Any], list[Any]]:
        from fastjango.db.models.validation import get_unique_checks

        return get_unique_checks(self, set(exclude or ()))

    def unique_error_message(
        self, model_class: Any, unique_check: Iterable[str]
    ) -> ValidationError:
        """Return the ValidationError for a failed unique check."""
        from fastjango.db.models.validation import unique_error_message

        return unique_error_message(self, model_class, tuple(unique_check))

    @classmethod
    def check(cls, **kwargs: Any) -> list[Any]:
        """Return the system check messages of this model's fields."""
        from fastjango.core import checks

        errors: list[Any] = []
        if cls._meta._ordering_clash:
            errors.append(
                checks.Error(
                    "'ordering' and 'order_with_respect_to' cannot be used together.",
                    obj=cls,
                    id="models.E021",
                )
            )
        for field in cls._meta.local_fields:
            errors.extend(field.check(**kwargs))
        for field in cls._meta.local_many_to_many:
            errors.extend(field.check(from_model=cls, **kwargs))
        errors.extend(cls._check_parent_field_clashes())
        return errors

    @classmethod
    def _check_parent_field_clashes(cls) -> list[Any]:
        # Class creation refuses clashes with a direct parent's fields; this finds the rest.
        from fastjango.core import checks

        used: dict[str, Any] = {}
        for parent in cls._meta.get_parent_list():
            for field in parent._meta.get_fields():
                used.setdefault(field.name, field)
        errors: list[Any] = []
        for field in cls._meta.local_fields:
            clash = used.get(field.name) or used.get(field.attname)
            if clash is not None:
                errors.append(
                    checks.Error(
                        f"The field '{field.name}' clashes with the field '{clash.name}' from "
                        f"model '{clash.model._meta}'.",
                        obj=field,
                        id="models.E006",
                    )
                )
        return errors


def _guard_sync(name: str, twin: str) -> None:
    from fastjango.db.models.query_utils import refuse_sync_query

    refuse_sync_query(f"Model.{name}()", f"use 'await obj.{twin}()' instead")


def _apply_insert_result(
    obj: Any, result: Any, returning: list[Any], fields: list[Any], meta: Options
) -> None:
    """Set the values the INSERT gave back (auto primary key, db_default fields)."""
    if returning:
        row = result.first() if result.returns_rows else None
        if row is not None:
            for value, field in zip(row, returning, strict=False):
                obj.__dict__[field.attname] = value
            return
    pk: Any = meta.pk
    if isinstance(pk, AutoFieldMixin) and getattr(obj, pk.attname) is None:
        inserted = result.inserted_primary_key
        if inserted is not None and inserted[0] is not None:
            obj.__dict__[pk.attname] = inserted[0]
        elif result.lastrowid:
            obj.__dict__[pk.attname] = result.lastrowid
    if not meta._has_db_defaults:
        return
    # Without RETURNING, db_default values are read on first access.
    from fastjango.db.models.expressions import DatabaseDefault

    for field in fields:
        if isinstance(obj.__dict__.get(field.attname), DatabaseDefault):
            del obj.__dict__[field.attname]
