"""HTTP helpers with Django's names: dates, ETags, query strings, safe redirects, headers."""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from email.utils import formatdate
from typing import Any
from urllib.parse import quote, unquote, urlsplit
from urllib.parse import urlencode as _urlencode

from fastjango.utils.datastructures import MultiValueDict

__all__ = [
    "ETAG_MATCH",
    "MAX_HEADER_LENGTH",
    "MAX_URL_LENGTH",
    "RFC3986_GENDELIMS",
    "RFC3986_SUBDELIMS",
    "base36_to_int",
    "content_disposition_header",
    "escape_leading_slashes",
    "http_date",
    "int_to_base36",
    "is_same_domain",
    "parse_etags",
    "parse_header_parameters",
    "parse_http_date",
    "parse_http_date_safe",
    "quote_etag",
    "url_has_allowed_host_and_scheme",
    "urlencode",
    "urlsafe_base64_decode",
    "urlsafe_base64_encode",
]

# An ETag is an optional weak indicator followed by a quoted string without quotes inside.
ETAG_MATCH = re.compile(r'\A((?:W/)?"[^"]*")\Z')

MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_DAY = r"(?P<day>[0-9]{2})"
_DAY2 = r"(?P<day>[ 0-9][0-9])"
_MON = r"(?P<mon>\w{3})"
_YEAR = r"(?P<year>[0-9]{4})"
_YEAR2 = r"(?P<year>[0-9]{2})"
_TIME = r"(?P<hour>[0-9]{2}):(?P<min>[0-9]{2}):(?P<sec>[0-9]{2})"
RFC1123_DATE = re.compile(rf"^\w{{3}}, {_DAY} {_MON} {_YEAR} {_TIME} GMT$")
RFC850_DATE = re.compile(rf"^\w{{6,9}}, {_DAY}-{_MON}-{_YEAR2} {_TIME} GMT$")
ASCTIME_DATE = re.compile(rf"^\w{{3}} {_MON} {_DAY2} {_TIME} {_YEAR}$")

RFC3986_GENDELIMS = ":/?#[]@"
RFC3986_SUBDELIMS = "!$&'()*+,;="

# Longer header values are refused before parsing: the parser is quadratic in quotes.
MAX_HEADER_LENGTH = 10_000
# urlsplit() normalises Unicode, which is slow enough on long input to be a DoS vector.
MAX_URL_LENGTH = 2048

_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_QUOTABLE_FILENAME = re.compile(r"^[\t \x21-\x7e]*$")


def urlencode(query: Mapping[Any, Any] | Iterable[tuple[Any, Any]], doseq: bool = False) -> str:
    """Encode a mapping or pair sequence as a query string, like ``urllib``'s.

    Accept a ``MultiValueDict`` (every value is kept) and refuse ``None``
    values with a ``TypeError``, as Django does.
    """
    items: Iterable[tuple[Any, Any]]
    if isinstance(query, MultiValueDict):
        items = query.lists()
    elif isinstance(query, Mapping):
        items = query.items()
    else:
        items = query
    query_params: list[tuple[Any, Any]] = []
    for key, value in items:
        if value is None:
            raise TypeError(_none_in_query(key))
        if not doseq or isinstance(value, str | bytes):
            query_val = value
        else:
            try:
                itr = iter(value)
            except TypeError:
                query_val = value
            else:
                # Consume generators here: urllib would otherwise encode their repr.
                query_val = []
                for item in itr:
                    if item is None:
                        raise TypeError(_none_in_query(key))
                    query_val.append(item if isinstance(item, bytes) else str(item))
        query_params.append((key, query_val))
    return _urlencode(query_params, doseq)


def _none_in_query(key: Any) -> str:
    return (
        f"Cannot encode None for key '{key}' in a query string. Did you mean to pass an "
        "empty string or omit the value?"
    )


def http_date(epoch_seconds: float | None = None) -> str:
    """Format a timestamp (default: now) as an RFC 9110 date: ``Wed, 21 Oct 2015 07:28:00 GMT``."""
    return formatdate(epoch_seconds, usegmt=True)


