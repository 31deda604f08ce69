"""Django's built-in template filters, as Jinja2 filters with Django's semantics.

Each function keeps Django's Python signature (``autoescape`` included), so
it can be called directly; ``FILTERS`` holds the Jinja2 versions, and
``install(environment)`` registers them. In a template the argument goes in
parentheses: ``{{ value|date("Y-m-d") }}`` for Django's ``{{ value|date:"Y-m-d" }}``.

Safety follows Django: a filter that produces HTML returns a safe string, so
autoescaping does not escape it twice, and escapes its input first when
autoescaping is on; a filter Django marks ``is_safe`` keeps a safe input safe.
"""

from __future__ import annotations

import functools
import operator
import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, getcontext
from typing import Any
from urllib.parse import quote

import jinja2
from jinja2.filters import FILTERS as _JINJA2_FILTERS
from jinja2.nodes import EvalContext

from fastjango.template import humanize
from fastjango.utils import dateformat, formats
from fastjango.utils import html as html_utils
from fastjango.utils import text as text_utils
from fastjango.utils import timesince as timesince_utils
from fastjango.utils.safestring import SafeString, _plain_str, mark_safe
from fastjango.utils.timezone import template_localtime

__all__ = [
    "FILTERS",
    "add",
    "addslashes",
    "capfirst",
    "cut",
    "date",
    "default_if_none",
    "dictsort",
    "dictsortreversed",
    "divisibleby",
    "escapejs_filter",
    "escapeseq",
    "filesizeformat",
    "floatformat",
    "force_escape",
    "get_digit",
    "install",
    "iriencode",
    "json_script",
    "linebreaks_filter",
    "linebreaksbr",
    "linenumbers",
    "ljust",
    "make_list",
    "phone2numeric_filter",
    "pluralize",
    "rjust",
    "safeseq",
    "slice_filter",
    "slugify",
    "stringformat",
    "striptags",
    "time",
    "timesince_filter",
    "timeuntil_filter",
    "truncatechars",
    "truncatechars_html",
    "truncatewords",
    "truncatewords_html",
    "unordered_list",
    "urlencode",
    "urlize",
    "urlizetrunc",
    "wordcount",
    "wordwrap",
    "yesno",
]

Filter = Callable[..., Any]


def _is_safe(value: Any) -> bool:
    return hasattr(value, "__html__")


def is_safe(func: Filter) -> Filter:
    """Mark a string result safe when the filter's input was safe (Django's ``is_safe``)."""

    @functools.wraps(func)
    def wrapper(value: Any, *args: Any, **kwargs: Any) -> Any:
        result = func(value, *args, **kwargs)
        if _is_safe(value) and isinstance(result, str) and not _is_safe(result):
            return SafeString(result)
        return result

    return wrapper


# ---------------------------------------------------------------- strings


@is_safe
def addslashes(value: Any) -> str:
    """Add backslashes before quotes and backslashes."""
    return _plain_str(value).replace("\\", "\\\\").replace('"', '\\"').replace("'", "\\'")


@is_safe
def capfirst(value: Any) -> str:
    """Upper-case the first character."""
    text = _plain_str(value)
    return text and text[0].upper() + text[1:]


def escapejs_filter(value: Any) -> SafeString:
    """Escape characters for use inside a JavaScript string literal."""
    return html_utils.escapejs(value)  # type: ignore[no-any-return]


def json_script(value: Any, element_id: str | None = None) -> SafeString:
    """Output the value as JSON inside a ``<script type="application/json">`` tag."""
    return html_utils.json_script(value, element_id)


