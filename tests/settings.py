"""Settings the test suite runs under; tests override pieces with ``override_settings``."""

DEBUG = True
SECRET_KEY = "tests-only-secret-key-not-for-production"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "tests.urls_empty"
USE_TZ = True
TIME_ZONE = "UTC"
