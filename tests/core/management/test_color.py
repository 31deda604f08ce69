from __future__ import annotations

import io
import sys

import pytest

from fastjango.core.management import color


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def use_tty(monkeypatch: pytest.MonkeyPatch) -> None:
    # Called in the test body: pytest's capturing re-installs sys.stdout after fixtures.
    monkeypatch.setattr(sys, "stdout", FakeTTY())
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FASTJANGO_COLORS", raising=False)


def test_colorize_codes() -> None:
    assert color.colorize("hi", fg="red") == "\x1b[31mhi\x1b[0m"
    assert color.colorize("hi", ("bold",), fg="green", bg="blue") == "\x1b[32;44;1mhi\x1b[0m"
    assert color.colorize("hi", ("noreset",), fg="red") == "\x1b[31mhi"


def test_make_style_default_palette() -> None:
    style = color.make_style()
    assert style.ERROR("x") == "\x1b[31;1mx\x1b[0m"
    assert style.ERROR_OUTPUT is style.ERROR
    assert style.SUCCESS("x") == "\x1b[32;1mx\x1b[0m"
    assert style.HTTP_SUCCESS("x") == "x"  # an empty role format leaves text alone
    for role in color.ROLES:
        assert callable(getattr(style, role))


def test_light_palette_and_role_overrides() -> None:
    assert color.make_style("light").SQL_KEYWORD("k") == "\x1b[34mk\x1b[0m"
    style = color.make_style("error=yellow/blue,blink;notice=magenta;bogus=red;sql_field=nope")
    assert style.ERROR("e") == "\x1b[33;44;5me\x1b[0m"
    assert style.NOTICE("n") == "\x1b[35mn\x1b[0m"
    # Roles not named fall back to the nocolor palette.
    assert style.SUCCESS("s") == "s"
    assert style.SQL_FIELD("f") == "f"


def test_parse_color_setting() -> None:
    assert color.parse_color_setting("") == color.PALETTES["dark"]
    assert color.parse_color_setting("nocolor") is None
    assert color.parse_color_setting("error=nosuchcolor") is None
    assert color.parse_color_setting("light;error=green") is not None


def test_no_style_is_identity() -> None:
    style = color.no_style()
    for role in color.ROLES:
        assert getattr(style, role)("text") == "text"


def test_supports_color_needs_a_tty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert color.supports_color() is False
    assert color.color_style().ERROR("x") == "x"
    assert color.color_style(force_color=True).ERROR("x") != "x"


def test_supports_color_on_a_tty(monkeypatch: pytest.MonkeyPatch) -> None:
    use_tty(monkeypatch)
    assert color.supports_color() is True
    assert color.color_style().ERROR("x") == "\x1b[31;1mx\x1b[0m"


def test_no_color_env_turns_colour_off(monkeypatch: pytest.MonkeyPatch) -> None:
    use_tty(monkeypatch)
    monkeypatch.setenv("NO_COLOR", "1")
    assert color.supports_color() is False
    assert color.color_style().ERROR("x") == "x"
    # --force-color wins over NO_COLOR.
    assert color.color_style(force_color=True).ERROR("x") != "x"


def test_fastjango_colors_env(monkeypatch: pytest.MonkeyPatch) -> None:
    use_tty(monkeypatch)
    monkeypatch.setenv("FASTJANGO_COLORS", "nocolor")
    assert color.supports_color() is False
    monkeypatch.setenv("FASTJANGO_COLORS", "error=blue")
    assert color.color_style().ERROR("x") == "\x1b[34mx\x1b[0m"


def test_closed_stdout_has_no_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    closed = io.StringIO()
    closed.close()
    monkeypatch.setattr(sys, "stdout", closed)
    assert color.supports_color() is False


def test_windows_terminals(monkeypatch: pytest.MonkeyPatch) -> None:
    use_tty(monkeypatch)
    monkeypatch.setattr(sys, "platform", "win32")
    for name in ("ANSICON", "WT_SESSION", "TERM_PROGRAM"):
        monkeypatch.delenv(name, raising=False)
    assert color.supports_color() is False
    monkeypatch.setenv("WT_SESSION", "1")
    assert color.supports_color() is True
