"""Cryptographic signing with Django's API: ``Signer``, ``TimestampSigner``, ``dumps``/``loads``.

A signed value is ``value:signature``, the signature a URL-safe base64 HMAC
(SHA-256 by default) keyed from ``SECRET_KEY`` and a salt. The formats, salts
and key derivation are Django's own, so a value signed by a Django project
(a signed cookie, a ``dumps()`` token) verifies here with the same ``SECRET_KEY``.

    >>> signer = Signer()
    >>> value = signer.sign("My string")
    >>> signer.unsign(value)
    'My string'

``SECRET_KEY_FALLBACKS`` are tried when unsigning, so keys can be rotated.
"""

from __future__ import annotations

import base64
import datetime
import json
import re
import time
import zlib
from collections.abc import Iterable
from typing import Any

from fastjango.conf import settings
from fastjango.utils.crypto import constant_time_compare, salted_hmac
from fastjango.utils.encoding import force_bytes
from fastjango.utils.module_loading import import_string

__all__ = [
    "BadSignature",
    "JSONSerializer",
    "SignatureExpired",
    "Signer",
    "TimestampSigner",
    "b62_decode",
    "b62_encode",
    "b64_decode",
    "b64_encode",
    "base64_hmac",
    "dumps",
    "get_cookie_signer",
    "loads",
]

_BASE62_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# A separator made only of characters the base64 signature itself may contain
# would make the value ambiguous.
_SEP_UNSAFE = re.compile(r"^[A-z0-9-_=]*$")
# Django's salts, kept as they are so Django-signed values stay valid.
_DUMPS_SALT = "django.core.signing"
_COOKIE_SALT = "django.core.signing.get_cookie_signer"
_COOKIE_KEY_PREFIX = b"django.http.cookies"


class BadSignature(Exception):
    """The signature does not match the value: it was tampered with or signed with another key."""


class SignatureExpired(BadSignature):
    """The signature is valid but older than ``max_age``."""


def b62_encode(s: int) -> str:
    """Return ``s`` in base 62 (``-`` prefixed when negative)."""
    if s == 0:
        return "0"
    sign = "-" if s < 0 else ""
    s = abs(s)
    encoded = ""
    while s > 0:
        s, remainder = divmod(s, 62)
        encoded = _BASE62_ALPHABET[remainder] + encoded
    return sign + encoded


def b62_decode(s: str) -> int:
    """Return the integer a ``b62_encode()`` string stands for."""
    if s == "0":
        return 0
    sign = 1
    if s[:1] == "-":
        s = s[1:]
        sign = -1
    decoded = 0
    for digit in s:
        decoded = decoded * 62 + _BASE62_ALPHABET.index(digit)
    return sign * decoded


def b64_encode(s: bytes) -> bytes:
    """Return URL-safe base64 without the ``=`` padding."""
    return base64.urlsafe_b64encode(s).strip(b"=")


def b64_decode(s: bytes) -> bytes:
    """Decode ``b64_encode()`` output (the padding is put back first)."""
    return base64.urlsafe_b64decode(s + b"=" * (-len(s) % 4))


def base64_hmac(salt: str, value: Any, key: Any, algorithm: str = "sha1") -> str:
    """Return the URL-safe base64 HMAC of ``value``, keyed from ``salt`` and ``key``."""
    return b64_encode(salted_hmac(salt, value, key, algorithm=algorithm).digest()).decode()


def _cookie_signer_key(key: Any) -> bytes:
    # Cookie signatures get their own key, so one can't be replayed as another kind.
    secret: bytes = force_bytes(key)
    return _COOKIE_KEY_PREFIX + secret


def get_cookie_signer(salt: str = _COOKIE_SALT) -> TimestampSigner:
    """Return the ``SIGNING_BACKEND`` signer used for signed cookies.

    The backend must take ``TimestampSigner``'s arguments (``unsign(value, max_age=...)``).
    """
    backend = settings.SIGNING_BACKEND
    if isinstance(backend, str) and backend.startswith("django."):
        backend = "fastjango." + backend.removeprefix("django.")
    signer_class = import_string(backend) if isinstance(backend, str) else backend
    signer: TimestampSigner = signer_class(
        key=_cookie_signer_key(settings.SECRET_KEY),
        fallback_keys=[_cookie_signer_key(key) for key in settings.SECRET_KEY_FALLBACKS],
        salt=salt,
    )
    return signer


class JSONSerializer:
    """Compact JSON, the serializer ``dumps()`` and ``sign_object()`` use by default."""

    def dumps(self, obj: Any) -> bytes:
        return json.dumps(obj, separators=(",", ":")).encode("latin-1")

    def loads(self, data: bytes) -> Any:
        return json.loads(data.decode("latin-1"))


