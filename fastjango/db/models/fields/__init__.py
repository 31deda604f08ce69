"""Model fields: Django's field classes, arguments and validation, as SQLAlchemy columns.

A field is also the class attribute of its model and a non-data descriptor:
``book.title`` reads the instance ``__dict__`` directly and only calls
``__get__`` when the value was deferred. ``Field[_ST, _GT]`` carries the type
you may assign and the type you read, so ``book.title`` is ``str`` under
``mypy --strict``; ``null=True`` makes the read type ``X | None``.
"""

from __future__ import annotations

import copy
import datetime
import decimal
import operator
import uuid
import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, overload

import sqlalchemy as sa

from fastjango.core import exceptions, validators
from fastjango.db.models.constants import LOOKUP_SEP
from fastjango.db.models.enums import ChoicesType
from fastjango.db.models.fields import _types
from fastjango.db.models.fields._parse import (
    parse_date,
    parse_datetime,
    parse_duration,
    parse_time,
)
from fastjango.db.models.query_utils import RegisterLookupMixin, load_deferred
from fastjango.utils import timezone
from fastjango.utils.functional import Promise, cached_property

if TYPE_CHECKING:
    from typing import Self

    from typing_extensions import TypeVar

    from fastjango.db.models.base import Model
    from fastjango.db.models.expressions import Combinable

    _ST = TypeVar("_ST", default=Any)
    _GT = TypeVar("_GT", default=Any)
else:
    from typing import TypeVar

    _ST = TypeVar("_ST")
    _GT = TypeVar("_GT")

__all__ = [
    "BLANK_CHOICE_DASH",
    "NOT_PROVIDED",
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BinaryField",
    "BooleanField",
    "CharField",
    "CommaSeparatedIntegerField",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "DurationField",
    "EmailField",
    "Empty",
    "Field",
    "FilePathField",
    "FloatField",
    "GenericIPAddressField",
    "IntegerField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallAutoField",
    "SmallIntegerField",
    "TextField",
    "TimeField",
    "URLField",
    "UUIDField",
]


class Empty:
    """Placeholder class used when unpickling fields."""


class NOT_PROVIDED:
    """Marker for "no default given"."""


BLANK_CHOICE_DASH: list[tuple[Any, str]] = [("", "---------")]


def _load_field(app_label: str, model_name: str, field_name: str) -> Any:
    from fastjango.apps import apps

    return apps.get_model(app_label, model_name)._meta.get_field(field_name)


def _normalize_choices(value: Any) -> Any:
    """Return ``choices`` as a list of pairs (a Choices class, dict or callable accepted)."""
    if value is None:
        return None
    if isinstance(value, ChoicesType):
        return value.choices
    if isinstance(value, Promise) or isinstance(value, str):
        return value
    if callable(value):
        return value
    if isinstance(value, dict):
        value = value.items()
    try:
        items = list(value)
    except TypeError:
        return value
    normalized = []
    for item in items:
        try:
            key, label = item
        except (TypeError, ValueError):
            return value
        if isinstance(label, dict | list | tuple) and not isinstance(label, str):
            label = _normalize_choices(label)
        normalized.append((key, label))
    return normalized


