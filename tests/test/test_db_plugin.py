"""The pytest plugin's database support, run in small pytest sessions (pytester).

In-process sessions run with this process's settings, given ``DATABASES`` by an
``override_settings`` around the run; subprocess sessions run a real project
(migrations, ``--reuse-db``, ``--no-migrations``, xdist workers).
"""

from __future__ import annotations

import os
import unittest
from collections.abc import Iterator
from pathlib import Path

import pytest

from fastjango.conf import ENVIRONMENT_VARIABLE
from fastjango.db import connections
from fastjango.test import _databases
from fastjango.test.utils import override_settings
from tests.test.dbapp import APP, database_settings, reachable, require_server

URLS = "tests.test.dbapp.urls"
EXTRA = "tests.test.dbapp.extra"
ROOT = Path(__file__).resolve().parents[2]
# Plugins the sessions here don't need; hypothesis's alone costs a second a session.
QUIET = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-p", "no:pytest_cov")

INNER_TESTS = """
import pytest

from fastjango.db import connections, transaction
from fastjango.test import TestCase, TransactionTestCase
from tests.test.dbapp.models import Person

ORDER = []


@pytest.fixture
def anyio_backend():
    return "asyncio"


def test_unmarked_tests_may_not_use_the_database():
    ORDER.append("plain")
    with pytest.raises(RuntimeError, match='Database access not allowed, use the "fastjango_db"'):
        Person.objects.count()


@pytest.mark.fastjango_db(transaction=True)
def test_transactional_tests_commit(client):
    ORDER.append("transactional")
    Person.objects.create(name="t")
    assert not connections["default"].in_atomic_block
    assert client.get("/acount/").content == b"1"


@pytest.mark.fastjango_db
def test_marked_tests_share_their_transaction_with_views(client):
    ORDER.append("rolled back")
    Person.objects.create(name="a")
    assert connections["default"].in_atomic_block
    assert client.get("/count/").content == b"1"
    assert client.get("/acount/").content == b"1"
    client.get("/create/b/")
    client.get("/acreate/c/")
    assert Person.objects.count() == 3


def test_the_db_fixture_starts_empty(db):
    ORDER.append("rolled back")
    assert Person.objects.count() == 0


@pytest.mark.anyio
@pytest.mark.django_db
async def test_async_tests(async_client):
    ORDER.append("rolled back")
    await Person.objects.acreate(name="x")
    async with transaction.atomic():
        await Person.objects.acreate(name="y")
    assert (await async_client.get("/count/")).content == b"2"
    assert (await async_client.get("/acount/")).content == b"2"


@pytest.mark.django_db(databases=["default"])
def test_other_aliases_are_blocked():
    ORDER.append("rolled back")
    with pytest.raises(RuntimeError, match="Database access to 'other' not allowed in this test"):
        Person.objects.using("other").count()


@pytest.mark.fastjango_db(databases="__all__")
def test_all_databases():
    ORDER.append("rolled back")
    Person.objects.using("other").create(name="o")
    assert connections["other"].in_atomic_block


@pytest.mark.fastjango_db(transaction=True, reset_sequences=True, serialized_rollback=True)
def test_reset_sequences():
    ORDER.append("transactional")
    assert Person.objects.create(name="r").pk == 1


def test_the_transactional_db_fixture(transactional_db):
    ORDER.append("transactional")
    Person.objects.create(name="u")
    assert Person.objects.count() == 1


@pytest.mark.fastjango_db(transaction=True, available_apps=["tests.test.dbapp"])
def test_available_apps():
    ORDER.append("transactional")
    from fastjango.apps import apps

    assert [config.name for config in apps.get_app_configs()] == ["tests.test.dbapp"]


def test_num_queries(db, django_assert_num_queries, fastjango_assert_max_num_queries):
    ORDER.append("rolled back")
    with django_assert_num_queries(1):
        Person.objects.count()
    with fastjango_assert_max_num_queries(2, using="default"):
        Person.objects.count()
    with pytest.raises(ZeroDivisionError), django_assert_num_queries(3):
        1 / 0


def test_num_queries_fails(db, fastjango_assert_num_queries):
    ORDER.append("rolled back")
    with fastjango_assert_num_queries(0, connections["default"], info="extra info"):
        Person.objects.count()


def test_max_num_queries_fails(db, django_assert_max_num_queries):
    ORDER.append("rolled back")
    with django_assert_max_num_queries(0):
        Person.objects.count()
        Person.objects.count()


def test_capture_on_commit_callbacks(db, django_capture_on_commit_callbacks):
    ORDER.append("rolled back")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        transaction.on_commit(lambda: ORDER.append("committed"))
    assert len(callbacks) == 1


def test_the_blocker(fastjango_db_blocker, django_db_blocker, django_db_setup):
    ORDER.append("plain")
    assert fastjango_db_blocker is django_db_blocker
    with django_db_blocker.unblock():
        assert Person.objects.count() == 0


class TestACase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.person = Person.objects.create(name="class")

    def test_sees_its_data(self):
        ORDER.append("rolled back")
        self.assertEqual(Person.objects.count(), 1)


class TestATransactionCase(TransactionTestCase):
    def test_commits(self):
        ORDER.append("transactional")
        Person.objects.create(name="tc")
        self.assertFalse(connections["default"].in_atomic_block)


def test_zz_the_order():
    kinds = [kind for kind in ORDER if kind != "committed"]
    assert kinds == sorted(kinds, key=["rolled back", "transactional", "plain"].index), kinds
    assert "committed" in ORDER
    assert kinds.count("plain") == 2
"""


