"""Checked by mypy --strict (see test_typing.py): models typed without a plugin."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, reveal_type

from fastjango.db import models

__all__ = ["Author", "Book", "reveal"]


class Author(models.Model):
    name = models.CharField(max_length=100)
    born = models.DateField(null=True)

    class Meta:
        app_label = "typing_app"


class BookQuerySet(models.QuerySet["Book"]):
    def cheap(self) -> BookQuerySet:
        return self.filter(price__lt=10)


class Book(models.Model):
    title = models.CharField(max_length=100)
    pub_date = models.DateTimeField()
    pages = models.IntegerField(default=0)
    price = models.DecimalField(max_digits=6, decimal_places=2)
    rating = models.FloatField(null=True)
    in_print = models.BooleanField(default=True)
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
    editor = models.ForeignKey(Author, null=True, on_delete=models.SET_NULL, related_name="+")

    shelf = BookQuerySet.as_manager()

    class Meta:
        app_label = "typing_app"


def reveal() -> None:
    """Not called: mypy reads the reveal_type() lines."""
    if TYPE_CHECKING:
        book = Book.objects.get(pk=1)
        reveal_type(book)
        reveal_type(book.title)
        reveal_type(book.pub_date)
        reveal_type(book.pages)
        reveal_type(book.price)
        reveal_type(book.rating)
        reveal_type(book.in_print)
        reveal_type(book.author)
        reveal_type(book.editor)
        reveal_type(book.pk)
        reveal_type(Book.objects.filter())
        reveal_type(Book.objects.all().first())
        reveal_type(Book.objects.values_list("title", flat=True))
        reveal_type(Book.title)
        reveal_type(Author().born)

        async def use_async() -> None:
            reveal_type(await Book.objects.aget(pk=1))
            reveal_type(await Book.objects.filter().afirst())
            reveal_type(await Book.objects.acount())
            async for item in Book.objects.all():
                reveal_type(item)

        book.title = "x"
        book.pub_date = datetime.datetime.now()
        book.price = Decimal("1")