class Field(RegisterLookupMixin, Generic[_ST, _GT]):
    """Base class of every model field."""

    empty_strings_allowed = True
    empty_values: ClassVar[list[Any]] = list(validators.EMPTY_VALUES)
    # Class counters: the order fields are declared in, for _meta and CREATE TABLE.
    creation_counter = 0
    auto_creation_counter = -1
    default_validators: list[Callable[[Any], None]] = []
    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid_choice": "Value %(value)r is not a valid choice.",
        "null": "This field cannot be null.",
        "blank": "This field cannot be blank.",
        "unique": "%(model_name)s with this %(field_label)s already exists.",
        "unique_for_date": (
            "%(field_label)s must be unique for %(date_field_label)s %(lookup_type)s."
        ),
    }
    system_check_deprecated_details: dict[str, Any] | None = None
    system_check_removed_details: dict[str, Any] | None = None
    non_db_attrs = (
        "blank",
        "choices",
        "db_column",
        "editable",
        "error_messages",
        "help_text",
        "limit_choices_to",
        "on_delete",
        "related_name",
        "related_query_name",
        "validators",
        "verbose_name",
    )

    # Attributes of the relation kind; relation fields override them.
    hidden = False
    many_to_many: bool | None = None
    many_to_one: bool | None = None
    one_to_many: bool | None = None
    one_to_one: bool | None = None
    related_model: Any = None
    is_relation = False
    remote_field: Any = None
    descriptor_class: Any = None
    generated = False
    description = "Field"

    model: Any
    name: str
    attname: str
    column: str
    concrete: bool

    def __init__(
        self,
        verbose_name: str | None = None,
        name: str | None = None,
        primary_key: bool = False,
        max_length: int | None = None,
        unique: bool = False,
        blank: bool = False,
        null: bool = False,
        db_index: bool = False,
        rel: Any = None,
        default: Any = NOT_PROVIDED,
        editable: bool = True,
        serialize: bool = True,
        unique_for_date: str | None = None,
        unique_for_month: str | None = None,
        unique_for_year: str | None = None,
        choices: Any = None,
        help_text: str = "",
        db_column: str | None = None,
        db_tablespace: str | None = None,
        auto_created: bool = False,
        validators: Iterable[Callable[[Any], None]] = (),
        error_messages: dict[str, str] | None = None,
        db_comment: str | None = None,
        db_default: Any = NOT_PROVIDED,
    ) -> None:
        self.name = name  # type: ignore[assignment]
        self.verbose_name = verbose_name
        self._verbose_name = verbose_name
        self.primary_key = primary_key
        self.max_length, self._unique = max_length, unique
        self.blank, self.null = blank, null
        self.remote_field = rel
        self.is_relation = self.remote_field is not None
        self.default = default
        if db_default is not NOT_PROVIDED and not hasattr(db_default, "resolve_expression"):
            from fastjango.db.models.expressions import Value

            db_default = Value(db_default)
        self.db_default = db_default
        self.editable = editable
        self.serialize = serialize
        self.unique_for_date = unique_for_date
        self.unique_for_month = unique_for_month
        self.unique_for_year = unique_for_year
        self.choices = _normalize_choices(choices)
        self.help_text = help_text
        self.db_index = db_index
        self.db_column = db_column
        self.db_comment = db_comment
        self._db_tablespace = db_tablespace
        self.auto_created = auto_created
        if auto_created:
            self.creation_counter = Field.auto_creation_counter
            Field.auto_creation_counter -= 1
        else:
            self.creation_counter = Field.creation_counter
            Field.creation_counter += 1
        self._validators = list(validators)
        self._error_messages = error_messages
        self.model = None  # set by contribute_to_class
        self.attname = None  # type: ignore[assignment]
        self.column = None  # type: ignore[assignment]
        self.concrete = False

    # -- descriptor (``book.title``) ----------------------------------------

    @overload
    def __get__(self, instance: None, owner: Any) -> Self: ...

    @overload
    def __get__(self, instance: Model, owner: Any) -> _GT: ...

    def __get__(self, instance: Model | None, owner: Any) -> Self | _GT:
        # An unbound field used as a class attribute elsewhere (an expression's
        # output_field) is just itself.
        if instance is None or self.model is None or not isinstance(instance, self.model):
            return self
        # Only reached when the value isn't in the instance dict: it was deferred.
        data = instance.__dict__
        if self.attname not in data:
            load_deferred(instance, self)
        return data[self.attname]  # type: ignore[no-any-return]

    if TYPE_CHECKING:

        def __set__(self, instance: Model, value: _ST) -> None: ...

    @property
    def field(self) -> Self:
        """Return this field (Django's ``Model.field_name.field``)."""
        return self

    # -- identity ------------------------------------------------------------

    def __str__(self) -> str:
        if not hasattr(self, "model") or self.model is None:
            return super().__str__()
        return f"{self.model._meta.label}.{self.name}"

    def __repr__(self) -> str:
        path = f"{self.__class__.__module__}.{self.__class__.__qualname__}"
        name = getattr(self, "name", None)
        if name is not None:
            return f"<{path}: {name}>"
        return f"<{path}>"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Field):
            return self.creation_counter == other.creation_counter and getattr(
                self, "model", None
            ) == getattr(other, "model", None)
        return NotImplemented

    def __lt__(self, other: object) -> bool:
        if isinstance(other, Field):
            if self.creation_counter != other.creation_counter or not hasattr(self, "model"):
                return self.creation_counter < other.creation_counter
            if getattr(self, "model", None) is None or getattr(other, "model", None) is None:
                return getattr(self, "model", None) is None
            return bool(
                (self.model._meta.app_label, self.model._meta.model_name)
                < (other.model._meta.app_label, other.model._meta.model_name)
            )
        return NotImplemented

    def __hash__(self) -> int:
        model = getattr(self, "model", None)
        return hash(
            (
                self.creation_counter,
                model._meta.app_label if model is not None else None,
                model._meta.model_name if model is not None else None,
            )
        )

    def __deepcopy__(self, memodict: dict[int, Any]) -> Self:
        obj = copy.copy(self)
        if self.remote_field:
            obj.remote_field = copy.copy(self.remote_field)
            if hasattr(self.remote_field, "field") and self.remote_field.field is self:
                obj.remote_field.field = obj
        memodict[id(self)] = obj
        return obj

    def __copy__(self) -> Self:
        obj: Any = Empty()
        obj.__class__ = self.__class__
        obj.__dict__ = self.__dict__.copy()
        return obj  # type: ignore[no-any-return]

    def __reduce__(self) -> Any:
        if not hasattr(self, "model") or self.model is None:
            state = self.__dict__.copy()
            state.pop("_get_default", None)
            return _empty, (self.__class__,), state
        return _load_field, (
            self.model._meta.app_label,
            self.model._meta.object_name,
            self.name,
        )

    def clone(self) -> Self:
        """Return an unbound copy (used when a model inherits an abstract parent's field)."""
        name, path, args, kwargs = self.deconstruct()
        return self.__class__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        """Return ``(name, path, args, kwargs)`` that rebuild this field (for migrations)."""
        keywords: dict[str, tuple[Any, Any]] = {
            "verbose_name": (self._verbose_name, None),
            "primary_key": (self.primary_key, False),
            "max_length": (self.max_length, None),
            "unique": (self._unique, False),
            "blank": (self.blank, False),
            "null": (self.null, False),
            "db_index": (self.db_index, False),
            "default": (self.default, NOT_PROVIDED),
            "editable": (self.editable, True),
            "serialize": (self.serialize, True),
            "unique_for_date": (self.unique_for_date, None),
            "unique_for_month": (self.unique_for_month, None),
            "unique_for_year": (self.unique_for_year, None),
            "choices": (self.choices, None),
            "help_text": (self.help_text, ""),
            "db_column": (self.db_column, None),
            "db_comment": (self.db_comment, None),
            "db_tablespace": (self._db_tablespace, None),
            "auto_created": (self.auto_created, False),
            "validators": (self._validators, []),
            "error_messages": (self._error_messages, None),
            "db_default": (self.db_default, NOT_PROVIDED),
        }
        kwargs = {
            name: value
            for name, (value, default) in keywords.items()
            if value is not default and value != default
        }
        if "choices" in kwargs and not callable(self.choices):
            kwargs["choices"] = list(self.choices)
        path = f"{self.__class__.__module__}.{self.__class__.__qualname__}"
        path = path.replace("fastjango.db.models.fields.related", "fastjango.db.models")
        path = path.replace("fastjango.db.models.fields.files", "fastjango.db.models")
        path = path.replace("fastjango.db.models.fields.json", "fastjango.db.models")
        path = path.replace("fastjango.db.models.fields.generated", "fastjango.db.models")
        path = path.replace("fastjango.db.models.fields", "fastjango.db.models")
        return self.name, path, [], kwargs

    def check(self, **kwargs: Any) -> list[Any]:
        """Return system check messages for this field."""
        errors: list[Any] = []
        if self.name and (self.name.endswith("_") or LOOKUP_SEP in self.name):
            errors.append(
                _check_error(
                    "Field names must not end with an underscore or contain '__'.",
                    obj=self,
                    id="fields.E001",
                )
            )
        if self.name == "pk":
            errors.append(
                _check_error(
                    "'pk' is a reserved word that cannot be used as a field name.",
                    obj=self,
                    id="fields.E003",
                )
            )
        if self.choices is not None and isinstance(self.choices, str):
            errors.append(
                _check_error(
                    "'choices' must be a mapping or an iterable of pairs.",
                    obj=self,
                    id="fields.E005",
                )
            )
        if self.null and self.primary_key:
            errors.append(
                _check_error("Primary keys must not have null=True.", obj=self, id="fields.E007")
            )
        return errors

    # -- class and column --------------------------------------------------

    def get_attname(self) -> str:
        """Return the instance attribute that holds the column value."""
        return self.name

    def get_attname_column(self) -> tuple[str, str]:
        """Return ``(attname, column)``."""
        attname = self.get_attname()
        column = self.db_column or attname
        return attname, column

    def set_attributes_from_name(self, name: str) -> None:
        """Set ``name``, ``attname``, ``column`` and the default verbose name."""
        self.name = self.name or name
        self.attname, self.column = self.get_attname_column()
        self.concrete = self.column is not None
        if self.verbose_name is None and self.name:
            self.verbose_name = self.name.replace("_", " ")

    def contribute_to_class(self, cls: type[Model], name: str, private_only: bool = False) -> None:
        """Attach this field to model ``cls`` under ``name``."""
        self.set_attributes_from_name(name)
        self.model = cls
        cls._meta.add_field(self, private=private_only)
        if self.column:
            descriptor = self.descriptor_class(self) if self.descriptor_class else self
            setattr(cls, self.attname, descriptor)
        if self.choices is not None and f"get_{self.name}_display" not in cls.__dict__:
            setattr(cls, f"get_{self.name}_display", _display_method(self))

    def get_filter_kwargs_for_object(self, obj: Model) -> dict[str, Any]:
        """Return the filter that selects rows with ``obj``'s value of this field."""
        return {self.name: getattr(obj, self.attname)}

    def get_internal_type(self) -> str:
        """Return the name of the built-in field this one is stored like."""
        return self.__class__.__name__

    @property
    def unique(self) -> bool:
        """Return whether values must be unique (primary keys always are)."""
        return self._unique or self.primary_key

    @property
    def db_tablespace(self) -> str | None:
        """Return the tablespace of the column's index."""
        return self._db_tablespace

    @property
    def db_returning(self) -> bool:
        """Return whether INSERT ... RETURNING should read this field back."""
        return self.has_db_default()

    def sa_type(self) -> Any:
        """Return the SQLAlchemy column type (custom fields: from ``db_type()``)."""
        from fastjango.db.models.fields import _builtin_sa_type

        internal = self.get_internal_type()
        if internal != self.__class__.__name__ and internal in _INTERNAL_TYPES:
            return _builtin_sa_type(internal, self)
        own_db_type = type(self).db_type is not Field.db_type
        if own_db_type:
            sql = self.db_type(None)
            if sql:
                return _types.RawDbType(sql)
        return sa.types.NullType()

    @cached_property
    def sa_type_instance(self) -> Any:
        """Return the (cached) SQLAlchemy type of this field's column."""
        return self.sa_type()

    def expression_sa_type(self) -> Any:
        """Return the type of a value the database computes as this field (reads coerced)."""
        return self.sa_type_instance

    def db_type(self, connection: Any) -> str | None:
        """Return the column's SQL type for ``connection`` (None for no column)."""
        if connection is None:
            return None
        try:
            return str(self.sa_type_instance.compile(dialect=connection.dialect))
        except Exception:
            return None

    def rel_db_type(self, connection: Any) -> str | None:
        """Return the SQL type of a foreign key column that points at this field."""
        return self.db_type(connection)

    def cast_db_type(self, connection: Any) -> str | None:
        """Return the type used in ``CAST(... AS type)``."""
        return self.db_type(connection)

    def db_parameters(self, connection: Any) -> dict[str, Any]:
        """Return the column's type and check SQL for ``connection``."""
        return {"type": self.db_type(connection), "check": None}

    def rel_sa_type(self) -> Any:
        """Return the SQLAlchemy type a foreign key to this field uses."""
        return self.sa_type()

    def build_column(self, table_name: str) -> tuple[sa.Column[Any], list[Any]]:
        """Return the SQLAlchemy column and any extra table items (checks) for this field."""
        from fastjango.db.models.metadata import field_column

        return field_column(self, table_name)

    def get_col(self, alias: str, output_field: Any = None) -> Any:
        """Return a column reference of this field on table alias ``alias``."""
        from fastjango.db.models.expressions import Col

        if output_field is None:
            output_field = self
        return Col(alias, self, output_field)

    @cached_property
    def cached_col(self) -> Any:
        """Return the column reference on the model's own table."""
        return self.get_col(self.model._meta.db_table)

    # -- values --------------------------------------------------------------

    @cached_property
    def error_messages(self) -> dict[str, str]:
        """Return the error messages, ``error_messages`` overriding the defaults."""
        messages: dict[str, str] = {}
        for cls in reversed(self.__class__.__mro__):
            messages.update(getattr(cls, "default_error_messages", {}))
        messages.update(self._error_messages or {})
        return messages

    @cached_property
    def validators(self) -> list[Callable[[Any], None]]:
        """Return the default validators followed by the field's own."""
        return [*self.default_validators, *self._validators]

    def to_python(self, value: Any) -> Any:
        """Convert ``value`` to this field's Python type, or raise ValidationError."""
        return value

    def run_validators(self, value: Any) -> None:
        """Run every validator; raise one ValidationError listing all failures."""
        if value in self.empty_values:
            return
        errors: list[Any] = []
        for validator in self.validators:
            try:
                validator(value)
            except exceptions.ValidationError as e:
                if hasattr(e, "code") and e.code in self.error_messages:
                    e.message = self.error_messages[e.code]
                errors.extend(e.error_list)
        if errors:
            raise exceptions.ValidationError(errors)

    def validate(self, value: Any, model_instance: Model | None) -> None:
        """Check choices, null and blank; raise ValidationError."""
        if not self.editable:
            return
        if self.choices is not None and value not in self.empty_values:
            for option_key, option_value in self._choices_list():
                if isinstance(option_value, list | tuple):
                    for optgroup_key, _ in option_value:
                        if value == optgroup_key:
                            return
                elif value == option_key:
                    return
            raise exceptions.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        if value is None and not self.null:
            raise exceptions.ValidationError(self.error_messages["null"], code="null")
        if not self.blank and value in self.empty_values:
            raise exceptions.ValidationError(self.error_messages["blank"], code="blank")

    def clean(self, value: Any, model_instance: Model | None) -> Any:
        """Convert, validate and run the validators; return the cleaned value."""
        value = self.to_python(value)
        self.validate(value, model_instance)
        self.run_validators(value)
        return value

    def get_prep_value(self, value: Any) -> Any:
        """Return ``value`` ready for a query (before backend-specific conversion)."""
        if isinstance(value, Promise):
            value = value._proxy____cast()  # type: ignore[attr-defined]
        return value

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        """Return ``value`` as the database driver takes it."""
        if not prepared:
            value = self.get_prep_value(value)
        return value

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        """Return ``value`` as saved (expressions are left to the query)."""
        if hasattr(value, "as_sql") or hasattr(value, "resolve_expression"):
            return value
        return self.get_db_prep_value(value, connection=connection, prepared=False)

    def pre_save(self, model_instance: Model, add: bool) -> Any:
        """Return the value to save for ``model_instance`` (auto fields set it here)."""
        return getattr(model_instance, self.attname)

    def has_default(self) -> bool:
        """Return whether the field has a Python ``default``."""
        return self.default is not NOT_PROVIDED

    def has_db_default(self) -> bool:
        """Return whether the field has a ``db_default``."""
        return self.db_default is not NOT_PROVIDED

    def get_default(self) -> Any:
        """Return the default value (called when it is callable)."""
        return self._get_default()

    @cached_property
    def _get_default(self) -> Callable[[], Any]:
        if self.has_default():
            if callable(self.default):
                return self.default  # type: ignore[no-any-return]
            return lambda: self.default
        if self.has_db_default():
            from fastjango.db.models.expressions import DatabaseDefault

            return lambda: DatabaseDefault(self.db_default, output_field=self)
        if not self.empty_strings_allowed or self.null:
            return _return_none
        return str

    def get_pk_value_on_save(self, instance: Model) -> Any:
        """Return the primary key to insert when none was set (its default)."""
        if self.default is not NOT_PROVIDED:
            return self.get_default()
        return None

    def _choices_list(self) -> list[Any]:
        choices = self.choices
        if callable(choices):
            choices = _normalize_choices(choices())
        return list(choices or [])

    def get_choices(
        self,
        include_blank: bool = True,
        blank_choice: list[tuple[Any, str]] = BLANK_CHOICE_DASH,
        limit_choices_to: Any = None,
        ordering: Sequence[str] = (),
    ) -> list[tuple[Any, Any]]:
        """Return choices with a blank option, or the related objects for a relation."""
        if self.choices is not None:
            choices = self._choices_list()
            if include_blank:
                blank_defined = any(choice in ("", None) for choice, _ in self.flatchoices)
                if not blank_defined:
                    choices = blank_choice + choices
            return choices
        rel_model = self.remote_field.model
        limit_choices_to = limit_choices_to or self.get_limit_choices_to()
        choice_func = operator.attrgetter(
            self.remote_field.get_related_field().attname
            if hasattr(self.remote_field, "get_related_field")
            else "pk"
        )
        qs = rel_model._default_manager.complex_filter(limit_choices_to)
        if ordering:
            qs = qs.order_by(*ordering)
        return (blank_choice if include_blank else []) + [(choice_func(x), str(x)) for x in qs]

    def get_limit_choices_to(self) -> Any:
        """Return the relation's ``limit_choices_to`` (called when callable)."""
        limit = getattr(self.remote_field, "limit_choices_to", None)
        if callable(limit):
            return limit()
        return limit or {}

    def value_to_string(self, obj: Model) -> str:
        """Return the value of this field in ``obj`` as a string (for serialization)."""
        return str(self.value_from_object(obj))

    @property
    def flatchoices(self) -> list[tuple[Any, Any]]:
        """Return the choices with option groups flattened."""
        flat: list[tuple[Any, Any]] = []
        for choice, value in self._choices_list():
            if isinstance(value, list | tuple):
                flat.extend(value)
            else:
                flat.append((choice, value))
        return flat

    def save_form_data(self, instance: Model, data: Any) -> None:
        """Set the field's value on ``instance`` from form data."""
        setattr(instance, self.name, data)

    def value_from_object(self, obj: Model) -> Any:
        """Return the value of this field in ``obj``."""
        return getattr(obj, self.attname)


