"""Django's "Multi-table inheritance" (Models topic): Place/Restaurant, run on every backend."""

from __future__ import annotations

from typing import Any

import pytest

from fastjango.core.exceptions import FieldError, ValidationError
from fastjango.db import connections, models
from fastjango.db.models import Count, Max, signals
from fastjango.test.utils import CaptureQueriesContext
from tests.db.models.models_inheritance import (
    Bar,
    Chef,
    ItalianRestaurant,
    Place,
    Restaurant,
    RestaurantProxy,
    Review,
    Supplier,
    UniqueBase,
    UniqueChild,
)
from tests.db.models.models_relations import Place as PlainPlace
from tests.db.models.models_relations import Restaurant as OneToOneRestaurant

pytestmark = pytest.mark.usefixtures("using")


def statements(ctx: CaptureQueriesContext) -> list[str]:
    return [q["sql"].split()[0].upper() for q in ctx.captured_queries]


def make(name: str = "Bob's Cafe", **kwargs: Any) -> Restaurant:
    return Restaurant.objects.create(name=name, address=f"{name} street", **kwargs)


# -- _meta -------------------------------------------------------------------------------


def test_parent_link_is_the_primary_key() -> None:
    ptr = Restaurant._meta.get_field("place_ptr")
    assert isinstance(ptr, models.OneToOneField)
    assert ptr.remote_field.parent_link and ptr.auto_created and ptr.primary_key
    assert ptr.remote_field.on_delete is models.CASCADE
    assert ptr.related_model is Place
    assert Restaurant._meta.pk is ptr
    assert Restaurant._meta.parents == {Place: ptr}
    assert Restaurant._meta.get_parent_list() == [Place]
    assert Restaurant._meta.get_ancestor_link(Place) is ptr
    assert Restaurant._meta.get_ancestor_link(Chef) is None
    assert Place._meta.parents == {} and Place._meta.get_parent_list() == []


def test_field_lists_as_django_orders_them() -> None:
    assert [f.name for f in Restaurant._meta.fields] == [
        "id",
        "name",
        "address",
        "place_ptr",
        "serves_hot_dogs",
        "serves_pizza",
    ]
    assert [f.attname for f in Restaurant._meta.concrete_fields][3] == "place_ptr_id"
    assert [f.name for f in Restaurant._meta.local_fields] == [
        "place_ptr",
        "serves_hot_dogs",
        "serves_pizza",
    ]
    assert Restaurant._meta.get_field("name") is Place._meta.get_field("name")
    assert Restaurant._meta.get_field("name").model is Place
    names = [f.name for f in Restaurant._meta.get_fields()]
    assert names.index("reviews") < names.index("id") < names.index("place_ptr")
    assert "restaurant" not in names  # the parent's reverse parent link isn't the child's
    assert [f.name for f in Restaurant._meta.get_fields(include_parents=False)] == [
        "italianrestaurant",
        "provider",
        "trattoria",
        "place_ptr",
        "serves_hot_dogs",
        "serves_pizza",
    ]
    # The child's table holds its own columns and the link only.
    assert list(Restaurant.__table__.c.keys()) == [
        "place_ptr_id",
        "serves_hot_dogs",
        "serves_pizza",
    ]


def test_multi_level_and_declared_parent_link() -> None:
    meta = ItalianRestaurant._meta
    assert meta.get_parent_list() == [Restaurant, Place]
    assert meta.pk.name == "restaurant_ptr"
    assert meta.get_ancestor_link(Place) is meta.get_field("restaurant_ptr")
    assert meta.get_base_chain(Place) == [Restaurant, Place]
    assert [p.join_field.name for p in meta.get_path_to_parent(Place)] == [
        "restaurant_ptr",
        "place_ptr",
    ]
    assert [p.to_opts.model for p in meta.get_path_from_parent(Place)] == [
        Restaurant,
        ItalianRestaurant,
    ]
    assert meta.get_path_to_parent(ItalianRestaurant) == []
    assert Supplier._meta.pk.name == "spot"
    assert Supplier._meta.parents == {Place: Supplier._meta.get_field("spot")}
    assert "place_ptr" not in [f.name for f in Supplier._meta.fields]


def test_ancestry_queries_on_models_that_are_not_ancestors() -> None:
    assert Restaurant._meta.get_base_chain(Chef) == []
    assert Place._meta.get_base_chain(Restaurant) == []
    assert Restaurant._meta.get_path_from_parent(Restaurant) == []
    assert Restaurant._meta.get_path_to_parent(Chef) == []


