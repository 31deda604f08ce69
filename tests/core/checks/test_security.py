from __future__ import annotations

from typing import Any

import pytest

from fastjango.conf import settings
from fastjango.core.checks.async_checks import check_async_unsafe
from fastjango.core.checks.security import base, csrf, sessions
from fastjango.test.utils import override_settings

SECURITY = "fastjango.middleware.security.SecurityMiddleware"
XFRAME = "fastjango.middleware.clickjacking.XFrameOptionsMiddleware"
CSRF = "fastjango.middleware.csrf.CsrfViewMiddleware"
SESSIONS_APP = "fastjango.contrib.sessions"
SESSIONS_MW = "fastjango.contrib.sessions.middleware.SessionMiddleware"
GOOD_KEY = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)abcdefghij"


def ids(messages: list) -> list[str]:  # type: ignore[type-arg]
    return [m.id for m in messages]


@override_settings(MIDDLEWARE=[])
def test_middleware_missing() -> None:
    assert ids(base.check_security_middleware()) == ["security.W001"]
    assert ids(base.check_xframe_options_middleware()) == ["security.W002"]
    message = base.check_security_middleware()[0].msg
    assert message.startswith(f"You do not have '{SECURITY}' in your MIDDLEWARE")
    # Without the middleware, the settings it reads don't matter.
    for check in (
        base.check_sts,
        base.check_sts_include_subdomains,
        base.check_sts_preload,
        base.check_content_type_nosniff,
        base.check_ssl_redirect,
        base.check_xframe_deny,
        base.check_referrer_policy,
        base.check_cross_origin_opener_policy,
    ):
        assert check() == []


@override_settings(MIDDLEWARE=[SECURITY, XFRAME])
def test_middleware_present() -> None:
    assert base.check_security_middleware() == []
    assert base.check_xframe_options_middleware() == []


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"SECURE_HSTS_SECONDS": 0}, {"security.W004"}),
        ({"SECURE_HSTS_SECONDS": 60}, {"security.W005", "security.W021"}),
        (
            {
                "SECURE_HSTS_SECONDS": 60,
                "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
                "SECURE_HSTS_PRELOAD": True,
            },
            set(),
        ),
    ],
)
def test_hsts(overrides: dict[str, object], expected: set[str]) -> None:
    with override_settings(MIDDLEWARE=[SECURITY], **overrides):
        found = base.check_sts() + base.check_sts_include_subdomains() + base.check_sts_preload()
    assert set(ids(found)) == expected


@override_settings(MIDDLEWARE=[SECURITY])
def test_nosniff_and_ssl_redirect() -> None:
    with override_settings(SECURE_CONTENT_TYPE_NOSNIFF=False, SECURE_SSL_REDIRECT=False):
        assert ids(base.check_content_type_nosniff()) == ["security.W006"]
        assert ids(base.check_ssl_redirect()) == ["security.W008"]
    with override_settings(SECURE_CONTENT_TYPE_NOSNIFF=True, SECURE_SSL_REDIRECT=True):
        assert base.check_content_type_nosniff() == []
        assert base.check_ssl_redirect() == []


@pytest.mark.parametrize(
    ("key", "warns"),
    [
        (GOOD_KEY, False),
        ("short", True),
        ("a" * 60, True),  # long but only one distinct character
        ("fastjango-insecure-" + GOOD_KEY, True),
        ("django-insecure-" + GOOD_KEY, True),
    ],
)
def test_secret_key(key: str, warns: bool) -> None:
    with override_settings(SECRET_KEY=key):
        assert ids(base.check_secret_key()) == (["security.W009"] if warns else [])


def test_secret_key_missing() -> None:
    with override_settings(SECRET_KEY=""):
        assert ids(base.check_secret_key()) == ["security.W009"]
    message = base.W009.msg
    assert message.startswith("Your SECRET_KEY has less than 50 characters, less than 5 unique")
    assert "'fastjango-insecure-'" in message


def test_secret_key_fallbacks() -> None:
    with override_settings(SECRET_KEY_FALLBACKS=[GOOD_KEY, "weak", GOOD_KEY, "django-insecure-x"]):
        found = base.check_secret_key_fallbacks()
    assert ids(found) == ["security.W025", "security.W025"]
    assert found[0].msg.startswith("Your SECRET_KEY_FALLBACKS[1] has less than")
    assert found[1].msg.startswith("Your SECRET_KEY_FALLBACKS[3] has less than")
    with override_settings(SECRET_KEY_FALLBACKS=[]):
        assert base.check_secret_key_fallbacks() == []


def test_secret_key_fallbacks_unset() -> None:
    from fastjango.conf import settings

    with override_settings():
        del settings.SECRET_KEY_FALLBACKS
        found = base.check_secret_key_fallbacks()
    assert found[0].msg.startswith("Your SECRET_KEY_FALLBACKS has less than")


def test_debug_and_allowed_hosts() -> None:
    with override_settings(DEBUG=True, ALLOWED_HOSTS=[]):
        assert ids(base.check_debug()) == ["security.W018"]
        assert ids(base.check_allowed_hosts()) == ["security.W020"]
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["example.com"]):
        assert base.check_debug() == []
        assert base.check_allowed_hosts() == []


