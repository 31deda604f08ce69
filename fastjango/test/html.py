"""Compare HTML by meaning, not by text: the parser behind ``assertHTMLEqual`` and friends.

Two documents are equal when they have the same elements, attributes (in any order;
``class`` values in any order) and text (whitespace runs count as one space and
whitespace at the edges of a text doesn't count). Comments are ignored, ``<br>``
equals ``<br/>``, and a boolean attribute without a value equals one whose value is
its name.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

from fastjango.utils import html as html_utils

__all__ = ["Element", "HTMLParseError", "RootElement", "parse_html"]

_WHITESPACE = re.compile(r"[\t\n\f\r ]+")

# Elements that never have content, so never an end tag: the same set Django's
# HTML utilities use.
VOID_ELEMENTS = html_utils.VOID_ELEMENTS

# Attributes whose presence is their meaning: checked, checked="" and checked="checked".
BOOLEAN_ATTRIBUTES = frozenset(
    {
        "allowfullscreen",
        "async",
        "autofocus",
        "autoplay",
        "checked",
        "controls",
        "default",
        "defer",
        "disabled",
        "formnovalidate",
        "hidden",
        "inert",
        "ismap",
        "itemscope",
        "loop",
        "multiple",
        "muted",
        "nomodule",
        "novalidate",
        "open",
        "playsinline",
        "readonly",
        "required",
        "reversed",
        "selected",
    }
)


class HTMLParseError(Exception):
    """The text is not HTML the comparison can make sense of (an unexpected end tag)."""


def _normalize_attribute(name: str, value: str | None) -> tuple[str, str | None]:
    if name in BOOLEAN_ATTRIBUTES and (not value or value == name):
        return name, None
    if value is None:
        return name, ""
    if name == "class":
        value = " ".join(sorted(part for part in _WHITESPACE.split(value) if part))
    return name, value


class Element:
    """An element: its name, sorted attributes and children (elements and text)."""

    def __init__(self, name: str | None, attributes: list[tuple[str, str | None]]) -> None:
        self.name = name
        self.attributes = sorted(_normalize_attribute(k, v) for k, v in attributes)
        self.children: list[Element | str] = []

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Element):
            return NotImplemented
        return (
            self.name == other.name
            and self.attributes == other.attributes
            and self.children == other.children
        )

    def __hash__(self) -> int:
        return hash((self.name, tuple(self.attributes)))

    def count(self, needle: Element | str) -> int:
        """Return how many times ``needle`` (an element, text, or a run of nodes) occurs here."""
        if isinstance(needle, RootElement):
            if len(needle.children) == 1:
                return self.count(needle.children[0])
            return self._count_sequence(needle.children)
        if isinstance(needle, str):
            return sum(child.count(needle) for child in self.children)
        found = 1 if self == needle else 0
        return found + sum(
            child.count(needle) for child in self.children if not isinstance(child, str)
        )

    def _count_sequence(self, sequence: list[Element | str]) -> int:
        if not sequence:
            return 0
        found = 0
        width = len(sequence)
        for start in range(len(self.children) - width + 1):
            if self.children[start : start + width] == sequence:
                found += 1
        for child in self.children:
            if isinstance(child, Element):
                found += child._count_sequence(sequence)
        return found

    def __contains__(self, needle: object) -> bool:
        return isinstance(needle, Element | str) and self.count(needle) > 0

    def _render_attributes(self) -> str:
        return "".join(
            f" {name}" if value is None else f' {name}="{html.escape(value)}"'
            for name, value in self.attributes
        )

    def _render_children(self) -> str:
        return "".join(
            html.escape(child, quote=False) if isinstance(child, str) else str(child)
            for child in self.children
        )

    def __str__(self) -> str:
        if self.name in VOID_ELEMENTS and not self.children:
            return f"<{self.name}{self._render_attributes()}>"
        return f"<{self.name}{self._render_attributes()}>{self._render_children()}</{self.name}>"

    def __repr__(self) -> str:
        return str(self)


class RootElement(Element):
    """A fragment of several top-level nodes."""

    def __init__(self) -> None:
        super().__init__(None, [])

    def __str__(self) -> str:
        return self._render_children()


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = RootElement()
        self.open: list[Element] = [self.root]
        self.text: list[str] = []

    def _flush_text(self) -> None:
        if self.text:
            text = _WHITESPACE.sub(" ", "".join(self.text)).strip()
            self.text.clear()
            if text:
                self.open[-1].children.append(text)

    def _position(self) -> str:
        line, column = self.getpos()
        return f"Line {line}, Column {column}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush_text()
        element = Element(tag, attrs)
        self.open[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush_text()
        self.open[-1].children.append(Element(tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self._flush_text()
        if tag in VOID_ELEMENTS:
            return
        names = [element.name for element in self.open[1:]]
        if tag not in names:
            raise HTMLParseError(f"Unexpected end tag `{tag}` ({self._position()})")
        # Elements left open inside it end with it.
        while self.open.pop().name != tag:
            pass

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def close(self) -> None:
        super().close()
        self._flush_text()


def parse_html(text: Any) -> Element:
    """Return the document tree of ``text``: its only element, or a ``RootElement``.

    Raise ``HTMLParseError`` for an end tag that closes nothing.
    """
    parser = _Parser()
    parser.feed(str(text))
    parser.close()
    root = parser.root
    if len(root.children) == 1 and isinstance(root.children[0], Element):
        return root.children[0]
    return root
