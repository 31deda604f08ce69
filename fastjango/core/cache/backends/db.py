"""The database cache: a table of pickled values, on SQLAlchemy Core.

``LOCATION`` names the table, laid out as Django's (``cache_key``,
``value``, ``expires``), so a table made by Django works as it is. It is made
by ``createcachetable`` (which calls ``create_table()``). The database is the
one ``DATABASE_ROUTERS`` pick for the ``django_cache`` app label, ``default``
otherwise. Statements run on the connection of the surrounding ``atomic()``
block if there is one; the sync API uses the sync engine, the async API the
async one. Expiry times are naive datetimes, in UTC when ``USE_TZ`` is on.
"""

from __future__ import annotations

import base64
import datetime
import pickle
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from fastjango.conf import settings
from fastjango.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from fastjango.core.exceptions import ImproperlyConfigured

__all__ = ["DatabaseCache"]

# The latest expiry every database can store (MySQL's DATETIME ends at year 9999).
_FOREVER = datetime.datetime.max.replace(microsecond=0)


class _Options:
    """The bits of a model's ``_meta`` that database routers look at."""

    app_label = "django_cache"
    model_name = "cacheentry"
    object_name = "CacheEntry"
    verbose_name = "cache entry"
    verbose_name_plural = "cache entries"
    abstract = False
    managed = True
    proxy = False
    swapped = False

    def __init__(self, table: str) -> None:
        self.db_table = table
        self.label = f"{self.app_label}.{self.object_name}"
        self.label_lower = f"{self.app_label}.{self.model_name}"


