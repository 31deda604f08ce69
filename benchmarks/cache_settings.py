"""Settings for the cache benchmark: one alias per backend."""

import tempfile

DEBUG = False
SECRET_KEY = "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
INSTALLED_APPS: list[str] = []
CACHES = {
    "default": {"BACKEND": "fastjango.core.cache.backends.locmem.LocMemCache"},
    "locmem": {
        "BACKEND": "fastjango.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "bench",
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    },
    "redis": {
        "BACKEND": "fastjango.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
    },
    "memcached": {
        "BACKEND": "fastjango.core.cache.backends.memcached.PyMemcacheCache",
        "LOCATION": "127.0.0.1:11211",
    },
    "filebased": {
        "BACKEND": "fastjango.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": tempfile.mkdtemp(prefix="fastjango-bench-cache-"),
    },
}