def _check_error(msg: str, obj: Any = None, id: str | None = None) -> Any:
    # System checks are imported on demand: they pull in unrelated modules.
    from fastjango.core import checks

    return checks.Error(msg, obj=obj, id=id)


def _return_none() -> None:
    return None


def _empty(of_cls: type) -> Any:
    new = Empty()
    new.__class__ = of_cls
    return new


def _display_method(field: Field[Any, Any]) -> Callable[[Any], Any]:
    def display(self: Any) -> Any:
        value = getattr(self, field.attname)
        choices = dict(_hashable_items(field.flatchoices))
        return str(choices.get(_hashable(value), value))

    display.__name__ = f"get_{field.name}_display"
    return display


def _hashable(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def _hashable_items(items: Iterable[tuple[Any, Any]]) -> Iterable[tuple[Any, Any]]:
    for key, value in items:
        yield _hashable(key), value


# -- numbers -------------------------------------------------------------------


class IntegerField(Field[_ST, _GT]):
    """An integer (32-bit)."""

    empty_strings_allowed = False
    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "“%(value)s” value must be an integer.",
    }
    description = "Integer"
    integer_range: ClassVar[tuple[int, int]] = (-2147483648, 2147483647)

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: IntegerField[float | int | str | Combinable, int],
            *args: Any,
            null: Literal[False] = False,
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: IntegerField[float | int | str | Combinable | None, int | None],
            *args: Any,
            null: Literal[True],
            **kwargs: Any,
        ) -> None: ...

        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    @cached_property
    def validators(self) -> list[Callable[[Any], None]]:
        found = super().validators
        low, high = self.integer_range
        if not any(isinstance(v, validators.MinValueValidator) and _limit(v) >= low for v in found):
            found.append(validators.MinValueValidator(low))
        if not any(
            isinstance(v, validators.MaxValueValidator) and _limit(v) <= high for v in found
        ):
            found.append(validators.MaxValueValidator(high))
        return found

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or hasattr(value, "resolve_expression"):
            return value
        try:
            return int(value)
        except (TypeError, ValueError) as e:
            raise e.__class__(f"Field '{self.name}' expected a number but got {value!r}.") from e

    def to_python(self, value: Any) -> Any:
        if value is None:
            return value
        try:
            return int(value)
        except (TypeError, ValueError):
            raise exceptions.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None

    def sa_type(self) -> Any:
        return sa.Integer()

    def expression_sa_type(self) -> Any:
        return _types.CoerceInteger()


