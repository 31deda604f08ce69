"""Validators with Django's names, messages and codes.

A validator is a callable that raises ``ValidationError`` for a bad value and
returns None otherwise. The class-based ones compare equal when configured
alike and deconstruct for migrations.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastjango.core.exceptions import ValidationError

__all__ = [
    "EMPTY_VALUES",
    "BaseValidator",
    "DecimalValidator",
    "DomainNameValidator",
    "EmailValidator",
    "FileExtensionValidator",
    "MaxLengthValidator",
    "MaxValueValidator",
    "MinLengthValidator",
    "MinValueValidator",
    "ProhibitNullCharactersValidator",
    "RegexValidator",
    "StepValueValidator",
    "URLValidator",
    "get_available_image_extensions",
    "int_list_validator",
    "integer_validator",
    "ip_address_validators",
    "validate_comma_separated_integer_list",
    "validate_domain_name",
    "validate_email",
    "validate_image_file_extension",
    "validate_integer",
    "validate_ipv46_address",
    "validate_ipv4_address",
    "validate_ipv6_address",
    "validate_slug",
    "validate_unicode_slug",
]

EMPTY_VALUES: tuple[Any, ...] = (None, "", [], (), {})


def _deconstruct(obj: Any, kwargs: dict[str, Any]) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
    return f"{type(obj).__module__}.{type(obj).__qualname__}", (), kwargs


class RegexValidator:
    """Raise unless ``regex`` matches (or, with ``inverse_match``, unless it doesn't)."""

    regex: Any = ""
    message: str = "Enter a valid value."
    code = "invalid"
    inverse_match = False
    flags = 0

    def __init__(
        self,
        regex: str | re.Pattern[str] | None = None,
        message: str | None = None,
        code: str | None = None,
        inverse_match: bool | None = None,
        flags: int | None = None,
    ) -> None:
        if regex is not None:
            self.regex = regex
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code
        if inverse_match is not None:
            self.inverse_match = inverse_match
        if flags is not None:
            self.flags = flags
        if self.flags and not isinstance(self.regex, str):
            raise TypeError("If the flags are set, regex must be a regular expression string.")
        self.regex = (
            re.compile(self.regex, self.flags) if isinstance(self.regex, str) else self.regex
        )

    def __call__(self, value: Any) -> None:
        matched = self.regex.search(str(value))
        invalid = bool(matched) if self.inverse_match else not matched
        if invalid:
            raise ValidationError(self.message, code=self.code, params={"value": value})

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, RegexValidator)
            and self.regex.pattern == other.regex.pattern
            and self.regex.flags == other.regex.flags
            and self.message == other.message
            and self.code == other.code
            and self.inverse_match == other.inverse_match
        )

    def __hash__(self) -> int:
        return hash((self.regex.pattern, self.regex.flags, self.code, self.inverse_match))

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        """Return the arguments that rebuild this validator (for migrations)."""
        return _deconstruct(
            self,
            {
                "regex": self.regex.pattern,
                "message": self.message,
                "code": self.code,
                "inverse_match": self.inverse_match,
            },
        )


# Domain rules shared by URLs, e-mail addresses and domain names.
_UL = "\u00a1-\uffff"
_HOSTNAME_RE = r"[a-z" + _UL + r"0-9](?:[a-z" + _UL + r"0-9-]{0,61}[a-z" + _UL + r"0-9])?"
_DOMAIN_RE = r"(?:\.(?!-)[a-z" + _UL + r"0-9-]{1,63}(?<!-))*"
_TLD_RE = r"\.(?!-)(?:[a-z" + _UL + "-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)\\.?"
_HOST_RE = "(" + _HOSTNAME_RE + _DOMAIN_RE + _TLD_RE + "|localhost)"


