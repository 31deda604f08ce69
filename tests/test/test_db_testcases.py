"""TestCase and TransactionTestCase on SQLite, PostgreSQL and MariaDB, and their helpers.

Each test defines small test case classes and runs them with unittest, so that
failures the classes must report can be asserted too. "default" is the backend
under test and "other" a second (SQLite) database.
"""

from __future__ import annotations

import json
import logging
import os
import unittest
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
import sqlalchemy as sa

from fastjango.apps import apps
from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.db import IntegrityError, connections, transaction
from fastjango.db.models.signals import post_migrate
from fastjango.db.utils import TransactionManagementError
from fastjango.test import (
    SimpleTestCase,
    TestCase,
    TransactionTestCase,
    _databases,
    skipIfDBFeature,
    skipUnlessAnyDBFeature,
    skipUnlessDBFeature,
)
from fastjango.test._transaction import AsyncConnectionAdapter, TestTransaction
from fastjango.test.testcases import DatabaseOperationForbidden, TestData
from fastjango.test.utils import override_settings, setup_databases, teardown_databases
from tests.test.dbapp import APP, database_settings, require_server
from tests.test.dbapp.extra.models import Note
from tests.test.dbapp.models import Person, Pet

URLS = "tests.test.dbapp.urls"
EXTRA = "tests.test.dbapp.extra"
SQLITE = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.fixture(scope="module", params=["sqlite", "postgresql", "mysql"])
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """Return each backend in turn; "default" and "other" point at fresh test databases."""
    vendor: str = request.param
    require_server(vendor)
    override = override_settings(
        DATABASES=database_settings(vendor), INSTALLED_APPS=[APP, EXTRA], ROOT_URLCONF=URLS
    )
    override.enable()
    databases = _databases.TestDatabases()
    try:
        databases.activate()
        databases.ensure(["default", "other"])
        yield vendor
    finally:
        databases.teardown()
        override.disable()


def run(case: type[unittest.TestCase], *names: str) -> unittest.TestResult:
    """Run the tests of ``case`` (all, or ``names``) as unittest would; return the result."""
    loader = unittest.defaultTestLoader
    suite = (
        unittest.TestSuite([case(name) for name in names])
        if names
        else loader.loadTestsFromTestCase(case)
    )
    result = unittest.TestResult()
    suite.run(result)
    return result


def problems(result: unittest.TestResult) -> list[str]:
    return [text for _, text in [*result.errors, *result.failures]]


def assert_ok(result: unittest.TestResult) -> None:
    assert result.wasSuccessful(), problems(result)


def committed(alias: str = "default") -> int:
    """Count the people every connection sees (outside any test transaction)."""
    return int(
        connections[alias]
        .execute(sa.select(sa.func.count()).select_from(Person.__table__))
        .scalar_one()
    )


# -- TestCase ----------------------------------------------------------------------------


def test_each_test_runs_in_a_rolled_back_transaction(backend: str) -> None:
    seen: dict[str, Any] = {}

    class Cases(TestCase):
        databases = {"default", "other"}
        alice: Person
        names: list[str]

        @classmethod
        def setUpTestData(cls) -> None:
            cls.alice = Person.objects.create(name="alice")
            cls.names = ["alice"]

        def test_a_changes_everything(self) -> None:
            self.alice.name = "changed"
            self.names.append("bob")
            Person.objects.create(name="bob")
            Person.objects.using("other").create(name="carol")
            seen["a"] = (Person.objects.count(), Person.objects.using("other").count())

        def test_b_starts_afresh(self) -> None:
            seen["b"] = (
                self.alice.name,
                self.names,
                Person.objects.count(),
                Person.objects.using("other").count(),
                connections["default"].in_atomic_block,
            )

    assert_ok(run(Cases))
    assert seen == {"a": (2, 1), "b": ("alice", ["alice"], 1, 0, True)}
    assert isinstance(Cases.__dict__["alice"], TestData)
    assert Cases.alice.name == "alice"
    assert committed() == committed("other") == 0
    assert not connections["default"].in_atomic_block


