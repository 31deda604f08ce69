"""Multi-table inheritance from async code: the async twins write and read both tables."""

from __future__ import annotations

import pytest

from fastjango.core.exceptions import SynchronousOnlyOperation
from tests.db.models.models_inheritance import Place, Restaurant

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("ausing")]


async def test_async_twins() -> None:
    restaurant = await Restaurant.objects.acreate(name="Async", serves_pizza=True)
    assert await Place.objects.acount() == 1
    fetched = await Restaurant.objects.aget(name="Async")
    assert fetched.pk == restaurant.pk and fetched.serves_pizza
    assert fetched.place_ptr.name == "Async"  # no query: allowed in async code
    fetched.address = "there"
    fetched.serves_hot_dogs = True
    await fetched.asave()
    await fetched.asave(update_fields=["address"])
    await restaurant.arefresh_from_db()
    assert (restaurant.address, restaurant.serves_hot_dogs) == ("there", True)
    assert [r.name async for r in Restaurant.objects.filter(address="there")] == ["Async"]
    assert await Restaurant.objects.aupdate(name="Renamed", serves_pizza=False) == 1
    assert await Place.objects.filter(name="Renamed").aexists()
    with pytest.raises(ValueError, match="Can't bulk create"):
        await Restaurant.objects.abulk_create([Restaurant(name="x")])
    assert await restaurant.adelete() == (
        2,
        {"inheritance.Restaurant": 1, "inheritance.Place": 1},
    )
    await Restaurant.objects.acreate(name="Again")
    assert (await Restaurant.objects.all().adelete())[0] == 2
    assert await Place.objects.acount() == 0


async def test_async_parent_link_needs_loaded_fields() -> None:
    await Restaurant.objects.acreate(name="Async")
    partial = await Restaurant.objects.only("serves_pizza").aget()
    with pytest.raises(SynchronousOnlyOperation, match="select_related"):
        partial.place_ptr  # noqa: B018
    assert partial.id == partial.pk  # the parent's key is the link: no query
    await partial.arefresh_from_db(fields=["name"])
    assert partial.name == "Async"
    assert [r.pk async for r in Restaurant.objects.filter(place_ptr__name="Async")] == [partial.pk]