def _limit(validator: Any) -> Any:
    return validator.limit_value() if callable(validator.limit_value) else validator.limit_value


class BigIntegerField(IntegerField[_ST, _GT]):
    """A 64-bit integer."""

    description = "Big (8 byte) integer"
    integer_range: ClassVar[tuple[int, int]] = (-9223372036854775808, 9223372036854775807)

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: BigIntegerField[float | int | str | Combinable, int],
            *args: Any,
            null: Literal[False] = False,
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: BigIntegerField[float | int | str | Combinable | None, int | None],
            *args: Any,
            null: Literal[True],
            **kwargs: Any,
        ) -> None: ...

        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    def sa_type(self) -> Any:
        return sa.BigInteger()


class SmallIntegerField(IntegerField[_ST, _GT]):
    """A 16-bit integer."""

    description = "Small integer"
    integer_range: ClassVar[tuple[int, int]] = (-32768, 32767)

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: SmallIntegerField[float | int | str | Combinable, int],
            *args: Any,
            null: Literal[False] = False,
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: SmallIntegerField[float | int | str | Combinable | None, int | None],
            *args: Any,
            null: Literal[True],
            **kwargs: Any,
        ) -> None: ...

        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    def sa_type(self) -> Any:
        return sa.SmallInteger()


class PositiveIntegerRelDbTypeMixin:
    """A foreign key to a positive integer is a plain integer column of that size."""

    def rel_sa_type(self) -> Any:
        return self.sa_type()  # type: ignore[attr-defined]


class PositiveIntegerField(PositiveIntegerRelDbTypeMixin, IntegerField[_ST, _GT]):
    """A non-negative 32-bit integer (a CHECK constraint keeps it so)."""

    description = "Positive integer"
    integer_range: ClassVar[tuple[int, int]] = (0, 2147483647)

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: PositiveIntegerField[float | int | str | Combinable, int],
            *args: Any,
            null: Literal[False] = False,
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: PositiveIntegerField[float | int | str | Combinable | None, int | None],
            *args: Any,
            null: Literal[True],
            **kwargs: Any,
        ) -> None: ...

        def __init__(self, *args: Any, **kwargs: Any) -> None: ...


class PositiveBigIntegerField(PositiveIntegerRelDbTypeMixin, BigIntegerField[_ST, _GT]):
    """A non-negative 64-bit integer."""

    description = "Positive big integer"
    integer_range: ClassVar[tuple[int, int]] = (0, 9223372036854775807)

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: PositiveBigIntegerField[float | int | str | Combinable, int],
            *args: Any,
            null: Literal[False] = False,
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: PositiveBigIntegerField[float | int | str | Combinable | None, int | None],
            *args: Any,
            null: Literal[True],
            **kwargs: Any,
        ) -> None: ...

        def __init__(self, *args: Any, **kwargs: Any) -> None: ...


class PositiveSmallIntegerField(PositiveIntegerRelDbTypeMixin, SmallIntegerField[_ST, _GT]):
    """A non-negative 16-bit integer."""

    description = "Positive small integer"
    integer_range: ClassVar[tuple[int, int]] = (0, 32767)

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: PositiveSmallIntegerField[float | int | str | Combinable, int],
            *args: Any,
            null: Literal[False] = False,
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: PositiveSmallIntegerField[float | int | str | Combinable | None, int | None],
            *args: Any,
            null: Literal[True],
            **kwargs: Any,
        ) -> None: ...

        def __init__(self, *args: Any, **kwargs: Any) -> None: ...


class AutoFieldMixin:
    """An integer primary key the database assigns on INSERT."""

    db_returning = True
    attname: str

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["blank"] = True
        super().__init__(*args, **kwargs)

    def check(self, **kwargs: Any) -> list[Any]:
        errors = super().check(**kwargs)  # type: ignore[misc]
        if not self.primary_key:  # type: ignore[attr-defined]
            errors.append(
                _check_error("AutoFields must set primary_key=True.", obj=self, id="fields.E100")
            )
        return errors  # type: ignore[no-any-return]

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()  # type: ignore[misc]
        kwargs.pop("blank", None)
        kwargs["primary_key"] = True
        return name, path, args, kwargs

    def validate(self, value: Any, model_instance: Any) -> None:
        pass

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)  # type: ignore[attr-defined]
        return value

    def contribute_to_class(self, cls: Any, name: str, private_only: bool = False) -> None:
        if cls._meta.auto_field:
            raise ValueError(
                f"Model {cls._meta.label} can't have more than one auto-generated field."
            )
        super().contribute_to_class(cls, name, private_only)  # type: ignore[misc]
        cls._meta.auto_field = self

    def formfield(self, **kwargs: Any) -> None:
        """Return None: auto primary keys have no form field."""
        return None


class AutoField(AutoFieldMixin, IntegerField[_ST, _GT]):
    """An auto-incrementing 32-bit primary key."""

    if TYPE_CHECKING:

        def __init__(
            self: AutoField[int | str | Combinable | None, int], *args: Any, **kwargs: Any
        ) -> None: ...

    def get_internal_type(self) -> str:
        return "AutoField"

    def rel_sa_type(self) -> Any:
        return sa.Integer()


class BigAutoField(AutoFieldMixin, BigIntegerField[_ST, _GT]):
    """An auto-incrementing 64-bit primary key."""

    if TYPE_CHECKING:

        def __init__(
            self: BigAutoField[int | str | Combinable | None, int], *args: Any, **kwargs: Any
        ) -> None: ...

    def get_internal_type(self) -> str:
        return "BigAutoField"

    def sa_type(self) -> Any:
        # SQLite only auto-increments an INTEGER PRIMARY KEY (which is 64-bit there).
        return sa.BigInteger().with_variant(sa.Integer(), "sqlite")

    def rel_sa_type(self) -> Any:
        return sa.BigInteger()