def test_views_and_async_tests_share_the_test_transaction(backend: str) -> None:
    class Cases(TestCase):
        @classmethod
        def setUpTestData(cls) -> None:
            Person.objects.create(name="alice")

        def test_after_the_others(self) -> None:
            self.assertEqual(Person.objects.count(), 1)

        async def test_async(self) -> None:
            self.assertEqual(await Person.objects.acount(), 1)
            async with transaction.atomic():
                await Person.objects.acreate(name="dave")
            response = await self.async_client.get("/count/")
            self.assertEqual(response.content, b"2")
            response = await self.async_client.get("/acount/")
            self.assertEqual(response.content, b"2")
            names = [p.name async for p in Person.objects.aiterator(chunk_size=1)]
            self.assertEqual(names, ["alice", "dave"])

        def test_sync_client(self) -> None:
            self.assertEqual(self.client.get("/count/").content, b"1")
            self.assertEqual(self.client.get("/acount/").content, b"1")
            self.client.get("/create/bob/")
            self.client.get("/acreate/carol/")
            self.assertEqual(Person.objects.count(), 3)

    assert_ok(run(Cases))
    assert committed() == 0


def test_durable_blocks_errors_and_broken_transactions(backend: str) -> None:
    class Cases(TestCase):
        def test_durable_block_nests_in_the_test(self) -> None:
            with transaction.atomic(durable=True):
                Person.objects.create(name="d")
            self.assertEqual(Person.objects.count(), 1)

        def test_error_inside_atomic(self) -> None:
            owner = Person.objects.create(name="o")
            Pet.objects.create(owner=owner, name="rex")
            with self.assertRaises(IntegrityError), transaction.atomic():
                Pet.objects.create(owner=owner, name="rex")
            self.assertEqual(Pet.objects.count(), 1)

        def test_error_breaks_the_transaction(self) -> None:
            owner = Person.objects.create(name="o")
            Pet.objects.create(owner=owner, name="rex")
            with self.assertRaises(IntegrityError):
                Pet.objects.create(owner=owner, name="rex")
            with self.assertRaises(TransactionManagementError):
                Person.objects.count()

        def test_next_one_works(self) -> None:
            self.assertEqual(Pet.objects.count(), 0)

    assert_ok(run(Cases))


def test_a_dangling_foreign_key_fails_the_test(backend: str) -> None:
    class Cases(TestCase):
        def test_dangling(self) -> None:
            Pet.objects.create(owner_id=987654, name="ghost")

        def test_next(self) -> None:
            self.assertEqual(Pet.objects.count(), 0)

    result = run(Cases)
    assert result.testsRun == 2
    assert len(result.errors) == 1
    assert "IntegrityError" in result.errors[0][1]
    assert committed() == 0


@SQLITE
def test_a_test_case_runs_without_its_class_setup(backend: str, tmp_path: Path) -> None:
    (tmp_path / "people.json").write_text(
        json.dumps([{"model": "dbapp.person", "pk": 7, "fields": {"name": "fixture"}}])
    )

    class Cases(TestCase):
        fixtures = ["people"]

        def test_alone(self) -> None:
            self.assertEqual(list(Person.objects.values_list("name", flat=True)), ["fixture"])

    with override_settings(FIXTURE_DIRS=[str(tmp_path)]):
        result = unittest.TestResult()
        Cases("test_alone")(result)
        assert_ok(result)
        assert_ok(run(Cases))
    assert committed() == 0


@SQLITE
def test_setup_failures_roll_back(backend: str) -> None:
    class Broken(TestCase):
        @classmethod
        def setUpTestData(cls) -> None:
            Person.objects.create(name="half")
            raise RuntimeError("setUpTestData failed")

        def test_never(self) -> None:
            raise AssertionError("not run")  # pragma: no cover

    class Resetting(TestCase):
        reset_sequences = True

        def test_refused(self) -> None:
            raise AssertionError("not run")  # pragma: no cover

    result = run(Broken)
    assert "setUpTestData failed" in problems(result)[0]
    assert "reset_sequences cannot be used on TestCase" in problems(run(Resetting))[0]
    assert committed() == 0
    assert not connections["default"].in_atomic_block


