"""``JSONField`` and its lookups: key transforms (``data__owner__name``), ``has_key``, ``contains``.

Stored as ``jsonb`` on PostgreSQL, ``json`` on MySQL/MariaDB and text on
SQLite; Python ``None`` is SQL NULL, as in Django.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import sqlalchemy as sa

from fastjango.core import exceptions
from fastjango.db.models.fields import Field, _types
from fastjango.db.utils import NotSupportedError

if TYPE_CHECKING:
    from typing_extensions import TypeVar

    from fastjango.db.models.sql.compiler import SQLCompiler

    _ST = TypeVar("_ST", default=Any)
    _GT = TypeVar("_GT", default=Any)
else:
    from typing import TypeVar

    _ST = TypeVar("_ST")
    _GT = TypeVar("_GT")

__all__ = [
    "KT",
    "JSONField",
    "KeyTextTransform",
    "KeyTransform",
    "KeyTransformFactory",
]


class JSONField(Field[_ST, _GT]):
    """A JSON document; ``encoder``/``decoder`` customize (de)serialization."""

    empty_strings_allowed = False
    description = "A JSON object"
    default_error_messages: ClassVar[dict[str, str]] = {"invalid": "Value must be valid JSON."}

    def __init__(
        self,
        verbose_name: str | None = None,
        name: str | None = None,
        encoder: Any = None,
        decoder: Any = None,
        **kwargs: Any,
    ) -> None:
        if encoder and not callable(encoder):
            raise ValueError("The encoder parameter must be a callable object.")
        if decoder and not callable(decoder):
            raise ValueError("The decoder parameter must be a callable object.")
        self.encoder = encoder
        self.decoder = decoder
        super().__init__(verbose_name, name, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if self.encoder is not None:
            kwargs["encoder"] = self.encoder
        if self.decoder is not None:
            kwargs["decoder"] = self.decoder
        return name, path, args, kwargs

    def get_internal_type(self) -> str:
        return "JSONField"

    def get_transform(self, name: str) -> Any:
        transform = super().get_transform(name)
        if transform:
            return transform
        return KeyTransformFactory(name)

    def validate(self, value: Any, model_instance: Any) -> None:
        super().validate(value, model_instance)
        try:
            json.dumps(value, cls=self.encoder)
        except TypeError:
            raise exceptions.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None

    def value_to_string(self, obj: Any) -> Any:
        return self.value_from_object(obj)

    def sa_type(self) -> Any:
        return _types.JSONType(self.encoder, self.decoder)

    def dumps(self, value: Any) -> str:
        """Return ``value`` as JSON text (with the field's encoder)."""
        return json.dumps(value, cls=self.encoder)


def _json_field_of(expr: Any) -> Any:
    field = getattr(expr, "_output_field_or_none", None)
    while isinstance(expr, KeyTransform):
        expr = expr.lhs
        field = getattr(expr, "_output_field_or_none", field)
    return field


def _path_literal(keys: Sequence[Any]) -> str:
    path = "$"
    for key in keys:
        try:
            index = int(key)
        except (TypeError, ValueError):
            path += "." + json.dumps(str(key))
        else:
            path += f"[{index}]"
    return path


def _compile_key_path(compiler: SQLCompiler, transform: KeyTransform) -> tuple[Any, list[str]]:
    """Return the JSON column (compiled) and the chain of keys under it."""
    keys = [transform.key_name]
    previous = transform.lhs
    while isinstance(previous, KeyTransform):
        keys.insert(0, previous.key_name)
        previous = previous.lhs
    return compiler.sa(previous), keys


def json_extract(compiler: SQLCompiler, column: Any, keys: Sequence[Any]) -> Any:
    """Return the JSON value at ``keys`` (a JSON-typed expression on every backend)."""
    if compiler.vendor == "postgresql":
        element = column
        for key in keys:
            try:
                index = int(key)
            except (TypeError, ValueError):
                element = element.op("->", return_type=_types.JSONType())(
                    sa.literal(str(key), sa.String())
                )
            else:
                element = element.op("->", return_type=_types.JSONType())(
                    sa.literal(index, sa.Integer())
                )
        return element
    path = sa.literal(_path_literal(keys), sa.String())
    if compiler.vendor == "sqlite":
        return sa.func.json_extract(column, path, type_=_types.SQLiteJSONValueType())
    return sa.func.json_extract(column, path, type_=sa.JSON())


def lookup_lhs(compiler: SQLCompiler, element: Any) -> Any:
    """Return a JSON value ready to compare: MariaDB compares JSON_UNQUOTE()d values."""
    if compiler.vendor == "mysql" and getattr(compiler.connection, "mysql_is_mariadb", False):
        return sa.func.json_unquote(element, type_=sa.Text())
    return element


def json_extract_text(compiler: SQLCompiler, column: Any, keys: Sequence[Any]) -> Any:
    """Return the value at ``keys`` as SQL text (strings unquoted)."""
    if compiler.vendor == "postgresql":
        *head, last = keys
        element = json_extract(compiler, column, head) if head else column
        try:
            index = int(last)
        except (TypeError, ValueError):
            key: Any = sa.literal(str(last), sa.String())
        else:
            key = sa.literal(index, sa.Integer())
        return element.op("->>", return_type=sa.Text())(key)
    extracted = sa.func.json_extract(column, sa.literal(_path_literal(keys), sa.String()))
    if compiler.vendor == "mysql":
        # JSON_UNQUOTE() gives a binary collation; the cast gives the connection's (as a
        # column has), so iexact/icontains stay case-insensitive.
        return sa.cast(sa.func.json_unquote(extracted), sa.CHAR())
    return sa.type_coerce(extracted, sa.Text())


def has_key(compiler: SQLCompiler, column: Any, keys: Sequence[Any]) -> Any:
    """Return the condition "the document has ``keys``"."""
    if compiler.vendor == "postgresql":
        *head, last = keys
        element = json_extract(compiler, column, head) if head else column
        try:
            index = int(last)
        except (TypeError, ValueError):
            return element.op("?", return_type=sa.Boolean())(sa.literal(str(last), sa.String()))
        # ``?`` only tests object keys; an array index exists when it is in range.
        return json_extract(compiler, element, [index]).is_not(None)
    path = sa.literal(_path_literal(keys), sa.String())
    if compiler.vendor == "mysql":
        return sa.func.json_contains_path(column, sa.literal("one"), path) == 1
    return sa.func.json_type(column, path).is_not(None)


from fastjango.db.models.lookups import EndsWith as _TextEndsWith  # noqa: E402
from fastjango.db.models.lookups import (  # noqa: E402 - lookups need the field classes above
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    IContains,
    IEndsWith,
    IExact,
    In,
    IRegex,
    IsNull,
    IStartsWith,
    LessThan,
    LessThanOrEqual,
    Lookup,
    Regex,
    Transform,
)
from fastjango.db.models.lookups import StartsWith as _TextStartsWith  # noqa: E402


class KeyTransform(Transform):
    """``data__key``: the JSON value under one key (or array index)."""

    postgres_operator = "->"

    def __init__(self, key_name: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_name = str(key_name)

    def _resolve_output_field(self) -> Any:
        return _json_field_of(self.lhs) or JSONField()

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        column, keys = _compile_key_path(compiler, self)
        return json_extract(compiler, column, keys)

    def as_text(self, compiler: SQLCompiler) -> Any:
        """Return the value as SQL text (strings unquoted)."""
        column, keys = _compile_key_path(compiler, self)
        return json_extract_text(compiler, column, keys)

    def key_path(self, compiler: SQLCompiler) -> tuple[Any, list[str]]:
        """Return the compiled JSON column and the keys under it."""
        return _compile_key_path(compiler, self)


class KeyTextTransform(KeyTransform):
    """``data__key`` as text: strings unquoted (``->>`` on PostgreSQL)."""

    postgres_operator = "->>"

    def _resolve_output_field(self) -> Any:
        from fastjango.db.models.fields import TextField

        return TextField()

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        return self.as_text(compiler)

    @classmethod
    def from_lookup(cls, lookup: str) -> KeyTextTransform:
        """Build the transform from ``"field__key__subkey"``."""
        from fastjango.db.models.constants import LOOKUP_SEP
        from fastjango.db.models.expressions import F

        transform, *keys = lookup.split(LOOKUP_SEP)
        if not keys:
            raise ValueError("Lookup must contain key or index transforms.")
        expr: Any = F(transform)
        for key in keys[:-1]:
            expr = KeyTransform(key, expr)
        return cls(keys[-1], expr)


def KT(lookup: str) -> KeyTextTransform:
    """Return the text of a JSON key path: ``KT("data__owner__name")``."""
    return KeyTextTransform.from_lookup(lookup)


class KeyTransformFactory:
    """Build a ``KeyTransform`` for any key name used in a lookup path."""

    def __init__(self, key_name: str) -> None:
        self.key_name = key_name

    def __call__(self, *args: Any, **kwargs: Any) -> KeyTransform:
        return KeyTransform(self.key_name, *args, **kwargs)


# -- lookups on the whole document -------------------------------------------------


def _json_literal(compiler: SQLCompiler, field: Any, value: Any) -> Any:
    text = field.dumps(value) if isinstance(field, JSONField) else json.dumps(value)
    if compiler.vendor == "postgresql":
        return sa.cast(sa.literal(text, sa.Text()), _types.JSONType())
    return sa.func.json_extract(sa.literal(text, sa.Text()), sa.literal("$"))


class DataContains(Lookup):
    """``data__contains={...}``: the document contains the given one (not on SQLite)."""

    lookup_name = "contains"
    prepare_rhs = False

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        if compiler.vendor == "sqlite":
            raise NotSupportedError("contains lookup is not supported on this database backend.")
        lhs = compiler.sa(self.lhs)
        rhs = (
            compiler.sa(self.rhs)
            if hasattr(self.rhs, "resolve_expression")
            else _json_literal(compiler, self.lhs_field, self.rhs)
        )
        if compiler.vendor == "postgresql":
            return lhs.op("@>", return_type=sa.Boolean())(rhs)
        return sa.func.json_contains(lhs, rhs) == 1


class ContainedBy(Lookup):
    """``data__contained_by={...}``: the given document contains this one (not on SQLite)."""

    lookup_name = "contained_by"
    prepare_rhs = False

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        if compiler.vendor == "sqlite":
            raise NotSupportedError(
                "contained_by lookup is not supported on this database backend."
            )
        lhs = compiler.sa(self.lhs)
        rhs = (
            compiler.sa(self.rhs)
            if hasattr(self.rhs, "resolve_expression")
            else _json_literal(compiler, self.lhs_field, self.rhs)
        )
        if compiler.vendor == "postgresql":
            return lhs.op("<@", return_type=sa.Boolean())(rhs)
        return sa.func.json_contains(rhs, lhs) == 1


class HasKeyLookup(Lookup):
    """Base of ``has_key``, ``has_keys`` and ``has_any_keys``."""

    prepare_rhs = False

    @staticmethod
    def combine(conditions: list[Any]) -> Any:
        """Join the per-key conditions (``and``/``or``)."""
        return conditions[0]

    def _key_paths(self) -> list[list[str]]:
        rhs = self.rhs
        keys = rhs if isinstance(rhs, list | tuple) else [rhs]
        paths = []
        for key in keys:
            path = [str(key)]
            if isinstance(key, KeyTransform):
                path = []
                node: Any = key
                while isinstance(node, KeyTransform):
                    path.insert(0, node.key_name)
                    node = node.lhs
            paths.append(path)
        return paths

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        if isinstance(self.lhs, KeyTransform):
            column, prefix = self.lhs.key_path(compiler)
        else:
            column, prefix = compiler.sa(self.lhs), []
        conditions = [has_key(compiler, column, [*prefix, *path]) for path in self._key_paths()]
        if len(conditions) == 1:
            return conditions[0]
        return self.combine(conditions)


class HasKey(HasKeyLookup):
    """``data__has_key="owner"``."""

    lookup_name = "has_key"


class HasKeys(HasKeyLookup):
    """``data__has_keys=["a", "b"]``: every key is present."""

    lookup_name = "has_keys"

    @staticmethod
    def combine(conditions: list[Any]) -> Any:
        return sa.and_(*conditions)


class HasAnyKeys(HasKeyLookup):
    """``data__has_any_keys=["a", "b"]``: at least one key is present."""

    lookup_name = "has_any_keys"

    @staticmethod
    def combine(conditions: list[Any]) -> Any:
        return sa.or_(*conditions)


class JSONExact(Exact):
    """``data={...}``: the documents are equal."""

    can_use_none_as_rhs = True

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        lhs = compiler.sa(self.lhs)
        if hasattr(self.rhs, "resolve_expression"):
            return lhs == compiler.sa(self.rhs)
        rhs = _json_literal(compiler, self.lhs_field, self.rhs)
        if compiler.vendor == "sqlite":
            return sa.func.json(lhs) == sa.func.json(
                sa.literal(self.lhs_field.dumps(self.rhs), sa.Text())
            )
        if compiler.vendor == "mysql":
            return lookup_lhs(compiler, sa.func.json_extract(lhs, sa.literal("$"))) == rhs
        return lhs == rhs


for _field_lookup in (DataContains, ContainedBy, HasKey, HasKeys, HasAnyKeys, JSONExact):
    JSONField.register_lookup(_field_lookup)


# -- lookups on a key ------------------------------------------------------------------


class KeyTransformExact(Exact):
    """``data__key=value``; ``data__key=None`` matches JSON null."""

    can_use_none_as_rhs = True

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        if hasattr(self.rhs, "resolve_expression"):
            return compiler.sa(self.lhs) == compiler.sa(self.rhs)
        column, keys = self.lhs.key_path(compiler)
        if self.rhs is None:
            if compiler.vendor == "postgresql":
                return json_extract(compiler, column, keys) == sa.cast(
                    sa.literal("null", sa.Text()), _types.JSONType()
                )
            path = sa.literal(_path_literal(keys), sa.String())
            if compiler.vendor == "mysql":
                return sa.func.json_type(sa.func.json_extract(column, path)) == sa.literal("NULL")
            return sa.func.json_type(column, path) == sa.literal("null")
        extracted = lookup_lhs(compiler, json_extract(compiler, column, keys))
        rhs = _json_literal(compiler, _json_field_of(self.lhs), self.rhs)
        if compiler.vendor == "sqlite" and not isinstance(self.rhs, dict | list):
            return extracted == rhs
        if compiler.vendor == "sqlite":
            return sa.func.json(extracted) == sa.func.json(
                sa.literal(json.dumps(self.rhs), sa.Text())
            )
        return extracted == rhs


class KeyTransformIsNull(IsNull):
    """``data__key__isnull=True``: no value under the key (``False``: the key is present)."""

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        column, keys = self.lhs.key_path(compiler)
        if compiler.vendor == "sqlite":
            value_type = sa.func.json_type(column, sa.literal(_path_literal(keys), sa.String()))
            return value_type.is_(None) if self.rhs else value_type.is_not(None)
        if not self.rhs:
            return has_key(compiler, column, keys)
        # A key holding JSON null is not missing: only SQL NULL counts, as in Django.
        return json_extract(compiler, column, keys).is_(None)


class KeyTransformIn(In):
    """``data__key__in=[...]``."""

    def get_prep_lookup(self) -> Any:
        return self.rhs

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        if hasattr(self.rhs, "resolve_expression"):
            return super().as_sqlalchemy(compiler)
        values = [value for value in self.rhs]
        if not values:
            from fastjango.core.exceptions import EmptyResultSet

            raise EmptyResultSet
        column, keys = self.lhs.key_path(compiler)
        extracted = lookup_lhs(compiler, json_extract(compiler, column, keys))
        field = _json_field_of(self.lhs)
        if compiler.vendor == "sqlite":
            plain = [v for v in values if not isinstance(v, dict | list)]
            return extracted.in_([sa.literal(v) for v in plain]) if plain else sa.false()
        literals = [_json_literal(compiler, field, v) for v in values]
        if compiler.vendor == "mysql":
            # MariaDB compares JSON values with "=" but not with IN.
            return sa.or_(*(extracted == literal for literal in literals))
        return extracted.in_(literals)


class KeyTransformNumericLookupMixin:
    """Compare a key's value with a number (or string) the backend's way."""

    rhs: Any
    lhs: Any

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        if hasattr(self.rhs, "resolve_expression"):
            return super().as_sqlalchemy(compiler)  # type: ignore[misc]
        column, keys = self.lhs.key_path(compiler)
        extracted = json_extract(compiler, column, keys)
        rhs: Any
        if compiler.vendor == "postgresql":
            rhs = sa.cast(sa.literal(json.dumps(self.rhs), sa.Text()), _types.JSONType())
        elif compiler.vendor == "mysql":
            if isinstance(self.rhs, int | float) and not isinstance(self.rhs, bool):
                # Two JSON values compare as text on MariaDB; a JSON number and a SQL
                # number compare as numbers.
                rhs = sa.literal(self.rhs)
            else:
                extracted = lookup_lhs(compiler, extracted)
                rhs = sa.func.json_extract(
                    sa.literal(json.dumps(self.rhs), sa.Text()), sa.literal("$")
                )
        else:
            rhs = sa.literal(self.rhs)
        return self.build(compiler, extracted, rhs)  # type: ignore[attr-defined]

    def get_prep_lookup(self) -> Any:
        return self.rhs


class KeyTransformLt(KeyTransformNumericLookupMixin, LessThan):
    """``data__key__lt=value``."""


class KeyTransformLte(KeyTransformNumericLookupMixin, LessThanOrEqual):
    """``data__key__lte=value``."""


class KeyTransformGt(KeyTransformNumericLookupMixin, GreaterThan):
    """``data__key__gt=value``."""


class KeyTransformGte(KeyTransformNumericLookupMixin, GreaterThanOrEqual):
    """``data__key__gte=value``."""


class KeyTransformTextLookupMixin:
    """Run a text lookup on the key's value as text."""

    lhs: Any

    def __init__(self, key_transform: Any, *args: Any, **kwargs: Any) -> None:
        if not isinstance(key_transform, KeyTransform):
            raise TypeError(
                "Transform should be an instance of KeyTransform in order to use this lookup."
            )
        key_text_transform = KeyTextTransform(
            key_transform.key_name, *key_transform.source_expressions
        )
        super().__init__(key_text_transform, *args, **kwargs)  # type: ignore[call-arg]


class KeyTransformIExact(KeyTransformTextLookupMixin, IExact):
    """``data__key__iexact="bob"``."""


class KeyTransformIContains(KeyTransformTextLookupMixin, IContains):
    """``data__key__icontains="OB"``."""


class KeyTransformStartsWith(KeyTransformTextLookupMixin, _TextStartsWith):
    """``data__key__startswith="B"``."""


class KeyTransformIStartsWith(KeyTransformTextLookupMixin, IStartsWith):
    """``data__key__istartswith="b"``."""


class KeyTransformEndsWith(KeyTransformTextLookupMixin, _TextEndsWith):
    """``data__key__endswith="b"``."""


class KeyTransformIEndsWith(KeyTransformTextLookupMixin, IEndsWith):
    """``data__key__iendswith="B"``."""


class KeyTransformRegex(KeyTransformTextLookupMixin, Regex):
    """``data__key__regex=r"^B"``."""


class KeyTransformIRegex(KeyTransformTextLookupMixin, IRegex):
    """``data__key__iregex=r"^b"``."""


for _lookup in (
    KeyTransformExact,
    KeyTransformIsNull,
    KeyTransformIn,
    KeyTransformLt,
    KeyTransformLte,
    KeyTransformGt,
    KeyTransformGte,
    KeyTransformIExact,
    KeyTransformIContains,
    KeyTransformStartsWith,
    KeyTransformIStartsWith,
    KeyTransformEndsWith,
    KeyTransformIEndsWith,
    KeyTransformRegex,
    KeyTransformIRegex,
    HasKey,
    HasKeys,
    HasAnyKeys,
):
    KeyTransform.register_lookup(_lookup)