def test_abstract_model_between_parent_and_child() -> None:
    link = Bar._meta.get_field("place_ptr")
    assert link.model is Bar and Bar._meta.pk is link
    assert Bar._meta.parents == {Place: link}
    assert [f.name for f in Bar._meta.local_fields] == ["place_ptr", "happy_hour"]
    bar = Bar.objects.create(name="Moe's", happy_hour=True)
    assert Place.objects.get().bar == bar
    assert Bar.objects.filter(name="Moe's", happy_hour=True).count() == 1


def test_meta_inheritance_rules() -> None:
    # Ordering and get_latest_by come from the parent unless set; the rest of Meta doesn't.
    assert Restaurant._meta.ordering == ["name"]
    assert Restaurant._meta.get_latest_by == "name"
    assert ItalianRestaurant._meta.ordering == ["-name"]
    assert Restaurant._meta.verbose_name == "restaurant"
    assert Restaurant._meta.db_table == "inheritance_restaurant"
    assert issubclass(Restaurant.DoesNotExist, Place.DoesNotExist)
    assert issubclass(Restaurant.MultipleObjectsReturned, Place.MultipleObjectsReturned)


def test_field_clashes_raise_field_error() -> None:
    with pytest.raises(FieldError, match="Local field 'name' in class 'Diner' clashes with field"):

        class Diner(Place):
            name = models.CharField(max_length=10)

            class Meta:
                app_label = "inheritance"

    with pytest.raises(FieldError, match="Auto-generated field 'place_ptr' in class 'Cafe'"):

        class Cafe(Place):
            place_ptr = models.IntegerField()

            class Meta:
                app_label = "inheritance"


class Trattoria(Restaurant):
    """Redeclares a grandparent's field: only the system check can see it."""

    address = models.CharField(max_length=10)

    class Meta:
        app_label = "inheritance_checks"


def test_check_reports_a_clash_with_a_grandparent_field() -> None:
    errors = [e for e in Trattoria.check() if e.id == "models.E006"]
    assert [e.msg for e in errors] == [
        "The field 'address' clashes with the field 'address' from model 'inheritance.place'."
    ]
    assert [e.id for e in ItalianRestaurant.check()] == []


# -- writing ----------------------------------------------------------------------------


def test_create_inserts_the_parent_then_the_child_in_one_transaction(using: str) -> None:
    with CaptureQueriesContext(connections[using]) as ctx:
        restaurant = Restaurant.objects.create(name="Bob's Cafe", serves_pizza=True)
    assert statements(ctx).count("INSERT") == 2
    inserts = [q["sql"] for q in ctx.captured_queries if q["sql"].upper().startswith("INSERT")]
    assert "inheritance_place" in inserts[0] and "inheritance_restaurant" in inserts[1]
    assert restaurant.pk == restaurant.id == restaurant.place_ptr_id
    place = Place.objects.get()
    assert place.name == "Bob's Cafe" and place.pk == restaurant.pk
    assert list(Restaurant.objects.values_list("serves_pizza", flat=True)) == [True]


def test_save_updates_both_tables_and_update_fields(using: str) -> None:
    restaurant = make()
    restaurant.name = "Renamed"
    restaurant.serves_hot_dogs = True
    with CaptureQueriesContext(connections[using]) as ctx:
        restaurant.save()
    assert statements(ctx).count("UPDATE") == 2
    fetched = Restaurant.objects.get()
    assert (fetched.name, fetched.serves_hot_dogs) == ("Renamed", True)
    restaurant.name = "Ignored"
    restaurant.address = "New"
    restaurant.serves_pizza = True
    restaurant.serves_hot_dogs = False
    restaurant.save(update_fields=["address", "serves_pizza"])
    restaurant.refresh_from_db()
    assert (restaurant.name, restaurant.address) == ("Renamed", "New")
    assert (restaurant.serves_pizza, restaurant.serves_hot_dogs) == (True, True)
    # Only the child's fields: the parent's row isn't touched.
    with CaptureQueriesContext(connections[using]) as ctx:
        restaurant.save(update_fields=["serves_pizza"])
    assert statements(ctx).count("UPDATE") == 1


def test_force_insert_tuple_is_validated() -> None:
    restaurant = Restaurant(name="x")
    with pytest.raises(TypeError, match="force_insert must be a bool or tuple"):
        restaurant.save(force_insert=[Place])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Invalid force_insert member. Chef must be a base of"):
        restaurant.save(force_insert=(Chef,))
    with pytest.raises(TypeError, match="must be a model subclass"):
        restaurant.save(force_insert=(int,))
    restaurant.save(force_insert=(Place,))
    assert Restaurant.objects.get().pk == restaurant.pk


