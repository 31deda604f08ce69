"""Relation fields: ``ForeignKey``, ``OneToOneField``, ``ManyToManyField``.

A relation to a model not defined yet (``"app_label.Model"`` or ``"self"``)
is finished when that model is registered: the foreign key column then gets
its type and constraint, the target model records the reverse relation and
gets its reverse accessor.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, overload

import sqlalchemy as sa

from fastjango.core import exceptions
from fastjango.db.models import fields as _fields
from fastjango.db.models.deletion import CASCADE, SET_DEFAULT, SET_NULL
from fastjango.db.models.fields import Field
from fastjango.db.models.fields.mixins import FieldCacheMixin
from fastjango.db.models.fields.related_descriptors import (
    ForeignKeyDeferredAttribute,
    ForwardManyToOneDescriptor,
    ForwardOneToOneDescriptor,
    ManyToManyDescriptor,
    ReverseManyToOneDescriptor,
    ReverseOneToOneDescriptor,
)
from fastjango.db.models.fields.reverse_related import (
    ManyToManyRel,
    ManyToOneRel,
    OneToOneRel,
)
from fastjango.db.models.query_utils import PathInfo
from fastjango.db.models.utils import make_model_tuple
from fastjango.utils.functional import cached_property

if TYPE_CHECKING:
    from typing_extensions import TypeVar

    from fastjango.db.models.base import Model
    from fastjango.db.models.expressions import Combinable
    from fastjango.db.models.manager import Manager

    _ST = TypeVar("_ST", default=Any)
    _GT = TypeVar("_GT", default=Any)
    _M = TypeVar("_M", bound=Model)
else:
    from typing import TypeVar

    _ST = TypeVar("_ST")
    _GT = TypeVar("_GT")
    _M = TypeVar("_M")

__all__ = [
    "RECURSIVE_RELATIONSHIP_CONSTANT",
    "ForeignKey",
    "ManyToManyField",
    "OneToOneField",
    "RelatedField",
    "create_many_to_many_intermediary_model",
    "lazy_related_operation",
    "resolve_relation",
]

RECURSIVE_RELATIONSHIP_CONSTANT = "self"


def resolve_relation(scope_model: Any, relation: Any) -> Any:
    """Return ``relation`` as a model or ``"app_label.Model"`` (``"self"`` → ``scope_model``)."""
    if relation == RECURSIVE_RELATIONSHIP_CONSTANT:
        return scope_model
    if isinstance(relation, str) and "." not in relation:
        return f"{scope_model._meta.app_label}.{relation}"
    return relation


def lazy_related_operation(
    function: Callable[..., Any], model: Any, *related_models: Any, **kwargs: Any
) -> None:
    """Call ``function(model, *related_models, **kwargs)`` once every model is registered."""
    models = [model] + [resolve_relation(model, rel) for rel in related_models]
    model_keys = (make_model_tuple(m) for m in models)
    apps = model._meta.apps
    apps.lazy_model_operation(functools.partial(function, **kwargs), *model_keys)


class RelatedField(FieldCacheMixin, Field[_ST, _GT]):
    """Base class of relation fields."""

    related_fields: Any
    path_infos: Any

    one_to_many = False
    one_to_one = False
    many_to_many = False
    many_to_one = False

    def __init__(
        self,
        related_name: str | None = None,
        related_query_name: str | None = None,
        limit_choices_to: Any = None,
        **kwargs: Any,
    ) -> None:
        self._related_name = related_name
        self._related_query_name = related_query_name
        self._limit_choices_to = limit_choices_to
        super().__init__(**kwargs)

    @cached_property
    def related_model(self) -> Any:
        """Return the model this field points at."""
        return self.remote_field.model

    def db_type(self, connection: Any) -> str | None:
        return None

    def contribute_to_class(self, cls: type[Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        self.opts = cls._meta
        if not cls._meta.abstract:
            related_name = self.remote_field.related_name or self.opts.default_related_name
            if related_name:
                related_name = related_name % {
                    "class": cls.__name__.lower(),
                    "model_name": str(cls._meta.model_name).lower(),
                    "app_label": str(cls._meta.app_label).lower(),
                }
                self.remote_field.related_name = related_name
            if self.remote_field.related_query_name:
                self.remote_field.related_query_name = self.remote_field.related_query_name % {
                    "class": cls.__name__.lower(),
                    "app_label": cls._meta.app_label.lower(),  # type: ignore[union-attr]
                }

            def resolve_related_class(model: Any, related: Any, field: Any) -> None:
                field.remote_field.model = related
                field.do_related_class(related, model)

            lazy_related_operation(resolve_related_class, cls, self.remote_field.model, field=self)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if self._limit_choices_to:
            kwargs["limit_choices_to"] = self._limit_choices_to
        if self._related_name is not None:
            kwargs["related_name"] = self._related_name
        if self._related_query_name is not None:
            kwargs["related_query_name"] = self._related_query_name
        return name, path, args, kwargs

    def get_forward_related_filter(self, obj: Any) -> dict[str, Any]:
        """Return the filter on this model's objects related to ``obj``."""
        return {
            f"{self.name}__{rh_field.name}": getattr(obj, rh_field.attname)
            for _, rh_field in self.related_fields
        }

    def get_reverse_related_filter(self, obj: Any) -> dict[str, Any]:
        """Return the filter on the target model that finds ``obj``'s related object."""
        return {
            rh_field.attname: getattr(obj, lh_field.attname)
            for lh_field, rh_field in self.related_fields
        }

    def set_attributes_from_rel(self) -> None:
        """Fill in names that need the target model."""
        self.name = self.name or (
            self.remote_field.model._meta.model_name + "_" + self.remote_field.model._meta.pk.name
        )
        if self.verbose_name is None:
            self.verbose_name = self.remote_field.model._meta.verbose_name
        self.remote_field.set_field_name()

    def do_related_class(self, other: Any, cls: Any) -> None:
        """Finish the relation once ``other`` (the target) is known."""
        for cached in ("related_fields", "path_infos", "reverse_path_infos", "related_model"):
            self.__dict__.pop(cached, None)
        self.set_attributes_from_rel()
        self.contribute_to_related_class(other, self.remote_field)

    def contribute_to_related_class(self, cls: Any, related: Any) -> None:
        """Install the reverse side on the target model ``cls``."""

    def get_limit_choices_to(self) -> Any:
        """Return ``limit_choices_to`` (called when callable)."""
        limit = self.remote_field.limit_choices_to
        if callable(limit):
            return limit()
        return limit

    def related_query_name(self) -> str:
        """Return the name the target model uses for this relation in lookups."""
        return str(
            self.remote_field.related_query_name
            or self.remote_field.related_name
            or self.opts.default_related_name
            or self.opts.model_name
        )

    @property
    def target_field(self) -> Any:
        """Return the field of the target model this relation stores."""
        target_fields = self.path_infos[-1].target_fields
        if len(target_fields) > 1:
            raise exceptions.FieldError(
                "The relation has multiple target fields, but only single target field was "
                "asked for"
            )
        return target_fields[0]

    def get_cache_name(self) -> str:
        return self.name