class DomainNameValidator(RegexValidator):
    """Validate a domain name (IDNs allowed unless ``accept_idna=False``)."""

    message = "Enter a valid domain name."
    max_length = 255

    def __init__(self, *, accept_idna: bool = True, **kwargs: Any) -> None:
        self.accept_idna = accept_idna
        if accept_idna:
            self.regex = _HOSTNAME_RE + _DOMAIN_RE + _TLD_RE
        else:
            ascii_host = r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
            ascii_domain = r"(?:\.(?!-)[a-zA-Z0-9-]{1,63}(?<!-))*"
            ascii_tld = r"\.(?!-)(?:[a-zA-Z0-9-]{2,63})(?<!-)\.?"
            self.regex = ascii_host + ascii_domain + ascii_tld
        self.regex = "^" + self.regex + r"\Z"
        kwargs.setdefault("flags", re.IGNORECASE)
        super().__init__(**kwargs)

    def __call__(self, value: Any) -> None:
        if not isinstance(value, str) or len(value) > self.max_length:
            raise ValidationError(self.message, code=self.code, params={"value": value})
        if not self.accept_idna and not value.isascii():
            raise ValidationError(self.message, code=self.code, params={"value": value})
        super().__call__(value)


validate_domain_name = DomainNameValidator()


class URLValidator(RegexValidator):
    """Validate a URL with one of ``schemes`` (http, https, ftp, ftps by default)."""

    message = "Enter a valid URL."
    schemes = ["http", "https", "ftp", "ftps"]
    unsafe_chars = frozenset("\t\r\n")
    max_length = 2048
    regex = re.compile(
        r"^(?:[a-z0-9.+-]*)://"
        r"(?:[^\s:@/]+(?::[^\s:@/]*)?@)?"
        r"(?:(?:0|25[0-5]|2[0-4][0-9]|1[0-9]?[0-9]?|[1-9][0-9]?)"
        r"(?:\.(?:0|25[0-5]|2[0-4][0-9]|1[0-9]?[0-9]?|[1-9][0-9]?)){3}"
        r"|\[[0-9a-f:.]+\]"
        r"|" + _HOST_RE + r")"
        r"(?::[0-9]{1,5})?"
        r"(?:[/?#][^\s]*)?"
        r"\Z",
        re.IGNORECASE,
    )

    def __init__(self, schemes: Sequence[str] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if schemes is not None:
            self.schemes = list(schemes)

    def __call__(self, value: Any) -> None:
        if not isinstance(value, str) or len(value) > self.max_length:
            raise ValidationError(self.message, code=self.code, params={"value": value})
        if self.unsafe_chars.intersection(value):
            raise ValidationError(self.message, code=self.code, params={"value": value})
        scheme = value.split("://")[0].lower()
        if scheme not in self.schemes:
            raise ValidationError(self.message, code=self.code, params={"value": value})
        try:
            # urlsplit() also rejects a bracketed host that isn't an IP address.
            split = urlsplit(value)
        except ValueError:
            raise ValidationError(self.message, code=self.code, params={"value": value}) from None
        super().__call__(value)
        host = split.hostname or ""
        if len(host) > 253:
            raise ValidationError(self.message, code=self.code, params={"value": value})


integer_validator = RegexValidator(
    re.compile(r"^-?\d+\Z"), message="Enter a valid integer.", code="invalid"
)


def validate_integer(value: Any) -> None:
    """Raise unless ``value`` is an integer, possibly negative."""
    integer_validator(value)


class EmailValidator:
    """Validate an e-mail address; domains in ``allowlist`` need no dot (``localhost``)."""

    message = "Enter a valid email address."
    code = "invalid"
    user_regex = re.compile(
        r"(^[-!#$%&'*+/=?^_`{}|~0-9A-Z]+(\.[-!#$%&'*+/=?^_`{}|~0-9A-Z]+)*\Z"
        r'|^"([\001-\010\013\014\016-\037!#-\[\]-\177]|\\[\001-\011\013\014\016-\177])*"\Z)',
        re.IGNORECASE,
    )
    domain_regex = re.compile(
        r"((?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+)(?:[A-Z0-9-]{2,63}(?<!-))\Z",
        re.IGNORECASE,
    )
    literal_regex = re.compile(r"\[([A-F0-9:.]+)\]\Z", re.IGNORECASE)
    domain_allowlist = ["localhost"]

    def __init__(
        self,
        message: str | None = None,
        code: str | None = None,
        allowlist: Sequence[str] | None = None,
    ) -> None:
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code
        if allowlist is not None:
            self.domain_allowlist = list(allowlist)

    def __call__(self, value: Any) -> None:
        if not value or "@" not in value or len(value) > 320:
            raise ValidationError(self.message, code=self.code, params={"value": value})
        user_part, domain_part = value.rsplit("@", 1)
        if not self.user_regex.match(user_part):
            raise ValidationError(self.message, code=self.code, params={"value": value})
        if domain_part not in self.domain_allowlist and not self.validate_domain_part(domain_part):
            raise ValidationError(self.message, code=self.code, params={"value": value})

    def validate_domain_part(self, domain_part: str) -> bool:
        """Return whether the part after ``@`` is a domain or an address literal."""
        try:
            ascii_domain = domain_part.encode("idna").decode("ascii")
        except UnicodeError:
            ascii_domain = domain_part
        if self.domain_regex.match(ascii_domain):
            return True
        literal = self.literal_regex.match(domain_part)
        if literal:
            try:
                validate_ipv46_address(literal[1])
            except ValidationError:
                return False
            return True
        return False

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, EmailValidator)
            and self.domain_allowlist == other.domain_allowlist
            and self.message == other.message
            and self.code == other.code
        )

    def __hash__(self) -> int:
        return hash((tuple(self.domain_allowlist), self.code))

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        """Return the arguments that rebuild this validator (for migrations)."""
        return _deconstruct(
            self, {"message": self.message, "code": self.code, "allowlist": self.domain_allowlist}
        )


