"""``GeneratedField``: a column the database computes from the row (Django 5.0+).

The column is ``GENERATED ALWAYS AS (expression) STORED`` (``VIRTUAL`` with
``db_persist=False``). Writes leave it out; ``save()`` reads it back with
``INSERT ... RETURNING`` where the database can, and otherwise (and after an
``UPDATE``) the value is loaded on first access, as for a deferred field.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles

from fastjango.core import checks
from fastjango.db.models.fields import NOT_PROVIDED, Field
from fastjango.db.models.query_utils import DeferredAttribute

__all__ = ["GeneratedField"]


class _GeneratedAttribute(DeferredAttribute):
    """Loads the value like a deferred field; an unsaved object has none yet."""

    def __get__(self, instance: Any, cls: type | None = None) -> Any:
        if instance is None:
            return self
        if self.field.attname not in instance.__dict__ and instance._state.adding:
            raise AttributeError("Cannot read a generated field from an unsaved model.")
        return super().__get__(instance, cls)


class GeneratedField(Field[Any, Any]):
    """A field whose value the database computes from ``expression``."""

    generated = True
    db_returning = True
    descriptor_class = _GeneratedAttribute

    def __init__(self, *, expression: Any, output_field: Any, db_persist: Any, **kwargs: Any):
        if kwargs.setdefault("editable", False):
            raise ValueError("GeneratedField cannot be editable.")
        if not kwargs.setdefault("blank", True):
            raise ValueError("GeneratedField must be blank.")
        if kwargs.get("default", NOT_PROVIDED) is not NOT_PROVIDED:
            raise ValueError("GeneratedField cannot have a default.")
        if kwargs.get("db_default", NOT_PROVIDED) is not NOT_PROVIDED:
            raise ValueError("GeneratedField cannot have a database default.")
        if db_persist not in (True, False):
            raise ValueError("GeneratedField.db_persist must be True or False.")
        self.expression = expression
        self.output_field = output_field
        self.db_persist = db_persist
        self.has_null_arg = "null" in kwargs
        super().__init__(**kwargs)

    def contribute_to_class(self, cls: Any, name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only)
        if hasattr(self.output_field, "from_db_value"):
            # Rows are converted by the model's field: convert as the output field does.
            self.from_db_value = self.output_field.from_db_value

    def get_default(self) -> Any:
        # Model() leaves the attribute unset: reading it is what the descriptor decides.
        from fastjango.db.models.base import DEFERRED

        return DEFERRED

    def get_internal_type(self) -> str:
        return str(self.output_field.get_internal_type())

    def sa_type(self) -> Any:
        return self.output_field.sa_type_instance

    def expression_sa_type(self) -> Any:
        return self.output_field.expression_sa_type()

    def db_parameters(self, connection: Any) -> dict[str, Any]:
        return dict(self.output_field.db_parameters(connection))

    def get_prep_value(self, value: Any) -> Any:
        return self.output_field.get_prep_value(value)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        return self.output_field.get_db_prep_value(value, connection, prepared)

    def to_python(self, value: Any) -> Any:
        return self.output_field.to_python(value)

    def get_col(self, alias: str, output_field: Any = None) -> Any:
        # Lookups and conversions are the output field's.
        return super().get_col(
            alias, self.output_field if output_field in (None, self) else output_field
        )

    def build_column(self, table_name: str) -> tuple[sa.Column[Any], list[Any]]:
        # The expression is compiled once the table's columns exist (finish_column).
        column = sa.Column(
            self.column,
            self.sa_type_instance,
            sa.Computed(sa.text("NULL"), persisted=self.db_persist),
            key=self.attname,
            nullable=True,
        )
        return column, []

    def finish_column(self, table: sa.Table) -> None:
        """Compile the expression on ``table``'s columns into the column's ``Computed``."""
        from fastjango.db.models.sql.ddl import ddl_expression

        expression = ddl_expression(self.model, self.expression, table)
        table.c[self.attname].computed.sqltext = expression  # type: ignore[union-attr]

    def check(self, **kwargs: Any) -> list[Any]:
        from fastjango.db import connections, router

        errors = list(super().check(**kwargs))
        for db in kwargs.get("databases") or []:
            if not router.allow_migrate_model(db, self.model):
                continue
            connection = connections[db]
            if not self.db_persist and not connection.features.supports_virtual_generated_columns:
                errors.append(
                    checks.Error(
                        f"{connection.display_name} does not support non-persisted "
                        "GeneratedFields.",
                        obj=self,
                        id="fields.E221",
                        hint="Set db_persist=True on the field.",
                    )
                )
        if self.has_null_arg:
            errors.append(
                checks.Warning("null has no effect on GeneratedField.", obj=self, id="fields.W225")
            )
        return errors

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("blank", None)
        kwargs.pop("editable", None)
        kwargs["db_persist"] = self.db_persist
        kwargs["expression"] = self.expression
        kwargs["output_field"] = self.output_field
        return name, path, args, kwargs


@compiles(sa.Computed, "postgresql")
def _postgresql_computed(computed: sa.Computed, compiler: Any, **kw: Any) -> str:
    from fastjango.db.utils import NotSupportedError

    if computed.persisted is False:
        raise NotSupportedError(
            "PostgreSQL does not support non-persisted GeneratedFields. Set db_persist=True on "
            "the field."
        )
    return str(compiler.visit_computed_column(computed, **kw))
