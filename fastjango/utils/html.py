"""HTML helpers with Django's names: escaping, ``format_html``, ``strip_tags``, ``urlize``."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Mapping
from html.parser import HTMLParser
from typing import Any, TypeVar
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from fastjango.core.exceptions import SuspiciousOperation
from fastjango.utils.functional import Promise, keep_lazy, keep_lazy_text
from fastjango.utils.module_loading import import_string
from fastjango.utils.safestring import SafeData, SafeString, _plain_str, mark_safe
from fastjango.utils.text import normalize_newlines

__all__ = [
    "VOID_ELEMENTS",
    "avoid_wrapping",
    "conditional_escape",
    "escape",
    "escapejs",
    "format_html",
    "format_html_join",
    "html_safe",
    "json_script",
    "linebreaks",
    "smart_urlquote",
    "strip_spaces_between_tags",
    "strip_tags",
    "urlize",
]

T = TypeVar("T")

VOID_ELEMENTS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "frame",
        "spacer",
    }
)

# Nested, broken markup can make strip_tags loop; past this depth the input is hostile.
MAX_STRIP_TAGS_DEPTH = 50

_RFC3986_GENDELIMS = ":/?#[]@"
_RFC3986_SUBDELIMS = "!$&'()*+,;="


@keep_lazy(SafeString)
def escape(text: Any) -> SafeString:
    """Return the text with ``& < > " '`` encoded for HTML, even if it is already safe."""
    return SafeString(html.escape(_plain_str(text)))


def conditional_escape(text: Any) -> Any:
    """Escape ``text`` unless it is already safe (has ``__html__``)."""
    if isinstance(text, Promise):
        text = str(text)
    if hasattr(text, "__html__"):
        return text.__html__()
    return escape(text)


_js_escapes = {
    ord("\\"): "\\u005C",
    ord("'"): "\\u0027",
    ord('"'): "\\u0022",
    ord(">"): "\\u003E",
    ord("<"): "\\u003C",
    ord("&"): "\\u0026",
    ord("="): "\\u003D",
    ord("-"): "\\u002D",
    ord(";"): "\\u003B",
    ord("`"): "\\u0060",
    ord("\u2028"): "\\u2028",
    ord("\u2029"): "\\u2029",
}
_js_escapes.update((z, f"\\u{z:04X}") for z in range(32))


@keep_lazy(SafeString)
def escapejs(value: Any) -> SafeString:
    """Escape characters for use inside a JavaScript string literal."""
    return SafeString(_plain_str(value).translate(_js_escapes))


_json_script_escapes = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_script(
    value: Any, element_id: str | None = None, encoder: type[json.JSONEncoder] | None = None
) -> SafeString:
    """Return ``value`` as JSON in a ``<script type="application/json">`` tag.

    HTML-special characters are escaped as unicode escapes, so the output is
    safe anywhere except inside a tag attribute.
    """
    if encoder is None:
        encoder = import_string("fastjango.core.serializers.json.DjangoJSONEncoder")
    json_str = json.dumps(value, cls=encoder).translate(_json_script_escapes)
    if element_id:
        return format_html(
            '<script id="{}" type="application/json">{}</script>',
            element_id,
            mark_safe(json_str),
        )
    return format_html('<script type="application/json">{}</script>', mark_safe(json_str))


def format_html(format_string: str, *args: Any, **kwargs: Any) -> SafeString:
    """Like ``str.format``, but escape every argument and mark the result safe."""
    if not (args or kwargs):
        raise TypeError("args or kwargs must be provided.")
    args_safe = [conditional_escape(arg) for arg in args]
    kwargs_safe = {key: conditional_escape(value) for key, value in kwargs.items()}
    return SafeString(_plain_str(format_string).format(*args_safe, **kwargs_safe))


def format_html_join(sep: str, format_string: str, args_generator: Iterable[Any]) -> SafeString:
    """Format each item of ``args_generator`` with ``format_html`` and join them with ``sep``.

    Each item is a sequence of positional arguments or a mapping of keyword ones.
    """
    parts = [
        format_html(format_string, **args)
        if isinstance(args, Mapping)
        else format_html(format_string, *args)
        for args in args_generator
    ]
    return SafeString(_plain_str(conditional_escape(sep)).join(parts))


