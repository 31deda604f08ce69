"""Build a model's SQLAlchemy ``Table`` on the shared MetaData."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from fastjango.core.exceptions import ImproperlyConfigured

__all__ = ["build_table"]


def build_table(model: Any) -> sa.Table:
    """Return the Table of ``model``: its columns, unique_together, indexes and constraints.

    Relations to models not defined yet get their type and foreign key when
    the target model arrives (see ``ForeignKey.resolve_column``).
    """
    from fastjango.db.models.metadata import get_metadata

    opts = model._meta
    metadata = get_metadata(opts.apps)
    existing = metadata.tables.get(opts.db_table)
    if existing is not None:
        owner = existing.info.get("model")
        same_class = owner is not None and (owner.__module__, owner.__qualname__) == (
            model.__module__,
            model.__qualname__,
        )
        if not same_class:
            owner_label = owner._meta.label if owner is not None else "another table"
            raise ImproperlyConfigured(
                f"The table '{opts.db_table}' of {opts.label} is already used by "
                f"{owner_label}. Give one of them a different Meta.db_table."
            )
        # The same model defined again (a module reload): replace its table.
        metadata.remove(existing)
    items: list[Any] = []
    for field in opts.local_fields:
        if not field.concrete:
            continue
        column, extra = field.build_column(opts.db_table)
        items.append(column)
        items.extend(extra)
    table = sa.Table(
        opts.db_table,
        metadata,
        *items,
        comment=opts.db_table_comment or None,
        info={"model": model, "managed": opts.managed},
    )
    for field in opts.local_fields:
        finish = getattr(field, "finish_column", None)
        if finish is not None:
            finish(table)
    for names in opts.unique_together:
        columns = [table.c[opts.get_field(name).attname] for name in names]
        table.append_constraint(sa.UniqueConstraint(*columns))
    for index in opts.indexes:
        index.add_to_table(model, table)
    for constraint in opts.constraints:
        constraint.add_to_table(model, table)
    return table