@pytest.fixture(scope="module")
def warmed_up() -> None:
    """Import, in this process, what the inner sessions import.

    pytester forgets the modules first imported during an in-process run; made
    again later, some would register themselves twice.
    """
    # A TestCase's async queries share its sync transaction, so the warm-up below never
    # loads asyncpg; the inner sessions' transactional tests do. It is a C extension:
    # forgotten and imported again, it crashes the process on its next connection.
    import asyncpg.protocol  # noqa: F401

    from fastjango.test import Client, TestCase
    from tests.test.dbapp.models import Person

    class WarmUp(TestCase):
        def test_it(self) -> None:
            Person.objects.create(name="warm")
            assert Client().get("/acount/").content == b"1"
            _databases.serialize_database("default")
            _databases.reset_sequences("default")

    for vendor in ("sqlite", "postgresql"):
        if vendor != "sqlite" and not reachable(vendor):
            continue
        settings = database_settings(vendor)
        with override_settings(DATABASES=settings, INSTALLED_APPS=[APP, EXTRA], ROOT_URLCONF=URLS):
            databases = _databases.TestDatabases(serialize=["default"])
            try:
                databases.ensure(["default"])
                result = unittest.TestResult()
                unittest.defaultTestLoader.loadTestsFromTestCase(WarmUp).run(result)
                assert result.wasSuccessful(), result.errors
                _databases.flush_database("default", ["dbapp"])
            finally:
                databases.teardown()


@pytest.fixture
def project(monkeypatch: pytest.MonkeyPatch, warmed_up: None) -> Iterator[None]:
    # The in-process session reads this process's settings.
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, "tests.settings")
    yield


@pytest.mark.parametrize("vendor", ["sqlite", "postgresql"])
def test_database_tests_in_a_session(pytester: pytest.Pytester, project: None, vendor: str) -> None:
    require_server(vendor)
    pytester.makepyfile(test_inner=INNER_TESTS)
    settings = database_settings(vendor)
    with override_settings(DATABASES=settings, INSTALLED_APPS=[APP, EXTRA], ROOT_URLCONF=URLS):
        result = pytester.runpytest_inprocess(*QUIET)
        names = [connections[alias].settings_dict["NAME"] for alias in settings]
    result.assert_outcomes(passed=16, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*Expected to perform 0 queries but 1 was done",
            "*extra info (add -v option to show queries)",
            "*Expected to perform 0 queries or less but 2 were done (add -v option*",
        ]
    )
    # The session's test databases are gone and the names are back.
    assert names == [settings["default"]["NAME"], "other.sqlite3"]
    assert not _databases.blocker.is_active


def test_failures_list_the_queries_with_verbose(pytester: pytest.Pytester, project: None) -> None:
    pytester.makepyfile(
        """
        from tests.test.dbapp.models import Person

        def test_fails(db, django_assert_num_queries):
            with django_assert_num_queries(0):
                Person.objects.filter(name="x").count()
        """
    )
    with override_settings(DATABASES=database_settings("sqlite"), INSTALLED_APPS=[APP]):
        result = pytester.runpytest_inprocess(*QUIET, "-v")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*Queries:", "*========", "*SELECT count(*) AS __count *"])


