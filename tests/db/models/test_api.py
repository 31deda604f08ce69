"""The public names: ``from django.db import models`` code finds what it uses."""

from __future__ import annotations

import importlib
import pkgutil

import fastjango.db.models as models
from fastjango.db.models import functions

DJANGO_MODELS_NAMES = """
ObjectDoesNotExist signals CASCADE DO_NOTHING PROTECT RESTRICT SET SET_DEFAULT SET_NULL
ProtectedError RestrictedError Aggregate Avg Count Max Min StdDev Sum Variance BaseConstraint
CheckConstraint Deferrable UniqueConstraint Choices IntegerChoices TextChoices Case Exists
Expression ExpressionList ExpressionWrapper F Func OrderBy OuterRef RowRange Subquery Value
ValueRange When Window WindowFrame AutoField BLANK_CHOICE_DASH BigAutoField BigIntegerField
BinaryField BooleanField CharField CommaSeparatedIntegerField DateField DateTimeField
DecimalField DurationField EmailField Empty Field FilePathField FloatField
GenericIPAddressField IntegerField NOT_PROVIDED PositiveBigIntegerField PositiveIntegerField
PositiveSmallIntegerField SlugField SmallAutoField SmallIntegerField TextField TimeField
URLField UUIDField FileField ImageField JSONField Index Lookup Transform Manager Prefetch
QuerySet prefetch_related_objects aprefetch_related_objects FilteredRelation Q DEFERRED Model
ForeignKey ForeignObjectRel ManyToOneRel ManyToManyRel OneToOneRel OneToOneField
ManyToManyField
""".split()

DJANGO_FUNCTIONS = """
Cast Coalesce Collate Greatest JSONObject Least NullIf Extract ExtractDay ExtractHour
ExtractIsoWeekDay ExtractIsoYear ExtractMinute ExtractMonth ExtractQuarter ExtractSecond
ExtractWeek ExtractWeekDay ExtractYear Now Trunc TruncDate TruncDay TruncHour TruncMinute
TruncMonth TruncQuarter TruncSecond TruncTime TruncWeek TruncYear Abs ACos ASin ATan ATan2
Ceil Cos Cot Degrees Exp Floor Ln Log Mod Pi Power Radians Random Round Sign Sin Sqrt Tan
MD5 SHA1 SHA224 SHA256 SHA384 SHA512 Chr Concat ConcatPair Left Length Lower LPad LTrim Ord
Repeat Replace Reverse Right RPad RTrim StrIndex Substr Trim Upper CumeDist DenseRank
FirstValue Lag LastValue Lead NthValue Ntile PercentRank Rank RowNumber
""".split()


def test_django_names_are_exported() -> None:
    assert [name for name in DJANGO_MODELS_NAMES if name not in models.__all__] == []
    assert [name for name in DJANGO_FUNCTIONS if not hasattr(functions, name)] == []
    assert models.signals.post_save is not None
    assert models.DEFERRED is not None and repr(models.DEFERRED) == "<Deferred field>"


def test_every_module_all_resolves() -> None:
    for info in pkgutil.walk_packages(models.__path__, "fastjango.db.models."):
        module = importlib.import_module(info.name)
        exported = getattr(module, "__all__", None)
        assert exported is not None, info.name
        missing = [name for name in exported if not hasattr(module, name)]
        assert missing == [], info.name
