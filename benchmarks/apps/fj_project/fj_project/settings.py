"""A FastJango project as startproject makes it, default middleware on."""

from pathlib import Path

from benchmarks.apps.data import fastjango_databases

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["bench"]
MIDDLEWARE = [
    "fastjango.middleware.security.SecurityMiddleware",
    "fastjango.middleware.common.CommonMiddleware",
    "fastjango.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "fj_project.urls"
TEMPLATES = [
    {
        "BACKEND": "fastjango.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {},
    }
]
DATABASES = fastjango_databases()
USE_TZ = True
TIME_ZONE = "UTC"
CACHES = {
    "default": {"BACKEND": "fastjango.core.cache.backends.locmem.LocMemCache"},
    "redis": {
        "BACKEND": "fastjango.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
    },
}
