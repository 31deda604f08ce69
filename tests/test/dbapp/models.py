"""Models of the database test tools' tests."""

from __future__ import annotations

from fastjango.db import models


class Person(models.Model):
    name = models.CharField(max_length=50)

    class Meta:
        app_label = "dbapp"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Pet(models.Model):
    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="pets")
    name = models.CharField(max_length=50, unique=True)

    class Meta:
        app_label = "dbapp"