def parse_http_date(date: str) -> int:
    """Parse an HTTP date in any of the three RFC 9110 formats; return seconds since the epoch.

    Raise ``ValueError`` when the date is not valid.
    """
    for regex in (RFC1123_DATE, RFC850_DATE, ASCTIME_DATE):
        m = regex.match(date)
        if m is not None:
            break
    else:
        raise ValueError(f"{date!r} is not in a valid HTTP date format")
    try:
        year = int(m["year"])
        if year < 100:
            # RFC 9110: a two-digit year more than 50 years ahead is in the past century.
            current_year = datetime.now(tz=UTC).year
            current_century = current_year - (current_year % 100)
            if year - (current_year % 100) > 50:
                year += current_century - 100
            else:
                year += current_century
        month = MONTHS.index(m["mon"].lower()) + 1
        result = datetime(
            year, month, int(m["day"]), int(m["hour"]), int(m["min"]), int(m["sec"]), tzinfo=UTC
        )
        return int(result.timestamp())
    except Exception as exc:
        raise ValueError(f"{date!r} is not a valid date") from exc


def parse_http_date_safe(date: str) -> int | None:
    """Like ``parse_http_date``, but return ``None`` for an invalid date."""
    try:
        return parse_http_date(date)
    except Exception:
        return None


def base36_to_int(s: str) -> int:
    """Convert a base 36 string to an int; refuse more than 13 digits (beyond 64 bits)."""
    if len(s) > 13:
        raise ValueError("Base36 input too large")
    return int(s, 36)


def int_to_base36(i: int) -> str:
    """Convert a non-negative integer to a base 36 string."""
    if i < 0:
        raise ValueError("Negative base36 conversion input.")
    if i < 36:
        return _BASE36[i]
    b36 = ""
    while i != 0:
        i, n = divmod(i, 36)
        b36 = _BASE36[n] + b36
    return b36


def urlsafe_base64_encode(s: bytes) -> str:
    """Encode bytes as URL-safe base64 without the trailing ``=`` padding."""
    return base64.urlsafe_b64encode(s).rstrip(b"\n=").decode("ascii")


def urlsafe_base64_decode(s: str) -> bytes:
    """Decode URL-safe base64 whose padding may have been stripped; raise ``ValueError``."""
    data = s.encode()
    try:
        return base64.urlsafe_b64decode(data.ljust(len(data) + len(data) % 4, b"="))
    except (LookupError, binascii.Error) as e:
        raise ValueError(e) from e


def parse_etags(etag_str: str) -> list[str]:
    """Return the valid ETags of an ``If-None-Match``/``If-Match`` value (``["*"]`` for ``*``)."""
    if etag_str.strip() == "*":
        return ["*"]
    matches = (ETAG_MATCH.match(etag.strip()) for etag in etag_str.split(","))
    return [match[1] for match in matches if match]


def quote_etag(etag_str: str) -> str:
    """Quote an ETag unless it already is a quoted (maybe weak) ETag."""
    if ETAG_MATCH.match(etag_str):
        return etag_str
    return f'"{etag_str}"'


def is_same_domain(host: str, pattern: str) -> bool:
    """Return whether ``host`` matches ``pattern``; ``.example.com`` also matches subdomains.

    ``host`` must already be lowercase.
    """
    if not pattern:
        return False
    pattern = pattern.lower()
    return (
        pattern[0] == "." and (host.endswith(pattern) or host == pattern[1:])
    ) or pattern == host