validate_email = EmailValidator()

validate_slug = RegexValidator(
    re.compile(r"^[-a-zA-Z0-9_]+\Z"),
    "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.",
    "invalid",
)
validate_unicode_slug = RegexValidator(
    re.compile(r"^[-\w]+\Z"),
    "Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens.",
    "invalid",
)


def validate_ipv4_address(value: Any) -> None:
    """Raise unless ``value`` is an IPv4 address."""
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        raise ValidationError(
            "Enter a valid IPv4 address.",
            code="invalid",
            params={"protocol": "IPv4", "value": value},
        ) from None


def validate_ipv6_address(value: Any) -> None:
    """Raise unless ``value`` is an IPv6 address."""
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        raise ValidationError(
            "Enter a valid IPv6 address.",
            code="invalid",
            params={"protocol": "IPv6", "value": value},
        ) from None


def validate_ipv46_address(value: Any) -> None:
    """Raise unless ``value`` is an IPv4 or IPv6 address."""
    try:
        validate_ipv4_address(value)
    except ValidationError:
        try:
            validate_ipv6_address(value)
        except ValidationError:
            raise ValidationError(
                "Enter a valid IPv4 or IPv6 address.",
                code="invalid",
                params={"protocol": "IPv4 or IPv6", "value": value},
            ) from None


_IP_VALIDATORS: dict[str, Callable[[Any], None]] = {
    "both": validate_ipv46_address,
    "ipv4": validate_ipv4_address,
    "ipv6": validate_ipv6_address,
}


def ip_address_validators(protocol: str, unpack_ipv4: bool) -> list[Callable[[Any], None]]:
    """Return the validators for a GenericIPAddressField's ``protocol``."""
    if protocol != "both" and unpack_ipv4:
        raise ValueError("You can only use `unpack_ipv4` if `protocol` is set to 'both'")
    try:
        return [_IP_VALIDATORS[protocol.lower()]]
    except KeyError:
        raise ValueError(
            f"The protocol '{protocol}' is unknown. Supported: {list(_IP_VALIDATORS)}"
        ) from None


def int_list_validator(
    sep: str = ",",
    message: str | None = None,
    code: str = "invalid",
    allow_negative: bool = False,
) -> RegexValidator:
    """Return a validator of integers separated by ``sep``."""
    neg = "(-)?" if allow_negative else ""
    regexp = re.compile(rf"^{neg}\d+(?:{re.escape(sep)}{neg}\d+)*\Z")
    return RegexValidator(regexp, message=message, code=code)


validate_comma_separated_integer_list = int_list_validator(
    message="Enter only digits separated by commas."
)


