"""Meta.constraints, Meta.indexes and the DDL built from them, per database."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql, sqlite

from fastjango.core.exceptions import ValidationError
from fastjango.db import IntegrityError, connections, models, transaction
from fastjango.db.models import CheckConstraint, Deferrable, F, Index, Q, UniqueConstraint
from fastjango.db.models.constraints import BaseConstraint
from fastjango.db.models.functions import Lower
from fastjango.db.models.metadata import create_index_name, metadata, names_digest
from tests.db.models.models_fields import Article
from tests.db.models.models_schema import Reservation


def ddl(dialect: Any) -> str:
    table = Reservation.__table__
    statements = [str(sa.schema.CreateTable(table).compile(dialect=dialect))]
    statements += [str(sa.schema.CreateIndex(i).compile(dialect=dialect)) for i in table.indexes]
    return "\n".join(statements)


def test_table_ddl_per_dialect() -> None:
    dialect = postgresql.dialect()
    dialect.server_version_info = (16, 0)
    pg = ddl(dialect)
    assert "code_once" not in ddl(postgresql.dialect())
    assert "CONSTRAINT schema_app_reservation_nights CHECK (nights > 0 AND nights <= 30)" in pg
    assert "CONSTRAINT guest_room_unique UNIQUE (guest, room) DEFERRABLE INITIALLY DEFERRED" in pg
    assert "CONSTRAINT code_once UNIQUE NULLS NOT DISTINCT (code)" in pg
    assert (
        "CREATE UNIQUE INDEX one_active_per_room ON schema_app_reservation (room) WHERE active"
        in pg
    )
    assert "CREATE INDEX guest_incl_idx ON schema_app_reservation (guest) INCLUDE (room)" in pg
    assert "(room varchar_pattern_ops)" in pg
    assert "long_stays_idx ON schema_app_reservation (nights) WHERE nights >= 7" in pg
    assert "guest_upper_idx ON schema_app_reservation (upper(guest))" in pg
    assert "schema_app_reservation_code_" in pg
    lite = ddl(sqlite.dialect())
    assert "WHERE nights >= 7" in lite and "INCLUDE" not in lite
    maria = ddl(mysql.dialect(is_mariadb=True))
    assert "CHECK (nights > 0 AND nights <= 30)" in maria


def test_constraints_created_per_database(orm_alias: str) -> None:
    inspector = sa.inspect(connections[orm_alias].sync_engine)
    with warnings.catch_warnings():
        # SQLAlchemy can't reflect SQLite's expression indexes, and says so.
        warnings.simplefilter("ignore", sa.exc.SAWarning)
        uniques = {c["name"] for c in inspector.get_unique_constraints("schema_app_reservation")}
        indexes = {i["name"] for i in inspector.get_indexes("schema_app_reservation")}
    vendor = connections[orm_alias].vendor
    if vendor == "postgresql":
        assert {"guest_room_unique", "code_once"} <= uniques
    else:
        # As in Django: no deferrable constraints, no NULLS NOT DISTINCT there.
        assert not {"guest_room_unique", "code_once"} & (uniques | indexes)
    assert "guest_incl_idx" in indexes
    assert ("one_active_per_room" in indexes) == (vendor != "mysql")
    if vendor != "sqlite":  # SQLAlchemy doesn't reflect SQLite's expression indexes
        assert ("guest_upper_idx" in indexes) == (vendor != "mysql")


@pytest.mark.usefixtures("using")
def test_database_enforces_constraints(using: str) -> None:
    Reservation.objects.create(room="1", guest="Ann", nights=2, code="a")
    vendor = connections[using].vendor
    # MariaDB's driver raises a CHECK violation (4025) as OperationalError; like Django,
    # it is an IntegrityError here.
    with pytest.raises(IntegrityError):
        with transaction.atomic(using=using):
            Reservation.objects.create(room="2", guest="Bob", nights=0, code="b")
    if vendor != "mysql":
        with pytest.raises(IntegrityError), transaction.atomic(using=using):
            Reservation.objects.create(room="1", guest="Cy", nights=1, code="c")
    Reservation.objects.create(room="1", guest="Dee", nights=1, active=False, code="d")
    assert Reservation.objects.count() == 2


@pytest.mark.usefixtures("using")
def test_model_validation_of_constraints() -> None:
    Reservation.objects.create(room="1", guest="Ann", nights=2, code="A")
    with pytest.raises(ValidationError) as info:
        Reservation(room="2", guest="Bob", nights=40).full_clean()
    error = info.value.error_dict["__all__"][0]
    assert (error.message, error.code) == (
        "Stay between 1 and 30 nights (schema_app_reservation_nights).",
        "nights",
    )
    with pytest.raises(ValidationError, match="Constraint “one_active_per_room” is violated"):
        Reservation(room="1", guest="Cy", nights=1).full_clean()
    Reservation(room="1", guest="Cy", nights=1, active=False).full_clean()
    with pytest.raises(ValidationError) as info:
        Reservation(room="1", guest="Ann", nights=1, active=False).full_clean()
    assert info.value.messages == ["Reservation with this Guest and Room already exists."]
    Reservation(room="1", guest="Ann", nights=1, active=False).full_clean(
        exclude=["guest"], validate_unique=True
    )
    Reservation.objects.create(room="9", guest="Zed", nights=1, code=None)
    with pytest.raises(ValidationError, match="Reservation with this Code already exists"):
        Reservation(room="8", guest="Yu", nights=1, code=None).full_clean()
    existing = Reservation.objects.get(guest="Ann")
    existing.nights = 3
    existing.full_clean()
    Article.objects.create(title="T", author="Ann")
    with pytest.raises(ValidationError) as info:
        Article(title="T", author="ANN").validate_constraints()
    assert info.value.messages == ["Constraint “unique_author_title_ci” is violated."]
    Article(title="T", author="ANN").validate_constraints(exclude={"author"})


def test_constraint_arguments_are_checked() -> None:
    cases: list[tuple[type[Exception], str, Any]] = [
        (TypeError, "missing 1 required keyword-only argument: 'condition'", dict()),
        (TypeError, "must be a Q instance or boolean expression", dict(condition=F("x"))),
    ]
    for exc, message, kwargs in cases:
        with pytest.raises(exc, match=message):
            CheckConstraint(name="c", **kwargs)
    unique_cases: list[tuple[type[Exception], str, tuple[Any, ...], dict[str, Any]]] = [
        (ValueError, "A unique constraint must be named", (), dict(fields=["a"])),
        (ValueError, "At least one field or expression", (), dict(name="u")),
        (ValueError, "mutually exclusive", ("a",), dict(fields=["a"], name="u")),
        (ValueError, "condition must be a Q instance", (), dict(fields=["a"], condition=1)),
        (
            ValueError,
            "with conditions cannot be deferred",
            (),
            dict(fields=["a"], condition=Q(a=1), deferrable=Deferrable.DEFERRED),
        ),
        (
            ValueError,
            "with include fields cannot be deferred",
            (),
            dict(fields=["a"], include=["b"], deferrable=Deferrable.DEFERRED),
        ),
        (
            ValueError,
            "with opclasses cannot be deferred",
            (),
            dict(fields=["a"], opclasses=["x"], deferrable=Deferrable.DEFERRED),
        ),
        (
            ValueError,
            "with expressions cannot be deferred",
            ("a",),
            dict(deferrable=Deferrable.DEFERRED),
        ),
        (ValueError, "opclasses cannot be used with expressions", ("a",), dict(opclasses=["x"])),
        (TypeError, "deferrable must be a Deferrable", (), dict(fields=["a"], deferrable="x")),
        (TypeError, "include must be a list or tuple", (), dict(fields=["a"], include="b")),
        (TypeError, "opclasses must be a list or tuple", (), dict(fields=["a"], opclasses="x")),
        (ValueError, "same number of elements", (), dict(fields=["a"], opclasses=["x", "y"])),
    ]
    for exc, message, args, kwargs in unique_cases:
        kwargs.setdefault("name", "u")
        if message.startswith("A unique constraint"):
            kwargs.pop("name")
        with pytest.raises(exc, match=message):
            UniqueConstraint(*args, **kwargs)
    with pytest.raises(NotImplementedError):
        BaseConstraint(name="b").validate(Reservation, Reservation())
    with pytest.raises(NotImplementedError):
        BaseConstraint(name="b").add_to_table(Reservation, Reservation.__table__)


def test_constraint_equality_repr_and_deconstruct() -> None:
    check = CheckConstraint(check=Q(nights__gt=0), name="positive", violation_error_code="p")
    assert check.check == check.condition
    assert check == CheckConstraint(
        condition=Q(nights__gt=0), name="positive", violation_error_code="p"
    )
    assert check != CheckConstraint(condition=Q(nights__gt=1), name="positive")
    assert check.__eq__(object()) is NotImplemented
    assert hash(check) == hash(check.clone())
    assert repr(check) == "<CheckConstraint: condition=(AND: ('nights__gt', 0)) name='positive'>"
    assert check.deconstruct() == (
        "fastjango.db.models.CheckConstraint",
        (),
        {"name": "positive", "violation_error_code": "p", "condition": Q(nights__gt=0)},
    )
    unique = UniqueConstraint(
        fields=["room"],
        name="u",
        condition=Q(active=True),
        include=["guest"],
        nulls_distinct=False,
        violation_error_message="taken",
    )
    path, args, kwargs = unique.deconstruct()
    assert (path, args) == ("fastjango.db.models.UniqueConstraint", ())
    assert kwargs == {
        "name": "u",
        "fields": ("room",),
        "condition": Q(active=True),
        "include": ("guest",),
        "nulls_distinct": False,
        "violation_error_message": "taken",
    }
    assert unique == unique.clone() and hash(unique) == hash(unique.clone())
    assert unique.__eq__(object()) is NotImplemented
    deferred = UniqueConstraint(
        fields=["a"], name="d", deferrable=Deferrable.IMMEDIATE, opclasses=[]
    )
    assert repr(deferred) == (
        "<UniqueConstraint: fields=('a',) name='d' deferrable=Deferrable.IMMEDIATE>"
    )
    assert deferred.deconstruct()[2]["deferrable"] is Deferrable.IMMEDIATE
    expression = UniqueConstraint(Lower("guest"), "room", name="e", condition=Q(active=True))
    assert expression.contains_expressions and not unique.contains_expressions
    assert repr(expression).startswith("<UniqueConstraint: expressions=(Lower(F(guest)), F(room))")
    assert "condition=(AND: ('active', True))" in repr(expression)
    assert repr(Deferrable.DEFERRED) == "Deferrable.DEFERRED"
    opclass = UniqueConstraint(fields=["room"], name="o", opclasses=["varchar_pattern_ops"])
    assert opclass.deconstruct()[2]["opclasses"] == ["varchar_pattern_ops"]


def test_index_arguments_and_naming() -> None:
    cases: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
        ("must be named to use opclasses", (), dict(fields=["a"], opclasses=["x"])),
        ("condition must be a Q instance", (), dict(fields=["a"], name="i", condition=1)),
        ("must be named to use condition", (), dict(fields=["a"], condition=Q(a=1))),
        ("fields must be a list or tuple", (), dict(fields="a")),
        ("opclasses must be a list or tuple", (), dict(fields=["a"], name="i", opclasses="x")),
        ("At least one field or expression", (), dict()),
        ("mutually exclusive", ("a",), dict(fields=["a"], name="i")),
        ("must be named to use expressions", ("a",), dict()),
        ("opclasses cannot be used with expressions", ("a",), dict(name="i", opclasses=["x"])),
        ("same number of elements", (), dict(fields=["a"], name="i", opclasses=["x", "y"])),
        ("only strings with field names", (), dict(fields=[1])),
        ("covering index must be named", (), dict(fields=["a"], include=["b"])),
        ("include must be a list or tuple", (), dict(fields=["a"], name="i", include="b")),
    ]
    for message, args, kwargs in cases:
        with pytest.raises(ValueError, match=message):
            Index(*args, **kwargs)
    auto = [i for i in Article._meta.indexes if i.fields == ["author", "-score"]][0]
    digest = names_digest("fields_app_article", "author", "-score", "idx", length=6)
    assert auto.name == f"fields_app__author_{digest}_idx"
    assert len(auto.name) <= 30
    index = Index(fields=["-nights", "room"], name="i", include=["guest"], db_tablespace="t")
    assert index.fields_orders == [("nights", "DESC"), ("room", "")]
    assert index.deconstruct() == (
        "fastjango.db.models.Index",
        (),
        {"name": "i", "fields": ["-nights", "room"], "db_tablespace": "t", "include": ("guest",)},
    )
    assert index == index.clone() and hash(index) == hash(index.clone())
    assert index.__eq__(object()) is NotImplemented
    assert repr(index) == "<Index: fields=['-nights', 'room'] name='i'>"
    partial = Index(Lower("guest"), name="p", condition=Q(active=True), opclasses=[])
    assert partial.contains_expressions
    assert (
        repr(partial)
        == "<Index: expressions=(Lower(F(guest)),) name='p' condition=(AND: ('active', True))>"
    )
    assert partial.deconstruct()[2]["condition"] == Q(active=True)
    ops = Index(fields=["room"], name="o", opclasses=["varchar_pattern_ops"])
    assert ops.deconstruct()[2]["opclasses"] == ["varchar_pattern_ops"]
    unnamed = Index(fields=["room"])
    unnamed.set_name_with_model(Reservation)
    assert unnamed.name.startswith("schema_app__room_") and unnamed.name.endswith("_idx")
    leading = Index(fields=["room"])

    class _Meta:
        db_table = "_t"

        @staticmethod
        def get_field(name: str) -> Any:
            return Reservation._meta.get_field(name)

    class Fake:
        _meta = _Meta

    leading.set_name_with_model(Fake)
    assert leading.name.startswith("D")
    long_suffix = Index(fields=["room"])
    long_suffix.suffix = "x" * 20
    with pytest.raises(ValueError, match="Index too long for multiple database support"):
        long_suffix.set_name_with_model(Reservation)


def test_index_and_constraint_names_from_metadata() -> None:
    long_table = "t" * 60
    name = create_index_name(long_table, ["column_a", "column_b"], suffix="_fk")
    assert len(name) <= 63 and name.endswith("_fk")
    assert create_index_name("app_model", ["a"]).startswith("app_model_a_")
    assert "schema_app_reservation" in metadata.tables
    assert Reservation.c.nights is Reservation.__table__.c.nights


def test_indexes_and_constraints_are_per_model_copies() -> None:
    shared = Index(fields=["name"], name="%(app_label)s_%(class)s_name")

    class Base(models.Model):
        name = models.CharField(max_length=10)

        class Meta:
            abstract = True
            app_label = "schema_app"
            indexes = [shared]
            constraints = [
                CheckConstraint(condition=~Q(name=""), name="%(app_label)s_%(class)s_named")
            ]

    class First(Base):
        class Meta(Base.Meta):
            pass

    class Second(Base):
        class Meta(Base.Meta):
            pass

    assert [i.name for i in First._meta.indexes] == ["schema_app_first_name"]
    assert [i.name for i in Second._meta.indexes] == ["schema_app_second_name"]
    assert [c.name for c in Second._meta.constraints] == ["schema_app_second_named"]
    for model in (First, Second):
        metadata.remove(model.__table__)
