"""Turning QuerySets into SQL: ``Query`` (resolution), ``SQLCompiler`` (SQLAlchemy)."""

from __future__ import annotations

from fastjango.db.models.sql.query import Query
from fastjango.db.models.sql.where import AND, OR, XOR

__all__ = ["AND", "OR", "XOR", "Query"]