class SmallAutoField(AutoFieldMixin, SmallIntegerField[_ST, _GT]):
    """An auto-incrementing 16-bit primary key."""

    if TYPE_CHECKING:

        def __init__(
            self: SmallAutoField[int | str | Combinable | None, int], *args: Any, **kwargs: Any
        ) -> None: ...

    def get_internal_type(self) -> str:
        return "SmallAutoField"

    def sa_type(self) -> Any:
        return sa.SmallInteger().with_variant(sa.Integer(), "sqlite")

    def rel_sa_type(self) -> Any:
        return sa.SmallInteger()


class FloatField(Field[_ST, _GT]):
    """A double-precision float."""

    empty_strings_allowed = False
    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "“%(value)s” value must be a float.",
    }
    description = "Floating point number"

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: FloatField[float | int | str | Combinable, float],
            *args: Any,
            null: Literal[False] = False,
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: FloatField[float | int | str | Combinable | None, float | None],
            *args: Any,
            null: Literal[True],
            **kwargs: Any,
        ) -> None: ...

        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or hasattr(value, "resolve_expression"):
            return value
        try:
            return float(value)
        except (TypeError, ValueError) as e:
            raise e.__class__(f"Field '{self.name}' expected a number but got {value!r}.") from e

    def to_python(self, value: Any) -> Any:
        if value is None:
            return value
        try:
            return float(value)
        except (TypeError, ValueError):
            raise exceptions.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None

    def sa_type(self) -> Any:
        return sa.Double()

    def expression_sa_type(self) -> Any:
        return _types.CoerceFloat()


class DecimalField(Field[_ST, _GT]):
    """A fixed-precision decimal (``max_digits``, ``decimal_places``), as ``Decimal``."""

    empty_strings_allowed = False
    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "“%(value)s” value must be a decimal number.",
    }
    description = "Decimal number"

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: DecimalField[str | float | decimal.Decimal | Combinable, decimal.Decimal],
            verbose_name: str | None = None,
            name: str | None = None,
            max_digits: int | None = None,
            decimal_places: int | None = None,
            *,
            null: Literal[False] = False,
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: DecimalField[
                str | float | decimal.Decimal | Combinable | None, decimal.Decimal | None
            ],
            verbose_name: str | None = None,
            name: str | None = None,
            max_digits: int | None = None,
            decimal_places: int | None = None,
            *,
            null: Literal[True],
            **kwargs: Any,
        ) -> None: ...

    def __init__(
        self,
        verbose_name: str | None = None,
        name: str | None = None,
        max_digits: int | None = None,
        decimal_places: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.max_digits, self.decimal_places = max_digits, decimal_places
        super().__init__(verbose_name, name, **kwargs)

    def check(self, **kwargs: Any) -> list[Any]:
        errors = super().check(**kwargs)
        if self.decimal_places is None:
            errors.append(
                _check_error(
                    "DecimalFields must define a 'decimal_places' attribute.",
                    obj=self,
                    id="fields.E130",
                )
            )
        if self.max_digits is None:
            errors.append(
                _check_error(
                    "DecimalFields must define a 'max_digits' attribute.",
                    obj=self,
                    id="fields.E132",
                )
            )
        elif self.decimal_places is not None and self.decimal_places > self.max_digits:
            errors.append(
                _check_error(
                    "'max_digits' must be greater or equal to 'decimal_places'.",
                    obj=self,
                    id="fields.E134",
                )
            )
        return errors

    @cached_property
    def validators(self) -> list[Callable[[Any], None]]:
        return [
            *super().validators,
            validators.DecimalValidator(self.max_digits, self.decimal_places),
        ]

    @cached_property
    def context(self) -> decimal.Context:
        """Return the decimal context with ``max_digits`` precision."""
        return decimal.Context(prec=self.max_digits)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if self.max_digits is not None:
            kwargs["max_digits"] = self.max_digits
        if self.decimal_places is not None:
            kwargs["decimal_places"] = self.decimal_places
        return name, path, args, kwargs

    def to_python(self, value: Any) -> Any:
        if value is None:
            return value
        try:
            if isinstance(value, float):
                decimal_value = self.context.create_decimal_from_float(value)
            else:
                decimal_value = decimal.Decimal(value)
        except (decimal.InvalidOperation, TypeError, ValueError):
            raise exceptions.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None
        if not decimal_value.is_finite():
            raise exceptions.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )
        return decimal_value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or hasattr(value, "resolve_expression"):
            return value
        return self.to_python(value)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        return value

    def sa_type(self) -> Any:
        return _types.DecimalType(self.max_digits, self.decimal_places)


# -- booleans and text -------------------------------------------------------------


class BooleanField(Field[_ST, _GT]):
    """True or False (``null=True`` allows None)."""

    empty_strings_allowed = False
    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "“%(value)s” value must be either True or False.",
        "invalid_nullable": "“%(value)s” value must be either True, False, or None.",
    }
    description = "Boolean (Either True or False)"

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: BooleanField[bool | Combinable, bool],
            *args: Any,
            null: Literal[False] = False,
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: BooleanField[bool | Combinable | None, bool | None],
            *args: Any,
            null: Literal[True],
            **kwargs: Any,
        ) -> None: ...

        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    def to_python(self, value: Any) -> Any:
        if self.null and value in self.empty_values:
            return None
        if value in (True, False):
            return bool(value)
        if value in ("t", "True", "1"):
            return True
        if value in ("f", "False", "0"):
            return False
        raise exceptions.ValidationError(
            self.error_messages["invalid_nullable" if self.null else "invalid"],
            code="invalid",
            params={"value": value},
        )

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or hasattr(value, "resolve_expression"):
            return value
        return self.to_python(value)

    def sa_type(self) -> Any:
        return sa.Boolean()


class CharField(Field[_ST, _GT]):
    """A string of at most ``max_length`` characters."""

    description = "String (up to %(max_length)s)"

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: CharField[str | int | Combinable, str],
            *args: Any,
            null: Literal[False] = False,
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: CharField[str | int | Combinable | None, str | None],
            *args: Any,
            null: Literal[True],
            **kwargs: Any,
        ) -> None: ...

    def __init__(self, *args: Any, db_collation: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.db_collation = db_collation
        if self.max_length is not None:
            self._validators.append(validators.MaxLengthValidator(self.max_length))
        self._validators.append(validators.ProhibitNullCharactersValidator())

    def check(self, **kwargs: Any) -> list[Any]:
        errors = super().check(**kwargs)
        if self.max_length is not None and (
            not isinstance(self.max_length, int)
            or isinstance(self.max_length, bool)
            or self.max_length <= 0
        ):
            errors.append(
                _check_error("'max_length' must be a positive integer.", obj=self, id="fields.E121")
            )
        return errors

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        if self.db_collation:
            kwargs["db_collation"] = self.db_collation
        return name, path, args, kwargs

    @cached_property
    def validators(self) -> list[Callable[[Any], None]]:
        return [*self.default_validators, *self._validators]

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) or value is None:
            return value
        return str(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return self.to_python(value) if not hasattr(value, "resolve_expression") else value

    def sa_type(self) -> Any:
        # MySQL needs a length; 255 is what a length-less CharField can index there.
        length = self.max_length
        kind = sa.String(length, collation=self.db_collation)
        if length is None:
            kind = kind.with_variant(
                sa.String(255, collation=self.db_collation), "mysql", "mariadb"
            )
        return kind


class CommaSeparatedIntegerField(CharField[_ST, _GT]):
    """Removed from Django; kept so old code imports (use CharField with a validator)."""

    default_validators: list[Callable[[Any], None]] = [
        validators.validate_comma_separated_integer_list
    ]
    description = "Comma-separated integers"


class TextField(Field[_ST, _GT]):
    """A large string."""

    description = "Text"

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: TextField[str | Combinable, str],
            *args: Any,
            null: Literal[False] = False,
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: TextField[str | Combinable | None, str | None],
            *args: Any,
            null: Literal[True],
            **kwargs: Any,
        ) -> None: ...

    def __init__(self, *args: Any, db_collation: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.db_collation = db_collation

    @cached_property
    def validators(self) -> list[Callable[[Any], None]]:
        found: list[Callable[[Any], None]] = [
            *super().validators,
            validators.ProhibitNullCharactersValidator(),
        ]
        if self.max_length is not None:
            found.append(validators.MaxLengthValidator(self.max_length))
        return found

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) or value is None:
            return value
        return str(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return self.to_python(value) if not hasattr(value, "resolve_expression") else value

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if self.db_collation:
            kwargs["db_collation"] = self.db_collation
        return name, path, args, kwargs

    def sa_type(self) -> Any:
        return sa.Text(collation=self.db_collation)


class EmailField(CharField[_ST, _GT]):
    """A CharField checked by ``EmailValidator`` (max_length 254)."""

    default_validators: list[Callable[[Any], None]] = [validators.validate_email]
    description = "Email address"

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: EmailField[str | Combinable, str],
            *args: Any,
            null: Literal[False] = False,
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: EmailField[str | Combinable | None, str | None],
            *args: Any,
            null: Literal[True],
            **kwargs: Any,
        ) -> None: ...

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 254)
        super().__init__(*args, **kwargs)  # type: ignore[misc]

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 254:
            del kwargs["max_length"]
        return name, path, args, kwargs