class ForeignKey(RelatedField[_ST, _GT]):
    """A many-to-one relation, stored as the target's primary key in ``<name>_id``."""

    descriptor_class = ForeignKeyDeferredAttribute
    many_to_one = True
    related_accessor_class: Any = ReverseManyToOneDescriptor
    forward_related_accessor_class: Any = ForwardManyToOneDescriptor
    rel_class: Any = ManyToOneRel
    empty_strings_allowed = False
    default_error_messages = {
        "invalid": "%(model)s instance with %(field)s %(value)r is not a valid choice."
    }
    description = "Foreign Key (type determined by related field)"

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: ForeignKey[_M | Combinable, _M],
            to: type[_M],
            on_delete: Callable[..., Any],
            related_name: str | None = ...,
            related_query_name: str | None = ...,
            limit_choices_to: Any = ...,
            parent_link: bool = ...,
            to_field: str | None = ...,
            db_constraint: bool = ...,
            *,
            null: Literal[False] = False,
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: ForeignKey[_M | Combinable | None, _M | None],
            to: type[_M],
            on_delete: Callable[..., Any],
            related_name: str | None = ...,
            related_query_name: str | None = ...,
            limit_choices_to: Any = ...,
            parent_link: bool = ...,
            to_field: str | None = ...,
            db_constraint: bool = ...,
            *,
            null: Literal[True],
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: ForeignKey[Any, Any],
            to: str,
            on_delete: Callable[..., Any],
            related_name: str | None = ...,
            related_query_name: str | None = ...,
            limit_choices_to: Any = ...,
            parent_link: bool = ...,
            to_field: str | None = ...,
            db_constraint: bool = ...,
            *,
            null: bool = False,
            **kwargs: Any,
        ) -> None: ...

    def __init__(
        self,
        to: Any,
        on_delete: Callable[..., Any],
        related_name: str | None = None,
        related_query_name: str | None = None,
        limit_choices_to: Any = None,
        parent_link: bool = False,
        to_field: str | None = None,
        db_constraint: bool = True,
        **kwargs: Any,
    ) -> None:
        if not hasattr(to, "_meta"):
            if not isinstance(to, str):
                raise TypeError(
                    f"{self.__class__.__name__}({to!r}) is invalid. First parameter to "
                    "ForeignKey must be either a model, a model name, or the string "
                    f"{RECURSIVE_RELATIONSHIP_CONSTANT!r}"
                )
        else:
            to_field = to_field or (to._meta.pk and to._meta.pk.name)
        if not callable(on_delete):
            raise TypeError("on_delete must be callable.")
        kwargs["rel"] = self.rel_class(
            self,
            to,
            to_field,
            related_name=related_name,
            related_query_name=related_query_name,
            limit_choices_to=limit_choices_to,
            parent_link=parent_link,
            on_delete=on_delete,
        )
        kwargs.setdefault("db_index", True)
        super().__init__(
            related_name=related_name,
            related_query_name=related_query_name,
            limit_choices_to=limit_choices_to,
            **kwargs,
        )
        self.db_constraint = db_constraint
        self.to_fields = [to_field]
        self._sa_column: sa.Column[Any] | None = None

    def __class_getitem__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls

    def check(self, **kwargs: Any) -> list[Any]:
        errors = super().check(**kwargs)
        on_delete = getattr(self.remote_field, "on_delete", None)
        if on_delete == SET_NULL and not self.null:
            errors.append(
                _fields._check_error(
                    "Field specifies on_delete=SET_NULL, but cannot be null.",
                    obj=self,
                    id="fields.E320",
                )
            )
        elif on_delete == SET_DEFAULT and not self.has_default():
            errors.append(
                _fields._check_error(
                    "Field specifies on_delete=SET_DEFAULT, but has no default value.",
                    obj=self,
                    id="fields.E321",
                )
            )
        return errors

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("db_index", None)
        kwargs["on_delete"] = self.remote_field.on_delete
        if self.db_index is False:
            kwargs["db_index"] = False
        if self.db_constraint is not True:
            kwargs["db_constraint"] = self.db_constraint
        model = self.remote_field.model
        kwargs["to"] = _label_lower(model)
        if (
            self.to_fields[0]
            and not isinstance(model, str)
            and self.to_fields[0] != model._meta.pk.name
        ):
            kwargs["to_field"] = self.to_fields[0]
        return name, path, args, kwargs

    def get_attname(self) -> str:
        return f"{self.name}_id"

    def get_attname_column(self) -> tuple[str, str]:
        attname = self.get_attname()
        return attname, self.db_column or attname

    # -- the columns on each side ------------------------------------------------------

    def resolve_related_fields(self) -> list[tuple[Any, Any]]:
        """Return ``[(this field, target field)]``."""
        if isinstance(self.remote_field.model, str):
            raise ValueError(f"Related model {self.remote_field.model!r} cannot be resolved")
        to_field_name = self.to_fields[0]
        to_field = (
            self.remote_field.model._meta.pk
            if to_field_name is None
            else self.remote_field.model._meta.get_field(to_field_name)
        )
        return [(self, to_field)]

    @cached_property
    def related_fields(self) -> list[tuple[Any, Any]]:
        """Return ``[(this field, target field)]`` (cached)."""
        return self.resolve_related_fields()

    @property
    def reverse_related_fields(self) -> list[tuple[Any, Any]]:
        return [(rhs, lhs) for lhs, rhs in self.related_fields]

    @property
    def local_related_fields(self) -> tuple[Any, ...]:
        return tuple(lhs for lhs, _ in self.related_fields)

    @property
    def foreign_related_fields(self) -> tuple[Any, ...]:
        return tuple(rhs for _, rhs in self.related_fields if rhs)

    def get_local_related_value(self, instance: Any) -> tuple[Any, ...]:
        """Return this field's value on ``instance``, as a tuple."""
        return (getattr(instance, self.attname),)

    def get_foreign_related_value(self, instance: Any) -> tuple[Any, ...]:
        """Return the target field's value on ``instance``, as a tuple."""
        return (getattr(instance, self.target_field.attname),)

    def get_joining_fields(self) -> tuple[tuple[Any, Any], ...]:
        """Return the JOIN's ``(this side, target side)`` field pairs."""
        return tuple(self.related_fields)

    def get_reverse_joining_fields(self) -> tuple[tuple[Any, Any], ...]:
        """Return the reverse JOIN's field pairs."""
        return tuple(self.reverse_related_fields)

    def get_path_info(self, filtered_relation: Any = None) -> list[PathInfo]:
        """Return the one hop from this model to the target."""
        opts = self.remote_field.model._meta
        from_opts = self.model._meta
        return [
            PathInfo(
                from_opts=from_opts,
                to_opts=opts,
                target_fields=self.foreign_related_fields,
                join_field=self,
                m2m=False,
                direct=True,
                filtered_relation=filtered_relation,
            )
        ]

    @cached_property
    def path_infos(self) -> list[PathInfo]:
        return self.get_path_info()

    def get_reverse_path_info(self, filtered_relation: Any = None) -> list[PathInfo]:
        """Return the one hop from the target back to this model."""
        opts = self.model._meta
        from_opts = self.remote_field.model._meta
        return [
            PathInfo(
                from_opts=from_opts,
                to_opts=opts,
                target_fields=(opts.pk,),
                join_field=self.remote_field,
                m2m=not self.unique,
                direct=False,
                filtered_relation=filtered_relation,
            )
        ]

    @cached_property
    def reverse_path_infos(self) -> list[PathInfo]:
        return self.get_reverse_path_info()

    @property
    def target_field(self) -> Any:
        return self.foreign_related_fields[0]

    # -- class setup ---------------------------------------------------------------------

    def contribute_to_class(self, cls: type[Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        setattr(cls, self.name, self.forward_related_accessor_class(self))

    def contribute_to_related_class(self, cls: Any, related: Any) -> None:
        concrete = cls._meta.concrete_model or cls
        if not self.remote_field.is_hidden() and not related.related_model._meta.swapped:
            setattr(concrete, related.get_accessor_name(), self.related_accessor_class(related))
            if self.remote_field.limit_choices_to:
                cls._meta.related_fkey_lookups.append(self.remote_field.limit_choices_to)
        if self.remote_field.field_name is None:
            self.remote_field.field_name = cls._meta.pk.name
        concrete._meta.add_related_object(related)
        if cls._meta is not concrete._meta:
            cls._meta._expire_cache(forward=False)
        self.resolve_column()

    # -- the column -----------------------------------------------------------------------

    def sa_type(self) -> Any:
        model = self.remote_field.model
        # The target may not be defined (a string) or finished (no pk yet): the
        # column gets its type when the relation resolves.
        if isinstance(model, str) or model._meta.pk is None:
            return sa.types.NullType()
        return self.target_field.rel_sa_type()

    def build_column(self, table_name: str) -> tuple[sa.Column[Any], list[Any]]:
        column, extra = super().build_column(table_name)
        self._sa_column = column
        return column, extra

    def resolve_column(self) -> None:
        """Give the column its type and foreign key now that the target model is known."""
        table = self.model._meta.table
        if table is None or self.attname not in table.c:
            return
        column = table.c[self.attname]
        target = self.target_field
        column.type = target.rel_sa_type()
        self.__dict__.pop("sa_type_instance", None)
        if self.db_constraint and not column.foreign_keys:
            target_table = target.model._meta.table
            if target_table is None:
                return
            column.append_foreign_key(
                sa.ForeignKey(
                    target_table.c[target.attname],
                    deferrable=True,
                    initially="DEFERRED",
                )
            )

    # -- values ---------------------------------------------------------------------------

    def validate(self, value: Any, model_instance: Any) -> None:
        if self.remote_field.parent_link:
            # Set by save() from the parent's row: nothing to check before.
            return
        super().validate(value, model_instance)
        if value is None:
            return
        from fastjango.db import router

        using = router.db_for_read(self.remote_field.model, instance=model_instance)
        qs = self.remote_field.model._base_manager.using(using).filter(
            **{self.remote_field.field_name: value}
        )
        qs = qs.complex_filter(self.get_limit_choices_to())
        if not qs.exists():
            raise exceptions.ValidationError(
                self.error_messages["invalid"],
                code="invalid",
                params={
                    "model": self.remote_field.model._meta.verbose_name,
                    "pk": value,
                    "field": self.remote_field.field_name,
                    "value": value,
                },
            )

    def get_default(self) -> Any:
        default = super().get_default()
        model = self.remote_field.model
        if not isinstance(model, str) and isinstance(default, model):
            return getattr(default, self.target_field.attname)
        return default

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        if value is None or (value == "" and not self.target_field.empty_strings_allowed):
            return None
        return self.target_field.get_db_prep_save(value, connection=connection)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        return self.target_field.get_db_prep_value(value, connection, prepared)

    def get_prep_value(self, value: Any) -> Any:
        return self.target_field.get_prep_value(value)

    def to_python(self, value: Any) -> Any:
        return self.target_field.to_python(value)

    def get_col(self, alias: str, output_field: Any = None) -> Any:
        if output_field is None:
            output_field = self.target_field
            while isinstance(output_field, ForeignKey):
                output_field = output_field.target_field
                if output_field is self:
                    raise ValueError("Cannot resolve output_field.")
        return super().get_col(alias, output_field)

    def db_parameters(self, connection: Any) -> dict[str, Any]:
        return {"type": self.db_type(connection), "check": None}

    def db_type(self, connection: Any) -> str | None:
        return self.target_field.rel_db_type(connection)  # type: ignore[no-any-return]

    def value_to_string(self, obj: Any) -> str:
        return str(getattr(obj, self.attname))


class OneToOneField(ForeignKey[_ST, _GT]):
    """A one-to-one relation: a unique foreign key whose reverse is a single object."""

    many_to_one = False
    one_to_one = True
    related_accessor_class = ReverseOneToOneDescriptor
    forward_related_accessor_class = ForwardOneToOneDescriptor
    rel_class = OneToOneRel
    description = "One-to-one relationship"

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: OneToOneField[_M | Combinable, _M],
            to: type[_M],
            on_delete: Callable[..., Any],
            to_field: str | None = ...,
            *,
            null: Literal[False] = False,
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: OneToOneField[_M | Combinable | None, _M | None],
            to: type[_M],
            on_delete: Callable[..., Any],
            to_field: str | None = ...,
            *,
            null: Literal[True],
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: OneToOneField[Any, Any],
            to: str,
            on_delete: Callable[..., Any],
            to_field: str | None = ...,
            *,
            null: bool = False,
            **kwargs: Any,
        ) -> None: ...

    def __init__(
        self, to: Any, on_delete: Callable[..., Any], to_field: str | None = None, **kwargs: Any
    ) -> None:
        kwargs["unique"] = True
        super().__init__(to, on_delete, to_field=to_field, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("unique", None)
        return name, path, args, kwargs


def create_many_to_many_intermediary_model(field: Any, klass: Any) -> Any:
    """Return the auto-created ``through`` model of a ManyToManyField (Django's naming)."""
    from fastjango.db.models.base import Model

    def set_managed(model: Any, related: Any, through: Any) -> None:
        through._meta.managed = model._meta.managed or related._meta.managed

    to_model = resolve_relation(klass, field.remote_field.model)
    name = f"{klass._meta.object_name}_{field.name}"
    lazy_related_operation(set_managed, klass, to_model, name)
    to = make_model_tuple(to_model)[1]
    from_ = klass._meta.model_name
    if to == from_:
        to = f"to_{to}"
        from_ = f"from_{from_}"
    meta = type(
        "Meta",
        (),
        {
            "db_table": field._get_m2m_db_table(klass._meta),
            "auto_created": klass,
            "app_label": klass._meta.app_label,
            "db_tablespace": klass._meta.db_tablespace,
            "unique_together": (from_, to),
            "verbose_name": f"{from_}-{to} relationship",
            "verbose_name_plural": f"{from_}-{to} relationships",
            "apps": field.model._meta.apps,
        },
    )
    return type(
        name,
        (Model,),
        {
            "Meta": meta,
            "__module__": klass.__module__,
            from_: ForeignKey(
                klass,
                related_name=f"{name}+",
                db_tablespace=field.db_tablespace,
                db_constraint=field.remote_field.db_constraint,
                on_delete=CASCADE,
            ),
            to: ForeignKey(
                to_model,
                related_name=f"{name}+",
                db_tablespace=field.db_tablespace,
                db_constraint=field.remote_field.db_constraint,
                on_delete=CASCADE,
            ),
        },
    )


class ManyToManyField(RelatedField[_ST, _GT]):
    """A many-to-many relation through an intermediary table (auto-created or ``through``)."""

    many_to_many = True
    rel_class = ManyToManyRel
    description = "Many-to-many relationship"

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: ManyToManyField[Any, Manager[_M]],
            to: type[_M],
            *args: Any,
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: ManyToManyField[Any, Any],
            to: str,
            *args: Any,
            **kwargs: Any,
        ) -> None: ...

    def __init__(
        self,
        to: Any,
        related_name: str | None = None,
        related_query_name: str | None = None,
        limit_choices_to: Any = None,
        symmetrical: bool | None = None,
        through: Any = None,
        through_fields: Any = None,
        db_constraint: bool = True,
        db_table: str | None = None,
        swappable: bool = True,
        **kwargs: Any,
    ) -> None:
        if not hasattr(to, "_meta") and not isinstance(to, str):
            raise TypeError(
                f"{self.__class__.__name__}({to!r}) is invalid. First parameter to "
                "ManyToManyField must be either a model, a model name, or the string "
                f"{RECURSIVE_RELATIONSHIP_CONSTANT!r}"
            )
        if symmetrical is None:
            symmetrical = to == RECURSIVE_RELATIONSHIP_CONSTANT
        if through is not None and db_table is not None:
            raise ValueError("Cannot specify a db_table if an intermediary model is used.")
        kwargs["rel"] = self.rel_class(
            self,
            to,
            related_name=related_name,
            related_query_name=related_query_name,
            limit_choices_to=limit_choices_to,
            symmetrical=symmetrical,
            through=through,
            through_fields=through_fields,
            db_constraint=db_constraint,
        )
        self.has_null_arg = "null" in kwargs
        super().__init__(
            related_name=related_name,
            related_query_name=related_query_name,
            limit_choices_to=limit_choices_to,
            **kwargs,
        )
        self.db_table = db_table
        self.swappable = swappable

    def check(self, **kwargs: Any) -> list[Any]:
        errors = super().check(**kwargs)
        if self.has_null_arg:
            from fastjango.core import checks

            errors.append(
                checks.Warning("null has no effect on ManyToManyField.", obj=self, id="fields.W340")
            )
        return errors

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if self.remote_field.db_constraint is not True:
            kwargs["db_constraint"] = self.remote_field.db_constraint
        if self.db_table is not None:
            kwargs["db_table"] = self.db_table
        model = self.remote_field.model
        kwargs["to"] = _label_lower(model)
        through = self.remote_field.through
        if through is not None and not getattr(
            getattr(through, "_meta", None), "auto_created", False
        ):
            kwargs["through"] = through if isinstance(through, str) else through._meta.label
        return name, path, args, kwargs

    def get_attname_column(self) -> tuple[str, str]:
        return self.get_attname(), None  # type: ignore[return-value]

    def _get_path_info(self, direct: bool = False, filtered_relation: Any = None) -> list[PathInfo]:
        int_model = self.remote_field.through
        linkfield1 = int_model._meta.get_field(self.m2m_field_name())
        linkfield2 = int_model._meta.get_field(self.m2m_reverse_field_name())
        if direct:
            join1infos = linkfield1.reverse_path_infos
            join2infos = (
                linkfield2.get_path_info(filtered_relation)
                if filtered_relation
                else linkfield2.path_infos
            )
        else:
            join1infos = linkfield2.reverse_path_infos
            join2infos = (
                linkfield1.get_path_info(filtered_relation)
                if filtered_relation
                else linkfield1.path_infos
            )
        return [*join1infos, *join2infos]

    def get_path_info(self, filtered_relation: Any = None) -> list[PathInfo]:
        """Return the two hops: to the through table, then to the target."""
        return self._get_path_info(direct=True, filtered_relation=filtered_relation)

    @cached_property
    def path_infos(self) -> list[PathInfo]:
        return self.get_path_info()

    def get_reverse_path_info(self, filtered_relation: Any = None) -> list[PathInfo]:
        """Return the two hops from the target back to this model."""
        return self._get_path_info(direct=False, filtered_relation=filtered_relation)

    @cached_property
    def reverse_path_infos(self) -> list[PathInfo]:
        return self.get_reverse_path_info()

    def _get_m2m_db_table(self, opts: Any) -> str:
        through = self.remote_field.through
        if through is not None and not isinstance(through, str):
            return str(through._meta.db_table)
        if self.db_table:
            return self.db_table
        from fastjango.db.models.metadata import MAX_NAME_LENGTH, names_digest

        name = f"{opts.db_table}_{self.name}"
        if len(name) > MAX_NAME_LENGTH:
            name = f"{name[: MAX_NAME_LENGTH - 4]}{names_digest(name, length=4)}"
        return name

    def _get_m2m_attr(self, related: Any, attr: str) -> Any:
        cache_attr = f"_m2m_{attr}_cache"
        if hasattr(self, cache_attr):
            return getattr(self, cache_attr)
        link_field_name = (
            self.remote_field.through_fields[0] if self.remote_field.through_fields else None
        )
        for f in self.remote_field.through._meta.fields:
            if (
                f.is_relation
                and f.remote_field.model == related.related_model
                and (link_field_name is None or link_field_name == f.name)
            ):
                setattr(self, cache_attr, getattr(f, attr))
                return getattr(self, cache_attr)
        return None

    def _get_m2m_reverse_attr(self, related: Any, attr: str) -> Any:
        cache_attr = f"_m2m_reverse_{attr}_cache"
        if hasattr(self, cache_attr):
            return getattr(self, cache_attr)
        found = False
        link_field_name = (
            self.remote_field.through_fields[1] if self.remote_field.through_fields else None
        )
        for f in self.remote_field.through._meta.fields:
            if f.is_relation and f.remote_field.model == related.model:
                if link_field_name is None and related.related_model == related.model:
                    # A many-to-many to self: the second foreign key is the target's.
                    if found:
                        setattr(self, cache_attr, getattr(f, attr))
                        break
                    found = True
                elif link_field_name is None or link_field_name == f.name:
                    setattr(self, cache_attr, getattr(f, attr))
                    break
        return getattr(self, cache_attr, None)

    def contribute_to_class(self, cls: type[Model], name: str, private_only: bool = False) -> None:
        if self.remote_field.symmetrical and (
            self.remote_field.model == RECURSIVE_RELATIONSHIP_CONSTANT
            or self.remote_field.model == cls._meta.object_name
        ):
            self.remote_field.related_name = f"{name}_rel_+"
        elif self.remote_field.is_hidden():
            self.remote_field.related_name = (
                f"_{cls._meta.app_label}_{cls.__name__.lower()}_{name}_+"
            )
        super().contribute_to_class(cls, name, private_only=private_only)
        if not cls._meta.abstract:
            if self.remote_field.through:

                def resolve_through_model(_: Any, model: Any, field: Any) -> None:
                    field.remote_field.through = model

                lazy_related_operation(
                    resolve_through_model, cls, self.remote_field.through, field=self
                )
            elif not cls._meta.swapped:
                self.remote_field.through = create_many_to_many_intermediary_model(self, cls)
        setattr(cls, self.name, ManyToManyDescriptor(self.remote_field, reverse=False))
        self.m2m_db_table = functools.partial(self._get_m2m_db_table, cls._meta)

    def contribute_to_related_class(self, cls: Any, related: Any) -> None:
        if not self.remote_field.is_hidden() and not related.related_model._meta.swapped:
            setattr(
                cls._meta.concrete_model or cls,
                related.get_accessor_name(),
                ManyToManyDescriptor(self.remote_field, reverse=True),
            )
        (cls._meta.concrete_model or cls)._meta.add_related_object(related)
        self.m2m_column_name = functools.partial(self._get_m2m_attr, related, "column")
        self.m2m_reverse_name = functools.partial(self._get_m2m_reverse_attr, related, "column")
        self.m2m_field_name = functools.partial(self._get_m2m_attr, related, "name")
        self.m2m_reverse_field_name = functools.partial(self._get_m2m_reverse_attr, related, "name")
        get_m2m_rel = functools.partial(self._get_m2m_attr, related, "remote_field")
        self.m2m_target_field_name = lambda: get_m2m_rel().field_name
        get_m2m_reverse_rel = functools.partial(self._get_m2m_reverse_attr, related, "remote_field")
        self.m2m_reverse_target_field_name = lambda: get_m2m_reverse_rel().field_name

    def set_attributes_from_rel(self) -> None:
        pass

    def value_from_object(self, obj: Any) -> Any:
        return [] if obj.pk is None else list(getattr(obj, self.attname).all())

    def save_form_data(self, instance: Any, data: Any) -> None:
        getattr(instance, self.attname).set(data)

    def db_type(self, connection: Any) -> None:
        return None

    def db_parameters(self, connection: Any) -> dict[str, Any]:
        return {"type": None, "check": None}

    def sa_type(self) -> Any:
        return sa.types.NullType()


def _label_lower(model: Any) -> str:
    """Return ``"app_label.modelname"`` for a model or a (possibly unresolved) reference."""
    if not isinstance(model, str):
        return str(model._meta.label_lower)
    if "." in model:
        app_label, model_name = model.split(".")
        return f"{app_label}.{model_name.lower()}"
    return model.lower()