def floatformat(text: Any, arg: int | str = -1) -> str:
    """Round a number to ``arg`` decimal places.

    A negative ``arg`` drops the decimals when they are all zero; a ``"g"``
    suffix groups thousands, a ``"u"`` suffix turns localization off.
    """
    force_grouping = False
    use_l10n = True
    if isinstance(arg, str):
        suffix = arg[-2:] if arg[-2:] in {"gu", "ug"} else arg[-1:]
        if suffix in {"gu", "ug"}:
            force_grouping, use_l10n = True, False
        elif suffix == "g":
            force_grouping = True
        elif suffix == "u":
            use_l10n = False
        else:
            suffix = ""
        if suffix:
            arg = arg[: -len(suffix)] or -1
    input_val = _plain_str(text)
    try:
        d = Decimal(input_val)
    except InvalidOperation:
        try:
            d = Decimal(str(float(text)))
        except (ValueError, InvalidOperation, TypeError):
            return ""
    try:
        p = int(arg)
    except ValueError:
        return input_val
    _, digits, exponent = d.as_tuple()
    if not isinstance(exponent, int) or len(digits) + abs(exponent) > 200:
        # NaN, infinity and absurdly long numbers are shown as they are.
        return input_val
    m = int(d) - d
    if not m and p <= 0:
        return mark_safe(  # type: ignore[no-any-return]
            formats.number_format(str(int(d)), 0, use_l10n=use_l10n, force_grouping=force_grouping)
        )
    exp = Decimal(1).scaleb(-abs(p))
    # Enough precision that quantize() never raises for long numbers.
    units = len(digits) + (-exponent if m else exponent)
    prec = max(getcontext().prec, abs(p) + units + 1)
    rounded = d.quantize(exp, ROUND_HALF_UP, Context(prec=prec))
    sign, rounded_digits, rounded_exp = rounded.as_tuple()
    assert isinstance(rounded_exp, int)
    chars = [str(digit) for digit in reversed(rounded_digits)]
    while len(chars) <= abs(rounded_exp):
        chars.append("0")
    chars.insert(-rounded_exp, ".")
    if sign and rounded:
        chars.append("-")
    number = "".join(reversed(chars))
    return mark_safe(  # type: ignore[no-any-return]
        formats.number_format(number, abs(p), use_l10n=use_l10n, force_grouping=force_grouping)
    )


@is_safe
def iriencode(value: Any) -> str:
    """Percent-encode an IRI for use in a URL, keeping URL syntax characters."""
    return quote(_plain_str(value), safe="/#%[]=:;$&()+,!?*@'~")


def linenumbers(value: Any, autoescape: bool = True) -> SafeString:
    """Prefix each line with its number."""
    lines = _plain_str(value).split("\n")
    width = len(str(len(lines)))
    escape_lines = autoescape and not _is_safe(value)
    return SafeString(
        "\n".join(
            f"{number:0{width}d}. {html_utils.escape(line) if escape_lines else line}"
            for number, line in enumerate(lines, start=1)
        )
    )


def make_list(value: Any) -> list[str]:
    """Return the value's characters (digits, for a number) as a list."""
    return list(_plain_str(value))


@is_safe
def slugify(value: Any) -> str:
    """Convert to an ASCII slug: lower case, words joined by hyphens."""
    return text_utils.slugify(value)  # type: ignore[no-any-return]


@is_safe
def stringformat(value: Any, arg: str) -> str:
    """Format the value with a printf-style specifier without the ``%``: ``"03d"``."""
    if isinstance(value, tuple):
        value = str(value)
    try:
        return str(("%" + str(arg)) % value)
    except (ValueError, TypeError):
        return ""


def _truncate(method: str, html: bool, ellipsis: str | None) -> Filter:
    def truncator(value: Any, arg: int | str) -> str:
        try:
            length = int(arg)
        except ValueError:
            return _plain_str(value)
        cut: Callable[..., str] = getattr(text_utils.Truncator(value), method)
        return cut(length, truncate=ellipsis, html=html)

    return is_safe(truncator)