def test_a_bad_mark_is_a_usage_error(pytester: pytest.Pytester, project: None) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.fastjango_db(transactions=True)
        def test_typo():
            pass
        """
    )
    with override_settings(DATABASES=database_settings("sqlite"), INSTALLED_APPS=[APP]):
        result = pytester.runpytest_inprocess(*QUIET)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*fastjango_db takes transaction, databases*transactions*"])


def test_a_mark_naming_an_unknown_database(pytester: pytest.Pytester, project: None) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.fastjango_db(databases="replica")
        def test_unknown():
            pass
        """
    )
    with override_settings(DATABASES=database_settings("sqlite"), INSTALLED_APPS=[APP]):
        result = pytester.runpytest_inprocess(*QUIET)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*'replica' named in a fastjango_db mark isn't in*"])


def test_session_data_from_an_overridden_setup(pytester: pytest.Pytester, project: None) -> None:
    pytester.makeconftest(
        """
        import pytest

        from tests.test.dbapp.models import Person

        @pytest.fixture(scope="session")
        def django_db_setup(django_db_setup, django_db_blocker):
            with django_db_blocker.unblock():
                Person.objects.create(name="for every test")
        """
    )
    pytester.makepyfile(
        """
        import pytest

        from fastjango.test import TestCase
        from tests.test.dbapp.models import Person

        @pytest.mark.fastjango_db
        def test_sees_it():
            assert Person.objects.get().name == "for every test"

        class TestAlso(TestCase):
            def test_sees_it(self):
                self.assertEqual(Person.objects.count(), 1)

        def test_no_database_is_made_for_this_one():
            pass
        """
    )
    with override_settings(DATABASES=database_settings("sqlite"), INSTALLED_APPS=[APP]):
        result = pytester.runpytest_inprocess(*QUIET)
    result.assert_outcomes(passed=3)


def test_reuse_db_and_create_db(pytester: pytest.Pytester, project: None) -> None:
    pytester.makeconftest(
        """
        import pytest

        from tests.test.dbapp.models import Person

        @pytest.fixture(scope="session")
        def django_db_setup(django_db_setup, django_db_blocker):
            with django_db_blocker.unblock():
                Person.objects.create(name="one more per session")
        """
    )
    pytester.makepyfile(
        """
        import os

        from tests.test.dbapp.models import Person

        def test_count(db):
            assert Person.objects.count() == int(os.environ["EXPECTED"])
        """
    )
    kept = pytester.path / "kept.sqlite3"
    settings = database_settings("sqlite")
    settings["default"]["TEST"] = {"NAME": str(kept)}
    runs = [("1", ["--reuse-db"]), ("2", ["--reuse-db"]), ("1", ["--reuse-db", "--create-db"])]
    with override_settings(DATABASES=settings, INSTALLED_APPS=[APP]):
        for expected, options in [*runs, ("1", [])]:
            os.environ["EXPECTED"] = expected
            try:
                result = pytester.runpytest_inprocess(*QUIET, *options)
            finally:
                del os.environ["EXPECTED"]
            result.assert_outcomes(passed=1)
            assert kept.exists() == bool(options)


def test_the_setup_fixture_alone_still_makes_a_test_database(
    pytester: pytest.Pytester, project: None
) -> None:
    pytester.makepyfile(
        """
        from fastjango.db import connections
        from tests.test.dbapp.models import Person

        def test_unblocked(django_db_setup, django_db_blocker):
            with django_db_blocker.unblock():
                Person.objects.create(name="somewhere safe")
            assert connections["default"].settings_dict["NAME"] != "default.sqlite3"
        """
    )
    with override_settings(DATABASES=database_settings("sqlite"), INSTALLED_APPS=[APP]):
        result = pytester.runpytest_inprocess(*QUIET)
    result.assert_outcomes(passed=1)
    assert not (pytester.path / "default.sqlite3").exists()


