"""Fixtures of the ORM suite: the test models' tables on each backend, one transaction per test.

The ``db`` layer's ``test_databases`` fixture creates a test database per
backend (SQLite, PostgreSQL, MariaDB/MySQL) for the session. The tables of
every test model are created once per backend. Each test runs in an atomic
block that is rolled back, and a router sends every query to the backend
under test, so ``Model.objects`` needs no ``using()``.
"""

from __future__ import annotations

import contextvars
import datetime
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from fastjango.db import connections, transaction
from fastjango.db.models import metadata
from fastjango.test.utils import override_settings
from tests.db.conftest import _TestDatabases
from tests.db.models import (  # noqa: F401 - the models must exist before the tables
    models_aggregation,
    models_fields,
    models_inheritance,
    models_queries,
    models_relations,
    models_schema,
)

CURRENT_ALIAS: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "orm_test_alias", default=None
)


class AliasRouter:
    """Route every model to the backend under test."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return CURRENT_ALIAS.get()

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return CURRENT_ALIAS.get()


class _Tables:
    def __init__(self, databases: _TestDatabases) -> None:
        self.databases = databases
        self.created: set[str] = set()

    def ensure(self, alias: str) -> None:
        self.databases.ensure(alias)
        if alias in self.created:
            return
        engine = connections[alias].sync_engine
        metadata.drop_all(engine)
        metadata.create_all(engine)
        self.created.add(alias)


@pytest.fixture(scope="session")
def orm_tables(test_databases: _TestDatabases) -> Iterator[_Tables]:
    override = override_settings(DATABASE_ROUTERS=[AliasRouter()])
    override.enable()
    try:
        yield _Tables(test_databases)
    finally:
        override.disable()


def _atomic(alias: str) -> transaction.Atomic:
    block = transaction.atomic(using=alias)
    block._from_testcase = True
    return block


@pytest.fixture
def orm_alias(alias: str, orm_tables: _Tables) -> str:
    """Return each backend's alias, its test database and tables ready."""
    orm_tables.ensure(alias)
    return alias


@pytest.fixture
def using(orm_alias: str) -> Iterator[str]:
    """Run the (sync) test on each backend inside a transaction that is rolled back."""
    alias = orm_alias
    token = CURRENT_ALIAS.set(alias)
    block = _atomic(alias)
    try:
        with block:
            yield alias
            transaction.set_rollback(True, using=alias)
    finally:
        CURRENT_ALIAS.reset(token)


@pytest.fixture
async def ausing(orm_alias: str) -> AsyncIterator[str]:
    """Run the async test on each backend inside a transaction that is rolled back."""
    alias = orm_alias
    token = CURRENT_ALIAS.set(alias)
    block = _atomic(alias)
    try:
        async with block:
            yield alias
            transaction.set_rollback(True, using=alias)
    finally:
        CURRENT_ALIAS.reset(token)


@pytest.fixture
def empty_statement_cache() -> Iterator[None]:
    """Start and end the test with no compiled statement kept."""
    from fastjango.db.models.sql import statement_cache

    statement_cache.clear()
    yield
    statement_cache.clear()


@pytest.fixture
def blog_entries(using: str) -> list[Any]:
    """Blogs one, two, three with 1, 2, 3 entries rated 0..; Ann and Bob write them."""
    from tests.db.models.models_queries import Author, Blog, Entry

    result = []
    for index, name in enumerate(["one", "two", "three"]):
        blog = Blog.objects.create(name=name, tagline="")
        result.append(blog)
        for rating in range(index + 1):
            Entry.objects.create(
                blog=blog,
                headline=f"{name}-{rating}",
                body_text="",
                pub_date=datetime.date(2020, 1, rating + 1),
                rating=rating,
            )
    ann = Author.objects.create(name="Ann", email="")
    bob = Author.objects.create(name="Bob", email="")
    for entry in Entry.objects.all():
        entry.authors.add(ann if entry.rating % 2 == 0 else bob)
    Entry.objects.get(headline="three-2").authors.add(bob)
    return result