truncatechars = _truncate("chars", html=False, ellipsis=None)
truncatechars.__doc__ = "Truncate to ``arg`` characters, the ellipsis included."
truncatechars_html = _truncate("chars", html=True, ellipsis=None)
truncatechars_html.__doc__ = "Truncate HTML to ``arg`` characters of text, closing open tags."
truncatewords = _truncate("words", html=False, ellipsis=" …")
truncatewords.__doc__ = "Truncate after ``arg`` words."
truncatewords_html = _truncate("words", html=True, ellipsis=" …")
truncatewords_html.__doc__ = "Truncate HTML after ``arg`` words, closing open tags."


def urlencode(value: Any, safe: str | None = None) -> str:
    """Percent-encode a string for a URL (``/`` kept unless ``safe`` says otherwise).

    A mapping or a list of pairs is encoded as a query string, as Jinja2's
    own ``urlencode`` does.
    """
    if isinstance(value, Mapping) or (
        isinstance(value, Iterable) and not isinstance(value, str | bytes)
    ):
        return str(_JINJA2_FILTERS["urlencode"](value))
    if safe is None:
        return quote(_plain_str(value))
    return quote(_plain_str(value), safe=safe)


def urlize(value: Any, autoescape: bool = True) -> SafeString:
    """Turn URLs and e-mail addresses into links (``rel="nofollow"`` on web links)."""
    return SafeString(html_utils.urlize(value, nofollow=True, autoescape=autoescape))


def urlizetrunc(value: Any, limit: int | str, autoescape: bool = True) -> SafeString:
    """Like ``urlize``, shortening link text to ``limit`` characters."""
    return SafeString(
        html_utils.urlize(value, trim_url_limit=int(limit), nofollow=True, autoescape=autoescape)
    )


def wordcount(value: Any) -> int:
    """Return the number of words."""
    return len(_plain_str(value).split())


@is_safe
def wordwrap(value: Any, arg: int | str) -> str:
    """Wrap lines at ``arg`` characters."""
    return text_utils.wrap(value, int(arg))  # type: ignore[no-any-return]


@is_safe
def ljust(value: Any, arg: int | str) -> str:
    """Left-align in a field ``arg`` characters wide."""
    return _plain_str(value).ljust(int(arg))


@is_safe
def rjust(value: Any, arg: int | str) -> str:
    """Right-align in a field ``arg`` characters wide."""
    return _plain_str(value).rjust(int(arg))


def cut(value: Any, arg: str) -> str:
    """Remove every occurrence of ``arg``."""
    result = _plain_str(value).replace(arg, "")
    # Removing ";" could break an entity, so only then is a safe input no longer safe.
    if _is_safe(value) and arg != ";":
        return SafeString(result)
    return result


# ---------------------------------------------------------------- HTML


def force_escape(value: Any) -> SafeString:
    """Escape HTML now, even if the value is already safe."""
    return html_utils.escape(value)  # type: ignore[no-any-return]


def escapeseq(value: Iterable[Any]) -> list[Any]:
    """Escape each item of a sequence (items already safe are left alone)."""
    return [html_utils.conditional_escape(item) for item in value]


def safeseq(value: Iterable[Any]) -> list[Any]:
    """Mark each item of a sequence safe."""
    return [mark_safe(item) for item in value]


def linebreaks_filter(value: Any, autoescape: bool = True) -> SafeString:
    """Turn paragraphs into ``<p>`` and single newlines into ``<br>``."""
    autoescape = autoescape and not _is_safe(value)
    return SafeString(html_utils.linebreaks(value, autoescape))


def linebreaksbr(value: Any, autoescape: bool = True) -> SafeString:
    """Turn every newline into ``<br>``."""
    text = text_utils.normalize_newlines(value)
    if autoescape and not _is_safe(value):
        text = _plain_str(html_utils.escape(text))
    return SafeString(text.replace("\n", "<br>"))


@is_safe
def striptags(value: Any) -> str:
    """Remove every HTML tag (the result is escaped on output unless marked safe)."""
    return html_utils.strip_tags(value)  # type: ignore[no-any-return]