def test_a_project_without_databases(pytester: pytest.Pytester, project: None) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.fastjango_db(transaction=True)
        def test_dummy_needs_nothing():
            pass

        def test_db(db):
            pass
        """
    )
    with override_settings(DATABASES={}):
        result = pytester.runpytest_inprocess(*QUIET)
    result.assert_outcomes(passed=2)


# -- a real project, in subprocesses ------------------------------------------------------------

PROJECT_SETTINGS = """
SECRET_KEY = "plugin-tests"
DEBUG = True
INSTALLED_APPS = ["shop"]
USE_TZ = True
DATABASES = {"default": %r}
"""

SHOP_MODELS = """
from fastjango.db import models


class Item(models.Model):
    name = models.CharField(max_length=50)
"""

# Migration files are Alembic revisions (docs/migrations.md).
INITIAL_MIGRATION = """
import sqlalchemy as sa
from alembic import op

revision = "shop_0001_initial"
down_revision = None
branch_labels = ("shop",)
depends_on = None
initial = True


def upgrade() -> None:
    op.create_table(
        "shop_item",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("shop_item_pkey")),
    )


def downgrade() -> None:
    op.drop_table("shop_item")
"""

DATA_MIGRATION = """
from fastjango.db import migrations

revision = "shop_0002_data"
down_revision = "shop_0001_initial"
branch_labels = None
depends_on = None


def forwards(apps, schema_editor):
    apps.get_model("shop", "Item").objects.create(name="from a migration")


def upgrade() -> None:
    migrations.run_python(forwards)


def downgrade() -> None:
    pass
"""

PROJECT_TESTS = """
import os

import pytest

from fastjango.db import connections
from shop.models import Item


@pytest.mark.fastjango_db
def test_the_schema(request):
    names = list(Item.objects.values_list("name", flat=True))
    migrated = not request.config.getoption("nomigrations")
    assert names == (["from a migration"] if migrated else [])


@pytest.mark.skipif("PYTEST_XDIST_WORKER" not in os.environ, reason="xdist only")
def test_a_worker_has_its_own_database(db):
    name = str(connections["default"].settings_dict["NAME"])
    assert name.endswith("_%s.sqlite3" % os.environ["PYTEST_XDIST_WORKER"])
"""


@pytest.fixture
def subprocess_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, "settings")
    for name in ("PYTEST_ADDOPTS", "COV_CORE_SOURCE", "PYTEST_XDIST_WORKER"):
        monkeypatch.delenv(name, raising=False)
    yield


def test_migrations_workers_reuse_and_no_migrations(
    pytester: pytest.Pytester, subprocess_env: None
) -> None:
    database = {
        "ENGINE": "fastjango.db.backends.sqlite3",
        "NAME": "proj.sqlite3",
        "TEST": {"NAME": str(pytester.path / "test_proj.sqlite3")},
    }
    pytester.makepyfile(settings=PROJECT_SETTINGS % database, test_project=PROJECT_TESTS)
    shop = pytester.mkpydir("shop")
    (shop / "models.py").write_text(SHOP_MODELS)
    migrations = pytester.mkpydir("shop/migrations")
    (migrations / "0001_initial.py").write_text(INITIAL_MIGRATION)
    (migrations / "0002_data.py").write_text(DATA_MIGRATION)
    # Migrated test databases, one per xdist worker, kept with --reuse-db.
    result = pytester.runpytest_subprocess(*QUIET, "-n", "2", "--reuse-db")
    result.assert_outcomes(passed=2)
    kept = sorted(path.name for path in pytester.path.glob("test_proj_gw*.sqlite3"))
    assert kept == ["test_proj_gw0.sqlite3", "test_proj_gw1.sqlite3"]
    # Without --reuse-db an old database is replaced; --no-migrations builds it from
    # the models; at the end it is dropped.
    (pytester.path / "test_proj.sqlite3").write_bytes(b"old")
    result = pytester.runpytest_subprocess(*QUIET, "--no-migrations", "-v", "-s")
    result.assert_outcomes(passed=1, skipped=1)
    result.stderr.fnmatch_lines(
        [
            "Creating test database for alias 'default'*",
            "Destroying old test database for alias 'default'*",
            "Destroying test database for alias 'default'*",
        ]
    )
    assert not (pytester.path / "test_proj.sqlite3").exists()


def test_the_options_are_documented() -> None:
    doc = (ROOT / "docs" / "testing.md").read_text()
    for option in ("--reuse-db", "--create-db", "--no-migrations", "--migrations"):
        assert f"`{option}" in doc