class DatabaseCache(BaseCache):
    """A cache kept in a database table."""

    pickle_protocol = pickle.HIGHEST_PROTOCOL

    def __init__(self, table: str, params: Mapping[str, Any]) -> None:
        super().__init__(params)
        if not table:
            raise ImproperlyConfigured(
                "DatabaseCache needs LOCATION: the name of its table, which "
                "`manage.py createcachetable` creates."
            )
        self._table = table
        self.table = sa.Table(
            table,
            sa.MetaData(),
            sa.Column("cache_key", sa.String(255), primary_key=True),
            sa.Column("value", sa.Text, nullable=False),
            sa.Column("expires", sa.DateTime, nullable=False, index=True),
        )
        self.cache_model_class = type("CacheEntry", (), {"_meta": _Options(table)})

    # Where and when.

    def _connection(self, write: bool) -> Any:
        from fastjango.db import connections, router

        choose = router.db_for_write if write else router.db_for_read
        return connections[choose(self.cache_model_class)]

    @staticmethod
    def _now() -> datetime.datetime:
        if settings.USE_TZ:
            return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
        return datetime.datetime.now()

    def _expiry(self, timeout: Any) -> datetime.datetime:
        expiry = self.get_backend_timeout(timeout)
        if expiry is None:
            return _FOREVER
        if settings.USE_TZ:
            return datetime.datetime.fromtimestamp(expiry, datetime.UTC).replace(tzinfo=None)
        return datetime.datetime.fromtimestamp(expiry)

    @staticmethod
    def _naive(value: datetime.datetime) -> datetime.datetime:
        # A Django-made PostgreSQL table holds timestamptz: compare it in UTC.
        if value.tzinfo is not None:
            if settings.USE_TZ:
                return value.astimezone(datetime.UTC).replace(tzinfo=None)
            return value.astimezone().replace(tzinfo=None)
        return value

    def _encode(self, value: Any) -> str:
        return base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin-1")

    @staticmethod
    def _decode(value: str) -> Any:
        return pickle.loads(base64.b64decode(value.encode()))

    # Statements, shared by the sync and async paths.

    def _select_many(self, keys: list[str]) -> sa.Select[Any]:
        t = self.table
        return sa.select(t.c.cache_key, t.c.value, t.c.expires).where(t.c.cache_key.in_(keys))

    def _read_rows(
        self, rows: Iterable[Any], key_map: dict[str, Any]
    ) -> tuple[dict[Any, Any], list[str]]:
        now = self._now()
        found: dict[Any, Any] = {}
        expired: list[str] = []
        for key, value, expires in rows:
            if self._naive(expires) < now:
                expired.append(key)
            else:
                found[key_map[key]] = self._decode(value)
        return found, expired

    def _delete_keys(self, keys: list[str]) -> sa.Delete:
        return sa.delete(self.table).where(self.table.c.cache_key.in_(keys))

    def _has_key(self, key: str) -> sa.Select[Any]:
        t = self.table
        return sa.select(t.c.cache_key).where(t.c.cache_key == key, t.c.expires > self._now())

    def _write(
        self, mode: str, key: str, encoded: str | None, expiry: datetime.datetime, row: Any
    ) -> sa.Executable | None:
        """Return the statement ``mode`` (set, add, touch) needs given the current row."""
        t = self.table
        live = row is not None and self._naive(row[0]) >= self._now()
        where = t.c.cache_key == key
        if mode == "touch":
            return sa.update(t).where(where).values(expires=expiry) if live else None
        if mode == "add" and live:
            return None
        if row is not None:
            return sa.update(t).where(where).values(value=encoded, expires=expiry)
        return sa.insert(t).values(cache_key=key, value=encoded, expires=expiry)

    def _remove_expired(self) -> sa.Delete:
        return sa.delete(self.table).where(self.table.c.expires < self._now())

    def _cut_off(self, remaining: int) -> sa.Select[Any]:
        """Return the query of the key below which a 1/CULL_FREQUENCY of the rows lie."""
        t = self.table
        offset = remaining // self._cull_frequency
        return sa.select(t.c.cache_key).order_by(t.c.cache_key).limit(1).offset(offset)

    # Sync API.

    def _set(self, mode: str, key: str, value: Any, timeout: Any) -> bool:
        from fastjango.db import IntegrityError, transaction

        connection = self._connection(write=True)
        encoded = None if mode == "touch" else self._encode(value)
        expiry = self._expiry(timeout)
        t = self.table
        try:
            with transaction.atomic(using=connection.alias), connection.connect() as conn:
                count = conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                if count > self._max_entries:
                    self._cull(conn, count)
                row = conn.execute(sa.select(t.c.expires).where(t.c.cache_key == key)).first()
                statement = self._write(mode, key, encoded, expiry, row)
                if statement is None:
                    return False
                conn.execute(statement)
        except IntegrityError:
            # A concurrent writer inserted this key first: as in Django, not an error.
            return False
        return True

    def _cull(self, conn: Any, count: int) -> None:
        if self._cull_frequency == 0:
            conn.execute(sa.delete(self.table))
            return
        remaining = count - conn.execute(self._remove_expired()).rowcount
        if remaining > self._max_entries:
            last = conn.execute(self._cut_off(remaining)).scalar()
            if last is not None:
                conn.execute(sa.delete(self.table).where(self.table.c.cache_key < last))

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        return self._set("add", self.make_and_validate_key(key, version=version), value, timeout)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        self._set("set", self.make_and_validate_key(key, version=version), value, timeout)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        return self._set("touch", self.make_and_validate_key(key, version=version), None, timeout)

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self.get_many([key], version).get(key, default)

    def get_many(self, keys: Iterable[Any], version: Any = None) -> dict[Any, Any]:
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}
        if not key_map:
            return {}
        with self._connection(write=False).connect() as conn:
            rows = conn.execute(self._select_many(list(key_map))).all()
        found, expired = self._read_rows(rows, key_map)
        if expired:
            self._delete_many(expired)
        return found

    def has_key(self, key: Any, version: Any = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._connection(write=False).connect() as conn:
            return conn.execute(self._has_key(key)).first() is not None

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        from fastjango.db import transaction

        stored = self.make_and_validate_key(key, version=version)
        t = self.table
        connection = self._connection(write=True)
        with transaction.atomic(using=connection.alias), connection.connect() as conn:
            query = sa.select(t.c.value, t.c.expires).where(t.c.cache_key == stored)
            row = conn.execute(query.with_for_update()).first()
            if row is None or self._naive(row[1]) < self._now():
                raise ValueError(f"Key '{key}' not found")
            new_value = self._decode(row[0]) + delta
            update = sa.update(t).where(t.c.cache_key == stored)
            conn.execute(update.values(value=self._encode(new_value)))
        return new_value

    def delete(self, key: Any, version: Any = None) -> bool:
        return self._delete_many([self.make_and_validate_key(key, version=version)])

    def delete_many(self, keys: Iterable[Any], version: Any = None) -> None:
        self._delete_many([self.make_and_validate_key(key, version=version) for key in keys])

    def _delete_many(self, keys: list[str]) -> bool:
        if not keys:
            return False
        with self._connection(write=True).connect() as conn:
            return bool(conn.execute(self._delete_keys(keys)).rowcount)

    def clear(self) -> None:
        with self._connection(write=True).connect() as conn:
            conn.execute(sa.delete(self.table))

    def create_table(self) -> None:
        """Create the cache table (and its index on ``expires``) unless it exists."""
        with self._connection(write=True).sync_engine.begin() as conn:
            self.table.create(conn, checkfirst=True)

    # Async API, on the async engine.

    async def _aset(self, mode: str, key: str, value: Any, timeout: Any) -> bool:
        from fastjango.db import IntegrityError, transaction

        connection = self._connection(write=True)
        encoded = None if mode == "touch" else self._encode(value)
        expiry = self._expiry(timeout)
        t = self.table
        try:
            async with transaction.atomic(using=connection.alias):
                async with connection.aconnect() as conn:
                    count_query = sa.select(sa.func.count()).select_from(t)
                    count = (await conn.execute(count_query)).scalar_one()
                    if count > self._max_entries:
                        await self._acull(conn, count)
                    query = sa.select(t.c.expires).where(t.c.cache_key == key)
                    row = (await conn.execute(query)).first()
                    statement = self._write(mode, key, encoded, expiry, row)
                    if statement is None:
                        return False
                    await conn.execute(statement)
        except IntegrityError:
            return False
        return True

    async def _acull(self, conn: Any, count: int) -> None:
        if self._cull_frequency == 0:
            await conn.execute(sa.delete(self.table))
            return
        remaining = count - (await conn.execute(self._remove_expired())).rowcount
        if remaining > self._max_entries:
            last = (await conn.execute(self._cut_off(remaining))).scalar()
            if last is not None:
                await conn.execute(sa.delete(self.table).where(self.table.c.cache_key < last))

    async def aadd(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        key = self.make_and_validate_key(key, version=version)
        return await self._aset("add", key, value, timeout)

    async def aset(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        await self._aset("set", self.make_and_validate_key(key, version=version), value, timeout)

    async def atouch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        return await self._aset("touch", key, None, timeout)

    async def aget(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return (await self.aget_many([key], version)).get(key, default)

    async def aget_many(self, keys: Iterable[Any], version: Any = None) -> dict[Any, Any]:
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}
        if not key_map:
            return {}
        async with self._connection(write=False).aconnect() as conn:
            rows = (await conn.execute(self._select_many(list(key_map)))).all()
        found, expired = self._read_rows(rows, key_map)
        if expired:
            await self._adelete_many(expired)
        return found

    async def ahas_key(self, key: Any, version: Any = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        async with self._connection(write=False).aconnect() as conn:
            return (await conn.execute(self._has_key(key))).first() is not None

    async def aincr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        from fastjango.db import transaction

        stored = self.make_and_validate_key(key, version=version)
        t = self.table
        connection = self._connection(write=True)
        async with transaction.atomic(using=connection.alias):
            async with connection.aconnect() as conn:
                query = sa.select(t.c.value, t.c.expires).where(t.c.cache_key == stored)
                row = (await conn.execute(query.with_for_update())).first()
                if row is None or self._naive(row[1]) < self._now():
                    raise ValueError(f"Key '{key}' not found")
                new_value = self._decode(row[0]) + delta
                update = sa.update(t).where(t.c.cache_key == stored)
                await conn.execute(update.values(value=self._encode(new_value)))
        return new_value

    async def adelete(self, key: Any, version: Any = None) -> bool:
        return await self._adelete_many([self.make_and_validate_key(key, version=version)])

    async def adelete_many(self, keys: Iterable[Any], version: Any = None) -> None:
        await self._adelete_many([self.make_and_validate_key(key, version=version) for key in keys])

    async def _adelete_many(self, keys: list[str]) -> bool:
        if not keys:
            return False
        async with self._connection(write=True).aconnect() as conn:
            return bool((await conn.execute(self._delete_keys(keys))).rowcount)

    async def aclear(self) -> None:
        async with self._connection(write=True).aconnect() as conn:
            await conn.execute(sa.delete(self.table))

    async def acreate_table(self) -> None:
        """Async ``create_table()``."""
        async with self._connection(write=True).aconnect() as conn:
            await conn.run_sync(lambda sync_conn: self.table.create(sync_conn, checkfirst=True))