class URLField(CharField[_ST, _GT]):
    """A CharField checked by ``URLValidator`` (max_length 200)."""

    default_validators: list[Callable[[Any], None]] = [validators.URLValidator()]
    description = "URL"

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: URLField[str | Combinable, str],
            *args: Any,
            null: Literal[False] = False,
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: URLField[str | Combinable | None, str | None],
            *args: Any,
            null: Literal[True],
            **kwargs: Any,
        ) -> None: ...

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)  # type: ignore[misc]

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 200:
            del kwargs["max_length"]
        return name, path, args, kwargs


class SlugField(CharField[_ST, _GT]):
    """A short label of letters, numbers, underscores or hyphens (indexed, max_length 50)."""

    default_validators: list[Callable[[Any], None]] = [validators.validate_slug]
    description = "Slug (up to %(max_length)s)"

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: SlugField[str | Combinable, str],
            *args: Any,
            null: Literal[False] = False,
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: SlugField[str | Combinable | None, str | None],
            *args: Any,
            null: Literal[True],
            **kwargs: Any,
        ) -> None: ...

    def __init__(
        self,
        *args: Any,
        max_length: int = 50,
        db_index: bool = True,
        allow_unicode: bool = False,
        **kwargs: Any,
    ) -> None:
        self.allow_unicode = allow_unicode
        if self.allow_unicode:
            self.default_validators = [validators.validate_unicode_slug]
        super().__init__(  # type: ignore[misc]
            *args, max_length=max_length, db_index=db_index, **kwargs
        )

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 50:
            del kwargs["max_length"]
        if self.db_index is False:
            kwargs["db_index"] = False
        else:
            kwargs.pop("db_index", None)
        if self.allow_unicode is not False:
            kwargs["allow_unicode"] = self.allow_unicode
        return name, path, args, kwargs


