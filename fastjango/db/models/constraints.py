"""``Meta.constraints``: ``CheckConstraint`` and ``UniqueConstraint`` (conditional too)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Any

import sqlalchemy as sa

from fastjango.core.exceptions import FieldError, ValidationError
from fastjango.db.models.expressions import Exists, F, Value
from fastjango.db.models.metadata import (
    conv,
    supports_expression_indexes,
    supports_nulls_distinct,
)
from fastjango.db.models.query_utils import Q

__all__ = ["BaseConstraint", "CheckConstraint", "Deferrable", "UniqueConstraint"]


class Deferrable(Enum):
    """When a deferrable unique constraint is checked."""

    DEFERRED = "deferred"
    IMMEDIATE = "immediate"

    def __repr__(self) -> str:
        return f"{self.__class__.__qualname__}.{self._name_}"


def _field_values(model: Any, instance: Any, exclude: set[str] | None) -> dict[str, Any]:
    """Return ``{name: Value(...)}`` of the instance's fields (names and attnames, and pk)."""
    exclude = exclude or set()
    values: dict[str, Any] = {}
    for field in model._meta.local_concrete_fields:
        if field.name in exclude:
            continue
        value = Value(getattr(instance, field.attname), field)
        values[field.name] = value
        values[field.attname] = value
        if field.primary_key:
            values["pk"] = value
    return values


class BaseConstraint:
    """Base class of constraints: a name and the message of a violation."""

    default_violation_error_message = "Constraint “%(name)s” is violated."
    violation_error_code: str | None = None
    violation_error_message: str | None = None

    def __init__(
        self,
        *,
        name: str,
        violation_error_code: str | None = None,
        violation_error_message: str | None = None,
    ) -> None:
        self.name = name
        if violation_error_code is not None:
            self.violation_error_code = violation_error_code
        if violation_error_message is not None:
            self.violation_error_message = violation_error_message
        else:
            self.violation_error_message = self.default_violation_error_message

    @property
    def contains_expressions(self) -> bool:
        """Return whether the constraint is on expressions rather than fields."""
        return False

    def get_violation_error_message(self) -> str:
        """Return the message of a violation (``%(name)s`` filled in)."""
        return str(self.violation_error_message) % {"name": self.name}

    def validate(
        self, model: Any, instance: Any, exclude: set[str] | None = None, using: str = "default"
    ) -> None:
        """Raise ValidationError if ``instance`` violates the constraint."""
        raise NotImplementedError("Subclasses of BaseConstraint must define validate().")

    def add_to_table(self, model: Any, table: sa.Table) -> None:
        """Add the constraint to the model's SQLAlchemy table."""
        raise NotImplementedError("Subclasses of BaseConstraint must define add_to_table().")

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        """Return ``(path, args, kwargs)`` that rebuild the constraint (for migrations)."""
        path = f"{self.__class__.__module__}.{self.__class__.__name__}".replace(
            "fastjango.db.models.constraints", "fastjango.db.models"
        )
        kwargs: dict[str, Any] = {"name": self.name}
        if (
            self.violation_error_message is not None
            and self.violation_error_message != self.default_violation_error_message
        ):
            kwargs["violation_error_message"] = self.violation_error_message
        if self.violation_error_code is not None:
            kwargs["violation_error_code"] = self.violation_error_code
        return path, (), kwargs

    def clone(self) -> Any:
        """Return a copy (each model gets its own, named after it)."""
        _, args, kwargs = self.deconstruct()
        return self.__class__(*args, **kwargs)


class CheckConstraint(BaseConstraint):
    """A CHECK constraint: ``condition`` (a Q or boolean expression) must hold for every row."""

    def __init__(
        self,
        *,
        name: str,
        condition: Any = None,
        check: Any = None,
        violation_error_code: str | None = None,
        violation_error_message: str | None = None,
    ) -> None:
        if check is not None:
            condition = check
        if condition is None:
            raise TypeError(
                f"{self.__class__.__name__}.__init__() missing 1 required keyword-only "
                "argument: 'condition'"
            )
        self.condition = condition
        if not getattr(condition, "conditional", False):
            raise TypeError("CheckConstraint.condition must be a Q instance or boolean expression.")
        super().__init__(
            name=name,
            violation_error_code=violation_error_code,
            violation_error_message=violation_error_message,
        )

    @property
    def check(self) -> Any:
        """Return the condition (Django's name before 5.1)."""
        return self.condition

    def add_to_table(self, model: Any, table: sa.Table) -> None:
        from fastjango.db.models.sql.ddl import ddl_condition

        condition = ddl_condition(model, self.condition, table)
        if condition is not None:
            table.append_constraint(sa.CheckConstraint(condition, name=conv(self.name)))

    def validate(
        self, model: Any, instance: Any, exclude: set[str] | None = None, using: str = "default"
    ) -> None:
        against = _field_values(model, instance, exclude)
        try:
            condition = self.condition if isinstance(self.condition, Q) else Q(self.condition)
            if not condition.check(against, using=using):
                raise ValidationError(
                    self.get_violation_error_message(), code=self.violation_error_code
                )
        except FieldError:
            pass

    def __repr__(self) -> str:
        return f"<{self.__class__.__qualname__}: condition={self.condition} name={self.name!r}>"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CheckConstraint):
            return (
                self.name == other.name
                and self.condition == other.condition
                and self.violation_error_code == other.violation_error_code
                and self.violation_error_message == other.violation_error_message
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.name, repr(self.condition)))

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        path, args, kwargs = super().deconstruct()
        kwargs["condition"] = self.condition
        return path, args, kwargs