@SQLITE
def test_test_cases_nest_in_an_open_test_transaction(backend: str) -> None:
    class Cases(TestCase):
        def test_sees_outer_rows(self) -> None:
            self.assertEqual(Person.objects.count(), 1)
            Person.objects.create(name="inner")

    outer = TestTransaction("default")
    try:
        Person.objects.create(name="outer")
        assert_ok(run(Cases))
        assert Person.objects.count() == 1
    finally:
        outer.rollback()
    outer.rollback()  # a second time does nothing
    assert committed() == 0


# -- assertions --------------------------------------------------------------------------


@SQLITE
def test_assert_num_queries(backend: str) -> None:
    class Cases(TestCase):
        databases = {"default", "other"}

        def test_passes(self) -> None:
            with self.assertNumQueries(1):
                Person.objects.count()
            self.assertNumQueries(2, lambda: [Person.objects.count(), Person.objects.count()])
            self.assertNumQueries(0, Person.objects.none)
            self.assertNumQueries(1, Person.objects.using("other").count, using="other")

        def test_fails(self) -> None:
            with self.assertNumQueries(1):
                Person.objects.count()
                list(Person.objects.filter(name="x"))

        async def test_async(self) -> None:
            async with self.assertNumQueries(1):
                await Person.objects.acount()

        def test_errors_pass_through(self) -> None:
            with self.assertRaises(ZeroDivisionError), self.assertNumQueries(5):
                _ = 1 / 0

    result = run(Cases)
    assert result.testsRun == 4
    assert not result.errors
    [(_, text)] = result.failures
    assert "2 queries executed, 1 expected\nCaptured queries were:\n1. SELECT count(*)" in text
    assert "\n2. SELECT dbapp_person.id" in text


@SQLITE
def test_assert_queryset_equal(backend: str) -> None:
    class Cases(TestCase):
        def test_it(self) -> None:
            Person.objects.create(name="b")
            Person.objects.create(name="a")
            self.assertQuerySetEqual(Person.objects.all(), ["b", "a"], transform=str)
            self.assertQuerySetEqual(Person.objects.order_by("name"), ["a", "b"], str)
            self.assertQuerySetEqual(
                Person.objects.values_list("name", flat=True).order_by(), ["a", "b"], ordered=False
            )
            self.assertQuerySetEqual(Person.objects.filter(name="a").order_by(), ["a"], str)
            with self.assertRaisesMessage(ValueError, "non-ordered queryset"):
                self.assertQuerySetEqual(Person.objects.order_by(), ["a", "b"], str)
            with self.assertRaises(AssertionError):
                self.assertQuerySetEqual(Person.objects.all(), ["a", "b"], str, msg="order")

    assert_ok(run(Cases))


@SQLITE
def test_capture_on_commit_callbacks(backend: str, caplog: pytest.LogCaptureFixture) -> None:
    calls: list[str] = []

    async def acallback() -> None:
        calls.append("async")

    async def abroken() -> None:
        raise ValueError("async boom")

    def broken() -> None:
        raise ValueError("boom")

    class Cases(TestCase):
        def test_sync(self) -> None:
            calls.clear()
            with self.captureOnCommitCallbacks() as callbacks:
                transaction.on_commit(lambda: calls.append("not run"))
            self.assertEqual((len(callbacks), calls), (1, []))

            def first() -> None:
                calls.append("first")
                transaction.on_commit(lambda: calls.append("second"))

            with self.captureOnCommitCallbacks(execute=True) as callbacks:
                transaction.on_commit(first)
                transaction.on_commit(broken, robust=True)
                transaction.on_commit(acallback)
            self.assertEqual(calls, ["first", "async", "second"])
            self.assertEqual(len(callbacks), 4)
            with self.assertRaisesMessage(ValueError, "boom"):
                with self.captureOnCommitCallbacks(execute=True):
                    transaction.on_commit(broken)

        async def test_async(self) -> None:
            async with self.captureOnCommitCallbacks(execute=True) as callbacks:
                transaction.on_commit(acallback)
                transaction.on_commit(abroken, robust=True)
                transaction.on_commit(broken, robust=True)
            self.assertEqual(len(callbacks), 3)
            with self.assertRaisesMessage(RuntimeError, "async with"):
                with self.captureOnCommitCallbacks(execute=True):
                    transaction.on_commit(acallback)
            with self.assertRaisesMessage(ValueError, "async boom"):
                async with self.captureOnCommitCallbacks(execute=True):
                    transaction.on_commit(abroken)

    with caplog.at_level(logging.ERROR, logger="fastjango.test"):
        assert_ok(run(Cases))
    assert calls == ["first", "async", "second"]
    assert "Error calling" in caplog.text and "async boom" in caplog.text


