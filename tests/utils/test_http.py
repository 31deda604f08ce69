from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fastjango.utils.datastructures import MultiValueDict
from fastjango.utils.http import (
    base36_to_int,
    content_disposition_header,
    escape_leading_slashes,
    http_date,
    int_to_base36,
    is_same_domain,
    parse_etags,
    parse_header_parameters,
    parse_http_date,
    parse_http_date_safe,
    quote_etag,
    url_has_allowed_host_and_scheme,
    urlencode,
    urlsafe_base64_decode,
    urlsafe_base64_encode,
)


def test_urlencode_mappings_pairs_and_multivaluedict() -> None:
    assert urlencode({"a": 1, "b": "x y"}) == "a=1&b=x+y"
    assert urlencode([("a", 1), ("a", 2)]) == "a=1&a=2"
    assert urlencode({"a": [1, 2]}, doseq=True) == "a=1&a=2"
    assert urlencode({"a": [1, 2]}, doseq=False) == "a=%5B1%2C+2%5D"
    assert urlencode({"a": (x for x in "xy")}, doseq=True) == "a=x&a=y"
    assert urlencode({"a": b"bytes"}, doseq=True) == "a=bytes"
    assert urlencode({"a": [b"b"]}, doseq=True) == "a=b"
    assert urlencode({"a": 5}, doseq=True) == "a=5"
    mvd = MultiValueDict({"name": ["Adrian", "Simon"]})
    assert urlencode(mvd, doseq=True) == "name=Adrian&name=Simon"


def test_urlencode_refuses_none() -> None:
    message = "Cannot encode None for key 'a' in a query string. Did you mean to pass an empty"
    with pytest.raises(TypeError, match=message):
        urlencode({"a": None})
    with pytest.raises(TypeError, match=message):
        urlencode({"a": [None]}, doseq=True)


def test_http_date_round_trips() -> None:
    assert http_date(0) == "Thu, 01 Jan 1970 00:00:00 GMT"
    assert http_date(1533564000) == "Mon, 06 Aug 2018 14:00:00 GMT"
    assert parse_http_date("Mon, 06 Aug 2018 14:00:00 GMT") == 1533564000
    assert parse_http_date(http_date(1234567890)) == 1234567890
    assert parse_http_date_safe(http_date()) is not None


def test_parse_http_date_other_formats() -> None:
    expected = int(datetime(1994, 11, 6, 8, 49, 37, tzinfo=UTC).timestamp())
    assert parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT") == expected
    assert parse_http_date("Sun Nov  6 08:49:37 1994") == expected
    assert parse_http_date("Sun Nov 06 08:49:37 1994") == expected


def test_parse_http_date_two_digit_years() -> None:
    this_year = datetime.now(tz=UTC).year
    near = (this_year + 1) % 100
    parsed = datetime.fromtimestamp(
        parse_http_date(f"Sunday, 06-Nov-{near:02d} 08:49:37 GMT"), tz=UTC
    )
    assert parsed.year == this_year + 1
    far = (this_year + 60) % 100
    parsed = datetime.fromtimestamp(
        parse_http_date(f"Sunday, 06-Nov-{far:02d} 08:49:37 GMT"), tz=UTC
    )
    assert parsed.year == this_year + 60 - 100


def test_parse_http_date_errors() -> None:
    with pytest.raises(ValueError, match="is not in a valid HTTP date format"):
        parse_http_date("yesterday")
    with pytest.raises(ValueError, match="is not a valid date"):
        parse_http_date("Mon, 32 Foo 2018 14:00:00 GMT")
    assert parse_http_date_safe("yesterday") is None


def test_base36() -> None:
    for n in (0, 1, 35, 36, 1000, 2**63 - 1):
        assert base36_to_int(int_to_base36(n)) == n
    assert int_to_base36(35) == "z"
    assert int_to_base36(36) == "10"
    with pytest.raises(ValueError, match="Negative base36 conversion input."):
        int_to_base36(-1)
    with pytest.raises(ValueError, match="Base36 input too large"):
        base36_to_int("1" * 14)


def test_urlsafe_base64() -> None:
    for data in (b"", b"a", b"ab", b"abc", b"\xff\xfe\xfd"):
        encoded = urlsafe_base64_encode(data)
        assert "=" not in encoded
        assert urlsafe_base64_decode(encoded) == data
    with pytest.raises(ValueError):
        urlsafe_base64_decode("a")


