from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from fastjango.db import DatabaseError
from fastjango.db.backends.base.base import BaseDatabaseWrapper
from fastjango.db.utils import ConnectionHandler
from tests.db.conftest import WORKER, database_settings, require_server

CREATION_NAME = f"test_fj_creation_{WORKER}"


def _metadata() -> sa.MetaData:
    metadata = sa.MetaData()
    sa.Table("fj_created", metadata, sa.Column("id", sa.Integer, primary_key=True))
    return metadata


def _server_wrapper(server: str, **test: Any) -> BaseDatabaseWrapper:
    require_server(server)
    conn = database_settings()[server]
    conn["TEST"] = {"NAME": CREATION_NAME, **test}
    handler = ConnectionHandler({"default": {"ENGINE": "x.unused"}, "creation": conn})
    return handler["creation"]


def _exists(db: BaseDatabaseWrapper, name: str) -> bool:
    with db.creation._nodb_connection() as conn:
        return db.creation._database_exists(conn, name)


@pytest.mark.parametrize("server", ["postgres", "mysql"])
def test_server_test_database_lifecycle(
    server: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _server_wrapper(server)
    old_name = db.settings_dict["NAME"]
    name = db.creation.create_test_db(verbosity=2, autoclobber=True, metadata=_metadata())
    try:
        assert name == CREATION_NAME == db.settings_dict["NAME"]
        assert "Creating test database for alias 'creation'" in capsys.readouterr().err
        assert sa.inspect(db.sync_engine).has_table("fj_created")
        # keepdb reuses it, tables and all.
        db.creation.create_test_db(verbosity=1, keepdb=True)
        assert "Using existing test database" in capsys.readouterr().err
        assert sa.inspect(db.sync_engine).has_table("fj_created")
        # Creating over an existing one asks first; "no" cancels.
        monkeypatch.setattr("builtins.input", lambda prompt: "no")
        with pytest.raises(DatabaseError):
            db.creation.create_test_db(verbosity=0)
        assert "Tests cancelled." in capsys.readouterr().err
        monkeypatch.setattr("builtins.input", lambda prompt: "yes")
        db.creation.create_test_db(verbosity=1)
        assert "Destroying old test database" in capsys.readouterr().err
        assert not sa.inspect(db.sync_engine).has_table("fj_created")
    finally:
        db.creation.destroy_test_db(old_name, verbosity=1)
    assert "Destroying test database" in capsys.readouterr().err
    assert db.settings_dict["NAME"] == old_name
    assert not _exists(db, CREATION_NAME)


def test_server_keepdb_on_destroy() -> None:
    db = _server_wrapper("postgres", CHARSET="UTF8", TEMPLATE="template0")
    assert "ENCODING 'UTF8'" in db.creation.sql_table_creation_suffix()
    db.creation.create_test_db(verbosity=0, autoclobber=True)
    db.creation.destroy_test_db("test", verbosity=1, keepdb=True)
    assert _exists(db, CREATION_NAME)
    db.settings_dict["NAME"] = CREATION_NAME
    db.creation.destroy_test_db(verbosity=0)
    assert not _exists(db, CREATION_NAME)


def test_mysql_creation_suffix() -> None:
    db = _server_wrapper("mysql", CHARSET="utf8mb4", COLLATION="utf8mb4_unicode_ci")
    assert db.creation.sql_table_creation_suffix() == (
        " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
    )


def _sqlite(name: str = "app.db", test_name: str | None = None) -> BaseDatabaseWrapper:
    conn = {"ENGINE": "fastjango.db.backends.sqlite3", "NAME": name, "TEST": {"NAME": test_name}}
    return ConnectionHandler({"default": conn})["default"]


def test_sqlite_temporary_test_database() -> None:
    db = _sqlite()
    name = db.creation.create_test_db(verbosity=0, metadata=_metadata())
    assert name != "app.db" and os.path.exists(name)
    assert db.settings_dict["NAME"] == name
    db.execute("INSERT INTO fj_created (id) VALUES (1)")
    db.creation.destroy_test_db("app.db", verbosity=0)
    assert not os.path.exists(name)
    assert db.settings_dict["NAME"] == "app.db"


def test_sqlite_memory_test_name_uses_a_temp_file() -> None:
    db = _sqlite(test_name=":memory:")
    name = db.creation.create_test_db(verbosity=0)
    assert name.endswith(".sqlite3") and os.path.exists(name)
    db.creation.destroy_test_db(verbosity=0)
    assert not os.path.exists(name)


def test_sqlite_named_test_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(tmp_path / "test.sqlite3")
    db = _sqlite(test_name=path)
    assert db.creation.create_test_db(verbosity=0, metadata=_metadata()) == path
    db.execute("INSERT INTO fj_created (id) VALUES (1)")
    # keepdb keeps the file and its rows.
    db.creation.create_test_db(verbosity=0, keepdb=True)
    assert db.execute("SELECT count(*) FROM fj_created").scalar() == 1
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(FileExistsError):
        db.creation.create_test_db(verbosity=0)
    db.creation.create_test_db(verbosity=1, autoclobber=True, metadata=_metadata())
    assert db.execute("SELECT count(*) FROM fj_created").scalar() == 0
    db.creation.destroy_test_db(verbosity=0, keepdb=True)
    assert os.path.exists(path)
    db.creation.destroy_test_db(verbosity=0)
    assert not os.path.exists(path)
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    Path(path).write_bytes(b"not empty")
    db.creation.create_test_db(verbosity=0)
    assert not os.path.exists(path) or os.path.getsize(path) == 0
    db.creation.destroy_test_db(verbosity=0)
