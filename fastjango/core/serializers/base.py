"""The serializer framework's base classes: model instances to data and back, as Django."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from fastjango.core.exceptions import ObjectDoesNotExist

__all__ = [
    "DEFER_FIELD",
    "DeserializationError",
    "DeserializedObject",
    "Deserializer",
    "M2MDeserializationError",
    "ProgressBar",
    "SerializationError",
    "Serializer",
    "SerializerDoesNotExist",
    "build_instance",
    "deserialize_fk_value",
    "deserialize_m2m_values",
]

#: marks a related value that can't be resolved yet (a forward reference)
DEFER_FIELD = object()


class SerializerDoesNotExist(KeyError):
    """The requested serializer format isn't registered."""


class SerializationError(Exception):
    """Something bad happened during serialization."""


class DeserializationError(Exception):
    """Something bad happened during deserialization."""

    @classmethod
    def WithData(
        cls,
        original_exc: BaseException,
        model: str,
        fk: Any,
        field_value: Any,
        field_name: str | None = None,
    ) -> DeserializationError:
        """Return an error that says which object, field and value were bad."""
        field = f" field {field_name}:" if field_name else ""
        return cls(f"{original_exc}: ({model}:pk={fk}){field} field_value was '{field_value}'")


class M2MDeserializationError(Exception):
    """A many-to-many value couldn't be deserialized."""

    def __init__(self, original_exc: BaseException, pk: Any) -> None:
        self.original_exc = original_exc
        self.pk = pk
        super().__init__(original_exc, pk)


class ProgressBar:
    """A text progress bar for long dumps (``dumpdata`` to a file)."""

    progress_width = 75

    def __init__(self, output: Any, total_count: int) -> None:
        self.output = output
        self.total_count = total_count
        self.prev_done = 0

    def update(self, count: int) -> None:
        """Draw the bar for ``count`` objects done."""
        if not self.output:
            return
        perc = count * 100 // self.total_count
        done = perc * self.progress_width // 100
        if self.prev_done >= done:
            return
        self.prev_done = done
        cr = "" if self.total_count == 1 else "\r"
        self.output.write(cr + "[" + "." * done + " " * (self.progress_width - done) + "]")
        if done == self.progress_width:
            self.output.write("\n")
        self.output.flush()


class Serializer:
    """Walk model instances and hand each field to the format's hooks."""

    #: formats only for internal use are hidden from dumpdata's list
    internal_use_only = False
    progress_class = ProgressBar
    stream_class: Callable[[], IO[str]] = io.StringIO

    def serialize(
        self,
        queryset: Iterable[Any],
        *,
        stream: IO[str] | None = None,
        fields: Iterable[str] | None = None,
        use_natural_foreign_keys: bool = False,
        use_natural_primary_keys: bool = False,
        progress_output: Any = None,
        object_count: int = 0,
        **options: Any,
    ) -> Any:
        """Serialize ``queryset``; return the result (or write it to ``stream``)."""
        self.options = options
        self.stream = stream if stream is not None else self.stream_class()
        self.selected_fields = None if fields is None else set(fields)
        self.use_natural_foreign_keys = use_natural_foreign_keys
        self.use_natural_primary_keys = use_natural_primary_keys
        progress_bar = self.progress_class(progress_output, object_count)
        self.start_serialization()
        self.first = True
        for count, obj in enumerate(queryset, start=1):
            self.start_object(obj)
            concrete_model = obj._meta.concrete_model
            pk = concrete_model._meta.pk
            pk_parent = pk if pk.remote_field and pk.remote_field.parent_link else None
            if self.use_natural_primary_keys and hasattr(obj, "natural_key"):
                pk_parent = None
            for field in concrete_model._meta.local_fields:
                if not getattr(field, "serialize", True) and field is not pk_parent:
                    continue
                if field.remote_field is None:
                    if self._selected(field.attname):
                        self.handle_field(obj, field)
                elif self._selected(field.attname[:-3]) or self._selected(field.name):
                    self.handle_fk_field(obj, field)
            for field in concrete_model._meta.local_many_to_many:
                if getattr(field, "serialize", True) and self._selected(field.attname):
                    self.handle_m2m_field(obj, field)
            self.end_object(obj)
            progress_bar.update(count)
            self.first = False
        self.end_serialization()
        return self.getvalue()

    def _selected(self, name: str) -> bool:
        return self.selected_fields is None or name in self.selected_fields

    def start_serialization(self) -> None:
        """Called when serializing starts."""
        raise NotImplementedError("subclasses of Serializer must provide start_serialization()")

    def end_serialization(self) -> None:
        """Called when serializing ends."""

    def start_object(self, obj: Any) -> None:
        """Called as each object is handled."""
        raise NotImplementedError("subclasses of Serializer must provide start_object()")

    def end_object(self, obj: Any) -> None:
        """Called after handling all fields of an object."""

    def handle_field(self, obj: Any, field: Any) -> None:
        """Handle each plain field of an object."""
        raise NotImplementedError("subclasses of Serializer must provide handle_field()")

    def handle_fk_field(self, obj: Any, field: Any) -> None:
        """Handle a ForeignKey (and OneToOneField)."""
        raise NotImplementedError("subclasses of Serializer must provide handle_fk_field()")

    def handle_m2m_field(self, obj: Any, field: Any) -> None:
        """Handle a ManyToManyField."""
        raise NotImplementedError("subclasses of Serializer must provide handle_m2m_field()")

    def getvalue(self) -> Any:
        """Return the serialized text (None when writing to a real file)."""
        getvalue = getattr(self.stream, "getvalue", None)
        return getvalue() if callable(getvalue) else None


