"""The second app's model."""

from __future__ import annotations

from fastjango.db import models


class Note(models.Model):
    text = models.CharField(max_length=50)

    class Meta:
        app_label = "extra"
