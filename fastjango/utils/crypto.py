"""Cryptographic helpers with Django's names: salted HMACs, random strings, safe comparison.

``salted_hmac`` derives its key exactly as Django does, so values signed by a
Django project with the same ``SECRET_KEY`` verify here, and the other way round.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from typing import Any

from fastjango.conf import settings
from fastjango.utils.encoding import force_bytes

__all__ = [
    "RANDOM_STRING_CHARS",
    "InvalidAlgorithm",
    "constant_time_compare",
    "get_random_string",
    "pbkdf2",
    "salted_hmac",
]

RANDOM_STRING_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


class InvalidAlgorithm(ValueError):
    """The hash algorithm named is not one ``hashlib`` provides."""


def _hasher(algorithm: str) -> Callable[..., Any]:
    if not isinstance(algorithm, str) or algorithm not in hashlib.algorithms_available:
        raise InvalidAlgorithm(f"{algorithm!r} is not an algorithm accepted by the hashlib module.")
    return lambda data=b"": hashlib.new(algorithm, data)


def salted_hmac(
    key_salt: Any, value: Any, secret: Any = None, *, algorithm: str = "sha1"
) -> hmac.HMAC:
    """Return the HMAC of ``value`` keyed with a hash of ``key_salt`` + ``secret``.

    ``secret`` defaults to ``SECRET_KEY``; a different ``key_salt`` per use keeps
    one application's signatures from being valid for another.
    """
    if secret is None:
        secret = settings.SECRET_KEY
    hasher = _hasher(algorithm)
    # Hashing salt + secret gives a key of the digest's size, whatever the secret's length.
    key = hasher(force_bytes(key_salt) + force_bytes(secret)).digest()
    return hmac.new(key, msg=force_bytes(value), digestmod=algorithm)


def get_random_string(length: int, allowed_chars: str = RANDOM_STRING_CHARS) -> str:
    """Return a cryptographically secure random string of ``length`` characters."""
    if not isinstance(length, int) or length < 0:
        raise ValueError(f"get_random_string() length must be a non-negative int, got {length!r}.")
    if not allowed_chars:
        raise ValueError("get_random_string() needs at least one allowed character.")
    return "".join(secrets.choice(allowed_chars) for _ in range(length))


def constant_time_compare(val1: Any, val2: Any) -> bool:
    """Return whether two strings (or bytes) are equal, in time that leaks no position."""
    return secrets.compare_digest(force_bytes(val1), force_bytes(val2))


def pbkdf2(
    password: Any,
    salt: Any,
    iterations: int,
    dklen: int = 0,
    digest: Callable[..., Any] | None = None,
) -> bytes:
    """Return the PBKDF2-HMAC key of ``password`` (``digest`` defaults to SHA-256).

    ``dklen`` 0 means the digest's own size.
    """
    name = (digest or hashlib.sha256)().name
    return hashlib.pbkdf2_hmac(
        name, force_bytes(password), force_bytes(salt), iterations, dklen or None
    )
