"""inspectdb's pieces: field types, field names, models from a SQLite database."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql

from fastjango.core.management import call_command
from fastjango.core.management.base import CommandError
from fastjango.core.management.commands.inspectdb import (
    field_type,
    normalize_col_name,
    table2model,
)
from fastjango.db import connections
from fastjango.test.utils import override_settings


def column(type_: Any, name: str = "x", **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, "nullable": False, **extra}


@pytest.mark.parametrize(
    ("type_", "vendor", "expected"),
    [
        (sa.Boolean(), "sqlite", ("BooleanField", {})),
        (mysql.TINYINT(display_width=1), "mysql", ("BooleanField", {})),
        (sa.BigInteger(), "postgresql", ("BigIntegerField", {})),
        (sa.SmallInteger(), "postgresql", ("SmallIntegerField", {})),
        (sa.Integer(), "postgresql", ("IntegerField", {})),
        (postgresql.INTERVAL(), "postgresql", ("DurationField", {})),
        (sa.Uuid(), "postgresql", ("UUIDField", {})),
        (postgresql.JSONB(), "postgresql", ("JSONField", {})),
        (sa.Numeric(8, 2), "postgresql", ("DecimalField", {"max_digits": 8, "decimal_places": 2})),
        (sa.Float(), "postgresql", ("FloatField", {})),
        (sa.DateTime(), "postgresql", ("DateTimeField", {})),
        (sa.Date(), "postgresql", ("DateField", {})),
        (sa.Time(), "postgresql", ("TimeField", {})),
        (sa.LargeBinary(), "postgresql", ("BinaryField", {})),
        (postgresql.INET(), "postgresql", ("GenericIPAddressField", {})),
        (sa.String(20), "postgresql", ("CharField", {"max_length": 20})),
        (sa.Text(), "postgresql", ("TextField", {})),
        (sa.String(), "sqlite", ("TextField", {})),
    ],
)
def test_field_types(type_: Any, vendor: str, expected: tuple[str, dict[str, Any]]) -> None:
    kind, params, _ = field_type(column(type_), vendor, [])
    assert (kind, params) == expected


def test_guesses_and_auto_fields() -> None:
    kind, params, notes = field_type(column(sa.Numeric()), "sqlite", [])
    assert (kind, params) == ("DecimalField", {"max_digits": 10, "decimal_places": 5})
    assert "guessed" in notes[0]
    kind, _, notes = field_type(column(sa.types.NullType()), "sqlite", [])
    assert kind == "TextField" and notes == ["This field type is a guess."]
    auto = column(sa.BigInteger(), "id", autoincrement=True)
    assert field_type(auto, "postgresql", ["id"])[0] == "BigAutoField"
    assert field_type(column(sa.SmallInteger(), "id", identity={}), "postgresql", ["id"])[0] == (
        "SmallAutoField"
    )
    assert field_type(column(sa.Integer(), "id"), "sqlite", ["id"])[0] == "AutoField"


@pytest.mark.parametrize(
    ("name", "relation", "expected", "params"),
    [
        ("Name", False, "name", {"db_column": "Name"}),
        ("owner_id", True, "owner", {}),
        ("owner", True, "owner", {"db_column": "owner"}),
        ("my-field", False, "my_field", {"db_column": "my-field"}),
        ("a__b", False, "a_b", {"db_column": "a__b"}),
        ("_x", False, "field_x", {"db_column": "_x"}),
        ("x_", False, "x_field", {"db_column": "x_"}),
        ("class", False, "class_field", {"db_column": "class"}),
        ("1st", False, "number_1st", {"db_column": "1st"}),
        ("taken", False, "taken_0", {"db_column": "taken"}),
    ],
)
def test_field_names(name: str, relation: bool, expected: str, params: dict[str, Any]) -> None:
    new_name, new_params, _ = normalize_col_name(name, {"taken"}, relation)
    assert (new_name, new_params) == (expected, params)


def test_model_names() -> None:
    assert table2model("auth_user_groups") == "AuthUserGroups"
    assert table2model("my-table") == "MyTable"


def test_sqlite_database(tmp_path: Path) -> None:
    databases = {
        "default": {"ENGINE": "fastjango.db.backends.sqlite3", "NAME": str(tmp_path / "i.db")}
    }
    with override_settings(DATABASES=databases):
        db = connections["default"]
        for statement in (
            "CREATE TABLE person (id integer PRIMARY KEY, name varchar(20) NOT NULL, "
            "boss_id integer NULL REFERENCES person (id), mentor_id integer NULL "
            "REFERENCES person (id))",
            "CREATE TABLE badge (code varchar(5) PRIMARY KEY, "
            "holder integer NOT NULL UNIQUE REFERENCES person (id))",
            "CREATE TABLE pair (a integer NOT NULL, b integer NOT NULL, PRIMARY KEY (a, b))",
            "CREATE VIEW names AS SELECT name FROM person",
        ):
            db.execute(statement)
        out = StringIO()
        call_command("inspectdb", "--include-views", stdout=out)
        source = out.getvalue()
        compile(source, "models.py", "exec")
        assert (
            "    boss = models.ForeignKey('self', models.DO_NOTHING, "
            "related_name='person_boss_set', blank=True, null=True)" in source
        )
        assert "    code = models.CharField(primary_key=True, max_length=5)" in source
        assert (
            "    holder = models.OneToOneField(Person, models.DO_NOTHING, db_column='holder')"
            not in source
        )
        assert (
            "    holder = models.OneToOneField('Person', models.DO_NOTHING, db_column='holder')"
            in source
        )
        assert "    pk = models.CompositePrimaryKey('a', 'b')" in source
        assert "    # Created from a view. Don't remove." in source
        with pytest.raises(CommandError, match="isn't in the DATABASES setting"):
            call_command("inspectdb", "--database", "x")
        out = StringIO()
        call_command("inspectdb", table_name_filter=lambda name: name == "pair", stdout=out)
        assert "class Pair" in out.getvalue() and "class Person" not in out.getvalue()
        db.close()
