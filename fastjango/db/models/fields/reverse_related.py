"""Reverse relations: what ``Author._meta.get_field("book")`` returns for ``Book.author``.

They are not fields (no column); they describe the relation from the other
side, for lookups (``Author.objects.filter(book__title=...)``), deletion and
the reverse accessors.
"""

from __future__ import annotations

from typing import Any

from fastjango.core.exceptions import FieldDoesNotExist, FieldError
from fastjango.db.models.fields.mixins import FieldCacheMixin
from fastjango.utils.functional import cached_property

__all__ = ["ForeignObjectRel", "ManyToManyRel", "ManyToOneRel", "OneToOneRel"]


class ForeignObjectRel(FieldCacheMixin):
    """The reverse side of a relation field."""

    auto_created = True
    concrete = False
    editable = False
    is_relation = True
    null = True
    empty_strings_allowed = False
    multiple = True
    symmetrical = False

    def __init__(
        self,
        field: Any,
        to: Any,
        related_name: str | None = None,
        related_query_name: str | None = None,
        limit_choices_to: Any = None,
        parent_link: bool = False,
        on_delete: Any = None,
    ) -> None:
        self.field = field
        self.model = to
        self.related_name = related_name
        self.related_query_name = related_query_name
        self.limit_choices_to = {} if limit_choices_to is None else limit_choices_to
        self.parent_link = parent_link
        self.on_delete = on_delete

    @cached_property
    def hidden(self) -> bool:
        """Return whether the relation has no reverse accessor (``related_name`` ends in +)."""
        return self.is_hidden()

    @cached_property
    def name(self) -> str:
        """Return the name used in lookups from the other model."""
        return str(self.field.related_query_name())

    @property
    def remote_field(self) -> Any:
        """Return the forward field."""
        return self.field

    @property
    def target_field(self) -> Any:
        """Return the field of the other model the relation lands on."""
        target_fields = self.path_infos[-1].target_fields
        if len(target_fields) > 1:
            raise FieldError("Can't use target_field for multicolumn relations.")
        return target_fields[0]

    @cached_property
    def related_model(self) -> Any:
        """Return the model that declares the relation field."""
        if not self.field.model:
            raise AttributeError(
                "This property can't be accessed before self.field.contribute_to_class has "
                "been called."
            )
        return self.field.model

    @cached_property
    def many_to_many(self) -> bool:
        return bool(self.field.many_to_many)

    @cached_property
    def many_to_one(self) -> bool:
        return bool(self.field.one_to_many)

    @cached_property
    def one_to_many(self) -> bool:
        return bool(self.field.many_to_one)

    @cached_property
    def one_to_one(self) -> bool:
        return bool(self.field.one_to_one)

    def get_lookup(self, lookup_name: str) -> Any:
        """Return the lookup class of the forward field."""
        return self.field.get_lookup(lookup_name)

    def get_lookups(self) -> dict[str, Any]:
        """Return the lookups of the forward field."""
        return self.field.get_lookups()  # type: ignore[no-any-return]

    def get_transform(self, name: str) -> Any:
        """Return the transform class of the forward field."""
        return self.field.get_transform(name)

    def get_internal_type(self) -> str:
        """Return the forward field's internal type."""
        return str(self.field.get_internal_type())

    @property
    def db_type(self) -> Any:
        return self.field.db_type

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__}: {self.related_model._meta.app_label}."
            f"{self.related_model._meta.model_name}>"
        )

    @property
    def identity(self) -> tuple[Any, ...]:
        """Return what makes two reverse relations equal."""
        return (
            self.field,
            self.model,
            self.related_name,
            self.related_query_name,
            self.parent_link,
            self.on_delete,
            self.symmetrical,
            self.multiple,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, self.__class__):
            return NotImplemented
        return self.identity == other.identity

    def __hash__(self) -> int:
        return hash(self.identity)

    def get_choices(
        self,
        include_blank: bool = True,
        blank_choice: Any = None,
        limit_choices_to: Any = None,
        ordering: tuple[str, ...] = (),
    ) -> list[tuple[Any, str]]:
        """Return ``(pk, str(obj))`` for the related model's objects."""
        from fastjango.db.models.fields import BLANK_CHOICE_DASH

        limit_choices_to = limit_choices_to or self.limit_choices_to
        qs = self.related_model._default_manager.complex_filter(limit_choices_to)
        if ordering:
            qs = qs.order_by(*ordering)
        blank = blank_choice if blank_choice is not None else BLANK_CHOICE_DASH
        return (blank if include_blank else []) + [(x.pk, str(x)) for x in qs]

    def is_hidden(self) -> bool:
        """Return whether ``related_name`` ends with ``+``."""
        return bool(self.related_name) and str(self.related_name)[-1] == "+"

    def get_joining_fields(self) -> tuple[tuple[Any, Any], ...]:
        """Return ``(field on this side, field on the other)`` pairs for the JOIN."""
        return self.field.get_reverse_joining_fields()  # type: ignore[no-any-return]

    def set_field_name(self) -> None:
        """Fill in the target field name once the target model is known."""

    def get_accessor_name(self, model: Any = None) -> str | None:
        """Return the reverse accessor's name (``book_set``, or ``related_name``)."""
        opts = model._meta if model else self.related_model._meta
        model = model or self.related_model
        if self.multiple and self.symmetrical and model == self.model:
            return None
        if self.related_name:
            return str(self.related_name)
        return f"{opts.model_name}{'_set' if self.multiple else ''}"

    @property
    def accessor_name(self) -> str | None:
        """Return the reverse accessor's name."""
        return self.get_accessor_name()

    def get_path_info(self, filtered_relation: Any = None) -> list[Any]:
        """Return the hops from the target model back to the declaring model."""
        if filtered_relation:
            return self.field.get_reverse_path_info(filtered_relation)  # type: ignore[no-any-return]
        return self.field.reverse_path_infos  # type: ignore[no-any-return]

    @cached_property
    def path_infos(self) -> list[Any]:
        """Return the hops (cached)."""
        return self.get_path_info()

    def get_cache_name(self) -> str:
        """Return the cache key: the accessor name."""
        return str(self.get_accessor_name())

    @property
    def cache_name(self) -> str:
        return self.get_cache_name()


