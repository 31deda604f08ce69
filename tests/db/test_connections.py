from __future__ import annotations

import importlib
import pkgutil
from types import SimpleNamespace
from typing import Any

import pytest

import fastjango.db
from fastjango.core import signals
from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.db import (
    DEFAULT_DB_ALIAS,
    ConnectionDoesNotExist,
    connection,
    connections,
    router,
)
from fastjango.db.backends.base.base import BaseDatabaseWrapper
from fastjango.db.utils import ConnectionHandler, ConnectionRouter, load_backend
from fastjango.test.utils import override_settings

SQLITE = {"ENGINE": "fastjango.db.backends.sqlite3", "NAME": ":memory:"}


def test_every_module_imports_and_declares_all() -> None:
    for info in pkgutil.walk_packages(fastjango.db.__path__, "fastjango.db."):
        if info.name.startswith("fastjango.db.models") or info.name.startswith(
            "fastjango.db.migrations"
        ):
            continue  # the ORM's and the migrations' packages
        module = importlib.import_module(info.name)
        if not info.ispkg:
            assert hasattr(module, "__all__"), info.name
            for name in module.__all__:
                assert hasattr(module, name), f"{info.name}.{name}"


def test_exports() -> None:
    assert DEFAULT_DB_ALIAS == "default"
    for name in (
        "Error",
        "InterfaceError",
        "DatabaseError",
        "DataError",
        "OperationalError",
        "IntegrityError",
        "InternalError",
        "ProgrammingError",
        "NotSupportedError",
    ):
        assert issubclass(getattr(fastjango.db, name), fastjango.db.Error)
    assert not issubclass(fastjango.db.InterfaceError, fastjango.db.DatabaseError)


def test_handler_builds_wrappers_lazily() -> None:
    handler = ConnectionHandler({"default": dict(SQLITE), "other": dict(SQLITE)})
    assert handler.all(initialized_only=True) == []
    default = handler["default"]
    assert handler["default"] is default
    assert default.alias == "default" and default.vendor == "sqlite"
    assert list(handler) == ["default", "other"]
    assert "other" in handler and "missing" not in handler
    assert [w.alias for w in handler.all()] == ["default", "other"]
    with pytest.raises(ConnectionDoesNotExist, match="The connection 'missing' doesn't exist."):
        handler["missing"]
    replacement = handler.create_connection("default")
    handler["default"] = replacement
    assert handler["default"] is replacement
    del handler["default"]
    assert handler["default"] is not replacement
    handler.close_all()
    handler.reset()
    assert handler.all(initialized_only=True) == []


@pytest.mark.anyio
async def test_handler_aclose_all() -> None:
    handler = ConnectionHandler({"default": dict(SQLITE)})
    result = await handler["default"].aexecute("SELECT 1")
    assert result.scalar() == 1
    await handler.aclose_all()
    assert handler["default"]._async_engines == {}


def test_connection_proxy_follows_settings() -> None:
    with override_settings(DATABASES={"default": dict(SQLITE)}):
        assert connection.vendor == "sqlite"
        assert connection == connections["default"]
        assert hash(connection) == hash(connections["default"])
        assert "vendor='sqlite'" in repr(connection)
        connection.force_debug_cursor = True
        assert connections["default"].force_debug_cursor is True
        connection.custom_flag = 1  # type: ignore[attr-defined]
        del connection.custom_flag  # type: ignore[attr-defined]
        assert not hasattr(connections["default"], "custom_flag")
    with override_settings(DATABASES={}):
        assert connection.vendor == "dummy"


def test_dummy_backend_explains_itself() -> None:
    with override_settings(DATABASES={}):
        assert connection.is_usable() is False
        with pytest.raises(ImproperlyConfigured, match="Please supply the ENGINE value"):
            connection.execute("SELECT 1")


def test_load_backend_errors() -> None:
    with pytest.raises(ImproperlyConfigured, match="isn't an available database backend"):
        load_backend("no.such.backend")
    assert load_backend("fastjango.db.backends.sqlite3").DatabaseWrapper.vendor == "sqlite"


def test_request_signals_reset_queries() -> None:
    with override_settings(DATABASES={"default": dict(SQLITE)}, DEBUG=True):
        connection.execute("SELECT 1")
        assert len(connection.queries) == 1
        signals.request_started.send(sender=None)
        assert connection.queries == []
        signals.request_finished.send(sender=None)