class GenericIPAddressField(Field[_ST, _GT]):
    """An IPv4 or IPv6 address stored as text (IPv6 in its compressed form)."""

    empty_strings_allowed = False
    description = "IP address"
    default_error_messages: ClassVar[dict[str, str]] = {}

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: GenericIPAddressField[str | Combinable, str],
            *args: Any,
            null: Literal[False] = False,
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: GenericIPAddressField[str | Combinable | None, str | None],
            *args: Any,
            null: Literal[True],
            **kwargs: Any,
        ) -> None: ...

    def __init__(
        self,
        verbose_name: str | None = None,
        name: str | None = None,
        protocol: str = "both",
        unpack_ipv4: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        self.unpack_ipv4 = unpack_ipv4
        self.protocol = protocol
        self.default_validators = validators.ip_address_validators(protocol, unpack_ipv4)
        kwargs["max_length"] = 39
        super().__init__(verbose_name, name, *args, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if self.unpack_ipv4 is not False:
            kwargs["unpack_ipv4"] = self.unpack_ipv4
        if self.protocol != "both":
            kwargs["protocol"] = self.protocol
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def to_python(self, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, str):
            value = str(value)
        value = value.strip()
        if ":" in value:
            import ipaddress

            try:
                address = ipaddress.IPv6Address(value)
            except ValueError:
                raise exceptions.ValidationError(
                    "Enter a valid IPv4 or IPv6 address.",
                    code="invalid",
                    params={"protocol": self.protocol, "value": value},
                ) from None
            if self.unpack_ipv4 and address.ipv4_mapped is not None:
                return str(address.ipv4_mapped)
            return str(address)
        return value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or hasattr(value, "resolve_expression"):
            return value
        if value and ":" in value:
            try:
                return self.to_python(value)
            except exceptions.ValidationError:
                pass
        return str(value)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        return value or None

    def sa_type(self) -> Any:
        return sa.String(39)


class FilePathField(Field[_ST, _GT]):
    """A path chosen from a directory on disk (stored as text)."""

    description = "File path"

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: FilePathField[str | Combinable, str],
            *args: Any,
            null: Literal[False] = False,
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: FilePathField[str | Combinable | None, str | None],
            *args: Any,
            null: Literal[True],
            **kwargs: Any,
        ) -> None: ...

    def __init__(
        self,
        verbose_name: str | None = None,
        name: str | None = None,
        path: Any = "",
        match: str | None = None,
        recursive: bool = False,
        allow_files: bool = True,
        allow_folders: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        self.path, self.match, self.recursive = path, match, recursive
        self.allow_files, self.allow_folders = allow_files, allow_folders
        kwargs.setdefault("max_length", 100)
        super().__init__(verbose_name, name, *args, **kwargs)

    def check(self, **kwargs: Any) -> list[Any]:
        errors = super().check(**kwargs)
        if not self.allow_files and not self.allow_folders:
            errors.append(
                _check_error(
                    "FilePathFields must have either 'allow_files' or 'allow_folders' set to True.",
                    obj=self,
                    id="fields.E140",
                )
            )
        return errors

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if self.path != "":
            kwargs["path"] = self.path
        if self.match is not None:
            kwargs["match"] = self.match
        if self.recursive is not False:
            kwargs["recursive"] = self.recursive
        if self.allow_files is not True:
            kwargs["allow_files"] = self.allow_files
        if self.allow_folders is not False:
            kwargs["allow_folders"] = self.allow_folders
        if kwargs.get("max_length") == 100:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or hasattr(value, "resolve_expression"):
            return value
        return str(value)

    def sa_type(self) -> Any:
        return sa.String(self.max_length)


# -- dates and times -----------------------------------------------------------------


class DateTimeCheckMixin:
    """``auto_now``, ``auto_now_add`` and ``default`` are mutually exclusive."""

    auto_now: bool
    auto_now_add: bool

    def check(self, **kwargs: Any) -> list[Any]:
        errors = super().check(**kwargs)  # type: ignore[misc]
        options = [self.auto_now_add, self.auto_now, self.has_default()]  # type: ignore[attr-defined]
        if sum(bool(o) for o in options) > 1:
            errors.append(
                _check_error(
                    "The options auto_now, auto_now_add, and default are mutually exclusive. "
                    "Only one of these options may be present.",
                    obj=self,
                    id="fields.E160",
                )
            )
        return errors  # type: ignore[no-any-return]


class DateField(DateTimeCheckMixin, Field[_ST, _GT]):
    """A date; ``auto_now`` sets it on every save, ``auto_now_add`` on creation."""

    empty_strings_allowed = False
    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "“%(value)s” value has an invalid date format. It must be in YYYY-MM-DD format.",
        "invalid_date": "“%(value)s” value has the correct format (YYYY-MM-DD) but it is an "
        "invalid date.",
    }
    description = "Date (without time)"

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: DateField[str | datetime.date | Combinable, datetime.date],
            verbose_name: str | None = None,
            name: str | None = None,
            auto_now: bool = False,
            auto_now_add: bool = False,
            *,
            null: Literal[False] = False,
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: DateField[str | datetime.date | Combinable | None, datetime.date | None],
            verbose_name: str | None = None,
            name: str | None = None,
            auto_now: bool = False,
            auto_now_add: bool = False,
            *,
            null: Literal[True],
            **kwargs: Any,
        ) -> None: ...

    def __init__(
        self,
        verbose_name: str | None = None,
        name: str | None = None,
        auto_now: bool = False,
        auto_now_add: bool = False,
        **kwargs: Any,
    ) -> None:
        self.auto_now, self.auto_now_add = auto_now, auto_now_add
        if auto_now or auto_now_add:
            kwargs["editable"] = False
            kwargs["blank"] = True
        super().__init__(verbose_name, name, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if self.auto_now:
            kwargs["auto_now"] = True
        if self.auto_now_add:
            kwargs["auto_now_add"] = True
        if self.auto_now or self.auto_now_add:
            kwargs.pop("editable", None)
            kwargs.pop("blank", None)
        return name, path, args, kwargs

    def to_python(self, value: Any) -> Any:
        if value is None:
            return value
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value) and _use_tz():
                default_timezone = timezone.get_default_timezone()
                value = timezone.make_naive(value, default_timezone)
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            parsed = parse_date(value)
            if parsed is not None:
                return parsed
        except ValueError:
            raise exceptions.ValidationError(
                self.error_messages["invalid_date"], code="invalid_date", params={"value": value}
            ) from None
        except TypeError:
            pass
        raise exceptions.ValidationError(
            self.error_messages["invalid"], code="invalid", params={"value": value}
        )

    def pre_save(self, model_instance: Model, add: bool) -> Any:
        if self.auto_now or (self.auto_now_add and add):
            value = datetime.date.today()
            if _use_tz():
                value = timezone.localdate()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)

    def contribute_to_class(self, cls: type[Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only)
        if not self.null:
            _add_next_previous(cls, self)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if hasattr(value, "resolve_expression"):
            return value
        return self.to_python(value)

    def value_to_string(self, obj: Model) -> str:
        value = self.value_from_object(obj)
        return "" if value is None else value.isoformat()

    def sa_type(self) -> Any:
        return sa.Date()


def _use_tz() -> bool:
    from fastjango.conf import settings

    return bool(settings.USE_TZ)


def _add_next_previous(cls: type[Model], field: Field[Any, Any]) -> None:
    def get_next(self: Any, **kwargs: Any) -> Any:
        return self._get_next_or_previous_by_FIELD(field, is_next=True, **kwargs)

    def get_previous(self: Any, **kwargs: Any) -> Any:
        return self._get_next_or_previous_by_FIELD(field, is_next=False, **kwargs)

    setattr(cls, f"get_next_by_{field.name}", get_next)
    setattr(cls, f"get_previous_by_{field.name}", get_previous)


class DateTimeField(DateField[_ST, _GT]):
    """A date and time; aware (UTC) when ``USE_TZ`` is on."""

    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "“%(value)s” value has an invalid format. It must be in "
        "YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format.",
        "invalid_date": "“%(value)s” value has the correct format (YYYY-MM-DD) but it is an "
        "invalid date.",
        "invalid_datetime": "“%(value)s” value has the correct format "
        "(YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ]) but it is an invalid date/time.",
    }
    description = "Date (with time)"

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: DateTimeField[
                str | datetime.datetime | datetime.date | Combinable, datetime.datetime
            ],
            verbose_name: str | None = None,
            name: str | None = None,
            auto_now: bool = False,
            auto_now_add: bool = False,
            *,
            null: Literal[False] = False,
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: DateTimeField[
                str | datetime.datetime | datetime.date | Combinable | None,
                datetime.datetime | None,
            ],
            verbose_name: str | None = None,
            name: str | None = None,
            auto_now: bool = False,
            auto_now_add: bool = False,
            *,
            null: Literal[True],
            **kwargs: Any,
        ) -> None: ...

        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    def to_python(self, value: Any) -> Any:
        if value is None:
            return value
        if isinstance(value, datetime.datetime):
            return value
        if isinstance(value, datetime.date):
            value = datetime.datetime(value.year, value.month, value.day)
            if _use_tz():
                warnings.warn(
                    f"DateTimeField {self.model.__name__ if self.model else ''}.{self.name} "
                    f"received a naive datetime ({value}) while time zone support is active.",
                    RuntimeWarning,
                    stacklevel=2,
                )
                value = timezone.make_aware(value, timezone.get_default_timezone())
            return value
        try:
            parsed = parse_datetime(value)
            if parsed is not None:
                return parsed
        except ValueError:
            raise exceptions.ValidationError(
                self.error_messages["invalid_datetime"],
                code="invalid_datetime",
                params={"value": value},
            ) from None
        except TypeError:
            pass
        try:
            parsed_date = parse_date(value)
            if parsed_date is not None:
                return datetime.datetime(parsed_date.year, parsed_date.month, parsed_date.day)
        except ValueError:
            raise exceptions.ValidationError(
                self.error_messages["invalid_date"], code="invalid_date", params={"value": value}
            ) from None
        except TypeError:
            pass
        raise exceptions.ValidationError(
            self.error_messages["invalid"], code="invalid", params={"value": value}
        )

    def pre_save(self, model_instance: Model, add: bool) -> Any:
        if self.auto_now or (self.auto_now_add and add):
            value = timezone.now()
            setattr(model_instance, self.attname, value)
            return value
        return Field.pre_save(self, model_instance, add)

    def get_prep_value(self, value: Any) -> Any:
        value = Field.get_prep_value(self, value)
        if value is None or hasattr(value, "resolve_expression"):
            return value
        value = self.to_python(value)
        if value is not None and _use_tz() and timezone.is_naive(value):
            name = f"{self.model.__name__}.{self.name}" if self.model else self.name
            warnings.warn(
                f"DateTimeField {name} received a naive datetime ({value}) while time zone "
                "support is active.",
                RuntimeWarning,
                stacklevel=2,
            )
            value = timezone.make_aware(value, timezone.get_default_timezone())
        return value

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        if (
            isinstance(value, datetime.datetime)
            and timezone.is_aware(value)
            and not _use_tz()
            and connection is not None
            and connection.vendor != "postgresql"
        ):
            raise ValueError(
                f"{connection.display_name} backend does not support timezone-aware datetimes "
                "when USE_TZ is False."
            )
        return value

    def value_to_string(self, obj: Model) -> str:
        value = self.value_from_object(obj)
        return "" if value is None else value.isoformat()

    def sa_type(self) -> Any:
        return _types.DateTimeType()


