"""Text/bytes conversion and IRI/URI encoding, with Django's names and results."""

from __future__ import annotations

import codecs
import datetime
import locale
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from fastjango.utils.functional import Promise

__all__ = [
    "DEFAULT_LOCALE_ENCODING",
    "DjangoUnicodeDecodeError",
    "escape_uri_path",
    "filepath_to_uri",
    "force_bytes",
    "force_str",
    "get_system_encoding",
    "iri_to_uri",
    "is_protected_type",
    "punycode",
    "repercent_broken_unicode",
    "smart_bytes",
    "smart_str",
    "uri_to_iri",
]


class DjangoUnicodeDecodeError(UnicodeDecodeError):
    """A ``UnicodeDecodeError`` whose message also shows the object being decoded."""

    def __init__(self, obj: Any, *args: Any) -> None:
        self.obj = obj
        super().__init__(*args)

    def __str__(self) -> str:
        return f"{super().__str__()}. You passed in {self.obj!r} ({type(self.obj)})"


_PROTECTED_TYPES = (
    type(None),
    int,
    float,
    Decimal,
    datetime.datetime,
    datetime.date,
    datetime.time,
)


def is_protected_type(obj: Any) -> bool:
    """Return whether ``force_str(obj, strings_only=True)`` leaves ``obj`` as it is."""
    return isinstance(obj, _PROTECTED_TYPES)


def smart_str(
    s: Any, encoding: str = "utf-8", strings_only: bool = False, errors: str = "strict"
) -> Any:
    """Return ``s`` as text, bytes decoded with ``encoding``; lazy strings stay lazy."""
    if isinstance(s, Promise):
        return s
    return force_str(s, encoding, strings_only, errors)


def force_str(
    s: Any, encoding: str = "utf-8", strings_only: bool = False, errors: str = "strict"
) -> Any:
    """Return ``s`` as text, bytes decoded with ``encoding`` and lazy strings evaluated.

    With ``strings_only``, None, numbers, dates and times are returned unchanged.
    Raise ``DjangoUnicodeDecodeError`` when bytes don't decode.
    """
    if issubclass(type(s), str):
        return s
    if strings_only and is_protected_type(s):
        return s
    try:
        return str(s, encoding, errors) if isinstance(s, bytes) else str(s)
    except UnicodeDecodeError as err:
        raise DjangoUnicodeDecodeError(s, *err.args) from None


def smart_bytes(
    s: Any, encoding: str = "utf-8", strings_only: bool = False, errors: str = "strict"
) -> Any:
    """Return ``s`` as bytes in ``encoding``; lazy strings stay lazy."""
    if isinstance(s, Promise):
        return s
    return force_bytes(s, encoding, strings_only, errors)


def force_bytes(
    s: Any, encoding: str = "utf-8", strings_only: bool = False, errors: str = "strict"
) -> Any:
    """Return ``s`` as bytes in ``encoding``; bytes input is taken to be UTF-8.

    With ``strings_only``, None, numbers, dates and times are returned unchanged.
    """
    if isinstance(s, bytes):
        if encoding == "utf-8":
            return s
        return s.decode("utf-8", errors).encode(encoding, errors)
    if strings_only and is_protected_type(s):
        return s
    if isinstance(s, memoryview):
        return bytes(s)
    return str(s).encode(encoding, errors)


# RFC 3986 reserved characters plus "~" and "%" (RFC 3987 3.1 says to leave "%" alone).
_IRI_SAFE = "/#%[]=:;$&()+,!?*@'~"


def iri_to_uri(iri: Any) -> Any:
    """Percent-encode an IRI (text or UTF-8 bytes) into an ASCII URI, RFC 3987 section 3.1.

    ``"/I ♥ Django/"`` gives ``"/I%20%E2%99%A5%20Django/"``; reserved characters
    and existing ``%`` escapes are kept. None is returned as None.
    """
    if iri is None:
        return iri
    if isinstance(iri, Promise):
        iri = str(iri)
    return quote(iri, safe=_IRI_SAFE)


def _build_hextobyte() -> dict[bytes, bytes]:
    # Escapes uri_to_iri() decodes: RFC 3986 unreserved characters, and every
    # byte >= 0x80 (parts of multi-byte UTF-8 characters), in any letter case.
    table: dict[bytes, bytes] = {}
    unreserved = [45, 46, 95, 126, *range(65, 91), *range(97, 123)]
    for byte in [*unreserved, *range(128, 256)]:
        hex_digits = f"{byte:02x}"
        high, low = hex_digits[0], hex_digits[1]
        for escape in {h + lo for h in {high, high.upper()} for lo in {low, low.upper()}}:
            table[escape.encode()] = bytes((byte,))
    return table


_HEXTOBYTE = _build_hextobyte()


def uri_to_iri(uri: Any) -> Any:
    """Decode the escapes of a URI that stand for non-reserved text, RFC 3987 section 3.2.

    ``"/I%20%E2%99%A5%20Django/"`` gives ``"/I%20♥%20Django/"``: reserved
    characters (and ``%20``) stay escaped, and bytes that aren't valid UTF-8
    are escaped again. None is returned as None.
    """
    if uri is None:
        return uri
    raw = force_bytes(uri)
    pieces = raw.split(b"%")
    if len(pieces) > 1:
        out = [pieces[0]]
        for piece in pieces[1:]:
            decoded = _HEXTOBYTE.get(piece[:2])
            if decoded is None:
                out.append(b"%" + piece)
            else:
                out.append(decoded + piece[2:])
        raw = b"".join(out)
    return repercent_broken_unicode(raw).decode()


def escape_uri_path(path: str) -> str:
    """Escape what is unsafe in the path part of a URI; ``/`` and path-safe characters stay."""
    # RFC 3986 reserved and unreserved characters, less ";", "=" and "?" (section 3.3).
    # A server that passes undecodable bytes through as surrogates gets them back
    # percent-encoded (%FF), as Django's WSGI handler re-encodes broken UTF-8.
    return quote(path, safe="/:@&+$,-_.!~*'()", errors="surrogateescape")


def punycode(domain: str) -> str:
    """Return the ASCII (IDNA) form of a domain name."""
    return domain.encode("idna").decode("ascii")


def repercent_broken_unicode(path: bytes) -> bytes:
    """Percent-encode every byte of ``path`` that is not part of valid UTF-8 (RFC 3987 3.2)."""
    done: list[bytes] = []
    while True:
        try:
            path.decode()
        except UnicodeDecodeError as err:
            # Work on the tail only: re-decoding the whole path each time would
            # be quadratic on hostile input.
            done.append(path[: err.start])
            done.append(quote(path[err.start : err.end], safe=_IRI_SAFE).encode())
            path = path[err.end :]
        else:
            done.append(path)
            return b"".join(done)


def filepath_to_uri(path: Any) -> Any:
    """Turn a filesystem path into a URI path: backslashes become ``/``, the rest quoted."""
    if path is None:
        return path
    # "'" is valid in URIs; encodeURIComponent() leaves it too.
    return quote(str(path).replace("\\", "/"), safe="/~!*()'")


def get_system_encoding() -> str:
    """Return the locale's encoding, or ``"ascii"`` when it is unknown or unsupported."""
    try:
        encoding = locale.getlocale()[1] or "ascii"
        codecs.lookup(encoding)
    except Exception:
        encoding = "ascii"
    return encoding


DEFAULT_LOCALE_ENCODING = get_system_encoding()