def test_request_started_drops_leaked_transaction(caplog: pytest.LogCaptureFixture) -> None:
    from fastjango.db import transaction

    with override_settings(DATABASES={"default": dict(SQLITE)}):
        connection.execute("CREATE TABLE leak (x int)")
        transaction.atomic().__enter__()
        connection.execute("INSERT INTO leak VALUES (1)")
        signals.request_started.send(sender=None)
        assert not connection.in_atomic_block
        assert "left open" in caplog.text
        assert connection.execute("SELECT count(*) FROM leak").scalar() == 0


def test_request_started_keeps_a_captured_log() -> None:
    from fastjango.test.utils import CaptureQueriesContext

    with override_settings(DATABASES={"default": dict(SQLITE)}, DEBUG=True):
        connection.execute("SELECT 1")
        with CaptureQueriesContext(connection) as outer:
            with CaptureQueriesContext(connection) as inner:
                connection.execute("SELECT 2")
            signals.request_started.send(sender=None)
            connection.execute("SELECT 3")
        assert [q["sql"] for q in inner] == ["SELECT 2"]
        assert [q["sql"] for q in outer] == ["SELECT 2", "SELECT 3"]
        signals.request_started.send(sender=None)
        assert connection.queries == []


def test_close_old_connections_drops_leaked_transaction(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from fastjango.db import close_old_connections, transaction

    with override_settings(DATABASES={"default": dict(SQLITE)}):
        connection.execute("CREATE TABLE leak (x int)")
        block = transaction.atomic()
        block.__enter__()
        connection.execute("INSERT INTO leak VALUES (1)")
        close_old_connections()
        assert not connection.in_atomic_block
        assert "left open" in caplog.text
        assert connection.execute("SELECT count(*) FROM leak").scalar() == 0
        close_old_connections()  # nothing left to do


# -- router ------------------------------------------------------------------


class ReadReplica:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return "replica" if model == "Book" else None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True if "any" in hints else None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == "default" if app_label == "shop" else None


class NoOpinion:
    pass


def _obj(db: str) -> Any:
    return SimpleNamespace(_state=SimpleNamespace(db=db))


def test_router_routes() -> None:
    r = ConnectionRouter([NoOpinion(), ReadReplica()])
    assert r.db_for_read("Book") == "replica"
    assert r.db_for_read("Author") == "default"
    assert r.db_for_write("Book") == "default"
    assert r.db_for_write("Book", instance=_obj("other")) == "other"
    assert r.allow_relation(_obj("a"), _obj("b"), any=1) is True
    assert r.allow_relation(_obj("a"), _obj("b")) is False
    assert r.allow_relation(_obj("a"), _obj("a")) is True
    assert r.allow_migrate("default", "shop") is True
    assert r.allow_migrate("replica", "shop") is False
    assert r.allow_migrate("replica", "blog") is True


def test_router_migrate_models() -> None:
    r = ConnectionRouter([ReadReplica()])
    model = SimpleNamespace(_meta=SimpleNamespace(app_label="shop", model_name="book"))
    unmanaged = SimpleNamespace(
        _meta=SimpleNamespace(app_label="blog", model_name="post", can_migrate=lambda db: False)
    )
    assert r.allow_migrate_model("default", model) is True
    assert r.allow_migrate_model("replica", model) is False
    assert r.allow_migrate_model("default", unmanaged) is False
    app_config = SimpleNamespace(get_models=lambda include_auto_created=False: [model, unmanaged])
    assert r.get_migratable_models(app_config, "default") == [model]


def test_router_reads_setting_and_resets() -> None:
    with override_settings(DATABASE_ROUTERS=["tests.db.test_connections.ReadReplica"]):
        assert router.db_for_read("Book") == "replica"
    assert router.db_for_read("Book") == "default"
    assert isinstance(router.routers, list)


def test_wrapper_repr_and_basics() -> None:
    wrapper = ConnectionHandler({"default": dict(SQLITE)})["default"]
    assert isinstance(wrapper, BaseDatabaseWrapper)
    assert repr(wrapper) == "<DatabaseWrapper vendor='sqlite' alias='default'>"
    assert wrapper.display_name == "SQLite"
    assert wrapper.get_autocommit() is True
    wrapper.close()


def test_base_wrapper_defaults() -> None:
    wrapper = ConnectionHandler({"default": {"OPTIONS": {"pool": True, "x": 1}}})["default"]
    assert wrapper.vendor == "dummy"
    assert wrapper.location == "localhost:default port"
    assert wrapper.get_connect_args(is_async=False) == {"x": 1}
    sqlite = ConnectionHandler({"default": dict(SQLITE)})["default"]
    assert sqlite.is_disconnect(ValueError("not a driver error")) is False