def test_saving_a_child_for_an_existing_parent() -> None:
    place = Place.objects.create(name="Demon Dogs", address="944 W. Fullerton")
    restaurant = Restaurant(place_ptr=place, name=place.name, address=place.address)
    assert restaurant.id == place.pk
    restaurant.save()
    assert Place.objects.count() == 1
    assert Place.objects.get().restaurant.pk == place.pk
    # Only the link's id: the parent's key follows it on save().
    other = Place.objects.create(name="Other", address="there")
    by_id = Restaurant(place_ptr_id=other.pk, name="Other", address="there")
    assert by_id.id is None
    by_id.save()
    assert by_id.id == other.pk
    assert Place.objects.count() == 2 and Restaurant.objects.count() == 2


def test_bulk_create_is_refused() -> None:
    with pytest.raises(ValueError, match="Can't bulk create a multi-table inherited model"):
        Restaurant.objects.bulk_create([Restaurant(name="a")])
    assert Place.objects.bulk_create([Place(name="a")])[0].name == "a"


def test_update_runs_one_statement_per_table(using: str) -> None:
    make("a")
    make("b")
    Place.objects.create(name="c")
    with CaptureQueriesContext(connections[using]) as ctx:
        count = Restaurant.objects.filter(name="a").update(name="A", serves_pizza=True)
    assert count == 1
    assert statements(ctx).count("UPDATE") == 2
    assert list(Restaurant.objects.values_list("name", "serves_pizza")) == [
        ("A", True),
        ("b", False),
    ]
    assert Restaurant.objects.update(address="same") == 2
    assert Place.objects.filter(address="same").count() == 2
    assert Restaurant.objects.filter(name="zzz").update(name="none", serves_pizza=True) == 0
    assert Restaurant.objects.update(serves_hot_dogs=True) == 2
    with pytest.raises(TypeError, match="Cannot update a query once a slice has been taken"):
        Restaurant.objects.all()[:1].update(name="x", serves_pizza=True)
    assert Restaurant.objects.filter(pk__in=[]).update(name="x", serves_pizza=True) == 0
    italian = ItalianRestaurant.objects.create(name="It", serves_gnocchi=False)
    assert (
        ItalianRestaurant.objects.update(name="Ital", serves_pizza=True, serves_gnocchi=True) == 1
    )
    italian.refresh_from_db()
    assert (italian.name, italian.serves_pizza, italian.serves_gnocchi) == ("Ital", True, True)


def test_bulk_update_across_tables(using: str) -> None:
    a, b = make("a"), make("b")
    a.name, a.serves_pizza = "A", True
    b.address, b.serves_hot_dogs = "B street", True
    with CaptureQueriesContext(connections[using]) as ctx:
        count = Restaurant.objects.bulk_update([a, b], ["name", "address", "serves_pizza"])
    assert count == 2
    assert statements(ctx).count("UPDATE") == 2
    assert list(Restaurant.objects.values_list("name", "address", "serves_pizza")) == [
        ("A", "a street", True),
        ("b", "B street", False),
    ]
    assert Restaurant.objects.bulk_update([a, b], ["address"]) == 2


def test_delete_removes_child_then_parent_rows_with_signals(using: str) -> None:
    restaurant = make()
    Review.objects.create(place=restaurant, stars=5)
    other = make("other")
    sent: list[tuple[str, str]] = []

    def pre(sender: Any, instance: Any, **kwargs: Any) -> None:
        sent.append(("pre", sender.__name__))

    def post(sender: Any, instance: Any, **kwargs: Any) -> None:
        sent.append(("post", sender.__name__))

    signals.pre_delete.connect(pre)
    signals.post_delete.connect(post)
    try:
        with CaptureQueriesContext(connections[using]) as ctx:
            result = restaurant.delete()
    finally:
        signals.pre_delete.disconnect(pre)
        signals.post_delete.disconnect(post)
    assert result == (
        3,
        {"inheritance.Review": 1, "inheritance.Restaurant": 1, "inheritance.Place": 1},
    )
    deletes = [q["sql"] for q in ctx.captured_queries if q["sql"].upper().startswith("DELETE")]
    tables = [
        next(t for t in ("review", "restaurant", "place") if f"inheritance_{t}" in sql)
        for sql in deletes
    ]
    # Rows referring to the parent's go before it, the child's before its parent's.
    assert tables.index("restaurant") < tables.index("place")
    assert tables.index("review") < tables.index("place") and len(tables) == 3
    assert ("post", "Restaurant") in sent and ("post", "Place") in sent
    assert sent.index(("post", "Restaurant")) < sent.index(("post", "Place"))
    assert list(Place.objects.all()) == [other.place_ptr]
    assert Restaurant.objects.filter(name="other").delete() == (
        2,
        {"inheritance.Restaurant": 1, "inheritance.Place": 1},
    )
    assert Place.objects.count() == 0