def unordered_list(value: Iterable[Any], autoescape: bool = True) -> SafeString:
    """Render a nested list as ``<li>`` items (without the outer ``<ul>``).

    ``['States', ['Kansas', ['Lawrence', 'Topeka'], 'Illinois']]`` nests the
    list that follows an item inside that item.
    """
    escaper: Callable[[Any], Any] = html_utils.conditional_escape if autoescape else str

    def walk_items(item_list: Iterable[Any]) -> Iterator[tuple[Any, Any]]:
        items = iter(item_list)
        try:
            item = next(items)
        except StopIteration:
            return
        while True:
            try:
                next_item = next(items)
            except StopIteration:
                yield item, None
                return
            if isinstance(next_item, list | tuple | types.GeneratorType):
                yield item, next_item
                try:
                    item = next(items)
                except StopIteration:
                    return
                continue
            yield item, None
            item = next_item

    def list_formatter(item_list: Iterable[Any], tabs: int = 1) -> str:
        indent = "\t" * tabs
        output = []
        for item, children in walk_items(item_list):
            sublist = ""
            if children:
                sublist = (
                    f"\n{indent}<ul>\n{list_formatter(children, tabs + 1)}\n{indent}</ul>\n{indent}"
                )
            output.append(f"{indent}<li>{escaper(item)}{sublist}</li>")
        return "\n".join(output)

    return SafeString(list_formatter(value))


# ---------------------------------------------------------------- numbers


def add(value: Any, arg: Any) -> Any:
    """Add ``arg``: as integers when both are, else with ``+`` (lists, strings); else ``""``."""
    try:
        return int(value) + int(arg)
    except (ValueError, TypeError):
        try:
            return value + arg
        except Exception:
            return ""


def get_digit(value: Any, arg: Any) -> Any:
    """Return digit ``arg`` of a whole number, 1 being the right-most; invalid input as is."""
    try:
        position = int(arg)
        number = int(value)
    except ValueError:
        return value
    if position < 1:
        return number
    try:
        return int(str(number)[-position])
    except IndexError:
        return 0


def divisibleby(value: Any, arg: Any) -> bool:
    """Return whether the value is divisible by ``arg``."""
    return int(value) % int(arg) == 0


# ---------------------------------------------------------------- dates


def date(value: Any, arg: str | None = None) -> str:
    """Format a date or datetime (in the current time zone) with Django's format characters.

    ``arg`` is a format string (``"Y-m-d"``) or a format name
    (``"SHORT_DATE_FORMAT"``); the default is ``DATE_FORMAT``.
    """
    if value is None or value == "":
        return ""
    value = template_localtime(value)
    try:
        return formats.date_format(value, arg)
    except AttributeError:
        try:
            return dateformat.format(value, arg or "")
        except AttributeError:
            return ""


def time(value: Any, arg: str | None = None) -> str:
    """Format a time or datetime (in the current time zone); default ``TIME_FORMAT``."""
    if value is None or value == "":
        return ""
    value = template_localtime(value)
    try:
        return formats.time_format(value, arg)
    except (AttributeError, TypeError):
        try:
            return dateformat.time_format(value, arg or "")
        except (AttributeError, TypeError):
            return ""


def timesince_filter(value: Any, arg: Any = None) -> str:
    """Return the time since the value (until ``arg``, default now): ``"4 days, 6 hours"``."""
    if not value:
        return ""
    try:
        if arg:
            return timesince_utils.timesince(value, arg)
        return timesince_utils.timesince(value)
    except (ValueError, TypeError):
        return ""


def timeuntil_filter(value: Any, arg: Any = None) -> str:
    """Return the time from now (or ``arg``) until the value: ``"4 days, 6 hours"``."""
    if not value:
        return ""
    try:
        return timesince_utils.timeuntil(value, arg)
    except (ValueError, TypeError):
        return ""


# ---------------------------------------------------------------- logic


