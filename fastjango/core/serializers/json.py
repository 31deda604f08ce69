"""The "json" format, and ``DjangoJSONEncoder``: JSON that knows dates, decimals, UUIDs."""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from typing import Any

from fastjango.core.serializers.base import DeserializationError
from fastjango.core.serializers.base import Serializer as BaseSerializer
from fastjango.core.serializers.python import Deserializer as PythonDeserializer
from fastjango.core.serializers.python import Serializer as PythonSerializer
from fastjango.utils.functional import Promise

__all__ = ["Deserializer", "DjangoJSONEncoder", "Serializer"]


def _duration_iso_string(duration: datetime.timedelta) -> str:
    # ISO 8601 with days, e.g. "P1DT02H03M04.000005S", the format Django emits.
    if duration < datetime.timedelta(0):
        sign = "-"
        duration *= -1
    else:
        sign = ""
    minutes, seconds = divmod(duration.seconds, 60)
    hours, minutes = divmod(minutes, 60)
    ms = f".{duration.microseconds:06d}" if duration.microseconds else ""
    return f"{sign}P{duration.days}DT{hours:02d}H{minutes:02d}M{seconds:02d}{ms}S"


def _encode_special(o: Any) -> str:
    """Return Django's JSON string for ``o``; raise ``TypeError`` for unknown types."""
    if isinstance(o, datetime.datetime):
        r = o.isoformat()
        if o.microsecond:
            # Milliseconds only, as ECMA-262 dates have.
            r = r[:23] + r[26:]
        if r.endswith("+00:00"):
            r = r.removesuffix("+00:00") + "Z"
        return r
    if isinstance(o, datetime.date):
        return o.isoformat()
    if isinstance(o, datetime.time):
        if o.utcoffset() is not None:
            raise ValueError("JSON can't represent timezone-aware times.")
        r = o.isoformat()
        if o.microsecond:
            r = r[:12]
        return r
    if isinstance(o, datetime.timedelta):
        return _duration_iso_string(o)
    if isinstance(o, decimal.Decimal | uuid.UUID | Promise):
        return str(o)
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


class DjangoJSONEncoder(json.JSONEncoder):
    """A ``JSONEncoder`` for date/time/timedelta, ``Decimal``, ``UUID`` and lazy strings."""

    def default(self, o: Any) -> Any:
        return _encode_special(o)


class Serializer(PythonSerializer):
    """Serialize to JSON: a list of ``{"model", "pk", "fields"}`` objects.

    ``indent`` pretty-prints; other options (``sort_keys``, ...) go to ``json.dump``.
    """

    internal_use_only = False

    def _init_options(self) -> None:
        self._current = None
        self.json_kwargs = dict(self.options)
        self.json_kwargs.pop("stream", None)
        self.json_kwargs.pop("fields", None)
        if self.options.get("indent"):
            # No trailing spaces after commas when indenting, as Django writes it.
            self.json_kwargs["separators"] = (",", ": ")
        self.json_kwargs.setdefault("cls", DjangoJSONEncoder)
        self.json_kwargs.setdefault("ensure_ascii", False)

    def start_serialization(self) -> None:
        self._init_options()
        self.stream.write("[")

    def end_serialization(self) -> None:
        if self.options.get("indent"):
            self.stream.write("\n")
        self.stream.write("]")
        if self.options.get("indent"):
            self.stream.write("\n")

    def end_object(self, obj: Any) -> None:
        indent = self.options.get("indent")
        if not self.first:
            self.stream.write(",")
            if not indent:
                self.stream.write(" ")
        if indent:
            self.stream.write("\n")
        json.dump(self.get_dump_object(obj), self.stream, **self.json_kwargs)
        self._current = None

    def getvalue(self) -> Any:
        # Skip the list the python format builds: the JSON is in the stream.
        return BaseSerializer.getvalue(self)


def Deserializer(stream_or_string: Any, **options: Any) -> Any:
    """Yield ``DeserializedObject``s from a JSON string, bytes or file."""
    if not isinstance(stream_or_string, bytes | str):
        stream_or_string = stream_or_string.read()
    if isinstance(stream_or_string, bytes):
        stream_or_string = stream_or_string.decode()
    try:
        objects = json.loads(stream_or_string)
    except ValueError as exc:
        raise DeserializationError(f"Invalid JSON: {exc}") from exc
    if not isinstance(objects, list):
        raise DeserializationError("A JSON fixture must be a list of objects.")
    try:
        yield from PythonDeserializer(objects, **options)
    except (GeneratorExit, DeserializationError):
        raise
    except Exception as exc:
        raise DeserializationError(str(exc)) from exc