def url_has_allowed_host_and_scheme(
    url: str | None, allowed_hosts: str | Iterable[str] | None, require_https: bool = False
) -> bool:
    """Return whether ``url`` is safe to redirect to.

    It must be relative or point to one of ``allowed_hosts``, with an http(s)
    scheme (https only when ``require_https``). Always ``False`` for an empty URL.
    """
    if url is not None:
        url = url.strip()
    if not url:
        return False
    hosts: set[str] | Iterable[str]
    if allowed_hosts is None:
        hosts = set()
    elif isinstance(allowed_hosts, str):
        hosts = {allowed_hosts}
    else:
        hosts = set(allowed_hosts)
    # Chrome treats "\" as "/" in paths, but it may be part of credentials: check both forms.
    return _url_has_allowed_host_and_scheme(
        url, hosts, require_https
    ) and _url_has_allowed_host_and_scheme(url.replace("\\", "/"), hosts, require_https)


def _url_has_allowed_host_and_scheme(url: str, allowed_hosts: Any, require_https: bool) -> bool:
    # Chrome reads any URL with three leading slashes as absolute.
    if url.startswith("///") or len(url) > MAX_URL_LENGTH:
        return False
    try:
        url_info = urlsplit(url)
    except ValueError:  # e.g. an invalid IPv6 address
        return False
    # "http:///example.com": browsers take example.com as the host; urlsplit does not.
    if not url_info.netloc and url_info.scheme:
        return False
    # Browsers skip leading control characters and may then see a scheme-relative URL.
    if unicodedata.category(url[0])[0] == "C":
        return False
    scheme = url_info.scheme
    if not url_info.scheme and url_info.netloc:
        scheme = "http"
    valid_schemes = ["https"] if require_https else ["http", "https"]
    return (not url_info.netloc or url_info.netloc in allowed_hosts) and (
        not scheme or scheme in valid_schemes
    )


def escape_leading_slashes(url: str) -> str:
    """Escape a leading ``//`` so a path is not read as a scheme-relative URL."""
    if url.startswith("//"):
        url = "/%2F{}".format(url.removeprefix("//"))
    return url


def _parseparam(s: str) -> Iterable[str]:
    while s[:1] == ";":
        s = s[1:]
        end = s.find(";")
        # A ";" inside a quoted string does not end the parameter.
        while end > 0 and (s.count('"', 0, end) - s.count('\\"', 0, end)) % 2:
            end = s.find(";", end + 1)
        if end < 0:
            end = len(s)
        yield s[:end].strip()
        s = s[end:]


def parse_header_parameters(
    line: str, max_length: int | None = MAX_HEADER_LENGTH
) -> tuple[str, dict[str, str]]:
    """Parse a header such as ``Content-Type`` into its lowercased value and a parameter dict.

    Parameter names are lowercased; quoted values are unquoted and RFC 2231
    values (``filename*=UTF-8''na%C3%AFve.txt``) decoded.
    """
    if max_length is not None and line and len(line) > max_length:
        raise ValueError("Unable to parse header parameters (value too long).")
    parts = iter(_parseparam(";" + line))
    key = next(parts).lower()
    pdict: dict[str, str] = {}
    for p in parts:
        i = p.find("=")
        if i < 0:
            continue
        has_encoding = False
        name = p[:i].strip().lower()
        if name.endswith("*"):
            name = name[:-1]
            if p.count("'") == 2:
                has_encoding = True
        value = p[i + 1 :].strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1].replace("\\\\", "\\").replace('\\"', '"')
        if has_encoding:
            encoding, _lang, value = value.split("'")
            try:
                value = unquote(value, encoding=encoding)
            except LookupError:
                value = unquote(value, encoding="latin-1")
        pdict[name] = value
    return key, pdict


def content_disposition_header(as_attachment: bool, filename: str) -> str | None:
    """Return a ``Content-Disposition`` value, or ``None`` for inline without a file name.

    Non-ASCII names use the RFC 6266 ``filename*=utf-8''...`` form.
    """
    if filename:
        disposition = "attachment" if as_attachment else "inline"
        if filename.isascii() and _QUOTABLE_FILENAME.match(filename):
            escaped = filename.replace("\\", "\\\\").replace('"', r"\"")
            file_expr = f'filename="{escaped}"'
        else:
            file_expr = f"filename*=utf-8''{quote(filename)}"
        return f"{disposition}; {file_expr}"
    if as_attachment:
        return "attachment"
    return None
