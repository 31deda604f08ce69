from __future__ import annotations

import pytest

from fastjango.core import checks
from fastjango.core.checks.messages import CheckMessage
from fastjango.test.utils import override_settings


class Meta:
    label = "polls.Question"


class Question:
    _meta = Meta()


def test_levels_and_classes() -> None:
    assert (checks.DEBUG, checks.INFO, checks.WARNING, checks.ERROR, checks.CRITICAL) == (
        10,
        20,
        30,
        40,
        50,
    )
    for cls, level in [
        (checks.Debug, checks.DEBUG),
        (checks.Info, checks.INFO),
        (checks.Warning, checks.WARNING),
        (checks.Error, checks.ERROR),
        (checks.Critical, checks.CRITICAL),
    ]:
        assert cls("m").level == level


def test_level_must_be_an_int() -> None:
    with pytest.raises(TypeError, match="The first argument should be level."):
        CheckMessage("ERROR", "msg")  # type: ignore[arg-type]


def test_str() -> None:
    assert str(checks.Error("Broken.", id="x.E001")) == "?: (x.E001) Broken."
    assert str(checks.Error("Broken.", hint="Fix it.", obj="thing")) == (
        "thing: Broken.\n\tHINT: Fix it."
    )
    assert str(checks.Warning("Odd.", obj=Question, id="m.W001")) == (
        "polls.Question: (m.W001) Odd."
    )


def test_repr_and_equality() -> None:
    error = checks.Error("Broken.", hint="h", obj="o", id="x.E001")
    assert repr(error) == ("<Error: level=40, msg='Broken.', hint='h', obj='o', id='x.E001'>")
    assert error == checks.Error("Broken.", hint="h", obj="o", id="x.E001")
    assert error != checks.Error("Broken.", hint="h", obj="o", id="x.E002")
    assert error != checks.Warning("Broken.", hint="h", obj="o", id="x.E001")
    assert error != "Broken."


def test_is_serious() -> None:
    assert checks.Error("e").is_serious()
    assert checks.Critical("c").is_serious()
    assert not checks.Warning("w").is_serious()
    assert checks.Warning("w").is_serious(checks.WARNING)


@override_settings(SILENCED_SYSTEM_CHECKS=["x.W001"])
def test_is_silenced() -> None:
    assert checks.Warning("w", id="x.W001").is_silenced()
    assert not checks.Warning("w", id="x.W002").is_silenced()