class ManyToOneRel(ForeignObjectRel):
    """The reverse of a ForeignKey: many objects point at this one."""

    def __init__(
        self,
        field: Any,
        to: Any,
        field_name: str | None,
        related_name: str | None = None,
        related_query_name: str | None = None,
        limit_choices_to: Any = None,
        parent_link: bool = False,
        on_delete: Any = None,
    ) -> None:
        super().__init__(
            field,
            to,
            related_name=related_name,
            related_query_name=related_query_name,
            limit_choices_to=limit_choices_to,
            parent_link=parent_link,
            on_delete=on_delete,
        )
        self.field_name = field_name

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("related_model", None)
        return state

    @property
    def identity(self) -> tuple[Any, ...]:
        return (*super().identity, self.field_name)

    def get_related_field(self) -> Any:
        """Return the target model's field the foreign key stores (its pk by default)."""
        field = self.model._meta.get_field(self.field_name)
        if not field.concrete:
            raise FieldDoesNotExist(f"No related field named '{self.field_name}'")
        return field

    def set_field_name(self) -> None:
        self.field_name = self.field_name or self.model._meta.pk.name


class OneToOneRel(ManyToOneRel):
    """The reverse of a OneToOneField: one object points at this one."""

    multiple = False


class ManyToManyRel(ForeignObjectRel):
    """The reverse of a ManyToManyField, and its ``through`` model."""

    def __init__(
        self,
        field: Any,
        to: Any,
        related_name: str | None = None,
        related_query_name: str | None = None,
        limit_choices_to: Any = None,
        symmetrical: bool = True,
        through: Any = None,
        through_fields: Any = None,
        db_constraint: bool = True,
    ) -> None:
        super().__init__(
            field,
            to,
            related_name=related_name,
            related_query_name=related_query_name,
            limit_choices_to=limit_choices_to,
        )
        if through and not db_constraint:
            raise ValueError("Can't supply a through model and db_constraint=False")
        self.through = through
        if through_fields and not through:
            raise ValueError("Cannot specify through_fields without a through model")
        self.through_fields = through_fields
        self.symmetrical = symmetrical
        self.db_constraint = db_constraint

    @property
    def identity(self) -> tuple[Any, ...]:
        return (
            *super().identity,
            self.through,
            tuple(self.through_fields) if self.through_fields else None,
            self.db_constraint,
        )

    def get_related_field(self) -> Any:
        """Return the field the through model's foreign key to the target points at."""
        opts = self.through._meta
        if self.through_fields:
            field = opts.get_field(self.through_fields[0])
        else:
            for field in opts.fields:
                rel = getattr(field, "remote_field", None)
                if rel and rel.model == self.model:
                    break
        return field.foreign_related_fields[0]
