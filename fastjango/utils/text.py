"""Text helpers with Django's names: ``Truncator``, ``slugify``, ``wrap``, ``capfirst``, ..."""

from __future__ import annotations

import html
import re
import textwrap
import unicodedata
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

from fastjango.core.exceptions import SuspiciousFileOperation
from fastjango.utils.functional import keep_lazy_text, lazy

__all__ = [
    "Truncator",
    "add_truncation_text",
    "camel_case_to_spaces",
    "capfirst",
    "format_lazy",
    "get_text_list",
    "get_valid_filename",
    "normalize_newlines",
    "phone2numeric",
    "slugify",
    "smart_split",
    "unescape_string_literal",
    "wrap",
]

_VOID_ELEMENTS = frozenset(
    "area base br col embed hr img input link meta param source track wbr frame spacer".split()
)
_re_newlines = re.compile(r"\r\n|\r")
_re_camel_case = re.compile(r"(((?<=[a-z])[A-Z])|([A-Z](?![A-Z]|$)))")
_re_words = re.compile(r"\S+")


def _text(value: Any) -> str:
    # Work on an exact str: a Markup's methods would escape their arguments.
    text = str(value)
    return text if type(text) is str else str.__str__(text)


@keep_lazy_text
def capfirst(x: Any) -> Any:
    """Return the text with its first character upper-cased."""
    if not x:
        return x
    text = _text(x)
    return text[0].upper() + text[1:]


@keep_lazy_text
def wrap(text: Any, width: int) -> str:
    """Wrap lines at ``width`` characters, keeping existing line breaks and long words."""
    wrapper = textwrap.TextWrapper(
        width=width, break_long_words=False, break_on_hyphens=False, replace_whitespace=False
    )
    value = _text(text)
    lines: list[str] = []
    for line in value.splitlines():
        # A whitespace-only line wraps to nothing; keep it as it was.
        lines.extend(wrapper.wrap(line) or [line])
    if value.endswith("\n"):
        lines.append("")
    return "\n".join(lines)


def add_truncation_text(text: str, truncate: str | None = None) -> str:
    """Append the truncation marker (default ``…``) to ``text``.

    A marker containing ``%(truncated_text)s`` is used as a template instead.
    """
    if truncate is None:
        truncate = "%(truncated_text)s…"
    if "%(truncated_text)s" in truncate:
        return truncate % {"truncated_text": text}
    if text.endswith(truncate):
        return text
    return f"{text}{truncate}"


def _visible_length(length: int, truncate: str | None) -> int:
    """Return how many characters of text fit before the marker, within ``length``."""
    remaining = length
    for char in add_truncation_text("", truncate):
        if not unicodedata.combining(char):
            remaining -= 1
            if remaining == 0:
                break
    return remaining


