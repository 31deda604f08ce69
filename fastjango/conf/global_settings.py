"""Default settings, with Django's names. A project's settings module overrides these."""

from __future__ import annotations

from typing import Any

DEBUG = False
SECRET_KEY = ""
SECRET_KEY_FALLBACKS: list[str] = []
ALLOWED_HOSTS: list[str] = []
INTERNAL_IPS: list[str] = []

INSTALLED_APPS: list[str] = []
ROOT_URLCONF: str | None = None
MIDDLEWARE: list[str] = []
DEFAULT_AUTO_FIELD = "fastjango.db.models.AutoField"

TIME_ZONE = "America/Chicago"
USE_TZ = True
LANGUAGE_CODE = "en-us"
USE_I18N = True
DEFAULT_CHARSET = "utf-8"
DATE_FORMAT = "N j, Y"
DATETIME_FORMAT = "N j, Y, P"
TIME_FORMAT = "P"
SHORT_DATE_FORMAT = "m/d/Y"
SHORT_DATETIME_FORMAT = "m/d/Y P"

DATABASES: dict[str, dict[str, Any]] = {}
DATABASE_ROUTERS: list[str] = []

TEMPLATES: list[dict[str, Any]] = []

CACHES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "fastjango.core.cache.backends.locmem.LocMemCache"}
}
CACHE_MIDDLEWARE_KEY_PREFIX = ""
CACHE_MIDDLEWARE_SECONDS = 600
CACHE_MIDDLEWARE_ALIAS = "default"

STATIC_URL: str | None = None
STATIC_ROOT: str | None = None
STATICFILES_DIRS: list[str] = []
MEDIA_URL = ""
MEDIA_ROOT = ""

APPEND_SLASH = True
PREPEND_WWW = False
DISALLOWED_USER_AGENTS: list[Any] = []
IGNORABLE_404_URLS: list[Any] = []

DATA_UPLOAD_MAX_MEMORY_SIZE = 2621440  # 2.5 MiB
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 100
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
SECURE_HSTS_SECONDS = 0
SECURE_REDIRECT_EXEMPT: list[str] = []
SECURE_REFERRER_POLICY = "same-origin"
SECURE_SSL_HOST: str | None = None
SECURE_SSL_REDIRECT = False
SECURE_PROXY_SSL_HEADER: tuple[str, str] | None = None
USE_X_FORWARDED_HOST = False
USE_X_FORWARDED_PORT = False
X_FRAME_OPTIONS = "DENY"

CORS_ALLOWED_ORIGINS: list[str] = []
CORS_ALLOWED_ORIGIN_REGEXES: list[str] = []
CORS_ALLOW_ALL_ORIGINS = False
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["DELETE", "GET", "OPTIONS", "PATCH", "POST", "PUT"]
CORS_ALLOW_HEADERS = [
    "accept",
    "authorization",
    "content-type",
    "user-agent",
    "x-csrftoken",
    "x-requested-with",
]
CORS_EXPOSE_HEADERS: list[str] = []
CORS_PREFLIGHT_MAX_AGE = 86400
CORS_URLS_REGEX = r"^.*$"

SESSION_COOKIE_NAME = "sessionid"
SESSION_COOKIE_SECURE = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_NAME = "csrftoken"
CSRF_COOKIE_SECURE = False
CSRF_TRUSTED_ORIGINS: list[str] = []

# FastJango additions: where FastAPI's generated API docs live; None turns each off.
OPENAPI_URL: str | None = "/openapi.json"
DOCS_URL: str | None = "/docs"
REDOC_URL: str | None = "/redoc"
API_TITLE = "FastJango"
API_VERSION = "0.1.0"

SILENCED_SYSTEM_CHECKS: list[str] = []

LOGGING_CONFIG: str | None = "logging.config.dictConfig"
LOGGING: dict[str, Any] = {}

FORCE_SCRIPT_NAME: str | None = None
WSGI_APPLICATION: str | None = None
ASGI_APPLICATION: str | None = None

# Middleware
# django-cors-headers' default: answer Private Network Access preflights only when asked to.
CORS_ALLOW_PRIVATE_NETWORK = False

# --- Templates and formats (fastjango.template, fastjango.utils.formats) ---
# Django's defaults. DATE_FORMAT, TIME_FORMAT and friends are defined above.
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "F j"
FIRST_DAY_OF_WEEK = 0
DECIMAL_SEPARATOR = "."
USE_THOUSAND_SEPARATOR = False
NUMBER_GROUPING: int | list[int] | tuple[int, ...] = 0
THOUSAND_SEPARATOR = ","
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",
    "%m/%d/%Y",
    "%m/%d/%y",
    "%b %d %Y",
    "%b %d, %Y",
    "%d %b %Y",
    "%d %b, %Y",
    "%B %d %Y",
    "%B %d, %Y",
    "%d %B %Y",
    "%d %B, %Y",
]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M:%S.%f", "%H:%M"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M:%S.%f",
    "%m/%d/%Y %H:%M",
    "%m/%d/%y %H:%M:%S",
    "%m/%d/%y %H:%M:%S.%f",
    "%m/%d/%y %H:%M",
]
# --- end of templates and formats ---

# --- requests and uploads (fastjango.http) ---
# Upload handlers the multipart parser streams files through, in order.
FILE_UPLOAD_HANDLERS = [
    "fastjango.core.files.uploadhandler.MemoryFileUploadHandler",
    "fastjango.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Where uploads and spooled request bodies go when too big for memory; None: the system's.
FILE_UPLOAD_TEMP_DIR: str | None = None
# --- end of requests and uploads ---

# --- request handling (fastjango.core.handlers) ---
# Let exceptions reach the server (or test) instead of becoming a 500 page.
DEBUG_PROPAGATE_EXCEPTIONS = False
# --- end of request handling ---

# --- signing (fastjango.core.signing; used by signed cookies) ---
# The signer class for HttpResponse.set_signed_cookie() / HttpRequest.get_signed_cookie().
SIGNING_BACKEND = "fastjango.core.signing.TimestampSigner"
# --- end of signing ---

# --- migrations and fixtures (fastjango.db.migrations, dumpdata/loaddata) ---
# App label -> module holding that app's migrations; None turns an app's migrations off.
MIGRATION_MODULES: dict[str, str | None] = {}
# Folders loaddata looks for fixtures in, besides each app's fixtures/ folder.
FIXTURE_DIRS: list[str] = []
# Format name -> module providing Serializer and Deserializer, added to the built-in ones.
SERIALIZATION_MODULES: dict[str, str] | None = None
# --- end of migrations and fixtures ---

# --- testing (fastjango.test) ---
# Apps whose rows are not saved for TransactionTestCase.serialized_rollback.
TEST_NON_SERIALIZED_APPS: list[str] = []
# --- end of testing ---
