"""Migrations of a multi-table inheritance child: its table holds its fields and the parent link."""

from __future__ import annotations

import sqlalchemy as sa

from fastjango.apps import apps
from fastjango.db import connections
from tests.db.migrations.support import Project, run

PLACES = """
class Place(models.Model):
    name = models.CharField(max_length=50)
    address = models.CharField(max_length=80)


class Restaurant(Place):
    serves_hot_dogs = models.BooleanField(default=False)
    serves_pizza = models.BooleanField(default=False)
"""


def test_child_table_is_migrated(project: Project, backend: str) -> None:
    project.app("places")
    project.orm_models("places", PLACES)
    project.install("places")

    out = run("makemigrations", "places")
    assert "+ Create model Place" in out
    assert "+ Create model Restaurant" in out
    source = project.migration_source("places", project.migrations("places")[0])
    # The child's table: the pointer column (primary key, foreign key to the parent) and
    # its own fields, none of the parent's.
    restaurant = source[source.index("op.create_table('places_restaurant'") :]
    restaurant = restaurant[: restaurant.index("\n    )\n")]
    assert "sa.Column('place_ptr_id', sa.Integer()" in restaurant
    assert "sa.ForeignKeyConstraint(['place_ptr_id'], ['places_place.id']" in restaurant
    assert "sa.PrimaryKeyConstraint('place_ptr_id'" in restaurant
    assert "'serves_pizza'" in restaurant
    assert "'name'" not in restaurant and "'address'" not in restaurant
    # The parent's table is created first.
    assert source.index("'places_place'") < source.index("'places_restaurant'")

    run("migrate")
    with connections["default"].connect() as conn:
        inspector = sa.inspect(conn)
        columns = {c["name"] for c in inspector.get_columns("places_restaurant")}
        pk = inspector.get_pk_constraint("places_restaurant")["constrained_columns"]
        fks = inspector.get_foreign_keys("places_restaurant")
    assert columns == {"place_ptr_id", "serves_hot_dogs", "serves_pizza"}
    assert pk == ["place_ptr_id"]
    assert [(fk["constrained_columns"], fk["referred_table"]) for fk in fks] == [
        (["place_ptr_id"], "places_place")
    ]
    assert "No changes detected" in run("makemigrations", "--dry-run", verbosity=3)

    Restaurant = apps.get_model("places", "Restaurant")
    Place = apps.get_model("places", "Place")
    restaurant_obj = Restaurant.objects.create(name="Bob's Cafe", serves_pizza=True)
    assert Place.objects.get().restaurant == restaurant_obj
    assert list(Restaurant.objects.values_list("name", "serves_pizza")) == [("Bob's Cafe", True)]
