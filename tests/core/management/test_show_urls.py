from __future__ import annotations

import io
import json

import pytest

from fastjango.core.management import call_command
from fastjango.core.management.base import CommandError
from fastjango.test.utils import override_settings

LIBRARY = "tests.core.management.urlconfs.library"
EXPECTED = [
    {"route": "", "view": f"{LIBRARY}.home", "name": "home", "mount": False},
    {"route": "about/", "view": f"{LIBRARY}.AboutView", "name": None, "mount": False},
    {
        "route": "library/books/<int:pk>/",
        "view": f"{LIBRARY}.book_detail",
        "name": "books:book-detail",
        "mount": False,
    },
    {
        "route": "library/books/archive/(?P<year>[0-9]{4})/$",
        "view": f"{LIBRARY}.book_detail",
        "name": "books:archive",
        "mount": False,
    },
    {"route": "asgi/", "view": f"{LIBRARY}.MountedApp", "name": None, "mount": True},
]


class TTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def show_urls(**options: object) -> str:
    out = options.pop("stdout", None) or io.StringIO()
    assert isinstance(out, io.StringIO)
    call_command("show_urls", urlconf=LIBRARY, stdout=out, **options)
    return out.getvalue()


def test_json_lists_every_route_in_order() -> None:
    assert json.loads(show_urls(format="json")) == EXPECTED


def test_plain_is_tab_separated_and_the_default_off_a_terminal() -> None:
    out = show_urls()
    lines = out.splitlines()
    assert lines[0] == f"\t{LIBRARY}.home\thome"
    assert lines[2] == f"library/books/<int:pk>/\t{LIBRARY}.book_detail\tbooks:book-detail"
    assert out == show_urls(format="plain")


def test_table_is_the_default_on_a_terminal() -> None:
    out = show_urls(stdout=TTY())
    assert "Route" in out and "View" in out and "Name" in out
    assert "books:book-detail" in out
    assert "(ASGI mount)" in out
    assert "\x1b[" in out  # coloured on a terminal


def test_table_without_colour() -> None:
    plain = show_urls(stdout=TTY(), no_color=True)
    assert "\x1b[" not in plain
    assert "books:book-detail" in plain
    forced = show_urls(format="table", force_color=True)
    assert "\x1b[" in forced


def test_root_urlconf_is_the_default() -> None:
    with override_settings(ROOT_URLCONF=LIBRARY):
        out = io.StringIO()
        call_command("show_urls", format="json", stdout=out)
    assert len(json.loads(out.getvalue())) == len(EXPECTED)


def test_empty_urlconf() -> None:
    empty = "tests.core.management.urlconfs.empty"
    out = io.StringIO()
    call_command("show_urls", urlconf=empty, format="table", stdout=out)
    assert out.getvalue() == "No URL patterns.\n"
    out = io.StringIO()
    call_command("show_urls", urlconf=empty, format="json", stdout=out)
    assert out.getvalue() == "[]\n"


@override_settings(ROOT_URLCONF=None)
def test_no_urlconf_is_an_error() -> None:
    with pytest.raises(CommandError, match="There is no URLconf to list: set ROOT_URLCONF"):
        call_command("show_urls", stdout=io.StringIO())
