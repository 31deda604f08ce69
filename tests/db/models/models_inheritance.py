"""Multi-table inheritance: Django's Place/Restaurant example and more (app ``inheritance``)."""

from __future__ import annotations

from fastjango.db import models


class Place(models.Model):
    name = models.CharField(max_length=50)
    address = models.CharField(max_length=80)

    class Meta:
        app_label = "inheritance"
        ordering = ["name"]
        get_latest_by = "name"
        verbose_name = "spot"

    def __str__(self) -> str:
        return f"{self.name} the place"


class Restaurant(Place):
    serves_hot_dogs = models.BooleanField(default=False)
    serves_pizza = models.BooleanField(default=False)

    class Meta:
        app_label = "inheritance"

    def __str__(self) -> str:
        return f"{self.name} the restaurant"


class RestaurantProxy(Restaurant):
    class Meta:
        proxy = True
        app_label = "inheritance"


class ItalianRestaurant(Restaurant):
    serves_gnocchi = models.BooleanField(default=False)
    chef = models.ForeignKey(
        "Chef", models.SET_NULL, null=True, blank=True, related_name="restaurants"
    )

    class Meta:
        app_label = "inheritance"
        ordering = ["-name"]


class Chef(models.Model):
    name = models.CharField(max_length=50, unique=True)

    class Meta:
        app_label = "inheritance"


class Review(models.Model):
    place = models.ForeignKey(Place, models.CASCADE, related_name="reviews")
    stars = models.IntegerField(default=3)

    class Meta:
        app_label = "inheritance"


class Supplier(Place):
    """A child with its own parent link (not the automatic ``place_ptr``)."""

    spot = models.OneToOneField(
        Place, models.CASCADE, parent_link=True, primary_key=True, related_name="supplier_of"
    )
    customers = models.ManyToManyField(Restaurant, related_name="provider", blank=True)

    class Meta:
        app_label = "inheritance"


class AbstractBar(Place):
    """An abstract model under a concrete one: its children get the parent link."""

    happy_hour = models.BooleanField(default=False)

    class Meta:
        abstract = True


class Bar(AbstractBar):
    class Meta:
        app_label = "inheritance"


class UniqueBase(models.Model):
    code = models.CharField(max_length=10, unique=True)

    class Meta:
        app_label = "inheritance"


class UniqueChild(UniqueBase):
    extra = models.CharField(max_length=10, blank=True)

    class Meta:
        app_label = "inheritance"