class Deserializer:
    """Iterate over ``DeserializedObject``s read from a stream or string."""

    def __init__(self, stream_or_string: Any, **options: Any) -> None:
        self.options = options
        self.stream = (
            io.StringIO(stream_or_string)
            if isinstance(stream_or_string, str)
            else (stream_or_string)
        )

    def __iter__(self) -> Iterator[DeserializedObject]:
        return self

    def __next__(self) -> DeserializedObject:
        """Return the next deserialized object."""
        raise NotImplementedError("subclasses of Deserializer must provide __next__()")


class DeserializedObject:
    """A model instance read from data, not yet saved, with its many-to-many values.

    ``save()`` writes it with ``save_base(raw=True)`` (no ``pre_save()`` of
    fields, signals sent with ``raw=True``), then sets the many-to-many values.
    """

    def __init__(
        self,
        obj: Any,
        m2m_data: dict[str, list[Any]] | None = None,
        deferred_fields: dict[Any, Any] | None = None,
    ) -> None:
        self.object = obj
        self.m2m_data = m2m_data or {}
        self.deferred_fields = deferred_fields or {}

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.object._meta.label}(pk={self.object.pk})>"

    def save(self, save_m2m: bool = True, using: str | None = None, **kwargs: Any) -> None:
        """Save the object (raw), then its many-to-many values."""
        type(self.object).save_base(self.object, using=using, raw=True, **kwargs)
        if self.m2m_data and save_m2m:
            for accessor_name, object_list in self.m2m_data.items():
                getattr(self.object, accessor_name).set(object_list)
        self.m2m_data = {}

    def save_deferred_fields(self, using: str | None = None) -> None:
        """Resolve the forward references left for later, then save the object again."""
        self.m2m_data = {}
        for field, field_value in self.deferred_fields.items():
            opts = self.object._meta
            label = opts.app_label + "." + opts.model_name
            if getattr(field, "many_to_many", False):
                try:
                    values = deserialize_m2m_values(field, field_value, using, False)
                except M2MDeserializationError as exc:
                    raise DeserializationError.WithData(
                        exc.original_exc, label, self.object.pk, exc.pk, field.name
                    ) from None
                self.m2m_data[field.name] = values
            elif field.remote_field is not None:
                try:
                    value = deserialize_fk_value(field, field_value, using, False)
                except Exception as exc:
                    raise DeserializationError.WithData(
                        exc, label, self.object.pk, field_value, field.name
                    ) from None
                setattr(self.object, field.attname, value)
        self.save()


def _natural_manager(model: Any, using: str | None) -> Any:
    manager = model._default_manager
    if not hasattr(manager, "get_by_natural_key"):
        return None
    return manager.db_manager(using) if using else manager


def build_instance(model: Any, data: dict[str, Any], db: str | None) -> Any:
    """Return an unsaved instance of ``model`` from field values.

    Without a primary key, a model with natural keys gets the primary key of
    the stored object with the same natural key, if there is one.
    """
    meta = model._meta
    pk = data.get(meta.pk.attname)
    manager = _natural_manager(model, db)
    if pk is None and manager is not None and hasattr(model, "natural_key"):
        obj = model(**data)
        try:
            natural_key = obj.natural_key()
            data[meta.pk.attname] = meta.pk.to_python(manager.get_by_natural_key(*natural_key).pk)
        except ObjectDoesNotExist:
            pass
    return model(**data)


def deserialize_m2m_values(
    field: Any, field_value: Any, using: str | None, handle_forward_references: bool
) -> Any:
    """Return the primary keys a many-to-many value names (natural keys resolved)."""
    model = field.remote_field.model
    manager = _natural_manager(model, using)
    if manager is not None:

        def m2m_convert(value: Any) -> Any:
            if hasattr(value, "__iter__") and not isinstance(value, str):
                return model._meta.pk.to_python(manager.get_by_natural_key(*value).pk)
            return model._meta.pk.to_python(value)

    else:

        def m2m_convert(value: Any) -> Any:
            return model._meta.pk.to_python(value)

    pk = None
    try:
        values = []
        for pk in field_value:
            values.append(m2m_convert(pk))
        return values
    except Exception as exc:
        if isinstance(exc, ObjectDoesNotExist) and handle_forward_references:
            return DEFER_FIELD
        raise M2MDeserializationError(exc, pk) from exc


def deserialize_fk_value(
    field: Any, field_value: Any, using: str | None, handle_forward_references: bool
) -> Any:
    """Return the value a foreign key column stores for ``field_value`` (natural keys resolved)."""
    if field_value is None:
        return None
    model = field.remote_field.model
    manager = _natural_manager(model, using)
    field_name = field.remote_field.field_name
    if (
        manager is not None
        and hasattr(field_value, "__iter__")
        and not isinstance(field_value, str)
    ):
        try:
            obj = manager.get_by_natural_key(*field_value)
        except ObjectDoesNotExist:
            if handle_forward_references:
                return DEFER_FIELD
            raise
        value = getattr(obj, field_name)
        # A foreign key to a foreign key stores the target's own key.
        if model._meta.pk.remote_field:
            value = value.pk
        return value
    return model._meta.get_field(field_name).to_python(field_value)
