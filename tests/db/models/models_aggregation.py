"""The models of Django's "Aggregation" documentation (app ``aggregation``)."""

from __future__ import annotations

from fastjango.db import models


class Author(models.Model):
    name = models.CharField(max_length=100)
    age = models.IntegerField()

    class Meta:
        app_label = "aggregation"

    def __str__(self) -> str:
        return self.name


class Publisher(models.Model):
    name = models.CharField(max_length=300)

    class Meta:
        app_label = "aggregation"

    def __str__(self) -> str:
        return self.name


class Book(models.Model):
    name = models.CharField(max_length=300)
    pages = models.IntegerField()
    price = models.DecimalField(max_digits=10, decimal_places=2)
    rating = models.FloatField()
    authors = models.ManyToManyField(Author)
    publisher = models.ForeignKey(Publisher, on_delete=models.CASCADE)
    pubdate = models.DateField()

    class Meta:
        app_label = "aggregation"

    def __str__(self) -> str:
        return self.name


class Store(models.Model):
    name = models.CharField(max_length=300)
    books = models.ManyToManyField(Book)

    class Meta:
        app_label = "aggregation"

    def __str__(self) -> str:
        return self.name
