"""Enumerations for field ``choices``: ``Choices``, ``IntegerChoices``, ``TextChoices``."""

from __future__ import annotations

import enum
from types import DynamicClassAttribute
from typing import Any

from fastjango.utils.functional import Promise

__all__ = ["Choices", "IntegerChoices", "TextChoices"]


class ChoicesType(enum.EnumMeta):
    """Metaclass that reads ``NAME = value, "label"`` members and keeps the labels."""

    def __new__(
        metacls,
        classname: str,
        bases: tuple[type, ...],
        classdict: Any,
        **kwds: Any,
    ) -> ChoicesType:
        labels = []
        for key in classdict._member_names:
            value = classdict[key]
            if (
                isinstance(value, list | tuple)
                and len(value) > 1
                and isinstance(value[-1], Promise | str)
            ):
                *parts, label = value
                value = tuple(parts)
            else:
                label = key.replace("_", " ").title()
            labels.append(label)
            # enum's class dict refuses a second assignment; go around it.
            dict.__setitem__(classdict, key, value)
        cls = super().__new__(metacls, classname, bases, classdict, **kwds)
        member: Any
        for member, label in zip(cls.__members__.values(), labels, strict=True):
            member._label_ = label
        return enum.unique(cls)  # type: ignore[type-var]

    def __contains__(cls, member: object) -> bool:
        if not isinstance(member, enum.Enum):
            # Plain values work too: ``"FR" in YearInSchool``.
            members: list[Any] = list(cls.__members__.values())
            return any(x.value == member for x in members)
        return super().__contains__(member)

    @property
    def names(cls) -> list[str]:
        """Return the member names (``"__empty__"`` first when defined)."""
        empty = ["__empty__"] if hasattr(cls, "__empty__") else []
        return empty + list(cls.__members__)

    @property
    def choices(cls) -> list[tuple[Any, Any]]:
        """Return ``(value, label)`` pairs, for a field's ``choices``."""
        empty = [(None, cls.__empty__)] if hasattr(cls, "__empty__") else []
        members: list[Any] = list(cls.__members__.values())
        return empty + [(member.value, member.label) for member in members]

    @property
    def labels(cls) -> list[Any]:
        """Return the labels."""
        return [label for _, label in cls.choices]

    @property
    def values(cls) -> list[Any]:
        """Return the values."""
        return [value for value, _ in cls.choices]


class Choices(enum.Enum, metaclass=ChoicesType):
    """Base class for enumerated choices; each member has a ``label``."""

    _label_: Any

    @DynamicClassAttribute
    def label(self) -> Any:
        """Return the member's human-readable label."""
        return self._label_

    @property
    def do_not_call_in_templates(self) -> bool:
        """Tell templates not to call the member."""
        return True

    def __str__(self) -> str:
        return str(self.value)

    def __repr__(self) -> str:
        return f"{self.__class__.__qualname__}.{self._name_}"


class IntegerChoices(Choices, enum.IntEnum):
    """Choices whose values are integers."""


class TextChoices(str, Choices):
    """Choices whose values are strings; an ``auto()`` value is the member's name."""

    @staticmethod
    def _generate_next_value_(name: str, start: int, count: int, last_values: list[Any]) -> str:
        return name