class BaseValidator:
    """Compare the cleaned value with ``limit_value`` (which may be a callable)."""

    message = "Ensure this value is %(limit_value)s (it is %(show_value)s)."
    code = "limit_value"

    def __init__(self, limit_value: Any, message: str | None = None) -> None:
        self.limit_value = limit_value
        if message:
            self.message = message

    def __call__(self, value: Any) -> None:
        cleaned = self.clean(value)
        limit_value = self.limit_value() if callable(self.limit_value) else self.limit_value
        params = {"limit_value": limit_value, "show_value": cleaned, "value": value}
        if self.compare(cleaned, limit_value):
            raise ValidationError(self.get_message(params), code=self.code, params=params)

    def get_message(self, params: dict[str, Any]) -> str:
        """Return the message for a failed comparison."""
        return self.message

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, self.__class__):
            return NotImplemented
        return (
            self.limit_value == other.limit_value
            and self.message == other.message
            and self.code == other.code
        )

    def __hash__(self) -> int:
        return hash((type(self), repr(self.limit_value), self.code))

    def compare(self, a: Any, b: Any) -> bool:
        """Return whether the value fails (``a`` is the cleaned value, ``b`` the limit)."""
        return bool(a is not b)

    def clean(self, x: Any) -> Any:
        """Return what is compared (the value itself, or its length)."""
        return x

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        """Return the arguments that rebuild this validator (for migrations)."""
        path, _, _ = _deconstruct(self, {})
        return path, (self.limit_value,), {}


class MaxValueValidator(BaseValidator):
    """Raise when the value is greater than ``limit_value``."""

    message = "Ensure this value is less than or equal to %(limit_value)s."
    code = "max_value"

    def compare(self, a: Any, b: Any) -> bool:
        return bool(a > b)


class MinValueValidator(BaseValidator):
    """Raise when the value is less than ``limit_value``."""

    message = "Ensure this value is greater than or equal to %(limit_value)s."
    code = "min_value"

    def compare(self, a: Any, b: Any) -> bool:
        return bool(a < b)


class StepValueValidator(BaseValidator):
    """Raise unless the value is ``offset`` plus a multiple of ``limit_value``."""

    message = "Ensure this value is a multiple of step size %(limit_value)s."
    code = "step_size"

    def __init__(self, limit_value: Any, message: str | None = None, offset: Any = None) -> None:
        super().__init__(limit_value, message)
        if offset is not None:
            self.message = (
                "Ensure this value is a multiple of step size %(limit_value)s, starting from "
                "%(offset)s, e.g. %(offset)s, %(valid_value1)s, %(valid_value2)s, and so on."
            )
        self.offset = offset

    def __call__(self, value: Any) -> None:
        offset = 0 if self.offset is None else self.offset
        limit_value = self.limit_value() if callable(self.limit_value) else self.limit_value
        params = {
            "limit_value": limit_value,
            "offset": offset,
            "valid_value1": offset + limit_value,
            "valid_value2": offset + 2 * limit_value,
            "show_value": value,
            "value": value,
        }
        if not math.isclose(math.remainder(value - offset, limit_value), 0, abs_tol=1e-9):
            raise ValidationError(self.message, code=self.code, params=params)


class MinLengthValidator(BaseValidator):
    """Raise when the value has fewer than ``limit_value`` characters."""

    code = "min_length"

    def get_message(self, params: dict[str, Any]) -> str:
        if self.message is not MinLengthValidator.message:
            return self.message
        noun = "character" if params["limit_value"] == 1 else "characters"
        return f"Ensure this value has at least %(limit_value)d {noun} (it has %(show_value)d)."

    message = "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d)."

    def compare(self, a: Any, b: Any) -> bool:
        return bool(a < b)

    def clean(self, x: Any) -> int:
        return len(x)


class MaxLengthValidator(BaseValidator):
    """Raise when the value has more than ``limit_value`` characters."""

    code = "max_length"
    message = "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d)."

    def get_message(self, params: dict[str, Any]) -> str:
        if self.message is not MaxLengthValidator.message:
            return self.message
        noun = "character" if params["limit_value"] == 1 else "characters"
        return f"Ensure this value has at most %(limit_value)d {noun} (it has %(show_value)d)."

    def compare(self, a: Any, b: Any) -> bool:
        return bool(a > b)

    def clean(self, x: Any) -> int:
        return len(x)


