"""fastjango.utils.encoding, checked against the results Django's own tests expect."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

import pytest

from fastjango.utils.encoding import (
    DEFAULT_LOCALE_ENCODING,
    DjangoUnicodeDecodeError,
    escape_uri_path,
    filepath_to_uri,
    force_bytes,
    force_str,
    get_system_encoding,
    iri_to_uri,
    is_protected_type,
    punycode,
    repercent_broken_unicode,
    smart_bytes,
    smart_str,
    uri_to_iri,
)
from fastjango.utils.functional import Promise, lazystr


class Stringy:
    def __str__(self) -> str:
        return "šđč"


def test_force_str() -> None:
    assert force_str("abc") == "abc"
    assert force_str(b"\xc5\xa0") == "Š"
    assert force_str(b"\xa9", encoding="latin-1") == "©"
    assert force_str(Stringy()) == "šđč"
    assert force_str(1) == "1"
    assert force_str(lazystr("lazy")) == "lazy"
    assert type(force_str(lazystr("lazy"))) is str


def test_force_str_strings_only_keeps_protected_types() -> None:
    today = datetime.date(2024, 1, 2)
    for value in (None, 1, 1.5, Decimal("1.5"), today):
        assert force_str(value, strings_only=True) is value
    assert force_str(None) == "None"


def test_force_str_decode_error_names_the_input() -> None:
    with pytest.raises(DjangoUnicodeDecodeError) as info:
        force_str(b"\xff")
    assert str(info.value) == (
        "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte. "
        "You passed in b'\\xff' (<class 'bytes'>)"
    )
    assert isinstance(info.value, UnicodeDecodeError)
    assert info.value.obj == b"\xff"


def test_force_str_with_errors() -> None:
    assert force_str(b"a\xffb", errors="replace") == "a\ufffdb"


def test_force_bytes() -> None:
    assert force_bytes("Š") == b"\xc5\xa0"
    assert force_bytes(b"abc") == b"abc"
    assert force_bytes("é", encoding="latin-1") == b"\xe9"
    # Bytes are taken as UTF-8 and re-encoded.
    assert force_bytes("é".encode(), encoding="latin-1") == b"\xe9"
    assert force_bytes(memoryview(b"mem")) == b"mem"
    assert force_bytes(1) == b"1"
    assert force_bytes(None, strings_only=True) is None
    assert force_bytes(Decimal("1"), strings_only=True) == Decimal("1")


def test_force_bytes_of_an_exception() -> None:
    assert force_bytes(ValueError("Ω")) == "Ω".encode()


def test_smart_variants_keep_lazy_strings() -> None:
    lazy_value = lazystr("lazy")
    assert smart_str(lazy_value) is lazy_value
    assert smart_bytes(lazy_value) is lazy_value
    assert isinstance(smart_str(lazy_value), Promise)
    assert smart_str(b"x") == "x"
    assert smart_bytes("x") == b"x"


def test_is_protected_type() -> None:
    assert is_protected_type(datetime.time(1, 2))
    assert is_protected_type(datetime.datetime(2024, 1, 1))
    assert not is_protected_type("x")
    assert not is_protected_type(b"x")


@pytest.mark.parametrize(
    ("iri", "uri"),
    [
        ("red%09rosé#red", "red%09ros%C3%A9#red"),
        ("/blog/for/Jürgen Münster/", "/blog/for/J%C3%BCrgen%20M%C3%BCnster/"),
        ("locations/?place=Paris&year=2012", "locations/?place=Paris&year=2012"),
        ("/I ♥ Django/", "/I%20%E2%99%A5%20Django/"),
        ("/[]=:;$&()+,!?*@'~", "/[]=:;$&()+,!?*@'~"),
        (b"/I \xe2\x99\xa5 Django/", "/I%20%E2%99%A5%20Django/"),
    ],
)
def test_iri_to_uri(iri: Any, uri: str) -> None:
    assert iri_to_uri(iri) == uri


def test_iri_to_uri_none_and_lazy() -> None:
    assert iri_to_uri(None) is None
    assert iri_to_uri(lazystr("/é/")) == "/%C3%A9/"


@pytest.mark.parametrize(
    ("uri", "iri"),
    [
        ("red%09ros%C3%A9#red", "red%09rosé#red"),
        ("/blog/for/J%C3%BCrgen%20M%C3%BCnster/", "/blog/for/Jürgen%20Münster/"),
        ("/%e2%89%Ab%E2%99%a5%E2%89%aB/", "/≫♥≫/"),
        ("/%41%5a%6B/", "/AZk/"),
        ("/%2F%25?q=%C3%B6&d=%2F", "/%2F%25?q=ö&d=%2F"),
        ("/%E2%99%%99%A5/", "/%E2%99%%99%A5/"),
        ("/%E2%99%A5%E2%99%A5/", "/♥♥/"),
        ("/%AAd%AAj%AAa%AAn%AAg%AAo%AA/", "/%AAd%AAj%AAa%AAn%AAg%AAo%AA/"),
        ("no-escapes", "no-escapes"),
    ],
)
def test_uri_to_iri(uri: str, iri: str) -> None:
    assert uri_to_iri(uri) == iri


def test_uri_to_iri_round_trip_and_none() -> None:
    assert uri_to_iri(None) is None
    for text in ("/♥♥/?utf8=✓", "/%41%5a%6B/", "/%25/"):
        assert uri_to_iri(iri_to_uri(text)) == uri_to_iri(text)


@pytest.mark.parametrize(
    ("path", "escaped"),
    [
        (
            "/;some/=awful/?path/:with/@lots/&of/+awful/chars",
            "/%3Bsome/%3Dawful/%3Fpath/:with/@lots/&of/+awful/chars",
        ),
        ("/foo#bar", "/foo%23bar"),
        ("/foo?bar", "/foo%3Fbar"),
        ("/naïve/", "/na%C3%AFve/"),
    ],
)
def test_escape_uri_path(path: str, escaped: str) -> None:
    assert escape_uri_path(path) == escaped


def test_repercent_broken_unicode() -> None:
    assert repercent_broken_unicode(b"/\xe2\x99\xe2\x99\xa5/") == b"/%E2%99\xe2\x99\xa5/"
    assert repercent_broken_unicode(b"test\xfctest\xfctest\xfc") == b"test%FCtest%FCtest%FC"
    assert repercent_broken_unicode(b"fine") == b"fine"


def test_repercent_broken_unicode_is_linear() -> None:
    data = b"\xfc" * 100_000
    assert repercent_broken_unicode(data) == b"%FC" * 100_000


def test_filepath_to_uri() -> None:
    assert filepath_to_uri(None) is None
    assert (
        filepath_to_uri("upload\\чубака.mp4") == "upload/%D1%87%D1%83%D0%B1%D0%B0%D0%BA%D0%B0.mp4"
    )
    assert filepath_to_uri(PurePosixPath("a b/c'd")) == "a%20b/c'd"


def test_punycode() -> None:
    assert punycode("www.bücher.de") == "www.xn--bcher-kva.de"
    assert punycode("example.com") == "example.com"


def test_system_encoding() -> None:
    assert get_system_encoding() == DEFAULT_LOCALE_ENCODING
    assert isinstance(DEFAULT_LOCALE_ENCODING, str)


def test_system_encoding_falls_back_to_ascii(monkeypatch: pytest.MonkeyPatch) -> None:
    import locale

    monkeypatch.setattr(locale, "getlocale", lambda: ("en_US", "no-such-codec"))
    assert get_system_encoding() == "ascii"