def test_delete_keep_parents_and_deleting_the_parent() -> None:
    restaurant = make()
    Review.objects.create(place=restaurant)
    assert restaurant.delete(keep_parents=True) == (1, {"inheritance.Restaurant": 1})
    place = Place.objects.get()
    assert Review.objects.count() == 1
    with pytest.raises(Restaurant.DoesNotExist):
        place.restaurant  # noqa: B018
    italian = ItalianRestaurant.objects.create(name="It")
    deleted = Place.objects.filter(pk=italian.pk).delete()
    assert deleted[1] == {
        "inheritance.ItalianRestaurant": 1,
        "inheritance.Restaurant": 1,
        "inheritance.Place": 1,
    }


# -- reading ----------------------------------------------------------------------------


def test_filter_and_order_by_parent_fields() -> None:
    make("Bob's Cafe")
    make("Alice's", serves_pizza=True)
    Place.objects.create(name="Park")
    assert [r.name for r in Restaurant.objects.filter(name="Bob's Cafe")] == ["Bob's Cafe"]
    assert [r.name for r in Restaurant.objects.all()] == ["Alice's", "Bob's Cafe"]  # Meta.ordering
    assert [r.name for r in Restaurant.objects.order_by("-address")] == ["Bob's Cafe", "Alice's"]
    assert Restaurant.objects.count() == 2 and Place.objects.count() == 3
    assert Restaurant.objects.filter(name__startswith="A", serves_pizza=True).exists()
    assert Restaurant.objects.latest().name == "Bob's Cafe"
    assert [p.name for p in Place.objects.filter(restaurant__serves_pizza=True)] == ["Alice's"]
    assert [p.name for p in Place.objects.filter(restaurant__isnull=True)] == ["Park"]
    assert Restaurant.objects.get(pk=Place.objects.get(name="Alice's").pk).serves_pizza
    assert Restaurant.objects.filter(id=Restaurant.objects.get(name="Alice's").id).count() == 1


def test_values_only_defer_and_aggregates(using: str) -> None:
    a = make("a", serves_pizza=True)
    make("b")
    assert list(Restaurant.objects.values("name", "serves_pizza")) == [
        {"name": "a", "serves_pizza": True},
        {"name": "b", "serves_pizza": False},
    ]
    assert list(Restaurant.objects.values_list("address", flat=True)) == ["a street", "b street"]
    row = Restaurant.objects.values().get(name="a")
    assert row == {
        "id": a.pk,
        "name": "a",
        "address": "a street",
        "place_ptr_id": a.pk,
        "serves_hot_dogs": False,
        "serves_pizza": True,
    }
    only = Restaurant.objects.only("name").get(name="a")
    assert only.get_deferred_fields() == {"id", "address", "serves_hot_dogs", "serves_pizza"}
    with CaptureQueriesContext(connections[using]) as ctx:
        assert only.id == a.pk  # the parent's key is the loaded link: no query
    assert len(ctx) == 0
    assert only.address == "a street"
    deferred = Restaurant.objects.defer("address", "serves_pizza").get(name="a")
    assert deferred.get_deferred_fields() == {"address", "serves_pizza"}
    assert deferred.serves_pizza is True
    assert Restaurant.objects.aggregate(n=Count("name"), top=Max("name")) == {"n": 2, "top": "b"}
    counted = Place.objects.annotate(n=Count("reviews")).filter(restaurant__isnull=False)
    assert [p.n for p in counted] == [0, 0]


def test_reverse_accessor_and_parent_link_object(using: str) -> None:
    restaurant = make()
    park = Place.objects.create(name="Park")
    place = Place.objects.get(name="Bob's Cafe")
    assert place.restaurant == restaurant
    assert isinstance(place.restaurant, Restaurant)
    with pytest.raises(Restaurant.DoesNotExist, match="Place has no restaurant"):
        park.restaurant  # noqa: B018
    fetched = Restaurant.objects.get()
    with CaptureQueriesContext(connections[using]) as ctx:
        parent = fetched.place_ptr
    assert len(ctx) == 0  # built from the child's own fields
    assert type(parent) is Place and parent.name == "Bob's Cafe" and parent.pk == fetched.pk
    partial = Restaurant.objects.only("serves_pizza").get()
    assert partial.place_ptr.address == "Bob's Cafe street"