@keep_lazy_text
def linebreaks(value: Any, autoescape: bool = False) -> str:
    """Turn blank-line-separated paragraphs into ``<p>`` and single newlines into ``<br>``."""
    text = normalize_newlines(_plain_str(value))
    paras = re.split("\n{2,}", text)
    if autoescape:
        paras = [_plain_str(escape(p)) for p in paras]
    return "\n\n".join("<p>{}</p>".format(p.replace("\n", "<br>")) for p in paras)


class _TagStripper(HTMLParser):
    def __init__(self) -> None:
        # Keep entities as written: strip_tags removes markup, it does not decode.
        super().__init__(convert_charrefs=False)
        self.fed: list[str] = []

    def handle_data(self, data: str) -> None:
        self.fed.append(data)

    def handle_entityref(self, name: str) -> None:
        self.fed.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.fed.append(f"&#{name};")

    def get_data(self) -> str:
        return "".join(self.fed)


def _strip_once(value: str) -> str:
    stripper = _TagStripper()
    stripper.feed(value)
    stripper.close()
    return stripper.get_data()


@keep_lazy_text
def strip_tags(value: Any) -> str:
    """Return the text with every HTML tag removed; the result is NOT safe to output raw."""
    text = _plain_str(value)
    depth = 0
    # One pass can reveal new tags ("<<b>b>"), so repeat until nothing changes.
    while "<" in text and ">" in text:
        if depth >= MAX_STRIP_TAGS_DEPTH:
            raise SuspiciousOperation("strip_tags() gave up on deeply nested markup.")
        new_text = _strip_once(text)
        if text.count("<") == new_text.count("<"):
            break
        text = new_text
        depth += 1
    return text


@keep_lazy_text
def strip_spaces_between_tags(value: Any) -> str:
    """Return the HTML with whitespace between tags removed."""
    return re.sub(r">\s+<", "><", _plain_str(value))


def smart_urlquote(url: str) -> str:
    """Quote a URL for an ``href`` unless it is already quoted."""

    def unquote_quote(segment: str) -> str:
        return quote(unquote(segment), safe=_RFC3986_SUBDELIMS + _RFC3986_GENDELIMS + "~")

    try:
        scheme, netloc, path, query, fragment = urlsplit(url)
    except ValueError:
        # An invalid IPv6 host: quote the whole thing.
        return unquote_quote(url)
    try:
        netloc = netloc.encode("idna").decode("ascii")
    except UnicodeError:
        return unquote_quote(url)
    if query:
        # Unquote key and value separately so "&" and "=" inside values survive.
        pairs = [(unquote(k), unquote(v)) for k, v in parse_qsl(query, keep_blank_values=True)]
        query = urlencode(pairs)
    return urlunsplit((scheme, netloc, unquote_quote(path), query, unquote_quote(fragment)))


