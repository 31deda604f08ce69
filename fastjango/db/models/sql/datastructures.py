"""The tables of a query: the base table and the joins added for relations."""

from __future__ import annotations

from typing import Any

__all__ = ["INNER", "LOUTER", "BaseTable", "Join", "MultiJoin"]

INNER = "INNER JOIN"
LOUTER = "LEFT OUTER JOIN"


class MultiJoin(Exception):
    """A multi-valued relation was met where it isn't allowed (a negated filter)."""

    def __init__(self, names_pos: int, path_with_names: list[Any]) -> None:
        super().__init__(names_pos, path_with_names)
        self.level = names_pos
        self.names_with_path = path_with_names


class BaseTable:
    """The model's own table: the first entry of a query's ``alias_map``."""

    join_type: str | None = None
    parent_alias: str | None = None
    filtered_relation: Any = None
    join_field: Any = None
    nullable = False
    m2m = False

    def __init__(self, table_name: str, alias: str, model: Any) -> None:
        self.table_name = table_name
        self.table_alias = alias
        self.model = model

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.table_name}, {self.table_alias})"

    @property
    def identity(self) -> tuple[Any, ...]:
        """Return what makes two base tables the same (the alias doesn't count)."""
        return (self.__class__, self.table_name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BaseTable):
            return NotImplemented
        return self.identity == other.identity

    def __hash__(self) -> int:
        return hash(self.identity)


class Join:
    """A joined table: ``join_type table_alias ON parent.col = table_alias.col``.

    ``join_field`` (a forward field or a reverse relation) says which columns
    are equal; ``m2m`` marks a multi-valued hop (reused only within one
    ``filter()`` call). Two joins are equal, and so reusable, when they join the
    same table to the same parent the same way; alias and join type don't count.
    """

    def __init__(
        self,
        table_name: str,
        parent_alias: str,
        table_alias: str | None,
        join_type: str,
        join_field: Any,
        nullable: bool,
        model: Any,
        m2m: bool = False,
        filtered_relation: Any = None,
    ) -> None:
        self.table_name = table_name
        self.parent_alias = parent_alias
        self.table_alias = table_alias
        self.join_type = join_type
        self.join_field = join_field
        self.nullable = nullable
        self.model = model
        self.m2m = m2m
        self.filtered_relation = filtered_relation
        #: ``(parent field, joined field)`` pairs whose columns are equal
        self.join_fields: tuple[tuple[Any, Any], ...] = tuple(join_field.get_joining_fields())

    def __repr__(self) -> str:
        return (
            f"{self.__class__.__name__}({self.join_type} {self.table_name} AS "
            f"{self.table_alias} ON {self.parent_alias})"
        )

    @property
    def join_cols(self) -> tuple[tuple[str, str], ...]:
        """Return the ``(parent column, joined column)`` names (Django's attribute)."""
        return tuple((lhs.column, rhs.column) for lhs, rhs in self.join_fields)

    @property
    def identity(self) -> tuple[Any, ...]:
        """Return what makes two joins the same (alias and join type don't count)."""
        return (
            self.__class__,
            self.table_name,
            self.parent_alias,
            self.join_field,
            self.filtered_relation,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Join):
            return NotImplemented
        return self.identity == other.identity

    def __hash__(self) -> int:
        return hash(self.identity)

    def copy(self) -> Join:
        """Return a copy (to change its join type or alias)."""
        new = Join.__new__(Join)
        new.__dict__.update(self.__dict__)
        return new

    def promote(self) -> Join:
        """Return a LEFT OUTER copy."""
        new = self.copy()
        new.join_type = LOUTER
        return new

    def demote(self) -> Join:
        """Return an INNER copy."""
        new = self.copy()
        new.join_type = INNER
        return new