class TimeField(DateTimeCheckMixin, Field[_ST, _GT]):
    """A time of day."""

    empty_strings_allowed = False
    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "“%(value)s” value has an invalid format. It must be in "
        "HH:MM[:ss[.uuuuuu]] format.",
        "invalid_time": "“%(value)s” value has the correct format (HH:MM[:ss[.uuuuuu]]) but it "
        "is an invalid time.",
    }
    description = "Time"

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: TimeField[str | datetime.time | datetime.datetime | Combinable, datetime.time],
            verbose_name: str | None = None,
            name: str | None = None,
            auto_now: bool = False,
            auto_now_add: bool = False,
            *,
            null: Literal[False] = False,
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: TimeField[
                str | datetime.time | datetime.datetime | Combinable | None, datetime.time | None
            ],
            verbose_name: str | None = None,
            name: str | None = None,
            auto_now: bool = False,
            auto_now_add: bool = False,
            *,
            null: Literal[True],
            **kwargs: Any,
        ) -> None: ...

    def __init__(
        self,
        verbose_name: str | None = None,
        name: str | None = None,
        auto_now: bool = False,
        auto_now_add: bool = False,
        **kwargs: Any,
    ) -> None:
        self.auto_now, self.auto_now_add = auto_now, auto_now_add
        if auto_now or auto_now_add:
            kwargs["editable"] = False
            kwargs["blank"] = True
        super().__init__(verbose_name, name, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if self.auto_now is not False:
            kwargs["auto_now"] = self.auto_now
        if self.auto_now_add is not False:
            kwargs["auto_now_add"] = self.auto_now_add
        if self.auto_now or self.auto_now_add:
            kwargs.pop("blank", None)
            kwargs.pop("editable", None)
        return name, path, args, kwargs

    def to_python(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, datetime.time):
            return value
        if isinstance(value, datetime.datetime):
            return value.time()
        try:
            parsed = parse_time(value)
            if parsed is not None:
                return parsed
        except ValueError:
            raise exceptions.ValidationError(
                self.error_messages["invalid_time"], code="invalid_time", params={"value": value}
            ) from None
        except TypeError:
            pass
        raise exceptions.ValidationError(
            self.error_messages["invalid"], code="invalid", params={"value": value}
        )

    def pre_save(self, model_instance: Model, add: bool) -> Any:
        if self.auto_now or (self.auto_now_add and add):
            value = timezone.localtime().time() if _use_tz() else datetime.datetime.now().time()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if hasattr(value, "resolve_expression"):
            return value
        return self.to_python(value)

    def value_to_string(self, obj: Model) -> str:
        value = self.value_from_object(obj)
        return "" if value is None else value.isoformat()

    def sa_type(self) -> Any:
        return _types.TimeType()


class DurationField(Field[_ST, _GT]):
    """A ``timedelta`` (``interval`` on PostgreSQL, microseconds elsewhere)."""

    empty_strings_allowed = False
    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "“%(value)s” value has an invalid format. It must be in "
        "[DD] [[HH:]MM:]ss[.uuuuuu] format.",
    }
    description = "Duration"

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: DurationField[datetime.timedelta | str | Combinable, datetime.timedelta],
            *args: Any,
            null: Literal[False] = False,
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: DurationField[
                datetime.timedelta | str | Combinable | None, datetime.timedelta | None
            ],
            *args: Any,
            null: Literal[True],
            **kwargs: Any,
        ) -> None: ...

        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    def to_python(self, value: Any) -> Any:
        if value is None:
            return value
        if isinstance(value, datetime.timedelta):
            return value
        try:
            parsed = parse_duration(value)
        except (TypeError, ValueError):
            parsed = None
        if parsed is not None:
            return parsed
        raise exceptions.ValidationError(
            self.error_messages["invalid"], code="invalid", params={"value": value}
        )

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or hasattr(value, "resolve_expression"):
            return value
        return self.to_python(value)

    def value_to_string(self, obj: Model) -> str:
        value = self.value_from_object(obj)
        if value is None:
            return ""
        days = value.days
        hours, remainder = divmod(value.seconds, 3600)
        minutes, seconds = divmod(remainder, 60)
        text = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
        if value.microseconds:
            text += f".{value.microseconds:06d}"
        return f"{days} {text}" if days else text

    def sa_type(self) -> Any:
        return _types.DurationType()


# -- other values --------------------------------------------------------------------


class UUIDField(Field[_ST, _GT]):
    """A UUID (``uuid`` on PostgreSQL, 32 hex characters elsewhere, as Django)."""

    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "“%(value)s” is not a valid UUID.",
    }
    description = "Universally unique identifier"
    empty_strings_allowed = False

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: UUIDField[uuid.UUID | str | Combinable, uuid.UUID],
            *args: Any,
            null: Literal[False] = False,
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: UUIDField[uuid.UUID | str | Combinable | None, uuid.UUID | None],
            *args: Any,
            null: Literal[True],
            **kwargs: Any,
        ) -> None: ...

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["max_length"] = 32
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or hasattr(value, "resolve_expression"):
            return value
        return self.to_python(value)

    def to_python(self, value: Any) -> Any:
        if value is not None and not isinstance(value, uuid.UUID):
            input_form = "int" if isinstance(value, int) else "hex"
            try:
                return uuid.UUID(**{input_form: value})
            except (AttributeError, ValueError, TypeError):
                raise exceptions.ValidationError(
                    self.error_messages["invalid"], code="invalid", params={"value": value}
                ) from None
        return value

    def sa_type(self) -> Any:
        return sa.Uuid(as_uuid=True)


class BinaryField(Field[_ST, _GT]):
    """Raw bytes (not editable by default)."""

    description = "Raw binary data"
    empty_values: ClassVar[list[Any]] = [None, b""]

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: BinaryField[bytes | bytearray | memoryview | Combinable, bytes],
            *args: Any,
            null: Literal[False] = False,
            **kwargs: Any,
        ) -> None: ...

        @overload
        def __init__(
            self: BinaryField[bytes | bytearray | memoryview | Combinable | None, bytes | None],
            *args: Any,
            null: Literal[True],
            **kwargs: Any,
        ) -> None: ...

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self._validators.append(validators.MaxLengthValidator(self.max_length))

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if self.editable:
            kwargs["editable"] = True
        else:
            kwargs.pop("editable", None)
        kwargs.pop("validators", None)
        return name, path, args, kwargs

    def get_default(self) -> Any:
        if self.has_default() and not callable(self.default):
            return self.default
        default = super().get_default()
        if default == "":
            return b""
        return default

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            import base64

            return memoryview(base64.b64decode(value.encode("ascii")))
        return value

    def value_to_string(self, obj: Model) -> str:
        import base64

        return base64.b64encode(self.value_from_object(obj)).decode("ascii")

    def sa_type(self) -> Any:
        return _types.BinaryType()


# The column type of each built-in field, for custom fields whose
# get_internal_type() names one of them.
_INTERNAL_TYPES: dict[str, Callable[[Any], Any]] = {
    "AutoField": lambda f: sa.Integer(),
    "BigAutoField": lambda f: sa.BigInteger(),
    "SmallAutoField": lambda f: sa.SmallInteger(),
    "IntegerField": lambda f: sa.Integer(),
    "BigIntegerField": lambda f: sa.BigInteger(),
    "SmallIntegerField": lambda f: sa.SmallInteger(),
    "PositiveIntegerField": lambda f: sa.Integer(),
    "PositiveBigIntegerField": lambda f: sa.BigInteger(),
    "PositiveSmallIntegerField": lambda f: sa.SmallInteger(),
    "FloatField": lambda f: sa.Double(),
    "DecimalField": lambda f: _types.DecimalType(
        getattr(f, "max_digits", None), getattr(f, "decimal_places", None)
    ),
    "BooleanField": lambda f: sa.Boolean(),
    "CharField": lambda f: sa.String(f.max_length).with_variant(
        sa.String(f.max_length or 255), "mysql", "mariadb"
    ),
    "TextField": lambda f: sa.Text(),
    "DateField": lambda f: sa.Date(),
    "DateTimeField": lambda f: _types.DateTimeType(),
    "TimeField": lambda f: _types.TimeType(),
    "DurationField": lambda f: _types.DurationType(),
    "UUIDField": lambda f: sa.Uuid(as_uuid=True),
    "BinaryField": lambda f: _types.BinaryType(),
    "JSONField": lambda f: _types.JSONType(),
}


def _builtin_sa_type(internal_type: str, field: Field[Any, Any]) -> Any:
    return _INTERNAL_TYPES[internal_type](field)
