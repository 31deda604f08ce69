"""The pytest plugin: test databases, the ``db`` fixtures and marks, the client fixtures.

Installed as a ``pytest11`` entry point, so it is loaded wherever FastJango is
installed, but it does nothing (no fixtures, no markers, no settings) until a
settings module is named, by (first wins) the ``--fastjango-settings`` (``--fs``)
option, the ``FASTJANGO_SETTINGS_MODULE`` environment variable, or the
``FASTJANGO_SETTINGS_MODULE`` ini option.

Tests that use the database say so with ``@pytest.mark.fastjango_db`` (or
pytest-django's ``django_db``) or the ``db``/``transactional_db`` fixtures; the
others get an error when they touch a database. Each test database is created
when the first test needs it (migrated, or built from the models with
``--no-migrations``), per xdist worker, and dropped at the end (kept with
``--reuse-db``). See docs/testing.md.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from fastjango.test._databases import DatabaseBlocker, TestDatabases

from fastjango.conf import ENVIRONMENT_VARIABLE

__all__ = ["FastJangoFixtures", "SettingsWrapper"]

# Sessions configured in this process; a pytester run inside a test is a second one.
_sessions = 0


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fastjango")
    group.addoption(
        "--fastjango-settings",
        "--fs",
        dest="fastjango_settings",
        default=None,
        help="Dotted path of the FastJango settings module to test with.",
    )
    parser.addini(ENVIRONMENT_VARIABLE, "FastJango settings module to test with.", default=None)
    parser.addini(
        "fastjango_debug_mode",
        "DEBUG during tests: false (the default, as Django's test runner), true, or keep "
        "(the settings' own value).",
        default="false",
    )
    group.addoption(
        "--reuse-db",
        action="store_true",
        dest="reuse_db",
        default=False,
        help="Keep the test databases at the end of the run, and reuse them in the next.",
    )
    group.addoption(
        "--create-db",
        action="store_true",
        dest="create_db",
        default=False,
        help="Re-create the test databases (with --reuse-db: for this run).",
    )
    group.addoption(
        "--no-migrations",
        "--nomigrations",
        action="store_true",
        dest="nomigrations",
        default=False,
        help="Build the test databases from the models instead of running the migrations.",
    )
    group.addoption(
        "--migrations",
        action="store_false",
        dest="nomigrations",
        help="Run the migrations to build the test databases (undoes --no-migrations).",
    )


def settings_module(config: pytest.Config) -> str | None:
    """Return the settings module named for this run, or None when FastJango isn't used."""
    module = (
        config.getoption("fastjango_settings")
        or os.environ.get(ENVIRONMENT_VARIABLE)
        or config.getini(ENVIRONMENT_VARIABLE)
    )
    return str(module) if module else None


def pytest_configure(config: pytest.Config) -> None:
    module = settings_module(config)
    if module is None:
        return
    for name in ("fastjango_db", "django_db"):
        config.addinivalue_line(
            "markers",
            f"{name}(transaction=False, databases=None, reset_sequences=False, "
            "serialized_rollback=False, available_apps=None): the test uses the database; "
            "transaction=True lets it commit (tables are emptied afterwards).",
        )
    os.environ[ENVIRONMENT_VARIABLE] = module
    _make_importable(module, str(config.rootpath))
    import fastjango
    from fastjango.core.exceptions import ImproperlyConfigured

    try:
        fastjango.setup()
    except (ImportError, ImproperlyConfigured) as err:
        raise pytest.UsageError(
            f"FastJango settings module {module!r} can't be used: {err} Check "
            f"--fastjango-settings, {ENVIRONMENT_VARIABLE} or the ini option of that name."
        ) from err
    global _sessions
    if _sessions == 0:
        from fastjango.test.utils import setup_test_environment

        setup_test_environment(debug=_debug_mode(config))
    _sessions += 1
    config.add_cleanup(_end_session)
    config.pluginmanager.register(FastJangoFixtures(config), "fastjango.fixtures")
    if _has_databases():
        # Like pytest-django: no test touches a database without asking for it.
        from fastjango.test._databases import blocker

        config.add_cleanup(blocker.block().__exit__)


def _debug_mode(config: pytest.Config) -> bool | None:
    """Return the DEBUG tests run with (None: the settings' own), from ``fastjango_debug_mode``."""
    value = str(config.getini("fastjango_debug_mode")).strip().lower()
    choices = {"false": False, "true": True, "keep": None}
    if value not in choices:
        raise pytest.UsageError(
            f"fastjango_debug_mode = {value!r}: use false (the default), true or keep."
        )
    return choices[value]


