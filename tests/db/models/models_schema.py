"""Meta.constraints and Meta.indexes in every flavour (app ``schema_app``)."""

from __future__ import annotations

from fastjango.db import models
from fastjango.db.models import Q
from fastjango.db.models.expressions import Value
from fastjango.db.models.functions import Lower, Upper


class Reservation(models.Model):
    room = models.CharField(max_length=10)
    guest = models.CharField(max_length=50)
    nights = models.IntegerField()
    active = models.BooleanField(default=True)
    code = models.CharField(max_length=20, null=True, blank=True, db_index=True)

    class Meta:
        app_label = "schema_app"
        constraints = [
            models.CheckConstraint(
                condition=Q(nights__gt=0) & Q(nights__lte=30),
                name="%(app_label)s_%(class)s_nights",
                violation_error_code="nights",
                violation_error_message="Stay between 1 and 30 nights (%(name)s).",
            ),
            models.UniqueConstraint(
                fields=["room"], condition=Q(active=True), name="one_active_per_room"
            ),
            models.UniqueConstraint(
                fields=["guest", "room"],
                name="guest_room_unique",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.UniqueConstraint(fields=["code"], name="code_once", nulls_distinct=False),
        ]
        indexes = [
            models.Index(fields=["guest"], name="guest_incl_idx", include=["room"]),
            models.Index(fields=["room"], name="room_ops_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["nights"], name="long_stays_idx", condition=Q(nights__gte=7)),
            models.Index(Upper("guest"), name="guest_upper_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.guest} in {self.room}"


class Node(models.Model):
    """Ordered by its own parent: ordering by it loops (Django reports it)."""

    name = models.CharField(max_length=10)
    parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE)

    class Meta:
        app_label = "schema_app"
        ordering = ["parent"]


class Label(models.Model):
    """Ordered by an expression (followed when ordering by a relation to it)."""

    name = models.CharField(max_length=10)

    class Meta:
        app_label = "schema_app"
        ordering = [Lower("name"), "-pk"]


class Labelled(models.Model):
    label = models.ForeignKey(Label, on_delete=models.CASCADE)
    note = models.CharField(max_length=10)

    class Meta:
        app_label = "schema_app"
        ordering = [Value(1), "note"]


class Post(models.Model):
    """unique_for_date/month/year checks (validation only: no constraint)."""

    title = models.CharField(max_length=20, unique_for_date="pub")
    slug = models.SlugField(unique_for_month="pub")
    series = models.CharField(max_length=20, unique_for_year="pub", blank=True)
    pub = models.DateField(null=True, blank=True)

    class Meta:
        app_label = "schema_app"