# -- which databases a test may use ------------------------------------------------------


@SQLITE
def test_databases_a_test_case_may_use(backend: str) -> None:
    class Simple(SimpleTestCase):
        def test_query(self) -> None:
            Person.objects.count()

    class OnlyDefault(TestCase):
        def test_other(self) -> None:
            Person.objects.using("other").count()

    class Everything(TransactionTestCase):
        databases = "__all__"

        def test_both(self) -> None:
            Person.objects.count()
            Person.objects.using("other").count()

    class Typo(TestCase):
        databases = {"defualt"}

        def test_never(self) -> None:
            raise AssertionError("not run")  # pragma: no cover

    [text] = problems(run(Simple))
    assert "DatabaseOperationForbidden: Database queries to 'default' are not allowed in " in text
    assert "SimpleTestCase subclasses. Either subclass TestCase or TransactionTestCase" in text
    assert f"add 'default' to {__name__}.test_databases_a_test_case_may_use.<locals>.Simple" in text
    [text] = problems(run(OnlyDefault))
    assert "Database queries to 'other' are not allowed in this test. Add 'other' to " in text
    assert_ok(run(Everything))
    assert Everything.databases == frozenset({"default", "other"})  # type: ignore[comparison-overlap]
    [text] = problems(run(Typo))
    assert "Typo.databases refers to 'defualt' which is not defined in settings.DATABASES." in text
    assert "Did you mean 'default'?" in text
    assert not _databases.blocker.is_active
    with pytest.raises(ImproperlyConfigured, match="'nothing' which is not defined"):
        far: Any = type("Far", (TestCase,), {"databases": {"nothing"}})
        far._validate_databases()
    assert issubclass(DatabaseOperationForbidden, AssertionError)


# -- TransactionTestCase -----------------------------------------------------------------


def test_transaction_test_case_commits_then_empties_the_tables(backend: str) -> None:
    seen: list[Any] = []

    class Cases(TransactionTestCase):
        def test_commits(self) -> None:
            owner = Person.objects.create(name="o")
            Pet.objects.create(owner=owner, name="rex")
            self.assertEqual(self.client.get("/acount/").content, b"1")
            seen.append((connections["default"].in_atomic_block, committed()))

    assert_ok(run(Cases))
    assert seen == [(False, 1)]
    assert committed() == 0
    assert Pet.objects.count() == 0


def test_reset_sequences(backend: str) -> None:
    keys: list[int] = []

    class Cases(TransactionTestCase):
        reset_sequences = True

        def test_one(self) -> None:
            keys.append(Person.objects.create(name="one").pk)

        def test_two(self) -> None:
            keys.append(Person.objects.create(name="two").pk)

    Person.objects.create(name="before")
    Person.objects.create(name="before")
    _databases.flush_database("default")
    assert_ok(run(Cases))
    assert keys == [1, 1]


def test_available_apps(backend: str) -> None:
    seen: list[Any] = []

    class Cases(TransactionTestCase):
        available_apps = [APP]

        def test_narrowed(self) -> None:
            Pet.objects.create(owner=Person.objects.create(name="o"), name="rex")
            seen.append([config.name for config in apps.get_app_configs()])

    Note.objects.create(text="kept")
    try:
        assert_ok(run(Cases))
        assert len(apps.get_app_configs()) == 2
        assert seen == [[APP]]
        assert committed() == 0
        assert Note.objects.count() == 1
    finally:
        Note.objects.all().delete()