def default_if_none(value: Any, arg: Any) -> Any:
    """Return ``arg`` if the value is ``None``, else the value."""
    return arg if value is None else value


def yesno(value: Any, arg: str | None = None) -> Any:
    """Map true, false and ``None`` to ``"yes,no,maybe"`` (or the words given in ``arg``)."""
    if arg is None:
        arg = "yes,no,maybe"
    bits = str(arg).split(",")
    if len(bits) < 2:
        return value
    # Like Django, a list of more than three words uses only the first two.
    yes, no = bits[0], bits[1]
    maybe = bits[2] if len(bits) == 3 else no
    if value is None:
        return maybe
    return yes if value else no


def pluralize(value: Any, arg: str = "s") -> str:
    """Return a plural suffix unless the value (or its length) is 1: ``"y,ies"`` or ``"es"``."""
    if "," not in arg:
        arg = "," + arg
    bits = arg.split(",")
    if len(bits) > 2:
        return ""
    singular_suffix, plural_suffix = bits
    try:
        return singular_suffix if float(value) == 1 else plural_suffix
    except ValueError:
        return ""
    except TypeError:
        try:
            return singular_suffix if len(value) == 1 else plural_suffix
        except TypeError:
            return ""


# ---------------------------------------------------------------- lists


def _property_resolver(arg: Any) -> Callable[[Any], Any]:
    """Return a sort key for ``arg``: an index when it is a number, else a dotted lookup.

    Each part of ``"author.name"`` is tried as a key, then as an attribute, as
    Django's template variables are; names starting with ``_`` are refused.
    """
    try:
        float(arg)
    except ValueError:
        if not arg or ("._" in arg) or arg[0] == "_":
            raise AttributeError("Access to private variables is forbidden.") from None
        parts = arg.split(".")

        def resolve(value: Any) -> Any:
            for part in parts:
                try:
                    value = value[part]
                except (AttributeError, IndexError, KeyError, TypeError, ValueError):
                    value = getattr(value, part)
            return value

        return resolve
    return operator.itemgetter(arg)


def _sorted_by(value: Any, arg: Any, reverse: bool) -> Any:
    try:
        return sorted(value, key=_property_resolver(arg), reverse=reverse)
    except (AttributeError, TypeError):
        # Django fails silently: an unsortable list renders as an empty string.
        return ""


def dictsort(value: Any, *args: Any, **kwargs: Any) -> Any:
    """Sort a list of dicts (or objects) by a key: ``people|dictsort("age")``.

    Given a dict instead, it is Jinja2's ``dictsort`` (the dict's items sorted
    by key or value), so both uses work.
    """
    if isinstance(value, Mapping) or not args or kwargs:
        return jinja2.filters.do_dictsort(value, *args, **kwargs)
    return _sorted_by(value, args[0], reverse=False)


def dictsortreversed(value: Any, arg: Any) -> Any:
    """Sort a list of dicts (or objects) by a key, in reverse order."""
    return _sorted_by(value, arg, reverse=True)


def slice_filter(value: Any, arg: Any, *args: Any) -> Any:
    """Slice with Python's syntax given as a string: ``items|slice(":2")``, ``|slice("1:-1")``.

    Given a number, it is Jinja2's ``slice`` (split into that many columns).
    A safe string stays safe; an argument that is not a slice returns the
    value unchanged, as in Django.
    """
    if not isinstance(arg, str):
        return jinja2.filters.sync_do_slice(value, arg, *args)
    try:
        bits = [int(bit) if bit else None for bit in arg.split(":")]
        result = value[slice(*bits)]
    except (ValueError, TypeError, KeyError):
        return value
    if _is_safe(value) and isinstance(result, str):
        return SafeString(result)
    return result


# ---------------------------------------------------------------- misc