def test_annotations_and_plain_one_to_one_fields_on_the_side() -> None:
    make("a")
    annotated = Restaurant.objects.annotate(two=models.Value(2)).filter(two=2, name="a")
    assert [r.name for r in annotated] == ["a"]
    # A one-to-one field that isn't a parent link still loads its object with a query.
    place = PlainPlace.objects.create(name="Demon Dogs", address="944 W. Fullerton")
    OneToOneRestaurant.objects.create(place=place)
    assert OneToOneRestaurant.objects.get().place == place


def test_equality_between_parent_and_child() -> None:
    restaurant = make()
    place = Place.objects.get()
    assert place.pk == restaurant.pk
    assert place != restaurant and restaurant != place
    assert Restaurant.objects.get() == restaurant
    assert ItalianRestaurant(pk=restaurant.pk) != restaurant


def test_select_related_and_prefetch(using: str) -> None:
    chef = Chef.objects.create(name="Mario")
    ItalianRestaurant.objects.create(name="It", chef=chef, serves_gnocchi=True)
    make("Plain")
    with CaptureQueriesContext(connections[using]) as ctx:
        italian = ItalianRestaurant.objects.select_related("chef").get()
        assert (italian.name, italian.chef.name, italian.serves_gnocchi) == ("It", "Mario", True)
        places = {p.name: p for p in Place.objects.select_related("restaurant")}
        assert places["Plain"].restaurant.name == "Plain"
        assert places["It"].restaurant.serves_pizza is False
    assert len(ctx) == 2
    chefs = Chef.objects.prefetch_related("restaurants")
    assert [r.name for r in chefs[0].restaurants.all()] == ["It"]
    assert [p.name for p in Place.objects.filter(restaurant__italianrestaurant__chef=chef)] == [
        "It"
    ]
    assert [r.name for r in Restaurant.objects.filter(italianrestaurant__chef__name="Mario")] == [
        "It"
    ]


def test_child_with_many_to_many_and_foreign_keys() -> None:
    a = make("a")
    supplier = Supplier.objects.create(name="Supplies", address="dock")
    supplier.customers.add(a)
    assert supplier.pk == supplier.spot_id == supplier.id
    assert [r.name for r in Supplier.objects.get().customers.all()] == ["a"]
    assert [s.name for s in a.provider.all()] == ["Supplies"]
    assert Place.objects.get(name="Supplies").supplier_of == supplier
    assert Supplier.objects.filter(customers__name="a").count() == 1
    review = Review.objects.create(place=supplier)
    assert review.place_id == supplier.pk
    assert [r.stars for r in Review.objects.filter(place__supplier_of__name="Supplies")] == [3]


def test_proxy_of_a_child() -> None:
    assert RestaurantProxy._meta.get_parent_list() == [Restaurant, Place]
    assert RestaurantProxy._meta.parents == {Restaurant: None}
    make("a")
    proxied = RestaurantProxy.objects.get(name="a")
    assert isinstance(proxied, RestaurantProxy) and proxied.address == "a street"
    proxied.name = "b"
    proxied.save()
    assert Place.objects.get().name == "b"
    with pytest.raises(ValueError, match="Can't bulk create a multi-table inherited model"):
        RestaurantProxy.objects.bulk_create([RestaurantProxy(name="x")])
    assert RestaurantProxy.objects.update(name="c") == 1


def test_full_clean_and_validate_unique_cover_inherited_fields() -> None:
    UniqueChild.objects.create(code="A1")
    duplicate = UniqueChild(code="A1")
    with pytest.raises(ValidationError) as info:
        duplicate.full_clean()
    assert info.value.message_dict == {"code": ["Unique base with this Code already exists."]}
    with pytest.raises(ValidationError):
        UniqueChild(code="A1").validate_unique()
    UniqueChild(code="B2").validate_unique()
    existing = UniqueChild.objects.get()
    existing.full_clean()  # its own row doesn't count
    with pytest.raises(ValidationError) as info:
        Restaurant(name="x" * 51).full_clean()
    assert set(info.value.message_dict) == {"name", "address"}
    assert UniqueBase.objects.count() == 1