@SQLITE
def test_fixtures_load_per_test_in_transaction_test_cases(backend: str, tmp_path: Path) -> None:
    (tmp_path / "people.json").write_text(
        json.dumps([{"model": "dbapp.person", "pk": 3, "fields": {"name": "fixture"}}])
    )
    seen: list[int] = []

    class Cases(TransactionTestCase):
        fixtures = ["people"]

        def test_one(self) -> None:
            seen.append(Person.objects.count())
            Person.objects.create(name="more")

        def test_two(self) -> None:
            seen.append(Person.objects.count())

    class Shared(TestCase):
        fixtures = ["people"]

        def test_one(self) -> None:
            seen.append(Person.objects.get(pk=3).pk)

    class Missing(TransactionTestCase):
        fixtures = ["no_such_fixture"]
        available_apps = [APP]

        def test_never(self) -> None:
            raise AssertionError("not run")  # pragma: no cover

    with override_settings(FIXTURE_DIRS=[str(tmp_path)]):
        assert_ok(run(Cases))
        assert_ok(run(Shared))
        [text] = problems(run(Missing))
    assert seen == [1, 1, 3]
    assert "no_such_fixture" in text
    assert apps.get_app_configs()[0].name == APP


@SQLITE
def test_serialized_rollback(backend: str) -> None:
    def add_row(sender: Any, using: str = "default", **kwargs: Any) -> None:
        if sender.label == "dbapp":
            Person.objects.using(using).create(name="from migrate")

    seen: list[list[str]] = []

    class Restoring(TransactionTestCase):
        serialized_rollback = True

        def test_one(self) -> None:
            seen.append(list(Person.objects.values_list("name", flat=True)))
            Person.objects.all().delete()

        def test_two(self) -> None:
            seen.append(list(Person.objects.values_list("name", flat=True)))

    class Forgetting(Restoring):
        serialized_rollback = False

    settings = database_settings("sqlite")
    settings["default"]["NAME"] = "serialized.sqlite3"
    post_migrate.connect(add_row, weak=False, dispatch_uid="test_serialized_rollback")
    try:
        with override_settings(DATABASES=settings):
            old = setup_databases(0, False, aliases=["default"])
            post_migrate.disconnect(dispatch_uid="test_serialized_rollback")
            try:
                assert _databases.serialized_contents("default")
                assert_ok(run(Restoring))
                assert_ok(run(Forgetting))
            finally:
                teardown_databases(old, 0)
    finally:
        post_migrate.disconnect(dispatch_uid="test_serialized_rollback")
    assert seen == [["from migrate"], ["from migrate"], [], []]
    assert _databases.serialized_contents("default") is None


# -- skipping by feature -----------------------------------------------------------------


@SQLITE
def test_skip_by_database_feature(backend: str) -> None:
    ran: list[str] = []

    class Cases(TestCase):
        @skipUnlessDBFeature("supports_transactions")
        def test_runs(self) -> None:
            ran.append("sync")

        @skipIfDBFeature("no_such_feature", "supports_transactions")
        def test_skipped(self) -> None:
            raise AssertionError("not run")  # pragma: no cover

        @skipUnlessDBFeature("no_such_feature")
        async def test_async_skipped(self) -> None:
            raise AssertionError("not run")  # pragma: no cover

        @skipUnlessAnyDBFeature("no_such_feature", "supports_transactions")
        async def test_async_runs(self) -> None:
            ran.append("async")

    @skipUnlessDBFeature("supports_transactions")
    @skipIfDBFeature("no_such_feature")
    class Runs(TestCase):
        def test_it(self) -> None:
            ran.append("class")

    @skipIfDBFeature("supports_transactions")
    class Skipped(TestCase):
        def test_it(self) -> None:
            raise AssertionError("not run")  # pragma: no cover

    @skipIfDBFeature("no_such_feature")
    @unittest.skip("skipped by hand")
    class SkippedByHand(TestCase):
        def test_it(self) -> None:
            raise AssertionError("not run")  # pragma: no cover

    @skipUnlessDBFeature("supports_transactions")
    class OtherOnly(TestCase):
        databases = {"other"}

        def test_it(self) -> None:
            raise AssertionError("not run")  # pragma: no cover

    class Simple(SimpleTestCase):
        @skipUnlessDBFeature("supports_transactions")
        def test_it(self) -> None:
            raise AssertionError("not run")  # pragma: no cover

    result = run(Cases)
    assert_ok(result)
    assert sorted(ran) == ["async", "sync"]
    reasons = sorted(reason for _, reason in result.skipped)
    assert reasons == [
        "Database doesn't support feature(s): no_such_feature",
        "Database has feature(s) no_such_feature, supports_transactions",
    ]
    assert_ok(run(Runs))
    assert "class" in ran
    assert [r for _, r in run(Skipped).skipped] == ["Database has feature(s) supports_transactions"]
    assert [r for _, r in run(SkippedByHand).skipped] == ["skipped by hand"]
    with pytest.raises(ValueError, match="doesn't allow queries against the 'default' database"):
        run(OtherOnly)
    assert "<locals>.Simple doesn't allow queries against the 'default'" in problems(run(Simple))[0]

    @skipUnlessDBFeature("supports_transactions")
    def plain() -> str:
        return "ran"

    assert plain() == "ran"