class _HTMLTruncator(HTMLParser):
    """Copy HTML up to a limit of characters or words, then close the open tags."""

    class _Done(Exception):
        """The limit is reached: stop parsing."""

    def __init__(self, *, limit: int, words: bool, truncate: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.limit = limit
        self.words = words
        self.truncate = truncate
        self.remaining = limit
        self.output: list[str] = []
        self.open_tags: list[str] = []
        self.truncated = False

    def run(self, text: str) -> str:
        try:
            self.feed(text)
            self.close()
        except self._Done:
            self.output.extend(f"</{tag}>" for tag in reversed(self.open_tags))
        return "".join(self.output)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.output.append(self.get_starttag_text() or "")
        if tag not in _VOID_ELEMENTS:
            self.open_tags.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.output.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID_ELEMENTS:
            return
        self.output.append(f"</{tag}>")
        if self.open_tags and self.open_tags[-1] == tag:
            self.open_tags.pop()

    def handle_data(self, data: str) -> None:
        if self.words:
            matches = list(_re_words.finditer(data))
            if len(matches) <= self.remaining:
                self.remaining -= len(matches)
                self.output.append(html.escape(data))
                return
            kept = data[: matches[self.remaining - 1].end()] if self.remaining else ""
        else:
            if len(data) <= self.remaining:
                self.remaining -= len(data)
                self.output.append(html.escape(data))
                return
            kept = data[: self.remaining]
        self.truncated = True
        self.output.append(add_truncation_text(html.escape(kept), self.truncate))
        raise self._Done


class _HTMLCounter(HTMLParser):
    """Count the characters or words of text in an HTML fragment."""

    def __init__(self, *, words: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.words = words
        self.count = 0

    def handle_data(self, data: str) -> None:
        self.count += len(_re_words.findall(data)) if self.words else len(data)


class Truncator:
    """Truncate text to a number of characters or words, optionally as HTML.

    When truncating HTML, input is limited to ``MAX_LENGTH_HTML`` characters.
    """

    MAX_LENGTH_HTML = 5_000_000

    def __init__(self, text: Any) -> None:
        self._source = text

    def __str__(self) -> str:
        return _text(self._source)

    def chars(self, num: int | str, truncate: str | None = None, html: bool = False) -> str:
        """Return the text cut to at most ``num`` characters, the marker included."""
        length = int(num)
        if length <= 0:
            return ""
        text = unicodedata.normalize("NFC", _text(self._source))
        if html:
            return self._truncate_html(text, length, truncate, words=False)
        truncate_len = _visible_length(length, truncate)
        s_len = 0
        end_index = None
        for index, char in enumerate(text):
            if unicodedata.combining(char):
                # Combining characters don't add to the visible length.
                continue
            s_len += 1
            if end_index is None and s_len > truncate_len:
                end_index = index
            if s_len > length:
                return add_truncation_text(text[: end_index or 0], truncate)
        return text

    def words(self, num: int | str, truncate: str | None = None, html: bool = False) -> str:
        """Return the text cut after ``num`` words; plain text has its whitespace collapsed."""
        length = int(num)
        if length <= 0:
            return ""
        text = _text(self._source)
        if html:
            return self._truncate_html(text, length, truncate, words=True)
        words = text.split()
        if len(words) > length:
            return add_truncation_text(" ".join(words[:length]), truncate)
        return " ".join(words)

    def _truncate_html(self, text: str, length: int, truncate: str | None, words: bool) -> str:
        text = text[: self.MAX_LENGTH_HTML]
        counter = _HTMLCounter(words=words)
        counter.feed(text)
        counter.close()
        if counter.count <= length:
            return text
        limit = length if words else _visible_length(length, truncate)
        return _HTMLTruncator(limit=limit, words=words, truncate=truncate).run(text)


@keep_lazy_text
def get_valid_filename(name: Any) -> str:
    """Return a file name made of letters, digits, ``-``, ``_`` and ``.`` only.

    Raise ``SuspiciousFileOperation`` when nothing usable is left.
    """
    cleaned = re.sub(r"(?u)[^-\w.]", "", _text(name).strip().replace(" ", "_"))
    if cleaned in {"", ".", ".."}:
        raise SuspiciousFileOperation(f"Could not derive file name from '{name}'")
    return cleaned


@keep_lazy_text
def get_text_list(list_: list[Any], last_word: Any = "or") -> str:
    """Join items as English prose: ``['a', 'b', 'c']`` -> ``'a, b or c'``."""
    if not list_:
        return ""
    if len(list_) == 1:
        return str(list_[0])
    return f"{', '.join(str(item) for item in list_[:-1])} {last_word} {list_[-1]}"


@keep_lazy_text
def normalize_newlines(text: Any) -> str:
    """Turn CRLF and CR newlines into LF."""
    return _re_newlines.sub("\n", _text(text))


_PHONE_LETTERS = str.maketrans("abcdefghijklmnopqrstuvwxyz", "22233344455566677778889999")


@keep_lazy_text
def phone2numeric(phone: Any) -> str:
    """Return the phone number with letters replaced by their keypad digits."""
    return _text(phone).lower().translate(_PHONE_LETTERS)


_smart_split_re = re.compile(
    r"""
    ((?:
        [^\s'"]*
        (?:
            (?:"(?:[^"\\]|\\.)*" | '(?:[^'\\]|\\.)*')
            [^\s'"]*
        )+
    ) | \S+)
    """,
    re.VERBOSE,
)


def smart_split(text: Any) -> Iterator[str]:
    """Split on whitespace, keeping quoted phrases (with their quotes) together."""
    for match in _smart_split_re.finditer(_text(text)):
        yield match[0]


@keep_lazy_text
def unescape_string_literal(s: str) -> str:
    """Return a quoted string literal without its quotes and with escapes undone."""
    if not s or s[0] not in "\"'" or s[-1] != s[0]:
        raise ValueError(f"Not a string literal: {s!r}")
    quote = s[0]
    return s[1:-1].replace(f"\\{quote}", quote).replace("\\\\", "\\")


@keep_lazy_text
def slugify(value: Any, allow_unicode: bool = False) -> str:
    """Return a URL slug: lower case, ASCII (unless ``allow_unicode``), words joined by ``-``."""
    text = _text(value)
    if allow_unicode:
        text = unicodedata.normalize("NFKC", text)
    else:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text.lower())
    return re.sub(r"[-\s]+", "-", text).strip("-_")


def camel_case_to_spaces(value: str) -> str:
    """Split CamelCase into lower-case words."""
    return _re_camel_case.sub(r" \1", value).strip().lower()


def _format_lazy(format_string: str, *args: Any, **kwargs: Any) -> str:
    return format_string.format(*args, **kwargs)


format_lazy = lazy(_format_lazy, str)
"""``str.format`` evaluated lazily, for lazy format strings or arguments."""
