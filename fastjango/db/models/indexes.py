"""``Meta.indexes``: ``Index`` on fields (``"-field"`` descending) or expressions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from fastjango.db.models.expressions import F
from fastjango.db.models.metadata import conv, names_digest, supports_expression_indexes
from fastjango.db.models.query_utils import Q

__all__ = ["Index"]


class Index:
    """A database index; its name is made from the table and columns when not given."""

    suffix = "idx"
    # Short enough for every database Django supports.
    max_name_length = 30

    def __init__(
        self,
        *expressions: Any,
        fields: Sequence[str] = (),
        name: str | None = None,
        db_tablespace: str | None = None,
        opclasses: Sequence[str] = (),
        condition: Q | None = None,
        include: Sequence[str] | None = None,
    ) -> None:
        if opclasses and not name:
            raise ValueError("An index must be named to use opclasses.")
        if not isinstance(condition, None | Q):
            raise ValueError("Index.condition must be a Q instance.")
        if condition and not name:
            raise ValueError("An index must be named to use condition.")
        if not isinstance(fields, list | tuple):
            raise ValueError("Index.fields must be a list or tuple.")
        if not isinstance(opclasses, list | tuple):
            raise ValueError("Index.opclasses must be a list or tuple.")
        if not expressions and not fields:
            raise ValueError("At least one field or expression is required to define an index.")
        if expressions and fields:
            raise ValueError("Index.fields and expressions are mutually exclusive.")
        if expressions and not name:
            raise ValueError("An index must be named to use expressions.")
        if expressions and opclasses:
            raise ValueError(
                "Index.opclasses cannot be used with expressions. Use "
                "django.contrib.postgres.indexes.OpClass() instead."
            )
        if opclasses and len(fields) != len(opclasses):
            raise ValueError(
                "Index.fields and Index.opclasses must have the same number of elements."
            )
        if fields and not all(isinstance(field, str) for field in fields):
            raise ValueError("Index.fields must contain only strings with field names.")
        if include and not name:
            raise ValueError("A covering index must be named.")
        if not isinstance(include, None | list | tuple):
            raise ValueError("Index.include must be a list or tuple.")
        self.fields = list(fields)
        self.fields_orders = [
            (field_name.removeprefix("-"), "DESC" if field_name.startswith("-") else "")
            for field_name in self.fields
        ]
        self.name = name or ""
        self.db_tablespace = db_tablespace
        self.opclasses = opclasses
        self.condition = condition
        self.include = tuple(include) if include else ()
        self.expressions = tuple(F(e) if isinstance(e, str) else e for e in expressions)

    @property
    def contains_expressions(self) -> bool:
        """Return whether the index is on expressions."""
        return bool(self.expressions)

    def set_name_with_model(self, model: Any) -> None:
        """Name the index like Django: ``<table[:11]>_<column[:7]>_<hash>_idx``."""
        table_name = model._meta.db_table
        column_names = [
            model._meta.get_field(field_name).column for field_name, _ in self.fields_orders
        ]
        with_order = [
            (f"-{column}" if order else column)
            for column, (_, order) in zip(column_names, self.fields_orders, strict=True)
        ]
        hash_data = [table_name, *with_order, self.suffix]
        self.name = (
            f"{table_name[:11]}_{column_names[0][:7]}_"
            f"{names_digest(*hash_data, length=6)}_{self.suffix}"
        )
        if len(self.name) > self.max_name_length:
            raise ValueError(
                "Index too long for multiple database support. Is self.suffix longer than 3 "
                "characters?"
            )
        if self.name[0] == "_" or self.name[0].isdigit():
            self.name = f"D{self.name[1:]}"

    def add_to_table(self, model: Any, table: sa.Table) -> None:
        """Add the index to the model's SQLAlchemy table."""
        from fastjango.db.models.sql.ddl import ddl_condition, ddl_expression

        opts = model._meta
        if self.expressions:
            elements = [ddl_expression(model, e, table) for e in self.expressions]
        else:
            elements = []
            for field_name, order in self.fields_orders:
                column = table.c[opts.get_field(field_name).attname]
                elements.append(column.desc() if order else column)
        kwargs: dict[str, Any] = {}
        if self.condition is not None:
            where = ddl_condition(model, self.condition, table)
            kwargs["postgresql_where"] = where
            kwargs["sqlite_where"] = where
        if self.include:
            kwargs["postgresql_include"] = [opts.get_field(n).column for n in self.include]
        if self.opclasses:
            kwargs["postgresql_ops"] = {
                opts.get_field(name).column: opclass
                for (name, _), opclass in zip(self.fields_orders, self.opclasses, strict=True)
            }
        index = sa.Index(conv(self.name), *elements, _table=table, **kwargs)
        if self.expressions:
            index.ddl_if(callable_=supports_expression_indexes)

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        """Return ``(path, args, kwargs)`` that rebuild the index (for migrations)."""
        kwargs: dict[str, Any] = {"name": self.name}
        if self.fields:
            kwargs["fields"] = self.fields
        if self.db_tablespace is not None:
            kwargs["db_tablespace"] = self.db_tablespace
        if self.opclasses:
            kwargs["opclasses"] = self.opclasses
        if self.condition:
            kwargs["condition"] = self.condition
        if self.include:
            kwargs["include"] = self.include
        return "fastjango.db.models.Index", self.expressions, kwargs

    def clone(self) -> Index:
        """Return a copy."""
        _, args, kwargs = self.deconstruct()
        return self.__class__(*args, **kwargs)

    def __repr__(self) -> str:
        parts = [f"fields={self.fields!r}" if self.fields else f"expressions={self.expressions!r}"]
        if self.name:
            parts.append(f"name={self.name!r}")
        if self.condition is not None:
            parts.append(f"condition={self.condition}")
        return f"<{self.__class__.__qualname__}: {' '.join(parts)}>"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Index) and self.__class__ == other.__class__:
            return self.deconstruct() == other.deconstruct()
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.name, tuple(self.fields)))