def test_etags() -> None:
    assert parse_etags(r'"" ,  "etag", "e\\tag", W/"weak"') == [
        '""',
        '"etag"',
        r'"e\\tag"',
        'W/"weak"',
    ]
    assert parse_etags("*") == ["*"]
    assert parse_etags('"valid", invalid') == ['"valid"']
    assert quote_etag("etag") == '"etag"'
    assert quote_etag('"etag"') == '"etag"'
    assert quote_etag('W/"etag"') == 'W/"etag"'


def test_is_same_domain() -> None:
    assert is_same_domain("example.com", "example.com")
    assert is_same_domain("example.com", "EXAMPLE.COM")
    assert is_same_domain("example.com", ".example.com")
    assert is_same_domain("foo.example.com", ".example.com")
    assert not is_same_domain("example.com", "")
    assert not is_same_domain("foo.example.com", "example.com")
    assert not is_same_domain("badexample.com", ".example.com")


@pytest.mark.parametrize(
    "url",
    [
        "/view/?param=http://example.com",
        "/view/?param=https://example.com",
        "/view?param=ftp://example.com",
        "view/?param=//example.com",
        "https://testserver/",
        "HTTPS://testserver/",
        "//testserver/",
        "http://testserver/confirm?email=me@example.com",
        "/url%20with%20spaces/",
        "path/http:2222222222",
    ],
)
def test_url_has_allowed_host_and_scheme_accepts(url: str) -> None:
    assert url_has_allowed_host_and_scheme(url, allowed_hosts={"testserver"})


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com",
        "http:///example.com",
        "https://example.com",
        "ftp://example.com",
        r"\\example.com",
        r"\\\example.com",
        r"/\\/example.com",
        "//example.com",
        "///example.com",
        "http:/\\example.com",
        "http:\\/example.com",
        "javascript:alert('XSS')",
        "\x08//example.com",
        "http://[2001:cdba:0000:0000:0000:0000:3257:9652",
        "/" + "a" * 3000,
        "",
        None,
    ],
)
def test_url_has_allowed_host_and_scheme_refuses(url: str | None) -> None:
    assert not url_has_allowed_host_and_scheme(url, allowed_hosts={"testserver"})


def test_url_has_allowed_host_and_scheme_options() -> None:
    assert url_has_allowed_host_and_scheme("https://a.com/", allowed_hosts="a.com")
    assert not url_has_allowed_host_and_scheme("http://a.com/", "a.com", require_https=True)
    assert url_has_allowed_host_and_scheme("/relative/", allowed_hosts=None)
    assert not url_has_allowed_host_and_scheme("http://a.com/", allowed_hosts=None)
    assert url_has_allowed_host_and_scheme("https://a.com/", allowed_hosts=["a.com"])


def test_escape_leading_slashes() -> None:
    assert escape_leading_slashes("//example.com") == "/%2Fexample.com"
    assert escape_leading_slashes("/path") == "/path"


def test_parse_header_parameters() -> None:
    assert parse_header_parameters("text/plain") == ("text/plain", {})
    assert parse_header_parameters("Text/HTML; Charset=UTF-8") == (
        "text/html",
        {"charset": "UTF-8"},
    )
    assert parse_header_parameters('form-data; name="a;b"; filename="x \\"y\\".txt"') == (
        "form-data",
        {"name": "a;b", "filename": 'x "y".txt'},
    )
    assert parse_header_parameters("attachment; filename*=UTF-8''na%C3%AFve.txt") == (
        "attachment",
        {"filename": "naïve.txt"},
    )
    assert parse_header_parameters("attachment; filename*=bogus''na%E9ve.txt") == (
        "attachment",
        {"filename": "naéve.txt"},
    )
    assert parse_header_parameters("a; novalue; b=1") == ("a", {"b": "1"})
    assert parse_header_parameters("") == ("", {})
    with pytest.raises(ValueError, match="value too long"):
        parse_header_parameters("a" * 10_001)
    assert parse_header_parameters("a" * 10_001, max_length=None)[0] == "a" * 10_001


def test_content_disposition_header() -> None:
    assert content_disposition_header(False, "") is None
    assert content_disposition_header(True, "") == "attachment"
    assert content_disposition_header(False, "a.txt") == 'inline; filename="a.txt"'
    assert content_disposition_header(True, "a.txt") == 'attachment; filename="a.txt"'
    assert (
        content_disposition_header(True, 'a "b"\\.txt') == r'attachment; filename="a \"b\"\\.txt"'
    )
    assert (
        content_disposition_header(True, "naïve.txt")
        == "attachment; filename*=utf-8''na%C3%AFve.txt"
    )
    assert content_disposition_header(False, "a\nb") == "inline; filename*=utf-8''a%0Ab"