def _has_databases() -> bool:
    from fastjango.conf import settings

    databases = getattr(settings, "DATABASES", None)
    return isinstance(databases, dict) and bool(databases)


def _make_importable(module: str, rootdir: str) -> None:
    # A project run from its own directory: its settings package lives there.
    try:
        found = importlib.util.find_spec(module) is not None
    except ImportError:
        found = False
    if not found and rootdir not in sys.path:
        sys.path.insert(0, rootdir)


def _end_session() -> None:
    global _sessions
    _sessions -= 1
    if _sessions == 0:
        from fastjango.test.utils import teardown_test_environment

        teardown_test_environment()


class SettingsWrapper:
    """Change settings for one test by assignment: ``settings.DEBUG = True``.

    ``del settings.NAME`` makes a setting missing. Every change is undone when the
    test ends, and ``setting_changed`` is sent both ways, as with
    ``override_settings`` (a deleted setting is announced with the value None).
    """

    def __init__(self) -> None:
        object.__setattr__(self, "_overrides", [])

    def __getattr__(self, name: str) -> Any:
        from fastjango.conf import settings

        return getattr(settings, name)

    def __setattr__(self, name: str, value: Any) -> None:
        from fastjango.test.utils import override_settings

        override = override_settings(**{name: value})
        override.enable()
        self._overrides.append(override)

    def __delattr__(self, name: str) -> None:
        override = _deleted_setting(name)
        override.enable()
        self._overrides.append(override)

    def finalize(self) -> None:
        """Undo every change, newest first."""
        overrides = self._overrides
        while overrides:
            overrides.pop().disable()


def _deleted_setting(name: str) -> Any:
    from fastjango.conf import settings
    from fastjango.core.signals import setting_changed
    from fastjango.test.utils import override_settings

    class delete_setting(override_settings):
        def enable(self) -> None:
            super().enable()
            delattr(settings, name)
            setting_changed.send(
                sender=settings._wrapped.__class__, setting=name, value=None, enter=True
            )

        def disable(self) -> None:
            super().disable()
            setting_changed.send(
                sender=settings._wrapped.__class__,
                setting=name,
                value=getattr(settings, name, None),
                enter=False,
            )

    return delete_setting()


_MARKS = ("fastjango_db", "django_db")


def _mark_arguments(
    transaction: bool = False,
    databases: Iterable[str] | str | None = None,
    reset_sequences: bool = False,
    serialized_rollback: bool = False,
    available_apps: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "transaction": transaction,
        "databases": databases,
        "reset_sequences": reset_sequences,
        "serialized_rollback": serialized_rollback,
        "available_apps": available_apps,
    }


def _db_mark(node: pytest.Item) -> pytest.Mark | None:
    for name in _MARKS:
        mark = node.get_closest_marker(name)
        if mark is not None:
            return mark
    return None


def _read_mark(mark: pytest.Mark | None) -> dict[str, Any]:
    if mark is None:
        return _mark_arguments()
    try:
        return _mark_arguments(*mark.args, **mark.kwargs)
    except TypeError as err:
        raise pytest.UsageError(
            f"@pytest.mark.{mark.name} takes transaction, databases, reset_sequences, "
            f"serialized_rollback and available_apps: {err}"
        ) from err


def _aliases(databases: Iterable[str] | str | None) -> list[str]:
    """Return the aliases a mark or test case names, in ``DATABASES`` order."""
    from fastjango.db import DEFAULT_DB_ALIAS, connections

    if databases is None:
        return [DEFAULT_DB_ALIAS]
    if databases == "__all__":
        return list(connections)
    named = [databases] if isinstance(databases, str) else list(databases)
    for alias in named:
        if alias not in connections:
            raise pytest.UsageError(
                f"The database {alias!r} named in a fastjango_db mark isn't in settings.DATABASES."
            )
    return [alias for alias in connections if alias in named]


def _db_testcase(cls: type | None) -> Any:
    # Only a module that was imported can hold the class (no import for other suites).
    module = sys.modules.get("fastjango.test.testcases")
    if cls is None or module is None or not issubclass(cls, module.TransactionTestCase):
        return None
    return cls