class _Urlizer:
    """Turn URLs and e-mail addresses in plain text into links, as Django's urlize does."""

    trailing_punctuation_chars = ".,:;!"
    wrapping_punctuation = (("(", ")"), ("[", "]"))
    simple_url_re = re.compile(r"^https?://\[?\w", re.IGNORECASE)
    simple_url_2_re = re.compile(
        r"^www\.|^(?!http)\w[^@]+\.(com|edu|gov|int|mil|net|org)($|/.*)$", re.IGNORECASE
    )
    word_split_re = re.compile(r"""([\s<>"']+)""")

    def __call__(
        self,
        text: Any,
        trim_url_limit: int | None = None,
        nofollow: bool = False,
        autoescape: bool = False,
    ) -> str:
        safe_input = isinstance(text, SafeData) or hasattr(text, "__html__")
        words = self.word_split_re.split(_plain_str(text))
        return "".join(
            self.handle_word(
                word,
                safe_input=safe_input,
                trim_url_limit=trim_url_limit,
                nofollow=nofollow,
                autoescape=autoescape,
            )
            for word in words
        )

    def handle_word(
        self,
        word: str,
        *,
        safe_input: bool,
        trim_url_limit: int | None,
        nofollow: bool,
        autoescape: bool,
    ) -> str:
        if "." in word or "@" in word or ":" in word:
            lead, middle, trail = self.trim_punctuation(word)
            url = None
            nofollow_attr = ' rel="nofollow"' if nofollow else ""
            if self.simple_url_re.match(middle):
                url = smart_urlquote(html.unescape(middle))
            elif self.simple_url_2_re.match(middle):
                url = smart_urlquote(f"http://{html.unescape(middle)}")
            elif ":" not in middle and self.is_email_simple(middle):
                local, domain = middle.rsplit("@", 1)
                try:
                    domain = domain.encode("idna").decode("ascii")
                except UnicodeError:
                    return word
                url = f"mailto:{local}@{domain}"
                nofollow_attr = ""
            if url:
                trimmed = self.trim_url(middle, trim_url_limit)
                if autoescape and not safe_input:
                    lead, trail, trimmed = escape(lead), escape(trail), escape(trimmed)
                return f'{lead}<a href="{escape(url)}"{nofollow_attr}>{trimmed}</a>{trail}'
        if safe_input:
            return word
        if autoescape:
            return str.__str__(escape(word))
        return word

    @staticmethod
    def trim_url(url: str, limit: int | None) -> str:
        if limit is None or len(url) <= limit:
            return url
        return f"{url[: max(0, limit - 1)]}…"

    def trim_punctuation(self, word: str) -> tuple[str, str, str]:
        """Split leading and trailing punctuation off a word: ``(lead, middle, trail)``."""
        openings = "".join(opening for opening, _ in self.wrapping_punctuation)
        middle = word.lstrip(openings)
        lead = word[: len(word) - len(middle)]
        trail = ""
        trimmed = True
        while trimmed and middle:
            trimmed = False
            for opening, closing in self.wrapping_punctuation:
                excess = middle.count(closing) - middle.count(opening)
                if excess > 0 and middle.endswith(closing):
                    stripped = middle.rstrip(closing)
                    cut = min(excess, len(middle) - len(stripped))
                    trail = middle[-cut:] + trail
                    middle = middle[:-cut]
                    trimmed = True
            stripped = middle.rstrip(self.trailing_punctuation_chars)
            semicolon = middle.find(";", len(stripped))
            amp = middle.rfind("&", 0, len(stripped))
            if semicolon != -1 and amp != -1:
                # Keep the ";" that closes an entity such as "&lt;".
                candidate = middle[amp : semicolon + 1]
                unescaped = html.unescape(candidate)
                if unescaped != candidate and not unescaped.endswith(";"):
                    stripped = middle[: semicolon + 1]
            if stripped != middle:
                trail = middle[len(stripped) :] + trail
                middle = stripped
                trimmed = True
        return lead, middle, trail

    @staticmethod
    def is_email_simple(value: str) -> bool:
        """Return whether ``value`` looks like an e-mail address."""
        if "@" not in value or value.startswith("@") or value.endswith("@"):
            return False
        try:
            _, domain = value.split("@")
        except ValueError:
            return False
        return "." in domain and not domain.startswith(".")


_urlizer = _Urlizer()


@keep_lazy_text
def urlize(
    text: Any, trim_url_limit: int | None = None, nofollow: bool = False, autoescape: bool = False
) -> str:
    """Turn URLs and e-mail addresses in the text into ``<a>`` links.

    ``trim_url_limit`` shortens the link text (with an ellipsis); ``nofollow``
    adds ``rel="nofollow"``; ``autoescape`` escapes the rest of the text
    unless it is already safe.
    """
    return _urlizer(text, trim_url_limit=trim_url_limit, nofollow=nofollow, autoescape=autoescape)


def avoid_wrapping(value: str) -> str:
    """Replace spaces with non-breaking spaces so the phrase is not wrapped."""
    return _plain_str(value).replace(" ", "\xa0")


def html_safe(klass: type[T]) -> type[T]:
    """Class decorator: give the class ``__html__`` returning its ``__str__``, marked safe."""
    if "__html__" in klass.__dict__:
        raise ValueError(
            f"can't apply @html_safe to {klass.__name__} because it defines __html__()."
        )
    if "__str__" not in klass.__dict__:
        raise ValueError(
            f"can't apply @html_safe to {klass.__name__} because it doesn't define __str__()."
        )
    klass_str: Callable[[Any], str] = klass.__str__

    def __str__(self: Any) -> Any:
        return mark_safe(klass_str(self))

    def __html__(self: Any) -> str:
        return str(self)

    klass.__str__ = __str__  # type: ignore[method-assign]
    klass.__html__ = __html__  # type: ignore[attr-defined]
    return klass
