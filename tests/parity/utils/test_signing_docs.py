"""Django's "Cryptographic signing" page and ``django.utils.crypto``, on FastJango."""

from __future__ import annotations

import datetime
import hashlib
import time

import pytest

from fastjango.core import signing
from fastjango.core.signing import BadSignature, SignatureExpired, Signer, TimestampSigner
from fastjango.test import override_settings
from fastjango.utils import crypto


def test_signer_examples() -> None:
    signer = Signer()
    value = signer.sign("My string")
    assert value.startswith("My string:")
    assert signer.unsign(value) == "My string"
    signed_obj = signer.sign_object({"message": "Hello!"})
    assert signed_obj.startswith("eyJtZXNzYWdlIjoiSGVsbG8hIn0:")
    assert signer.unsign_object(signed_obj) == {"message": "Hello!"}
    with pytest.raises(BadSignature, match=r'Signature ".*m" does not match'):
        signer.unsign(value + "m")
    with pytest.raises(BadSignature, match='No ":" found in value'):
        signer.unsign("no separator")
    with pytest.raises(BadSignature, match="must be a str"):
        signer.unsign(b"bytes:x")  # type: ignore[arg-type]


def test_signatures_match_djangos() -> None:
    # Test vectors from Django's own test suite: a FastJango signature is a Django one.
    assert Signer(key=b"\xe7").sign("foo") == "foo:EE4qGC5MEKyQG5msxYA0sBohAxLC0BJf8uRhemh0BGU"
    for sep in ["/", "*sep*", ","]:
        signer = Signer(key="predictable-secret", sep=sep)
        assert signer.sign("foo") == f"foo{sep}jZQoX_FtSO70jX9HLRGg2A_2s4kdDBxz1QoO_OpEQb0"
        assert signer.unsign(signer.sign("foo")) == "foo"


def test_keys_salts_and_algorithms_separate_signatures() -> None:
    value = Signer().sign("My string")
    with pytest.raises(BadSignature):
        Signer(key="my-other-secret").unsign(value)
    with pytest.raises(BadSignature):
        Signer(salt="extra").unsign(value)
    salted = Signer(salt="extra").sign("My string")
    assert salted != value and Signer(salt="extra").unsign(salted) == "My string"
    sha512 = Signer(algorithm="sha512").sign("x")
    assert len(sha512.split(":")[1]) == 86 and Signer(algorithm="sha512").unsign(sha512) == "x"
    with pytest.raises(crypto.InvalidAlgorithm, match="'nope' is not an algorithm"):
        Signer(algorithm="nope").sign("x")
    for bad in ["", "-", "abc", "=_"]:
        with pytest.raises(ValueError, match="Unsafe Signer separator"):
            Signer(sep=bad)

    class MySigner(Signer):
        pass

    assert MySigner().salt == f"{__name__}.MySigner"
    assert Signer().salt == "django.core.signing.Signer"


def test_key_rotation_with_fallbacks() -> None:
    old = Signer(key="old-secret").sign("value")
    assert Signer(key="new", fallback_keys=["old-secret"]).unsign(old) == "value"
    with override_settings(SECRET_KEY="new-secret", SECRET_KEY_FALLBACKS=["old-secret"]):
        assert Signer().unsign(old) == "value"
        assert signing.loads(signing.dumps("x", key="old-secret")) == "x"
    with pytest.raises(BadSignature):
        Signer(key="new", fallback_keys=[]).unsign(old)


def test_timestamp_signer(monkeypatch: pytest.MonkeyPatch) -> None:
    signer = TimestampSigner()
    value = signer.sign("hello")
    assert value.count(":") == 2 and value.startswith("hello:")
    assert signer.unsign(value) == "hello"
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 15.5)
    with pytest.raises(SignatureExpired, match=r"Signature age 1\d\.\d+ > 10 seconds"):
        signer.unsign(value, max_age=10)
    assert signer.unsign(value, max_age=20) == "hello"
    assert signer.unsign(value, max_age=datetime.timedelta(seconds=20)) == "hello"
    assert issubclass(SignatureExpired, BadSignature)
    forged = Signer(salt=signer.salt).sign("hello:!!")
    with pytest.raises(BadSignature, match="Invalid timestamp"):
        signer.unsign(forged)


def test_dumps_and_loads() -> None:
    value = signing.dumps({"foo": "bar"})
    assert value.startswith("eyJmb28iOiJiYXIifQ:")
    assert signing.loads(value) == {"foo": "bar"}
    assert signing.loads(signing.dumps(["a", "list"])) == ["a", "list"]
    compressed = signing.dumps({"text": "x" * 200}, compress=True)
    assert compressed.startswith(".") and len(compressed) < 100
    assert signing.loads(compressed) == {"text": "x" * 200}
    assert not signing.dumps({"a": 1}, compress=True).startswith(".")
    with pytest.raises(BadSignature):
        signing.loads(value, salt="other")
    with pytest.raises(BadSignature):
        signing.loads(value.upper())
    with pytest.raises(SignatureExpired):
        signing.loads(signing.dumps("x"), max_age=-1)
    # Signed by the key holder but not base64: still a bad signature, not a crash.
    garbage = TimestampSigner(salt="django.core.signing").sign(".!!!")
    with pytest.raises(BadSignature, match="could not be decoded"):
        signing.loads(garbage)


def test_base62_and_base64_helpers() -> None:
    for number in [0, 1, 61, 62, -62, 10**12]:
        assert signing.b62_decode(signing.b62_encode(number)) == number
    assert signing.b62_encode(61) == "z" and signing.b62_encode(-1) == "-1"
    assert signing.b64_encode(b"\xff\xfe") == b"__4"
    assert signing.b64_decode(b"__4") == b"\xff\xfe"


def test_cookie_signer_backend() -> None:
    with override_settings(SIGNING_BACKEND="django.core.signing.TimestampSigner"):
        assert isinstance(signing.get_cookie_signer(), TimestampSigner)
    with override_settings(SIGNING_BACKEND=TimestampSigner):
        assert signing.get_cookie_signer(salt="s").salt == "s"


def test_crypto_helpers() -> None:
    assert crypto.constant_time_compare("abc", "abc")
    assert crypto.constant_time_compare(b"abc", "abc")
    assert not crypto.constant_time_compare("abc", "abd")
    token = crypto.get_random_string(12)
    assert len(token) == 12 and set(token) <= set(crypto.RANDOM_STRING_CHARS)
    assert crypto.get_random_string(5, "a") == "aaaaa"
    with pytest.raises(ValueError, match="non-negative int"):
        crypto.get_random_string(-1)
    with pytest.raises(ValueError, match="at least one"):
        crypto.get_random_string(3, "")
    mac = crypto.salted_hmac("salt", "value", "secret")
    assert mac.digest_size == 20  # sha1 by default, as in Django
    assert crypto.salted_hmac("salt", "value", "secret", algorithm="sha256").digest_size == 32
    assert crypto.salted_hmac("salt", "value").hexdigest() != mac.hexdigest()
    assert crypto.pbkdf2("password", "salt", 1) == hashlib.pbkdf2_hmac(
        "sha256", b"password", b"salt", 1
    )
    assert len(crypto.pbkdf2("p", "s", 1, dklen=10, digest=hashlib.sha1)) == 10