def _own_fixture(item: pytest.Item, name: str) -> bool:
    # A project's own fixture called "db" is not ours (tests/db of FastJango has one).
    info = getattr(item, "_fixtureinfo", None)
    definitions = getattr(info, "name2fixturedefs", {}).get(name)
    if not definitions:
        return False
    return bool(getattr(definitions[-1].func, "__qualname__", "").startswith("FastJangoFixtures."))


def _db_usage(item: pytest.Item) -> tuple[int, dict[str, Any] | None]:
    """Return (order, mark arguments): 0 rolled back, 1 transactional, 2 no database."""
    cls = _db_testcase(getattr(item, "cls", None))
    if cls is not None:
        module = sys.modules["fastjango.test.testcases"]
        transactional = not issubclass(cls, module.TestCase)
        arguments = _mark_arguments(
            transaction=transactional,
            databases=cls.databases,
            serialized_rollback=transactional and cls.serialized_rollback,
        )
        return int(transactional), arguments
    names = getattr(item, "fixturenames", ())
    mark = _db_mark(item)
    if mark is None and not any(
        name in names and _own_fixture(item, name) for name in ("db", "transactional_db")
    ):
        return 2, None
    arguments = _read_mark(mark)
    if "transactional_db" in names and _own_fixture(item, "transactional_db"):
        arguments["transaction"] = True
    return int(bool(arguments["transaction"])), arguments


class _DbState:
    """What one session knows about its databases."""

    def __init__(self) -> None:
        #: the aliases the collected tests use, and those serialized_rollback wants saved
        self.wanted: list[str] = []
        self.serialized: set[str] = set()
        #: the session's test databases, once a test asked for one
        self.databases: TestDatabases | None = None


_STATE = pytest.StashKey[_DbState]()


def _state(config: pytest.Config) -> _DbState:
    return config.stash[_STATE]


