"""Models: ``from fastjango.db import models`` gives what ``from django.db import models`` does."""

from __future__ import annotations

# isort: off
# Import order matters: fields, then lookups (they register on fields), then
# expressions and everything built on them, and the model base class last.
from fastjango.core.exceptions import ObjectDoesNotExist
from fastjango.db.models import signals
from fastjango.db.models.fields import (
    BLANK_CHOICE_DASH,
    NOT_PROVIDED,
    AutoField,
    BigAutoField,
    BigIntegerField,
    BinaryField,
    BooleanField,
    CharField,
    CommaSeparatedIntegerField,
    DateField,
    DateTimeField,
    DecimalField,
    DurationField,
    EmailField,
    Empty,
    Field,
    FilePathField,
    FloatField,
    GenericIPAddressField,
    IntegerField,
    PositiveBigIntegerField,
    PositiveIntegerField,
    PositiveSmallIntegerField,
    SlugField,
    SmallAutoField,
    SmallIntegerField,
    TextField,
    TimeField,
    URLField,
    UUIDField,
)
from fastjango.db.models.lookups import Lookup, Transform
from fastjango.db.models.expressions import (
    Case,
    Exists,
    Expression,
    ExpressionList,
    ExpressionWrapper,
    F,
    Func,
    OrderBy,
    OuterRef,
    RawSQL,
    RowRange,
    Subquery,
    Value,
    ValueRange,
    When,
    Window,
    WindowFrame,
)
from fastjango.db.models.fields.json import JSONField
from fastjango.db.models.fields.generated import GeneratedField
from fastjango.db.models.aggregates import Aggregate, Avg, Count, Max, Min, StdDev, Sum, Variance
from fastjango.db.models import functions
from fastjango.db.models.constraints import (
    BaseConstraint,
    CheckConstraint,
    Deferrable,
    UniqueConstraint,
)
from fastjango.db.models.deletion import (
    CASCADE,
    DO_NOTHING,
    PROTECT,
    RESTRICT,
    SET,
    SET_DEFAULT,
    SET_NULL,
    ProtectedError,
    RestrictedError,
)
from fastjango.db.models.enums import Choices, IntegerChoices, TextChoices
from fastjango.db.models.fields.files import FileField, ImageField
from fastjango.db.models.indexes import Index
from fastjango.db.models.manager import Manager
from fastjango.db.models.metadata import metadata
from fastjango.db.models.query import (
    Prefetch,
    QuerySet,
    aprefetch_related_objects,
    prefetch_related_objects,
)
from fastjango.db.models.query_utils import FilteredRelation, Q
from fastjango.db.models.base import DEFERRED, Model
from fastjango.db.models.fields.related import ForeignKey, ManyToManyField, OneToOneField
from fastjango.db.models.fields.reverse_related import (
    ForeignObjectRel,
    ManyToManyRel,
    ManyToOneRel,
    OneToOneRel,
)
from fastjango.db.models.sql.sqlite_functions import connect_signal as _connect_sqlite

# isort: on

_connect_sqlite()

__all__ = [
    "BLANK_CHOICE_DASH",
    "CASCADE",
    "DEFERRED",
    "DO_NOTHING",
    "NOT_PROVIDED",
    "PROTECT",
    "RESTRICT",
    "SET",
    "SET_DEFAULT",
    "SET_NULL",
    "Aggregate",
    "AutoField",
    "Avg",
    "BaseConstraint",
    "BigAutoField",
    "BigIntegerField",
    "BinaryField",
    "BooleanField",
    "Case",
    "CharField",
    "CheckConstraint",
    "Choices",
    "CommaSeparatedIntegerField",
    "Count",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "Deferrable",
    "DurationField",
    "EmailField",
    "Empty",
    "Exists",
    "Expression",
    "ExpressionList",
    "ExpressionWrapper",
    "F",
    "Field",
    "GeneratedField",
    "FileField",
    "FilePathField",
    "FilteredRelation",
    "FloatField",
    "ForeignKey",
    "ForeignObjectRel",
    "Func",
    "GenericIPAddressField",
    "ImageField",
    "Index",
    "IntegerChoices",
    "IntegerField",
    "JSONField",
    "Lookup",
    "Manager",
    "ManyToManyField",
    "ManyToManyRel",
    "ManyToOneRel",
    "Max",
    "Min",
    "Model",
    "ObjectDoesNotExist",
    "OneToOneField",
    "OneToOneRel",
    "OrderBy",
    "OuterRef",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "Prefetch",
    "ProtectedError",
    "Q",
    "QuerySet",
    "RawSQL",
    "RestrictedError",
    "RowRange",
    "SlugField",
    "SmallAutoField",
    "SmallIntegerField",
    "StdDev",
    "Subquery",
    "Sum",
    "TextChoices",
    "TextField",
    "TimeField",
    "Transform",
    "URLField",
    "UUIDField",
    "UniqueConstraint",
    "Value",
    "ValueRange",
    "Variance",
    "When",
    "Window",
    "WindowFrame",
    "aprefetch_related_objects",
    "functions",
    "metadata",
    "prefetch_related_objects",
    "signals",
]