@override_settings(MIDDLEWARE=[XFRAME])
def test_xframe_deny() -> None:
    with override_settings(X_FRAME_OPTIONS="SAMEORIGIN"):
        assert ids(base.check_xframe_deny()) == ["security.W019"]
    with override_settings(X_FRAME_OPTIONS="DENY"):
        assert base.check_xframe_deny() == []


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (None, ["security.W022"]),
        ("same-origin", []),
        ("no-referrer, strict-origin-when-cross-origin", []),
        (["no-referrer", "same-origin"], []),
        ("nonsense", ["security.E023"]),
        (("same-origin", "bogus"), ["security.E023"]),
    ],
)
def test_referrer_policy(policy: object, expected: list[str]) -> None:
    with override_settings(MIDDLEWARE=[SECURITY], SECURE_REFERRER_POLICY=policy):
        assert ids(base.check_referrer_policy()) == expected


def test_referrer_policy_error_hint() -> None:
    assert base.E023.hint == (
        "Valid values are: no-referrer, no-referrer-when-downgrade, origin, "
        "origin-when-cross-origin, same-origin, strict-origin, "
        "strict-origin-when-cross-origin, unsafe-url."
    )


@pytest.mark.parametrize(
    ("policy", "expected"),
    [(None, []), ("same-origin", []), ("unsafe-none", []), ("bad", ["security.E024"])],
)
def test_cross_origin_opener_policy(policy: object, expected: list[str]) -> None:
    with override_settings(MIDDLEWARE=[SECURITY], SECURE_CROSS_ORIGIN_OPENER_POLICY=policy):
        assert ids(base.check_cross_origin_opener_policy()) == expected


@pytest.mark.parametrize(
    ("apps", "middleware", "expected"),
    [
        ([], [], []),
        ([SESSIONS_APP], [], ["security.W010"]),
        ([], [SESSIONS_MW], ["security.W011"]),
        ([SESSIONS_APP], [SESSIONS_MW], ["security.W012"]),
    ],
)
def session_settings(apps: list[str], middleware: list[str], **flags: bool) -> Any:
    """Settings with these apps listed, without loading them into the app registry.

    The sessions app doesn't exist yet, and the checks read only the setting.
    """
    context = override_settings(MIDDLEWARE=middleware, **flags)

    class Context:
        def __enter__(self) -> None:
            context.__enter__()
            settings.INSTALLED_APPS = apps

        def __exit__(self, *exc: object) -> None:
            context.__exit__(*exc)

    return Context()


@pytest.mark.parametrize(
    ("apps", "middleware", "expected"),
    [
        ([], [], []),
        ([SESSIONS_APP], [], ["security.W010"]),
        ([], [SESSIONS_MW], ["security.W011"]),
        ([SESSIONS_APP], [SESSIONS_MW], ["security.W012"]),
    ],
)
def test_session_cookie_secure(apps: list[str], middleware: list[str], expected: list[str]) -> None:
    with session_settings(apps, middleware, SESSION_COOKIE_SECURE=False):
        assert ids(sessions.check_session_cookie_secure()) == expected
    with session_settings(apps, middleware, SESSION_COOKIE_SECURE=True):
        assert sessions.check_session_cookie_secure() == []


@pytest.mark.parametrize(
    ("apps", "middleware", "expected"),
    [
        ([], [], []),
        ([SESSIONS_APP], [], ["security.W013"]),
        ([], [SESSIONS_MW], ["security.W014"]),
        ([SESSIONS_APP], [SESSIONS_MW], ["security.W015"]),
    ],
)
def test_session_cookie_httponly(
    apps: list[str], middleware: list[str], expected: list[str]
) -> None:
    with session_settings(apps, middleware, SESSION_COOKIE_HTTPONLY=False):
        assert ids(sessions.check_session_cookie_httponly()) == expected
    with session_settings(apps, middleware, SESSION_COOKIE_HTTPONLY=True):
        assert sessions.check_session_cookie_httponly() == []


def test_csrf_cookie_secure() -> None:
    with override_settings(MIDDLEWARE=[], CSRF_COOKIE_SECURE=False):
        assert csrf.check_csrf_cookie_secure() == []
    with override_settings(MIDDLEWARE=[CSRF], CSRF_COOKIE_SECURE=False):
        assert ids(csrf.check_csrf_cookie_secure()) == ["security.W016"]
    with override_settings(MIDDLEWARE=[CSRF], CSRF_COOKIE_SECURE=False, CSRF_USE_SESSIONS=True):
        assert csrf.check_csrf_cookie_secure() == []
    with override_settings(MIDDLEWARE=[CSRF], CSRF_COOKIE_SECURE=True):
        assert csrf.check_csrf_cookie_secure() == []


def test_async_unsafe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FASTJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    assert check_async_unsafe() == []
    monkeypatch.setenv("FASTJANGO_ALLOW_ASYNC_UNSAFE", "1")
    assert ids(check_async_unsafe()) == ["async.E001"]
