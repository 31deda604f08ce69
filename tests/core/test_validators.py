"""``fastjango.core.validators``: Django's validators, messages and codes."""

from __future__ import annotations

import re
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from fastjango.core import validators as v
from fastjango.core.exceptions import ValidationError


def error(validator: Any, value: Any) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        validator(value)
    return info.value


@pytest.mark.parametrize(
    ("validator", "good", "bad", "message", "code"),
    [
        (
            v.validate_integer,
            ["-12", "0", 7],
            ["1.5", "x", ""],
            "Enter a valid integer.",
            "invalid",
        ),
        (
            v.validate_slug,
            ["a-b_c1"],
            ["a b", "é"],
            "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.",
            "invalid",
        ),
        (v.validate_unicode_slug, ["é-ü_1"], ["a b", "a.b"], None, "invalid"),
        (
            v.validate_email,
            ["a@example.com", "a.b+c@sub.example.co", "x@localhost", "x@[127.0.0.1]", "x@ñ.com"],
            [
                "",
                "no-at",
                "a@b",
                "a@-b.com",
                "a@[999.1.1.1]",
                "a b@example.com",
                "a@[x]",
                "a@" + "x" * 64 + ".com",
            ],
            "Enter a valid email address.",
            "invalid",
        ),
        (
            v.URLValidator(),
            [
                "http://example.com",
                "https://www.example.com:8000/path?q=1#f",
                "ftp://user:pass@host.example.org/",
                "http://127.0.0.1/",
                "http://[::1]:80/",
                "http://localhost/",
                "http://xn--nxasmq6b.com",
            ],
            [
                "example.com",
                "mailto:a@b.c",
                "http://",
                "http://exa mple.com",
                "http://example.com\n",
                "http://[::zz]/",
                "http://" + ("a" * 60 + ".") * 5 + "com",
                "http://[1:2",
                "http://[1:2:3]/",
                3,
            ],
            "Enter a valid URL.",
            "invalid",
        ),
        (
            v.validate_ipv4_address,
            ["1.2.3.4"],
            ["1.2.3", "::1"],
            "Enter a valid IPv4 address.",
            "invalid",
        ),
        (v.validate_ipv6_address, ["::1", "2001:db8::1"], ["1.2.3.4"], None, "invalid"),
        (
            v.validate_ipv46_address,
            ["1.2.3.4", "::1"],
            ["x"],
            "Enter a valid IPv4 or IPv6 address.",
            "invalid",
        ),
        (
            v.validate_comma_separated_integer_list,
            ["1,2,3", "4"],
            ["1,,2", "1,-2", "a"],
            "Enter only digits separated by commas.",
            "invalid",
        ),
        (
            v.validate_domain_name,
            ["example.com", "sub.ex-ample.org", "ñandú.com"],
            ["-x.com", "x", "a" * 256, 5],
            "Enter a valid domain name.",
            "invalid",
        ),
        (
            v.ProhibitNullCharactersValidator(),
            ["abc", 1],
            ["a\x00b"],
            "Null characters are not allowed.",
            "null_characters_not_allowed",
        ),
    ],
)
def test_validators_accept_and_reject(
    validator: Any, good: list[Any], bad: list[Any], message: str | None, code: str
) -> None:
    for value in good:
        assert validator(value) is None
    for value in bad:
        exc = error(validator, value)
        assert exc.code == code
        if message is not None:
            assert exc.messages == [message]


def test_regex_validator_options() -> None:
    digits = v.RegexValidator(r"^\d+$", message="digits!", code="digits")
    digits("123")
    assert error(digits, "12a").messages == ["digits!"]
    inverse = v.RegexValidator(r"x", inverse_match=True)
    inverse("abc")
    assert error(inverse, "xyz").code == "invalid"
    flagged = v.RegexValidator("^abc$", flags=re.IGNORECASE)
    flagged("ABC")
    with pytest.raises(TypeError, match="regex must be a regular expression string"):
        v.RegexValidator(re.compile("x"), flags=re.IGNORECASE)
    assert v.RegexValidator("a") == v.RegexValidator("a")
    assert v.RegexValidator("a") != v.RegexValidator("b")
    assert hash(v.RegexValidator("a")) == hash(v.RegexValidator("a"))
    path, args, kwargs = digits.deconstruct()
    assert path == "fastjango.core.validators.RegexValidator"
    assert args == () and kwargs["regex"] == r"^\d+$" and kwargs["code"] == "digits"


def test_url_validator_schemes() -> None:
    ftp_only = v.URLValidator(schemes=["ftp"])
    ftp_only("ftp://example.com")
    assert error(ftp_only, "http://example.com").code == "invalid"
    ascii_domains = v.DomainNameValidator(accept_idna=False)
    ascii_domains("example.com")
    assert error(ascii_domains, "ñandú.com").code == "invalid"


def test_email_validator_options() -> None:
    local = v.EmailValidator(allowlist=["intranet"], message="bad", code="mail")
    local("me@intranet")
    assert error(local, "me@localhost").messages == ["bad"]
    assert error(local, "a" * 321 + "@example.com").code == "mail"
    assert local == v.EmailValidator(allowlist=["intranet"], message="bad", code="mail")
    assert local != v.validate_email
    assert hash(local) == hash(v.EmailValidator(allowlist=["intranet"], code="mail"))
    assert local.deconstruct() == (
        "fastjango.core.validators.EmailValidator",
        (),
        {"message": "bad", "code": "mail", "allowlist": ["intranet"]},
    )