class DecimalValidator:
    """Raise when a Decimal has too many digits in total, or before or after the point."""

    messages = {
        "invalid": "Enter a number.",
        "max_digits": "Ensure that there are no more than %(max)s digits in total.",
        "max_decimal_places": "Ensure that there are no more than %(max)s decimal places.",
        "max_whole_digits": (
            "Ensure that there are no more than %(max)s digits before the decimal point."
        ),
    }

    def __init__(self, max_digits: int | None, decimal_places: int | None) -> None:
        self.max_digits = max_digits
        self.decimal_places = decimal_places

    def __call__(self, value: Decimal) -> None:
        digit_tuple, exponent = value.as_tuple()[1:]
        if exponent in {"F", "n", "N"}:
            raise ValidationError(self.messages["invalid"], code="invalid", params={"value": value})
        assert isinstance(exponent, int)
        if exponent >= 0:
            digits = len(digit_tuple)
            if digit_tuple != (0,):
                digits += exponent
            decimals = 0
        elif abs(exponent) > len(digit_tuple):
            digits = decimals = abs(exponent)
        else:
            digits = len(digit_tuple)
            decimals = abs(exponent)
        whole_digits = digits - decimals
        if self.max_digits is not None and digits > self.max_digits:
            raise ValidationError(
                self.messages["max_digits"],
                code="max_digits",
                params={"max": self.max_digits, "value": value},
            )
        if self.decimal_places is not None and decimals > self.decimal_places:
            raise ValidationError(
                self.messages["max_decimal_places"],
                code="max_decimal_places",
                params={"max": self.decimal_places, "value": value},
            )
        if (
            self.max_digits is not None
            and self.decimal_places is not None
            and whole_digits > (self.max_digits - self.decimal_places)
        ):
            raise ValidationError(
                self.messages["max_whole_digits"],
                code="max_whole_digits",
                params={"max": (self.max_digits - self.decimal_places), "value": value},
            )

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, self.__class__)
            and self.max_digits == other.max_digits
            and self.decimal_places == other.decimal_places
        )

    def __hash__(self) -> int:
        return hash((self.max_digits, self.decimal_places))


class FileExtensionValidator:
    """Raise when a file's name doesn't end with one of ``allowed_extensions``."""

    message = (
        "File extension “%(extension)s” is not allowed. "
        "Allowed extensions are: %(allowed_extensions)s."
    )
    code = "invalid_extension"

    def __init__(
        self,
        allowed_extensions: Sequence[str] | None = None,
        message: str | None = None,
        code: str | None = None,
    ) -> None:
        if allowed_extensions is not None:
            allowed_extensions = [ext.lower() for ext in allowed_extensions]
        self.allowed_extensions = allowed_extensions
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code

    def __call__(self, value: Any) -> None:
        extension = Path(value.name).suffix[1:].lower()
        if self.allowed_extensions is not None and extension not in self.allowed_extensions:
            raise ValidationError(
                self.message,
                code=self.code,
                params={
                    "extension": extension,
                    "allowed_extensions": ", ".join(self.allowed_extensions),
                    "value": value,
                },
            )

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, self.__class__)
            and self.allowed_extensions == other.allowed_extensions
            and self.message == other.message
            and self.code == other.code
        )

    def __hash__(self) -> int:
        return hash((tuple(self.allowed_extensions or ()), self.code))


# Without Pillow, the extensions Pillow reads on every platform.
_IMAGE_EXTENSIONS = [
    "bmp", "dib", "gif", "jfif", "jpe", "jpg", "jpeg", "pbm", "pgm", "ppm", "pnm",
    "png", "apng", "tif", "tiff", "webp", "ico", "icns", "tga", "avif",
]  # fmt: skip


def get_available_image_extensions() -> list[str]:
    """Return the image file extensions Pillow can open (a common list without Pillow)."""
    try:
        from PIL import Image  # type: ignore[import-not-found]
    except ImportError:
        return list(_IMAGE_EXTENSIONS)
    Image.init()
    return [ext.lower()[1:] for ext in Image.EXTENSION]


def validate_image_file_extension(value: Any) -> None:
    """Raise unless the file's extension is an image extension."""
    FileExtensionValidator(allowed_extensions=get_available_image_extensions())(value)


class ProhibitNullCharactersValidator:
    """Raise when the string form of the value contains a NUL character."""

    message = "Null characters are not allowed."
    code = "null_characters_not_allowed"

    def __init__(self, message: str | None = None, code: str | None = None) -> None:
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code

    def __call__(self, value: Any) -> None:
        if "\x00" in str(value):
            raise ValidationError(self.message, code=self.code, params={"value": value})

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, self.__class__)
            and self.message == other.message
            and self.code == other.code
        )

    def __hash__(self) -> int:
        return hash((self.message, self.code))
