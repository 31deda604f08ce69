"""Models exercising every field type and model option (app ``fields_app``)."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from fastjango.core.validators import MinValueValidator
from fastjango.db import models


class Size(models.TextChoices):
    SMALL = "S", "Small"
    MEDIUM = "M", "Medium"
    LARGE = "L"


class Priority(models.IntegerChoices):
    LOW = 1, "Low"
    HIGH = 2, "High"


class Everything(models.Model):
    char = models.CharField(max_length=20, default="")
    text = models.TextField(blank=True)
    integer = models.IntegerField(default=0)
    big = models.BigIntegerField(null=True)
    small = models.SmallIntegerField(null=True)
    positive = models.PositiveIntegerField(null=True)
    positive_small = models.PositiveSmallIntegerField(null=True)
    positive_big = models.PositiveBigIntegerField(null=True)
    floating = models.FloatField(null=True)
    decimal = models.DecimalField(max_digits=8, decimal_places=3, null=True)
    boolean = models.BooleanField(default=False)
    nullable_boolean = models.BooleanField(null=True)
    date = models.DateField(null=True)
    datetime = models.DateTimeField(null=True)
    time = models.TimeField(null=True)
    duration = models.DurationField(null=True)
    uuid = models.UUIDField(null=True)
    email = models.EmailField(blank=True)
    url = models.URLField(blank=True)
    slug = models.SlugField(blank=True)
    ip = models.GenericIPAddressField(null=True)
    json = models.JSONField(null=True)
    binary = models.BinaryField(null=True)
    file = models.FileField(upload_to="uploads/", blank=True)
    image = models.ImageField(blank=True)
    size = models.CharField(max_length=1, choices=Size, default=Size.SMALL)
    priority = models.IntegerField(choices=Priority.choices, default=Priority.LOW)
    grouped = models.CharField(
        max_length=5,
        choices=[("Audio", [("vinyl", "Vinyl"), ("cd", "CD")]), ("unknown", "Unknown")],
        blank=True,
    )

    class Meta:
        app_label = "fields_app"


class Stamped(models.Model):
    name = models.CharField(max_length=20)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    day = models.DateField(auto_now_add=True)
    counted = models.IntegerField(db_default=7)
    label = models.CharField(max_length=10, db_default="new")

    class Meta:
        app_label = "fields_app"


class UUIDModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "fields_app"


class Cents:
    """A value stored as integer cents by ``CentsField``."""

    def __init__(self, amount: decimal.Decimal) -> None:
        self.amount = amount

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Cents) and other.amount == self.amount

    def __hash__(self) -> int:
        return hash(self.amount)


class CentsField(models.Field[Any, Any]):
    """A custom field with Django's conversion hooks."""

    def get_internal_type(self) -> str:
        return "IntegerField"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return value
        return Cents(decimal.Decimal(value) / 100)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, Cents) or value is None:
            return value
        return Cents(decimal.Decimal(value))

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, Cents):
            return int(value.amount * 100)
        return int(value)


class Priced(models.Model):
    name = models.CharField(max_length=20)
    price = CentsField(null=True, blank=True)
    quantity = models.IntegerField(default=1, validators=[MinValueValidator(1)])

    class Meta:
        app_label = "fields_app"


class Common(models.Model):
    """An abstract base: its fields, Meta and manager are inherited."""

    name = models.CharField(max_length=50)
    created = models.DateField(default=datetime.date(2020, 1, 1))

    class Meta:
        abstract = True
        ordering = ["name"]


class Student(Common):
    home_group = models.CharField(max_length=5)

    class Meta(Common.Meta):
        app_label = "fields_app"
        db_table = "fields_student_table"
        verbose_name = "pupil"


class Teacher(Common):
    subject = models.CharField(max_length=20, unique=True)

    class Meta:
        app_label = "fields_app"
        unique_together = [("name", "created")]

    def get_absolute_url(self) -> str:
        return f"/teachers/{self.pk}/"


class PublishedManager(models.Manager["Article"]):
    def get_queryset(self) -> models.QuerySet[Article]:
        return super().get_queryset().filter(published=True)


class ArticleQuerySet(models.QuerySet["Article"]):
    def by(self, author: str) -> ArticleQuerySet:
        return self.filter(author=author)


class Article(models.Model):
    title = models.CharField(max_length=50)
    author = models.CharField(max_length=50)
    published = models.BooleanField(default=False)
    score = models.IntegerField(default=0)

    objects = models.Manager()
    live = PublishedManager()
    tagged = ArticleQuerySet.as_manager()

    class Meta:
        app_label = "fields_app"
        constraints = [
            models.CheckConstraint(condition=models.Q(score__gte=0), name="article_score_gte_0"),
            models.UniqueConstraint(
                fields=["title"], condition=models.Q(published=True), name="unique_live_title"
            ),
            models.UniqueConstraint(
                models.functions.Lower("author"), "title", name="unique_author_title_ci"
            ),
        ]
        indexes = [
            models.Index(fields=["author", "-score"]),
            models.Index(fields=["title"], name="article_title_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class LiveArticle(Article):
    class Meta:
        proxy = True
        app_label = "fields_app"
        ordering = ["-score"]

    def shout(self) -> str:
        return self.title.upper()


class Rectangle(models.Model):
    """Stored generated columns (every backend)."""

    width = models.IntegerField()
    height = models.IntegerField()
    name = models.CharField(max_length=20, default="")
    area = models.GeneratedField(
        expression=models.F("width") * models.F("height"),
        output_field=models.IntegerField(),
        db_persist=True,
    )
    lower_name = models.GeneratedField(
        expression=models.functions.Lower("name"),
        output_field=models.CharField(max_length=20),
        db_persist=True,
    )

    class Meta:
        app_label = "fields_app"

    def __str__(self) -> str:
        return self.name


class LowerCaseField(models.CharField[str, str]):
    """A CharField subclass that changes values on their way to the database."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return value.lower() if isinstance(value, str) else value


class Tagged(models.Model):
    tag = LowerCaseField(max_length=20)
    count = models.IntegerField(default=0)
    weight = models.FloatField(default=1.0)

    class Meta:
        app_label = "fields_app"


class InitRecorder:
    """A mixin after ``Model`` in the MRO whose ``__init__`` must still run."""

    def __init__(self) -> None:
        self.recorded = True
        super().__init__()


class Recorded(models.Model, InitRecorder):
    name = models.CharField(max_length=20)

    class Meta:
        app_label = "fields_app"