@is_safe
def filesizeformat(bytes_: Any) -> str:
    """Format a byte count for people: ``"13 KB"``, ``"4.1 MB"``, ``"102 bytes"``."""
    try:
        size = int(bytes_)
    except (TypeError, ValueError, UnicodeDecodeError):
        return html_utils.avoid_wrapping("0 bytes")

    def number(value: float) -> str:
        return formats.number_format(round(value, 1), 1)

    negative = size < 0
    size = abs(size)
    units = ((1 << 50, "PB"), (1 << 40, "TB"), (1 << 30, "GB"), (1 << 20, "MB"), (1 << 10, "KB"))
    for unit_size, unit in units:
        if size >= unit_size:
            result = f"{number(size / unit_size)} {unit}"
            break
    else:
        result = f"{size} byte" if size == 1 else f"{size} bytes"
    if negative:
        result = "-" + result
    return html_utils.avoid_wrapping(result)


@is_safe
def phone2numeric_filter(value: Any) -> str:
    """Replace the letters of a phone number with their keypad digits."""
    return text_utils.phone2numeric(value)  # type: ignore[no-any-return]


def _with_autoescape(func: Filter) -> Filter:
    """Adapt a filter taking ``autoescape=`` to Jinja2, which tells it via the eval context."""

    @jinja2.pass_eval_context
    @functools.wraps(func)
    def jinja_filter(eval_ctx: EvalContext, value: Any, *args: Any) -> Any:
        return func(value, *args, autoescape=eval_ctx.autoescape)

    return jinja_filter


FILTERS: dict[str, Filter] = {
    "add": add,
    "addslashes": addslashes,
    "apnumber": humanize.apnumber,
    "capfirst": capfirst,
    "cut": cut,
    "date": date,
    "default_if_none": default_if_none,
    "dictsort": dictsort,
    "dictsortreversed": dictsortreversed,
    "divisibleby": divisibleby,
    "escapejs": escapejs_filter,
    "escapeseq": escapeseq,
    "filesizeformat": filesizeformat,
    "floatformat": floatformat,
    "force_escape": force_escape,
    "get_digit": get_digit,
    "intcomma": humanize.intcomma,
    "iriencode": iriencode,
    "json_script": json_script,
    "linebreaks": _with_autoescape(linebreaks_filter),
    "linebreaksbr": _with_autoescape(linebreaksbr),
    "linenumbers": _with_autoescape(linenumbers),
    "ljust": ljust,
    "make_list": make_list,
    "ordinal": humanize.ordinal,
    "phone2numeric": phone2numeric_filter,
    "pluralize": pluralize,
    "rjust": rjust,
    "safeseq": safeseq,
    "slice": slice_filter,
    "slugify": slugify,
    "stringformat": stringformat,
    "striptags": striptags,
    "time": time,
    "timesince": timesince_filter,
    "timeuntil": timeuntil_filter,
    "truncatechars": truncatechars,
    "truncatechars_html": truncatechars_html,
    "truncatewords": truncatewords,
    "truncatewords_html": truncatewords_html,
    "unordered_list": _with_autoescape(unordered_list),
    "urlencode": urlencode,
    "urlize": _with_autoescape(urlize),
    "urlizetrunc": _with_autoescape(urlizetrunc),
    "wordcount": wordcount,
    "wordwrap": wordwrap,
    "yesno": yesno,
}
"""Filter name -> Jinja2 filter, for every Django filter FastJango adds."""


def install(environment: jinja2.Environment) -> None:
    """Register ``FILTERS`` on an environment.

    Django's versions replace Jinja2's built-ins of the same name
    (``filesizeformat``, ``striptags``, ``urlencode``, ``urlize``,
    ``wordcount``, ``wordwrap``; ``dictsort`` and ``slice`` keep Jinja2's
    behaviour for Jinja2-style arguments); a filter the project registered
    itself is never replaced.
    """
    for name, func in FILTERS.items():
        current = environment.filters.get(name)
        if current is None or current is _JINJA2_FILTERS.get(name):
            environment.filters[name] = func
