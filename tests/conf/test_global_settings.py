"""``global_settings``: Django's names and default values."""

from __future__ import annotations

from typing import Any

import pytest

from fastjango.conf import global_settings

DJANGO_DEFAULTS: dict[str, Any] = {
    "DEBUG": False,
    "SECRET_KEY": "",
    "SECRET_KEY_FALLBACKS": [],
    "ALLOWED_HOSTS": [],
    "INTERNAL_IPS": [],
    "INSTALLED_APPS": [],
    "MIDDLEWARE": [],
    "TIME_ZONE": "America/Chicago",
    "USE_TZ": True,
    "LANGUAGE_CODE": "en-us",
    "USE_I18N": True,
    "DEFAULT_CHARSET": "utf-8",
    "DATE_FORMAT": "N j, Y",
    "DATETIME_FORMAT": "N j, Y, P",
    "TIME_FORMAT": "P",
    "SHORT_DATE_FORMAT": "m/d/Y",
    "SHORT_DATETIME_FORMAT": "m/d/Y P",
    "DATABASES": {},
    "DATABASE_ROUTERS": [],
    "TEMPLATES": [],
    "CACHE_MIDDLEWARE_KEY_PREFIX": "",
    "CACHE_MIDDLEWARE_SECONDS": 600,
    "CACHE_MIDDLEWARE_ALIAS": "default",
    "STATIC_URL": None,
    "STATIC_ROOT": None,
    "STATICFILES_DIRS": [],
    "MEDIA_URL": "",
    "MEDIA_ROOT": "",
    "APPEND_SLASH": True,
    "PREPEND_WWW": False,
    "DATA_UPLOAD_MAX_MEMORY_SIZE": 2621440,
    "DATA_UPLOAD_MAX_NUMBER_FIELDS": 1000,
    "DATA_UPLOAD_MAX_NUMBER_FILES": 100,
    "FILE_UPLOAD_MAX_MEMORY_SIZE": 2621440,
    "SECURE_CONTENT_TYPE_NOSNIFF": True,
    "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
    "SECURE_HSTS_SECONDS": 0,
    "SECURE_REFERRER_POLICY": "same-origin",
    "SECURE_SSL_REDIRECT": False,
    "SECURE_PROXY_SSL_HEADER": None,
    "X_FRAME_OPTIONS": "DENY",
    "SESSION_COOKIE_NAME": "sessionid",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "CSRF_COOKIE_NAME": "csrftoken",
    "SILENCED_SYSTEM_CHECKS": [],
    "LOGGING_CONFIG": "logging.config.dictConfig",
    "LOGGING": {},
    "FORCE_SCRIPT_NAME": None,
}


@pytest.mark.parametrize(("name", "value"), DJANGO_DEFAULTS.items())
def test_django_defaults(name: str, value: Any) -> None:
    assert getattr(global_settings, name) == value


def test_default_cache_is_local_memory() -> None:
    assert global_settings.CACHES == {
        "default": {"BACKEND": "fastjango.core.cache.backends.locmem.LocMemCache"}
    }
