"""The models of Django's "Making queries" documentation (app ``queries``)."""

from __future__ import annotations

import datetime

from fastjango.db import models


class Blog(models.Model):
    name = models.CharField(max_length=100)
    tagline = models.TextField()

    class Meta:
        app_label = "queries"

    def __str__(self) -> str:
        return self.name


class Author(models.Model):
    name = models.CharField(max_length=200)
    email = models.EmailField()

    class Meta:
        app_label = "queries"

    def __str__(self) -> str:
        return self.name


class Entry(models.Model):
    blog = models.ForeignKey(Blog, on_delete=models.CASCADE)
    headline = models.CharField(max_length=255)
    body_text = models.TextField()
    pub_date = models.DateField()
    mod_date = models.DateField(default=datetime.date.today)
    authors = models.ManyToManyField(Author)
    number_of_comments = models.IntegerField(default=0)
    number_of_pingbacks = models.IntegerField(default=0)
    rating = models.IntegerField(default=5)

    class Meta:
        app_label = "queries"

    def __str__(self) -> str:
        return self.headline


class Dog(models.Model):
    name = models.CharField(max_length=200)
    data = models.JSONField(null=True)

    class Meta:
        app_label = "queries"

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    """Datetimes, times and durations for date lookups and functions."""

    name = models.CharField(max_length=50)
    start = models.DateTimeField()
    end = models.DateTimeField(null=True)
    at = models.TimeField(null=True)
    duration = models.DurationField(null=True)
    day = models.DateField(null=True)

    class Meta:
        app_label = "queries"
        ordering = ["start"]
        get_latest_by = "start"

    def __str__(self) -> str:
        return self.name
