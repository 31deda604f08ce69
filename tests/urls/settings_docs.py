"""Settings for subprocess tests: the test settings with the docs urlconf as ROOT_URLCONF."""

from __future__ import annotations

DEBUG = True
SECRET_KEY = "tests-only-secret-key-not-for-production"
INSTALLED_APPS: list[str] = []
ROOT_URLCONF = "tests.urls.urlconf_docs"
