"""Terminal colours for command output, with Django's style roles.

Colour is used only when stdout is a terminal and ``NO_COLOR`` is unset
(https://no-color.org); ``--force-color`` overrides both, ``--no-color`` turns
it off. The palette is chosen with ``FASTJANGO_COLORS``, in the syntax of
Django's ``DJANGO_COLORS``: ``"light"``, ``"nocolor"``, or a palette followed by
``role=fg/bg,option`` pairs, e.g. ``"dark;error=yellow/blue,blink;notice=magenta"``.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import TypedDict

__all__ = [
    "PALETTES",
    "ROLES",
    "Style",
    "color_style",
    "colorize",
    "make_style",
    "no_style",
    "parse_color_setting",
    "supports_color",
]

StyleFunc = Callable[[str], str]

COLOR_NAMES = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
FOREGROUND = {name: f"3{index}" for index, name in enumerate(COLOR_NAMES)}
BACKGROUND = {name: f"4{index}" for index, name in enumerate(COLOR_NAMES)}
OPTIONS = {"bold": "1", "underscore": "4", "blink": "5", "reverse": "7", "conceal": "8"}
RESET = "0"

ROLES = (
    "ERROR",
    "SUCCESS",
    "WARNING",
    "NOTICE",
    "SQL_FIELD",
    "SQL_COLTYPE",
    "SQL_KEYWORD",
    "SQL_TABLE",
    "HTTP_INFO",
    "HTTP_SUCCESS",
    "HTTP_REDIRECT",
    "HTTP_NOT_MODIFIED",
    "HTTP_BAD_REQUEST",
    "HTTP_NOT_FOUND",
    "HTTP_SERVER_ERROR",
    "MIGRATE_HEADING",
    "MIGRATE_LABEL",
)


class RoleFormat(TypedDict, total=False):
    """How one role looks: foreground and background colours, and options."""

    fg: str
    bg: str
    opts: tuple[str, ...]


NOCOLOR_PALETTE = "nocolor"
DARK_PALETTE = "dark"
LIGHT_PALETTE = "light"
DEFAULT_PALETTE = DARK_PALETTE

PALETTES: dict[str, dict[str, RoleFormat]] = {
    NOCOLOR_PALETTE: {role: {} for role in ROLES},
    DARK_PALETTE: {
        "ERROR": {"fg": "red", "opts": ("bold",)},
        "SUCCESS": {"fg": "green", "opts": ("bold",)},
        "WARNING": {"fg": "yellow", "opts": ("bold",)},
        "NOTICE": {"fg": "red"},
        "SQL_FIELD": {"fg": "green", "opts": ("bold",)},
        "SQL_COLTYPE": {"fg": "green"},
        "SQL_KEYWORD": {"fg": "yellow"},
        "SQL_TABLE": {"opts": ("bold",)},
        "HTTP_INFO": {"opts": ("bold",)},
        "HTTP_SUCCESS": {},
        "HTTP_REDIRECT": {"fg": "green"},
        "HTTP_NOT_MODIFIED": {"fg": "cyan"},
        "HTTP_BAD_REQUEST": {"fg": "red", "opts": ("bold",)},
        "HTTP_NOT_FOUND": {"fg": "yellow"},
        "HTTP_SERVER_ERROR": {"fg": "magenta", "opts": ("bold",)},
        "MIGRATE_HEADING": {"fg": "cyan", "opts": ("bold",)},
        "MIGRATE_LABEL": {"opts": ("bold",)},
    },
    LIGHT_PALETTE: {
        "ERROR": {"fg": "red", "opts": ("bold",)},
        "SUCCESS": {"fg": "green", "opts": ("bold",)},
        "WARNING": {"fg": "yellow", "opts": ("bold",)},
        "NOTICE": {"fg": "red"},
        "SQL_FIELD": {"fg": "green", "opts": ("bold",)},
        "SQL_COLTYPE": {"fg": "green"},
        "SQL_KEYWORD": {"fg": "blue"},
        "SQL_TABLE": {"opts": ("bold",)},
        "HTTP_INFO": {"opts": ("bold",)},
        "HTTP_SUCCESS": {},
        "HTTP_REDIRECT": {"fg": "green", "opts": ("bold",)},
        "HTTP_NOT_MODIFIED": {"fg": "green"},
        "HTTP_BAD_REQUEST": {"fg": "red", "opts": ("bold",)},
        "HTTP_NOT_FOUND": {"fg": "red"},
        "HTTP_SERVER_ERROR": {"fg": "magenta", "opts": ("bold",)},
        "MIGRATE_HEADING": {"fg": "cyan", "opts": ("bold",)},
        "MIGRATE_LABEL": {"opts": ("bold",)},
    },
}

COLORS_ENVIRONMENT_VARIABLE = "FASTJANGO_COLORS"


def colorize(text: str = "", opts: tuple[str, ...] = (), **kwargs: str) -> str:
    """Return ``text`` wrapped in ANSI codes for ``fg``/``bg`` colours and ``opts``.

    ``opts`` may hold ``bold``, ``underscore``, ``blink``, ``reverse``,
    ``conceal`` and ``noreset`` (leave the codes on after the text).
    """
    codes: list[str] = []
    for key, value in kwargs.items():
        if key == "fg":
            codes.append(FOREGROUND[value])
        elif key == "bg":
            codes.append(BACKGROUND[value])
    codes.extend(OPTIONS[opt] for opt in opts if opt in OPTIONS)
    if "noreset" not in opts:
        text = f"{text}\x1b[{RESET}m"
    return f"\x1b[{';'.join(codes)}m{text}"


def _style_func(role_format: RoleFormat) -> StyleFunc:
    if not role_format:
        return _identity
    colours: dict[str, str] = {}
    if "fg" in role_format:
        colours["fg"] = role_format["fg"]
    if "bg" in role_format:
        colours["bg"] = role_format["bg"]
    return functools.partial(_apply, opts=role_format.get("opts", ()), colours=colours)


def _apply(text: str, *, opts: tuple[str, ...], colours: dict[str, str]) -> str:
    return colorize(text, opts, **colours)


def _identity(text: str) -> str:
    return text


def parse_color_setting(config_string: str) -> dict[str, RoleFormat] | None:
    """Parse a ``FASTJANGO_COLORS`` value into role formats; None means no colour."""
    if not config_string:
        return PALETTES[DEFAULT_PALETTE]
    parts = config_string.lower().split(";")
    palette: dict[str, RoleFormat] = dict(PALETTES[NOCOLOR_PALETTE])
    for part in parts:
        if part in PALETTES:
            palette.update(PALETTES[part])
        elif "=" in part:
            role, _, instructions = part.partition("=")
            role = role.strip().upper()
            styles = instructions.split(",")
            colours = styles.pop(0).split("/") if styles else []
            definition: RoleFormat = {}
            fg = colours[0].strip() if colours else ""
            if fg in FOREGROUND:
                definition["fg"] = fg
            if len(colours) > 1 and colours[1].strip() in BACKGROUND:
                definition["bg"] = colours[1].strip()
            opts = tuple(s.strip() for s in styles if s.strip() in OPTIONS)
            if opts:
                definition["opts"] = opts
            if role in PALETTES[NOCOLOR_PALETTE] and definition:
                palette[role] = definition
    # An all-empty palette is the same as asking for no colour at all.
    if palette == PALETTES[NOCOLOR_PALETTE]:
        return None
    return palette


class Style:
    """One callable per role; each returns its text coloured (or unchanged)."""

    ERROR: StyleFunc
    ERROR_OUTPUT: StyleFunc
    SUCCESS: StyleFunc
    WARNING: StyleFunc
    NOTICE: StyleFunc
    SQL_FIELD: StyleFunc
    SQL_COLTYPE: StyleFunc
    SQL_KEYWORD: StyleFunc
    SQL_TABLE: StyleFunc
    HTTP_INFO: StyleFunc
    HTTP_SUCCESS: StyleFunc
    HTTP_REDIRECT: StyleFunc
    HTTP_NOT_MODIFIED: StyleFunc
    HTTP_BAD_REQUEST: StyleFunc
    HTTP_NOT_FOUND: StyleFunc
    HTTP_SERVER_ERROR: StyleFunc
    MIGRATE_HEADING: StyleFunc
    MIGRATE_LABEL: StyleFunc


def make_style(config_string: str = "") -> Style:
    """Return a ``Style`` built from a ``FASTJANGO_COLORS``-syntax string."""
    palette = parse_color_setting(config_string)
    style = Style()
    for role in ROLES:
        role_format = palette.get(role, {}) if palette else {}
        setattr(style, role, _style_func(role_format))
    style.ERROR_OUTPUT = style.ERROR
    return style


@functools.cache
def no_style() -> Style:
    """Return a ``Style`` that leaves every text unchanged."""
    return make_style(NOCOLOR_PALETTE)


def supports_color() -> bool:
    """Return whether stdout should get colour: a terminal, ``NO_COLOR`` unset."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get(COLORS_ENVIRONMENT_VARIABLE, "").lower() == NOCOLOR_PALETTE:
        return False
    isatty = getattr(sys.stdout, "isatty", None)
    try:
        is_a_tty = bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False
    if not is_a_tty:
        return False
    if sys.platform != "win32":
        return True
    # Windows terminals that understand ANSI sequences announce themselves.
    return (
        "ANSICON" in os.environ
        or "WT_SESSION" in os.environ
        or os.environ.get("TERM_PROGRAM") == "vscode"
    )


def color_style(force_color: bool = False) -> Style:
    """Return the colour ``Style`` if the terminal supports it, else ``no_style()``."""
    if not force_color and not supports_color():
        return no_style()
    return make_style(os.environ.get(COLORS_ENVIRONMENT_VARIABLE, ""))