class UniqueConstraint(BaseConstraint):
    """Values (of ``fields`` or ``expressions``) must be unique, where ``condition`` holds."""

    def __init__(
        self,
        *expressions: Any,
        fields: Sequence[str] = (),
        name: str | None = None,
        condition: Any = None,
        deferrable: Deferrable | None = None,
        include: Sequence[str] | None = None,
        opclasses: Sequence[str] = (),
        nulls_distinct: bool | None = None,
        violation_error_code: str | None = None,
        violation_error_message: str | None = None,
    ) -> None:
        if not name:
            raise ValueError("A unique constraint must be named.")
        if not expressions and not fields:
            raise ValueError(
                "At least one field or expression is required to define a unique constraint."
            )
        if expressions and fields:
            raise ValueError("UniqueConstraint.fields and expressions are mutually exclusive.")
        if not isinstance(condition, None | Q):
            raise ValueError("UniqueConstraint.condition must be a Q instance.")
        if condition and deferrable:
            raise ValueError("UniqueConstraint with conditions cannot be deferred.")
        if include and deferrable:
            raise ValueError("UniqueConstraint with include fields cannot be deferred.")
        if opclasses and deferrable:
            raise ValueError("UniqueConstraint with opclasses cannot be deferred.")
        if expressions and deferrable:
            raise ValueError("UniqueConstraint with expressions cannot be deferred.")
        if expressions and opclasses:
            raise ValueError(
                "UniqueConstraint.opclasses cannot be used with expressions. Use "
                "django.contrib.postgres.indexes.OpClass() instead."
            )
        if not isinstance(deferrable, None | Deferrable):
            raise TypeError("UniqueConstraint.deferrable must be a Deferrable instance.")
        if not isinstance(include, None | list | tuple):
            raise TypeError("UniqueConstraint.include must be a list or tuple.")
        if not isinstance(opclasses, list | tuple):
            raise TypeError("UniqueConstraint.opclasses must be a list or tuple.")
        if opclasses and len(fields) != len(opclasses):
            raise ValueError(
                "UniqueConstraint.fields and UniqueConstraint.opclasses must have the same "
                "number of elements."
            )
        self.fields = tuple(fields)
        self.condition = condition
        self.deferrable = deferrable
        self.include = tuple(include) if include else ()
        self.opclasses = opclasses
        self.nulls_distinct = nulls_distinct
        self.expressions = tuple(F(e) if isinstance(e, str) else e for e in expressions)
        super().__init__(
            name=name,
            violation_error_code=violation_error_code,
            violation_error_message=violation_error_message,
        )

    @property
    def contains_expressions(self) -> bool:
        return bool(self.expressions)

    def add_to_table(self, model: Any, table: sa.Table) -> None:
        from fastjango.db.models.sql.ddl import ddl_condition, ddl_expression

        opts = model._meta
        if not self.condition and not self.expressions and not self.include and not self.opclasses:
            columns = [table.c[opts.get_field(name).attname] for name in self.fields]
            kwargs: dict[str, Any] = {"name": conv(self.name)}
            if self.deferrable is not None:
                kwargs["deferrable"] = True
                kwargs["initially"] = self.deferrable.value.upper()
            if self.nulls_distinct is not None:
                kwargs["postgresql_nulls_not_distinct"] = not self.nulls_distinct
            constraint = sa.UniqueConstraint(*columns, **kwargs)
            # As Django does, leave out what the database can't express.
            if self.nulls_distinct is not None:
                constraint.ddl_if(callable_=supports_nulls_distinct)
            elif self.deferrable is not None:
                constraint.ddl_if(dialect="postgresql")
            table.append_constraint(constraint)
            return
        elements = (
            [ddl_expression(model, e, table) for e in self.expressions]
            if self.expressions
            else [table.c[opts.get_field(name).attname] for name in self.fields]
        )
        dialect_kwargs: dict[str, Any] = {}
        dialects: tuple[str, ...] = ("postgresql", "sqlite", "mysql", "mariadb")
        if self.condition is not None:
            where = ddl_condition(model, self.condition, table)
            dialect_kwargs["postgresql_where"] = where
            dialect_kwargs["sqlite_where"] = where
            # MySQL has no partial indexes: a full unique index would be too strict.
            dialects = ("postgresql", "sqlite")
        if self.include:
            dialect_kwargs["postgresql_include"] = [opts.get_field(n).column for n in self.include]
        if self.opclasses:
            dialect_kwargs["postgresql_ops"] = {
                opts.get_field(name).column: opclass
                for name, opclass in zip(self.fields, self.opclasses, strict=True)
            }
        index = sa.Index(conv(self.name), *elements, unique=True, _table=table, **dialect_kwargs)
        if self.expressions:
            index.ddl_if(dialect=dialects, callable_=supports_expression_indexes)  # type: ignore[arg-type]
        else:
            index.ddl_if(dialect=dialects)  # type: ignore[arg-type]

    def validate(
        self, model: Any, instance: Any, exclude: set[str] | None = None, using: str = "default"
    ) -> None:
        from fastjango.db.models.lookups import Exact, IsNull

        queryset = model._default_manager.using(using)
        if self.fields:
            lookup_kwargs = {}
            for field_name in self.fields:
                if exclude and field_name in exclude:
                    return
                field = model._meta.get_field(field_name)
                lookup_value = getattr(instance, field.attname)
                if self.nulls_distinct is not False and lookup_value is None:
                    return
                lookup_kwargs[field.name] = lookup_value
            queryset = queryset.filter(**lookup_kwargs)
        else:
            values = _field_values(model, instance, exclude)
            if exclude and any(
                name in exclude for expr in self.expressions for name in _referenced(expr)
            ):
                return
            replacements = {F(name): value for name, value in values.items()}
            filters = []
            for expr in self.expressions:
                rhs = expr.replace_expressions(replacements)
                condition: Any = Exact(expr, rhs)
                if self.nulls_distinct is False:
                    condition = Q(condition) | Q(IsNull(expr, True), IsNull(rhs, True))
                filters.append(condition)
            queryset = queryset.filter(*filters)
        pk = instance._get_pk_val(model._meta)
        if not instance._state.adding and pk is not None:
            queryset = queryset.exclude(pk=pk)
        if not self.condition:
            if queryset.exists():
                if (
                    self.fields
                    and self.violation_error_message == self.default_violation_error_message
                ):
                    raise instance.unique_error_message(model, self.fields)
                raise ValidationError(
                    self.get_violation_error_message(), code=self.violation_error_code
                )
            return
        against = _field_values(model, instance, exclude)
        try:
            if (self.condition & Exists(queryset.filter(self.condition))).check(
                against, using=using
            ):
                raise ValidationError(
                    self.get_violation_error_message(), code=self.violation_error_code
                )
        except FieldError:
            pass

    def __repr__(self) -> str:
        parts = [f"fields={self.fields!r}" if self.fields else f"expressions={self.expressions!r}"]
        parts.append(f"name={self.name!r}")
        if self.condition:
            parts.append(f"condition={self.condition}")
        if self.deferrable:
            parts.append(f"deferrable={self.deferrable!r}")
        return f"<{self.__class__.__qualname__}: {' '.join(parts)}>"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, UniqueConstraint):
            return (
                self.name == other.name
                and self.fields == other.fields
                and self.condition == other.condition
                and self.deferrable == other.deferrable
                and self.include == other.include
                and tuple(self.opclasses) == tuple(other.opclasses)
                and self.expressions == other.expressions
                and self.nulls_distinct is other.nulls_distinct
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.name, self.fields))

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        path, args, kwargs = super().deconstruct()
        if self.fields:
            kwargs["fields"] = self.fields
        if self.condition:
            kwargs["condition"] = self.condition
        if self.deferrable:
            kwargs["deferrable"] = self.deferrable
        if self.include:
            kwargs["include"] = self.include
        if self.opclasses:
            kwargs["opclasses"] = self.opclasses
        if self.nulls_distinct is not None:
            kwargs["nulls_distinct"] = self.nulls_distinct
        return path, self.expressions, kwargs


def _referenced(expr: Any) -> set[str]:
    names: set[str] = set()
    if isinstance(expr, F):
        names.add(expr.name.split("__", 1)[0])
    for sub in getattr(expr, "get_source_expressions", lambda: [])():
        if sub is not None:
            names |= _referenced(sub)
    return names