class FastJangoFixtures:
    """The fixtures and hooks, registered only when a settings module is configured.

    Fixtures wider than a function are classmethods (pytest's rule); the
    session's state lives in ``config.stash``, so a pytester session run inside
    another keeps its own.
    """

    def __init__(self, config: pytest.Config | None = None) -> None:
        self.state = _DbState()
        if config is not None:
            config.stash[_STATE] = self.state

    # -- collection --------------------------------------------------------------

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        """Run rolled-back database tests first, then transactional ones, then the rest.

        Django's runner orders them so, because transactional tests empty the
        tables (rows that migrations added are gone after them).
        """
        orders: dict[pytest.Item, int] = {}
        wanted: set[str] = set()
        for item in items:
            order, arguments = _db_usage(item)
            orders[item] = order
            if arguments is None:
                continue
            aliases = _aliases(arguments["databases"])
            wanted.update(aliases)
            if arguments["transaction"] and arguments["serialized_rollback"]:
                self.state.serialized.update(aliases)
        if wanted:
            items.sort(key=orders.__getitem__)
            from fastjango.db import connections

            self.state.wanted = [alias for alias in connections if alias in wanted]

    # -- test databases --------------------------------------------------------

    @pytest.fixture(scope="session")
    @classmethod
    def fastjango_db_setup(cls, request: pytest.FixtureRequest) -> Iterator[TestDatabases]:
        """Create the test databases the collected tests use; drop them at the end.

        Override ``django_db_setup`` (which depends on this) to add session-wide
        data, as with pytest-django.
        """
        from fastjango.db import DEFAULT_DB_ALIAS
        from fastjango.test._databases import TestDatabases

        config = request.config
        state = _state(config)
        reuse = bool(config.getoption("reuse_db"))
        workerinput = getattr(config, "workerinput", None)
        databases = TestDatabases(
            verbosity=max(int(config.option.verbose), 0),
            keepdb=reuse and not config.getoption("create_db"),
            migrate=False if config.getoption("nomigrations") else None,
            suffix=workerinput["workerid"] if workerinput else None,
            serialize=state.serialized,
        )
        databases.activate()
        state.databases = databases
        try:
            # Asked for with no database test collected: still never the real database.
            databases.ensure(state.wanted or [DEFAULT_DB_ALIAS])
            yield databases
        finally:
            state.databases = None
            databases.keepdb = reuse
            databases.teardown()

    @pytest.fixture(scope="session")
    @classmethod
    def django_db_setup(cls, fastjango_db_setup: TestDatabases) -> TestDatabases:
        """pytest-django's name for ``fastjango_db_setup``."""
        return fastjango_db_setup

    @pytest.fixture(scope="session")
    @classmethod
    def fastjango_db_blocker(cls) -> DatabaseBlocker:
        """The blocker: ``with fastjango_db_blocker.unblock():`` allows database access."""
        from fastjango.test._databases import blocker

        return blocker

    @pytest.fixture(scope="session")
    @classmethod
    def django_db_blocker(cls, fastjango_db_blocker: DatabaseBlocker) -> DatabaseBlocker:
        """pytest-django's name for ``fastjango_db_blocker``."""
        return fastjango_db_blocker

    @pytest.fixture
    def _fastjango_db_helper(self, request: pytest.FixtureRequest) -> Iterator[None]:
        arguments = _read_mark(_db_mark(request.node))
        if "transactional_db" in request.fixturenames:
            arguments["transaction"] = True
        aliases = _aliases(arguments["databases"])
        request.getfixturevalue("django_db_setup")
        databases = self.state.databases
        if databases is not None:
            databases.ensure(aliases)
        from fastjango.test._databases import blocker

        with blocker.block(_outside_mark(aliases), allowed=aliases):
            if arguments["transaction"]:
                yield from _transactional_test(aliases, arguments)
            else:
                yield from _rolled_back_test(aliases)

    @pytest.fixture(autouse=True)
    def _fastjango_db_marker(self, request: pytest.FixtureRequest) -> None:
        if _db_mark(request.node) is not None:
            request.getfixturevalue("_fastjango_db_helper")

    @pytest.fixture(autouse=True, scope="class")
    @classmethod
    def _fastjango_setup_unittest(cls, request: pytest.FixtureRequest) -> None:
        case = _db_testcase(request.cls)
        if case is None:
            return
        request.getfixturevalue("django_db_setup")
        databases = _state(request.config).databases
        if databases is not None:
            databases.ensure(_aliases(case.databases))

    @pytest.fixture
    def db(self, _fastjango_db_helper: None) -> None:
        """Give the test the database, in a transaction rolled back at its end.

        The test, the test client's views and async code all see that one
        transaction (as in ``TestCase``).
        """

    @pytest.fixture
    def transactional_db(self, _fastjango_db_helper: None) -> None:
        """Give the test the database for real: it may commit; tables are emptied afterwards."""

    # -- assertions ------------------------------------------------------------

    @pytest.fixture
    def fastjango_assert_num_queries(self, pytestconfig: pytest.Config) -> Callable[..., Any]:
        """Return ``assert_num_queries(num, connection=None, info=None, *, using=None)``.

        It is a context manager (``with`` or ``async with``) that fails the test
        unless exactly ``num`` statements ran in the block.
        """
        return _num_queries_factory(pytestconfig, exact=True)

    @pytest.fixture
    def django_assert_num_queries(self, pytestconfig: pytest.Config) -> Callable[..., Any]:
        """pytest-django's name for ``fastjango_assert_num_queries``."""
        return _num_queries_factory(pytestconfig, exact=True)

    @pytest.fixture
    def fastjango_assert_max_num_queries(self, pytestconfig: pytest.Config) -> Callable[..., Any]:
        """As ``fastjango_assert_num_queries``, but at most ``num`` statements may run."""
        return _num_queries_factory(pytestconfig, exact=False)

    @pytest.fixture
    def django_assert_max_num_queries(self, pytestconfig: pytest.Config) -> Callable[..., Any]:
        """pytest-django's name for ``fastjango_assert_max_num_queries``."""
        return _num_queries_factory(pytestconfig, exact=False)

    @pytest.fixture
    def fastjango_capture_on_commit_callbacks(self) -> Callable[..., Any]:
        """Return ``capture(*, using="default", execute=False)``, ``TestCase``'s context manager."""
        return _capture_on_commit_callbacks

    @pytest.fixture
    def django_capture_on_commit_callbacks(self) -> Callable[..., Any]:
        """pytest-django's name for ``fastjango_capture_on_commit_callbacks``."""
        return _capture_on_commit_callbacks

    # -- settings and clients ----------------------------------------------------

    @pytest.fixture
    def settings(self) -> Iterator[SettingsWrapper]:
        """Settings that a test may change by assignment; restored afterwards."""
        wrapper = SettingsWrapper()
        yield wrapper
        wrapper.finalize()

    @pytest.fixture
    def client(self) -> Any:
        """A ``fastjango.test.Client``."""
        from fastjango.test import Client

        return Client()

    @pytest.fixture
    def async_client(self) -> Any:
        """A ``fastjango.test.AsyncClient``."""
        from fastjango.test import AsyncClient

        return AsyncClient()

    @pytest.fixture
    def rf(self) -> Any:
        """A ``fastjango.test.RequestFactory``."""
        from fastjango.test import RequestFactory

        return RequestFactory()

    @pytest.fixture
    def async_rf(self) -> Any:
        """A ``fastjango.test.AsyncRequestFactory``."""
        from fastjango.test import AsyncRequestFactory

        return AsyncRequestFactory()


