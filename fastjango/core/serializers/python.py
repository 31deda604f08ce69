"""The "python" format: model instances as lists of plain dicts (what JSON builds on).

Each object is ``{"model": "app_label.modelname", "pk": ..., "fields": {...}}``;
foreign keys are the related primary key (or natural key), many-to-many
fields a list of them, as in Django.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterator
from typing import Any

from fastjango.apps import apps
from fastjango.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from fastjango.core.serializers import base

__all__ = ["Deserializer", "Serializer"]

_PROTECTED = (
    type(None),
    int,
    float,
    decimal.Decimal,
    datetime.datetime,
    datetime.date,
    datetime.time,
)


class Serializer(base.Serializer):
    """Serialize to a list of dicts."""

    internal_use_only = True

    def start_serialization(self) -> None:
        self._current: dict[str, Any] | None = None
        self.objects: list[dict[str, Any]] = []

    def end_serialization(self) -> None:
        return None

    def start_object(self, obj: Any) -> None:
        self._current = {}

    def end_object(self, obj: Any) -> None:
        self.objects.append(self.get_dump_object(obj))
        self._current = None

    def get_dump_object(self, obj: Any) -> dict[str, Any]:
        """Return the dict one object becomes."""
        data: dict[str, Any] = {"model": str(obj._meta.label_lower)}
        if not self.use_natural_primary_keys or not hasattr(obj, "natural_key"):
            data["pk"] = self._value_from_field(obj, obj._meta.pk)
        data["fields"] = self._current
        return data

    @staticmethod
    def _value_from_field(obj: Any, field: Any) -> Any:
        value = field.value_from_object(obj)
        # Values that JSON (with DjangoJSONEncoder) writes as they are stay typed.
        if isinstance(value, _PROTECTED):
            return value
        return field.value_to_string(obj)

    def handle_field(self, obj: Any, field: Any) -> None:
        assert self._current is not None
        self._current[field.name] = self._value_from_field(obj, field)

    def handle_fk_field(self, obj: Any, field: Any) -> None:
        assert self._current is not None
        related_model = field.remote_field.model
        if self.use_natural_foreign_keys and hasattr(related_model, "natural_key"):
            related = getattr(obj, field.name)
            value = related.natural_key() if related is not None else None
        else:
            value = self._value_from_field(obj, field)
        self._current[field.name] = value

    def handle_m2m_field(self, obj: Any, field: Any) -> None:
        assert self._current is not None
        if not field.remote_field.through._meta.auto_created:
            # A custom "through" model is dumped as objects of its own.
            return
        related_model = field.remote_field.model
        if self.use_natural_foreign_keys and hasattr(related_model, "natural_key"):
            values = [related.natural_key() for related in getattr(obj, field.name).all()]
        else:
            values = [
                self._value_from_field(related, related._meta.pk)
                for related in getattr(obj, field.name).all()
            ]
        self._current[field.name] = values

    def getvalue(self) -> list[dict[str, Any]]:
        return self.objects


def _get_model(model_identifier: str) -> Any:
    try:
        return apps.get_model(model_identifier)
    except (LookupError, TypeError, ValueError) as exc:
        raise base.DeserializationError(f"Invalid model identifier: '{model_identifier}'") from exc


class Deserializer(base.Deserializer):
    """Turn a list of dicts (the "python" format) into ``DeserializedObject``s.

    ``using`` is the database natural keys are looked up in;
    ``ignorenonexistent`` skips fields the model doesn't have; with
    ``handle_forward_references`` a relation to an object not loaded yet is
    left for ``DeserializedObject.save_deferred_fields()``.
    """

    def __init__(
        self,
        object_list: Any,
        *,
        using: str = "default",
        ignorenonexistent: bool = False,
        handle_forward_references: bool = False,
        **options: Any,
    ) -> None:
        super().__init__(object_list, **options)
        self.objects = iter(object_list)
        self.using = using
        self.ignorenonexistent = ignorenonexistent
        self.handle_forward_references = handle_forward_references
        self._deserialized = self._generate()

    def __next__(self) -> base.DeserializedObject:
        return next(self._deserialized)

    def _generate(self) -> Iterator[base.DeserializedObject]:
        for data in self.objects:
            if not isinstance(data, dict) or "model" not in data:
                raise base.DeserializationError(
                    f"Each object needs a 'model' key (\"app_label.modelname\"), got {data!r}."
                )
            try:
                model = _get_model(data["model"])
            except base.DeserializationError:
                if self.ignorenonexistent:
                    continue
                raise
            yield self._object(model, data)

    def _object(self, model: Any, data: dict[str, Any]) -> base.DeserializedObject:
        meta = model._meta
        label = str(data["model"])
        values: dict[str, Any] = {}
        pk_value = data.get("pk")
        if "pk" in data:
            try:
                values[meta.pk.attname] = meta.pk.to_python(pk_value)
            except Exception as exc:
                raise base.DeserializationError.WithData(
                    exc, label, pk_value, pk_value, meta.pk.name
                ) from None
        m2m_data: dict[str, Any] = {}
        deferred: dict[Any, Any] = {}
        field_names = {f.name for f in meta.get_fields()}
        fields = data.get("fields", {})
        if not isinstance(fields, dict):
            raise base.DeserializationError(
                f"The 'fields' of {label} (pk={pk_value}) must be an object of field values."
            )
        for field_name, field_value in fields.items():
            if self.ignorenonexistent and field_name not in field_names:
                continue
            try:
                field = meta.get_field(field_name)
            except FieldDoesNotExist as exc:
                raise base.DeserializationError.WithData(
                    exc, label, pk_value, field_value, field_name
                ) from None
            if getattr(field, "many_to_many", False) and field.remote_field is not None:
                try:
                    m2m = base.deserialize_m2m_values(
                        field, field_value, self.using, self.handle_forward_references
                    )
                except base.M2MDeserializationError as exc:
                    raise base.DeserializationError.WithData(
                        exc.original_exc, label, pk_value, exc.pk, field_name
                    ) from None
                if m2m is base.DEFER_FIELD:
                    deferred[field] = field_value
                else:
                    m2m_data[field.name] = m2m
            elif field.remote_field is not None:
                try:
                    value = base.deserialize_fk_value(
                        field, field_value, self.using, self.handle_forward_references
                    )
                except Exception as exc:
                    raise base.DeserializationError.WithData(
                        exc, label, pk_value, field_value, field_name
                    ) from None
                if value is base.DEFER_FIELD:
                    deferred[field] = field_value
                else:
                    values[field.attname] = value
            else:
                try:
                    values[field.name] = field.to_python(field_value)
                except Exception as exc:
                    raise base.DeserializationError.WithData(
                        exc, label, pk_value, field_value, field_name
                    ) from None
        try:
            obj = base.build_instance(model, values, self.using)
        except ObjectDoesNotExist as exc:  # pragma: no cover - natural key lookups only
            raise base.DeserializationError.WithData(exc, label, pk_value, None) from None
        return base.DeserializedObject(obj, m2m_data, deferred)
