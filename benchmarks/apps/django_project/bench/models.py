"""World (the HTTP rows) and Author/Book (the ORM suite's join), written the Django way."""

from __future__ import annotations

from typing import Any

from django.db import models


class World(models.Model):
    id = models.BigAutoField(primary_key=True)
    title = models.CharField(max_length=100)
    author = models.CharField(max_length=100)
    pages = models.IntegerField()

    class Meta:
        app_label = "bench"

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "author": self.author, "pages": self.pages}


class Author(models.Model):
    id = models.BigAutoField(primary_key=True)
    name = models.CharField(max_length=100)

    class Meta:
        app_label = "bench"


class Book(models.Model):
    id = models.BigAutoField(primary_key=True)
    title = models.CharField(max_length=100)
    pages = models.IntegerField()
    author = models.ForeignKey(Author, on_delete=models.CASCADE)

    class Meta:
        app_label = "bench"
