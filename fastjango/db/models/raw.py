"""``RawQuerySet``: model instances from raw SQL (``Manager.raw()``) or any SQLAlchemy select.

Columns are matched to fields by column name (``translations`` maps other
names); columns that aren't fields become attributes; fields the query
doesn't return are deferred. The primary key must be there.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic

import sqlalchemy as sa

from fastjango.core.exceptions import FieldDoesNotExist
from fastjango.db import connections, router
from fastjango.db.models import plans
from fastjango.db.models.query_utils import refuse_sync_query

if TYPE_CHECKING:
    from typing import Self

    from typing_extensions import TypeVar

    _T = TypeVar("_T", default=Any)
else:
    from typing import TypeVar

    _T = TypeVar("_T")

__all__ = ["RawQuerySet", "raw_sql_statement"]

_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%s|%%")


def raw_sql_statement(sql: str, params: Any) -> tuple[Any, dict[str, Any]]:
    """Turn Django-style SQL (``%s`` / ``%(name)s`` placeholders) into ``text()`` and binds."""
    escaped = sql.replace(":", r"\:")
    values: dict[str, Any] = {}
    positional = list(params) if params is not None and not isinstance(params, Mapping) else []
    named = dict(params) if isinstance(params, Mapping) else {}
    counter = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal counter
        token = match.group(0)
        if token == "%%":
            return "%"
        if match.group(1):
            name = match.group(1)
            if name not in named:
                raise KeyError(f"The raw query needs a parameter named {name!r}.")
            values[f"p_{name}"] = named[name]
            return f":p_{name}"
        if counter >= len(positional):
            raise IndexError(
                f"The raw query has more %s placeholders than the {len(positional)} parameter(s) "
                "given."
            )
        key = f"p{counter}"
        values[key] = positional[counter]
        counter += 1
        return f":{key}"

    text = _PLACEHOLDER.sub(replace, escaped)
    if positional and counter != len(positional):
        raise TypeError(
            f"The raw query has {counter} placeholder(s) but {len(positional)} parameter(s) were "
            "given."
        )
    return sa.text(text), values


class RawQuerySet(Generic[_T]):
    """Model instances from raw SQL; evaluated (and cached) like a QuerySet."""

    def __init__(
        self,
        raw_query: Any,
        model: Any = None,
        query: Any = None,
        params: Any = (),
        translations: dict[str, str] | None = None,
        using: str | None = None,
        hints: dict[str, Any] | None = None,
    ) -> None:
        self.raw_query = raw_query
        self.model = model
        self._db = using
        self._hints = hints or {}
        self.params = params
        self.translations = translations or {}
        self._result_cache: list[_T] | None = None
        self._prefetch_related_lookups: tuple[Any, ...] = ()
        self._prefetch_done = False

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__}: {self.raw_query}>"

    @property
    def db(self) -> str:
        """Return the database alias the query runs on."""
        return self._db or router.db_for_read(self.model, **self._hints)

    def using(self, alias: str | None) -> Self:
        """Return a copy that runs on ``alias``."""
        clone = self._clone()
        clone._db = alias
        return clone

    def _clone(self) -> Self:
        clone = self.__class__(
            self.raw_query,
            model=self.model,
            params=self.params,
            translations=self.translations,
            using=self._db,
            hints=self._hints,
        )
        clone._prefetch_related_lookups = self._prefetch_related_lookups[:]
        return clone

    def prefetch_related(self, *lookups: Any) -> Self:
        """Prefetch relations of the raw results, as ``QuerySet.prefetch_related()``."""
        clone = self._clone()
        if lookups == (None,):
            clone._prefetch_related_lookups = ()
        else:
            clone._prefetch_related_lookups = clone._prefetch_related_lookups + lookups
        return clone

    def _statement(self) -> tuple[Any, Any]:
        query = self.raw_query
        if isinstance(query, str):
            return raw_sql_statement(query, self.params)
        if isinstance(query, sa.TextClause):
            return query, dict(self.params or {}) or None
        return query, None

    def _hydrate(self, columns: Sequence[str], rows: Sequence[Any]) -> list[Any]:
        columns = [self.translations.get(c, c) for c in columns]
        by_column = {}
        for field in self.model._meta.concrete_fields:
            by_column[field.column] = field
            by_column.setdefault(field.attname, field)
            by_column.setdefault(field.name, field)
        init_names: list[str] = []
        init_order: list[int] = []
        annotations: list[tuple[str, int]] = []
        seen: set[str] = set()
        for pos, column in enumerate(columns):
            field = by_column.get(column)
            if field is not None and field.attname not in seen:
                seen.add(field.attname)
                init_names.append(field.attname)
                init_order.append(pos)
            else:
                annotations.append((column, pos))
        if self.model._meta.pk.attname not in seen:
            raise FieldDoesNotExist("Raw query must include the primary key")
        by_name = dict(zip(init_names, init_order, strict=True))
        ordered_names = [
            f.attname for f in self.model._meta.concrete_fields if f.attname in by_name
        ]
        ordered_positions = [by_name[name] for name in ordered_names]
        db = self.db
        results = []
        for row in rows:
            values = [row[pos] for pos in ordered_positions]
            instance = self.model.from_db(db, ordered_names, values)
            for name, pos in annotations:
                setattr(instance, name, row[pos])
            results.append(instance)
        return results

    def _fetch_rows(self) -> list[Any]:
        statement, params = self._statement()
        result = connections[self.db].execute(statement, params)
        return self._hydrate(list(result.keys()), result.all())

    async def _afetch_rows(self) -> list[Any]:
        statement, params = self._statement()
        result = await connections[self.db].aexecute(statement, params)
        return self._hydrate(list(result.keys()), result.all())

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            refuse_sync_query("Evaluating a RawQuerySet", "use 'async for' instead")
            self._result_cache = self._fetch_rows()
        if self._prefetch_related_lookups and not self._prefetch_done:
            from fastjango.db.models.prefetch import prefetch_plan

            plans.run_sync(prefetch_plan(self._result_cache, self._prefetch_related_lookups))
            self._prefetch_done = True

    async def _afetch_all(self) -> None:
        if self._result_cache is None:
            self._result_cache = await self._afetch_rows()
        if self._prefetch_related_lookups and not self._prefetch_done:
            from fastjango.db.models.prefetch import prefetch_plan

            await plans.run_async(prefetch_plan(self._result_cache, self._prefetch_related_lookups))
            self._prefetch_done = True

    def __len__(self) -> int:
        self._fetch_all()
        return len(self._result_cache or [])

    def __bool__(self) -> bool:
        self._fetch_all()
        return bool(self._result_cache)

    def __iter__(self) -> Iterator[_T]:
        self._fetch_all()
        return iter(self._result_cache or [])

    def __aiter__(self) -> AsyncIterator[_T]:
        async def generator() -> AsyncIterator[_T]:
            await self._afetch_all()
            for item in self._result_cache or []:
                yield item

        return generator()

    def __getitem__(self, k: int | slice) -> Any:
        return list(self)[k]

    def iterator(self) -> Iterator[_T]:
        """Yield the results (not cached)."""
        yield from self._fetch_rows()

    async def aiterator(self) -> AsyncIterator[_T]:
        """Async twin of ``iterator()``."""
        for item in await self._afetch_rows():
            yield item

    @property
    def columns(self) -> list[str]:
        """Return the column names of the query (translated)."""
        statement, params = self._statement()
        result = connections[self.db].execute(statement, params)
        return [self.translations.get(c, c) for c in result.keys()]

    @property
    def model_fields(self) -> dict[str, Any]:
        """Return the model's fields by column name."""
        return {f.column: f for f in self.model._meta.fields}