def _outside_mark(aliases: list[str]) -> Callable[[str], Exception]:
    def failure(alias: str) -> Exception:
        named = ", ".join(repr(a) for a in [*aliases, alias])
        return RuntimeError(
            f"Database access to {alias!r} not allowed in this test: it uses only "
            f"{', '.join(repr(a) for a in aliases)}. Add it to the mark, e.g. "
            f"@pytest.mark.fastjango_db(databases=[{named}])."
        )

    return failure


def _own_databases(aliases: list[str]) -> list[str]:
    # Mirrors share another alias's database; the dummy backend has none at all.
    from fastjango.db import connections

    settings_dicts = connections.settings
    return [
        alias
        for alias in aliases
        if not settings_dicts[alias]["TEST"].get("MIRROR")
        and not str(settings_dicts[alias]["ENGINE"]).endswith(".dummy")
    ]


def _rolled_back_test(aliases: list[str]) -> Iterator[None]:
    from fastjango.test._databases import check_constraints
    from fastjango.test._transaction import TestTransaction

    transactions: list[Any] = []
    try:
        for alias in _own_databases(aliases):
            transactions.append(TestTransaction(alias))
        yield
        for tx in reversed(transactions):
            if not tx.needs_rollback:
                check_constraints(tx.alias)
    finally:
        for tx in reversed(transactions):
            tx.rollback()


def _transactional_test(aliases: list[str], arguments: dict[str, Any]) -> Iterator[None]:
    from fastjango.test import _databases

    available = arguments["available_apps"]
    if available is not None:
        _databases.set_available_apps(available)
    labels = _databases.app_labels(available)
    aliases = _own_databases(aliases)
    restore = bool(arguments["serialized_rollback"])
    try:
        for alias in aliases:
            _databases.start_transactional_test(
                alias, labels, reset=bool(arguments["reset_sequences"]), restore=restore
            )
        yield
    finally:
        try:
            for alias in aliases:
                _databases.end_transactional_test(alias, labels, restore=restore)
        finally:
            if available is not None:
                _databases.unset_available_apps()


def _num_queries_factory(config: pytest.Config, exact: bool) -> Callable[..., Any]:
    from fastjango.test.utils import CaptureQueriesContext

    verbose = int(config.getoption("verbose")) > 0

    class NumQueriesContext(CaptureQueriesContext):
        def __init__(
            self,
            num: int,
            connection: Any = None,
            info: str | None = None,
            *,
            using: str | None = None,
        ) -> None:
            from fastjango.db import DEFAULT_DB_ALIAS, connections

            if connection is None:
                connection = connections[using or DEFAULT_DB_ALIAS]
            self.num = num
            self.info = info
            super().__init__(connection)

        def __exit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
            super().__exit__(exc_type, *exc_info)
            if exc_type is not None:
                return
            done = len(self)
            if (done == self.num) if exact else (done <= self.num):
                return
            message = (
                f"Expected to perform {self.num} queries {'' if exact else 'or less '}but "
                f"{done} {'was' if done == 1 else 'were'} done"
            )
            if self.info:
                message += f"\n{self.info}"
            if verbose:
                queries = "\n\n".join(query["sql"] for query in self.captured_queries)
                message += f"\n\nQueries:\n========\n\n{queries}"
            else:
                message += " (add -v option to show queries)"
            pytest.fail(message)

    return NumQueriesContext


def _capture_on_commit_callbacks(*, using: str | None = None, execute: bool = False) -> Any:
    from fastjango.db import DEFAULT_DB_ALIAS
    from fastjango.test._transaction import CaptureOnCommitCallbacks

    return CaptureOnCommitCallbacks(using or DEFAULT_DB_ALIAS, execute)