def test_value_and_length_validators() -> None:
    assert v.MaxValueValidator(10)(10) is None
    exc = error(v.MaxValueValidator(10), 11)
    assert exc.messages == ["Ensure this value is less than or equal to 10."]
    assert exc.code == "max_value"
    assert error(v.MinValueValidator(lambda: 5), 4).messages == [
        "Ensure this value is greater than or equal to 5."
    ]
    assert error(v.MinLengthValidator(3), "ab").messages == [
        "Ensure this value has at least 3 characters (it has 2)."
    ]
    assert error(v.MinLengthValidator(1), "").messages == [
        "Ensure this value has at least 1 character (it has 0)."
    ]
    assert error(v.MaxLengthValidator(2), "abc").messages == [
        "Ensure this value has at most 2 characters (it has 3)."
    ]
    assert error(v.MaxLengthValidator(1), "ab").messages == [
        "Ensure this value has at most 1 character (it has 2)."
    ]
    assert error(v.MaxLengthValidator(1, message="short!"), "ab").messages == ["short!"]
    assert error(v.MinLengthValidator(5, message="long!"), "ab").messages == ["long!"]
    assert v.MaxValueValidator(3) == v.MaxValueValidator(3)
    assert v.MaxValueValidator(3) != v.MinValueValidator(3)
    assert v.MaxValueValidator(3).__eq__(object()) is NotImplemented
    assert hash(v.MaxValueValidator(3)) == hash(v.MaxValueValidator(3))
    assert v.MaxValueValidator(3).deconstruct() == (
        "fastjango.core.validators.MaxValueValidator",
        (3,),
        {},
    )
    base = v.BaseValidator(1)
    base(1)
    assert error(base, 2).messages == ["Ensure this value is 1 (it is 2)."]


def test_step_value_validator() -> None:
    step = v.StepValueValidator(3)
    step(9)
    assert error(step, 10).messages == ["Ensure this value is a multiple of step size 3."]
    offset = v.StepValueValidator(3, offset=1)
    offset(7)
    assert error(offset, 9).messages == [
        "Ensure this value is a multiple of step size 3, starting from 1, e.g. 1, 4, 7, and so on."
    ]
    v.StepValueValidator(0.1)(0.3)


def test_decimal_validator() -> None:
    validator = v.DecimalValidator(max_digits=5, decimal_places=2)
    for good in ["123.45", "0.01", "0", "-1.5", "1E+2"]:
        validator(Decimal(good))
    cases = {
        "1234.5": ("max_whole_digits", "Ensure that there are no more than 3 digits before"),
        "1.234": ("max_decimal_places", "Ensure that there are no more than 2 decimal places."),
        "123456": ("max_digits", "Ensure that there are no more than 5 digits in total."),
        "0.000001": ("max_digits", "Ensure that there are no more than 5 digits in total."),
        "NaN": ("invalid", "Enter a number."),
        "Infinity": ("invalid", "Enter a number."),
    }
    for value, (code, message) in cases.items():
        exc = error(validator, Decimal(value))
        assert exc.code == code
        assert exc.messages[0].startswith(message)
    assert validator == v.DecimalValidator(5, 2)
    assert validator != v.DecimalValidator(5, 3)
    assert hash(validator) == hash(v.DecimalValidator(5, 2))
    v.DecimalValidator(None, None)(Decimal("123456789.123456"))


def test_file_extension_validators() -> None:
    pdf = v.FileExtensionValidator(["PDF"], message="nope", code="ext")
    pdf(SimpleNamespace(name="doc.pdf"))
    exc = error(pdf, SimpleNamespace(name="doc.txt"))
    assert (exc.messages, exc.code) == (["nope"], "ext")
    default = v.FileExtensionValidator(["pdf", "png"])
    assert error(default, SimpleNamespace(name="x.exe")).messages == [
        "File extension “exe” is not allowed. Allowed extensions are: pdf, png."
    ]
    v.FileExtensionValidator()(SimpleNamespace(name="anything.bin"))
    assert pdf == v.FileExtensionValidator(["pdf"], message="nope", code="ext")
    assert hash(default) == hash(v.FileExtensionValidator(["png", "pdf"][::-1]))
    assert "png" in v.get_available_image_extensions()
    v.validate_image_file_extension(SimpleNamespace(name="photo.JPG"))
    with pytest.raises(ValidationError):
        v.validate_image_file_extension(SimpleNamespace(name="photo.txt"))


def test_ip_address_validators_and_int_lists() -> None:
    assert v.ip_address_validators("both", True) == [v.validate_ipv46_address]
    assert v.ip_address_validators("IPv4", False) == [v.validate_ipv4_address]
    with pytest.raises(ValueError, match="You can only use `unpack_ipv4`"):
        v.ip_address_validators("ipv4", True)
    with pytest.raises(ValueError, match="The protocol 'ipv5' is unknown"):
        v.ip_address_validators("ipv5", False)
    negatives = v.int_list_validator(sep=";", allow_negative=True)
    negatives("1;-2;3")
    assert error(negatives, "1,2").messages == ["Enter a valid value."]


def test_null_characters_validator_equality() -> None:
    custom = v.ProhibitNullCharactersValidator(message="no nul", code="nul")
    assert error(custom, "a\x00").messages == ["no nul"]
    assert custom == v.ProhibitNullCharactersValidator(message="no nul", code="nul")
    assert custom != v.ProhibitNullCharactersValidator()
    assert hash(custom) == hash(v.ProhibitNullCharactersValidator(message="no nul", code="nul"))
