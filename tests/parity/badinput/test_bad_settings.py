"""Settings of the wrong type fail at start-up with a message naming the setting.

Middleware checks its settings when the app is built; settings read per request
are covered by system checks, which ``get_asgi_application()`` runs at start-up.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from fastjango.core.checks import Error, run_checks
from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.middleware.clickjacking import XFrameOptionsMiddleware
from fastjango.middleware.common import CommonMiddleware
from fastjango.middleware.security import SecurityMiddleware
from fastjango.template import engines
from fastjango.test import override_settings


async def app(scope: Any, receive: Any, send: Any) -> None:  # pragma: no cover - never called
    return None


@pytest.mark.parametrize(
    ("middleware", "setting", "value", "message"),
    [
        (SecurityMiddleware, "SECURE_HSTS_SECONDS", "3600", "SECURE_HSTS_SECONDS must be a whole"),
        (SecurityMiddleware, "SECURE_HSTS_SECONDS", -1, "not -1"),
        (SecurityMiddleware, "SECURE_REFERRER_POLICY", 5, "SECURE_REFERRER_POLICY must be"),
        (SecurityMiddleware, "SECURE_REDIRECT_EXEMPT", "^api/", "must be a list of regular"),
        (SecurityMiddleware, "SECURE_REDIRECT_EXEMPT", ["(api"], "not a valid regular expression"),
        (SecurityMiddleware, "SECURE_PROXY_SSL_HEADER", "HTTPS", "must be a tuple containing two"),
        (
            SecurityMiddleware,
            "SECURE_PROXY_SSL_HEADER",
            ("X_PROTO", "https"),
            "the way request.META",
        ),
        (SecurityMiddleware, "ALLOWED_HOSTS", ["example.com", 5], "ALLOWED_HOSTS must hold host"),
        (XFrameOptionsMiddleware, "X_FRAME_OPTIONS", 1, "X_FRAME_OPTIONS must be 'DENY' or"),
        (CommonMiddleware, "DISALLOWED_USER_AGENTS", [42], "DISALLOWED_USER_AGENTS must hold"),
    ],
)
def test_middleware_refuses_bad_settings(
    middleware: Any, setting: str, value: Any, message: str
) -> None:
    with override_settings(**{setting: value}), pytest.raises(ImproperlyConfigured, match=message):
        middleware(app)


def test_good_settings_of_other_shapes_are_accepted() -> None:
    with override_settings(
        SECURE_REFERRER_POLICY=("origin", "strict-origin"),
        SECURE_REDIRECT_EXEMPT=(r"^health/$",),
        DISALLOWED_USER_AGENTS=[re.compile("bot"), "spider"],
        X_FRAME_OPTIONS="sameorigin",
    ):
        assert SecurityMiddleware(app).redirect_exempt[0].pattern == r"^health/$"
        assert XFrameOptionsMiddleware(app).value == b"SAMEORIGIN"
        assert len(CommonMiddleware(app).disallowed_user_agents) == 2


def ids(**settings: Any) -> list[str]:
    with override_settings(**settings):
        return [str(message.id) for message in run_checks() if isinstance(message, Error)]


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"ALLOWED_HOSTS": ["example.com", None]}, "http.E001"),
        ({"DATA_UPLOAD_MAX_MEMORY_SIZE": "2.5MB"}, "http.E002"),
        ({"DATA_UPLOAD_MAX_NUMBER_FIELDS": -1}, "http.E002"),
        ({"DATA_UPLOAD_MAX_NUMBER_FILES": True}, "http.E002"),
        ({"FILE_UPLOAD_MAX_MEMORY_SIZE": None}, "http.E002"),
        ({"DEFAULT_CHARSET": "utf-99"}, "http.E003"),
        ({"DEFAULT_CHARSET": None}, "http.E003"),
        ({"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https", "x")}, "http.E004"),
        ({"SECURE_PROXY_SSL_HEADER": ("X_FORWARDED_PROTO", "https")}, "http.E004"),
        ({"TEMPLATES": {"BACKEND": "fastjango.template.backends.jinja2.Jinja2"}}, "templates.E101"),
        ({"TEMPLATES": [{"DIRS": []}]}, "templates.E101"),
        ({"TEMPLATES": [{"BACKEND": "no.such.Engine"}]}, "templates.E101"),
        (
            {"TEMPLATES": [{"BACKEND": "django.template.backends.django.DjangoTemplates"}]},
            "templates.E101",
        ),
        (
            {
                "TEMPLATES": [
                    {
                        "BACKEND": "fastjango.template.backends.jinja2.Jinja2",
                        "OPTIONS": {"bogus_option": 1},
                    }
                ]
            },
            "templates.E101",
        ),
        ({"STATIC_URL": "static"}, "urls.E006"),
        ({"ROOT_URLCONF": "no.such.urls"}, "urls.E102"),
    ],
)
def test_checks_report_bad_settings(settings: dict[str, Any], expected: str) -> None:
    assert expected in ids(**settings)


def test_good_settings_pass_the_checks() -> None:
    assert (
        ids(
            ALLOWED_HOSTS=[".example.com"],
            DATA_UPLOAD_MAX_MEMORY_SIZE=None,
            DEFAULT_CHARSET="latin-1",
            SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
        )
        == []
    )


def test_templates_must_be_a_list() -> None:
    with (
        override_settings(TEMPLATES={"BACKEND": "x"}),
        pytest.raises(ImproperlyConfigured, match="The TEMPLATES setting must be a list of dicts"),
    ):
        engines.all()


def test_referrer_policy_of_the_wrong_type_is_an_error_not_a_crash() -> None:
    with override_settings(
        SECURE_REFERRER_POLICY=5,
        MIDDLEWARE=["fastjango.middleware.security.SecurityMiddleware"],
    ):
        messages = run_checks(include_deployment_checks=True)
    assert "security.E023" in {message.id for message in messages}