# -- setting up and tearing down databases -----------------------------------------------


def test_setup_and_teardown_databases(tmp_path: Path) -> None:
    target = tmp_path / "test_main.sqlite3"
    databases = {
        "default": {
            "ENGINE": "fastjango.db.backends.sqlite3",
            "NAME": str(tmp_path / "main.sqlite3"),
            "TEST": {"NAME": str(target)},
        },
        "replica": {
            "ENGINE": "fastjango.db.backends.sqlite3",
            "NAME": str(tmp_path / "replica.sqlite3"),
            "TEST": {"MIRROR": "default"},
        },
        "same": {
            "ENGINE": "fastjango.db.backends.sqlite3",
            "NAME": str(tmp_path / "main.sqlite3"),
            "TEST": {"NAME": str(target)},
        },
    }
    with override_settings(DATABASES=databases, INSTALLED_APPS=[APP]):
        old = setup_databases(0, False, aliases=["replica", "same"], debug_sql=True)
        try:
            assert [(w.alias, destroy) for w, _, destroy in old] == [
                ("default", True),
                ("replica", False),
                ("same", False),
            ]
            assert target.exists()
            for alias in ("default", "replica", "same"):
                assert connections[alias].settings_dict["NAME"] == str(target)
            assert connections["replica"].force_debug_cursor
            Person.objects.create(name="shared")
            assert Person.objects.using("replica").count() == 1

            class Cases(TestCase):
                databases = {"default", "replica"}

            assert Cases._databases_names(include_mirrors=False) == ["default"]
            assert Cases._databases_names() == ["default", "replica"]
        finally:
            teardown_databases(old, 0)
        assert not target.exists()
        assert connections["replica"].settings_dict["NAME"] == str(tmp_path / "replica.sqlite3")
        with pytest.raises(ValueError, match="pytest-xdist"):
            setup_databases(0, False, parallel=2)


def test_kept_test_databases_are_reused(tmp_path: Path) -> None:
    target = tmp_path / "kept.sqlite3"
    settings = {
        "default": {
            "ENGINE": "fastjango.db.backends.sqlite3",
            "NAME": "main.sqlite3",
            "TEST": {"NAME": str(tmp_path / "kept.sqlite3")},
        }
    }
    with override_settings(DATABASES=settings, INSTALLED_APPS=[APP]):
        first = _databases.TestDatabases(keepdb=True, suffix="gw3", migrate=False)
        first.ensure(["default"])
        assert first.is_ready("default")
        Person.objects.create(name="kept")
        first.teardown()
        assert connections["default"].settings_dict["NAME"] == "main.sqlite3"
        second = _databases.TestDatabases(keepdb=True, suffix="gw3")
        second.ensure(["default"])
        assert Person.objects.count() == 1
        second.keepdb = False
        second.teardown()
    assert not (tmp_path / "kept_gw3.sqlite3").exists()
    assert not target.exists()


def test_worker_database_names() -> None:
    settings = {
        "default": {"ENGINE": "fastjango.db.backends.sqlite3", "NAME": ":memory:"},
        "file": {
            "ENGINE": "fastjango.db.backends.sqlite3",
            "NAME": "x.sqlite3",
            "TEST": {"NAME": "t.sqlite3"},
        },
        "pg": {"ENGINE": "fastjango.db.backends.postgresql", "NAME": "shop"},
        "named": {
            "ENGINE": "fastjango.db.backends.postgresql",
            "NAME": "shop",
            "TEST": {"NAME": "qa"},
        },
    }
    with override_settings(DATABASES=settings):
        names = [_databases.worker_test_name(connections[a], "gw1") for a in settings]
    assert names == [None, "t_gw1.sqlite3", "test_shop_gw1", "qa_gw1"]