class Signer:
    """Sign strings (and JSON-able objects) with a keyed HMAC.

    ``key`` defaults to ``SECRET_KEY`` and ``fallback_keys`` to
    ``SECRET_KEY_FALLBACKS``; ``salt`` namespaces the signatures (by default
    the class's dotted path); ``sep`` may not be empty or only characters of
    the URL-safe base64 alphabet.
    """

    def __init__(
        self,
        *,
        key: Any = None,
        sep: str = ":",
        salt: str | None = None,
        algorithm: str | None = None,
        fallback_keys: Iterable[Any] | None = None,
    ) -> None:
        self.key = key or settings.SECRET_KEY
        self.fallback_keys = (
            list(fallback_keys) if fallback_keys is not None else settings.SECRET_KEY_FALLBACKS
        )
        self.sep = sep
        self.salt = salt or _default_salt(type(self))
        self.algorithm = algorithm or "sha256"
        if _SEP_UNSAFE.match(self.sep):
            raise ValueError(
                f"Unsafe Signer separator: {sep!r} (cannot be empty or consist of only A-z0-9-_=)"
            )

    def signature(self, value: Any, key: Any = None) -> str:
        """Return the signature of ``value`` (with ``key``, by default the signer's)."""
        return base64_hmac(self.salt + "signer", value, key or self.key, algorithm=self.algorithm)

    def sign(self, value: Any) -> str:
        """Return ``value`` followed by the separator and its signature."""
        value = str(value)
        return f"{value}{self.sep}{self.signature(value)}"

    def unsign(self, signed_value: str) -> str:
        """Return the value of a signed string; raise ``BadSignature`` if it doesn't verify."""
        if not isinstance(signed_value, str):
            raise BadSignature(f"Signed value must be a str, not {type(signed_value).__name__}")
        if self.sep not in signed_value:
            raise BadSignature(f'No "{self.sep}" found in value')
        value, sig = signed_value.rsplit(self.sep, 1)
        for key in [self.key, *self.fallback_keys]:
            if constant_time_compare(sig, self.signature(value, key)):
                return value
        raise BadSignature(f'Signature "{sig}" does not match')

    def sign_object(
        self, obj: Any, serializer: type[Any] = JSONSerializer, compress: bool = False
    ) -> str:
        """Serialize ``obj`` (JSON by default), base64 it and sign it.

        ``compress`` zlib-compresses the data when that makes it shorter; the
        value then starts with ``.``.
        """
        data: bytes = serializer().dumps(obj)
        is_compressed = False
        if compress:
            compressed = zlib.compress(data)
            if len(compressed) < len(data) - 1:
                data = compressed
                is_compressed = True
        encoded = b64_encode(data).decode()
        if is_compressed:
            encoded = "." + encoded
        return self.sign(encoded)

    def unsign_object(
        self, signed_obj: str, serializer: type[Any] = JSONSerializer, **kwargs: Any
    ) -> Any:
        """Return the object ``sign_object()`` signed; raise ``BadSignature`` if it fails."""
        encoded = self.unsign(signed_obj, **kwargs).encode()
        decompress = encoded[:1] == b"."
        if decompress:
            encoded = encoded[1:]
        try:
            data = b64_decode(encoded)
            if decompress:
                data = zlib.decompress(data)
        except (ValueError, zlib.error) as err:
            # Only a holder of the key could have signed this: treat it as tampering.
            raise BadSignature(f"Signed object could not be decoded: {err}") from err
        return serializer().loads(data)


class TimestampSigner(Signer):
    """A ``Signer`` that also signs the time, so ``unsign()`` can enforce a ``max_age``."""

    def timestamp(self) -> str:
        """Return the current time in seconds, base 62."""
        return b62_encode(int(time.time()))

    def sign(self, value: Any) -> str:
        return super().sign(f"{value}{self.sep}{self.timestamp()}")

    def unsign(self, value: str, max_age: int | float | datetime.timedelta | None = None) -> str:
        """Return the value; raise ``SignatureExpired`` when signed more than ``max_age`` ago."""
        result = super().unsign(value)
        value, encoded_timestamp = result.rsplit(self.sep, 1)
        try:
            timestamp = b62_decode(encoded_timestamp)
        except ValueError as err:
            raise BadSignature(f"Invalid timestamp {encoded_timestamp!r}") from err
        if max_age is not None:
            if isinstance(max_age, datetime.timedelta):
                max_age = max_age.total_seconds()
            age = time.time() - timestamp
            if age > max_age:
                raise SignatureExpired(f"Signature age {age} > {max_age} seconds")
        return value


def _default_salt(cls: type[Signer]) -> str:
    # Django salts with the class's dotted path; the built-in classes use Django's
    # path so that their signatures match a Django project's.
    module = cls.__module__
    if module == __name__:
        module = "django.core.signing"
    return f"{module}.{cls.__name__}"


def dumps(
    obj: Any,
    key: Any = None,
    salt: str = _DUMPS_SALT,
    serializer: type[Any] = JSONSerializer,
    compress: bool = False,
) -> str:
    """Return a URL-safe, signed and timestamped string holding ``obj`` (JSON by default).

    The result is signed, not encrypted: anyone can read it, no one can change it.
    """
    return TimestampSigner(key=key, salt=salt).sign_object(
        obj, serializer=serializer, compress=compress
    )


def loads(
    s: str,
    key: Any = None,
    salt: str = _DUMPS_SALT,
    serializer: type[Any] = JSONSerializer,
    max_age: int | float | datetime.timedelta | None = None,
    fallback_keys: Iterable[Any] | None = None,
) -> Any:
    """Return the object ``dumps()`` signed; raise ``BadSignature`` or ``SignatureExpired``."""
    return TimestampSigner(key=key, salt=salt, fallback_keys=fallback_keys).unsign_object(
        s, serializer=serializer, max_age=max_age
    )
