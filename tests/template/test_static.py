from __future__ import annotations

import pytest

from fastjango.core.exceptions import ImproperlyConfigured
from fastjango.templatetags.static import get_media_prefix, get_static_prefix, static
from fastjango.test.utils import override_settings


@pytest.mark.parametrize(
    ("static_url", "path", "expected"),
    [
        ("/static/", "css/site.css", "/static/css/site.css"),
        ("static/", "a b.png", "/static/a%20b.png"),
        ("https://cdn.example.com/s/", "x.js", "https://cdn.example.com/s/x.js"),
        ("//cdn.example.com/s/", "x.js", "//cdn.example.com/s/x.js"),
    ],
)
def test_static(static_url: str, path: str, expected: str) -> None:
    with override_settings(STATIC_URL=static_url):
        assert static(path) == expected


def test_static_needs_static_url() -> None:
    with (
        override_settings(STATIC_URL=None),
        pytest.raises(ImproperlyConfigured, match="STATIC_URL"),
    ):
        static("x.css")


def test_prefixes_must_end_with_a_slash() -> None:
    with override_settings(STATIC_URL="/static"):
        with pytest.raises(ImproperlyConfigured, match="STATIC_URL must end with a slash"):
            get_static_prefix()


def test_prefixes() -> None:
    with override_settings(STATIC_URL="s/", MEDIA_URL="/m/"):
        assert get_static_prefix() == "/s/"
        assert get_media_prefix() == "/m/"
    with override_settings(MEDIA_URL=None):
        assert get_media_prefix() == ""