def test_dummy_databases_need_nothing() -> None:
    with override_settings(DATABASES={}):
        databases = _databases.TestDatabases()
        databases.ensure(["default"])
        assert databases.created == {}
        databases.teardown()

        class Cases(TestCase):
            def test_nothing(self) -> None:
                pass

        assert Cases._databases_names() == []
        assert_ok(run(Cases))


# -- the blocker -------------------------------------------------------------------------


def test_the_blocker_stacks_and_restores() -> None:
    from fastjango.db.backends.base.base import BaseDatabaseWrapper

    blocker = _databases.DatabaseBlocker()
    original = BaseDatabaseWrapper.__dict__["_checkout"]
    assert not blocker.is_active
    blocker.check("default")
    with blocker.block(allowed=["other"]):
        assert blocker.is_active
        assert BaseDatabaseWrapper.__dict__["_checkout"] is not original
        blocker.check("other")
        with pytest.raises(RuntimeError, match='use the "fastjango_db" mark'):
            blocker.check("default")
        outer = blocker.unblock()
        assert not blocker.is_active
        inner = blocker.block(lambda alias: KeyError(alias))
        outer.__exit__()  # leaving out of order removes the right one
        with pytest.raises(KeyError):
            blocker.check("default")
        blocker.restore()
        assert blocker.is_active
    assert not blocker.is_active
    blocker.restore()  # nothing stacked: nothing to do
    assert BaseDatabaseWrapper.__dict__["_checkout"] is original
    del inner


@SQLITE
def test_blocked_doors(backend: str) -> None:
    class Simple(SimpleTestCase):
        def test_doors(self) -> None:
            wrapper = connections["default"]
            for door in (wrapper.cursor, wrapper.ensure_connection):
                with self.assertRaises(DatabaseOperationForbidden):
                    door()

            async def aquery() -> None:
                await Person.objects.acount()

            with self.assertRaises(DatabaseOperationForbidden):
                anyio.run(aquery)

    assert_ok(run(Simple))
    assert Person.objects.count() == 0


# -- the async face of a test transaction ------------------------------------------------


@SQLITE
def test_async_connection_adapter(backend: str) -> None:
    table = Person.__table__
    tx = TestTransaction("default")
    try:
        Person.objects.create(name="a")

        async def use() -> list[Any]:
            async with connections["default"].aconnect() as conn:
                assert isinstance(conn, AsyncConnectionAdapter)
                streamed = await conn.stream(sa.select(table.c.name))
                names = [row[0] async for row in streamed]
                scalars = await conn.stream_scalars(sa.select(table.c.name))
                raw = await conn.get_raw_connection()
                await conn.close()
                return [
                    await conn.scalar(sa.select(sa.func.count()).select_from(table)),
                    (await conn.scalars(sa.select(table.c.name))).all(),
                    names,
                    [name async for name in scalars],
                    await conn.run_sync(lambda sync, x: (sync.dialect.name, x), 1),
                    (await conn.exec_driver_sql("SELECT 2")).scalar(),
                    raw is conn.sync_connection.connection,
                    conn.dialect.name,
                    conn.sync_engine is connections["default"].sync_engine,
                    isinstance(conn.info, dict),
                    conn.in_transaction(),
                ]

        assert anyio.run(use) == [
            1,
            ["a"],
            ["a"],
            ["a"],
            ("sqlite", 1),
            2,
            True,
            "sqlite",
            True,
            True,
            True,
        ]
    finally:
        tx.rollback()
    throwaway = connections["default"].sync_engine.connect()
    adapter = AsyncConnectionAdapter(throwaway)
    anyio.run(adapter.invalidate)
    assert throwaway.invalidated
    throwaway.close()


