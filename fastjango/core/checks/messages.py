"""Check messages: what a system check reports, with Django's levels and classes."""

from __future__ import annotations

from typing import Any

__all__ = [
    "CRITICAL",
    "DEBUG",
    "ERROR",
    "INFO",
    "WARNING",
    "CheckMessage",
    "Critical",
    "Debug",
    "Error",
    "Info",
    "Warning",
]

DEBUG = 10
INFO = 20
WARNING = 30
ERROR = 40
CRITICAL = 50


class CheckMessage:
    """One problem found by a check: a level, a message, a hint, the object and an id."""

    def __init__(
        self,
        level: int,
        msg: str,
        hint: str | None = None,
        obj: Any = None,
        id: str | None = None,
    ) -> None:
        if not isinstance(level, int):
            raise TypeError("The first argument should be level.")
        self.level = level
        self.msg = msg
        self.hint = hint
        self.obj = obj
        self.id = id

    def __eq__(self, other: object) -> bool:
        return isinstance(other, self.__class__) and all(
            getattr(self, attr) == getattr(other, attr)
            for attr in ("level", "msg", "hint", "obj", "id")
        )

    def __str__(self) -> str:
        if self.obj is None:
            obj = "?"
        elif isinstance(self.obj, type) and hasattr(self.obj, "_meta"):
            # A model class is named by its label, e.g. "polls.Question".
            obj = str(getattr(self.obj._meta, "label", self.obj.__name__))
        else:
            obj = str(self.obj)
        id_part = f"({self.id}) " if self.id else ""
        hint = f"\n\tHINT: {self.hint}" if self.hint else ""
        return f"{obj}: {id_part}{self.msg}{hint}"

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__}: level={self.level!r}, msg={self.msg!r}, "
            f"hint={self.hint!r}, obj={self.obj!r}, id={self.id!r}>"
        )

    def is_serious(self, level: int = ERROR) -> bool:
        """Return whether this message is at ``level`` or above."""
        return self.level >= level

    def is_silenced(self) -> bool:
        """Return whether ``SILENCED_SYSTEM_CHECKS`` lists this message's id."""
        from fastjango.conf import settings

        return self.id in settings.SILENCED_SYSTEM_CHECKS


class Debug(CheckMessage):
    """A check message at the DEBUG level."""

    def __init__(
        self, msg: str, hint: str | None = None, obj: Any = None, id: str | None = None
    ) -> None:
        super().__init__(DEBUG, msg, hint=hint, obj=obj, id=id)


class Info(CheckMessage):
    """A check message at the INFO level."""

    def __init__(
        self, msg: str, hint: str | None = None, obj: Any = None, id: str | None = None
    ) -> None:
        super().__init__(INFO, msg, hint=hint, obj=obj, id=id)


class Warning(CheckMessage):
    """A check message at the WARNING level."""

    def __init__(
        self, msg: str, hint: str | None = None, obj: Any = None, id: str | None = None
    ) -> None:
        super().__init__(WARNING, msg, hint=hint, obj=obj, id=id)


class Error(CheckMessage):
    """A check message at the ERROR level: ``check`` fails by default."""

    def __init__(
        self, msg: str, hint: str | None = None, obj: Any = None, id: str | None = None
    ) -> None:
        super().__init__(ERROR, msg, hint=hint, obj=obj, id=id)


class Critical(CheckMessage):
    """A check message at the CRITICAL level."""

    def __init__(
        self, msg: str, hint: str | None = None, obj: Any = None, id: str | None = None
    ) -> None:
        super().__init__(CRITICAL, msg, hint=hint, obj=obj, id=id)
