"""Turn a URL regex into the forms ``reverse()`` fills in.

This is not a regex decompiler: it understands what URL patterns use
(literals, character classes, groups, quantifiers, look-arounds) and gives up
on alternation (``|``), as Django's does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fastjango.utils.functional import SimpleLazyObject

__all__ = ["Choice", "Group", "NonCapture", "normalize"]

# A stand-in character for each escape class (``\d`` reverses as "0");
# None drops the escape (anchors and word boundaries produce no text).
ESCAPE_MAPPINGS: dict[str, str | None] = {
    "A": None,
    "b": None,
    "B": None,
    "d": "0",
    "D": "x",
    "s": " ",
    "S": "x",
    "w": "x",
    "W": "!",
    "Z": None,
}


class Choice(list[Any]):
    """Alternatives at one point of the pattern; ``None`` stands for "nothing"."""


class Group(list[Any]):
    """A capturing group: ``[format, parameter name or None]``."""


class NonCapture(list[Any]):
    """The contents of a ``(?:...)`` group."""


class _NotReversible(Exception):
    """The pattern uses alternation, which has no single reverse form."""


Token = tuple[str, bool]


def normalize(pattern: str) -> list[tuple[str, list[str]]]:
    """Return every ``(format string, parameter names)`` form that ``pattern`` reverses to.

    Repetitions keep their minimum count; an optional part that holds a group
    gives two forms (without it, then with it); a character class or ``.``
    becomes one representative character; look-arounds vanish. Groups become
    ``%(name)s`` (positional ones are named ``_0``, ``_1``, ...), and a literal
    ``%`` is doubled so the form is safe for ``%`` formatting. A pattern with
    ``|`` gives ``[("", [])]``. Raise ``ValueError`` for a ``(?...)`` construct
    that cannot be reversed.
    """
    tokens = _tokens(pattern)
    try:
        items = _Parser(tokens).parse()
    except _NotReversible:
        return [("", [])]
    return [(fmt, params) for fmt, params in _flatten(items)]


def _tokens(pattern: str) -> Iterator[Token]:
    """Yield ``(char, escaped)``, mapping escape classes to a representative."""
    chars = iter(pattern)
    for ch in chars:
        if ch != "\\":
            yield ch, False
            continue
        escaped = next(chars, "\\")
        representative = ESCAPE_MAPPINGS.get(escaped, escaped)
        if representative is not None:
            yield representative, True


class _Parser:
    """A single left-to-right pass that builds a tree of literals and groups."""

    def __init__(self, tokens: Iterator[Token]) -> None:
        self.tokens = tokens
        self.pending: Token | None = None
        self.group_count = 0

    def next(self) -> Token:
        if self.pending is not None:
            token, self.pending = self.pending, None
            return token
        return next(self.tokens)

    def parse(self) -> list[Any]:
        result: list[Any] = []
        # Start index in ``result`` of each open ``(?:`` group.
        open_groups: list[int] = []
        while True:
            try:
                ch, escaped = self.next()
            except StopIteration:
                return result
            if escaped:
                result.append("%%" if ch == "%" else ch)
            elif ch == "|":
                raise _NotReversible
            elif ch == "^":
                continue
            elif ch == "$":
                return result
            elif ch == ")":
                if open_groups:
                    start = open_groups.pop()
                    result[start:] = [NonCapture(result[start:])]
            elif ch == "[":
                result.append(self._char_class())
            elif ch == "(":
                self._group(result, open_groups)
            elif ch in "*?+{":
                self._quantify(result, ch)
            else:
                result.append("%%" if ch == "%" else ch)

    def _char_class(self) -> str:
        # The first character of the class stands for the whole class.
        first, _ = self.next()
        ch, escaped = self.next()
        while escaped or ch != "]":
            ch, escaped = self.next()
        return "%%" if first == "%" else first

    def _group(self, result: list[Any], open_groups: list[int]) -> None:
        ch, escaped = self.next()
        if ch != "?" or escaped:
            name = f"_{self.group_count}"
            self.group_count += 1
            result.append(Group([f"%({name})s", name]))
            self._skip_group(ch, escaped)
            return
        ch, _ = self.next()
        if ch in "!=<":
            # Look-ahead and look-behind assertions match no text.
            self._skip_group(ch, False)
        elif ch == ":":
            open_groups.append(len(result))
        elif ch != "P":
            raise ValueError(f"Non-reversible reg-exp portion: '(?{ch}'")
        else:
            kind, _ = self.next()
            if kind not in "<=":
                raise ValueError(f"Non-reversible reg-exp portion: '(?P{kind}'")
            terminal = ">" if kind == "<" else ")"
            name_chars: list[str] = []
            ch, _ = self.next()
            while ch != terminal:
                name_chars.append(ch)
                ch, _ = self.next()
            name = "".join(name_chars)
            if kind == "<":
                result.append(Group([f"%({name})s", name]))
                self._skip_group("", False)
            else:
                # A back-reference repeats a value that is already a parameter.
                result.append(Group([f"%({name})s", None]))

    def _skip_group(self, ch: str, escaped: bool) -> None:
        """Consume up to the ``)`` that closes the current group; ``ch`` is already read."""
        depth = 1 if ch == "(" and not escaped else 0
        if ch == ")" and not escaped:
            return
        while True:
            ch, escaped = self.next()
            if escaped:
                continue
            if ch == "(":
                depth += 1
            elif ch == ")":
                if not depth:
                    return
                depth -= 1

    def _quantify(self, result: list[Any], ch: str) -> None:
        minimum = self._quantifier_minimum(ch)
        if not result:
            return
        if minimum == 0:
            if _contains_group(result[-1]):
                # An optional group: reverse both with and without it.
                result[-1] = Choice([None, result[-1]])
            else:
                result.pop()
        elif minimum > 1:
            result.extend([result[-1]] * (minimum - 1))

    def _quantifier_minimum(self, ch: str) -> int:
        if ch == "{":
            digits: list[str] = []
            ch, _ = self.next()
            while ch != "}":
                digits.append(ch)
                ch, _ = self.next()
            low = "".join(digits).split(",")[0].strip()
            minimum = int(low) if low else 0
        else:
            minimum = 1 if ch == "+" else 0
        # A trailing "?" only makes the quantifier lazy; anything else is kept.
        try:
            token = self.next()
        except StopIteration:
            return minimum
        if token != ("?", False):
            self.pending = token
        return minimum


def _contains_group(item: Any) -> bool:
    if isinstance(item, Group):
        return True
    if isinstance(item, NonCapture):
        return any(_contains_group(inner) for inner in item)
    return False


def _flatten(items: list[Any]) -> list[tuple[str, list[str]]]:
    """Expand the tree into every (format, params) combination, in order."""
    forms: list[tuple[str, list[str]]] = [("", [])]
    for item in items:
        if isinstance(item, str):
            forms = [(fmt + item, params) for fmt, params in forms]
        elif isinstance(item, Group):
            fmt_piece, param = item
            extra = [param] if param is not None else []
            forms = [(fmt + fmt_piece, params + extra) for fmt, params in forms]
        else:
            options = list(item) if isinstance(item, Choice) else [item]
            inner: list[tuple[str, list[str]]] = []
            for option in options:
                if option is None:
                    inner.append(("", []))
                elif isinstance(option, Group):
                    inner.extend(_flatten([option]))
                else:
                    inner.extend(_flatten(list(option)))
            forms = [
                (fmt + i_fmt, params + i_params)
                for fmt, params in forms
                for i_fmt, i_params in inner
            ]
    return forms


def _lazy_re_compile(regex: str | re.Pattern[str], flags: int = 0) -> Any:
    """Return a proxy that compiles ``regex`` on first use, keeping imports cheap."""

    def _compile() -> re.Pattern[str]:
        if isinstance(regex, str):
            return re.compile(regex, flags)
        if flags:
            raise ValueError("flags must be empty if regex is passed pre-compiled")
        return regex

    return SimpleLazyObject(_compile)