def test_a_failed_rollback_drops_the_connection(tmp_path: Path) -> None:
    settings = {
        "default": {"ENGINE": "fastjango.db.backends.sqlite3", "NAME": str(tmp_path / "db")}
    }
    with override_settings(DATABASES=settings):
        tx = TestTransaction("default")
        conn = tx._state._sync_connection  # type: ignore[union-attr]
        conn.exec_driver_sql("ROLLBACK")  # ends the transaction behind its back
        with pytest.raises(Exception, match="no transaction is active"):
            tx.rollback()
        assert not connections["default"].in_atomic_block
        assert os.path.exists(tmp_path / "db")


@SQLITE
def test_post_migrate_runs_again_after_emptying(backend: str) -> None:
    calls: list[str] = []

    def receiver(sender: Any, using: str = "", **kwargs: Any) -> None:
        calls.append(f"{sender.label}@{using}")

    class Cases(TransactionTestCase):
        serialized_rollback = True  # nothing was saved: nothing to reload

        def test_it(self) -> None:
            Person.objects.create(name="x")

    class Narrowed(Cases):
        available_apps = [APP]

    post_migrate.connect(receiver, weak=False, dispatch_uid="test_post_migrate_runs_again")
    try:
        assert_ok(run(Cases))
        assert sorted(calls) == ["dbapp@default", "extra@default"]
        calls.clear()
        assert_ok(run(Narrowed))
        assert calls == []
    finally:
        post_migrate.disconnect(dispatch_uid="test_post_migrate_runs_again")


@SQLITE
def test_sequences_and_flushing_edge_cases(backend: str) -> None:
    wrapper = connections["other"]
    wrapper.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY AUTOINCREMENT)")
    try:
        Person.objects.using("other").create(name="a")
        _databases.reset_sequences("other")
        _databases.reset_sequences("other", ["no_such_app"])
        _databases.flush_database("other", ["no_such_app"])
        assert Person.objects.using("other").count() == 1
        _databases.flush_database("other")
        assert Person.objects.using("other").create(name="b").pk == 1
    finally:
        wrapper.execute("DROP TABLE counter")
        _databases.flush_database("other")

    class Cursors(TestCase):
        def test_raw_cursor(self) -> None:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT %s", [5])
                self.assertEqual(cursor.fetchone()[0], 5)

    assert_ok(run(Cursors))


def test_workers_of_a_sqlite_temporary_file_and_mirrors(tmp_path: Path) -> None:
    databases = {
        "default": {"ENGINE": "fastjango.db.backends.sqlite3", "NAME": "main.sqlite3"},
        "replica": {
            "ENGINE": "fastjango.db.backends.sqlite3",
            "NAME": "replica.sqlite3",
            "TEST": {"MIRROR": "default"},
        },
    }
    with override_settings(DATABASES=databases, INSTALLED_APPS=[APP]):
        registry = _databases.TestDatabases(suffix="gw9", migrate=False)
        registry.ensure(["replica"])
        try:
            name = connections["default"].settings_dict["NAME"]
            assert "gw9" not in name and name.endswith(".sqlite3")
            assert connections["replica"].settings_dict["NAME"] == name
            assert registry.is_ready("replica")
        finally:
            registry.teardown()
        assert connections["replica"].settings_dict["NAME"] == "replica.sqlite3"
        assert connections["default"].settings_dict["NAME"] == "main.sqlite3"


def test_an_unreachable_database_fails_cleanly(tmp_path: Path) -> None:
    unreachable = {
        "ENGINE": "fastjango.db.backends.postgresql",
        "NAME": "nowhere",
        "HOST": "127.0.0.1",
        "PORT": 1,
        "OPTIONS": {"connect_timeout": 1},
    }
    databases = {
        "default": {"ENGINE": "fastjango.db.backends.sqlite3", "NAME": str(tmp_path / "db")},
        "gone": unreachable,
    }

    class Cases(TestCase):
        databases = {"default", "gone"}

        def test_never(self) -> None:
            raise AssertionError("not run")  # pragma: no cover

    with override_settings(DATABASES=databases):
        registry = _databases.TestDatabases(suffix="gw2")
        with pytest.raises(Exception, match="could not connect to database 'gone'"):
            registry.ensure(["gone"])
        assert connections["gone"].settings_dict["TEST"]["NAME"] is None
        [text] = problems(run(Cases))
        assert "could not connect to database 'gone'" in text
        assert not connections["default"].in_atomic_block
